{#- Every (split, actual class, predicted class) cell, zeros included. -#}
{% macro confusion_matrix(predictions, classes) %}
    {{- return(adapter.dispatch('confusion_matrix', 'sqlnn')(predictions, classes)) -}}
{% endmacro %}

{% macro default__confusion_matrix(predictions, classes) %}
with classes as (
    select class from {{ classes }}
),

cells as (
    select splits.split, actual.class as actual_class, predicted.class as predicted_class
    from (select distinct split from {{ predictions }}) as splits
    cross join classes as actual
    cross join classes as predicted
)

select
    cells.split,
    cells.actual_class,
    cells.predicted_class,
    count(scored.label) as row_count
from cells
left join {{ predictions }} as scored
    on scored.split = cells.split and scored.label = cells.actual_class and scored.predicted_class = cells.predicted_class
group by cells.split, cells.actual_class, cells.predicted_class
{% endmacro %}
