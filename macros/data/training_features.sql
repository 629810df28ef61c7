{% macro training_features(examples, scaling) %}
    {{- return(adapter.dispatch('training_features', 'sqlnn')(examples, scaling)) -}}
{% endmacro %}

{% macro default__training_features(examples, scaling) %}
{{ sqlnn._scaled_features(examples, scaling) }}
{% endmacro %}

{#-
  DuckDB list path: the standardised features of `_scaled_features` as lists. One row
  per example (`row_id`, its features in unit order as `value_list`, unit null), which
  the forward pass reads, and one row per feature (`unit`, that feature over the
  training split's examples in row_id order, row_id null): the column-major form
  backprop needs for the first layer's weight gradient, built once here instead of
  every epoch. `value` (the portable path's scalar) stays as a null column.
-#}
{% macro duckdb__training_features(examples, scaling) %}
{%- if not sqlnn._list_path() -%}{{ return(sqlnn.default__training_features(examples, scaling)) }}{%- endif -%}
with scaled as (
    {{ sqlnn._scaled_features(examples, scaling) | indent(4) }}
)

select row_id, cast(null as bigint) as unit, cast(null as {{ sqlnn.type_double() }}) as value, list(value order by unit) as value_list
from scaled
group by row_id
union all
select cast(null as bigint) as row_id, scaled.unit, cast(null as {{ sqlnn.type_double() }}) as value, list(scaled.value order by scaled.row_id) as value_list
from scaled
inner join {{ examples }} as examples on examples.row_id = scaled.row_id
where examples.split = 'train'
group by scaled.unit
{% endmacro %}
