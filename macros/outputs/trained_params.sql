{% macro trained_params(params) %}
    {{- return(adapter.dispatch('trained_params', 'sqlnn')(params)) -}}
{% endmacro %}

{% macro default__trained_params(params) %}
{#- the optimizer state too, so another network can continue this one's training (init_from) -#}
select
{{ sqlnn._params_columns(state=true) }}
from {{ params }}
{% endmacro %}
