{#-
  The training data, checked before epoch 1: one row per check with the number of bad
  rows. When any check fails, the query stops with one line listing every problem of the
  table (each column, each kind, with its count), so `dbt run` and `dbt build` stop
  before any epoch runs and one run shows all there is to fix. Missing columns are found
  from the relation's metadata, only when dbt is about to execute the model (see
  _check_columns_exist), since a SELECT of a missing column would fail with the engine's
  raw error. Numeric features (sqlnn._feature_types) must be numbers and finite, and
  without `impute` not NULL; text and boolean features are categories, where anything
  goes (NULL is a category of its own). The label needs a value on every row and at
  least two distinct values, as many as `classes` when that is set, and with `task: auto` at
  most _max_auto_classes() of them (more are a numeric target the loader typed as integers).
  A regression target (sqlnn._task) must be a finite number on every row.
-#}
{% macro training_data_checks(relation) %}
    {{- return(adapter.dispatch('training_data_checks', 'sqlnn')(relation)) -}}
{% endmacro %}

{% macro default__training_data_checks(relation) %}
{%- set nn = sqlnn._settings() -%}
{%- do sqlnn._check_columns_exist(relation, nn.features + [nn.label]) -%}
{%- set types = sqlnn._feature_types(relation, nn) -%}
{%- set name = relation.identifier -%}
{%- set label = adapter.quote(nn.label) -%}
{%- set checks = [('no_rows', '', 'case when row_count = 0 then 1 else 0 end',
    "data '" ~ name ~ "' has no rows: point the network's data setting at a table of training examples")] -%}
{%- for feature in nn.features if types[feature] == 'numeric' -%}
    {%- set column = "feature column " ~ adapter.quote(feature) ~ " of " ~ name ~ " has " -%}
    {%- set value = 'feature_' ~ loop.index0 -%}
    {%- if not nn.impute -%}
        {%- do checks.append(('null', feature, value ~ '_null', [column, " NULL values: drop those rows or set impute: true"])) -%}
    {%- else -%}
        {%- do checks.append(('all_null', feature, 'case when row_count > 0 and ' ~ value ~ '_null = row_count then 1 else 0 end',
            "feature column " ~ adapter.quote(feature) ~ " of " ~ name ~ " is NULL on every row: there is no mean to impute; drop it from features")) -%}
    {%- endif -%}
    {%- do checks.extend([
        ('not_numeric', feature, value ~ '_not_numeric', [column, " values that are not numbers: cast the column, or declare it categorical in feature_types"]),
        ('not_finite', feature, value ~ '_not_finite', [column, " infinite or NaN values: drop or clip those rows"]),
    ]) -%}
{%- endfor -%}
{%- set column = "label column " ~ label ~ " of " ~ name ~ " has " -%}
{%- set regression = sqlnn._task(nn, relation, nn.label) == 'regression' -%}
{%- if regression -%}
{%- do checks.extend([
    ('null', nn.label, 'label_null', [column, " NULL values: every training row needs a target"]),
    ('not_numeric', nn.label, 'label_not_numeric', [column, " values that are not numbers: a regression target is numeric (or set task: classification)"]),
    ('not_finite', nn.label, 'label_not_finite', [column, " infinite or NaN values: drop those rows"]),
    ('constant', nn.label, 'case when row_count > 0 and label_values < 2 then 1 else 0 end',
        "label column " ~ label ~ " of " ~ name ~ " has fewer than 2 distinct values: there is nothing to regress"),
]) -%}
{%- else -%}
{%- do checks.extend([
    ('null', nn.label, 'label_null', [column, " NULL values: every training row needs a class"]),
    ('one_class', nn.label, 'case when row_count > 0 and label_values < 2 then 1 else 0 end',
        "label column " ~ label ~ " of " ~ name ~ " has fewer than 2 distinct values: a classifier needs at least two classes"),
]) -%}
{%- if nn.task == 'auto' -%}
    {#- whole numbers (INTEGER: a loader's guess for a measurement) make a class each -#}
    {%- do checks.append(('many_classes', nn.label, 'case when label_values > ' ~ sqlnn._max_auto_classes() ~ ' then label_values else 0 end',
        [column, " distinct values, too many to be classes: set task: regression for a numeric target (or task: classification to keep them)"])) -%}
{%- endif -%}
{%- endif -%}
{%- if nn.classes is not none -%}
    {%- do checks.append(('classes', nn.label, 'case when row_count > 0 and label_values <> ' ~ nn.classes ~ ' then label_values else 0 end',
        [column, " distinct values, but classes = " ~ nn.classes ~ ": remove the classes setting (it is learned) or fix the labels"])) -%}
{%- endif -%}
with source as (
    select
        {%- for feature in nn.features if types[feature] == 'numeric' %}
        {{ adapter.quote(feature) }} as feature_{{ loop.index0 }},
        {{ sqlnn.try_cast_double(adapter.quote(feature)) }} as feature_{{ loop.index0 }}_number,
        {%- endfor %}
        {{ label }} as label{{ ',' if regression }}
        {%- if regression %}
        {{ sqlnn.try_cast_double(label) }} as label_number
        {%- endif %}
    from {{ relation }}
),

counts as (
    select
        count(*) as row_count,
        {%- for feature in nn.features if types[feature] == 'numeric' %}
        {%- set value, number = 'feature_' ~ loop.index0, 'feature_' ~ loop.index0 ~ '_number' %}
        sum(case when {{ value }} is null then 1 else 0 end) as {{ value }}_null,
        sum(case when {{ value }} is not null and {{ number }} is null then 1 else 0 end) as {{ value }}_not_numeric,
        sum(case when {{ number }} is not null and not {{ sqlnn.is_finite(number) }} then 1 else 0 end) as {{ value }}_not_finite,
        {%- endfor %}
        sum(case when label is null then 1 else 0 end) as label_null,
        {%- if regression %}
        sum(case when label is not null and label_number is null then 1 else 0 end) as label_not_numeric,
        sum(case when label_number is not null and not {{ sqlnn.is_finite('label_number') }} then 1 else 0 end) as label_not_finite,
        {%- endif %}
        count(distinct label) as label_values
    from source
),

checks as (
    {%- for check, column_name, bad_rows, message in checks %}
    select
        {{ loop.index }} as check_number,
        '{{ check }}' as check_name,
        {{ sqlnn.string_literal(column_name) }} as column_name,
        cast({{ bad_rows }} as {{ dbt.type_bigint() }}) as bad_rows
    from counts
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

problems as (
    -- every failing check's sentence, '; '-separated after the first
    select
        {%- set parts = [] %}
        {%- for check, column_name, bad_rows, message in checks %}
        {%- if message is string %}
        {%- set sentence = sqlnn.string_literal('; ' ~ message) %}
        {%- else %}
        {%- set sentence = dbt.concat([sqlnn.string_literal('; ' ~ message[0]), 'cast(' ~ bad_rows ~ ' as ' ~ dbt.type_string() ~ ')', sqlnn.string_literal(message[1])]) %}
        {%- endif %}
        {%- do parts.append('case when ' ~ bad_rows ~ ' > 0 then ' ~ sentence ~ " else '' end") %}
        {%- endfor %}
        {%- if checks | length <= 64 %}
        {{ dbt.concat(parts) }} as sentences,
        {%- for check, column_name, bad_rows, message in checks %}
        case when {{ bad_rows }} > 0 then 1 else 0 end{{ ' +' if not loop.last }}
        {%- endfor %} as problem_count
        {%- else %}
        {#- hundreds of features: nested in halves, since a chain of + or || that long is deeper than
            parsers allow (DuckDB: 1000 levels) -#}
        {%- set counted = [] %}
        {%- for check, column_name, bad_rows, message in checks %}
        {%- do counted.append('case when ' ~ bad_rows ~ ' > 0 then 1 else 0 end') %}
        {%- endfor %}
        {{ sqlnn._in_halves(parts, 'concat') }} as sentences,
        {{ sqlnn._in_halves(counted, '+') }} as problem_count
        {%- endif %}
    from counts
),

message as (
    select
        problem_count,
        {{ dbt.concat([
            sqlnn.string_literal('sqlnn: network ' ~ nn.network ~ ': '),
            'cast(problem_count as ' ~ dbt.type_string() ~ ')',
            "case when problem_count = 1 then ' problem in ' else ' problems in ' end",
            sqlnn.string_literal(name ~ ': '),
            'substr(sentences, 3)',
        ]) }} as message
    from problems
)

select
    checks.check_number,
    checks.check_name,
    checks.column_name,
    checks.bad_rows,
    case
        when checks.bad_rows = 0 then 'pass'
        when checks.check_number = (select min(check_number) from checks where bad_rows > 0) then {{ sqlnn.raise_error('message.message') }}
        else 'fail'
    end as status
from checks
cross join message
{% endmacro %}

{#- Every named column must exist in the relation (compared case-insensitively, as the engines do).
    Reading the columns needs the warehouse, so only the commands that execute models do it:
    `dbt compile` or `docs generate` for BigQuery must work offline (with --no-populate-cache),
    where the BigQuery client would retry for minutes. SQL alone cannot test for a column:
    selecting a missing one is the engine's error this check replaces. -#}
{% macro _check_columns_exist(relation, names) %}
    {%- if not sqlnn._reads_warehouse() -%}{{ return(none) }}{%- endif -%}
    {%- set present = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
    {%- if not present -%}{{ return(none) }}{%- endif -%}{#- not built yet (e.g. dbt compile before dbt seed) -#}
    {%- set lowered = present | map('lower') | list -%}
    {%- for column in names if column | lower not in lowered -%}
        {%- set var_name = 'label' if column == names[-1] else 'features' -%}
        {{ sqlnn._config_error(sqlnn._settings().network, var_name ~ " names column '" ~ column ~ "', which " ~ relation.identifier
            ~ " does not have (its columns: " ~ present | join(', ') ~ ")") }}
    {%- endfor -%}
{% endmacro %}

{#- Private: with `task: auto`, an integer label of more distinct values than this is refused as
    classes (set `task`): 100, as max_categories' default for a text feature. -#}
{% macro _max_auto_classes() %}
    {{- return(100) -}}
{% endmacro %}

