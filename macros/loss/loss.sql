{#-
  Loss of one epoch, measured on the parameters that entered it:
  data_loss = mean over training rows of LN(sum_c exp(s_c - max)) - (s_y - max)   (stable cross-entropy)
  reg_loss  = 0.5 * reg * sum of squared weights (biases excluded)
  accuracy  = share of training rows whose highest score is the label (ties: lowest class).
  val_data_loss, val_loss (= val_data_loss + reg_loss, as Keras reports it) and
  val_accuracy are the same on the validation split; NULL when there is none.
  nonfinite_param_count counts NaN/inf parameters, so a test can catch divergence.
  best_epoch, best_val_loss, epochs_without_progress and stopped are the early-stopping state,
  carried from `previous`, the epoch before's loss (macros/update/_early_stopping.sql).
  A regression network's data loss is half the mean squared error of its standardised target
  (scikit-learn's MLPRegressor loss), and its accuracies are NULL.
-#}
{% macro loss(epoch, forward, params, examples, previous=none, batch=none) %}
    {{- return(adapter.dispatch('loss', 'sqlnn')(epoch, forward, params, examples, previous, batch)) -}}
{% endmacro %}

{% macro default__loss(epoch, forward, params, examples, previous=none, batch=none) %}
{%- set nn = sqlnn._settings() -%}
{%- if sqlnn._task(nn, sqlnn._examples_relation(examples)) == 'regression' -%}
    {{ return(sqlnn._squared_error_loss(nn, epoch, forward, params, examples, previous, batch)) }}
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
        max(examples.split) as split,
        max(examples.weight) as weight
    from scores
    inner join {{ examples }} as examples on examples.row_id = scores.row_id
    group by scores.row_id
),

data_term as (
    -- AVG skips the NULLs of the other split, so an empty validation split gives NULL
    select
        {%- if sqlnn._weighted(nn) %}
        -- class weights: the weighted mean (macros/data/_class_weights.sql); accuracy stays unweighted
        sum(case when split = 'train' then weight * row_loss end) / sum(case when split = 'train' then weight end) as data_loss,
        {%- else %}
        avg(case when split = 'train' then row_loss end) as data_loss,
        {%- endif %}
        avg(case when split = 'train' then correct end) as accuracy,
        {%- if sqlnn._weighted(nn) %}
        sum(case when split = 'validation' then weight * row_loss end) / sum(case when split = 'validation' then weight end) as val_data_loss,
        {%- else %}
        avg(case when split = 'validation' then row_loss end) as val_data_loss,
        {%- endif %}
        avg(case when split = 'validation' then correct end) as val_accuracy
    from (
        select
            row_loss,
            split,
            weight,
            case when predicted_class = label then {{ sqlnn.double(1) }} else {{ sqlnn.double(0) }} end as correct
        from per_row
    ) as scored
),

{{ sqlnn._loss_row(nn, epoch, params, previous, batch) }}
{% endmacro %}

{#- Private: the loss of a regression network, in the columns of the classification loss. -#}
{% macro _squared_error_loss(nn, epoch, forward, params, examples, previous=none, batch=none) %}
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

{{ sqlnn._loss_row(nn, epoch, params, previous, batch) }}
{% endmacro %}

{#- Private: the end of both losses, after a CTE `data_term` (data_loss, accuracy, val_data_loss,
    val_accuracy): the L2 term, the non-finite parameters, the early-stopping state and the
    loss model's one row. -#}
{% macro _loss_row(nn, epoch, params, previous=none, batch=none) %}
{%- set step = sqlnn._step(nn, epoch, batch) -%}
reg_term as (
    select
        {{ sqlnn.double(0.5 * nn.reg) }} * sum(case when param = 'W' then value * value else {{ sqlnn.double(0) }} end) as reg_loss,
        sum(case when {{ sqlnn.is_finite('value') }} then 0 else 1 end) as nonfinite_param_count
    from {{ params }}
)

select
    {{ epoch }} as epoch,
    {{ batch or 1 }} as batch,
    {{ step }} as step,
    data_term.data_loss + reg_term.reg_loss as loss,
    data_term.data_loss,
    reg_term.reg_loss,
    data_term.accuracy,
    data_term.val_data_loss + reg_term.reg_loss as val_loss,
    data_term.val_data_loss,
    data_term.val_accuracy,
    reg_term.nonfinite_param_count,
    {{- sqlnn._early_stopping_state(nn, step, '(data_term.val_data_loss + reg_term.reg_loss)', previous) }}
from data_term
cross join reg_term
{%- if previous is not none %}
cross join {{ previous }} as previous
{%- endif %}
{% endmacro %}
