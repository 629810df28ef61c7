{{ sqlnn.training_data_checks(ref(sqlnn._var('nn_training_data'))) }}
