{#- Private: the SELECT list of a parameters relation in the contract's types, (layer, param, i,
    j, value) and the optimizer state (momentum_buffer, exp_avg, exp_avg_sq): the relation's own
    with `state`, else zeroed (a warm start's parameters carry no state). Shared by
    initial_params (init_from, init_params) and trained_params. -#}
{% macro _params_columns(state=true) -%}
    cast(layer as {{ dbt.type_bigint() }}) as layer,
    cast(param as {{ dbt.type_string() }}) as param,
    cast(i as {{ dbt.type_bigint() }}) as i,
    cast(j as {{ dbt.type_bigint() }}) as j,
    cast(value as {{ sqlnn.type_double() }}) as value
    {%- for column in ['momentum_buffer', 'exp_avg', 'exp_avg_sq'] %},
    {{ 'cast(' ~ column ~ ' as ' ~ sqlnn.type_double() ~ ')' if state else sqlnn.double(0) }} as {{ column }}
    {%- endfor %}
{%- endmacro %}
