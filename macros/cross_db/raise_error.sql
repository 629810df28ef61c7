{#- What the data checks and the divergence guard need from each engine. -#}

{#-
  An expression that aborts the running query with `message_sql` (a SQL string
  expression) when the engine evaluates it. Use it only in a CASE branch, which every
  engine evaluates lazily, so the query fails exactly when that branch is taken:
  the model's table is not written and dbt skips everything downstream.
-#}
{% macro raise_error(message_sql) %}
    {{- return(adapter.dispatch('raise_error', 'sqlnn')(message_sql)) -}}
{% endmacro %}

{#- DuckDB (and the default): error(message) raises "Invalid Input Error: <message>". -#}
{% macro default__raise_error(message_sql) %}error({{ message_sql }}){% endmacro %}

{% macro bigquery__raise_error(message_sql) %}error({{ message_sql }}){% endmacro %}

{% macro spark__raise_error(message_sql) %}raise_error({{ message_sql }}){% endmacro %}

{#- Databricks SQL is Spark SQL. -#}
{% macro databricks__raise_error(message_sql) %}raise_error({{ message_sql }}){% endmacro %}
