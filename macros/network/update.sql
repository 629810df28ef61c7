{#-
  One optimizer step: new parameters and optimizer state from the previous ones and
  this epoch's gradients, with PyTorch's rules (epoch = step number t, from 1):
    sgd       p = p - lr * g
    momentum  buf = momentum * buf + g;  p = p - lr * buf              (SGD, dampening 0)
    adam      m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
              p = p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
  Constants are folded in Jinja (Python doubles) so every engine sees the same literals.
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
    {%- set step_size = nn.learning_rate / (1.0 - nn.beta1 ** epoch) -%}
    {%- set denominator = 'sqrt(' ~ exp_avg_sq ~ ') / sqrt(' ~ sqlnn.double(1.0 - nn.beta2 ** epoch) ~ ') + ' ~ sqlnn.double(nn.epsilon) -%}
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


{#-
  The divergence guard: the parameters and optimizer state of `parameters_sql` (an
  update's SELECT) pass through unchanged, unless any of them is NaN or infinite, or a
  parameter is beyond 1e100 in magnitude (its square and its products with activations
  would overflow next epoch). Then the query fails with one line naming the epoch and a
  smaller learning rate, so the diverged epoch's table is never written and dbt skips
  the epochs after it instead of training on NaN.
-#}
{% macro stop_on_divergence(epoch, parameters_sql) %}
    {{- return(adapter.dispatch('stop_on_divergence', 'sqlnn')(epoch, parameters_sql)) -}}
{% endmacro %}

{% macro default__stop_on_divergence(epoch, parameters_sql) %}
{%- set nn = sqlnn._settings() -%}
{%- set healthy -%}
    {{ sqlnn.is_finite('value') }} and abs(value) <= {{ sqlnn.double(1e100) }}
    {%- for column in ['momentum_buffer', 'exp_avg', 'exp_avg_sq'] %}
    and {{ sqlnn.is_finite(column) }}
    {%- endfor %}
{%- endset -%}
{%- set message = dbt.concat([
    sqlnn.string_literal('sqlnn: training diverged at epoch ' ~ epoch ~ ': '),
    'cast(diverged_count as ' ~ dbt.type_string() ~ ')',
    sqlnn.string_literal(' of '),
    'cast(parameter_count as ' ~ dbt.type_string() ~ ')',
    sqlnn.string_literal(' parameters went NaN, infinite or beyond 1e100 (value or optimizer state); lower nn_learning_rate (now '
        ~ '%g' | format(nn.learning_rate) ~ '), e.g. to ' ~ '%g' | format(nn.learning_rate / 10)),
]) -%}
with updated as (
    {{ parameters_sql | indent(4) }}
),

checked as (
    select
        layer, param, i, j, value, momentum_buffer, exp_avg, exp_avg_sq, epoch,
        sum(case when {{ healthy }} then 0 else 1 end) over () as diverged_count,
        count(*) over () as parameter_count
    from updated
)

select
    layer,
    param,
    i,
    j,
    case when diverged_count = 0 then value else {{ sqlnn.raise_error(message) }} end as value,
    momentum_buffer,
    exp_avg,
    exp_avg_sq,
    epoch
from checked
{% endmacro %}
