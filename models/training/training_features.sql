{{ sqlnn.training_features(ref('training_examples'), ref('feature_scaling')) }}
