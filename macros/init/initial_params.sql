{#-
  Epoch 0: the parameters training starts from, with zeroed optimizer state.

  Either continued from another network (the `init_from` setting: its trained_params, optimizer
  state included; update_params continues its step count), copied from a relation in
  trained_params form (the `init_params` setting: warm start, reproducing another framework,
  optimizer state zeroed) or drawn as W ~ N(0, 1) * scale, b = 0, where the
  normal comes from Box-Muller over a counter-based PRNG in BIGINT arithmetic keyed by
  (seed, layer, i, j): the same numbers on every engine, whatever the row order.
  scale is `init_scale` (a number), 'he' = sqrt(2 / fan_in) or 'xavier' = sqrt(2 / (fan_in + fan_out)).
  The first layer has one input per row of the vocabulary and the last one output per row of
  the classes, so the layer sizes come from the data, in SQL (no query while compiling).
-#}
{% macro initial_params(vocabulary, classes, init_params=none) %}
    {{- return(adapter.dispatch('initial_params', 'sqlnn')(vocabulary, classes, init_params)) -}}
{% endmacro %}

{% macro default__initial_params(vocabulary, classes, init_params=none) %}
{%- set nn = sqlnn._settings() -%}
{%- set zero = sqlnn.double(0) -%}
{%- if nn.init_from is not none %}
{%- do sqlnn._check_init_from(nn, init_params, vocabulary, classes) %}
select
{{ sqlnn._params_columns(state=true) }},
    cast(value as {{ sqlnn.type_double() }}) as best_value,
    false as stopped,
    0 as epoch
from {{ init_params }}
{%- elif init_params is not none %}
{%- do sqlnn._check_init_params(init_params, vocabulary, classes) %}
select
{{ sqlnn._params_columns(state=false) }},
    cast(value as {{ sqlnn.type_double() }}) as best_value,
    false as stopped,
    0 as epoch
from {{ init_params }}
{%- else %}
{%- set modulus = sqlnn._prng().modulus -%}
{%- set pi = 3.141592653589793 -%}
{%- set n_layers = nn.n_layers -%}
with units as (
    select cast(generated_number - 1 as {{ dbt.type_bigint() }}) as unit
    from ({{ dbt.generate_series(nn.hidden | max) }}) as series
),

layer_sizes as (
    select inputs.unit_count as input_size, outputs.unit_count as output_size
    from (select count(*) as unit_count from {{ vocabulary }}) as inputs
    cross join (select count(*) as unit_count from {{ classes }}) as outputs
),

{#- layer l's units: the vocabulary's inputs below layer 1, the classes above the last layer
    (a regression network: its one prediction) -#}
{%- set ns = namespace(layer_units=[]) %}
{%- for layer in range(n_layers + 1) %}
    {%- if layer == 0 %}{% do ns.layer_units.append(('(select cast(unit as ' ~ dbt.type_bigint() ~ ') as unit from ' ~ vocabulary ~ ')', 'layer_sizes.input_size')) %}
    {%- elif layer == n_layers and sqlnn._task(nn, classes) == 'regression' %}{% do ns.layer_units.append(('(select cast(0 as ' ~ dbt.type_bigint() ~ ') as unit)', '1')) %}
    {%- elif layer == n_layers %}{% do ns.layer_units.append(('(select cast(class as ' ~ dbt.type_bigint() ~ ') as unit from ' ~ classes ~ ')', 'layer_sizes.output_size')) %}
    {%- else %}{% do ns.layer_units.append(('(select unit from units where unit < ' ~ nn.hidden[layer - 1] ~ ')', nn.hidden[layer - 1] | string)) %}
    {%- endif %}
{%- endfor %}
weights as (
{%- for layer in range(1, n_layers + 1) %}
    {%- set fan_in, fan_out = ns.layer_units[layer - 1][1], ns.layer_units[layer][1] %}
    {%- if nn.init_scale == 'he' %}{% set scale = 'sqrt(' ~ sqlnn.double(2.0) ~ ' / cast(' ~ fan_in ~ ' as ' ~ sqlnn.type_double() ~ '))' %}
    {%- elif nn.init_scale == 'xavier' %}{% set scale = 'sqrt(' ~ sqlnn.double(2.0) ~ ' / cast(' ~ fan_in ~ ' + ' ~ fan_out ~ ' as ' ~ sqlnn.type_double() ~ '))' %}
    {%- else %}{% set scale = sqlnn.double(nn.init_scale | float) %}{% endif %}
    select
        cast({{ layer }} as {{ dbt.type_bigint() }}) as layer,
        inputs.unit as i,
        outputs.unit as j,
        {{ scale }} as scale,
        cast({{ sqlnn.int_mod(nn.seed, modulus) }} as {{ dbt.type_bigint() }}) as state_1,
        cast({{ sqlnn.int_mod(nn.seed, modulus) }} as {{ dbt.type_bigint() }}) as state_2
    from {{ ns.layer_units[layer - 1][0] }} as inputs
    cross join {{ ns.layer_units[layer][0] }} as outputs
    cross join layer_sizes
    {% if not loop.last %}union all{% endif %}
{%- endfor %}
),
{#- Each round mixes one key component in (macros/init/_prng.sql). #}
{%- set components = ['layer', 'i', 'j', 'stream', '0'] %}
{%- for component in components %}
{%- set source = 'weights' if loop.first else 'round_' ~ (loop.index - 1) %}
{%- set round_ = 'round_' ~ loop.index %}
{{ round_ }}_linear as (
    select
        layer, i, j, scale,
        {%- for stream in [1, 2] %}
        {%- set c = stream if component == 'stream' else component %}
        {{ sqlnn._prng_step('state_' ~ stream, c) }} as state_{{ stream }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ source }}
),

{{ round_ }} as (
    select
        layer, i, j, scale,
        {%- for stream in [1, 2] %}
        {{ sqlnn._prng_square('state_' ~ stream) }} as state_{{ stream }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ round_ }}_linear
),
{% endfor %}
uniforms as (
    select
        layer, i, j, scale,
        (cast(state_1 as {{ sqlnn.type_double() }}) + {{ sqlnn.double(0.5) }}) / {{ sqlnn.double(modulus) }} as u1,
        (cast(state_2 as {{ sqlnn.type_double() }}) + {{ sqlnn.double(0.5) }}) / {{ sqlnn.double(modulus) }} as u2
    from round_{{ components | length }}
),

drawn as (
select
    layer,
    'W' as param,
    i,
    j,
    sqrt({{ sqlnn.double(-2.0) }} * {{ sqlnn.ln('u1') }}) * cos({{ sqlnn.double(2.0 * pi) }} * u2) * scale as value,
    {{ zero }} as momentum_buffer,
    {{ zero }} as exp_avg,
    {{ zero }} as exp_avg_sq,
    0 as epoch
from uniforms

union all
{% for layer in range(1, n_layers + 1) %}
select
    cast({{ layer }} as {{ dbt.type_bigint() }}) as layer,
    'b' as param,
    cast(0 as {{ dbt.type_bigint() }}) as i,
    outputs.unit as j,
    {{ zero }} as value,
    {{ zero }} as momentum_buffer,
    {{ zero }} as exp_avg,
    {{ zero }} as exp_avg_sq,
    0 as epoch
from {{ ns.layer_units[layer][0] }} as outputs
{% if not loop.last %}union all{% endif %}
{%- endfor %}
)

-- best_value and stopped: the early-stopping state (macros/update/_early_stopping.sql)
select layer, param, i, j, value, momentum_buffer, exp_avg, exp_avg_sq, value as best_value, false as stopped, epoch
from drawn
{%- endif %}
{% endmacro %}

{#-
  Warm starts must fit the layers: for each layer l, W has rows i < sizes[l-1], j < sizes[l]
  and b has i = 0, j < sizes[l], each (layer, param, i, j) once. Checked when dbt executes
  (the relations must exist; the vocabulary and classes give the outer sizes), so a mismatch is one line instead of a join that silently drops units.
-#}
{% macro _check_init_params(relation, vocabulary, classes) %}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set sizes = sqlnn._data_layer_sizes(sqlnn._settings(), vocabulary, classes) -%}
    {%- set expected = {} -%}
    {%- for fan_in in sizes[:-1] -%}
        {%- do expected.update({(loop.index, 'W'): [fan_in, sizes[loop.index]], (loop.index, 'b'): [1, sizes[loop.index]]}) -%}
    {%- endfor -%}
    {%- set query -%}
        select cast(layer as {{ dbt.type_bigint() }}), cast(param as {{ dbt.type_string() }}), count(*),
            min(i), max(i), min(j), max(j), count(distinct cast(i as {{ dbt.type_bigint() }}) * 1000000 + j)
        from {{ relation }}
        group by 1, 2
        order by 1, 2
    {%- endset -%}
    {%- set found = {} -%}
    {%- for row in run_query(query).rows -%}
        {%- do found.update({(row[0] | int, row[1]): row}) -%}
    {%- endfor -%}
    {%- set shape = sizes | join(' -> ') -%}
    {%- set problems = [] -%}
    {%- for key, dims in expected.items() -%}
        {%- set row = found.get(key) -%}
        {%- set name = key[1] ~ key[0] -%}
        {%- if row is none -%}
            {%- do problems.append(name ~ ' is missing') -%}
        {%- elif row[2] != dims[0] * dims[1] or row[7] != row[2] or row[3] != 0 or row[4] != dims[0] - 1 or row[5] != 0 or row[6] != dims[1] - 1 -%}
            {%- do problems.append(name ~ ' has ' ~ row[2] ~ ' rows with i in ' ~ row[3] ~ '..' ~ row[4] ~ ', j in ' ~ row[5] ~ '..' ~ row[6]
                ~ ' (expected ' ~ dims[0] * dims[1] ~ ' distinct rows, i in 0..' ~ (dims[0] - 1) ~ ', j in 0..' ~ (dims[1] - 1) ~ ')') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for key in found if key not in expected -%}
        {%- do problems.append(key[1] ~ key[0] ~ ' is not a parameter of the network') -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ sqlnn._config_error(sqlnn._settings().network, "init_params '" ~ relation.identifier ~ "' does not fit the layers " ~ shape
            ~ " (features, hidden, classes): " ~ problems | join('; ')) }}
    {%- endif -%}
{% endmacro %}

{#-
  init_from: the network continued from must have this one's optimizer (its optimizer state
  and step count carry over) and layers. The optimizer is compared in the settings; the layers
  once the tables exist (their input and output widths are learned from the data): the other
  network's trained parameters against this one's vocabulary, hidden sizes and classes.
-#}
{% macro _check_init_from(nn, init_params, vocabulary, classes) %}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set other = sqlnn._settings(nn.init_from) -%}
    {%- if other.optimizer != nn.optimizer -%}
        {{ sqlnn._config_error(nn.network, "init_from '" ~ nn.init_from ~ "' trains with optimizer " ~ other.optimizer
            ~ ", this network with " ~ nn.optimizer ~ ": its optimizer state only continues with the same optimizer") }}
    {%- endif -%}
    {%- for relation in [init_params, vocabulary, classes] -%}
        {%- if load_relation(relation) is none -%}{{ return(none) }}{%- endif -%}
    {%- endfor -%}
    {%- set theirs = sqlnn._param_layer_sizes(init_params, read=true) -%}
    {%- set ours = sqlnn._data_layer_sizes(nn, vocabulary, classes) -%}
    {%- if theirs != ours -%}
        {{ sqlnn._config_error(nn.network, "init_from '" ~ nn.init_from ~ "' has the layers " ~ theirs | join(' -> ')
            ~ ", this network " ~ ours | join(' -> ') ~ " (features, hidden, classes): continue from a network of the same shape, or use init_params") }}
    {%- endif -%}
{% endmacro %}
