{#- The network's configuration, read once from the nn_* vars and checked. -#}

{#- Library defaults, used when neither the project nor --vars sets a var: a project that
    installs sqlnn as a package sees only its own vars, not those of sqlnn's dbt_project.yml
    (which configure the spiral demo). The data vars have no default. -#}
{% macro _default_settings() %}
    {{ return({
        'nn_hidden': [100],
        'nn_activation': 'relu',
        'nn_leaky_relu_slope': 0.01,
        'nn_optimizer': 'adam',
        'nn_learning_rate': 0.15,
        'nn_reg': 0.001,
        'nn_momentum': 0.9,
        'nn_beta1': 0.9,
        'nn_beta2': 0.999,
        'nn_epsilon': 0.00000001,
        'nn_seed': 6,
        'nn_init_scale': 0.01,
        'nn_init_params': none,
        'nn_standardize': true,
        'nn_validation_fraction': 0.2,
        'nn_split_seed': 0,
    }) }}
{% endmacro %}

{#- A var with the library default; data vars without one must be set. -#}
{% macro _var(name) %}
    {%- set defaults = sqlnn._default_settings() -%}
    {%- if name in defaults -%}
        {{ return(var(name, defaults[name])) }}
    {%- endif -%}
    {%- set value = var(name, none) -%}
    {%- if value is none -%}
        {{ exceptions.raise_compiler_error("sqlnn: set the var " ~ name ~ " (in your dbt_project.yml vars or with --vars)") }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}

{#- Every model calls this: the vars are read in one pass (a macro call per var costs
    about 20 us in dbt, and this runs for each of the ~190 models of a build). -#}
{% macro _settings() %}
    {%- set v = {} -%}
    {%- for name, default in sqlnn._default_settings().items() -%}
        {%- do v.update({name: var(name, default)}) -%}
    {%- endfor -%}
    {%- for name in ['nn_features', 'nn_classes', 'nn_label'] -%}
        {%- do v.update({name: sqlnn._var(name)}) -%}
    {%- endfor -%}
    {%- set features = v.nn_features -%}
    {%- set hidden = v.nn_hidden -%}
    {%- set classes = v.nn_classes -%}
    {%- set activation = v.nn_activation -%}
    {%- set optimizer = v.nn_optimizer -%}
    {%- set init_scale = v.nn_init_scale -%}
    {%- set validation_fraction = v.nn_validation_fraction -%}
    {%- if activation not in ['relu', 'leaky_relu', 'tanh', 'sigmoid'] -%}
        {{ sqlnn._config_error("nn_activation '" ~ activation ~ "' is not one of relu, leaky_relu, tanh, sigmoid") }}
    {%- endif -%}
    {%- if optimizer not in ['sgd', 'momentum', 'adam'] -%}
        {{ sqlnn._config_error("nn_optimizer '" ~ optimizer ~ "' is not one of sgd, momentum, adam") }}
    {%- endif -%}
    {%- if init_scale is string and init_scale not in ['he', 'xavier'] -%}
        {{ sqlnn._config_error("nn_init_scale '" ~ init_scale ~ "' is neither a number nor one of he, xavier") }}
    {%- elif init_scale is not string and not sqlnn._is_real(init_scale, minimum=0, strict=true) -%}
        {{ sqlnn._config_error("nn_init_scale must be a positive number or one of he, xavier, got " ~ init_scale) }}
    {%- endif -%}
    {%- if features is string or features is not iterable or features is mapping or features | length == 0 -%}
        {{ sqlnn._config_error("nn_features must be a non-empty list of column names, e.g. [x1, x2]") }}
    {%- endif -%}
    {%- for feature in features if feature is not string or feature | length == 0 -%}
        {{ sqlnn._config_error("nn_features must list column names (strings), got " ~ feature) }}
    {%- endfor -%}
    {%- if features | map('lower') | unique | list | length < features | length -%}
        {{ sqlnn._config_error("nn_features lists a column twice: " ~ features | join(', ')) }}
    {%- endif -%}
    {%- if v.nn_label is not string or v.nn_label | length == 0 -%}
        {{ sqlnn._config_error("nn_label must be the name of the class column, e.g. label") }}
    {%- endif -%}
    {%- if v.nn_label | lower in features | map('lower') | list -%}
        {{ sqlnn._config_error("nn_label '" ~ v.nn_label ~ "' is also in nn_features: the class cannot be an input") }}
    {%- endif -%}
    {%- if hidden is string or hidden is not iterable or hidden is mapping or hidden | length == 0 -%}
        {{ sqlnn._config_error("nn_hidden must be a non-empty list of layer widths, e.g. [100] or [64, 64]") }}
    {%- endif -%}
    {%- for width in hidden if not sqlnn._is_whole(width, minimum=1) -%}
        {{ sqlnn._config_error("nn_hidden widths must be positive integers, e.g. [100] or [64, 64]; got " ~ hidden) }}
    {%- endfor -%}
    {%- if not sqlnn._is_whole(classes, minimum=2) -%}
        {{ sqlnn._config_error("nn_classes must be an integer of at least 2 (the number of label values), got " ~ classes) }}
    {%- endif -%}
    {%- if not sqlnn._is_real(v.nn_learning_rate, minimum=0, strict=true) -%}
        {{ sqlnn._config_error("nn_learning_rate must be a positive number, e.g. 0.15, got " ~ v.nn_learning_rate) }}
    {%- endif -%}
    {%- if not sqlnn._is_real(v.nn_reg, minimum=0) -%}
        {{ sqlnn._config_error("nn_reg must be a number >= 0 (0 turns L2 off), got " ~ v.nn_reg) }}
    {%- endif -%}
    {%- for name in ['nn_momentum', 'nn_beta1', 'nn_beta2'] if not sqlnn._is_real(v[name], minimum=0, below=1) -%}
        {{ sqlnn._config_error(name ~ " must be in [0, 1), e.g. 0.9, got " ~ v[name]) }}
    {%- endfor -%}
    {%- if not sqlnn._is_real(v.nn_epsilon, minimum=0, strict=true) -%}
        {{ sqlnn._config_error("nn_epsilon must be a positive number, e.g. 1e-8, got " ~ v.nn_epsilon) }}
    {%- endif -%}
    {%- if not sqlnn._is_real(v.nn_leaky_relu_slope, minimum=0) -%}
        {{ sqlnn._config_error("nn_leaky_relu_slope must be a number >= 0, e.g. 0.01, got " ~ v.nn_leaky_relu_slope) }}
    {%- endif -%}
    {%- if not sqlnn._is_whole(v.nn_seed, minimum=0) -%}
        {{ sqlnn._config_error("nn_seed must be a non-negative integer (the initialiser's PRNG works on non-negative residues)") }}
    {%- endif -%}
    {%- if not sqlnn._is_real(validation_fraction, minimum=0, below=1) -%}
        {{ sqlnn._config_error("nn_validation_fraction must be a number in [0, 1), got " ~ validation_fraction) }}
    {%- endif -%}
    {%- if v.nn_standardize not in [true, false] -%}
        {{ sqlnn._config_error("nn_standardize must be true or false") }}
    {%- endif -%}
    {%- if not sqlnn._is_whole(v.nn_split_seed, minimum=0) -%}
        {{ sqlnn._config_error("nn_split_seed must be a non-negative integer, got " ~ v.nn_split_seed) }}
    {%- endif -%}
    {%- set sizes = [features | length] + (hidden | map('int') | list) + [classes | int] -%}
    {{ return({
        'features': features,
        'label': v.nn_label,
        'classes': classes | int,
        'sizes': sizes,
        'n_layers': sizes | length - 1,
        'activation': activation,
        'leaky_relu_slope': v.nn_leaky_relu_slope | float,
        'optimizer': optimizer,
        'learning_rate': v.nn_learning_rate | float,
        'reg': v.nn_reg | float,
        'momentum': v.nn_momentum | float,
        'beta1': v.nn_beta1 | float,
        'beta2': v.nn_beta2 | float,
        'epsilon': v.nn_epsilon | float,
        'seed': v.nn_seed | int,
        'init_scale': init_scale,
        'init_params': v.nn_init_params,
        'standardize': v.nn_standardize,
        'validation_fraction': validation_fraction | float,
        'split_seed': v.nn_split_seed | int,
    }) }}
{% endmacro %}

{#- One line naming the var and the fix; raised while dbt compiles. -#}
{% macro _config_error(message) %}
    {{- exceptions.raise_compiler_error("sqlnn: " ~ message) -}}
{% endmacro %}

{#- A finite number (not a bool or a string) >= minimum (> minimum when strict) and, when given, < below. -#}
{% macro _is_real(value, minimum=none, strict=false, below=none) %}
    {#- --vars is YAML 1.1, which reads 1e-3 (no dot) as a string: accept numeric strings -#}
    {%- set value = value | float(none) if value is string else value -%}
    {%- if value is boolean or value is not number or value - value != 0 -%}{#- NaN and inf -#}
        {{ return(false) }}
    {%- endif -%}
    {%- if minimum is not none and (value < minimum or (strict and value == minimum)) -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(below is none or value < below) }}
{% endmacro %}

{#- An integer (2 or 2.0, not 2.5, a bool or a string) >= minimum. -#}
{% macro _is_whole(value, minimum) %}
    {{ return(sqlnn._is_real(value, minimum=minimum) and value | float | int == value | float) }}
{% endmacro %}
