{#- The BIGINT a string of at most 15 hexadecimal digits spells (content_checksum sums them). -#}
{% macro hex_to_int(expression) %}
    {{- return(adapter.dispatch('hex_to_int', 'sqlnn')(expression)) -}}
{% endmacro %}

{% macro default__hex_to_int(expression) -%}
    cast(('0x' || {{ expression }}) as {{ dbt.type_bigint() }})
{%- endmacro %}

{% macro bigquery__hex_to_int(expression) -%}
    cast(concat('0x', {{ expression }}) as int64)
{%- endmacro %}

{% macro spark__hex_to_int(expression) -%}
    cast(conv({{ expression }}, 16, 10) as bigint)
{%- endmacro %}
