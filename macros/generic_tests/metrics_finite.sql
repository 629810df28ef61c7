{#- Fails on every row of a network's evaluation model whose metrics are not all finite (NULL,
    NaN or infinite): log_loss for a classification network; mae, mse, rmse, r2 and
    explained_variance for a regression network. -#}
{% test metrics_finite(model, network) %}
    {{ return(adapter.dispatch('test_metrics_finite', 'sqlnn')(model, network)) }}
{% endtest %}

{% macro default__test_metrics_finite(model, network) %}
{%- set nn = sqlnn._settings(network) -%}
{%- set regression = sqlnn._network_task(nn, model) == 'regression' -%}
{%- set metrics = ['mae', 'mse', 'rmse', 'r2', 'explained_variance'] if regression else ['log_loss'] -%}
select *
from {{ model }}
where
    {%- for metric in metrics %}
    {{ metric }} is null or not {{ sqlnn.is_finite(metric) }}{{ ' or' if not loop.last }}
    {%- endfor %}
{% endmacro %}
