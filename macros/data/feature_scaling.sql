{% macro feature_scaling(examples) %}
    {{- return(adapter.dispatch('feature_scaling', 'sqlnn')(examples)) -}}
{% endmacro %}

{#- mean and std (population, two-pass) of each feature over the training split; center and
    scale are what is applied, (x - center) / scale: the mean and std (std 0 -> 1, as
    scikit-learn's StandardScaler) with `standardize`, else 0 and 1. -#}
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
