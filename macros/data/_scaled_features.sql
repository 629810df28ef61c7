{#- Private: long form (row_id, unit, value) of a wide relation with the feature columns and a
    row number column, each value standardised as (x - center) / scale from the scaling relation. -#}
{% macro _scaled_features(examples, scaling, row_id='row_id', network=none) %}
{%- set nn = sqlnn._settings(network) -%}
select raw.row_id, raw.unit, (raw.value - scaling.center) / scaling.scale as value
from (
    {%- for feature in nn.features %}
    select {{ row_id }} as row_id, {{ loop.index0 }} as unit, cast({{ adapter.quote(feature) }} as {{ sqlnn.type_double() }}) as value from {{ examples }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
) as raw
inner join {{ scaling }} as scaling on scaling.unit = raw.unit
{% endmacro %}
