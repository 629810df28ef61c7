{#- Fails (one row) when the share of rows with prediction_column = label_column is below
    `threshold`, or there are no rows. With `network`, the threshold is that network's
    `min_train_accuracy` or `min_validation_accuracy` (by `split`); a network without a
    validation split (validation_fraction 0) passes the validation gate, and a regression
    network (which has no classes; r2_at_least gates it) passes without checking. `split` keeps
    the rows of that split. -#}
{% test accuracy_at_least(model, threshold=none, network=none, split=none, label_column='label', prediction_column='predicted_class') %}
    {{ return(adapter.dispatch('test_accuracy_at_least', 'sqlnn')(model, threshold, network, split, label_column, prediction_column)) }}
{% endtest %}

{% macro default__test_accuracy_at_least(model, threshold, network, split, label_column, prediction_column) %}
{%- set skip = false -%}
{%- if network is not none -%}
    {%- set nn = sqlnn._settings(network) -%}
    {%- if threshold is none -%}
        {%- set threshold = nn.min_validation_accuracy if split == 'validation' else nn.min_train_accuracy -%}
    {%- endif -%}
    {%- set skip = split == 'validation' and nn.validation_fraction == 0 -%}
    {%- if sqlnn._network_task(nn, model) == 'regression' -%}
        {#- no predicted_class column to read -#}
        {{ return('select 0 as row_count, 0 as correct, ' ~ sqlnn.double(threshold or 0) ~ ' as threshold from ' ~ model ~ ' where 1 = 0') }}
    {%- endif -%}
{%- endif -%}
{%- if threshold is none -%}
    {{ exceptions.raise_compiler_error("sqlnn: accuracy_at_least needs a threshold or a network") }}
{%- endif -%}
with scored as (
    select
        count(*) as row_count,
        sum(case when {{ prediction_column }} = {{ label_column }} then 1 else 0 end) as correct
    from {{ model }}
    {%- if split is not none %}
    where split = {{ sqlnn.string_literal(split) }}
    {%- endif %}
)

select row_count, correct, {{ sqlnn.double(threshold) }} as threshold
from scored
where {{ 'false' if skip else 'true' }}
    and (row_count = 0
        or cast(correct as {{ sqlnn.type_double() }}) < {{ sqlnn.double(threshold) }} * row_count)
{% endmacro %}
