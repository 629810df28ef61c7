{{ sqlnn.initial_params(ref(sqlnn._var('nn_init_params')) if sqlnn._var('nn_init_params') else none) }}
