{#- Hidden-layer activations f(z) and their derivatives f'(z), as SQL expressions. -#}

{% macro activate(pre_activation, activation, leaky_relu_slope=0.01) %}
    {{- return(adapter.dispatch('activate', 'sqlnn')(pre_activation, activation, leaky_relu_slope)) -}}
{% endmacro %}

{% macro default__activate(pre_activation, activation, leaky_relu_slope=0.01) -%}
    {%- set z = pre_activation -%}
    {%- if activation == 'relu' -%}
        case when {{ z }} > 0 then {{ z }} else {{ sqlnn.double(0) }} end
    {%- elif activation == 'leaky_relu' -%}
        case when {{ z }} > 0 then {{ z }} else {{ sqlnn.double(leaky_relu_slope) }} * {{ z }} end
    {%- elif activation == 'tanh' -%}
        tanh({{ z }})
    {%- elif activation == 'sigmoid' -%}
        {#- Two branches so EXP never overflows (BigQuery raises on overflow). -#}
        case when {{ z }} >= 0
            then {{ sqlnn.double(1) }} / ({{ sqlnn.double(1) }} + exp(-{{ z }}))
            else exp({{ z }}) / ({{ sqlnn.double(1) }} + exp({{ z }}))
        end
    {%- else -%}
        {{ exceptions.raise_compiler_error("sqlnn: unknown activation '" ~ activation ~ "'") }}
    {%- endif -%}
{%- endmacro %}
