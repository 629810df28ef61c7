-- depends_on: {{ ref('training_data_checks') }}
-- (bad data stops the build in training_data_checks, before any row is cast or any epoch runs)
{{ sqlnn.training_examples(ref(sqlnn._var('nn_training_data'))) }}
