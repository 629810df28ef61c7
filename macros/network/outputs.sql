{#- The public outputs: training_history, trained_params, predictions. -#}

{% macro training_history(losses) %}
    {{- return(adapter.dispatch('training_history', 'sqlnn')(losses)) -}}
{% endmacro %}

{% macro default__training_history(losses) %}
{%- for loss in losses %}
select epoch, loss, data_loss, reg_loss, accuracy, nonfinite_param_count from {{ loss }}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{% endmacro %}


{% macro trained_params(params) %}
    {{- return(adapter.dispatch('trained_params', 'sqlnn')(params)) -}}
{% endmacro %}

{% macro default__trained_params(params) %}
select
    cast(layer as {{ dbt.type_bigint() }}) as layer,
    cast(param as {{ dbt.type_string() }}) as param,
    cast(i as {{ dbt.type_bigint() }}) as i,
    cast(j as {{ dbt.type_bigint() }}) as j,
    cast(value as {{ sqlnn.type_double() }}) as value
from {{ params }}
{% endmacro %}


{#- Each example with its label, predicted class (highest score, lowest class on ties) and class probabilities. -#}
{% macro predictions(params, examples, features) %}
    {{- return(adapter.dispatch('predictions', 'sqlnn')(params, examples, features)) -}}
{% endmacro %}

{% macro default__predictions(params, examples, features) %}
{%- set nn = sqlnn._settings() -%}
with forward as (
    {{ sqlnn.forward(params, features) | indent(4) }}
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
)

select
    examples.row_id,
    {%- for feature in nn.features %}
    examples.{{ adapter.quote(feature) }},
    {%- endfor %}
    examples.label,
    per_row.predicted_class,
    {%- for class in range(nn.classes) %}
    per_row.probability_{{ class }}{{ ',' if not loop.last }}
    {%- endfor %}
from {{ examples }} as examples
inner join per_row on per_row.row_id = examples.row_id
{% endmacro %}
