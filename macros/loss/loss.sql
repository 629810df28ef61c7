{#-
  Loss of one epoch, measured on the parameters that entered it:
  data_loss = mean over training rows of LN(sum_c exp(s_c - max)) - (s_y - max)   (stable cross-entropy)
  reg_loss  = 0.5 * reg * sum of squared weights (biases excluded)
  accuracy  = share of training rows whose highest score is the label (ties: lowest class).
  val_data_loss, val_loss (= val_data_loss + reg_loss, as Keras reports it) and
  val_accuracy are the same on the validation split; NULL when there is none.
  nonfinite_param_count counts NaN/inf parameters, so a test can catch divergence.
  A regression network's data loss is half the mean squared error of its standardised target
  (scikit-learn's MLPRegressor loss), and its accuracies are NULL.
-#}
{% macro loss(epoch, forward, params, examples) %}
    {{- return(adapter.dispatch('loss', 'sqlnn')(epoch, forward, params, examples)) -}}
{% endmacro %}

{% macro default__loss(epoch, forward, params, examples) %}
{%- set nn = sqlnn._settings() -%}
{%- if sqlnn._task(nn, examples) == 'regression' -%}
    {{ return(sqlnn._squared_error_loss(nn, epoch, forward, params, examples)) }}
{%- endif -%}
with scores as (
    select
        row_id,
        unit,
        pre_activation - max(pre_activation) over (partition by row_id) as shifted_score
    from {{ forward }}
    where layer = {{ nn.n_layers }}
),

per_row as (
    select
        scores.row_id,
        {{ sqlnn.ln('sum(exp(scores.shifted_score))') }}
            - max(case when scores.unit = examples.label then scores.shifted_score end) as row_loss,
        -- the top class has shifted score 0; the lowest such unit wins ties
        min(case when scores.shifted_score = 0 then scores.unit end) as predicted_class,
        max(examples.label) as label,
        max(examples.split) as split
    from scores
    inner join {{ examples }} as examples on examples.row_id = scores.row_id
    group by scores.row_id
),

data_term as (
    -- AVG skips the NULLs of the other split, so an empty validation split gives NULL
    select
        avg(case when split = 'train' then row_loss end) as data_loss,
        avg(case when split = 'train' then correct end) as accuracy,
        avg(case when split = 'validation' then row_loss end) as val_data_loss,
        avg(case when split = 'validation' then correct end) as val_accuracy
    from (
        select
            row_loss,
            split,
            case when predicted_class = label then {{ sqlnn.double(1) }} else {{ sqlnn.double(0) }} end as correct
        from per_row
    ) as scored
),

{{ sqlnn._loss_row(nn, epoch, params) }}
{% endmacro %}

{#- Private: the loss of a regression network, in the columns of the classification loss. -#}
{% macro _squared_error_loss(nn, epoch, forward, params, examples) %}
with per_row as (
    select
        examples.split,
        {{ sqlnn.double(0.5) }} * (forward.activation - examples.target) * (forward.activation - examples.target) as row_loss
    from {{ forward }} as forward
    inner join {{ examples }} as examples on examples.row_id = forward.row_id
    where forward.layer = {{ nn.n_layers }}
),

data_term as (
    -- no accuracy: a regression network has no classes
    select
        avg(case when split = 'train' then row_loss end) as data_loss,
        cast(null as {{ sqlnn.type_double() }}) as accuracy,
        avg(case when split = 'validation' then row_loss end) as val_data_loss,
        cast(null as {{ sqlnn.type_double() }}) as val_accuracy
    from per_row
),

{{ sqlnn._loss_row(nn, epoch, params) }}
{% endmacro %}

{#- Private: the end of both losses, after a CTE `data_term` (data_loss, accuracy, val_data_loss,
    val_accuracy): the L2 term, the non-finite parameters and the loss model's one row. -#}
{% macro _loss_row(nn, epoch, params) %}
reg_term as (
    select
        {{ sqlnn.double(0.5 * nn.reg) }} * sum(case when param = 'W' then value * value else {{ sqlnn.double(0) }} end) as reg_loss,
        sum(case when {{ sqlnn.is_finite('value') }} then 0 else 1 end) as nonfinite_param_count
    from {{ params }}
)

select
    {{ epoch }} as epoch,
    data_term.data_loss + reg_term.reg_loss as loss,
    data_term.data_loss,
    reg_term.reg_loss,
    data_term.accuracy,
    data_term.val_data_loss + reg_term.reg_loss as val_loss,
    data_term.val_data_loss,
    data_term.val_accuracy,
    reg_term.nonfinite_param_count
from data_term
cross join reg_term
{% endmacro %}
