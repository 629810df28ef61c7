{#- The on-run-end hook (sqlnn's dbt_project.yml; dbt runs a package's hooks in the project
    that installs it too): one line per network that ran, how many of its models were reused
    (network_table found them up to date) and how many were built. Runs no SQL. -#}
{% macro reuse_report(results) %}
    {{- return(adapter.dispatch('reuse_report', 'sqlnn')(results)) -}}
{% endmacro %}

{% macro default__reuse_report(results) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set counts = {} -%}
    {%- for result in results if result.node.resource_type == 'model' and result.node.config.materialized == 'network_table' -%}
        {%- set network = (((result.node.config.meta or {}).get('sqlnn') or {}).get('network')) or 'sqlnn' -%}
        {%- set count = counts.setdefault(network, {'reused': 0, 'built': 0, 'not built': 0}) -%}
        {%- set kind = 'reused' if result.message == 'REUSED' else ('built' if result.status == 'success' else 'not built') -%}
        {%- do count.update({kind: count[kind] + 1}) -%}
    {%- endfor -%}
    {%- for network, count in counts | dictsort -%}
        {%- do log('sqlnn: network ' ~ network ~ ': ' ~ count['reused'] ~ ' models reused, ' ~ count['built'] ~ ' recomputed'
            ~ (', ' ~ count['not built'] ~ ' failed or skipped' if count['not built'] else ''), info=true) -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}
