{#- Column types and literals that differ between engines. -#}

{% macro type_double() %}
    {{- return(adapter.dispatch('type_double', 'sqlnn')()) -}}
{% endmacro %}

{% macro default__type_double() %}double{% endmacro %}

{% macro bigquery__type_double() %}float64{% endmacro %}
