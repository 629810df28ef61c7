{{ sqlnn.predictions(params=ref('trained_params'), examples=ref('training_examples'), features=ref('training_features')) }}
