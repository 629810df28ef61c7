{#- Every (split, actual class, predicted class) cell, zeros included. A regression network has
    no classes: no cells (class_metrics then has no rows either). -#}
{% macro confusion_matrix(predictions, classes) %}
    {{- return(adapter.dispatch('confusion_matrix', 'sqlnn')(predictions, classes)) -}}
{% endmacro %}

{% macro default__confusion_matrix(predictions, classes) %}
{%- if sqlnn._task(sqlnn._settings(), classes) == 'regression' %}
select
    cast(null as {{ dbt.type_string() }}) as split,
    cast(null as {{ dbt.type_bigint() }}) as actual_class,
    cast(null as {{ dbt.type_bigint() }}) as predicted_class,
    cast(0 as {{ dbt.type_bigint() }}) as row_count
from {{ classes }}
where 1 = 0
{%- else %}
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
{%- endif %}
{% endmacro %}
