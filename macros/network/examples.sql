{#- The training rows, numbered, with features as doubles: wide (training_examples) and long (training_features). -#}

{% macro training_examples(relation) %}
    {{- return(adapter.dispatch('training_examples', 'sqlnn')(relation)) -}}
{% endmacro %}

{% macro default__training_examples(relation) %}
{%- set nn = sqlnn._settings() -%}
{%- set columns = [] -%}
{%- for feature in nn.features %}{% do columns.append(adapter.quote(feature)) %}{% endfor -%}
{%- do columns.append(adapter.quote(nn.label)) -%}
select
    -- numbering by content makes row_id independent of the engine's scan order
    row_number() over (order by {{ columns | join(', ') }}) as row_id,
    cast({{ adapter.quote(nn.label) }} as {{ dbt.type_bigint() }}) as label,
    {%- for feature in nn.features %}
    cast({{ adapter.quote(feature) }} as {{ sqlnn.type_double() }}) as {{ adapter.quote(feature) }}{{ ',' if not loop.last }}
    {%- endfor %}
from {{ relation }}
{% endmacro %}


{% macro training_features(examples) %}
    {{- return(adapter.dispatch('training_features', 'sqlnn')(examples)) -}}
{% endmacro %}

{% macro default__training_features(examples) %}
{%- set nn = sqlnn._settings() -%}
{%- for feature in nn.features %}
select row_id, {{ loop.index0 }} as unit, {{ adapter.quote(feature) }} as value from {{ examples }}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{% endmacro %}


{#-
  DuckDB list path: each example's features as one list (`row_id`, `value_list`, unit
  null), which the forward pass reads, and each feature over all examples in row_id
  order (`unit`, `value_list`, row_id null): the column-major form backprop needs for
  the first layer's weight gradient, built once here instead of every epoch.
-#}
{% macro duckdb__training_features(examples) %}
{%- if not sqlnn._list_path() -%}{{ return(sqlnn.default__training_features(examples)) }}{%- endif -%}
{%- set nn = sqlnn._settings() -%}
with example_rows as (
    select
        row_id,
        list_value(
            {%- for feature in nn.features %}
            {{ adapter.quote(feature) }}{{ ',' if not loop.last }}
            {%- endfor %}
        ) as value_list
    from {{ examples }}
),

feature_matrix as (
    select list(value_list order by row_id) as matrix from example_rows
)

-- `value` (the portable path's scalar) stays as a null column so both paths share a schema
select row_id, cast(null as bigint) as unit, cast(null as {{ sqlnn.type_double() }}) as value, value_list from example_rows
union all
select cast(null as bigint) as row_id, unit, cast(null as {{ sqlnn.type_double() }}) as value, list_transform(matrix, lambda example: example[unit + 1]) as value_list
from feature_matrix
cross join range({{ nn.features | length }}) as units(unit)
{% endmacro %}
