{#-
  The counter-based integer PRNG behind the initialiser (initial_params) and the split
  (training_examples), written once. A state is a residue mod m = 2^31 - 1, so the product
  of two fits a signed 64-bit integer on every engine. One round mixes a key component c
  into the state h in two steps: h = (h + c + 1) * a mod m (a Lehmer step), then
  h = h^2 + k mod m (the square breaks the linearity a plain Lehmer step leaves between
  neighbouring keys). src/sqlnn/prng.py is the same in Python.
-#}
{% macro _prng() %}
    {{- return({'modulus': 2147483647, 'multiplier': 48271, 'increment': 1013904223}) -}}
{% endmacro %}

{#- SQL of the first step of a round: (state + component + 1) * a mod m. -#}
{% macro _prng_step(state, component) %}
    {%- set prng = sqlnn._prng() -%}
    {{- return(sqlnn.int_mod('(' ~ state ~ ' + ' ~ component ~ ' + 1) * ' ~ prng.multiplier, prng.modulus)) -}}
{% endmacro %}

{#- SQL of the second step of a round: state * state + k mod m. -#}
{% macro _prng_square(state) %}
    {%- set prng = sqlnn._prng() -%}
    {{- return(sqlnn.int_mod(state ~ ' * ' ~ state ~ ' + ' ~ prng.increment, prng.modulus)) -}}
{% endmacro %}

{#- Private: the CTEs hash_round_1 .. 3 and `hash` (row_id, `hash`): two PRNG rounds over
    (seed, row_id) and 0 for every row of `rows` (a relation, optionally with a WHERE), as
    sqlnn.datasets.split_hash computes them. The split (seed split_seed) and the mini-batches
    (the epoch's seed) draw their order from it. -#}
{% macro _hash_rounds(seed, rows, hash) -%}
hash_round_1 as (
    select row_id, {{ sqlnn._prng_step(seed, 'row_id') }} as state
    from {{ rows }}
),

hash_round_2 as (
    select row_id, {{ sqlnn._prng_square('state') }} as state
    from hash_round_1
),

hash_round_3 as (
    select row_id, {{ sqlnn._prng_step('state', 0) }} as state
    from hash_round_2
),

{{ hash }} as (
    select row_id, {{ sqlnn._prng_square('state') }} as {{ hash }}
    from hash_round_3
)
{%- endmacro %}
