{#- Each training_examples row (train and validation) with its predicted class, predicted label
    and class probabilities (a regression network: its predicted_value): sqlnn.predict applied
    to the examples. -#}
{% macro predictions(params, examples, scaling, vocabulary, classes) %}
    {{- return(adapter.dispatch('predictions', 'sqlnn')(params, examples, scaling, vocabulary, classes)) -}}
{% endmacro %}

{% macro default__predictions(params, examples, scaling, vocabulary, classes) %}
{{ sqlnn.predict(examples, params=params, scaling=scaling, vocabulary=vocabulary, classes=classes) }}
{% endmacro %}

{#- DuckDB list path: the same predictions from the list forward pass (`_list_layers`), each
    example encoded as a list in one pass (`_list_inputs`), instead of predict's long form, whose
    rows x features x units join dominated tall tables (7.5 GB and 70 s at 100k x 20 -> [64]). -#}
{% macro duckdb__predictions(params, examples, scaling, vocabulary, classes) %}
{%- set nn = sqlnn._settings() -%}
{%- if not sqlnn._list_path(nn) -%}{{ return(sqlnn.default__predictions(params, examples, scaling, vocabulary, classes)) }}{%- endif -%}
{%- set n_layers = nn.n_layers -%}
{%- set chunks = sqlnn._list_chunks(nn) -%}
{%- set types = sqlnn._trained_feature_types(nn, vocabulary) -%}
{%- set regression = sqlnn._task(nn, classes) == 'regression' -%}
{%- set class_columns = [] if regression else sqlnn._class_columns(nn, classes) -%}
with params as (
    select layer, param, i, j, value from {{ params }}
),
{{ sqlnn._list_weights(n_layers, 'params') }}
layer_0 as (
    {%- for chunk in range(chunks) %}
    select row_id, value_list as activation_0
    from ({{ sqlnn._list_inputs(examples, vocabulary, scaling, types, nn, where='examples.row_id % ' ~ chunks ~ ' = ' ~ chunk) | indent(8) }}
    ) as inputs
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),
{{ sqlnn._list_layers(nn, 'layer_0') }}
{%- if regression %}
scored as (
    -- the prediction in the label's units: the standardised target undone
    select layer_{{ n_layers }}.row_id, layer_{{ n_layers }}.activation_{{ n_layers }}[1] * target_scaling.scale + target_scaling.center as predicted_value
    from layer_{{ n_layers }}
    cross join (select center, scale from {{ scaling }} where unit = -1) as target_scaling
)

select examples.*, scored.predicted_value
from {{ examples }} as examples
inner join scored on scored.row_id = examples.row_id
{%- else %}
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
    classes.label_value as predicted_label
    {%- for class, column in class_columns %},
    scored.probabilities[{{ class + 1 }}] as {{ adapter.quote(column) }}
    {%- endfor %}
from {{ examples }} as examples
inner join scored on scored.row_id = examples.row_id
inner join {{ classes }} as classes on classes.class = scored.predicted_class
{%- endif %}
{% endmacro %}
