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

{% macro _settings() %}
    {%- set features = sqlnn._var('nn_features') -%}
    {%- set hidden = sqlnn._var('nn_hidden') -%}
    {%- set classes = sqlnn._var('nn_classes') | int -%}
    {%- set activation = sqlnn._var('nn_activation') -%}
    {%- set optimizer = sqlnn._var('nn_optimizer') -%}
    {%- set init_scale = sqlnn._var('nn_init_scale') -%}
    {%- set validation_fraction = sqlnn._var('nn_validation_fraction') -%}
    {%- if activation not in ['relu', 'leaky_relu', 'tanh', 'sigmoid'] -%}
        {{ exceptions.raise_compiler_error("sqlnn: nn_activation '" ~ activation ~ "' is not one of relu, leaky_relu, tanh, sigmoid") }}
    {%- endif -%}
    {%- if optimizer not in ['sgd', 'momentum', 'adam'] -%}
        {{ exceptions.raise_compiler_error("sqlnn: nn_optimizer '" ~ optimizer ~ "' is not one of sgd, momentum, adam") }}
    {%- endif -%}
    {%- if init_scale is string and init_scale not in ['he', 'xavier'] -%}
        {{ exceptions.raise_compiler_error("sqlnn: nn_init_scale '" ~ init_scale ~ "' is neither a number nor one of he, xavier") }}
    {%- endif -%}
    {%- if features is string or features | length == 0 -%}
        {{ exceptions.raise_compiler_error("sqlnn: nn_features must be a non-empty list of column names") }}
    {%- endif -%}
    {%- if hidden is string or hidden is number -%}
        {{ exceptions.raise_compiler_error("sqlnn: nn_hidden must be a list of layer widths, e.g. [100] or [64, 64]") }}
    {%- endif -%}
    {%- if sqlnn._var('nn_seed') is not number or sqlnn._var('nn_seed') < 0 -%}
        {{ exceptions.raise_compiler_error("sqlnn: nn_seed must be a non-negative integer (the initialiser's PRNG works on non-negative residues)") }}
    {%- endif -%}
    {%- if validation_fraction is not number or validation_fraction < 0 or validation_fraction >= 1 -%}
        {{ exceptions.raise_compiler_error("sqlnn: nn_validation_fraction must be a number in [0, 1), got " ~ validation_fraction) }}
    {%- endif -%}
    {%- if sqlnn._var('nn_standardize') not in [true, false] -%}
        {{ exceptions.raise_compiler_error("sqlnn: nn_standardize must be true or false") }}
    {%- endif -%}
    {%- set sizes = [features | length] + (hidden | map('int') | list) + [classes] -%}
    {{ return({
        'features': features,
        'label': sqlnn._var('nn_label'),
        'classes': classes,
        'sizes': sizes,
        'n_layers': sizes | length - 1,
        'activation': activation,
        'leaky_relu_slope': sqlnn._var('nn_leaky_relu_slope') | float,
        'optimizer': optimizer,
        'learning_rate': sqlnn._var('nn_learning_rate') | float,
        'reg': sqlnn._var('nn_reg') | float,
        'momentum': sqlnn._var('nn_momentum') | float,
        'beta1': sqlnn._var('nn_beta1') | float,
        'beta2': sqlnn._var('nn_beta2') | float,
        'epsilon': sqlnn._var('nn_epsilon') | float,
        'seed': sqlnn._var('nn_seed') | int,
        'init_scale': init_scale,
        'init_params': sqlnn._var('nn_init_params'),
        'standardize': sqlnn._var('nn_standardize'),
        'validation_fraction': validation_fraction | float,
        'split_seed': sqlnn._var('nn_split_seed') | int,
    }) }}
{% endmacro %}
