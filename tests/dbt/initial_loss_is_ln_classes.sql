{#-
  With a small random initialisation every class gets about the same score, so the
  first epoch's data loss must be ln(C) (1.0986 for 3 classes): a wrong softmax,
  label join or LN/LOG mix-up shows here first. Skipped for warm starts and large scales.
-#}
{%- set scale = var('nn_init_scale') -%}
{{ config(enabled=(var('nn_init_params') is none and scale is number and scale <= 0.01)) }}

select epoch, data_loss, {{ sqlnn.ln(sqlnn.double(var('nn_classes'))) }} as ln_classes
from {{ ref('training_history') }}
where epoch = 1
    and abs(data_loss - {{ sqlnn.ln(sqlnn.double(var('nn_classes'))) }}) > {{ sqlnn.double(0.01) }}
