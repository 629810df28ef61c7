{#- A float literal every engine reads as a double: DuckDB reads a bare 0.001 as DECIMAL. -#}
{% macro double(value) %}
    {{- return(adapter.dispatch('double', 'sqlnn')(value)) -}}
{% endmacro %}

{% macro default__double(value) -%}
    cast({{ value | float }} as {{ sqlnn.type_double() }})
{%- endmacro %}
