{#-
  The class list: every distinct value of the label column, sorted (numbers by value, text by
  its bytes, false before true), numbered 0 .. C-1. `class` is what the network trains on
  (the output unit); `label_value` is the label as the table holds it, which predictions
  return. Learned from the whole table rather than the training split: the split is
  stratified by class, so it needs the classes first (and keeps each class in training).
  `class_name` is the value as text, from which sqlnn.predict names its probability columns.
  A regression network (sqlnn._task) has no classes: the model is empty, with the same columns.
-#}
{% macro classes(relation) %}
    {{- return(adapter.dispatch('classes', 'sqlnn')(relation)) -}}
{% endmacro %}

{% macro default__classes(relation) %}
{%- set nn = sqlnn._settings() -%}
{%- set label = adapter.quote(nn.label) -%}
{%- set regression = sqlnn._task(nn, relation, nn.label) == 'regression' -%}
select
    cast(row_number() over (order by label_value) - 1 as {{ dbt.type_bigint() }}) as class,
    label_value,
    cast(label_value as {{ dbt.type_string() }}) as class_name,
    row_count
from (
    select {{ label }} as label_value, count(*) as row_count
    from {{ relation }}
    where {{ label }} is not null{{ ' and 1 = 0' if regression }}
    group by {{ label }}
) as label_values
{% endmacro %}
