{#-
  One row per feature column, like BigQuery ML's ML.FEATURE_INFO, over the training split:
  its type as the network reads it (numeric or categorical) and NULL count; for a numeric
  feature min, max, mean, median and stddev (population) of its non-NULL values; for a
  categorical one the number of distinct non-NULL categories.
-#}
{% macro feature_info(examples) %}
    {{- return(adapter.dispatch('feature_info', 'sqlnn')(examples)) -}}
{% endmacro %}

{% macro default__feature_info(examples) %}
{%- set nn = sqlnn._settings() -%}
{%- set types = sqlnn._feature_types(examples, nn) -%}
{%- set double_null = 'cast(null as ' ~ sqlnn.type_double() ~ ')' -%}
{%- for feature in nn.features %}
{%- set column = adapter.quote(feature) %}
{%- if types[feature] == 'numeric' %}
select
    {{ sqlnn.string_literal(feature) }} as feature,
    'numeric' as feature_type,
    stats.min_value as min,
    stats.max_value as max,
    stats.mean,
    middle.median,
    spread.stddev,
    cast(null as {{ dbt.type_bigint() }}) as category_count,
    stats.null_count
from (
    select
        min({{ column }}) as min_value,
        max({{ column }}) as max_value,
        avg({{ column }}) as mean,
        cast(sum(case when {{ column }} is null then 1 else 0 end) as {{ dbt.type_bigint() }}) as null_count
    from {{ examples }}
    where split = 'train'
) as stats
cross join (
    select sqrt(avg((examples.{{ column }} - moments.mean) * (examples.{{ column }} - moments.mean))) as stddev
    from {{ examples }} as examples
    cross join (select avg({{ column }}) as mean from {{ examples }} where split = 'train') as moments
    where examples.split = 'train' and examples.{{ column }} is not null
) as spread
cross join (
    -- the middle value, or the mean of the middle two
    select avg(value) as median
    from (
        select
            {{ column }} as value,
            row_number() over (order by {{ column }}) as position,
            count(*) over () as value_count
        from {{ examples }}
        where split = 'train' and {{ column }} is not null
    ) as ordered
    where position = floor((value_count + 1) / {{ sqlnn.double(2) }}) or position = floor(value_count / {{ sqlnn.double(2) }}) + 1
) as middle
{%- else %}
select
    {{ sqlnn.string_literal(feature) }} as feature,
    'categorical' as feature_type,
    {{ double_null }} as min,
    {{ double_null }} as max,
    {{ double_null }} as mean,
    {{ double_null }} as median,
    {{ double_null }} as stddev,
    cast(count(distinct {{ column }}) as {{ dbt.type_bigint() }}) as category_count,
    cast(sum(case when {{ column }} is null then 1 else 0 end) as {{ dbt.type_bigint() }}) as null_count
from {{ examples }}
where split = 'train'
{%- endif %}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{% endmacro %}
