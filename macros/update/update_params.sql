{#-
  One optimizer step: new parameters and optimizer state from the previous ones and
  this epoch's gradients, with PyTorch's rules (epoch = step number t, from 1):
    sgd       p = p - lr * g
    momentum  buf = momentum * buf + g;  p = p - lr * buf              (SGD, dampening 0)
    adam      m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
              p = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
  Constants are folded in Jinja (Python doubles) so every engine sees the same literals.
  A network with `init_from` continues the other network's steps: t = its epochs + epoch
  (`_step_offset`), so Adam's bias correction goes on where that training stopped.
  Named update_params, not update: `sqlnn.update` would resolve to the macro
  namespace's own dict.update method.
-#}
{% macro update_params(epoch, params, gradients) %}
    {#- The guard wraps whichever implementation dispatch picks, so adapter fast paths keep it. -#}
    {{- return(sqlnn.stop_on_divergence(epoch, adapter.dispatch('update_params', 'sqlnn')(epoch, params, gradients))) -}}
{% endmacro %}

{% macro default__update_params(epoch, params, gradients) %}
{%- set nn = sqlnn._settings() -%}
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
    {%- set step = epoch + sqlnn._step_offset(nn) -%}
    {%- set step_size = nn.learning_rate / (1.0 - nn.beta1 ** step) -%}
    {%- set denominator = 'sqrt(' ~ exp_avg_sq ~ ') / sqrt(' ~ sqlnn.double(1.0 - nn.beta2 ** step) ~ ') + ' ~ sqlnn.double(nn.epsilon) -%}
    {%- set value = 'p.value - ' ~ sqlnn.double(step_size) ~ ' * ((' ~ exp_avg ~ ') / (' ~ denominator ~ '))' -%}
    {%- set momentum_buffer = zero -%}
{%- endif %}
select
    p.layer,
    p.param,
    p.i,
    p.j,
    {{ value }} as value,
    {{ momentum_buffer }} as momentum_buffer,
    {{ exp_avg }} as exp_avg,
    {{ exp_avg_sq }} as exp_avg_sq,
    {{ epoch }} as epoch
from {{ params }} as p
inner join {{ gradients }} as g
    on g.layer = p.layer and g.param = p.param and g.i = p.i and g.j = p.j
{% endmacro %}

{#- The optimizer steps taken before this network's epoch 1: those of the networks it
    continues (init_from), transitively; 0 without init_from. -#}
{% macro _step_offset(nn) %}
    {%- if nn.init_from is none or not execute -%}{{ return(0) }}{%- endif -%}
    {%- set other = sqlnn._settings(nn.init_from) -%}
    {{ return(other.epochs + sqlnn._step_offset(other)) }}
{% endmacro %}
