{#- Explain each prediction of any relation that has the network's feature columns (raw, as
    `predict` takes them): its columns, the prediction (`predicted_class` and `predicted_label`,
    or `predicted_value`), and per feature `attribution_<feature>`, gradient x input:
      attribution_f = sum over f's input units u of x_u * d score / d x_u
    where x_u is the unit's input as the network reads it (standardised, so 0 is the training
    mean; a one-hot 0/1 for a category) and `score` is the predicted class's logit (the
    pre-softmax score) or, for a regression network, the prediction in the label's units.
    As ML.EXPLAIN_PREDICT, next to
    predict: `{{ sqlnn.explain_predict(ref('new_rows'), network='churn') }}`. The gradient is
    backpropagated through the trained parameters in SQL (a delta per row and unit, layer by
    layer, as in backprop). -#}
{% macro explain_predict(relation, network=none, params=none, scaling=none, vocabulary=none, classes=none) %}
    {{- return(adapter.dispatch('explain_predict', 'sqlnn')(relation, network, params, scaling, vocabulary, classes)) -}}
{% endmacro %}

{% macro default__explain_predict(relation, network=none, params=none, scaling=none, vocabulary=none, classes=none) %}
{%- set trained = sqlnn._trained_network(network, params, scaling, vocabulary, classes) -%}
{%- set nn, params, scaling, vocabulary, classes = trained.nn, trained.params, trained.scaling, trained.vocabulary, trained.classes -%}
{%- set types, regression = trained.types, trained.regression -%}
{%- set features = sqlnn._quoted_features(nn) -%}
{%- set n_layers = nn.n_layers -%}
with {{ sqlnn._forward_of_distinct_rows(nn, relation, params, scaling, vocabulary, types) }}
weights as (
    select layer, i, j, value from {{ params }} where param = 'W'
),

explained as (
    -- the unit whose score is explained: the predicted class (highest score, lowest on ties)
    select
        row_id,
        min(case when shifted_score = 0 then unit end) as unit
    from (
        select row_id, unit, pre_activation - max(pre_activation) over (partition by row_id) as shifted_score
        from forward
        where layer = {{ n_layers }}
    ) as scores
    group by row_id
),

delta_{{ n_layers }} as (
    -- d score / d z of the output layer: 1 on the explained unit{{ ' (times the target scale: label units)' if regression }}
    select
        explained.row_id,
        explained.unit,
        {%- if regression %}
        target_scaling.scale as delta
    from explained
    cross join (select scale from {{ scaling }} where unit = -1) as target_scaling
        {%- else %}
        {{ sqlnn.double(1) }} as delta
    from explained
        {%- endif %}
),
{% for layer in range(n_layers, 0, -1) %}
input_gradient_{{ layer - 1 }} as (
    -- d score / d a of layer {{ layer - 1 }}: delta_{{ layer }} back through W_{{ layer }}
    select delta.row_id, weight.i as unit, sum(delta.delta * weight.value) as gradient
    from delta_{{ layer }} as delta
    inner join weights as weight on weight.layer = {{ layer }} and weight.j = delta.unit
    group by delta.row_id, weight.i
),
{% if layer > 1 %}
delta_{{ layer - 1 }} as (
    -- through the activation of layer {{ layer - 1 }}
{{ sqlnn._delta_through_activation(nn, 'input_gradient_' ~ (layer - 1), 'forward', 'below.layer = ' ~ (layer - 1)) }}
),
{% endif %}
{% endfor %}
attributions as (
    -- gradient x input, summed over each feature's input units
    select
        inputs.row_id,
        {%- for feature in nn.features %}
        sum(case when vocabulary.feature = {{ sqlnn.string_literal(feature) }} then inputs.value * gradient.gradient else {{ sqlnn.double(0) }} end)
            as {{ adapter.quote('attribution_' ~ feature) }}{{ ',' if not loop.last }}
        {%- endfor %}
    from input_features as inputs
    inner join input_gradient_0 as gradient on gradient.row_id = inputs.row_id and gradient.unit = inputs.unit
    inner join {{ vocabulary }} as vocabulary on vocabulary.unit = inputs.unit
    group by inputs.row_id
),

explained_rows as (
    select
        {%- for feature in features %}
        scored_features.{{ feature }},
        {%- endfor %}
        {%- if regression %}
        output.activation * target_scaling.scale + target_scaling.center as predicted_value,
        {%- else %}
        explained.unit as predicted_class,
        classes.label_value as predicted_label,
        {%- endif %}
        {%- for feature in nn.features %}
        attributions.{{ adapter.quote('attribution_' ~ feature) }}{{ ',' if not loop.last }}
        {%- endfor %}
    from scored_features
    inner join explained on explained.row_id = scored_features.sqlnn_row_id
    inner join attributions on attributions.row_id = scored_features.sqlnn_row_id
    {%- if regression %}
    inner join forward as output on output.row_id = scored_features.sqlnn_row_id and output.layer = {{ n_layers }}
    cross join (select center, scale from {{ scaling }} where unit = -1) as target_scaling
    {%- else %}
    inner join {{ classes }} as classes on classes.class = explained.unit
    {%- endif %}
)

select
    sqlnn_input.*,
    {%- if regression %}
    explained_rows.predicted_value,
    {%- else %}
    explained_rows.predicted_class,
    explained_rows.predicted_label,
    {%- endif %}
    {%- for feature in nn.features %}
    explained_rows.{{ adapter.quote('attribution_' ~ feature) }}{{ ',' if not loop.last }}
    {%- endfor %}
{{ sqlnn._join_back_to_rows(relation, 'explained_rows', features) }}
{% endmacro %}
