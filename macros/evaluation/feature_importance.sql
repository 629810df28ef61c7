{#- Global feature importance, as ML.GLOBAL_EXPLAIN: per feature the mean absolute
    attribution (`sqlnn.explain_predict`, gradient x input) over the training split's rows,
    every k-th row by row_id when the split has more than `max_rows` (rows are numbered by
    content, so the sample spans the table), ranked from the most important. -#}
{% macro feature_importance(examples, max_rows=2000) %}
    {{- return(adapter.dispatch('feature_importance', 'sqlnn')(examples, max_rows)) -}}
{% endmacro %}

{% macro default__feature_importance(examples, max_rows=2000) %}
{%- set nn = sqlnn._settings() -%}
with sampled as (
    select examples.*
    from {{ examples }} as examples
    cross join (
        select cast(ceil(cast(count(*) as {{ sqlnn.type_double() }}) / {{ sqlnn.double(max_rows) }}) as {{ dbt.type_bigint() }}) as stride
        from {{ examples }}
        where split = 'train'
    ) as sample
    where examples.split = 'train' and {{ sqlnn.int_mod('examples.row_id', 'sample.stride') }} = 0
),

explained as (
    {{ sqlnn.explain_predict('sampled', network=nn.network) | indent(4) }}
),

per_feature as (
    {%- for feature in nn.features %}
    {%- set column = adapter.quote('attribution_' ~ feature) %}
    select
        {{ sqlnn.string_literal(feature) }} as feature,
        avg(abs({{ column }})) as mean_abs_attribution,
        avg({{ column }}) as mean_attribution,
        count({{ column }}) as row_count
    from explained
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    feature,
    mean_abs_attribution,
    mean_attribution,
    row_count,
    rank() over (order by mean_abs_attribution desc) as importance_rank
from per_feature
{% endmacro %}
