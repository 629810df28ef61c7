{#-
  Quality of the trained network, per split (train and validation), from the predictions
  model (label, predicted_class, probability_<k>, split). The numbers follow
  scikit-learn's metrics: log loss clips probabilities at 1e-15, and a precision, recall
  or F1 whose denominator is 0 is 0.
-#}

{% macro evaluation_metrics(predictions, class_metrics) %}
    {{- return(adapter.dispatch('evaluation_metrics', 'sqlnn')(predictions, class_metrics)) -}}
{% endmacro %}

{% macro default__evaluation_metrics(predictions, class_metrics) %}
{%- set nn = sqlnn._settings() -%}
with scored as (
    select
        split,
        case when predicted_class = label then {{ sqlnn.double(1) }} else {{ sqlnn.double(0) }} end as correct,
        case label
            {%- for class in range(nn.classes) %}
            when {{ class }} then probability_{{ class }}
            {%- endfor %}
        end as label_probability
    from {{ predictions }}
)

select
    overall.split,
    overall.row_count,
    overall.accuracy,
    overall.log_loss,
    macro.macro_precision,
    macro.macro_recall,
    macro.macro_f1
from (
    select
        split,
        count(*) as row_count,
        avg(correct) as accuracy,
        -avg({{ sqlnn.ln('case when label_probability > ' ~ sqlnn.double(1e-15) ~ ' then label_probability else ' ~ sqlnn.double(1e-15) ~ ' end') }}) as log_loss
    from scored
    group by split
) as overall
inner join (
    select split, avg(precision) as macro_precision, avg(recall) as macro_recall, avg(f1) as macro_f1
    from {{ class_metrics }}
    group by split
) as macro on macro.split = overall.split
{% endmacro %}


{% macro class_metrics(confusion_matrix) %}
    {{- return(adapter.dispatch('class_metrics', 'sqlnn')(confusion_matrix)) -}}
{% endmacro %}

{% macro default__class_metrics(confusion_matrix) %}
with per_class as (
    select
        split,
        class,
        sum(case when actual_class = class then row_count else 0 end) as support,
        sum(case when predicted_class = class then row_count else 0 end) as predicted_count,
        sum(case when actual_class = class and predicted_class = class then row_count else 0 end) as true_positives
    from {{ confusion_matrix }} as counts
    cross join (select distinct actual_class as class from {{ confusion_matrix }}) as classes
    group by split, class
),

rates as (
    select
        split,
        class,
        support,
        predicted_count,
        true_positives,
        case when predicted_count > 0 then cast(true_positives as {{ sqlnn.type_double() }}) / predicted_count else {{ sqlnn.double(0) }} end as precision,
        case when support > 0 then cast(true_positives as {{ sqlnn.type_double() }}) / support else {{ sqlnn.double(0) }} end as recall
    from per_class
)

select
    split,
    class,
    support,
    predicted_count,
    true_positives,
    precision,
    recall,
    case when precision + recall > 0 then {{ sqlnn.double(2) }} * precision * recall / (precision + recall) else {{ sqlnn.double(0) }} end as f1
from rates
{% endmacro %}


{#- Every (split, actual class, predicted class) cell, zeros included. -#}
{% macro confusion_matrix(predictions) %}
    {{- return(adapter.dispatch('confusion_matrix', 'sqlnn')(predictions)) -}}
{% endmacro %}

{% macro default__confusion_matrix(predictions) %}
{%- set nn = sqlnn._settings() -%}
with classes as (
    {%- for class in range(nn.classes) %}
    select {{ class }} as class
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

cells as (
    select splits.split, actual.class as actual_class, predicted.class as predicted_class
    from (select distinct split from {{ predictions }}) as splits
    cross join classes as actual
    cross join classes as predicted
)

select
    cells.split,
    cells.actual_class,
    cells.predicted_class,
    count(scored.label) as row_count
from cells
left join {{ predictions }} as scored
    on scored.split = cells.split and scored.label = cells.actual_class and scored.predicted_class = cells.predicted_class
group by cells.split, cells.actual_class, cells.predicted_class
{% endmacro %}
