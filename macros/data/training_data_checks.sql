{#-
  The training data, checked before epoch 1: one row per check with the number of bad
  rows. The first failing check (in the order below) stops the query with a one-line
  message naming the column, the count and the fix, so `dbt run` and `dbt build` stop
  before any epoch runs. Missing columns are found from the relation's metadata, only
  when dbt is about to execute the model (see _check_columns_exist), since a SELECT of a
  missing column would fail with the engine's raw error.
-#}
{% macro training_data_checks(relation) %}
    {{- return(adapter.dispatch('training_data_checks', 'sqlnn')(relation)) -}}
{% endmacro %}

{% macro default__training_data_checks(relation) %}
{%- set nn = sqlnn._settings() -%}
{%- do sqlnn._check_columns_exist(relation, nn.features + [nn.label]) -%}
{%- set name = relation.identifier -%}
{%- set label = adapter.quote(nn.label) -%}
{%- set label_number = sqlnn.try_cast_double(label) -%}
{%- set last_class = nn.classes - 1 -%}
{%- set checks = [('no_rows', '', 'case when row_count = 0 then 1 else 0 end',
    "data '" ~ name ~ "' has no rows: point the network's data setting at a table of training examples")] -%}
{%- for feature in nn.features -%}
    {%- set column = "feature column " ~ adapter.quote(feature) ~ " of " ~ name ~ " has " -%}
    {%- do checks.extend([
        ('null', feature, 'feature_' ~ loop.index0 ~ '_null', [column, " NULL values: drop or impute those rows"]),
        ('not_numeric', feature, 'feature_' ~ loop.index0 ~ '_not_numeric', [column, " values that are not numbers: features must be numeric (cast or encode the column)"]),
        ('not_finite', feature, 'feature_' ~ loop.index0 ~ '_not_finite', [column, " infinite or NaN values: drop or clip those rows"]),
    ]) -%}
{%- endfor -%}
{%- set column = "label column " ~ label ~ " of " ~ name ~ " has " -%}
{%- do checks.extend([
    ('null', nn.label, 'label_null', [column, " NULL values: every training row needs a class"]),
    ('not_integer', nn.label, 'label_not_integer', [column, " values that are not integers: labels are the class numbers 0 .. " ~ last_class]),
    ('out_of_range', nn.label, 'label_out_of_range', [column, " values outside 0 .. " ~ last_class ~ " (classes = " ~ nn.classes ~ "): recode the labels or set classes"]),
]) -%}
{%- for class in range(nn.classes) -%}
    {%- do checks.append(('class_absent', nn.label, 'case when class_' ~ class ~ '_rows = 0 then 1 else 0 end',
        "class " ~ class ~ " has no rows in " ~ name ~ " (classes = " ~ nn.classes ~ "): every class needs training examples; add rows or recode the labels and lower classes")) -%}
{%- endfor -%}
with source as (
    select
        {%- for feature in nn.features %}
        {{ adapter.quote(feature) }} as feature_{{ loop.index0 }},
        {{ sqlnn.try_cast_double(adapter.quote(feature)) }} as feature_{{ loop.index0 }}_number,
        {%- endfor %}
        {{ label }} as label,
        {{ label_number }} as label_number
    from {{ relation }}
),

counts as (
    select
        count(*) as row_count,
        {%- for feature in nn.features %}
        {%- set value, number = 'feature_' ~ loop.index0, 'feature_' ~ loop.index0 ~ '_number' %}
        sum(case when {{ value }} is null then 1 else 0 end) as {{ value }}_null,
        sum(case when {{ value }} is not null and {{ number }} is null then 1 else 0 end) as {{ value }}_not_numeric,
        sum(case when {{ number }} is not null and not {{ sqlnn.is_finite(number) }} then 1 else 0 end) as {{ value }}_not_finite,
        {%- endfor %}
        sum(case when label is null then 1 else 0 end) as label_null,
        sum(case
            when label is not null and label_number is null then 1
            when label_number is not null and not {{ sqlnn.is_finite('label_number') }} then 1
            when label_number is not null and label_number <> floor(label_number) then 1
            else 0
        end) as label_not_integer,
        sum(case
            when {{ sqlnn.is_finite('label_number') }} and label_number = floor(label_number)
                and (label_number < 0 or label_number > {{ last_class }}) then 1
            else 0
        end) as label_out_of_range,
        {%- for class in range(nn.classes) %}
        sum(case when label_number = {{ class }} then 1 else 0 end) as class_{{ class }}_rows{{ ',' if not loop.last }}
        {%- endfor %}
    from source
),

checks as (
    {%- for check, column_name, bad_rows, message in checks %}
    select
        {{ loop.index }} as check_number,
        '{{ check }}' as check_name,
        {{ sqlnn.string_literal(column_name) }} as column_name,
        cast({{ bad_rows }} as {{ dbt.type_bigint() }}) as bad_rows,
        {%- if message is string %}
        {{ sqlnn.string_literal('sqlnn: network ' ~ nn.network ~ ': ' ~ message) }} as message
        {%- else %}
        {{ dbt.concat([sqlnn.string_literal('sqlnn: network ' ~ nn.network ~ ': ' ~ message[0]), 'cast(' ~ bad_rows ~ ' as ' ~ dbt.type_string() ~ ')', sqlnn.string_literal(message[1])]) }} as message
        {%- endif %}
    from counts
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

first_failure as (
    select min(check_number) as check_number from checks where bad_rows > 0
)

select
    checks.check_number,
    checks.check_name,
    checks.column_name,
    checks.bad_rows,
    case
        when checks.bad_rows = 0 then 'pass'
        when checks.check_number = first_failure.check_number then {{ sqlnn.raise_error('checks.message') }}
        else 'fail'
    end as status
from checks
cross join first_failure
{% endmacro %}

{#- Every named column must exist in the relation (compared case-insensitively, as the engines do).
    Reading the columns needs the warehouse, so only the commands that execute models do it:
    `dbt compile` or `docs generate` for BigQuery must work offline (with --no-populate-cache),
    where the BigQuery client would retry for minutes. SQL alone cannot test for a column:
    selecting a missing one is the engine's error this check replaces. -#}
{% macro _check_columns_exist(relation, names) %}
    {%- if not execute or flags.WHICH not in ('run', 'build', 'retry', 'show') -%}{{ return(none) }}{%- endif -%}
    {%- set present = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
    {%- if not present -%}{{ return(none) }}{%- endif -%}{#- not built yet (e.g. dbt compile before dbt seed) -#}
    {%- set lowered = present | map('lower') | list -%}
    {%- for column in names if column | lower not in lowered -%}
        {%- set var_name = 'label' if column == names[-1] else 'features' -%}
        {{ sqlnn._config_error(sqlnn._settings().network, var_name ~ " names column '" ~ column ~ "', which " ~ relation.identifier
            ~ " does not have (its columns: " ~ present | join(', ') ~ ")") }}
    {%- endfor -%}
{% endmacro %}
