{#-
  epoch_view: a view created by one `create or replace view ... as` statement, for a DuckDB
  forward pass that only the loss reads (sqlnn.epoch_materialization). Querying it computes
  the forward pass from the epoch's parameters and features, the same rows a table would hold.
  A table of the same name (the network trained before as `epoch_table`) is dropped first.
-#}
{% materialization epoch_view, adapter='duckdb' %}
    {%- set target_relation = this.incorporate(type='view') -%}
    {%- set create -%}
        create or replace view {{ target_relation }} as (
            {{ sql }}
        )
    {%- endset -%}
    {{ return(sqlnn._create_epoch_relation(target_relation, create)) }}
{% endmaterialization %}
