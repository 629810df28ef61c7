{#-
  The network's input layer, learned from the training split: one row per input unit.
  A numeric feature is one unit. A categorical feature is one unit per kept category (its
  `min_category_count` or more training rows, and among its `max_categories` most frequent;
  NULL is a category like any other), then one 'other' unit, which the rarer categories
  share and where a category unseen in training lands at prediction time. Units are
  numbered in `features` order, within a feature NULL first, then the categories in text
  order, then 'other'; the first layer's weight rows follow these numbers.
-#}
{% macro vocabulary(examples) %}
    {{- return(adapter.dispatch('vocabulary', 'sqlnn')(examples)) -}}
{% endmacro %}

{% macro default__vocabulary(examples) %}
{%- set nn = sqlnn._settings() -%}
{%- set types = sqlnn._feature_types(examples, nn) -%}
{%- set categorical = [] -%}
{%- for feature in nn.features if types[feature] == 'categorical' %}{% do categorical.append(feature) %}{% endfor -%}
{%- set string_null = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
with training_rows as (
    select count(*) as row_count from {{ examples }} where split = 'train'
),
{%- if categorical %}

categories as (
    {%- for feature in nn.features if types[feature] == 'categorical' %}
    select
        {{ nn.features.index(feature) }} as feature_index,
        {{ sqlnn.string_literal(feature) }} as feature,
        {{ adapter.quote(feature) }} as category,
        count(*) as training_rows
    from {{ examples }}
    where split = 'train'
    group by {{ adapter.quote(feature) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

ranked as (
    select
        *,
        row_number() over (partition by feature_index order by training_rows desc, category asc nulls first) as frequency_rank
    from categories
),

kept as (
    select
        *,
        case when training_rows >= {{ nn.min_category_count }} and frequency_rank <= {{ nn.max_categories }} then 1 else 0 end as is_kept
    from ranked
),
{%- endif %}

units as (
    {%- for feature in nn.features if types[feature] == 'numeric' %}
    select
        {{ nn.features.index(feature) }} as feature_index,
        {{ sqlnn.string_literal(feature) }} as feature,
        'numeric' as feature_type,
        'numeric' as category_kind,
        {{ string_null }} as category,
        row_count as training_rows
    from training_rows
    {% if not loop.last or categorical %}union all{% endif %}
    {%- endfor %}
    {%- if categorical %}
    select
        feature_index,
        feature,
        'categorical' as feature_type,
        case when category is null then 'null' else 'value' end as category_kind,
        category,
        training_rows
    from kept
    where is_kept = 1
    union all
    -- the rarer categories' rows (0 when every category is kept)
    select
        feature_index,
        feature,
        'categorical' as feature_type,
        'other' as category_kind,
        {{ string_null }} as category,
        sum(case when is_kept = 1 then 0 else training_rows end) as training_rows
    from kept
    group by feature_index, feature
    {%- endif %}
)

select
    cast(row_number() over (order by
        feature_index,
        case category_kind when 'null' then 0 when 'value' then 1 when 'other' then 2 else 0 end,
        category) - 1 as {{ dbt.type_bigint() }}) as unit,
    feature,
    feature_type,
    category_kind,
    category,
    cast(training_rows as {{ dbt.type_bigint() }}) as training_rows,
    cast(feature_index as {{ dbt.type_bigint() }}) as feature_index
from units
{% endmacro %}
