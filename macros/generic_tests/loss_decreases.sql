{#-
  Fails on every epoch whose loss rose by more than `max_increase` (relative to the epoch
  before; with strict=true it must fall), on every non-finite loss, and, when
  `max_final_ratio` is set, when the last loss is above max_final_ratio * the first.
  With `network`, the two gates default to that network's `max_loss_increase` and
  `max_final_loss_ratio` settings.
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
with history as (
    select
        {{ order_by }} as step,
        {{ column_name }} as loss,
        lag({{ column_name }}) over (order by {{ order_by }}) as previous_loss,
        first_value({{ column_name }}) over (order by {{ order_by }} rows between unbounded preceding and unbounded following) as first_loss,
        last_value({{ column_name }}) over (order by {{ order_by }} rows between unbounded preceding and unbounded following) as last_loss,
        row_number() over (order by {{ order_by }} desc) as steps_from_end
    from {{ model }}
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
