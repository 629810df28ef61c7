{#- The network's configuration, read once from the nn_* vars and checked. -#}

{% macro _settings() %}
    {%- set features = var('nn_features') -%}
    {%- set hidden = var('nn_hidden') -%}
    {%- set classes = var('nn_classes') -%}
    {%- set activation = var('nn_activation') -%}
    {%- set optimizer = var('nn_optimizer') -%}
    {%- set init_scale = var('nn_init_scale') -%}
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
    {%- if var('nn_label') is not string or var('nn_label') | length == 0 -%}
        {{ sqlnn._config_error("nn_label must be the name of the class column, e.g. label") }}
    {%- endif -%}
    {%- if var('nn_label') | lower in features | map('lower') | list -%}
        {{ sqlnn._config_error("nn_label '" ~ var('nn_label') ~ "' is also in nn_features: the class cannot be an input") }}
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
    {%- if not sqlnn._is_real(var('nn_learning_rate'), minimum=0, strict=true) -%}
        {{ sqlnn._config_error("nn_learning_rate must be a positive number, e.g. 0.15, got " ~ var('nn_learning_rate')) }}
    {%- endif -%}
    {%- if not sqlnn._is_real(var('nn_reg'), minimum=0) -%}
        {{ sqlnn._config_error("nn_reg must be a number >= 0 (0 turns L2 off), got " ~ var('nn_reg')) }}
    {%- endif -%}
    {%- for name in ['nn_momentum', 'nn_beta1', 'nn_beta2'] if not sqlnn._is_real(var(name), minimum=0, below=1) -%}
        {{ sqlnn._config_error(name ~ " must be in [0, 1), e.g. 0.9, got " ~ var(name)) }}
    {%- endfor -%}
    {%- if not sqlnn._is_real(var('nn_epsilon'), minimum=0, strict=true) -%}
        {{ sqlnn._config_error("nn_epsilon must be a positive number, e.g. 1e-8, got " ~ var('nn_epsilon')) }}
    {%- endif -%}
    {%- if not sqlnn._is_real(var('nn_leaky_relu_slope'), minimum=0) -%}
        {{ sqlnn._config_error("nn_leaky_relu_slope must be a number >= 0, e.g. 0.01, got " ~ var('nn_leaky_relu_slope')) }}
    {%- endif -%}
    {%- if not sqlnn._is_whole(var('nn_seed'), minimum=0) -%}
        {{ sqlnn._config_error("nn_seed must be a non-negative integer (the initialiser's PRNG works on non-negative residues)") }}
    {%- endif -%}
    {%- set sizes = [features | length] + (hidden | map('int') | list) + [classes | int] -%}
    {{ return({
        'features': features,
        'label': var('nn_label'),
        'classes': classes | int,
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
