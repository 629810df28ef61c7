{#-
  The fingerprints network_table stored on `relations` (one schema's tables or several):
  {lowercased table name: fingerprint}; a table without one is left out. Where each engine
  keeps table metadata:
  - DuckDB: the table's comment (COMMENT ON TABLE; a view's, for an epoch_view), read from
    duckdb_tables() and duckdb_views() in one query.
  - Spark: the table property `sqlnn.fingerprint`.
  - BigQuery: the rows of `sqlnn_fingerprints` in the target dataset (the latest per table). The
    emulator keeps no table labels or descriptions, so a table of its own is what works on
    both it and real BigQuery (where a label or description would also do).
  Other engines store nothing: every model is built on every run, as before.
-#}
{% macro stored_fingerprints(relations) %}
    {{- return(adapter.dispatch('stored_fingerprints', 'sqlnn')(relations)) -}}
{% endmacro %}

{% macro default__stored_fingerprints(relations) %}
    {{- return({}) -}}
{% endmacro %}

{#- one scan of the catalog whatever the number of relations: the names are matched here -#}
{% macro duckdb__stored_fingerprints(relations) %}
    {%- set wanted = {} -%}
    {%- for relation in relations -%}
        {%- do wanted.update({(relation.database ~ '.' ~ relation.schema ~ '.' ~ relation.identifier) | lower: true}) -%}
    {%- endfor -%}
    {%- if not wanted -%}{{ return({}) }}{%- endif -%}
    {%- set query -%}
        select database_name || '.' || schema_name || '.' || table_name, table_name, comment from duckdb_tables()
        where comment like 'sqlnn fingerprint %'
        union all
        select database_name || '.' || schema_name || '.' || view_name, view_name, comment from duckdb_views()
        where comment like 'sqlnn fingerprint %'
    {%- endset -%}
    {%- set found = {} -%}
    {%- for row in run_query(query).rows if (row[0] | lower) in wanted -%}
        {%- do found.update({row[1] | lower: row[2][('sqlnn fingerprint ' | length):]}) -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}

{% macro spark__stored_fingerprints(relations) %}
    {%- set found = {} -%}
    {#- SHOW TBLPROPERTIES fails on a missing table: ask only about tables dbt's cache knows -#}
    {%- for relation in relations if adapter.get_relation(relation.database, relation.schema, relation.identifier) is not none -%}
        {%- for row in run_query("show tblproperties " ~ relation ~ " ('sqlnn.fingerprint')").rows
            if row[0] == 'sqlnn.fingerprint' and row[1] is string and row[1].startswith('fp_') -%}
            {%- do found.update({sqlnn._fingerprint_key(relation): row[1][3:]}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}

{% macro bigquery__stored_fingerprints(relations) %}
    {%- set store = sqlnn._fingerprint_table() -%}
    {%- if adapter.get_relation(store.database, store.schema, store.identifier) is none -%}{{ return({}) }}{%- endif -%}
    {%- set query -%}
        select table_name, fingerprint from (
            select table_name, fingerprint, row_number() over (partition by table_name order by recorded_at desc) as newest
            from {{ store }}
            where table_name in ({% for relation in relations %}'{{ relation.database }}.{{ relation.schema }}.{{ relation.identifier | lower }}'{{ ', ' if not loop.last }}{% endfor %})
        ) as rows_ where newest = 1 and fingerprint is not null
    {%- endset -%}
    {%- set found = {} -%}
    {%- for row in run_query(query).rows -%}
        {%- do found.update({row[0].split('.')[-1]: row[1]}) -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}

{#- A relation's key in the stored fingerprints: its table name, lowercased, as the catalogs return it. -#}
{% macro _fingerprint_key(relation) %}
    {{- return(relation.identifier | lower) -}}
{% endmacro %}

{#- BigQuery's store: `sqlnn_fingerprints` beside the network's tables' target dataset. -#}
{% macro _fingerprint_table() %}
    {{ return(api.Relation.create(database=target.project, schema=target.dataset, identifier='sqlnn_fingerprints')) }}
{% endmacro %}

{#-
  network_table's look-up: the stored fingerprints of every model network_table builds in the
  project, read by ONE stored_fingerprints call per dbt invocation instead of one per model (on
  DuckDB that query was a third of what a reused model cost), then kept current by network_table
  as it clears and stores them. It lives in `graph` because that is the one dict every node of an
  invocation shares (dbt builds it afresh for each), under the invocation_id in case a caller
  re-uses a manifest; setdefault keeps the first result if two threads read at once.
-#}
{% macro _fingerprints_of_this_run() %}
    {%- set runs = graph.setdefault('sqlnn_fingerprints_of_the_run', {}) -%}
    {%- if invocation_id not in runs -%}
        {%- set relations = [] -%}
        {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.config.materialized == 'network_table' -%}
            {%- do relations.append(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias or node.name)) -%}
        {%- endfor -%}
        {%- do runs.setdefault(invocation_id, sqlnn.stored_fingerprints(relations)) -%}
    {%- endif -%}
    {{ return(runs[invocation_id]) }}
{% endmacro %}

{#- Private: a dict kept for the rest of this dbt invocation under `name`, in `graph` as the stored
    fingerprints are (see _fingerprints_of_this_run): what every model would otherwise ask the
    warehouse again (a table's checksum, its count of training rows). -#}
{% macro _kept_for_this_run(name) %}
    {{- return(graph.setdefault('sqlnn_' ~ name ~ '_of_the_run', {}).setdefault(invocation_id, {})) -}}
{% endmacro %}
