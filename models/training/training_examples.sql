-- depends_on: {{ ref('training_data_checks') }}
{{ sqlnn.training_examples(ref(sqlnn._var('nn_training_data'))) }}
