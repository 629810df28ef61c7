{{ sqlnn.predictions(params=ref('trained_params'), examples=ref('training_examples'), scaling=ref('feature_scaling')) }}
