{#- Private: layer 0 in long form (row_id, unit, value), every input unit of every row, from a
    relation with the feature columns as training_examples types them (doubles; text for
    categorical features) and a row number column. A numeric feature: NULL replaced by the
    scaling's impute_value, then (x - center) / scale. A categorical feature: 1 on the unit of
    its category (NULL's own unit for NULL, when kept) and 0 on its other units; a category
    the vocabulary does not hold counts as 'other'. `types`: feature -> numeric/categorical. -#}
{% macro _scaled_features(examples, vocabulary, scaling, types, row_id='row_id', network=none) %}
{%- set nn = sqlnn._settings(network) -%}
{%- for feature in nn.features %}
{%- set column = 'examples.' ~ adapter.quote(feature) %}
{%- set name = sqlnn.string_literal(feature) %}
{%- if types[feature] == 'numeric' %}
select
    examples.{{ row_id }} as row_id,
    scaling.unit,
    (coalesce({{ column }}, scaling.impute_value) - scaling.center) / scaling.scale as value
from {{ examples }} as examples
cross join (select unit, center, scale, impute_value from {{ scaling }} where feature = {{ name }}) as scaling
{%- else %}
select
    mapped.row_id,
    units.unit,
    case when units.unit = mapped.unit then {{ sqlnn.double(1) }} else {{ sqlnn.double(0) }} end as value
from (
    select
        examples.{{ row_id }} as row_id,
        case
            when {{ column }} is null then coalesce(fallback.null_unit, fallback.other_unit)
            else coalesce(hit.unit, fallback.other_unit)
        end as unit
    from {{ examples }} as examples
    left join {{ vocabulary }} as hit
        on hit.feature = {{ name }} and hit.category_kind = 'value' and hit.category = {{ column }}
    cross join (
        select
            max(case when category_kind = 'null' then unit end) as null_unit,
            max(case when category_kind = 'other' then unit end) as other_unit
        from {{ vocabulary }}
        where feature = {{ name }}
    ) as fallback
) as mapped
cross join (select unit from {{ vocabulary }} where feature = {{ name }}) as units
{%- endif %}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{% endmacro %}
