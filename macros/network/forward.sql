{#-
  Forward pass: every layer's pre-activation z and activation a for every example.

  Layer l (1-based) computes z = a_{l-1} W_l + b_l as a JOIN of the previous layer's
  activations with W_l on the input unit, summed per (row, output unit); the CTE
  `layer_<l>` holds it. Hidden layers apply nn_activation, the output layer softmax.
  Output: (row_id, layer, unit, pre_activation, activation), one row per unit even
  when a ReLU is dead, so backprop still sees it.
-#}
{% macro forward(params, features) %}
    {{- return(adapter.dispatch('forward', 'sqlnn')(params, features)) -}}
{% endmacro %}

{% macro default__forward(params, features) %}
{%- set nn = sqlnn._settings() -%}
{%- set n_layers = nn.n_layers -%}
with params as (
    select layer, param, i, j, value from {{ params }}
),

layer_0 as (
    -- the inputs: feature i of each example is unit i of layer 0
    select row_id, unit, value as activation from {{ features }}
),
{% for layer in range(1, n_layers + 1) %}
layer_{{ layer }}_pre_activation as (
    select
        weighted.row_id,
        weighted.unit,
        weighted.weighted_sum + bias.value as pre_activation
    from (
        select inputs.row_id, weight.j as unit, sum(inputs.activation * weight.value) as weighted_sum
        from layer_{{ layer - 1 }} as inputs
        inner join params as weight
            on weight.layer = {{ layer }} and weight.param = 'W' and weight.i = inputs.unit
        group by inputs.row_id, weight.j
    ) as weighted
    inner join params as bias
        on bias.layer = {{ layer }} and bias.param = 'b' and bias.j = weighted.unit
),
{% if layer < n_layers %}
layer_{{ layer }} as (
    select
        row_id,
        unit,
        pre_activation,
        {{ sqlnn.activate('pre_activation', nn.activation, nn.leaky_relu_slope) }} as activation
    from layer_{{ layer }}_pre_activation
),
{% else %}
layer_{{ layer }}_shifted as (
    -- subtract each row's max score so EXP cannot overflow
    select
        row_id,
        unit,
        pre_activation,
        exp(pre_activation - max(pre_activation) over (partition by row_id)) as exp_shifted
    from layer_{{ layer }}_pre_activation
),

layer_{{ layer }} as (
    -- softmax
    select
        row_id,
        unit,
        pre_activation,
        exp_shifted / sum(exp_shifted) over (partition by row_id) as activation
    from layer_{{ layer }}_shifted
)
{% endif %}
{%- endfor %}

{% for layer in range(1, n_layers + 1) -%}
select row_id, {{ layer }} as layer, unit, pre_activation, activation from layer_{{ layer }}
{% if not loop.last %}union all
{% endif %}
{%- endfor %}
{% endmacro %}
