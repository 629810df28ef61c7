{{ sqlnn.initial_params(ref(var('nn_init_params')) if var('nn_init_params') else none) }}
