{#-
  One optimizer step: new parameters and optimizer state from the previous ones and
  this step's gradients, with PyTorch's rules (t: the step, from 1; the epoch in full batch,
  (epoch - 1) * batches + batch with mini-batches):
    sgd       p = p - lr * g
    momentum  buf = momentum * buf + g;  p = p - lr * buf              (SGD, dampening 0)
    adam      m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
              p = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
  Constants are folded in Jinja (Python doubles) so every engine sees the same literals.
  A network with `init_from` continues the other network's steps: t = its steps + this one's
  (`_step_offset`), so Adam's bias correction goes on where that training stopped.
  `loss` is this epoch's loss model, for early stopping (macros/update/_early_stopping.sql):
  once it says `stopped`, the parameters and optimizer state pass through unchanged, and
  `best_value` keeps the parameters that entered its `best_epoch`. Without it (a hand-written
  chain) every step trains and best_value is the value.
  Named update_params, not update: `sqlnn.update` would resolve to the macro
  namespace's own dict.update method.
-#}
{% macro update_params(epoch, params, gradients, loss=none, batch=none) %}
    {#- The guard wraps whichever implementation dispatch picks, so adapter fast paths keep it. -#}
    {%- set where = epoch if batch is none else epoch ~ ', batch ' ~ batch -%}
    {{- return(sqlnn.stop_on_divergence(where, adapter.dispatch('update_params', 'sqlnn')(epoch, params, gradients, loss, batch))) -}}
{% endmacro %}

{% macro default__update_params(epoch, params, gradients, loss=none, batch=none) %}
{%- set nn = sqlnn._settings() -%}
{%- set step = sqlnn._step(nn, epoch, batch) -%}
{%- set zero = sqlnn.double(0) -%}
{%- if nn.optimizer == 'sgd' -%}
    {%- set value = 'p.value - ' ~ sqlnn.double(nn.learning_rate) ~ ' * g.gradient' -%}
    {%- set momentum_buffer, exp_avg, exp_avg_sq = zero, zero, zero -%}
{%- elif nn.optimizer == 'momentum' -%}
    {%- set momentum_buffer = sqlnn.double(nn.momentum) ~ ' * p.momentum_buffer + g.gradient' -%}
    {%- set value = 'p.value - ' ~ sqlnn.double(nn.learning_rate) ~ ' * (' ~ momentum_buffer ~ ')' -%}
    {%- set exp_avg, exp_avg_sq = zero, zero -%}
{%- elif nn.optimizer == 'adam' -%}
    {%- set exp_avg = sqlnn.double(nn.beta1) ~ ' * p.exp_avg + ' ~ sqlnn.double(1.0 - nn.beta1) ~ ' * g.gradient' -%}
    {%- set exp_avg_sq = sqlnn.double(nn.beta2) ~ ' * p.exp_avg_sq + ' ~ sqlnn.double(1.0 - nn.beta2) ~ ' * g.gradient * g.gradient' -%}
    {%- set t = step + sqlnn._step_offset(nn) -%}
    {%- set step_size = nn.learning_rate / (1.0 - nn.beta1 ** t) -%}
    {%- set denominator = 'sqrt(' ~ exp_avg_sq ~ ') / sqrt(' ~ sqlnn.double(1.0 - nn.beta2 ** t) ~ ') + ' ~ sqlnn.double(nn.epsilon) -%}
    {%- set value = 'p.value - ' ~ sqlnn.double(step_size) ~ ' * ((' ~ exp_avg ~ ') / (' ~ denominator ~ '))' -%}
    {%- set momentum_buffer = zero -%}
{%- endif %}
{%- if loss is none %}
select
    p.layer,
    p.param,
    p.i,
    p.j,
    {{ value }} as value,
    {{ momentum_buffer }} as momentum_buffer,
    {{ exp_avg }} as exp_avg,
    {{ exp_avg_sq }} as exp_avg_sq,
    {{ value }} as best_value,
    false as stopped,
    {{ epoch }} as epoch
from {{ params }} as p
inner join {{ gradients }} as g
    on g.layer = p.layer and g.param = p.param and g.i = p.i and g.j = p.j
{%- else %}
select
    p.layer,
    p.param,
    p.i,
    p.j,
    {%- for column, stepped in [('value', value), ('momentum_buffer', momentum_buffer), ('exp_avg', exp_avg), ('exp_avg_sq', exp_avg_sq)] %}
    case when monitor.stopped then p.{{ column }} else {{ stepped }} end as {{ column }},
    {%- endfor %}
    -- the loss model measured the parameters that entered this epoch: p
    case when monitor.best_epoch = {{ step }} then p.value else p.best_value end as best_value,
    monitor.stopped,
    {{ epoch }} as epoch
from {{ params }} as p
cross join {{ loss }} as monitor
-- a stopped epoch has no gradients (its backprop read no examples)
left join {{ gradients }} as g
    on g.layer = p.layer and g.param = p.param and g.i = p.i and g.j = p.j
{%- endif %}
{% endmacro %}

{#- The optimizer steps taken before this network's step 1: those of the networks it
    continues (init_from), transitively; 0 without init_from. -#}
{% macro _step_offset(nn) %}
    {%- if nn.init_from is none or not execute -%}{{ return(0) }}{%- endif -%}
    {%- set other = sqlnn._settings(nn.init_from) -%}
    {{ return(other.epochs * other.batches + sqlnn._step_offset(other)) }}
{% endmacro %}
