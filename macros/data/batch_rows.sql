{#-
  The mini-batches of one epoch (setting `batches` > 1): every training row once, in batch
  1..batches, and every validation row in batch 0, with the examples' columns and the row's
  inputs as training_features holds them (unit, value; on DuckDB's list path value_list),
  ordered by batch. Each step of the epoch reads
  only its batch's rows from this table (sqlnn.in_batch): on BigQuery the table is clustered
  by batch, so a step is billed for its batch; DuckDB skips the row groups of other batches.
  The batches are a fresh shuffle each epoch, the same on every engine: the training rows
  ranked by an integer hash of (split_seed, epoch, row_id), the initialiser's PRNG rounds
  (macros/init/_prng.sql), and dealt out in turn, so batch sizes differ by at most one row
  (sqlnn.datasets.batch_numbers in Python).
-#}
{% macro batch_rows(examples, features, epoch) %}
    {{- return(adapter.dispatch('batch_rows', 'sqlnn')(examples, features, epoch)) -}}
{% endmacro %}

{% macro default__batch_rows(examples, features, epoch) %}
    {{- return(sqlnn._batch_rows(examples, features, epoch, ['unit', 'value'])) -}}
{% endmacro %}

{#- DuckDB's list path: training_features holds each row's inputs as one list, value_list. -#}
{% macro duckdb__batch_rows(examples, features, epoch) %}
    {%- set inputs = ['unit', 'value', 'value_list'] if sqlnn._list_path() else ['unit', 'value'] -%}
    {{- return(sqlnn._batch_rows(examples, features, epoch, inputs)) -}}
{% endmacro %}

{#- Private: the batch rows with `inputs`, the columns of training_features besides row_id. -#}
{% macro _batch_rows(examples, features, epoch, inputs) %}
{%- set nn = sqlnn._settings() -%}
{%- set prng = sqlnn._prng() -%}
{#- the epoch's seed: one PRNG round over (split_seed, epoch), folded here (Python integers) -#}
{%- set epoch_seed = ((nn.split_seed % prng.modulus + epoch + 1) * prng.multiplier) % prng.modulus -%}
{%- set epoch_seed = (epoch_seed * epoch_seed + prng.increment) % prng.modulus -%}
with {{ sqlnn._hash_rounds(epoch_seed, examples ~ " where split = 'train'", 'batch_hash') }},

batches as (
    -- dealt out in hash order: batch sizes differ by at most one row
    select
        row_id,
        {{ sqlnn.int_mod('cast(row_number() over (order by batch_hash, row_id) as ' ~ dbt.type_bigint() ~ ') - 1', nn.batches) }} + 1 as batch
    from batch_hash
    union all
    -- the validation rows: batch 0, read by the steps that measure the validation loss
    select row_id, cast(0 as {{ dbt.type_bigint() }}) as batch
    from {{ examples }}
    where split = 'validation'
)

select
    cast(batches.batch as {{ dbt.type_bigint() }}) as batch,
    examples.row_id,
    examples.split,
    examples.label,
    examples.target,
    examples.weight,
    {%- for column in inputs %}
    features.{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
from batches
inner join {{ examples }} as examples on examples.row_id = batches.row_id
inner join {{ features }} as features on features.row_id = batches.row_id
order by batch, row_id
{% endmacro %}
