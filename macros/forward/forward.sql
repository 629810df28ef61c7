{#-
  Forward pass: every layer's pre-activation z and activation a for every example.

  Layer l (1-based) computes z = a_{l-1} W_l + b_l as a JOIN of the previous layer's
  activations with W_l on the input unit, summed per (row, output unit); the CTE
  `layer_<l>` holds it. Hidden layers apply the `activation` setting, the output layer softmax
  (a regression network's one output unit: the identity).
  Output: (row_id, layer, unit, pre_activation, activation), one row per unit even
  when a ReLU is dead, so backprop still sees it.
-#}
{% macro forward(params, features) %}
    {{- return(adapter.dispatch('forward', 'sqlnn')(params, features)) -}}
{% endmacro %}

{% macro default__forward(params, features, network=none) %}
{%- set nn = sqlnn._settings(network) -%}
{%- set n_layers = nn.n_layers -%}
with params as (
    {#- an epoch's parameters (none once early stopping stopped training); predict's are trained_params -#}
    {{ sqlnn._live_params(params) if network is none else 'select layer, param, i, j, value from ' ~ params }}
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
    -- softmax; a single output unit is a regression network's prediction: the score itself
    select
        row_id,
        unit,
        pre_activation,
        case
            when count(*) over (partition by row_id) = 1 then pre_activation
            else exp_shifted / sum(exp_shifted) over (partition by row_id)
        end as activation
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

{#-
  DuckDB list path: the same numbers, computed on lists. Each example's activations are
  one list per layer; each layer's weights are one list per output unit (its input
  weights), so z_j = list_dot_product(a, w_j) + b_j. The per-example work is cut into
  `_list_chunks()` UNION ALL slices so every core works.
  Output: for hidden layers one row per (row_id, layer) with `pre_activation_list` and
  `activation_list` (unit and the scalar columns null); for the output layer the
  portable long form, one row per (row_id, unit), which loss and predictions read.
-#}
{% macro duckdb__forward(params, features) %}
{%- set nn = sqlnn._settings() -%}
{%- if not sqlnn._list_path(nn) -%}{{ return(sqlnn.default__forward(params, features)) }}{%- endif -%}
{%- set n_layers = nn.n_layers -%}
{%- set chunks = sqlnn._list_chunks(nn) -%}
with params as (
    {{ sqlnn._live_params(params) }}
),
{{ sqlnn._list_weights(n_layers, 'params') }}
layer_0 as (
    {%- for chunk in range(chunks) %}
    select row_id, value_list as activation_0 from {{ features }} where row_id % {{ chunks }} = {{ chunk }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),
{{ sqlnn._list_layers(nn, 'layer_0') }}
records as (
    -- every output row of an example in one list, unnested in a single pass
    select
        row_id,
        unnest(
            [
            {%- for layer in range(1, n_layers) %}
                {'layer': {{ layer }}, 'unit': cast(null as bigint), 'pre_activation': cast(null as double), 'activation': cast(null as double),
                 'pre_activation_list': pre_activation_{{ layer }}, 'activation_list': activation_{{ layer }}}{{ ',' if not loop.last }}
            {%- endfor %}
            ]::struct(layer integer, unit bigint, pre_activation double, activation double, pre_activation_list double[], activation_list double[])[]
            || list_transform(
                range(len(pre_activation_{{ n_layers }})),
                lambda unit: {'layer': {{ n_layers }}, 'unit': unit, 'pre_activation': pre_activation_{{ n_layers }}[unit + 1], 'activation': activation_{{ n_layers }}[unit + 1],
                              'pre_activation_list': cast(null as double[]), 'activation_list': cast(null as double[])}
            )
        ) as record
    from layer_{{ n_layers }}
)

select
    row_id,
    record.layer as layer,
    record.unit as unit,
    record.pre_activation as pre_activation,
    record.activation as activation,
    record.pre_activation_list as pre_activation_list,
    record.activation_list as activation_list
from records
{#- no ORDER BY: readers group or sum by row_id, and sorting a tall table's hidden lists
    cost a quarter of the forward pass (1M x 20 -> [64]) -#}
{% endmacro %}
