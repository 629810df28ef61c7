{#-
  An order-independent checksum of a relation sqlnn does not build (the training table, a
  seed, a source): its column names and types, its row count, and two sums of 32-bit slices
  of md5(each row as text), computed by the same SQL on every engine (a sum does not depend
  on row order; 32-bit terms keep it far below 2^63 for 2^31 rows). None if it does not exist.
-#}
{% macro content_checksum(relation) %}
    {{- return(adapter.dispatch('content_checksum', 'sqlnn')(relation)) -}}
{% endmacro %}

{% macro default__content_checksum(relation) %}
    {%- set columns = adapter.get_columns_in_relation(relation) -%}
    {%- if not columns -%}{{ return(none) }}{%- endif -%}{#- missing: the build reports it -#}
    {%- set texts = [] -%}
    {%- for column in columns -%}
        {%- do texts.append("coalesce(cast(" ~ adapter.quote(column.name) ~ " as " ~ dbt.type_string() ~ "), '\\\\N')") -%}
    {%- endfor -%}
    {%- set pieces = [] -%}
    {%- for text in texts -%}
        {%- do pieces.append(text) -%}
        {%- if not loop.last -%}{%- do pieces.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {%- if pieces | length > 64 -%}
        {%- set row_hash = dbt.hash(sqlnn._in_halves(pieces, 'concat')) -%}
    {%- else -%}
        {%- set row_hash = dbt.hash(dbt.concat(pieces) if pieces | length > 1 else pieces[0]) -%}
    {%- endif -%}
    {%- set query -%}
        select
            count(*) as row_count,
            coalesce(sum({{ sqlnn.hex_to_int('substr(' ~ row_hash ~ ', 1, 8)') }}), 0) as low,
            coalesce(sum({{ sqlnn.hex_to_int('substr(' ~ row_hash ~ ', 9, 8)') }}), 0) as high
        from {{ relation }}
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {%- set shape = [] -%}
    {%- for column in columns -%}{%- do shape.append(column.name ~ ' ' ~ column.data_type) -%}{%- endfor -%}
    {{ return(shape | join(',') ~ ':' ~ row[0] ~ ':' ~ row[1] ~ ':' ~ row[2]) }}
{% endmacro %}
