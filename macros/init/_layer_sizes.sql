{#-
  Private: a network's layer sizes, [inputs, hidden..., outputs]. The input and output widths
  are learned from the data (the vocabulary's units, the classes), so the settings alone do
  not know them and reading them takes a query.
-#}

{#- From the data: one input per row of `vocabulary`, one output per row of `classes` (its
    relation, or any FROM item with one row per class, then with `task`); a regression network's one output. -#}
{% macro _data_layer_sizes(nn, vocabulary, classes, task=none) %}
    {%- set counts = run_query("select (select count(*) from " ~ vocabulary ~ "), (select count(*) from " ~ classes ~ ")").rows[0] -%}
    {%- set outputs = 1 if (task or sqlnn._task(nn, classes)) == 'regression' else counts[1] | int -%}
    {{- return([counts[0] | int] + nn.hidden + [outputs]) -}}
{% endmacro %}

{#- Without the warehouse (compile, docs): one input per feature, `classes` (else 2) outputs,
    one for `task: regression`. -#}
{% macro _guessed_layer_sizes(nn) %}
    {{- return([nn.features | length] + nn.hidden + [1 if nn.task == 'regression' else nn.classes or 2]) -}}
{% endmacro %}

{#- From a relation of parameters (layer, param, i, j, ...), when dbt executes (`read=true`:
    always), else the guess. -#}
{% macro _param_layer_sizes(params, nn=none, read=none) %}
    {%- if not (sqlnn._reads_warehouse() if read is none else read) -%}
        {{- return(sqlnn._guessed_layer_sizes(nn or sqlnn._settings())) -}}
    {%- endif -%}
    {%- set rows = run_query("select layer, max(i) + 1, max(j) + 1 from " ~ params ~ " where param = 'W' group by layer order by layer").rows -%}
    {%- set sizes = [rows[0][1] | int] -%}
    {%- for row in rows %}{% do sizes.append(row[2] | int) %}{% endfor -%}
    {{- return(sizes) -}}
{% endmacro %}
