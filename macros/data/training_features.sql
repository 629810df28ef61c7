{% macro training_features(examples, vocabulary, scaling) %}
    {{- return(adapter.dispatch('training_features', 'sqlnn')(examples, vocabulary, scaling)) -}}
{% endmacro %}

{#- Layer 0: every input unit of the vocabulary for every example, imputed, one-hot encoded
    and standardised (sqlnn._scaled_features), in long form (row_id, unit, value). -#}
{% macro default__training_features(examples, vocabulary, scaling) %}
{{ sqlnn._scaled_features(examples, vocabulary, scaling, sqlnn._feature_types(examples, sqlnn._settings())) }}
{% endmacro %}

{#-
  DuckDB list path: the inputs of `_scaled_features` as lists (`_list_inputs`, read straight
  from the examples' columns: memory flat in the rows). One row per example (`row_id`, its
  input units in unit order as `value_list`, unit null), which the forward pass reads, and,
  for full-batch networks of more than `duckdb_streaming_max_weights` weights, whose backprop
  gathers lists, one row per input unit (`unit`, that unit over the training split's examples in
  row_id order, row_id null): the column-major form of the first layer's weight gradient,
  built once here instead of every epoch. `value` (the portable path's scalar) stays null.
-#}
{% macro duckdb__training_features(examples, vocabulary, scaling) %}
{%- set nn = sqlnn._settings() -%}
{%- if not sqlnn._list_path(nn) -%}{{ return(sqlnn.default__training_features(examples, vocabulary, scaling)) }}{%- endif -%}
{%- set types = sqlnn._feature_types(examples, nn) -%}
{%- if sqlnn._reads_warehouse() -%}
    {%- set sizes = sqlnn._data_layer_sizes(nn, vocabulary, '(select distinct label from ' ~ examples ~ ') as labels', sqlnn._task(nn, examples)) -%}
{%- else -%}
    {%- set sizes = sqlnn._guessed_layer_sizes(nn) -%}
{%- endif -%}
with inputs as (
    {{ sqlnn._list_inputs(examples, vocabulary, scaling, types, nn) | indent(4) }}
)

select row_id, cast(null as bigint) as unit, cast(null as {{ sqlnn.type_double() }}) as value, value_list
from inputs
{%- if sqlnn._features_by_column(nn, sizes) %}
union all
select cast(null as bigint) as row_id, units.unit, cast(null as {{ sqlnn.type_double() }}) as value, list(inputs.value_list[units.unit + 1] order by inputs.row_id) as value_list
from inputs
inner join {{ examples }} as examples on examples.row_id = inputs.row_id
cross join (select unit from {{ vocabulary }}) as units
where examples.split = 'train'
group by units.unit
{%- endif %}
{% endmacro %}
