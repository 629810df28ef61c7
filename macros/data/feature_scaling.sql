{% macro feature_scaling(examples, vocabulary) %}
    {{- return(adapter.dispatch('feature_scaling', 'sqlnn')(examples, vocabulary)) -}}
{% endmacro %}

{#- One row per input unit (the vocabulary's). A numeric unit: its NULLs are replaced by
    impute_value, the mean of the training split's values (with `impute`; else they stay NULL
    and predict gives NULL), then (x - center) / scale is applied, where center and scale are
    the mean and std (population, two-pass, over the imputed training values, as scikit-learn's
    SimpleImputer then StandardScaler; std 0 -> 1) with `standardize`, else 0 and 1.
    A one-hot unit is 0 or 1 as it is: center 0, scale 1, no mean or std.
    A regression network adds a row for its target (unit -1, feature: the label column), with
    the mean and std training_examples standardised `target` by, which predict undoes. -#}
{% macro default__feature_scaling(examples, vocabulary) %}
{%- set nn = sqlnn._settings() -%}
{%- set types = sqlnn._feature_types(examples, nn) -%}
{%- set double_null = 'cast(null as ' ~ sqlnn.type_double() ~ ')' -%}
{%- if sqlnn._task(nn, examples) == 'regression' %}
select
    -1 as unit,
    {{ sqlnn.string_literal(nn.label) }} as feature,
    target.mean,
    target.std,
    target.mean as center,
    target.scale,
    {{ double_null }} as impute_value
from ({{ sqlnn._target_moments(examples) }}) as target
union all
{%- endif %}
{%- for feature in nn.features if types[feature] == 'numeric' %}
{%- set column = 'examples.' ~ adapter.quote(feature) %}
{%- set imputed = 'coalesce(' ~ column ~ ', moments.mean)' %}
select
    units.unit,
    units.feature,
    stats.mean,
    stats.std,
    {% if nn.standardize -%}
    stats.mean as center,
    case when stats.std > 0 then stats.std else {{ sqlnn.double(1) }} end as scale,
    {%- else -%}
    {{ sqlnn.double(0) }} as center,
    {{ sqlnn.double(1) }} as scale,
    {%- endif %}
    {{ 'stats.mean' if nn.impute else double_null }} as impute_value
from (
    select
        moments.mean,
        sqrt(avg(({{ imputed }} - moments.mean) * ({{ imputed }} - moments.mean))) as std
    from {{ examples }} as examples
    cross join (select avg({{ adapter.quote(feature) }}) as mean from {{ examples }} where split = 'train') as moments
    where examples.split = 'train'
    group by moments.mean
) as stats
cross join (select unit, feature from {{ vocabulary }} where feature = {{ sqlnn.string_literal(feature) }} and category_kind = 'numeric') as units
union all
{%- endfor %}
select
    unit,
    feature,
    {{ double_null }} as mean,
    {{ double_null }} as std,
    {{ sqlnn.double(0) }} as center,
    {{ sqlnn.double(1) }} as scale,
    {{ double_null }} as impute_value
from {{ vocabulary }}
where feature_type = 'categorical'
{% endmacro %}
