{#-
  The rows, numbered and split: each row's class (`label`, the position of its label value in
  the classes model), its label value as the table holds it (`label_value`), and the features
  as the network reads them: numeric features as doubles (NULL stays NULL; the vocabulary's
  scaling imputes it), categorical features as text ('true'/'false' for booleans).
  `target` is what a regression network fits: the label standardised by the training split's
  mean and population std (std 0 -> 1; feature_scaling keeps both, for predict to undo); every
  row's `label` is then 0 (one class for the split). NULL for classification.
  `weight` is the row's class weight (macros/data/_class_weights.sql; 1 without class_weight).
-#}
{% macro training_examples(relation, classes) %}
    {{- return(adapter.dispatch('training_examples', 'sqlnn')(relation, classes)) -}}
{% endmacro %}

{#- The validation split is stratified and exact: within each class, the rows with the
    smallest split_hash, round(fraction * class rows) of them, are 'validation'.
    split_hash mixes (split_seed, row_id) with the initialiser's integer PRNG rounds, so
    every engine draws the same split (engine hash functions differ between engines).
    row_id numbers the rows by content, NULLs first (every engine's default differs), so it
    does not depend on the engine's scan order (sqlnn.datasets.row_order in Python). -#}
{% macro default__training_examples(relation, classes) %}
{%- set nn = sqlnn._settings() -%}
{%- set types = sqlnn._feature_types(relation, nn) -%}
{%- set regression = sqlnn._task(nn, relation, nn.label) == 'regression' -%}
with typed as (
    select
        {{ adapter.quote(nn.label) }} as label_value,
        {%- for feature in nn.features %}
        {{ sqlnn._typed_feature(adapter.quote(feature), types[feature]) }} as {{ adapter.quote(feature) }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
),

numbered as (
    select
        -- bigint: Spark's row_number is a 32-bit INT, and the split hash squares 31-bit states
        cast(row_number() over (order by
            {%- for feature in nn.features %} typed.{{ adapter.quote(feature) }} asc nulls first,{% endfor %} typed.label_value asc nulls first) as {{ dbt.type_bigint() }}) as row_id,
        {%- if regression %}
        0 as label,
        typed.*
    from typed
    where typed.label_value is not null
        {%- else %}
        classes.class as label,
        typed.*
    from typed
    inner join {{ classes }} as classes on classes.label_value = typed.label_value
        {%- endif %}
),

{{ sqlnn._hash_rounds(nn.split_seed % sqlnn._prng().modulus, 'numbered', 'split_hash') }},

ranked as (
    select
        numbered.row_id,
        row_number() over (partition by numbered.label order by split_hash.split_hash, numbered.row_id) as rank_in_class,
        count(*) over (partition by numbered.label) as class_rows
    from numbered
    inner join split_hash on split_hash.row_id = numbered.row_id
),

split_rows as (
    select
        numbered.*,
        case
            when ranked.rank_in_class <= floor(ranked.class_rows * {{ sqlnn.double(nn.validation_fraction) }} + {{ sqlnn.double(0.5) }})
                then 'validation'
            else 'train'
        end as split
    from numbered
    inner join ranked on ranked.row_id = numbered.row_id
){% if regression %},

target_moments as (
    {{ sqlnn._target_moments('split_rows') | indent(4) }}
){% elif sqlnn._weighted(nn) %},

class_weights as (
    {{ sqlnn._class_weight_rows(nn, 'split_rows', classes) | indent(4) }}
){% endif %}

select
    numbered.row_id,
    numbered.split,
    cast(numbered.label as {{ dbt.type_bigint() }}) as label,
    numbered.label_value,
    {%- if regression %}
    (cast(numbered.label_value as {{ sqlnn.type_double() }}) - target_moments.mean) / target_moments.scale as target,
    {%- else %}
    cast(null as {{ sqlnn.type_double() }}) as target,
    {%- endif %}
    {%- if sqlnn._weighted(nn) and not regression %}
    -- a class the training split lacks weighs 1
    coalesce(class_weights.weight, {{ sqlnn.double(1) }}) as weight,
    {%- else %}
    {{ sqlnn.double(1) }} as weight,
    {%- endif %}
    {%- for feature in nn.features %}
    numbered.{{ adapter.quote(feature) }}{{ ',' if not loop.last }}
    {%- endfor %}
from split_rows as numbered
{%- if regression %}
cross join target_moments
{%- elif sqlnn._weighted(nn) %}
left join class_weights on class_weights.label = numbered.label
{%- endif %}
{% endmacro %}

{#- Private: a raw feature column as the network reads it: a double, or text for a categorical one. -#}
{% macro _typed_feature(column, kind) %}
    {%- if kind == 'numeric' -%}
        {{- return('cast(' ~ column ~ ' as ' ~ sqlnn.type_double() ~ ')') -}}
    {%- endif -%}
    {{- return('cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')') -}}
{% endmacro %}

{#- Private: one row, a regression target's `mean` and population `std` about it (two-pass) over
    the training split of `relation` (label_value, split), and `scale`, the std or 1 when it is 0.
    training_examples standardises `target` by them; feature_scaling keeps them for predict. -#}
{% macro _target_moments(relation) %}
{%- set label = 'cast(train.label_value as ' ~ sqlnn.type_double() ~ ')' -%}
select
    stats.mean,
    stats.std,
    case when stats.std > 0 then stats.std else {{ sqlnn.double(1) }} end as scale
from (
    select moments.mean, sqrt(avg(({{ label }} - moments.mean) * ({{ label }} - moments.mean))) as std
    from {{ relation }} as train
    cross join (select avg(cast(label_value as {{ sqlnn.type_double() }})) as mean from {{ relation }} where split = 'train') as moments
    where train.split = 'train'
    group by moments.mean
) as stats
{% endmacro %}
