{#- The relation a network setting names: `data` (the training table) or `init_params`
    (a warm start), as ref('name') or, for `{source: raw, table: customers}`,
    source('raw', 'customers'); none when the setting is empty. Called in the model file,
    so dbt records the dependency while it parses. -#}
{% macro setting_relation(setting) %}
    {{- return(adapter.dispatch('setting_relation', 'sqlnn')(setting)) -}}
{% endmacro %}

{% macro default__setting_relation(setting) %}
    {%- set value = sqlnn._settings()[setting] -%}
    {%- if value is none -%}
        {{ return(none) }}
    {%- elif value is mapping -%}
        {{ return(source(value.source, value.table)) }}
    {%- endif -%}
    {{ return(ref(value)) }}
{% endmacro %}
