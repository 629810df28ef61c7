{#- One row per epoch: the loss models' rows unioned (the loss of the parameters entering each
    epoch, and the early-stopping state), with `chosen` (the epoch whose parameters were
    trained, with early_stopping) and `stop_reason` (on the epoch where training ended). -#}
{% macro training_history(losses) %}
    {{- return(adapter.dispatch('training_history', 'sqlnn')(losses)) -}}
{% endmacro %}

{% macro default__training_history(losses) %}
{%- set nn = sqlnn._settings() -%}
{%- if losses | length != nn.epochs -%}
    {{ sqlnn._config_error(nn.network, "its settings say epochs: " ~ nn.epochs ~ ", but its folder holds "
        ~ losses | length ~ " epochs: run `sqlnn scaffold " ~ nn.network ~ "` to regenerate it") }}
{%- endif -%}
{%- set columns = 'epoch, loss, data_loss, reg_loss, accuracy, val_loss, val_data_loss, val_accuracy, nonfinite_param_count, '
    ~ 'best_epoch, best_val_loss, epochs_without_progress, stopped' -%}
with losses as (
{%- for loss in losses %}
    select {{ columns }} from {{ loss }}
    {% if not loop.last %}union all{% endif %}
{%- endfor %}
),

ended as (
    -- the last epoch's state: the best epoch, and whether early stopping ended training
    select best_epoch as final_best_epoch from losses where epoch = {{ nn.epochs }}
)

select
    {{ columns }},
    {#- trained_params are the best epoch's with early_stopping, else the last update's (no history row) #}
    {{ 'coalesce(epoch = ended.final_best_epoch, false)' if nn.early_stopping else 'false' }} as chosen,
    case
        when stopped and not coalesce(lag(stopped) over (order by epoch), false) then {{ sqlnn.string_literal(
            'early stopping: the validation loss was not ' ~ '%g' | format(nn.min_rel_progress * 100) ~ '% below its best for '
            ~ nn.patience ~ ' epochs (patience); the trained parameters are those that entered best_epoch; the epochs after this one pass them through') }}
        when epoch = {{ nn.epochs }} and not stopped then {{ sqlnn.string_literal('all ' ~ nn.epochs ~ ' epochs trained'
            ~ (' (early stopping did not stop them; the trained parameters are those that entered best_epoch)' if nn.early_stopping else '')) }}
    end as stop_reason
from losses
cross join ended
{% endmacro %}
