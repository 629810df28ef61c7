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
    sqlnn.string_literal('sqlnn: network ' ~ nn.network ~ ': training diverged at epoch ' ~ epoch ~ ': '),
    'cast(diverged_count as ' ~ dbt.type_string() ~ ')',
    sqlnn.string_literal(' of '),
    'cast(parameter_count as ' ~ dbt.type_string() ~ ')',
    sqlnn.string_literal(' parameters went NaN, infinite or beyond 1e100 (value or optimizer state); lower learning_rate (now '
        ~ '%g' | format(nn.learning_rate) ~ '), e.g. to ' ~ '%g' | format(nn.learning_rate / 10)),
]) -%}
with updated as (
    {{ parameters_sql | indent(4) }}
),

checked as (
    select
        layer, param, i, j, value, momentum_buffer, exp_avg, exp_avg_sq, best_value, stopped, epoch,
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
    best_value,
    stopped,
    epoch
from checked
{% endmacro %}
