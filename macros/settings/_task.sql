{#- Private: what a network learns, 'classification' or 'regression'. The `task` setting, or with
    `auto` (the default) the label's column type in `relation`: the training table (column: the
    label), or a model that keeps the label as `label_value` (classes, training_examples,
    predictions); a `classes` setting means classification. A floating-point or decimal column with a fractional scale is a regression
    target; integers, text and booleans are classes. Column types need the warehouse, so without
    it (`dbt compile`, `docs generate`) `auto` reads as classification: set `task` to see a
    regression network's SQL there. -#}
{% macro _task(nn, relation, column='label_value', read=none) %}
    {%- if nn.task != 'auto' -%}{{ return(nn.task) }}{%- endif -%}
    {%- if nn.classes is not none -%}{{ return('classification') }}{%- endif -%}
    {%- if relation is none or not (sqlnn._reads_warehouse() if read is none else read) -%}{{ return('classification') }}{%- endif -%}
    {%- for found in adapter.get_columns_in_relation(relation) if found.name | lower == column | lower -%}
        {{ return('regression' if sqlnn._is_fractional_type(found.dtype) else 'classification') }}
    {%- endfor -%}
    {{ return('classification') }}
{% endmacro %}

{#- Private: whether an engine's column type holds fractional numbers (DOUBLE, FLOAT64, REAL,
    DECIMAL(10,2), NUMERIC); DECIMAL(18,0) holds integers. -#}
{% macro _is_fractional_type(dtype) %}
    {%- set lowered = dtype | lower | trim -%}
    {%- set base = lowered.split('(')[0] | trim -%}
    {%- if base in ['decimal', 'numeric', 'bignumeric', 'bigdecimal'] -%}
        {%- set scale = lowered.split(',')[1].rstrip(')') | trim if ',' in lowered else none -%}
        {{ return(scale is none or scale | int > 0) }}
    {%- endif -%}
    {{ return(base in ['float', 'float4', 'float8', 'float64', 'double', 'double precision', 'real']) }}
{% endmacro %}

{#- Private, for tests attached to a network's models: the network's task, read from its classes
    model beside `model` in its schema (not a ref: that would make selecting the classes alone
    select the test). -#}
{% macro _network_task(nn, model) %}
    {%- set read = sqlnn._reads_warehouse() or (execute and flags.WHICH == 'test') -%}
    {{ return(sqlnn._task(nn, model.incorporate(path={'identifier': nn.network ~ '_classes'}), read=read)) }}
{% endmacro %}
