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
