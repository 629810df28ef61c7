{#-
  DuckDB list path, streaming weight gradients (duckdb__backprop for networks of at most
  `duckdb_streaming_max_weights` weights): memory that does not grow with the rows.

  The forward pass is recomputed per example from training_features' lists (the same
  expressions as duckdb__forward, so the same numbers) instead of regrouping the forward
  table by row; the deltas follow per example; then each weight's gradient
  sum_n a_{l-1}[n, i] * delta_l[n, j] and each bias's sum_n delta_l[n, j] is one SUM in a
  single aggregate, which DuckDB streams: no row ever holds a list of the batch.
  The sums are taken per block of `_streaming_block_rows()` consecutive row ids and the
  blocks' partial sums added in block order, so the number of UNION ALL slices
  (`_list_chunks()`, one per core) does not change which rows are added together; with
  several DuckDB threads a block's own SUM may still add in another order (last bit).
  `sizes`: the layer sizes (_param_layer_sizes); `regression`: whether the output is a
  regression network's prediction (sqlnn._task). Output: the portable shape, (layer, param, i, j, gradient).
-#}
{% macro _streaming_backprop(nn, sizes, params, examples, features, regression=false) %}
{%- set n_layers = nn.n_layers -%}
{%- set chunks = sqlnn._list_chunks(nn) -%}
{%- set block = sqlnn._streaming_block_rows() -%}
{#- offsets into the list of sums: per layer its weights (i * n_out + j), then its biases -#}
{%- set offsets = namespace(next=0, weights=[], biases=[]) -%}
{%- for layer in range(1, n_layers + 1) -%}
    {%- do offsets.weights.append(offsets.next) -%}
    {%- set offsets.next = offsets.next + sizes[layer - 1] * sizes[layer] -%}
    {%- do offsets.biases.append(offsets.next) -%}
    {%- set offsets.next = offsets.next + sizes[layer] -%}
{%- endfor -%}
with params as (
    {{ sqlnn._live_params(params) }}
),
{{ sqlnn._list_weights(n_layers, 'params', forward=true, backward=true) }}
batch as (
    {{ sqlnn._batch_weight(nn, examples) }}
),

layer_0 as (
    -- the training examples: label and features as a list, each in its block of row ids
    {%- for chunk in range(chunks) %}
    select
        features.row_id // {{ block }} as block,
        examples.label,
        examples.target,
        examples.weight,
        features.value_list as activation_0
    from {{ features }} as features
    inner join {{ examples }} as examples on examples.row_id = features.row_id
    where examples.split = 'train' and (features.row_id // {{ block }}) % {{ chunks }} = {{ chunk }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),
{{ sqlnn._list_layers(nn, 'layer_0') }}
{{ sqlnn._list_deltas(nn, 'layer_' ~ n_layers, regression) }}
unit_values as (
    -- each input activation and delta of an example as a column of its own
    select
        block
        {%- for layer in range(1, n_layers + 1) %}
        {%- for i in range(sizes[layer - 1]) %},
        activation_{{ layer - 1 }}[{{ i + 1 }}] as a_{{ layer - 1 }}_{{ i }}
        {%- endfor %}
        {%- for j in range(sizes[layer]) %},
        delta_{{ layer }}[{{ j + 1 }}] as d_{{ layer }}_{{ j }}
        {%- endfor %}
        {%- endfor %}
    from delta_1
),

block_sums as (
    -- one SUM per weight, then one per bias, in the offsets' order
    select
        block,
        [
        {%- for layer in range(1, n_layers + 1) %}
            {%- for i in range(sizes[layer - 1]) %}
            {% for j in range(sizes[layer]) %}sum(a_{{ layer - 1 }}_{{ i }} * d_{{ layer }}_{{ j }}), {% endfor %}
            {%- endfor %}
            {% for j in range(sizes[layer]) %}sum(d_{{ layer }}_{{ j }}){{ ', ' if not (loop.last and layer == n_layers) }}{% endfor %}
        {%- endfor %}
        ] as sums
    from unit_values
    group by block
),

totals as (
    -- the blocks' sums added in block order
    select list_transform(
        range({{ offsets.next }}),
        lambda k: list_sum(list_transform(partial_sums, lambda sums: sums[k + 1]))
    ) as sums
    -- no row when there were no examples (training stopped early): no gradients
    from (select list(sums order by block) as partial_sums from block_sums having count(*) > 0)
),
{% for layer in range(1, n_layers + 1) %}
{%- set n_out = sizes[layer] %}
grad_weights_{{ layer }} as (
    select k // {{ n_out }} as i, k % {{ n_out }} as j, totals.sums[{{ offsets.weights[layer - 1] }} + k + 1] as data_gradient
    from totals
    cross join range({{ sizes[layer - 1] * n_out }}) as weights(k)
),

grad_biases_{{ layer }} as (
    select j, totals.sums[{{ offsets.biases[layer - 1] }} + j + 1] as gradient
    from totals
    cross join range({{ n_out }}) as biases(j)
),
{% endfor %}
gradients as (
{{ sqlnn._regularised_gradients(n_layers, nn.reg) }}
)

select layer, param, i, j, gradient from gradients
order by layer, param, i, j
{% endmacro %}

{#- Rows of consecutive row ids summed together before the blocks are added: small enough
    that every core gets blocks, large enough that the partial sums (one list of every
    weight per block) stay a fraction of the examples. -#}
{% macro _streaming_block_rows() %}
    {{- return(2048) -}}
{% endmacro %}

{#- Private: whether the DuckDB list path gathers the weight gradients (every example's lists in one
    row, then one dot product per weight) instead of streaming them: a network of more than
    `duckdb_streaming_max_weights` weights, or, read from the warehouse, a network whose steps read
    fewer than `duckdb_streaming_min_rows` training rows on average (the network's training rows / `batches`),
    where the gathered lists are small and the streaming aggregate's one SUM per weight costs more to
    plan than to run (the spiral's 300 rows: 22-24 ms gathered, 77-169 ms streaming per backprop).
    One answer for every step of a network: `_forward_is_recomputed` asks it too. `sizes`: _param_layer_sizes.
    The count is asked once per invocation and network, as the stored fingerprints are. -#}
{% macro _gathers_gradients(nn, sizes) %}
    {%- if sqlnn._list_weight_count(sizes) > nn.duckdb_streaming_max_weights -%}{{ return(true) }}{%- endif -%}
    {#- a unit test has no `this`, and no network's table to count -#}
    {%- if nn.duckdb_streaming_min_rows == 0 or not sqlnn._reads_warehouse() or this is none -%}{{ return(false) }}{%- endif -%}
    {%- set counts = sqlnn._kept_for_this_run('training_rows') -%}
    {%- set examples = sqlnn._network_relation(nn, 'training_examples') | string -%}
    {%- if examples not in counts -%}
        {%- set count = 'select count(*) from ' ~ examples ~ ' where split = ' ~ sqlnn.string_literal('train') -%}
        {%- do counts.update({examples: run_query(count).columns[0].values()[0]}) -%}
    {%- endif -%}
    {{ return(counts[examples] / nn.batches < nn.duckdb_streaming_min_rows) }}
{% endmacro %}

{#- Private: whether the current network's backprop recomputes the forward pass from the features
    (the list path's streaming weight gradients) instead of reading the forward model, whose only
    reader in training is then the loss: `epoch_materialization` makes that forward model a view.
    Asked by network_table as it builds a forward model; the layer sizes are the initial parameters'. -#}
{% macro _forward_is_recomputed() %}
    {%- set nn = sqlnn._settings() -%}
    {%- if not sqlnn._list_path(nn) -%}{{ return(false) }}{%- endif -%}
    {%- set answers = sqlnn._kept_for_this_run('forward_is_recomputed') -%}
    {%- if nn.network not in answers -%}
        {%- set sizes = sqlnn._param_layer_sizes(sqlnn._network_relation(nn, 'initial_params'), nn) -%}
        {%- do answers.update({nn.network: not sqlnn._gathers_gradients(nn, sizes)}) -%}
    {%- endif -%}
    {{ return(answers[nn.network]) }}
{% endmacro %}

{#- Private: whether training_features holds the inputs column by column too (the first layer's
    weight gradient gathered over a full batch of a network too wide to stream); otherwise the
    gathered backprop builds them from its rows. training_features and duckdb__backprop decide alike. -#}
{% macro _features_by_column(nn, sizes) %}
    {{- return(nn.batches == 1 and sqlnn._list_weight_count(sizes) > nn.duckdb_streaming_max_weights) -}}
{% endmacro %}
