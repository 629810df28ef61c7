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

aggregated as (
    -- every feature's means in one pass: `explained` is read once (Spark and BigQuery would compute a
    -- CTE again for each reference, the whole explanation once per feature)
    select
    {%- for feature in nn.features %}
        {%- set column = adapter.quote('attribution_' ~ feature) %}
        avg(abs({{ column }})) as mean_abs_{{ loop.index0 }},
        avg({{ column }}) as mean_{{ loop.index0 }},
        count({{ column }}) as count_{{ loop.index0 }}{{ ',' if not loop.last }}
    {%- endfor %}
    from explained
),

per_feature as (
    -- one row per feature: the aggregate row read against the list of features
    select
        features.feature,
        {%- for kind, name in [('mean_abs', 'mean_abs_attribution'), ('mean', 'mean_attribution'), ('count', 'row_count')] %}
        case features.position
            {%- for feature in nn.features %}
            when {{ loop.index0 }} then aggregated.{{ kind }}_{{ loop.index0 }}
            {%- endfor %}
        end as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from aggregated
    cross join (
        {%- for feature in nn.features %}
        select {{ loop.index0 }} as position, {{ sqlnn.string_literal(feature) }} as feature
        {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    ) as features
)

select
    feature,
    mean_abs_attribution,
    mean_attribution,
    row_count,
    rank() over (order by mean_abs_attribution desc) as importance_rank
from per_feature
{% endmacro %}
