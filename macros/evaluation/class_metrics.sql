{% macro class_metrics(confusion_matrix) %}
    {{- return(adapter.dispatch('class_metrics', 'sqlnn')(confusion_matrix)) -}}
{% endmacro %}

{% macro default__class_metrics(confusion_matrix) %}
with per_class as (
    select
        split,
        class,
        sum(case when actual_class = class then row_count else 0 end) as support,
        sum(case when predicted_class = class then row_count else 0 end) as predicted_count,
        sum(case when actual_class = class and predicted_class = class then row_count else 0 end) as true_positives
    from {{ confusion_matrix }} as counts
    cross join (select distinct actual_class as class from {{ confusion_matrix }}) as classes
    group by split, class
),

rates as (
    select
        split,
        class,
        support,
        predicted_count,
        true_positives,
        case when predicted_count > 0 then cast(true_positives as {{ sqlnn.type_double() }}) / predicted_count else {{ sqlnn.double(0) }} end as precision,
        case when support > 0 then cast(true_positives as {{ sqlnn.type_double() }}) / support else {{ sqlnn.double(0) }} end as recall
    from per_class
)

select
    split,
    class,
    support,
    predicted_count,
    true_positives,
    precision,
    recall,
    case when precision + recall > 0 then {{ sqlnn.double(2) }} * precision * recall / (precision + recall) else {{ sqlnn.double(0) }} end as f1
from rates
{% endmacro %}
