{#- Private: feature column -> 'numeric' or 'categorical' for the network's training table.
    The `feature_types` setting wins; the other columns are numeric when the relation's
    column type is a number type, else categorical (text, boolean, dates). Column types need
    the warehouse, read only by the commands that execute models (as _check_columns_exist):
    `dbt compile` and `docs generate` (BigQuery offline) see the setting's types, numeric
    otherwise. Models downstream of training_examples read the types from the vocabulary. -#}
{% macro _feature_types(relation, nn) %}
    {%- set stated = {} -%}
    {%- for column, kind in nn.feature_types.items() %}{% do stated.update({column | lower: kind}) %}{% endfor -%}
    {%- set declared = {} -%}
    {%- if sqlnn._reads_warehouse() and relation is not none -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do declared.update({column.name | lower: sqlnn._is_number_type(column.dtype)}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set types = {} -%}
    {%- for feature in nn.features -%}
        {%- set key = feature | lower -%}
        {%- if key in stated -%}
            {%- do types.update({feature: stated[key]}) -%}
        {%- else -%}
            {%- do types.update({feature: 'numeric' if declared.get(key, true) else 'categorical'}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(types) }}
{% endmacro %}

{#- Private: whether an engine's column type (DOUBLE, DECIMAL(10,2), INT64, bigint ...) holds numbers. -#}
{% macro _is_number_type(dtype) %}
    {%- set base = (dtype | lower).split('(')[0] | trim -%}
    {{ return(base in ['tinyint', 'smallint', 'integer', 'int', 'bigint', 'hugeint', 'uhugeint', 'utinyint', 'usmallint',
        'uinteger', 'ubigint', 'int1', 'int2', 'int4', 'int8', 'int16', 'int32', 'int64', 'byteint', 'long', 'short', 'byte',
        'float', 'float4', 'float8', 'float64', 'double', 'double precision', 'real', 'decimal', 'numeric', 'bignumeric',
        'bigdecimal', 'number']) }}
{% endmacro %}
