{#- Fails on every row whose column is NULL, NaN or infinite. -#}
{% test all_finite(model, column_name) %}
    {{ return(adapter.dispatch('test_all_finite', 'sqlnn')(model, column_name)) }}
{% endtest %}

{% macro default__test_all_finite(model, column_name) %}
select *
from {{ model }}
where {{ column_name }} is null or not {{ sqlnn.is_finite(column_name) }}
{% endmacro %}
