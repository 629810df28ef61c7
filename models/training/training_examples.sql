{{ sqlnn.training_examples(ref(sqlnn._var('nn_training_data'))) }}
