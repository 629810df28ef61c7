{#- Score any relation that has the network's feature columns, raw as in the training table
    (NULLs and categories it has never seen included), with the trained network: its columns,
    then `predicted_class` (the class number, highest score, lowest class on ties),
    `predicted_label` (that class's label value, as the label column holds it) and one
    probability column per class, named for the class (`probability_benign`; the rule:
    sqlnn._class_columns). A regression network (sqlnn._task) gives `predicted_value` instead,
    in the label's units. In your own model: `{{ sqlnn.predict(ref('new_rows'), network='churn') }}`
    (it reads churn_trained_params, churn_vocabulary, churn_feature_scaling and churn_classes). -#}
{% macro predict(relation, network=none, params=none, scaling=none, vocabulary=none, classes=none) %}
    {{- return(adapter.dispatch('predict', 'sqlnn')(relation, network, params, scaling, vocabulary, classes)) -}}
{% endmacro %}

{#- Each distinct feature vector is scored once and joined back to the rows on the features
    (NULL matching NULL), so the relation's columns pass through as `*` without listing them:
    compiling needs no warehouse (BigQuery offline) and the relation needs no key. -#}
{% macro default__predict(relation, network=none, params=none, scaling=none, vocabulary=none, classes=none) %}
{%- set trained = sqlnn._trained_network(network, params, scaling, vocabulary, classes) -%}
{%- set nn, params, scaling, vocabulary, classes = trained.nn, trained.params, trained.scaling, trained.vocabulary, trained.classes -%}
{%- set types, regression = trained.types, trained.regression -%}
{%- set class_columns = [] if regression else sqlnn._class_columns(nn, classes) -%}
{%- set features = sqlnn._quoted_features(nn) -%}
with {{ sqlnn._forward_of_distinct_rows(nn, relation, params, scaling, vocabulary, types) }}
{%- if regression %}
predicted as (
    -- the prediction in the label's units: the standardised target undone
    select
        {%- for feature in features %}
        scored_features.{{ feature }},
        {%- endfor %}
        forward.activation * target_scaling.scale + target_scaling.center as predicted_value
    from scored_features
    inner join forward on forward.row_id = scored_features.sqlnn_row_id and forward.layer = {{ nn.n_layers }}
    cross join (select center, scale from {{ scaling }} where unit = -1) as target_scaling
)
{%- else %}
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
        {%- for class, column in class_columns %}
        max(case when unit = {{ class }} then probability end) as {{ adapter.quote(column) }},
        {%- endfor %}
        min(case when shifted_score = 0 then unit end) as predicted_class
    from output_layer
    group by row_id
),

predicted as (
    select
        {%- for feature in features %}
        scored_features.{{ feature }},
        {%- endfor %}
        per_row.predicted_class,
        classes.label_value as predicted_label
        {%- for class, column in class_columns %},
        per_row.{{ adapter.quote(column) }}
        {%- endfor %}
    from scored_features
    inner join per_row on per_row.row_id = scored_features.sqlnn_row_id
    inner join {{ classes }} as classes on classes.class = per_row.predicted_class
)
{%- endif %}

{#- a left join keeps every row; one whose numeric feature is NULL without `impute` gets
    NULL predictions -#}
select
    sqlnn_input.*,
    {%- if regression %}
    predicted.predicted_value
    {%- else %}
    predicted.predicted_class,
    predicted.predicted_label
    {%- endif %}
    {%- for class, column in class_columns %},
    predicted.{{ adapter.quote(column) }}
    {%- endfor %}
{{ sqlnn._join_back_to_rows(relation, 'predicted', features) }}
{% endmacro %}

{#- Private: `relation`'s rows (as sqlnn_input), each left-joined to the result `scored` computed for
    its distinct feature vector (features NULL-safe equal). Shared by predict and explain_predict. -#}
{% macro _join_back_to_rows(relation, scored, features) -%}
from {{ relation }} as sqlnn_input
left join {{ scored }} on
    {%- for feature in features %}
    {{ sqlnn.null_safe_equals(scored ~ '.' ~ feature, 'sqlnn_input.' ~ feature) }}{{ ' and' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- Private: the CTEs, each followed by a comma, that score each distinct feature vector of
    `relation` once: distinct_features, scored_features (with `sqlnn_row_id`), typed_features,
    input_features (layer 0, long form) and forward (every layer, long form). Shared by predict
    and explain_predict. -#}
{% macro _forward_of_distinct_rows(nn, relation, params, scaling, vocabulary, types) %}
{%- set features = sqlnn._quoted_features(nn) -%}
distinct_features as (
    select distinct {{ features | join(', ') }}
    from {{ relation }}
),

scored_features as (
    select *, row_number() over (order by {{ features | join(' asc nulls first, ') }} asc nulls first) as sqlnn_row_id
    from distinct_features
),

typed_features as (
    select
        sqlnn_row_id,
        {%- for feature in nn.features %}
        {{ sqlnn._typed_feature(adapter.quote(feature), types[feature]) }} as {{ adapter.quote(feature) }}{{ ',' if not loop.last }}
        {%- endfor %}
    from scored_features
),

input_features as (
    {{ sqlnn._scaled_features('typed_features', vocabulary, scaling, types, row_id='sqlnn_row_id', network=nn.network) | indent(4) }}
),

forward as (
    {#- the long-form forward on every engine: its input here is long form, and DuckDB's
        list path (duckdb__forward) reads training_features' list shape -#}
    {{ sqlnn.default__forward(params, 'input_features', network=nn.network) | indent(4) }}
),
{% endmacro %}

{#- Private: the network's feature columns, quoted for the engine. -#}
{% macro _quoted_features(nn) %}
    {%- set features = [] -%}
    {%- for feature in nn.features %}{% do features.append(adapter.quote(feature)) %}{% endfor -%}
    {{ return(features) }}
{% endmacro %}
