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
    {#- network_table's fingerprint, stored in the same statement after the build (after post-hooks when there are any: then network_table stores it) -#}
    {%- set fingerprint = none if post_hooks else sqlnn._fingerprint_to_store(target_relation) -%}
    {% call statement('main', auto_begin=false) -%}
        create or replace view {{ target_relation }} as (
            {{ sql }}
        )
        {%- if fingerprint is not none %};
        {{ sqlnn._fingerprint_comment(target_relation, fingerprint) }}
        {%- endif %}
    {%- endcall %}
    {{ run_hooks(post_hooks) }}
    {% do adapter.commit() %}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
