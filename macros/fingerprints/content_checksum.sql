{#-
  An order-independent checksum of a relation sqlnn does not build (the training table, a
  seed, a source): its column names and types, its row count, and two sums of 32-bit slices
  of md5(each row as text) (a sum does not depend on row order; 32-bit terms keep it far
  below 2^63 for 2^31 rows). None if it does not exist. DuckDB sums its own 64-bit row hash
  instead: casting every value to text for md5 took 30 s per million rows of 21 columns,
  DuckDB's hash() 0.6 s (bench/results/tall.md). A fingerprint is only ever compared with
  one stored by the same engine, so engines need not agree.
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
    {{ return(sqlnn._checksum_text(columns, row)) }}
{% endmacro %}

{% macro duckdb__content_checksum(relation) %}
    {%- set columns = adapter.get_columns_in_relation(relation) -%}
    {%- if not columns -%}{{ return(none) }}{%- endif -%}
    {%- set query -%}
        select
            count(*) as row_count,
            coalesce(sum(cast(hash({% for column in columns %}{{ adapter.quote(column.name) }}{{ ', ' if not loop.last }}{% endfor %}) as hugeint)), 0) as hashes
        from {{ relation }}
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {{ return(sqlnn._checksum_text(columns, row)) }}
{% endmacro %}

{#- Private: the checksum as text: the columns' names and types, then the query's values. -#}
{% macro _checksum_text(columns, row) %}
    {%- set shape = [] -%}
    {%- for column in columns -%}{%- do shape.append(column.name ~ ' ' ~ column.data_type) -%}{%- endfor -%}
    {{ return(shape | join(',') ~ ':' ~ (row | join(':'))) }}
{% endmacro %}

{#- Private: content_checksum once per invocation and relation (as the stored fingerprints are):
    data checks, classes, the split and predictions all read the user's table, and each would
    otherwise checksum all its rows again. Within one invocation a relation is read only after
    whatever builds it has run, so the first reader's checksum holds for the rest. -#}
{% macro _checksum_of_this_run(relation) %}
    {%- set checksums = sqlnn._kept_for_this_run('checksums') -%}
    {%- set key = relation | string -%}
    {%- if key not in checksums -%}
        {%- do checksums.update({key: sqlnn.content_checksum(relation)}) -%}
    {%- endif -%}
    {{ return(checksums[key]) }}
{% endmacro %}
