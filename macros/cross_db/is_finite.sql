{#- True for a finite double, false for NaN and +-inf. -#}
{% macro is_finite(expression) %}
    {{- return(adapter.dispatch('is_finite', 'sqlnn')(expression)) -}}
{% endmacro %}

{#- x - x is 0 for finite x and NaN for inf or NaN, and NaN never equals 0. -#}
{% macro default__is_finite(expression) %}(({{ expression }}) - ({{ expression }}) = 0){% endmacro %}

{% macro duckdb__is_finite(expression) %}isfinite({{ expression }}){% endmacro %}

{% macro bigquery__is_finite(expression) %}(not is_inf({{ expression }}) and not is_nan({{ expression }})){% endmacro %}
