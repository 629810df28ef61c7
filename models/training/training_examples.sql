{{ sqlnn.training_examples(ref(var('nn_training_data'))) }}
