{{ sqlnn.feature_scaling(ref('training_examples')) }}
