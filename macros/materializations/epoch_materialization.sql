{#-
  The materialization of a network's per-epoch models (forward, loss, backprop, update),
  by engine. Each is a table nothing else reads while dbt runs, so the atomic swap of
  dbt's `table` (build __dbt_tmp, rename, drop: five statements) buys nothing there.
  - DuckDB: `epoch_table`, one `create or replace table` (macros/materializations/epoch_table.sql).
    Measured by `make bench`: 45 spiral epochs in 10.0 s against 13.7 s with `table`.
  - BigQuery: dbt-bigquery's `table` already is one `create or replace table` statement.
  - Elsewhere (Spark, ...): dbt's `table`.
-#}
{% macro epoch_materialization() %}
    {{- return(adapter.dispatch('epoch_materialization', 'sqlnn')()) -}}
{% endmacro %}

{% macro default__epoch_materialization() %}{{ return('table') }}{% endmacro %}

{% macro duckdb__epoch_materialization() %}{{ return('epoch_table') }}{% endmacro %}
