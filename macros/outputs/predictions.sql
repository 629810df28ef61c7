{#- Each training_examples row (train and validation) with its predicted class and class probabilities. -#}
{% macro predictions(params, examples, scaling) %}
    {{- return(adapter.dispatch('predictions', 'sqlnn')(params, examples, scaling)) -}}
{% endmacro %}

{% macro default__predictions(params, examples, scaling) %}
{{ sqlnn.predict(examples, params=params, scaling=scaling) }}
{% endmacro %}
