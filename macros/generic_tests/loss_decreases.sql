{#-
  Fails on every epoch whose loss rose by more than `max_increase` (relative to the epoch
  before; with strict=true it must fall), on every non-finite loss, and, when
  `max_final_ratio` is set, when the last loss is above max_final_ratio * the first.
  With `network`, the two gates default to that network's `max_loss_increase` and
  `max_final_loss_ratio` settings, and for a network of mini-batches (`batches` > 1) the
  checked loss of an epoch is the mean of its batches' losses (each step's loss is that of
  its own batch, which rises and falls with the batch), as Keras reports an epoch's loss.
-#}
{% test loss_decreases(model, column_name='loss', order_by='epoch', max_increase=none, strict=false, max_final_ratio=none, network=none) %}
    {{ return(adapter.dispatch('test_loss_decreases', 'sqlnn')(model, column_name, order_by, max_increase, strict, max_final_ratio, network)) }}
{% endtest %}

{% macro default__test_loss_decreases(model, column_name, order_by, max_increase, strict, max_final_ratio, network=none) %}
{%- if network is not none -%}
    {%- set nn = sqlnn._settings(network) -%}
    {%- set max_increase = nn.max_loss_increase if max_increase is none else max_increase -%}
    {%- set max_final_ratio = nn.max_final_loss_ratio if max_final_ratio is none else max_final_ratio -%}
{%- endif -%}
{%- set max_increase = 0.0 if max_increase is none else max_increase -%}
{%- set per_epoch = network is not none and nn.batches > 1 and order_by == 'epoch' -%}
with history as (
    select
        step,
        loss,
        lag(loss) over (order by step) as previous_loss,
        first_value(loss) over (order by step rows between unbounded preceding and unbounded following) as first_loss,
        last_value(loss) over (order by step rows between unbounded preceding and unbounded following) as last_loss,
        row_number() over (order by step desc) as steps_from_end
    from (
        {%- if per_epoch %}
        -- a NULL batch loss (after an early stop) leaves its epoch's mean NULL: reported below
        select epoch as step, case when count(*) = count({{ column_name }}) then avg({{ column_name }}) end as loss
        from {{ model }}
        group by epoch
        {%- else %}
        select {{ order_by }} as step, {{ column_name }} as loss from {{ model }}
        {%- endif %}
    ) as checked
)

select step, loss, previous_loss, 'not finite' as failure
from history
where not {{ sqlnn.is_finite('loss') }} or loss is null

union all

select step, loss, previous_loss, 'rose' as failure
from history
where previous_loss is not null
    -- a non-finite loss is reported above; NaN comparisons differ between engines
    and {{ sqlnn.is_finite('loss') }} and {{ sqlnn.is_finite('previous_loss') }}
    and loss {{ '>=' if strict else '>' }} previous_loss * {{ sqlnn.double(1.0 + max_increase | float) }}

{%- if max_final_ratio is not none %}

union all

select step, loss, first_loss as previous_loss, 'final loss above {{ max_final_ratio }} x first' as failure
from history
where steps_from_end = 1
    and not (last_loss <= first_loss * {{ sqlnn.double(max_final_ratio) }})
{%- endif %}
{% endmacro %}
