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
  backprop needs for the first layer's weight gradient when it gathers lists (networks of
  more than `duckdb_streaming_max_weights` weights), built once here instead of every
  epoch; streaming networks need no such rows, whose lists hold every training row.
  `value` (the portable path's scalar) stays as a null column.
  Both are read straight from the examples' columns, (x - center) / scale as
  `_scaled_features` computes it: no long form to regroup, so memory stays flat in the rows.
-#}
{% macro duckdb__training_features(examples, scaling) %}
{%- set nn = sqlnn._settings() -%}
{%- if not sqlnn._list_path(nn) -%}{{ return(sqlnn.default__training_features(examples, scaling)) }}{%- endif -%}
{%- set scaled = [] -%}
{%- for feature in nn.features -%}
    {%- do scaled.append('(cast(examples.' ~ adapter.quote(feature) ~ ' as ' ~ sqlnn.type_double() ~ ') - scaling.centers[' ~ loop.index ~ ']) / scaling.scales[' ~ loop.index ~ ']') -%}
{%- endfor -%}
with scaling as (
    select list(center order by unit) as centers, list(scale order by unit) as scales from {{ scaling }}
)

select examples.row_id, cast(null as bigint) as unit, cast(null as {{ sqlnn.type_double() }}) as value, [{{ scaled | join(', ') }}] as value_list
from {{ examples }} as examples
cross join scaling
{%- for feature in nn.features if sqlnn._list_weight_count(nn) > nn.duckdb_streaming_max_weights %}
union all
select cast(null as bigint) as row_id, {{ loop.index0 }} as unit, cast(null as {{ sqlnn.type_double() }}) as value, list({{ scaled[loop.index0] }} order by examples.row_id) as value_list
from {{ examples }} as examples
cross join scaling
where examples.split = 'train'
{%- endfor %}
{% endmacro %}
