{#-
  Records that `relation` holds what `fingerprint` describes (see stored_fingerprints for where),
  or, with none, that it may no longer: network_table clears it before a build, so a build that
  fails or is killed half-way never leaves a table marked with a fingerprint it does not match.
-#}
{% macro store_fingerprint(relation, fingerprint) %}
    {{- return(adapter.dispatch('store_fingerprint', 'sqlnn')(relation, fingerprint)) -}}
{% endmacro %}

{% macro default__store_fingerprint(relation, fingerprint) %}
{% endmacro %}

{#- DuckDB: `create or replace table` (or view: epoch_view) starts without a comment, so clearing is not needed. -#}
{% macro duckdb__store_fingerprint(relation, fingerprint) %}
    {%- if fingerprint is not none -%}
        {%- call statement('sqlnn_fingerprint', auto_begin=false) -%}
            {{ sqlnn._fingerprint_comment(relation, fingerprint) }}
        {%- endcall -%}
    {%- endif -%}
{% endmacro %}

{#- Private, DuckDB: the statement that stores `fingerprint` on `relation` (a table, or a view). -#}
{% macro _fingerprint_comment(relation, fingerprint) %}
    {{- return("comment on " ~ ('view' if relation.is_view else 'table') ~ " " ~ relation ~ " is 'sqlnn fingerprint " ~ fingerprint ~ "'") -}}
{% endmacro %}

{#- Private: the fingerprint network_table hands to the materialization it wraps for `relation`, taken
    (once) by DuckDB's epoch_table and epoch_view (_create_epoch_relation), which store it in their
    own statement, after the build: dbt runs a second statement per model at a cost of about 6 ms
    (bench/results/bench.md, the statement floor). none when there is none, or when it was taken. -#}
{% macro _fingerprint_to_store(relation) %}
    {{- return(sqlnn._kept_for_this_run('fingerprint_to_store').pop(sqlnn._fingerprint_key(relation), none)) -}}
{% endmacro %}

{#- Spark: dbt-spark's `table` drops and creates the table, so its properties go with it. -#}
{% macro spark__store_fingerprint(relation, fingerprint) %}
    {%- if fingerprint is not none -%}
        {%- call statement('sqlnn_fingerprint') -%}
            alter table {{ relation }} set tblproperties ('sqlnn.fingerprint' = 'fp_{{ fingerprint }}')
        {%- endcall -%}
    {%- endif -%}
{% endmacro %}

{#- BigQuery: append-only (one insert per build; no UPDATE, which BigQuery bills as a scan). -#}
{% macro bigquery__store_fingerprint(relation, fingerprint) %}
    {%- set store = sqlnn._fingerprint_table() -%}
    {%- set exists = adapter.get_relation(store.database, store.schema, store.identifier) is not none -%}
    {%- if fingerprint is none and not exists -%}{{ return(none) }}{%- endif -%}
    {%- if not exists -%}
        {%- call statement('sqlnn_fingerprint_store') -%}
            create table if not exists {{ store }} (table_name string, fingerprint string, recorded_at timestamp)
        {%- endcall -%}
        {#- dbt's relation cache answers get_relation for the rest of the run: tell it -#}
        {%- do adapter.cache_added(store.incorporate(type='table')) -%}
    {%- endif -%}
    {%- call statement('sqlnn_fingerprint') -%}
        insert into {{ store }} (table_name, fingerprint, recorded_at)
        values ('{{ relation.database }}.{{ relation.schema }}.{{ relation.identifier | lower }}', {{ "'" ~ fingerprint ~ "'" if fingerprint is not none else 'null' }}, current_timestamp())
    {%- endcall -%}
{% endmacro %}
