{{ sqlnn.training_data_checks(ref(var('nn_training_data'))) }}
