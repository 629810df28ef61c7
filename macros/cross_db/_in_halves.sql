{#- Private: the expressions `terms` joined by `+` or concatenated ('concat'), as a balanced tree of
    halves: its depth grows with the log of their number, not the number. A table of hundreds of
    columns needs it: a chain of + or || that long is deeper than parsers allow (DuckDB: 1000 levels). -#}
{% macro _in_halves(terms, joined) %}
    {#- parenthesised: an engine's concat may be an infix || -#}
    {%- if terms | length <= 8 -%}
        {{- return('(' ~ (dbt.concat(terms) if joined == 'concat' else terms | join(' + ')) ~ ')') -}}
    {%- endif -%}
    {%- set half = (terms | length) // 2 -%}
    {%- set halves = [sqlnn._in_halves(terms[:half], joined), sqlnn._in_halves(terms[half:], joined)] -%}
    {{- return('(' ~ (dbt.concat(halves) if joined == 'concat' else halves | join(' + ')) ~ ')') -}}
{% endmacro %}
