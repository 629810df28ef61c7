{#- With a small random initialisation every class gets about the same score, so the
    first epoch's data loss must be ln(C) (1.0986 for 3 classes): a wrong softmax, label
    join or LN/LOG mix-up shows here first. C is the `classes` setting, or without it the
    row count of the network's classes model, beside `model` in its schema (not a ref: that
    would make selecting the classes alone select this test). Passes without checking for
    warm starts and initialisations larger than 0.01 (he, xavier), where the first scores
    are not uniform, and for a regression network (no classes: its first loss depends on the
    target's spread and the initial scores). -#}
{% test initial_loss_is_ln_classes(model, network, tolerance=0.01) %}
    {{ return(adapter.dispatch('test_initial_loss_is_ln_classes', 'sqlnn')(model, network, tolerance)) }}
{% endtest %}

{% macro default__test_initial_loss_is_ln_classes(model, network, tolerance) %}
{%- set nn = sqlnn._settings(network) -%}
{%- set applies = nn.init_params is none and nn.init_from is none and nn.init_scale is number and nn.init_scale <= 0.01
    and sqlnn._network_task(nn, model) == 'classification' -%}
{#- C: the `classes` setting when given (the data checks hold the data to it), else the classes model's rows -#}
{%- if nn.classes is not none -%}
    {%- set class_count = sqlnn.double(nn.classes) -%}
{%- else -%}
    {%- set class_count = '(select cast(count(*) as ' ~ sqlnn.type_double() ~ ') from ' ~ model.incorporate(path={'identifier': nn.network ~ '_classes'}) ~ ')' -%}
{%- endif -%}
{%- set ln_classes = sqlnn.ln(class_count) -%}
select history.epoch, history.data_loss, {{ ln_classes }} as ln_classes
from {{ model }} as history
where {{ 'true' if applies else 'false' }}
    and history.step = 1
    and abs(history.data_loss - {{ ln_classes }}) > {{ sqlnn.double(tolerance) }}
{% endmacro %}
