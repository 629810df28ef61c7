{#- Private helpers of predict, explain_predict and evaluation: what a trained network's outputs
    look like, read from its models when dbt may read the warehouse (_reads_warehouse: run, build,
    retry, show, and `sqlnn status`'s compile). Without it (dbt compile, docs generate, parse)
    they fall back to the settings. -#}

{#- Whether this command may read the warehouse (column types, classes, vocabulary) while it
    compiles: the commands that execute models, and `dbt compile` when SQLNN_COMPILE_READS_WAREHOUSE
    is 1, which `sqlnn status` sets so that it compiles the SQL a build would run. -#}
{% macro _reads_warehouse() %}
    {{- return(execute and (flags.WHICH in ('run', 'build', 'retry', 'show')
        or (flags.WHICH == 'compile' and env_var('SQLNN_COMPILE_READS_WAREHOUSE', '') == '1'))) -}}
{% endmacro %}

{#- Private: the network's settings and the relations that hold what it learned, each the
    network's own model unless given (predict's and explain_predict's arguments), with the
    feature types and whether it is a regression. -#}
{% macro _trained_network(network, params, scaling, vocabulary, classes) %}
{%- set nn = sqlnn._settings(network) -%}
{%- set vocabulary = vocabulary if vocabulary is not none else ref(nn.network ~ '_vocabulary') -%}
{%- set classes = classes if classes is not none else ref(nn.network ~ '_classes') -%}
{{ return({
    'nn': nn,
    'params': params if params is not none else ref(nn.network ~ '_trained_params'),
    'scaling': scaling if scaling is not none else ref(nn.network ~ '_feature_scaling'),
    'vocabulary': vocabulary,
    'classes': classes,
    'types': sqlnn._trained_feature_types(nn, vocabulary),
    'regression': sqlnn._task(nn, classes) == 'regression',
}) }}
{% endmacro %}

{#- feature -> numeric/categorical, as the network was trained (its vocabulary). -#}
{% macro _trained_feature_types(nn, vocabulary) %}
    {%- if not sqlnn._reads_warehouse() -%}
        {{ return(sqlnn._feature_types(none, nn)) }}
    {%- endif -%}
    {%- set found = {} -%}
    {%- for row in run_query('select distinct feature, feature_type from ' ~ vocabulary).rows -%}
        {%- do found.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {%- set types = {} -%}
    {%- for feature in nn.features -%}
        {%- do types.update({feature: found.get(feature, 'numeric')}) -%}
    {%- endfor -%}
    {{ return(types) }}
{% endmacro %}

{#- [(class, probability column name)] in class order. The name is `probability_` and the
    class value as text, lower-cased, each run of characters other than a-z and 0-9 made one
    `_` (trimmed, at most 50 characters): `probability_benign`, `probability_0`,
    `probability_true`, `probability_high_risk` for 'High risk'. Names that would coincide
    (or are empty) end in `_<class>` instead: a valid, unquoted identifier on every engine.
    Without the warehouse: `probability_<k>` for k < classes when the setting gives classes. -#}
{% macro _class_columns(nn, classes) %}
    {%- if not sqlnn._reads_warehouse() -%}
        {{ return(sqlnn._probability_columns(range(nn.classes or 0) | map('string') | list)) }}
    {%- endif -%}
    {#- the 'c' keeps the text from being read as a number or boolean by dbt's result table -#}
    {%- set query = 'select ' ~ dbt.concat(["'c'", 'class_name']) ~ ' from ' ~ classes ~ ' order by class' -%}
    {%- set names = [] -%}
    {%- for row in run_query(query).rows -%}
        {%- do names.append(row[0][1:]) -%}
    {%- endfor -%}
    {{ return(sqlnn._probability_columns(names)) }}
{% endmacro %}

{% macro _probability_columns(names) %}
    {%- set stems = [] -%}
    {%- for name in names -%}
        {%- do stems.append(modules.re.sub('[^a-z0-9]+', '_', name | lower).strip('_')[:50]) -%}
    {%- endfor -%}
    {%- set columns = [] -%}
    {%- for stem in stems -%}
        {%- set unique = stem != '' and stems | select('equalto', stem) | list | length == 1 -%}
        {%- do columns.append((loop.index0, 'probability_' ~ (stem if unique else (stem ~ '_' if stem else '') ~ loop.index0))) -%}
    {%- endfor -%}
    {%- set taken = columns | map(attribute=1) | list -%}
    {%- if taken | unique | list | length < taken | length -%}
        {#- a suffixed name met a natural one ('a', 'A', 'a_1'): number them all -#}
        {{ return(sqlnn._numbered_columns(names | length)) }}
    {%- endif -%}
    {{ return(columns) }}
{% endmacro %}

{% macro _numbered_columns(count) %}
    {%- set columns = [] -%}
    {%- for index in range(count) %}{% do columns.append((index, 'probability_class_' ~ index)) %}{% endfor -%}
    {{ return(columns) }}
{% endmacro %}
