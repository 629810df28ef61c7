{#- Column types and literals that differ between engines. -#}

{% macro type_double() %}
    {{- return(adapter.dispatch('type_double', 'sqlnn')()) -}}
{% endmacro %}

{% macro default__type_double() %}double{% endmacro %}

{% macro bigquery__type_double() %}float64{% endmacro %}


{#- A float literal every engine reads as a double: DuckDB reads a bare 0.001 as DECIMAL. -#}
{% macro double(value) %}
    {{- return(adapter.dispatch('double', 'sqlnn')(value)) -}}
{% endmacro %}

{% macro default__double(value) -%}
    cast({{ value | float }} as {{ sqlnn.type_double() }})
{%- endmacro %}
