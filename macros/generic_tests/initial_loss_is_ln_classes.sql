{#- With a small random initialisation every class gets about the same score, so the
    first epoch's data loss must be ln(C) (1.0986 for 3 classes): a wrong softmax, label
    join or LN/LOG mix-up shows here first. Passes without checking for warm starts and
    initialisations larger than 0.01 (he, xavier), where the first scores are not uniform. -#}
{% test initial_loss_is_ln_classes(model, network, tolerance=0.01) %}
    {{ return(adapter.dispatch('test_initial_loss_is_ln_classes', 'sqlnn')(model, network, tolerance)) }}
{% endtest %}

{% macro default__test_initial_loss_is_ln_classes(model, network, tolerance) %}
{%- set nn = sqlnn._settings(network) -%}
{%- set applies = nn.init_params is none and nn.init_from is none and nn.init_scale is number and nn.init_scale <= 0.01 -%}
{%- set ln_classes = sqlnn.ln(sqlnn.double(nn.classes)) -%}
select epoch, data_loss, {{ ln_classes }} as ln_classes
from {{ model }}
where {{ 'true' if applies else 'false' }}
    and epoch = 1
    and abs(data_loss - {{ ln_classes }}) > {{ sqlnn.double(tolerance) }}
{% endmacro %}
