{#-
  Helpers of the DuckDB list path (duckdb__forward, duckdb__backprop,
  duckdb__training_features): vectors are DuckDB lists and a matrix product is
  list_dot_product over them, instead of a JOIN + GROUP BY per multiply-add.
-#}

{#- True unless the network's duckdb_list_path is false (the escape hatch back to the portable long form). -#}
{% macro _list_path(nn=none) %}
    {{- return((nn or sqlnn._settings()).duckdb_list_path) -}}
{% endmacro %}

{#-
  How many slices the per-example work is cut into (row_id % n = k, one UNION ALL
  branch each). DuckDB parallelises a scan by row group (122,880 rows), so a table of
  a few thousand examples is one task and one core; UNION ALL branches run in parallel.
  Default: DuckDB's `threads` setting: the profile's `settings: threads` when it sets one
  (no query), else read from DuckDB when dbt executes.
-#}
{% macro _list_chunks(nn=none) %}
    {%- set chunks = (nn or sqlnn._settings()).duckdb_chunks -%}
    {%- if chunks is none -%}
        {%- set chunks = (target.get('settings') or {}).get('threads') -%}
    {%- endif -%}
    {%- if chunks is none and execute -%}
        {%- set chunks = run_query("select current_setting('threads')").columns[0].values()[0] -%}
    {%- endif -%}
    {{- return([chunks | int, 1] | max) -}}
{% endmacro %}

{#- One row: `weights`, the list of each output unit's input weights (unit order), and `biases`. -#}
{% macro _unit_weights(params, layer) %}
select
    list(weights order by unit) as weights,
    list(bias order by unit) as biases
from (
    select weight.j as unit, list(weight.value order by weight.i) as weights, any_value(bias.value) as bias
    from {{ params }} as weight
    inner join {{ params }} as bias
        on bias.layer = {{ layer }} and bias.param = 'b' and bias.j = weight.j
    where weight.layer = {{ layer }} and weight.param = 'W'
    group by weight.j
)
-- no row without parameters (training stopped early): the epoch then reads no examples
having count(*) > 0
{% endmacro %}

{#- One row: `weights`, the list of each input unit's outgoing weights (input-unit order): W transposed. -#}
{% macro _input_weights(params, layer) %}
select list(weights order by unit) as weights
from (
    select i as unit, list(value order by j) as weights
    from {{ params }}
    where layer = {{ layer }} and param = 'W'
    group by i
)
having count(*) > 0
{% endmacro %}

{#- The weight lists of every layer, as CTEs each followed by a comma: with `forward`,
    `weights_<l>` (`_unit_weights`, for the forward pass); with `backward`, `input_weights_<l>`
    for l >= 2 (`_input_weights`, for pushing deltas down). -#}
{% macro _list_weights(n_layers, params, forward=true, backward=false) %}
{%- if forward %}
{% for layer in range(1, n_layers + 1) %}
weights_{{ layer }} as (
    {{ sqlnn._unit_weights(params, layer) | indent(4) }}
),
{% endfor %}
{%- endif %}
{%- if backward %}
{% for layer in range(2, n_layers + 1) %}
input_weights_{{ layer }} as (
    {{ sqlnn._input_weights(params, layer) | indent(4) }}
),
{% endfor %}
{%- endif %}
{% endmacro %}

{#- The forward pass on lists, as CTEs each followed by a comma: from `source` (one row per
    example with `activation_0`) to `layer_<n_layers>`, whose rows keep every column before
    them and add `pre_activation_<l>` and `activation_<l>` for each layer (the last: softmax, or
    the identity for a regression network's single output). -#}
{% macro _list_layers(nn, source) %}
{%- set n_layers = nn.n_layers -%}
{% for layer in range(1, n_layers + 1) %}
layer_{{ layer }}_pre_activation as (
    select
        inputs.*,
        list_transform(
            weights.weights,
            lambda unit_weights, unit: list_dot_product(inputs.activation_{{ layer - 1 }}, unit_weights) + weights.biases[unit]
        ) as pre_activation_{{ layer }}
    from {{ source if layer == 1 else 'layer_' ~ (layer - 1) }} as inputs
    cross join weights_{{ layer }} as weights
),
{% if layer < n_layers %}
layer_{{ layer }} as (
    select
        *,
        list_transform(pre_activation_{{ layer }}, lambda z: {{ sqlnn.activate('z', nn.activation, nn.leaky_relu_slope) }}) as activation_{{ layer }}
    from layer_{{ layer }}_pre_activation
),
{% else %}
layer_{{ layer }}_max as (
    select *, list_max(pre_activation_{{ layer }}) as max_score from layer_{{ layer }}_pre_activation
),

layer_{{ layer }}_shifted as (
    -- subtract each row's max score so EXP cannot overflow
    select *, list_transform(pre_activation_{{ layer }}, lambda z: exp(z - max_score)) as exp_shifted from layer_{{ layer }}_max
),

layer_{{ layer }}_sum as (
    select *, list_sum(exp_shifted) as exp_sum from layer_{{ layer }}_shifted
),

layer_{{ layer }} as (
    -- softmax; a single output unit is a regression network's prediction: the score itself
    select
        *,
        case
            when len(pre_activation_{{ layer }}) = 1 then pre_activation_{{ layer }}
            else list_transform(exp_shifted, lambda e: e / exp_sum)
        end as activation_{{ layer }}
    from layer_{{ layer }}_sum
),
{% endif %}
{%- endfor %}
{% endmacro %}

{#- Backpropagation on lists, as CTEs each followed by a comma: from `source` (one row per
    training example with `label`, `target` and `weight`, `activation_<n_layers>` (softmax, or a regression
    network's prediction with `regression`) and each hidden layer's
    `pre_activation_<l>`, `activation_<l>`) and `batch` (row_count: the rows, or their weights) to `delta_1`, whose
    rows keep every column before them and add `delta_<l>` (dLoss/dz) for each layer.
    Needs `input_weights_<l>` (`_list_weights(..., backward=true)`). -#}
{% macro _list_deltas(nn, source, regression=false) %}
{%- set n_layers = nn.n_layers -%}
delta_{{ n_layers }} as (
    {%- if regression %}
    -- dLoss/dprediction of half the mean squared error
    select
        examples.*,
        list_transform(activation_{{ n_layers }}, lambda prediction: (prediction - target) / batch.row_count) as delta_{{ n_layers }}
    {%- else %}
    -- dLoss/dscores of mean cross-entropy over softmax
    select
        examples.*,
        list_transform(
            activation_{{ n_layers }},
            lambda probability, unit: (probability - case when unit - 1 = label then {{ sqlnn.double(1) }} else {{ sqlnn.double(0) }} end)
                {{- sqlnn._times_weight(nn, 'examples') }} / batch.row_count
        ) as delta_{{ n_layers }}
    {%- endif %}
    from {{ source }} as examples
    cross join batch
),
{% for layer in range(n_layers, 1, -1) %}
delta_{{ layer - 1 }} as (
    -- push delta_{{ layer }} back through W_{{ layer }}, then through the activation of layer {{ layer - 1 }}
    select
        deltas.*,
        list_transform(
            list_transform(weights.weights, lambda unit_weights: list_dot_product(deltas.delta_{{ layer }}, unit_weights)),
            lambda upstream, unit: upstream * {{ sqlnn.activation_derivative('deltas.pre_activation_' ~ (layer - 1) ~ '[unit]', 'deltas.activation_' ~ (layer - 1) ~ '[unit]', nn.activation, nn.leaky_relu_slope) }}
        ) as delta_{{ layer - 1 }}
    from delta_{{ layer }} as deltas
    cross join input_weights_{{ layer }} as weights
),
{% endfor %}
{% endmacro %}

{#- The number of weights (not biases) of a network of these layer sizes: what decides between
    the streaming and the gathered weight gradients (`duckdb_streaming_max_weights`). -#}
{% macro _list_weight_count(sizes) %}
    {%- set count = namespace(value=0) -%}
    {%- for layer in range(1, sizes | length) -%}
        {%- set count.value = count.value + sizes[layer - 1] * sizes[layer] -%}
    {%- endfor -%}
    {{- return(count.value) -}}
{% endmacro %}

