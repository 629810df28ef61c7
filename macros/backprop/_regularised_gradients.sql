{#- Both paths end alike: weight gradients get the L2 term reg * W, bias gradients pass through. -#}
{% macro _regularised_gradients(n_layers, reg) %}
{% for layer in range(1, n_layers + 1) %}
    select {{ layer }} as layer, 'W' as param, grad.i, grad.j, grad.data_gradient + {{ sqlnn.double(reg) }} * weight.value as gradient
    from grad_weights_{{ layer }} as grad
    inner join params as weight
        on weight.layer = {{ layer }} and weight.param = 'W' and weight.i = grad.i and weight.j = grad.j
    union all
    select {{ layer }} as layer, 'b' as param, 0 as i, j, gradient
    from grad_biases_{{ layer }}
    {% if not loop.last %}union all{% endif %}
{% endfor %}
{% endmacro %}
