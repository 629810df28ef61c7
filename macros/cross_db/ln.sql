{#- Scalar maths whose spelling differs between engines. -#}

{#- Natural logarithm. Never LOG: DuckDB's LOG is base 10, BigQuery's is natural. -#}
{% macro ln(expression) %}
    {{- return(adapter.dispatch('ln', 'sqlnn')(expression)) -}}
{% endmacro %}

{% macro default__ln(expression) %}ln({{ expression }}){% endmacro %}
