{#-
  The rows one mini-batch step reads from its epoch's batch_rows table: `columns` 'features'
  (row_id, unit, value and on DuckDB's list path value_list: what forward and backprop read
  as `features`) or
  'examples' (row_id, split, label, target, weight: one row per example, as
  training_examples). They are batch `batch`'s training rows, and the validation rows
  (batch 0) when the step measures the validation loss: every `validation_interval` steps,
  from the first (once per epoch by default). Returned as a subquery, which the stage
  macros read where they read a relation.
-#}
{% macro in_batch(rows, epoch, batch, columns) %}
    {{- return(adapter.dispatch('in_batch', 'sqlnn')(rows, epoch, batch, columns)) -}}
{% endmacro %}

{% macro default__in_batch(rows, epoch, batch, columns) %}
    {{- return(sqlnn._in_batch(rows, epoch, batch, columns, 'unit, value')) -}}
{% endmacro %}

{#- DuckDB's list path: the inputs are value_list too (duckdb__batch_rows). -#}
{% macro duckdb__in_batch(rows, epoch, batch, columns) %}
    {%- set inputs = 'unit, value, value_list' if sqlnn._list_path() else 'unit, value' -%}
    {{- return(sqlnn._in_batch(rows, epoch, batch, columns, inputs)) -}}
{% endmacro %}

{#- Private: the subquery, `inputs` the batch rows' input columns. -#}
{% macro _in_batch(rows, epoch, batch, columns, inputs) %}
{%- set nn = sqlnn._settings() -%}
{%- set batches = '(0, ' ~ batch ~ ')' if sqlnn._validates(nn, epoch, batch) else '(' ~ batch ~ ')' -%}
{%- if columns == 'features' -%}
    {{- return('(select row_id, ' ~ inputs ~ ' from ' ~ rows ~ ' where batch in ' ~ batches ~ ')') -}}
{%- elif columns == 'examples' -%}
    {#- the portable path's rows are one per input unit: unit 0 is there for every example -#}
    {{- return('(select row_id, split, label, target, weight from ' ~ rows ~ ' where batch in ' ~ batches
        ~ ' and (unit = 0 or unit is null))') -}}
{%- endif -%}
{{ sqlnn._config_error(nn.network, "in_batch reads columns 'features' or 'examples', got " ~ columns) }}
{% endmacro %}

{#- Private: the optimizer step of an epoch's batch, counted from 1 over the epochs' batches. -#}
{% macro _step(nn, epoch, batch) %}
    {{- return((epoch - 1) * nn.batches + (batch or 1)) -}}
{% endmacro %}

{#- Private: whether the step measures the validation loss (every validation_interval steps from the first). -#}
{% macro _validates(nn, epoch, batch) %}
    {{- return((sqlnn._step(nn, epoch, batch) - 1) % nn.validation_interval == 0) -}}
{% endmacro %}

{#- Private: the relation of a network's training examples, for what reads their column types
    (sqlnn._task): `examples` itself, or, for a mini-batch step's rows (sqlnn.in_batch, a
    subquery), the network's training_examples beside the calling model. -#}
{% macro _examples_relation(examples) %}
    {#- a unit test has no `this`; it states the task (classes) in its vars -#}
    {%- if examples is not string or this is none -%}{{ return(examples if examples is not string else none) }}{%- endif -%}
    {{- return(sqlnn._network_relation(sqlnn._settings(), 'training_examples')) -}}
{% endmacro %}
