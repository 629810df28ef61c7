{#-
  Private, DuckDB list path: a SELECT of (row_id, value_list), one row per row of
  `examples`, `value_list` its input units in unit order, exactly as `_scaled_features`
  computes them (a numeric feature imputed, then (x - center) / scale; a categorical one
  one-hot over its vocabulary units, NULL on its own unit or 'other', an unseen category on
  'other'). Read straight from the examples' columns, one join per categorical feature:
  no long form to regroup, so memory stays flat in the rows. Unit numbers are data (the
  vocabulary's categories), so `layout` reads each feature's first unit from the vocabulary.
  `types`: feature -> numeric/categorical. `where`: an optional filter on `examples`.
-#}
{% macro _list_inputs(examples, vocabulary, scaling, types, nn, where=none) %}
{%- set double = sqlnn.type_double() -%}
{%- set segments = [] -%}
{%- for feature in nn.features -%}
    {%- set k = loop.index0 -%}
    {%- set column = 'examples.' ~ adapter.quote(feature) -%}
    {%- if types[feature] == 'numeric' -%}
        {%- set at = '[layout.first_unit_' ~ k ~ ' + 1]' -%}
        {%- do segments.append('[(coalesce(cast(' ~ column ~ ' as ' ~ double ~ '), scaling.impute_values' ~ at ~ ') - scaling.centers' ~ at ~ ') / scaling.scales' ~ at ~ ']') -%}
    {%- else -%}
        {%- set unit = 'case when ' ~ column ~ ' is null then coalesce(layout.null_unit_' ~ k ~ ', layout.other_unit_' ~ k ~ ') else coalesce(hit_' ~ k ~ '.unit, layout.other_unit_' ~ k ~ ') end' -%}
        {%- do segments.append('list_transform(range(layout.unit_count_' ~ k ~ '), lambda u: case when layout.first_unit_' ~ k ~ ' + u = ' ~ unit ~ ' then ' ~ sqlnn.double(1) ~ ' else ' ~ sqlnn.double(0) ~ ' end)') -%}
    {%- endif -%}
{%- endfor -%}
select
    examples.row_id,
    {{ segments | join('\n    || ') }} as value_list
from {{ examples }} as examples
cross join (
    select
        list(center order by unit) as centers,
        list(scale order by unit) as scales,
        list(impute_value order by unit) as impute_values
    from {{ scaling }}
    where unit >= 0  -- a regression target's row (unit -1) is not an input
) as scaling
cross join (
    -- per feature its first unit; a categorical one's unit count and NULL and 'other' units too
    select
        {%- for feature in nn.features %}
        {%- set name = sqlnn.string_literal(feature) %}
        min(case when feature = {{ name }} then unit end) as first_unit_{{ loop.index0 }}
        {%- if types[feature] != 'numeric' %},
        count(case when feature = {{ name }} then unit end) as unit_count_{{ loop.index0 }},
        max(case when feature = {{ name }} and category_kind = 'null' then unit end) as null_unit_{{ loop.index0 }},
        max(case when feature = {{ name }} and category_kind = 'other' then unit end) as other_unit_{{ loop.index0 }}
        {%- endif %}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ vocabulary }}
) as layout
{%- for feature in nn.features if types[feature] == 'categorical' %}
{%- set k = nn.features.index(feature) %}
left join (
    select category, unit from {{ vocabulary }} where feature = {{ sqlnn.string_literal(feature) }} and category_kind = 'value'
) as hit_{{ k }} on hit_{{ k }}.category = examples.{{ adapter.quote(feature) }}
{%- endfor %}
{%- if where %}
where {{ where }}
{%- endif %}
{% endmacro %}
