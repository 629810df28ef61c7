{#-
  epoch_table: a table built by one `create or replace table ... as` statement.

  dbt's `table` materialization builds a `__dbt_tmp` table, renames the old table to a
  backup, renames the new one into place and drops the backup: five statements and
  catalog changes per model. Training writes four tables per epoch that nothing else
  reads while dbt runs, so the atomic swap buys nothing there, and on small data those
  statements are most of an epoch's time (bench/results). DuckDB and BigQuery replace a
  table in one statement; other engines keep dbt's `table` (see dbt_project.yml).

  The statement does not open a transaction (auto_begin=false): one `create or replace`
  is atomic in DuckDB's autocommit, and dbt's BEGIN and COMMIT round trips cost a few ms
  per model. If a hook already opened one, the statement joins it and `adapter.commit()`
  closes it (on DuckDB it commits only when a transaction is open).

  The statement runs with `preserve_insertion_order` off for this cursor only (SET SESSION,
  then RESET SESSION to the profile's value). Nothing reads an epoch table in insertion order
  (an ORDER BY is kept either way), and with it on, DuckDB runs the list path's per-thread
  UNION ALL branches one after the other: the forward of 784-128-10 on 10,000 rows took
  2.0 s against 1.2 s (bench/results/steps.md).

  Wrapped by network_table, the same statement ends by storing the model's fingerprint
  (`_fingerprint_to_store`): dbt's cost of one more statement per model was a tenth of a
  spiral epoch's time.
-#}
{% materialization epoch_table, adapter='duckdb' %}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set create -%}
        set session preserve_insertion_order = false;
        create or replace table {{ target_relation }} as (
            {{ sql }}
        );
        reset session preserve_insertion_order
    {%- endset -%}
    {{ return(sqlnn._create_epoch_relation(target_relation, create)) }}
{% endmaterialization %}
