{#- Each training_examples row (train and validation) with its predicted class and class probabilities. -#}
{% macro predictions(params, examples, scaling) %}
    {{- return(adapter.dispatch('predictions', 'sqlnn')(params, examples, scaling)) -}}
{% endmacro %}

{% macro default__predictions(params, examples, scaling) %}
{{ sqlnn.predict(examples, params=params, scaling=scaling) }}
{% endmacro %}

{#- DuckDB list path: the same predictions from the list forward pass (`_list_layers`), each
    example standardised as a list in one pass, instead of predict's long form, whose
    rows x features x units join dominated tall tables (7.5 GB and 70 s at 100k x 20 -> [64]). -#}
{% macro duckdb__predictions(params, examples, scaling) %}
{%- set nn = sqlnn._settings() -%}
{%- if not sqlnn._list_path(nn) -%}{{ return(sqlnn.default__predictions(params, examples, scaling)) }}{%- endif -%}
{%- set n_layers = nn.n_layers -%}
{%- set chunks = sqlnn._list_chunks(nn) -%}
with params as (
    select layer, param, i, j, value from {{ params }}
),
{{ sqlnn._list_weights(n_layers, 'params') }}
scaling as (
    select list(center order by unit) as centers, list(scale order by unit) as scales from {{ scaling }}
),

layer_0 as (
    -- (x - center) / scale, as _scaled_features computes it
    {%- for chunk in range(chunks) %}
    select
        examples.row_id,
        [
            {%- for feature in nn.features %}
            (cast(examples.{{ adapter.quote(feature) }} as {{ sqlnn.type_double() }}) - scaling.centers[{{ loop.index }}]) / scaling.scales[{{ loop.index }}]{{ ',' if not loop.last }}
            {%- endfor %}
        ] as activation_0
    from {{ examples }} as examples
    cross join scaling
    where examples.row_id % {{ chunks }} = {{ chunk }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),
{{ sqlnn._list_layers(nn, 'layer_0') }}
scored as (
    -- the highest score's class, the lowest class on ties
    select
        row_id,
        cast(list_position(pre_activation_{{ n_layers }}, max_score) - 1 as bigint) as predicted_class,
        activation_{{ n_layers }} as probabilities
    from layer_{{ n_layers }}
)

select
    examples.*,
    scored.predicted_class,
    {%- for class in range(nn.classes) %}
    scored.probabilities[{{ class + 1 }}] as probability_{{ class }}{{ ',' if not loop.last }}
    {%- endfor %}
from {{ examples }} as examples
inner join scored on scored.row_id = examples.row_id
{% endmacro %}
