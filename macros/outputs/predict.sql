{#- Score any relation that has the network's feature columns with the trained network:
    its columns, then the predicted class (highest score, lowest class on ties) and each
    class's probability. In your own model: `{{ sqlnn.predict(ref('new_rows'), network='churn') }}`
    (it reads churn_trained_params and churn_feature_scaling). -#}
{% macro predict(relation, network=none, params=none, scaling=none) %}
    {{- return(adapter.dispatch('predict', 'sqlnn')(relation, network, params, scaling)) -}}
{% endmacro %}

{#- Each distinct feature vector is scored once and joined back to the rows on the features,
    so the relation's columns pass through as `*` without listing them: compiling needs no
    warehouse (BigQuery offline) and the relation needs no key. -#}
{% macro default__predict(relation, network=none, params=none, scaling=none) %}
{%- set nn = sqlnn._settings(network) -%}
{%- set params = params if params is not none else ref(nn.network ~ '_trained_params') -%}
{%- set scaling = scaling if scaling is not none else ref(nn.network ~ '_feature_scaling') -%}
{%- set features = [] -%}
{%- for feature in nn.features %}{% do features.append(adapter.quote(feature)) %}{% endfor -%}
with distinct_features as (
    select distinct {{ features | join(', ') }}
    from {{ relation }}
),

scored_features as (
    select *, row_number() over (order by {{ features | join(', ') }}) as sqlnn_row_id
    from distinct_features
),

input_features as (
    {{ sqlnn._scaled_features('scored_features', scaling, row_id='sqlnn_row_id', network=nn.network) | indent(4) }}
),

forward as (
    {#- the long-form forward on every engine: its input here is long form, and DuckDB's
        list path (duckdb__forward) reads training_features' list shape -#}
    {{ sqlnn.default__forward(params, 'input_features', network=nn.network) | indent(4) }}
),

output_layer as (
    select
        row_id,
        unit,
        activation as probability,
        pre_activation - max(pre_activation) over (partition by row_id) as shifted_score
    from forward
    where layer = {{ nn.n_layers }}
),

per_row as (
    select
        row_id,
        min(case when shifted_score = 0 then unit end) as predicted_class,
        {%- for class in range(nn.classes) %}
        max(case when unit = {{ class }} then probability end) as probability_{{ class }}{{ ',' if not loop.last }}
        {%- endfor %}
    from output_layer
    group by row_id
),

predicted as (
    select
        {%- for feature in features %}
        scored_features.{{ feature }},
        {%- endfor %}
        per_row.predicted_class,
        {%- for class in range(nn.classes) %}
        per_row.probability_{{ class }}{{ ',' if not loop.last }}
        {%- endfor %}
    from scored_features
    inner join per_row on per_row.row_id = scored_features.sqlnn_row_id
)

{#- a left join keeps every row; one with a NULL feature matches no scored vector and
    gets NULL predictions -#}
select
    sqlnn_input.*,
    predicted.predicted_class,
    {%- for class in range(nn.classes) %}
    predicted.probability_{{ class }}{{ ',' if not loop.last }}
    {%- endfor %}
from {{ relation }} as sqlnn_input
left join predicted on
    {%- for feature in features %}
    predicted.{{ feature }} = sqlnn_input.{{ feature }}{{ ' and' if not loop.last }}
    {%- endfor %}
{% endmacro %}
