{#-
  The materialization of a network's per-epoch models (forward, loss, backprop, update;
  `stage` says which), by engine. Each is a table nothing else reads while dbt runs, so the
  atomic swap of dbt's `table` (build __dbt_tmp, rename, drop: five statements) buys nothing there.
  - DuckDB: `epoch_table`, one `create or replace table` (macros/materializations/epoch_table.sql).
    Measured by `make bench`: 45 spiral epochs in 10.0 s against 13.7 s with `table`.
    The forward pass is an `epoch_view` when its backprop recomputes it (`_forward_is_recomputed`:
    the streaming weight gradients of tall tables): then only the loss reads it, once, and writing
    every example's hidden layers cost more than computing them (1M x 20 -> [64]: 5.4 s and 0.85 GB
    per epoch to write, against 2.1 s more in the loss reading the view; bench/results/tall.md).
  - BigQuery: dbt-bigquery's `table` already is one `create or replace table` statement.
  - Elsewhere (Spark, ...): dbt's `table`.
-#}
{% macro epoch_materialization(stage=none) %}
    {{- return(adapter.dispatch('epoch_materialization', 'sqlnn')(stage)) -}}
{% endmacro %}

{% macro default__epoch_materialization(stage=none) %}{{ return('table') }}{% endmacro %}

{% macro duckdb__epoch_materialization(stage=none) %}
    {%- if stage == 'forward' and sqlnn._forward_is_recomputed() -%}{{ return('epoch_view') }}{%- endif -%}
    {{ return('epoch_table') }}
{% endmacro %}
