{#- The public outputs: training_history, trained_params, predict / predictions. -#}

{% macro training_history(losses) %}
    {{- return(adapter.dispatch('training_history', 'sqlnn')(losses)) -}}
{% endmacro %}

{% macro default__training_history(losses) %}
{%- for loss in losses %}
select epoch, loss, data_loss, reg_loss, accuracy, val_loss, val_data_loss, val_accuracy, nonfinite_param_count from {{ loss }}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{% endmacro %}
