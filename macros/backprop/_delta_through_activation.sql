{#- Private: the delta of a hidden layer's units per row, the gradient that reaches their
    activations (`upstream`: row_id, unit, gradient) times the activation's derivative at the
    layer's pre-activation (`below`: row_id, unit, pre_activation, activation, filtered by
    `below_filter`). Shared by backprop and explain_predict. -#}
{% macro _delta_through_activation(nn, upstream, below, below_filter='') %}
    select
        upstream.row_id,
        upstream.unit,
        upstream.gradient * {{ sqlnn.activation_derivative('below.pre_activation', 'below.activation', nn.activation, nn.leaky_relu_slope) }} as delta
    from {{ upstream }} as upstream
    inner join {{ below }} as below
        on below.row_id = upstream.row_id and below.unit = upstream.unit{{ ' and ' ~ below_filter if below_filter }}
{%- endmacro %}
