{#-
  The rows, numbered and split (training_examples), the standardisation learnt from the
  training split (feature_scaling), and the standardised features in long form
  (training_features): layer 0 of the network.
-#}

{% macro training_examples(relation) %}
    {{- return(adapter.dispatch('training_examples', 'sqlnn')(relation)) -}}
{% endmacro %}

{#- The validation split is stratified and exact: within each class, the rows with the
    smallest split_hash, round(fraction * class rows) of them, are 'validation'.
    split_hash mixes (split_seed, row_id) with the initialiser's integer PRNG rounds, so
    every engine draws the same split (engine hash functions differ between engines). -#}
{% macro default__training_examples(relation) %}
{%- set nn = sqlnn._settings() -%}
{%- set columns = [] -%}
{%- for feature in nn.features %}{% do columns.append(adapter.quote(feature)) %}{% endfor -%}
{%- do columns.append(adapter.quote(nn.label)) -%}
with numbered as (
    select
        -- numbering by content makes row_id independent of the engine's scan order
        row_number() over (order by {{ columns | join(', ') }}) as row_id,
        cast({{ adapter.quote(nn.label) }} as {{ dbt.type_bigint() }}) as label,
        {%- for feature in nn.features %}
        cast({{ adapter.quote(feature) }} as {{ sqlnn.type_double() }}) as {{ adapter.quote(feature) }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
),

hash_round_1 as (
    select row_id, {{ sqlnn._prng_step(nn.split_seed % sqlnn._prng().modulus, 'row_id') }} as state
    from numbered
),

hash_round_2 as (
    select row_id, {{ sqlnn._prng_square('state') }} as state
    from hash_round_1
),

hash_round_3 as (
    select row_id, {{ sqlnn._prng_step('state', 0) }} as state
    from hash_round_2
),

split_hash as (
    select row_id, {{ sqlnn._prng_square('state') }} as split_hash
    from hash_round_3
),

ranked as (
    select
        numbered.row_id,
        row_number() over (partition by numbered.label order by split_hash.split_hash, numbered.row_id) as rank_in_class,
        count(*) over (partition by numbered.label) as class_rows
    from numbered
    inner join split_hash on split_hash.row_id = numbered.row_id
)

select
    numbered.row_id,
    case
        when ranked.rank_in_class <= floor(ranked.class_rows * {{ sqlnn.double(nn.validation_fraction) }} + {{ sqlnn.double(0.5) }})
            then 'validation'
        else 'train'
    end as split,
    numbered.label,
    {%- for feature in nn.features %}
    numbered.{{ adapter.quote(feature) }}{{ ',' if not loop.last }}
    {%- endfor %}
from numbered
inner join ranked on ranked.row_id = numbered.row_id
{% endmacro %}
