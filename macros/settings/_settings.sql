{#-
  A network's settings: the library defaults below, then the network's own settings
  (folder config in dbt_project.yml: `models: <project>: <network>: +meta: sqlnn: {...}`,
  written by `sqlnn scaffold`), then a one-off override from the command line
  (`--vars '{sqlnn: {<network>: {learning_rate: 0.05}}}'`). Read and checked here only.
-#}

{#- The library defaults: the one place they are written (README, "Configuration", is
    tested against it). Chosen by scripts/sweep_library_defaults.py over iris, wine, breast
    cancer, digits and generated data (docs/defaults_sweep.md). `data`, `features` and
    `label` have no default: every network names its own. `classes` is learned from the
    label column; when set, the learned number must equal it. -#}
{% macro _default_settings() %}
    {{ return({
        'epochs': 150,
        'batches': 1,
        'validation_interval': none,
        'task': 'auto',
        'classes': none,
        'class_weight': none,
        'feature_types': {},
        'impute': true,
        'min_category_count': 5,
        'max_categories': 100,
        'hidden': [100],
        'activation': 'relu',
        'leaky_relu_slope': 0.01,
        'optimizer': 'adam',
        'learning_rate': 0.01,
        'reg': 0.001,
        'momentum': 0.9,
        'beta1': 0.9,
        'beta2': 0.999,
        'epsilon': 0.00000001,
        'seed': 6,
        'init_scale': 'xavier',
        'init_params': none,
        'init_from': none,
        'standardize': true,
        'validation_fraction': 0.2,
        'split_seed': 0,
        'early_stopping': false,
        'patience': 10,
        'min_rel_progress': 0.01,
        'min_train_accuracy': 0.8,
        'min_validation_accuracy': 0.0,
        'min_train_r2': 0.3,
        'min_validation_r2': 0.0,
        'max_loss_increase': 0.05,
        'max_final_loss_ratio': 0.5,
        'duckdb_list_path': true,
        'duckdb_chunks': none,
        'duckdb_streaming_max_weights': 8192,
        'duckdb_streaming_min_rows': 10000,
    }) }}
{% endmacro %}

{%- macro _required_settings() -%}
    {{ return(['data', 'features', 'label']) }}
{%- endmacro -%}


{#- The raw settings of a network as the project configures them: (name, mapping), or
    (name, none) while dbt parses a node that is not the network's own (a test, a model
    calling sqlnn.predict), where only the graph knows them. A network model has them in
    its config (meta.sqlnn, inherited from its folder); a unit test states its own in vars. -#}
{% macro _network_config(network=none) %}
    {%- if network is none -%}
        {%- set own = ((model.config or {}).meta or {}).get('sqlnn') if model is mapping else none -%}
        {%- if own is mapping -%}
            {{ return((own.get('network'), own)) }}
        {%- endif -%}
        {%- if model is mapping and model.resource_type == 'unit_test' -%}
            {#- dbt gives a unit test neither the graph nor its config: its `overrides: vars:
                {sqlnn: {<network>: {...}}}` state the whole network it tests. Read them from
                the node: while dbt renders a unit test before executing it, var('sqlnn') is
                the command line's `--vars '{sqlnn: ...}'` when that is given. -#}
            {%- set stated = ((model.get('overrides') or {}).get('vars') or {}).get('sqlnn') or var('sqlnn', {}) -%}
            {%- if stated is mapping and stated | length == 1 -%}
                {%- set name = stated.keys() | first -%}
                {{ return((name, stated[name])) }}
            {%- endif -%}
            {{ return((none, none)) if not execute else sqlnn._config_error(none, "a unit test of a network model states the network in overrides: vars: {sqlnn: {<network>: {data: ..., features: [...], label: ..., classes: ...}}}") }}
        {%- endif -%}
        {{ sqlnn._config_error(none, "this model is not part of a network: give the network, e.g. sqlnn.predict(ref('new_rows'), network='churn')") }}
    {%- endif -%}
    {%- if not execute -%}{{ return((network, none)) }}{%- endif -%}
    {%- set names = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' -%}
        {%- set own = ((node.config or {}).meta or {}).get('sqlnn') -%}
        {%- if own is mapping and own.get('network') == network -%}
            {{ return((network, own)) }}
        {%- elif own is mapping and own.get('network') not in names -%}
            {%- do names.append(own.get('network')) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ sqlnn._config_error(none, "there is no network named '" ~ network ~ "' in this project (networks: "
        ~ (names | join(', ') or 'none; create one with `sqlnn scaffold NAME`') ~ ")") }}
{% endmacro %}


{#- Every network macro calls this. `network` names another network (tests, predict);
    without it the calling model's own network is meant. -#}
{% macro _settings(network=none) %}
    {%- set name, raw = sqlnn._network_config(network) -%}
    {%- set defaults = sqlnn._default_settings() -%}
    {%- set overrides = (var('sqlnn', {}) or {}) -%}
    {%- if overrides is not mapping -%}
        {{ sqlnn._config_error(name, "the var sqlnn must map network names to settings, e.g. --vars '{sqlnn: {" ~ name ~ ": {learning_rate: 0.05}}}'") }}
    {%- endif -%}
    {%- set override = overrides.get(name) or {} -%}
    {%- set v = {} -%}
    {%- do v.update(defaults) -%}
    {%- if raw is none -%}
        {#- parsing a node outside the network: the SQL is not run, refs need only the name -#}
        {%- do v.update({'network': name, 'data': none, 'features': [], 'label': 'label'}) -%}
        {%- do v.update({'n_layers': v.hidden | length + 1}) -%}
        {{ return(v) }}
    {%- endif -%}
    {%- if name is not string or name | length == 0 -%}
        {{ sqlnn._config_error(none, "a network's +meta: sqlnn: settings need `network: <name>` (sqlnn scaffold writes it)") }}
    {%- endif -%}
    {%- set known = defaults.keys() | list + sqlnn._required_settings() + ['network'] -%}
    {%- for source in [raw, override] -%}
        {%- for key in source if key not in known -%}
            {{ sqlnn._config_error(name, "unknown setting '" ~ key ~ "' (settings: " ~ (known | reject('equalto', 'network') | sort | join(', ')) ~ ")") }}
        {%- endfor -%}
        {%- do v.update(source) -%}
    {%- endfor -%}
    {%- for key in sqlnn._required_settings() if v.get(key) is none -%}
        {{ sqlnn._config_error(name, "set `" ~ key ~ "` in the network's settings (dbt_project.yml, models: ... " ~ name ~ ": +meta: sqlnn:)") }}
    {%- endfor -%}
    {#- checked while dbt parses the network's models; executing them re-reads the same config and
        vars (changed vars re-parse), so the checks are skipped there: most of _settings' macro calls -#}
    {%- if not execute -%}{%- do sqlnn._check_settings(name, v) -%}{%- endif -%}
    {%- do v.update({
        'network': name,
        'classes': none if v.classes is none else v.classes | int,
        'hidden': v.hidden | map('int') | list,
        'n_layers': v.hidden | length + 1,
        'feature_types': v.feature_types or {},
        'min_category_count': v.min_category_count | int,
        'max_categories': v.max_categories | int,
        'epochs': v.epochs | int,
        'batches': v.batches | int,
        'validation_interval': (v.batches | int) if v.validation_interval is none else v.validation_interval | int,
        'leaky_relu_slope': v.leaky_relu_slope | float,
        'learning_rate': v.learning_rate | float,
        'reg': v.reg | float,
        'momentum': v.momentum | float,
        'beta1': v.beta1 | float,
        'beta2': v.beta2 | float,
        'epsilon': v.epsilon | float,
        'seed': v.seed | int,
        'validation_fraction': v.validation_fraction | float,
        'split_seed': v.split_seed | int,
        'early_stopping': v.early_stopping in [true, 'true', 'True'],
        'patience': v.patience | int,
        'min_rel_progress': v.min_rel_progress | float,
        'min_train_accuracy': v.min_train_accuracy | float,
        'min_validation_accuracy': v.min_validation_accuracy | float,
        'min_train_r2': v.min_train_r2 | float,
        'min_validation_r2': v.min_validation_r2 | float,
        'max_loss_increase': v.max_loss_increase | float,
        'max_final_loss_ratio': v.max_final_loss_ratio | float,
        'duckdb_list_path': v.duckdb_list_path in [true, 'true', 'True'],
        'duckdb_streaming_max_weights': v.duckdb_streaming_max_weights | int,
        'duckdb_streaming_min_rows': v.duckdb_streaming_min_rows | int,
    }) -%}
    {{ return(v) }}
{% endmacro %}


{#- Every setting a user can write, checked with a one-line message naming it and the fix. -#}
{% macro _check_settings(name, v) %}
    {%- set features = v.features -%}
    {%- set hidden = v.hidden -%}
    {%- if v.task not in ['auto', 'classification', 'regression'] -%}
        {{ sqlnn._config_error(name, "task '" ~ v.task ~ "' is not one of auto (from the label's column type), classification, regression") }}
    {%- endif -%}
    {%- if not (v.class_weight is none or v.class_weight == 'balanced' or v.class_weight is mapping) -%}
        {{ sqlnn._config_error(name, "class_weight must be balanced or map label values to weights, e.g. {benign: 1, malignant: 2}, got " ~ v.class_weight) }}
    {%- endif -%}
    {#- dbt's event log cannot serialise a config holding a mapping with number keys: a build then stalls -#}
    {%- for value in (v.class_weight.keys() if v.class_weight is mapping else []) if value is not string -%}
        {{ sqlnn._config_error(name, "class_weight: quote the label value " ~ value ~ " (write '" ~ value ~ "': ...): dbt cannot log settings whose keys are numbers") }}
    {%- endfor -%}
    {%- for value, weight in (v.class_weight.items() if v.class_weight is mapping else []) if not sqlnn._is_real(weight, minimum=0, strict=true) -%}
        {{ sqlnn._config_error(name, "class_weight: the weight of " ~ value ~ " must be a positive number, got " ~ weight) }}
    {%- endfor -%}
    {%- if v.task == 'regression' and v.class_weight is not none -%}
        {{ sqlnn._config_error(name, "class_weight is set but task is regression: remove it (a regression network has no classes)") }}
    {%- endif -%}
    {%- if v.task == 'regression' and v.classes is not none -%}
        {{ sqlnn._config_error(name, "classes is set but task is regression: remove the classes setting (a regression network has one output)") }}
    {%- endif -%}
    {%- for key in ['min_train_r2', 'min_validation_r2'] if not sqlnn._is_real(v[key]) or v[key] | float > 1 -%}
        {{ sqlnn._config_error(name, key ~ " must be a number of at most 1, e.g. 0.5, got " ~ v[key]) }}
    {%- endfor -%}
    {%- if v.activation not in ['relu', 'leaky_relu', 'tanh', 'sigmoid'] -%}
        {{ sqlnn._config_error(name, "activation '" ~ v.activation ~ "' is not one of relu, leaky_relu, tanh, sigmoid") }}
    {%- endif -%}
    {%- if v.optimizer not in ['sgd', 'momentum', 'adam'] -%}
        {{ sqlnn._config_error(name, "optimizer '" ~ v.optimizer ~ "' is not one of sgd, momentum, adam") }}
    {%- endif -%}
    {%- if v.init_scale is string and v.init_scale not in ['he', 'xavier'] -%}
        {{ sqlnn._config_error(name, "init_scale '" ~ v.init_scale ~ "' is neither a number nor one of he, xavier") }}
    {%- elif v.init_scale is not string and not sqlnn._is_real(v.init_scale, minimum=0, strict=true) -%}
        {{ sqlnn._config_error(name, "init_scale must be a positive number or one of he, xavier, got " ~ v.init_scale) }}
    {%- endif -%}
    {%- if v.data is not string and not (v.data is mapping and v.data.source is string and v.data.table is string) -%}
        {{ sqlnn._config_error(name, "data must name a model or seed (data: customers) or a source (data: {source: raw, table: customers}), got " ~ v.data) }}
    {%- endif -%}
    {%- if features is string or features is not iterable or features is mapping or features | length == 0 -%}
        {{ sqlnn._config_error(name, "features must be a non-empty list of column names, e.g. [x1, x2]") }}
    {%- endif -%}
    {%- for feature in features if feature is not string or feature | length == 0 -%}
        {{ sqlnn._config_error(name, "features must list column names (strings), got " ~ feature) }}
    {%- endfor -%}
    {%- if features | map('lower') | unique | list | length < features | length -%}
        {{ sqlnn._config_error(name, "features lists a column twice: " ~ features | join(', ')) }}
    {%- endif -%}
    {%- if v.label is not string or v.label | length == 0 -%}
        {{ sqlnn._config_error(name, "label must be the name of the class column, e.g. label") }}
    {%- endif -%}
    {%- if v.label | lower in features | map('lower') | list -%}
        {{ sqlnn._config_error(name, "label '" ~ v.label ~ "' is also in features: the class cannot be an input") }}
    {%- endif -%}
    {%- if hidden is string or hidden is not iterable or hidden is mapping or hidden | length == 0 -%}
        {{ sqlnn._config_error(name, "hidden must be a non-empty list of layer widths, e.g. [100] or [64, 64]") }}
    {%- endif -%}
    {%- for width in hidden if not sqlnn._is_whole(width, minimum=1) -%}
        {{ sqlnn._config_error(name, "hidden widths must be positive integers, e.g. [100] or [64, 64]; got " ~ hidden) }}
    {%- endfor -%}
    {%- if v.classes is not none and not sqlnn._is_whole(v.classes, minimum=2) -%}
        {{ sqlnn._config_error(name, "classes must be an integer of at least 2 (the number of label values) or left out (it is learned), got " ~ v.classes) }}
    {%- endif -%}
    {%- if v.impute not in [true, false] -%}
        {{ sqlnn._config_error(name, "impute must be true or false") }}
    {%- endif -%}
    {%- set types = v.feature_types or {} -%}
    {%- if types is not mapping -%}
        {{ sqlnn._config_error(name, "feature_types must map feature columns to numeric or categorical, e.g. {zip_code: categorical}") }}
    {%- endif -%}
    {%- for column, kind in types.items() -%}
        {%- if column | lower not in features | map('lower') | list -%}
            {{ sqlnn._config_error(name, "feature_types names '" ~ column ~ "', which is not in features (" ~ features | join(', ') ~ ")") }}
        {%- elif kind not in ['numeric', 'categorical'] -%}
            {{ sqlnn._config_error(name, "feature_types: " ~ column ~ " must be numeric or categorical, got " ~ kind) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if not sqlnn._is_whole(v.min_category_count, minimum=1) -%}
        {{ sqlnn._config_error(name, "min_category_count must be a positive integer (rarer categories share the 'other' input), got " ~ v.min_category_count) }}
    {%- endif -%}
    {%- if not sqlnn._is_whole(v.max_categories, minimum=1) -%}
        {{ sqlnn._config_error(name, "max_categories must be a positive integer (inputs per text column besides NULL and 'other'), got " ~ v.max_categories) }}
    {%- endif -%}
    {%- if not sqlnn._is_whole(v.epochs, minimum=1) -%}
        {{ sqlnn._config_error(name, "epochs must be a positive integer (then run `sqlnn scaffold " ~ name ~ "`), got " ~ v.epochs) }}
    {%- endif -%}
    {%- if not sqlnn._is_whole(v.batches, minimum=1) -%}
        {{ sqlnn._config_error(name, "batches must be a positive integer (mini-batches per epoch; 1 is full batch), then run `sqlnn scaffold " ~ name ~ "`, got " ~ v.batches) }}
    {%- endif -%}
    {%- if v.validation_interval is not none and not sqlnn._is_whole(v.validation_interval, minimum=1) -%}
        {{ sqlnn._config_error(name, "validation_interval must be a positive integer (steps between validation losses) or left out (once per epoch), got " ~ v.validation_interval) }}
    {%- endif -%}
    {%- if not sqlnn._is_real(v.learning_rate, minimum=0, strict=true) -%}
        {{ sqlnn._config_error(name, "learning_rate must be a positive number, e.g. 0.01, got " ~ v.learning_rate) }}
    {%- endif -%}
    {%- if not sqlnn._is_real(v.reg, minimum=0) -%}
        {{ sqlnn._config_error(name, "reg must be a number >= 0 (0 turns L2 off), got " ~ v.reg) }}
    {%- endif -%}
    {%- for key in ['momentum', 'beta1', 'beta2'] if not sqlnn._is_real(v[key], minimum=0, below=1) -%}
        {{ sqlnn._config_error(name, key ~ " must be in [0, 1), e.g. 0.9, got " ~ v[key]) }}
    {%- endfor -%}
    {%- if not sqlnn._is_real(v.epsilon, minimum=0, strict=true) -%}
        {{ sqlnn._config_error(name, "epsilon must be a positive number, e.g. 1e-8, got " ~ v.epsilon) }}
    {%- endif -%}
    {%- if not sqlnn._is_real(v.leaky_relu_slope, minimum=0) -%}
        {{ sqlnn._config_error(name, "leaky_relu_slope must be a number >= 0, e.g. 0.01, got " ~ v.leaky_relu_slope) }}
    {%- endif -%}
    {%- if not sqlnn._is_whole(v.seed, minimum=0) -%}
        {{ sqlnn._config_error(name, "seed must be a non-negative integer (the initialiser's PRNG works on non-negative residues)") }}
    {%- endif -%}
    {%- if not sqlnn._is_real(v.validation_fraction, minimum=0, below=1) -%}
        {{ sqlnn._config_error(name, "validation_fraction must be a number in [0, 1), got " ~ v.validation_fraction) }}
    {%- endif -%}
    {%- if v.standardize not in [true, false] -%}
        {{ sqlnn._config_error(name, "standardize must be true or false") }}
    {%- endif -%}
    {%- if not sqlnn._is_whole(v.split_seed, minimum=0) -%}
        {{ sqlnn._config_error(name, "split_seed must be a non-negative integer, got " ~ v.split_seed) }}
    {%- endif -%}
    {%- if v.early_stopping not in [true, false, 'true', 'false', 'True', 'False'] -%}
        {{ sqlnn._config_error(name, "early_stopping must be true or false") }}
    {%- endif -%}
    {%- if v.early_stopping in [true, 'true', 'True'] and not v.validation_fraction | float > 0 -%}
        {{ sqlnn._config_error(name, "early_stopping watches the validation loss, but validation_fraction is " ~ v.validation_fraction ~ ": set it above 0, e.g. 0.2") }}
    {%- endif -%}
    {%- if not sqlnn._is_whole(v.patience, minimum=1) -%}
        {{ sqlnn._config_error(name, "patience must be a positive integer (epochs without progress before training stops), got " ~ v.patience) }}
    {%- endif -%}
    {%- if not sqlnn._is_real(v.min_rel_progress, minimum=0, below=1) -%}
        {{ sqlnn._config_error(name, "min_rel_progress must be a number in [0, 1), e.g. 0.01 (a 1% lower validation loss counts as progress), got " ~ v.min_rel_progress) }}
    {%- endif -%}
    {%- for key in ['min_train_accuracy', 'min_validation_accuracy'] if not sqlnn._is_real(v[key], minimum=0) or v[key] | float > 1 -%}
        {{ sqlnn._config_error(name, key ~ " must be a number in [0, 1], e.g. 0.9, got " ~ v[key]) }}
    {%- endfor -%}
    {%- if not sqlnn._is_real(v.max_loss_increase, minimum=0) -%}
        {{ sqlnn._config_error(name, "max_loss_increase must be a number >= 0, e.g. 0.05, got " ~ v.max_loss_increase) }}
    {%- endif -%}
    {%- if not sqlnn._is_real(v.max_final_loss_ratio, minimum=0, strict=true) -%}
        {{ sqlnn._config_error(name, "max_final_loss_ratio must be a positive number, e.g. 0.5, got " ~ v.max_final_loss_ratio) }}
    {%- endif -%}
    {%- if v.duckdb_list_path not in [true, false, 'true', 'false', 'True', 'False'] -%}
        {{ sqlnn._config_error(name, "duckdb_list_path must be true or false") }}
    {%- endif -%}
    {%- if v.init_from is not none and (v.init_from is not string or v.init_from | length == 0) -%}
        {{ sqlnn._config_error(name, "init_from must name another network of the project, e.g. init_from: churn, got " ~ v.init_from) }}
    {%- elif v.init_from == name -%}
        {{ sqlnn._config_error(name, "init_from names the network itself: name the network to continue from (trained parameters come from its <network>_trained_params)") }}
    {%- elif v.init_from is not none and v.init_params is not none -%}
        {{ sqlnn._config_error(name, "init_from and init_params are both set: keep one (init_from continues another network's training, init_params copies parameters only)") }}
    {%- endif -%}
    {%- if v.duckdb_chunks is not none and not sqlnn._is_whole(v.duckdb_chunks, minimum=1) -%}
        {{ sqlnn._config_error(name, "duckdb_chunks must be a positive integer or null, got " ~ v.duckdb_chunks) }}
    {%- endif -%}
    {%- if not sqlnn._is_whole(v.duckdb_streaming_min_rows, minimum=0) -%}
        {{ sqlnn._config_error(name, "duckdb_streaming_min_rows must be an integer >= 0 (0 streams the weight gradients of tables of any size), got " ~ v.duckdb_streaming_min_rows) }}
    {%- endif -%}
    {%- if not sqlnn._is_whole(v.duckdb_streaming_max_weights, minimum=0) -%}
        {{ sqlnn._config_error(name, "duckdb_streaming_max_weights must be an integer >= 0 (0 always gathers the weight gradients), got " ~ v.duckdb_streaming_max_weights) }}
    {%- endif -%}
{% endmacro %}


{#- One line naming the network, the setting and the fix; raised while dbt compiles. -#}
{% macro _config_error(network, message) %}
    {{- exceptions.raise_compiler_error("sqlnn: " ~ ("network " ~ network ~ ": " if network else "") ~ message) -}}
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
