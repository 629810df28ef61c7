{#-
  The config every generated model of a network starts with (`{{ sqlnn.network_model('forward') }}`):
  - materialized: `network_table` (macros/materializations/network_table.sql), which skips a
    model whose table already holds what it would compute and otherwise builds it with
    `sqlnn.epoch_materialization()` (per-epoch models: forward, loss, backprop, update, the
    fastest table for the engine) or dbt's `table` (the rest). Every epoch boundary must be a
    table: an epoch reads its inputs several times, and views would recompute the whole chain
    beneath them (BigQuery caps view nesting at 16).
  - tags: the network's name and the stage (data, init, batches, forward, loss, backprop, update,
    outputs, evaluation; `epochs` on the per-epoch stages), so `tag:churn` or
    `tag:churn,tag:forward` select in any project.
  - enabled: a network trains in the project that defines it. Installing a package does
    not train the package's networks (sqlnn's own spiral and wine are such networks).
-#}
{% macro network_model(stage) %}
    {{- return(adapter.dispatch('network_model', 'sqlnn')(stage)) -}}
{% endmacro %}

{% macro default__network_model(stage) %}
    {%- set settings = ((model.config or {}).meta or {}).get('sqlnn') or {} -%}
    {%- set per_epoch = stage in ['batches', 'forward', 'loss', 'backprop', 'update'] -%}
    {%- set tags = [settings.get('network', 'sqlnn'), stage] + (['epochs'] if per_epoch else []) -%}
    {%- do config(materialized='network_table', tags=tags) -%}
    {%- if model.package_name != project_name -%}
        {%- do config(enabled=false) -%}
    {%- endif -%}
{% endmacro %}

{#- BigQuery: an epoch's batch rows are clustered by batch, so each step's scan of its batch
    (sqlnn.in_batch) is billed for that batch's blocks, not the whole epoch's rows. -#}
{% macro bigquery__network_model(stage) %}
    {%- do sqlnn.default__network_model(stage) -%}
    {%- if stage == 'batches' -%}
        {%- do config(cluster_by=['batch']) -%}
    {%- endif -%}
{% endmacro %}
