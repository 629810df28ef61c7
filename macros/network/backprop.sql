{#-
  Backpropagation: the gradient of the loss with respect to every parameter.

  delta_<L> = (softmax - onehot(label)) / N is dLoss/dz of the output layer, for the N
  rows of the training split only (the forward pass also scores validation rows); then,
  from the top layer down, for layer l:
    grad W_l = a_{l-1}^T delta_l + reg * W_l      grad b_l = column sums of delta_l
    delta_{l-1} = (delta_l W_l^T) * f'(z_{l-1})
  Output: (layer, param, i, j, gradient) in the same shape as the parameters.
-#}
{% macro backprop(forward, params, examples, features) %}
    {{- return(adapter.dispatch('backprop', 'sqlnn')(forward, params, examples, features)) -}}
{% endmacro %}

{% macro default__backprop(forward, params, examples, features) %}
{%- set nn = sqlnn._settings() -%}
{%- set n_layers = nn.n_layers -%}
with params as (
    select layer, param, i, j, value from {{ params }}
),

forward as (
    select row_id, layer, unit, pre_activation, activation from {{ forward }}
),

activations_0 as (
    select row_id, unit, value as activation from {{ features }}
),
{% for layer in range(1, n_layers) %}
activations_{{ layer }} as (
    select row_id, unit, pre_activation, activation from forward where layer = {{ layer }}
),
{% endfor %}
delta_{{ n_layers }} as (
    -- dLoss/dscores of mean cross-entropy over softmax
    select
        forward.row_id,
        forward.unit,
        (forward.activation - case when forward.unit = examples.label then {{ sqlnn.double(1) }} else {{ sqlnn.double(0) }} end)
            / batch.row_count as delta
    from forward
    inner join {{ examples }} as examples on examples.row_id = forward.row_id
    cross join (
        select cast(count(*) as {{ sqlnn.type_double() }}) as row_count from {{ examples }} where split = 'train'
    ) as batch
    where forward.layer = {{ n_layers }} and examples.split = 'train'
),
{% for layer in range(n_layers, 0, -1) %}
grad_weights_{{ layer }} as (
    select
        inputs.unit as i,
        delta.unit as j,
        sum(inputs.activation * delta.delta) as data_gradient
    from activations_{{ layer - 1 }} as inputs
    inner join delta_{{ layer }} as delta on delta.row_id = inputs.row_id
    group by inputs.unit, delta.unit
),

grad_biases_{{ layer }} as (
    select unit as j, sum(delta) as gradient
    from delta_{{ layer }}
    group by unit
),
{% if layer > 1 %}
delta_{{ layer - 1 }} as (
    -- push delta_{{ layer }} back through W_{{ layer }}, then through the activation of layer {{ layer - 1 }}
    select
        upstream.row_id,
        upstream.unit,
        upstream.gradient * {{ sqlnn.activation_derivative('below.pre_activation', 'below.activation', nn.activation, nn.leaky_relu_slope) }} as delta
    from (
        select delta.row_id, weight.i as unit, sum(delta.delta * weight.value) as gradient
        from delta_{{ layer }} as delta
        inner join params as weight
            on weight.layer = {{ layer }} and weight.param = 'W' and weight.j = delta.unit
        group by delta.row_id, weight.i
    ) as upstream
    inner join activations_{{ layer - 1 }} as below
        on below.row_id = upstream.row_id and below.unit = upstream.unit
),
{% endif %}
{% endfor %}
gradients as (
{% for layer in range(1, n_layers + 1) %}
    select {{ layer }} as layer, 'W' as param, grad.i, grad.j, grad.data_gradient + {{ sqlnn.double(nn.reg) }} * weight.value as gradient
    from grad_weights_{{ layer }} as grad
    inner join params as weight
        on weight.layer = {{ layer }} and weight.param = 'W' and weight.i = grad.i and weight.j = grad.j
    union all
    select {{ layer }} as layer, 'b' as param, 0 as i, j, gradient
    from grad_biases_{{ layer }}
    {% if not loop.last %}union all{% endif %}
{% endfor %}
)

select layer, param, i, j, gradient from gradients
{% endmacro %}
