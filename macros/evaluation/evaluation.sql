{#-
  Quality of the trained network, per split (train and validation), from the predictions
  model (label, predicted_class, the probability columns, split). The numbers follow
  scikit-learn's metrics: log loss clips probabilities at 1e-15, and a precision, recall
  or F1 whose denominator is 0 is 0.
-#}

{% macro evaluation(predictions, class_metrics, classes) %}
    {{- return(adapter.dispatch('evaluation', 'sqlnn')(predictions, class_metrics, classes)) -}}
{% endmacro %}

{% macro default__evaluation(predictions, class_metrics, classes) %}
{%- set nn = sqlnn._settings() -%}
with scored as (
    select
        split,
        case when predicted_class = label then {{ sqlnn.double(1) }} else {{ sqlnn.double(0) }} end as correct,
        case label
            {%- for class, column in sqlnn._class_columns(nn, classes) %}
            when {{ class }} then {{ adapter.quote(column) }}
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
