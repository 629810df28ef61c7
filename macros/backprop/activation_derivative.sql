{#- f'(z), from the pre-activation z or the activation a = f(z), whichever is cheaper. -#}
{% macro activation_derivative(pre_activation, activation_value, activation, leaky_relu_slope=0.01) %}
    {{- return(adapter.dispatch('activation_derivative', 'sqlnn')(pre_activation, activation_value, activation, leaky_relu_slope)) -}}
{% endmacro %}

{% macro default__activation_derivative(pre_activation, activation_value, activation, leaky_relu_slope=0.01) -%}
    {%- set z, a = pre_activation, activation_value -%}
    {%- if activation == 'relu' -%}
        case when {{ z }} > 0 then {{ sqlnn.double(1) }} else {{ sqlnn.double(0) }} end
    {%- elif activation == 'leaky_relu' -%}
        case when {{ z }} > 0 then {{ sqlnn.double(1) }} else {{ sqlnn.double(leaky_relu_slope) }} end
    {%- elif activation == 'tanh' -%}
        ({{ sqlnn.double(1) }} - {{ a }} * {{ a }})
    {%- elif activation == 'sigmoid' -%}
        ({{ a }} * ({{ sqlnn.double(1) }} - {{ a }}))
    {%- else -%}
        {{ exceptions.raise_compiler_error("sqlnn: unknown activation '" ~ activation ~ "'") }}
    {%- endif -%}
{%- endmacro %}
