{#-
  Private: per split, ROC AUC and PR AUC (average precision) of the predicted probabilities, as
  scikit-learn's roc_auc_score and average_precision_score compute them:
  - two classes: of the second class (class 1, scikit-learn's positive label) against the first;
  - more: the mean over classes of each class against the rest (multi_class='ovr', average='macro').
  ROC AUC is the Mann-Whitney statistic: (sum of the positives' ranks - P(P+1)/2) / (P N), tied
  scores sharing their mean rank. Average precision sums, over the distinct scores from the
  highest, (positives at that score / P) * the precision of the rows scored at least that.
  A class with no positive or no negative row in a split has neither (NULL), and the mean skips it.
  `columns`: [(class, probability column)], from _class_columns.
-#}
{% macro _ranking_metrics(predictions, columns) %}
{%- set double = sqlnn.type_double() -%}
{%- set ranked_columns = columns[1:] if columns | length == 2 else columns -%}
{%- if ranked_columns | length == 0 -%}
    {#- compiled without a warehouse and without the classes setting: the classes are not known -#}
    {{ return('select cast(null as ' ~ dbt.type_string() ~ ') as split, cast(null as ' ~ double ~ ') as roc_auc, cast(null as ' ~ double ~ ') as pr_auc') }}
{%- endif %}
with scores as (
    {%- for class, column in ranked_columns %}
    select
        split,
        {{ class }} as class,
        {{ adapter.quote(column) }} as score,
        case when label = {{ class }} then 1 else 0 end as positive
    from {{ predictions }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

ranked as (
    select
        split,
        class,
        score,
        positive,
        -- the mean rank of the rows tied at this score (ranks from 1, lowest score first)
        cast(rank() over (partition by split, class order by score) as {{ double }})
            + cast(count(*) over (partition by split, class, score) - 1 as {{ double }}) / {{ sqlnn.double(2) }} as mean_rank
    from scores
),

thresholds as (
    -- one row per distinct score: its positives, and the rows scored at least that (from the highest)
    select
        split,
        class,
        score,
        sum(positive) as positives,
        sum(sum(positive)) over (partition by split, class order by score desc rows between unbounded preceding and current row) as true_positives,
        sum(count(*)) over (partition by split, class order by score desc rows between unbounded preceding and current row) as predicted_positives
    from scores
    group by split, class, score
),

per_class as (
    select
        totals.split,
        totals.class,
        case when totals.positives > 0 and totals.negatives > 0 then
            (totals.positive_rank_sum - cast(totals.positives as {{ double }}) * cast(totals.positives + 1 as {{ double }}) / {{ sqlnn.double(2) }})
            / (cast(totals.positives as {{ double }}) * cast(totals.negatives as {{ double }}))
        end as roc_auc,
        case when totals.positives > 0 and totals.negatives > 0 then precision_sums.average_precision end as pr_auc
    from (
        select
            split,
            class,
            sum(positive) as positives,
            sum(1 - positive) as negatives,
            sum(case when positive = 1 then mean_rank else {{ sqlnn.double(0) }} end) as positive_rank_sum
        from ranked
        group by split, class
    ) as totals
    left join (
        select
            thresholds.split,
            thresholds.class,
            sum(
                cast(thresholds.positives as {{ double }}) / cast(class_positives.positives as {{ double }})
                * cast(thresholds.true_positives as {{ double }}) / cast(thresholds.predicted_positives as {{ double }})
            ) as average_precision
        from thresholds
        inner join (
            select split, class, sum(positive) as positives from scores group by split, class
        ) as class_positives on class_positives.split = thresholds.split and class_positives.class = thresholds.class
        where class_positives.positives > 0
        group by thresholds.split, thresholds.class
    ) as precision_sums on precision_sums.split = totals.split and precision_sums.class = totals.class
)

select split, avg(roc_auc) as roc_auc, avg(pr_auc) as pr_auc
from per_class
group by split
{% endmacro %}
