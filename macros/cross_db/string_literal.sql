{#- A SQL string literal of `text`, quotes escaped the way the engine reads them. -#}
{% macro string_literal(text) %}
    {{- return("'" ~ dbt.escape_single_quotes(text) ~ "'") -}}
{% endmacro %}
