{#- Integer remainder of two BIGINTs (the initialiser's PRNG). -#}
{% macro int_mod(dividend, divisor) %}
    {{- return(adapter.dispatch('int_mod', 'sqlnn')(dividend, divisor)) -}}
{% endmacro %}

{% macro default__int_mod(dividend, divisor) %}mod({{ dividend }}, {{ divisor }}){% endmacro %}
