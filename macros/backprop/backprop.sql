{#-
  Backpropagation: the gradient of the loss with respect to every parameter.

  delta_<L> = (softmax - onehot(label)) / N is dLoss/dz of the output layer (with class weights
  w_i * (softmax - onehot) / sum of w: macros/data/_class_weights.sql), for the N
  rows of the training split only (the forward pass also scores validation rows); for a
  regression network (prediction - target) / N, the gradient of half the mean squared error; then,
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
{%- set regression = sqlnn._task(nn, sqlnn._examples_relation(examples)) == 'regression' -%}
with params as (
    {{ sqlnn._live_params(params) }}
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
    {%- if regression %}
    -- dLoss/dprediction of half the mean squared error
    select
        forward.row_id,
        forward.unit,
        (forward.activation - examples.target) / batch.row_count as delta
    {%- else %}
    -- dLoss/dscores of mean cross-entropy over softmax
    select
        forward.row_id,
        forward.unit,
        (forward.activation - case when forward.unit = examples.label then {{ sqlnn.double(1) }} else {{ sqlnn.double(0) }} end)
            {{- sqlnn._times_weight(nn, 'examples') }} / batch.row_count as delta
    {%- endif %}
    from forward
    inner join {{ examples }} as examples on examples.row_id = forward.row_id
    cross join (
        {{ sqlnn._batch_weight(nn, examples) }}
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
{%- set upstream %}(
        select delta.row_id, weight.i as unit, sum(delta.delta * weight.value) as gradient
        from delta_{{ layer }} as delta
        inner join params as weight
            on weight.layer = {{ layer }} and weight.param = 'W' and weight.j = delta.unit
        group by delta.row_id, weight.i
    ){% endset %}
delta_{{ layer - 1 }} as (
    -- push delta_{{ layer }} back through W_{{ layer }}, then through the activation of layer {{ layer - 1 }}
{{ sqlnn._delta_through_activation(nn, upstream, 'activations_' ~ (layer - 1)) }}
),
{% endif %}
{% endfor %}
gradients as (
{{ sqlnn._regularised_gradients(n_layers, nn.reg) }}
)

select layer, param, i, j, gradient from gradients
{% endmacro %}

{#-
  DuckDB list path: the same gradients on lists. Each example's deltas are lists
  (delta_{l-1} = list_dot_product of delta_l with each input unit's outgoing weights,
  times f'). A network of at most `duckdb_streaming_max_weights` weights, trained on at
  least `duckdb_streaming_min_rows` rows, takes `_streaming_backprop`: the forward
  recomputed per example and one SUM per weight, so memory stays flat as rows grow.
  A wider one, or a small table (`_gathers_gradients`), gathers the weight gradients: each is
  list_dot_product of two column-major lists over the examples (an input unit's
  activations, an output unit's deltas), so grad W_l is one dot product of length N per
  weight, holding every example's lists in one row. Per-example work and the weight
  gradients are cut into `_list_chunks()` UNION ALL slices so every core works.
  Output: the portable shape, (layer, param, i, j, gradient).
-#}
{% macro duckdb__backprop(forward, params, examples, features) %}
{%- set nn = sqlnn._settings() -%}
{%- if not sqlnn._list_path(nn) -%}{{ return(sqlnn.default__backprop(forward, params, examples, features)) }}{%- endif -%}
{%- set sizes = sqlnn._param_layer_sizes(params, nn) -%}
{%- set regression = sqlnn._task(nn, sqlnn._examples_relation(examples)) == 'regression' -%}
{%- if not sqlnn._gathers_gradients(nn, sizes) -%}
    {{ return(sqlnn._streaming_backprop(nn, sizes, params, examples, features, regression)) }}
{%- endif -%}
{%- set n_layers = nn.n_layers -%}
{%- set chunks = sqlnn._list_chunks(nn) -%}
with params as (
    {{ sqlnn._live_params(params) }}
),
{{ sqlnn._list_weights(n_layers, 'params', forward=false, backward=true) }}
batch as (
    {{ sqlnn._batch_weight(nn, examples) }}
),

per_example as (
    -- one row per training example: its label, output probabilities and hidden layers as lists
    {%- for chunk in range(chunks) %}
    select
        forward.row_id,
        any_value(examples.label) as label,
        any_value(examples.target) as target,
        any_value(examples.weight) as weight,
        {%- for layer in range(1, n_layers) %}
        any_value(forward.pre_activation_list) filter (where forward.layer = {{ layer }}) as pre_activation_{{ layer }},
        any_value(forward.activation_list) filter (where forward.layer = {{ layer }}) as activation_{{ layer }},
        {%- endfor %}
        list(forward.activation order by forward.unit) filter (where forward.layer = {{ n_layers }}) as activation_{{ n_layers }}
    from {{ forward }} as forward
    inner join {{ examples }} as examples on examples.row_id = forward.row_id
    where examples.split = 'train' and forward.row_id % {{ chunks }} = {{ chunk }}
    group by forward.row_id
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),
{{ sqlnn._list_deltas(nn, 'per_example', regression) }}
matrices as (
    -- every per-example list, stacked in row_id order (as training_features' columns), to be read column by column
    select
        {%- for layer in range(1, n_layers + 1) %}
        list(delta_{{ layer }} order by row_id) as delta_{{ layer }},
        {%- endfor %}
        {%- for layer in range(1, n_layers) %}
        list(activation_{{ layer }} order by row_id) as activation_{{ layer }},
        {%- endfor %}
        count(*) as row_count
    from delta_1
    -- no row when there were no examples (training stopped early): no gradients
    having count(*) > 0
),

activation_columns_0 as (
    {%- if sqlnn._features_by_column(nn, sizes) %}
    select unit, value_list from {{ features }} where row_id is null
    {%- else %}
    -- the inputs column by column (training_features holds them only for a full batch of a wide network)
    select units.unit, list(features.value_list[units.unit + 1] order by features.row_id) as value_list
    from {{ features }} as features
    inner join {{ examples }} as examples on examples.row_id = features.row_id
    cross join range({{ sizes[0] }}) as units(unit)
    where examples.split = 'train'
    group by units.unit
    {%- endif %}
),
{% for layer in range(1, n_layers + 1) %}
{%- if layer < n_layers %}
activation_columns_{{ layer }} as (
    select unit, list_transform(matrices.activation_{{ layer }}, lambda example: example[unit + 1]) as value_list
    from matrices
    cross join range({{ nn.hidden[layer - 1] }}) as units(unit)
),
{% endif %}
delta_columns_{{ layer }} as (
    select unit, list_transform(matrices.delta_{{ layer }}, lambda example: example[unit + 1]) as value_list
    from matrices
    {%- if layer < n_layers %}
    cross join range({{ nn.hidden[layer - 1] }}) as units(unit)
    {%- else %}
    -- one column per class: the width of the output layer's deltas
    cross join (select unnest(range(len(delta_{{ layer }}[1]))) as unit from matrices) as units
    {%- endif %}
),

grad_weights_{{ layer }} as (
    {%- for chunk in range(chunks) %}
    select inputs.unit as i, delta.unit as j, list_dot_product(inputs.value_list, delta.value_list) as data_gradient
    from activation_columns_{{ layer - 1 }} as inputs
    cross join delta_columns_{{ layer }} as delta
    where inputs.unit % {{ chunks }} = {{ chunk }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

grad_biases_{{ layer }} as (
    select unit as j, list_sum(value_list) as gradient from delta_columns_{{ layer }}
),
{% endfor %}
gradients as (
{{ sqlnn._regularised_gradients(n_layers, nn.reg) }}
)

select layer, param, i, j, gradient from gradients
order by layer, param, i, j
{% endmacro %}
