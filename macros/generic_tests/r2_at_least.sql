{#- Fails (one row per failing split) when a regression network's R^2 in its evaluation model is
    below `threshold`, or not finite, or the split is missing. With `network`, the threshold is
    that network's `min_train_r2` or `min_validation_r2` (by `split`); a network without a
    validation split passes the validation gate, and a classification network (which has no R^2;
    accuracy_at_least gates it) passes without checking. -#}
{% test r2_at_least(model, threshold=none, network=none, split='train') %}
    {{ return(adapter.dispatch('test_r2_at_least', 'sqlnn')(model, threshold, network, split)) }}
{% endtest %}

{% macro default__test_r2_at_least(model, threshold, network, split) %}
{%- set skip = false -%}
{%- if network is not none -%}
    {%- set nn = sqlnn._settings(network) -%}
    {%- if threshold is none -%}
        {%- set threshold = nn.min_validation_r2 if split == 'validation' else nn.min_train_r2 -%}
    {%- endif -%}
    {%- set skip = split == 'validation' and nn.validation_fraction == 0 -%}
    {%- if sqlnn._network_task(nn, model) != 'regression' -%}
        {#- no r2 column to read -#}
        {{ return('select ' ~ sqlnn.double(threshold or 0) ~ ' as r2 from ' ~ model ~ ' where 1 = 0') }}
    {%- endif -%}
{%- endif -%}
{%- if threshold is none -%}
    {{ exceptions.raise_compiler_error("sqlnn: r2_at_least needs a threshold or a network") }}
{%- endif -%}
with gated as (
    select max(r2) as r2, count(*) as split_rows
    from {{ model }}
    where split = {{ sqlnn.string_literal(split) }}
)

select r2, {{ sqlnn.double(threshold) }} as threshold
from gated
where {{ 'false' if skip else 'true' }}
    and (split_rows = 0 or r2 is null or not {{ sqlnn.is_finite('r2') }} or r2 < {{ sqlnn.double(threshold) }})
{% endmacro %}
