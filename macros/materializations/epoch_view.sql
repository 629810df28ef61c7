{#-
  epoch_view: a view created by one `create or replace view ... as` statement, for a DuckDB
  forward pass that only the loss reads (sqlnn.epoch_materialization). Querying it computes
  the forward pass from the epoch's parameters and features, the same rows a table would hold.
  A table of the same name (the network trained before as `epoch_table`) is dropped first.
-#}
{% materialization epoch_view, adapter='duckdb' %}
    {%- set target_relation = this.incorporate(type='view') -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {{ run_hooks(pre_hooks) }}
    {%- if existing_relation is not none and not existing_relation.is_view -%}
        {{ adapter.drop_relation(existing_relation) }}
    {%- endif -%}
    {% call statement('main', auto_begin=false) -%}
        create or replace view {{ target_relation }} as (
            {{ sql }}
        )
    {%- endcall %}
    {{ run_hooks(post_hooks) }}
    {% do adapter.commit() %}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
