{% macro trained_params(params) %}
    {{- return(adapter.dispatch('trained_params', 'sqlnn')(params)) -}}
{% endmacro %}

{#- The last update's parameters, or with early_stopping the best epoch's (best_value; macros/update/_early_stopping.sql). -#}
{% macro default__trained_params(params) %}
{%- set nn = sqlnn._settings() -%}
{#- the optimizer state too, so another network can continue this one's training (init_from) -#}
select
{{ sqlnn._params_columns(state=true) }}
from (
    select layer, param, i, j, {{ 'best_value' if nn.early_stopping else 'value' }} as value, momentum_buffer, exp_avg, exp_avg_sq
    from {{ params }}
) as trained
{% endmacro %}
