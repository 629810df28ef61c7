{#- Fails (one row) when the share of rows with prediction_column = label_column is below `threshold`, or there are no rows. -#}
{% test accuracy_at_least(model, threshold, label_column='label', prediction_column='predicted_class') %}
    {{ return(adapter.dispatch('test_accuracy_at_least', 'sqlnn')(model, threshold, label_column, prediction_column)) }}
{% endtest %}

{% macro default__test_accuracy_at_least(model, threshold, label_column, prediction_column) %}
with scored as (
    select
        count(*) as row_count,
        sum(case when {{ prediction_column }} = {{ label_column }} then 1 else 0 end) as correct
    from {{ model }}
)

select row_count, correct, {{ sqlnn.double(threshold) }} as threshold
from scored
where row_count = 0
    or cast(correct as {{ sqlnn.type_double() }}) < {{ sqlnn.double(threshold) }} * row_count
{% endmacro %}
