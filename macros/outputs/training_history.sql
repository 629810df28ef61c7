{#- One row per epoch: the loss models' rows unioned (the loss of the parameters entering each epoch). -#}
{% macro training_history(losses) %}
    {{- return(adapter.dispatch('training_history', 'sqlnn')(losses)) -}}
{% endmacro %}

{% macro default__training_history(losses) %}
{%- set nn = sqlnn._settings() -%}
{%- if losses | length != nn.epochs -%}
    {{ sqlnn._config_error(nn.network, "its settings say epochs: " ~ nn.epochs ~ ", but its folder holds "
        ~ losses | length ~ " epochs: run `sqlnn scaffold " ~ nn.network ~ "` to regenerate it") }}
{%- endif -%}
{%- for loss in losses %}
select epoch, loss, data_loss, reg_loss, accuracy, val_loss, val_data_loss, val_accuracy, nonfinite_param_count from {{ loss }}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{% endmacro %}
