{#- The relation a network setting names: `data` (the training table) or `init_params`
    (a warm start), as ref('name') or, for `{source: raw, table: customers}`,
    source('raw', 'customers'); none when the setting is empty. With `init_from: other`,
    `init_params` is ref('other_trained_params'), which carries the optimizer state too.
    Called in the model file, so dbt records the dependency while it parses. -#}
{% macro setting_relation(setting) %}
    {{- return(adapter.dispatch('setting_relation', 'sqlnn')(setting)) -}}
{% endmacro %}

{% macro default__setting_relation(setting) %}
    {%- set nn = sqlnn._settings() -%}
    {%- set value = nn[setting] -%}
    {%- if setting == 'init_params' and nn.init_from is not none -%}
        {{ return(ref(nn.init_from ~ '_trained_params')) }}
    {%- endif -%}
    {%- if value is none -%}
        {{ return(none) }}
    {%- elif value is mapping -%}
        {{ return(source(value.source, value.table)) }}
    {%- endif -%}
    {{ return(ref(value)) }}
{% endmacro %}
