{#- Private: what DuckDB's epoch_table and epoch_view materializations share; they differ only in
    `target_relation` (a table or a view) and `create`, the statement that builds it. A relation of
    the other kind and the same name (the network trained before with the other one) is dropped
    first. network_table's fingerprint is stored in the same statement after the build
    (`_fingerprint_to_store`), unless post-hooks run after it: then network_table stores it. -#}
{% macro _create_epoch_relation(target_relation, create) %}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- do run_hooks(pre_hooks) -%}
    {%- if existing_relation is not none and existing_relation.type != target_relation.type -%}
        {%- do adapter.drop_relation(existing_relation) -%}
    {%- endif -%}
    {%- set fingerprint = none if post_hooks else sqlnn._fingerprint_to_store(target_relation) -%}
    {%- call statement('main', auto_begin=false) -%}
        {{ create }}
        {%- if fingerprint is not none %};
        {{ sqlnn._fingerprint_comment(target_relation, fingerprint) }}
        {%- endif %}
    {%- endcall -%}
    {%- do run_hooks(post_hooks) -%}
    {%- do adapter.commit() -%}
    {{ return({'relations': [target_relation]}) }}
{% endmacro %}
