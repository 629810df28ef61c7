{{ sqlnn.training_features(ref('training_examples')) }}
