{#-
  Early stopping (settings early_stopping, patience, min_rel_progress), as scikit-learn's
  MLP does it with a relative tolerance (BigQuery ML's MIN_REL_PROGRESS):
  - each epoch's loss model measures the validation loss v of the parameters entering it and
    carries the state along the chain of loss models (`previous`, the epoch before's loss):
      best_epoch, best_val_loss      the lowest v so far (the earliest on ties)
      epochs_without_progress        0 when v < (1 - min_rel_progress) * the best before it,
                                     else one more than the epoch before's
      stopped                        early_stopping and epochs_without_progress >= patience,
                                     and true ever after
  - the update of a stopped epoch passes the parameters through and marks them `stopped`;
    the epochs after it read them through `_live_params`, which then has no rows, so their
    forward pass, loss and backprop read no examples (their losses are NULL);
  - every update keeps `best_value`, the parameters that entered best_epoch, and with
    early_stopping those are the trained parameters (trained_params).
  Without a validation split v is NULL: best_epoch and epochs_without_progress stay NULL.
-#}

{#- Private: the parameters an epoch trains with, (layer, param, i, j, value); none once
    early stopping has stopped training. -#}
{% macro _live_params(params) -%}
    select layer, param, i, j, value from {{ params }} where not stopped
{%- endmacro %}

{#- Private: the early-stopping columns of epoch `epoch`'s loss row, after the loss row's
    own `val_loss` expression; `previous` is the epoch before's loss model (none for epoch 1). -#}
{% macro _early_stopping_state(nn, epoch, val_loss, previous) %}
    {%- set bigint = dbt.type_bigint() -%}
    {%- if previous is none %}
    case when {{ val_loss }} is null then cast(null as {{ bigint }}) else cast({{ epoch }} as {{ bigint }}) end as best_epoch,
    {{ val_loss }} as best_val_loss,
    case when {{ val_loss }} is null then cast(null as {{ bigint }}) else cast(0 as {{ bigint }}) end as epochs_without_progress,
    false as stopped
    {%- else %}
    {%- set progress = val_loss ~ ' < ' ~ sqlnn.double(1.0 - nn.min_rel_progress) ~ ' * previous.best_val_loss' %}
    {%- set without_progress -%}
        case
            when previous.stopped or {{ val_loss }} is null then previous.epochs_without_progress
            when previous.best_val_loss is null or {{ progress }} then cast(0 as {{ bigint }})
            else previous.epochs_without_progress + 1
        end
    {%- endset %}
    {%- set improved = '(' ~ val_loss ~ ' is not null and not previous.stopped and (previous.best_val_loss is null or ' ~ val_loss ~ ' < previous.best_val_loss))' %}
    case when {{ improved }} then cast({{ epoch }} as {{ bigint }}) else previous.best_epoch end as best_epoch,
    case when {{ improved }} then {{ val_loss }} else previous.best_val_loss end as best_val_loss,
    {{ without_progress }} as epochs_without_progress,
    {%- if nn.early_stopping %}
    previous.stopped or coalesce({{ without_progress }} >= {{ nn.patience }}, false) as stopped
    {%- else %}
    false as stopped
    {%- endif %}
    {%- endif %}
{% endmacro %}
