{% macro trained_params(params) %}
    {{- return(adapter.dispatch('trained_params', 'sqlnn')(params)) -}}
{% endmacro %}

{% macro default__trained_params(params) %}
select
    cast(layer as {{ dbt.type_bigint() }}) as layer,
    cast(param as {{ dbt.type_string() }}) as param,
    cast(i as {{ dbt.type_bigint() }}) as i,
    cast(j as {{ dbt.type_bigint() }}) as j,
    cast(value as {{ sqlnn.type_double() }}) as value,
    {#- the optimizer state, so another network can continue this one's training (init_from) -#}
    cast(momentum_buffer as {{ sqlnn.type_double() }}) as momentum_buffer,
    cast(exp_avg as {{ sqlnn.type_double() }}) as exp_avg,
    cast(exp_avg_sq as {{ sqlnn.type_double() }}) as exp_avg_sq
from {{ params }}
{% endmacro %}
