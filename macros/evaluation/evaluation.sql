{#-
  Quality of the trained network, per split (train and validation), from the predictions
  model (label, predicted_class, the probability columns, split). The numbers follow
  scikit-learn's metrics: log loss clips probabilities at 1e-15, and a precision, recall
  or F1 whose denominator is 0 is 0. ROC AUC and PR AUC (average precision) are of class 1 for
  two classes, else the mean of each class against the rest (macros/evaluation/_ranking_metrics.sql).
  A regression network's evaluation has other columns:
  mae, mse, rmse, r2 and explained_variance (scikit-learn's definitions, in the label's units).
-#}

{% macro evaluation(predictions, class_metrics, classes) %}
    {{- return(adapter.dispatch('evaluation', 'sqlnn')(predictions, class_metrics, classes)) -}}
{% endmacro %}

{% macro default__evaluation(predictions, class_metrics, classes) %}
{%- set nn = sqlnn._settings() -%}
{%- if sqlnn._task(nn, classes) == 'regression' -%}
    {{ return(sqlnn._regression_evaluation(predictions)) }}
{%- endif -%}
{%- set columns = sqlnn._class_columns(nn, classes) -%}
with scored as (
    select
        split,
        case when predicted_class = label then {{ sqlnn.double(1) }} else {{ sqlnn.double(0) }} end as correct,
        case label
            {%- for class, column in columns %}
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
    macro.macro_f1,
    ranking.roc_auc,
    ranking.pr_auc
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
left join (
    {{ sqlnn._ranking_metrics(predictions, columns) | indent(4) }}
) as ranking on ranking.split = overall.split
{% endmacro %}

{#- Private: per split, the errors of predicted_value against the label (label_value): MAE, MSE,
    RMSE, R^2 = 1 - SS_res / SS_tot and explained variance = 1 - Var(error) / Var(label), with
    the split's own mean (a constant label: R^2 and explained variance 1 if predicted exactly, else 0,
    as scikit-learn). -#}
{% macro _regression_evaluation(predictions) %}
{%- set double = sqlnn.type_double() -%}
with errors as (
    select
        split,
        cast(label_value as {{ double }}) as actual,
        cast(label_value as {{ double }}) - predicted_value as error
    from {{ predictions }}
),

moments as (
    select split, avg(actual) as mean_actual, avg(error) as mean_error
    from errors
    group by split
),

sums as (
    select
        errors.split,
        count(*) as row_count,
        avg(abs(errors.error)) as mae,
        avg(errors.error * errors.error) as mse,
        sum(errors.error * errors.error) as residual_sum,
        sum((errors.actual - moments.mean_actual) * (errors.actual - moments.mean_actual)) as total_sum,
        avg((errors.error - moments.mean_error) * (errors.error - moments.mean_error)) as error_variance,
        avg((errors.actual - moments.mean_actual) * (errors.actual - moments.mean_actual)) as actual_variance
    from errors
    inner join moments on moments.split = errors.split
    group by errors.split
)

select
    split,
    row_count,
    mae,
    mse,
    sqrt(mse) as rmse,
    case
        when total_sum > 0 then {{ sqlnn.double(1) }} - residual_sum / total_sum
        when residual_sum = 0 then {{ sqlnn.double(1) }}
        else {{ sqlnn.double(0) }}
    end as r2,
    case
        when actual_variance > 0 then {{ sqlnn.double(1) }} - error_variance / actual_variance
        when error_variance = 0 then {{ sqlnn.double(1) }}
        else {{ sqlnn.double(0) }}
    end as explained_variance
from sums
{% endmacro %}
