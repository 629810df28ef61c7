{#-
  Helpers of the DuckDB list path (duckdb__forward, duckdb__backprop,
  duckdb__training_features): vectors are DuckDB lists and a matrix product is
  list_dot_product over them, instead of a JOIN + GROUP BY per multiply-add.
-#}

{#- True unless the network's duckdb_list_path is false (the escape hatch back to the portable long form). -#}
{% macro _list_path() %}
    {{- return(sqlnn._settings().duckdb_list_path) -}}
{% endmacro %}

{#-
  How many slices the per-example work is cut into (row_id % n = k, one UNION ALL
  branch each). DuckDB parallelises a scan by row group (122,880 rows), so a table of
  a few thousand examples is one task and one core; UNION ALL branches run in parallel.
  Default: DuckDB's `threads` setting: the profile's `settings: threads` when it sets one
  (no query), else read from DuckDB when dbt executes.
-#}
{% macro _list_chunks() %}
    {%- set chunks = sqlnn._settings().duckdb_chunks -%}
    {%- if chunks is none -%}
        {%- set chunks = (target.get('settings') or {}).get('threads') -%}
    {%- endif -%}
    {%- if chunks is none and execute -%}
        {%- set chunks = run_query("select current_setting('threads')").columns[0].values()[0] -%}
    {%- endif -%}
    {{- return([chunks | int, 1] | max) -}}
{% endmacro %}

{#- One row: `weights`, the list of each output unit's input weights (unit order), and `biases`. -#}
{% macro _unit_weights(params, layer) %}
select
    list(weights order by unit) as weights,
    list(bias order by unit) as biases
from (
    select weight.j as unit, list(weight.value order by weight.i) as weights, any_value(bias.value) as bias
    from {{ params }} as weight
    inner join {{ params }} as bias
        on bias.layer = {{ layer }} and bias.param = 'b' and bias.j = weight.j
    where weight.layer = {{ layer }} and weight.param = 'W'
    group by weight.j
)
{% endmacro %}

{#- One row: `weights`, the list of each input unit's outgoing weights (input-unit order): W transposed. -#}
{% macro _input_weights(params, layer) %}
select list(weights order by unit) as weights
from (
    select i as unit, list(value order by j) as weights
    from {{ params }}
    where layer = {{ layer }} and param = 'W'
    group by i
)
{% endmacro %}
