{#-
  Class weights (setting class_weight): `balanced`, BigQuery ML's AUTO_CLASS_WEIGHTS (scikit-learn's
  'balanced'): class c weighs N / (C * N_c) over the training split's N rows, C classes and N_c rows
  of c; or explicit, {label value: weight} (unlisted classes weigh 1). training_examples gives each
  row its class's `weight`. The loss is then the weighted mean, sum(w_i * loss_i) / sum(w_i), on
  each split (PyTorch's CrossEntropyLoss(weight=...)), so equal scores still give ln(C), and the
  output delta is w_i * (softmax - onehot) / sum of the training split's w. Without the setting
  every weight is 1 and the loss and gradient are the plain means (their SQL unchanged).
-#}

{#- Private: whether the network weighs its classes. -#}
{% macro _weighted(nn) %}
    {{- return(nn.class_weight is not none) -}}
{% endmacro %}

{#- Private: the CTE body of the weight of each class, (label, weight), from `rows` (label, split)
    and the classes model (class, class_name). -#}
{% macro _class_weight_rows(nn, rows, classes) %}
{%- set double = sqlnn.type_double() -%}
{%- if nn.class_weight == 'balanced' %}
    select
        label,
        cast(sum(count(*)) over () as {{ double }}) / (cast(count(*) over () as {{ double }}) * cast(count(*) as {{ double }})) as weight
    from {{ rows }}
    where split = 'train'
    group by label
{%- else %}
    select
        class as label,
        case class_name
            {%- for value, weight in nn.class_weight.items() %}
            when {{ sqlnn.string_literal(sqlnn._label_text(value)) }} then {{ sqlnn.double(weight | float) }}
            {%- endfor %}
            else {{ sqlnn.double(1) }}
        end as weight
    from {{ classes }}
{%- endif %}
{% endmacro %}

{#- Private: a label value written in the settings as the classes model's class_name spells it
    (YAML's booleans as 'true' / 'false'). -#}
{% macro _label_text(value) %}
    {{- return(('true' if value else 'false') if value is boolean else value | string) -}}
{% endmacro %}

{#- Private: the normaliser of the output delta, one row `row_count`: the training split's rows, or
    the sum of their weights. -#}
{% macro _batch_weight(nn, examples) -%}
    select cast({{ 'sum(weight)' if sqlnn._weighted(nn) else 'count(*)' }} as {{ sqlnn.type_double() }}) as row_count from {{ examples }} where split = 'train'
{%- endmacro %}

{#- Private: ` * <alias>.weight` when the network weighs its classes, else nothing. -#}
{% macro _times_weight(nn, alias) -%}
    {{- ' * ' ~ alias ~ '.weight' if sqlnn._weighted(nn) else '' -}}
{%- endmacro %}
