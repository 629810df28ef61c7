{#- One row per step (per epoch in full batch; per epoch and batch with mini-batches): the loss
    models' rows unioned (the loss of the parameters entering each step, on its batch, and the
    early-stopping state), with `chosen` (the step whose parameters were trained, with
    early_stopping) and `stop_reason` (on the step where training ended). -#}
{% macro training_history(losses) %}
    {{- return(adapter.dispatch('training_history', 'sqlnn')(losses)) -}}
{% endmacro %}

{% macro default__training_history(losses) %}
{%- set nn = sqlnn._settings() -%}
{%- set steps = nn.epochs * nn.batches -%}
{%- if losses | length != steps -%}
    {%- set said = nn.epochs ~ ('' if nn.batches == 1 else ', batches: ' ~ nn.batches ~ ' (' ~ steps ~ ' steps)') -%}
    {{ sqlnn._config_error(nn.network, "its settings say epochs: " ~ said ~ ", but its folder holds "
        ~ losses | length ~ (" epochs" if nn.batches == 1 else " steps") ~ ": run `sqlnn scaffold " ~ nn.network ~ "` to regenerate it") }}
{%- endif -%}
{%- set columns = 'epoch, batch, step, loss, data_loss, reg_loss, accuracy, val_loss, val_data_loss, val_accuracy, nonfinite_param_count, '
    ~ 'best_epoch, best_val_loss, epochs_without_progress, stopped' -%}
with losses as (
{%- for loss in losses %}
    select {{ columns }} from {{ loss }}
    {% if not loop.last %}union all{% endif %}
{%- endfor %}
),

ended as (
    -- the last step's state: the best step, and whether early stopping ended training
    select best_epoch as final_best_epoch from losses where step = {{ steps }}
)

select
    {{ columns }},
    {#- trained_params are the best epoch's with early_stopping, else the last update's (no history row) #}
    {{ 'coalesce(step = ended.final_best_epoch, false)' if nn.early_stopping else 'false' }} as chosen,
    case
        when stopped and not coalesce(lag(stopped) over (order by step), false) then {{ sqlnn.string_literal(
            'early stopping: the validation loss was not ' ~ '%g' | format(nn.min_rel_progress * 100) ~ '% below its best for '
            ~ nn.patience ~ (' epochs' if nn.batches == 1 else ' validations') ~ ' (patience); the trained parameters are those that entered best_epoch; the '
            ~ ('epochs' if nn.batches == 1 else 'steps') ~ ' after this one pass them through') }}
        when step = {{ steps }} and not stopped then {{ sqlnn.string_literal('all ' ~ nn.epochs ~ ' epochs trained'
            ~ ('' if nn.batches == 1 else ' (' ~ steps ~ ' steps of ' ~ nn.batches ~ ' batches each)')
            ~ (' (early stopping did not stop them; the trained parameters are those that entered best_epoch)' if nn.early_stopping else '')) }}
    end as stop_reason
from losses
cross join ended
{% endmacro %}
