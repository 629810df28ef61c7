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
    split_hash mixes (nn_split_seed, row_id) with the initialiser's integer PRNG rounds, so
    every engine draws the same split (engine hash functions differ between engines). -#}
{% macro default__training_examples(relation) %}
{%- set nn = sqlnn._settings() -%}
{%- set modulus, multiplier, increment = 2147483647, 48271, 1013904223 -%}
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
    select row_id, {{ sqlnn.int_mod('(' ~ (nn.split_seed % modulus) ~ ' + row_id + 1) * ' ~ multiplier, modulus) }} as state
    from numbered
),

hash_round_2 as (
    select row_id, {{ sqlnn.int_mod('state * state + ' ~ increment, modulus) }} as state
    from hash_round_1
),

hash_round_3 as (
    select row_id, {{ sqlnn.int_mod('(state + 1) * ' ~ multiplier, modulus) }} as state
    from hash_round_2
),

split_hash as (
    select row_id, {{ sqlnn.int_mod('state * state + ' ~ increment, modulus) }} as split_hash
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


{% macro feature_scaling(examples) %}
    {{- return(adapter.dispatch('feature_scaling', 'sqlnn')(examples)) -}}
{% endmacro %}

{#- mean and std (population, two-pass) of each feature over the training split; center and
    scale are what is applied, (x - center) / scale: the mean and std (std 0 -> 1, as
    scikit-learn's StandardScaler) with nn_standardize, else 0 and 1. -#}
{% macro default__feature_scaling(examples) %}
{%- set nn = sqlnn._settings() -%}
{%- for feature in nn.features %}
{%- set column = adapter.quote(feature) %}
select
    {{ loop.index0 }} as unit,
    '{{ feature }}' as feature,
    stats.mean,
    stats.std,
    {% if nn.standardize -%}
    stats.mean as center,
    case when stats.std > 0 then stats.std else {{ sqlnn.double(1) }} end as scale
    {%- else -%}
    {{ sqlnn.double(0) }} as center,
    {{ sqlnn.double(1) }} as scale
    {%- endif %}
from (
    select
        moments.mean,
        sqrt(avg((examples.{{ column }} - moments.mean) * (examples.{{ column }} - moments.mean))) as std
    from {{ examples }} as examples
    cross join (select avg({{ column }}) as mean from {{ examples }} where split = 'train') as moments
    where examples.split = 'train'
    group by moments.mean
) as stats
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{% endmacro %}


{% macro training_features(examples, scaling) %}
    {{- return(adapter.dispatch('training_features', 'sqlnn')(examples, scaling)) -}}
{% endmacro %}

{% macro default__training_features(examples, scaling) %}
{{ sqlnn._scaled_features(examples, scaling) }}
{% endmacro %}


{#- Private: long form (row_id, unit, value) of a wide relation with the feature columns and a
    row number column, each value standardised as (x - center) / scale from the scaling relation. -#}
{% macro _scaled_features(examples, scaling, row_id='row_id') %}
{%- set nn = sqlnn._settings() -%}
select raw.row_id, raw.unit, (raw.value - scaling.center) / scaling.scale as value
from (
    {%- for feature in nn.features %}
    select {{ row_id }} as row_id, {{ loop.index0 }} as unit, cast({{ adapter.quote(feature) }} as {{ sqlnn.type_double() }}) as value from {{ examples }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
) as raw
inner join {{ scaling }} as scaling on scaling.unit = raw.unit
{% endmacro %}
