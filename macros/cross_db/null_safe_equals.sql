{#- `left` equals `right`, or both are NULL: for joining rows back on columns that may be NULL
    (an equality the engines can hash, unlike `a = b or (a is null and b is null)`). -#}
{% macro null_safe_equals(left, right) %}
    {{- return(adapter.dispatch('null_safe_equals', 'sqlnn')(left, right)) -}}
{% endmacro %}

{% macro default__null_safe_equals(left, right) %}{{ left }} is not distinct from {{ right }}{% endmacro %}

{% macro spark__null_safe_equals(left, right) %}{{ left }} <=> {{ right }}{% endmacro %}

{#- Databricks SQL is Spark SQL. -#}
{% macro databricks__null_safe_equals(left, right) %}{{ left }} <=> {{ right }}{% endmacro %}
