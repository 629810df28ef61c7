{#- Runs the materialization `name` (`table`, or `epoch_table` or `epoch_view` on DuckDB) of the current
    adapter for the current model, as dbt would have: network_table wraps it. -#}
{% macro _wrapped_materialization(name) %}
    {{- return(adapter.dispatch('_wrapped_materialization', 'sqlnn')(name)) -}}
{% endmacro %}

{% macro default___wrapped_materialization(name) %}
    {{- return(dbt.materialization_table_default()) -}}
{% endmacro %}

{% macro duckdb___wrapped_materialization(name) %}
    {%- if name == 'epoch_table' -%}
        {{- return(sqlnn.materialization_epoch_table_duckdb()) -}}
    {%- elif name == 'epoch_view' -%}
        {{- return(sqlnn.materialization_epoch_view_duckdb()) -}}
    {%- endif -%}
    {{- return(dbt.materialization_table_duckdb()) -}}
{% endmacro %}

{% macro bigquery___wrapped_materialization(name) %}
    {{- return(dbt.materialization_table_bigquery()) -}}
{% endmacro %}

{% macro spark___wrapped_materialization(name) %}
    {{- return(dbt.materialization_table_spark()) -}}
{% endmacro %}
