{#- The network's configuration, read once from the nn_* vars and checked. -#}

{% macro _settings() %}
    {%- set features = var('nn_features') -%}
    {%- set hidden = var('nn_hidden') -%}
    {%- set classes = var('nn_classes') | int -%}
    {%- set activation = var('nn_activation') -%}
    {%- set optimizer = var('nn_optimizer') -%}
    {%- set init_scale = var('nn_init_scale') -%}
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
    {%- if var('nn_seed') is not number or var('nn_seed') < 0 -%}
        {{ exceptions.raise_compiler_error("sqlnn: nn_seed must be a non-negative integer (the initialiser's PRNG works on non-negative residues)") }}
    {%- endif -%}
    {%- set sizes = [features | length] + (hidden | map('int') | list) + [classes] -%}
    {{ return({
        'features': features,
        'label': var('nn_label'),
        'classes': classes,
        'sizes': sizes,
        'n_layers': sizes | length - 1,
        'activation': activation,
        'leaky_relu_slope': var('nn_leaky_relu_slope') | float,
        'optimizer': optimizer,
        'learning_rate': var('nn_learning_rate') | float,
        'reg': var('nn_reg') | float,
        'momentum': var('nn_momentum') | float,
        'beta1': var('nn_beta1') | float,
        'beta2': var('nn_beta2') | float,
        'epsilon': var('nn_epsilon') | float,
        'seed': var('nn_seed') | int,
        'init_scale': init_scale,
        'init_params': var('nn_init_params'),
    }) }}
{% endmacro %}
