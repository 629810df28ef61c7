{#- `expression` as a double, or NULL where it is not a number (a word, a date), instead of a cast error. -#}
{% macro try_cast_double(expression) %}
    {{- return(adapter.dispatch('try_cast_double', 'sqlnn')(expression)) -}}
{% endmacro %}

{% macro default__try_cast_double(expression) %}try_cast({{ expression }} as {{ sqlnn.type_double() }}){% endmacro %}

{% macro bigquery__try_cast_double(expression) %}safe_cast({{ expression }} as {{ sqlnn.type_double() }}){% endmacro %}
