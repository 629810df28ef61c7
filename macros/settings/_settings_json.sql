{#- The network's settings as a SQL string literal of JSON, for `sqlnn plot` (dbt show --inline). -#}
{% macro _settings_json(network) %}
    {{- return(sqlnn.string_literal(tojson(sqlnn._settings(network)))) -}}
{% endmacro %}
