{#-
  network_table: the materialization of every network model (`network_model` sets it). It
  builds a model only when what determines its contents changed since the table was built:

  fingerprint = md5(the compiled SQL, then for each relation the model reads, sorted: the
  fingerprint stored on it when sqlnn built it, or, for a relation sqlnn does not build
  (the user's data table, seed, source), a checksum of its rows, `content_checksum`).

  If the table exists and carries that fingerprint (`stored_fingerprints`), nothing runs:
  no query reads the inputs, and the result says `REUSED` (the run-end report counts them).
  Otherwise the wrapped materialization builds it (per-epoch models: `epoch_materialization(stage)`,
  a table or, for a DuckDB forward pass that only the loss reads, a view; the rest dbt's
  `table`) and the fingerprint is stored after the build (`store_fingerprint`), so a killed
  build leaves the model unmarked and the next run builds it again. A parent with no
  fingerprint leaves the child without one: built every time. `--full-refresh` builds every model.
-#}
{% materialization network_table, default %}
    {%- set target_relation = this.incorporate(type='table') -%}
    {#- the stored fingerprints of the model and of the parents sqlnn builds: read once per invocation -#}
    {%- set stored = sqlnn._fingerprints_of_this_run() -%}
    {%- set fingerprint = sqlnn.fingerprint(sql, stored) -%}
    {%- set key = sqlnn._fingerprint_key(target_relation) -%}
    {#- the table must still exist (BigQuery's store may outlive it): asked last, as dbt's relation cache is slow -#}
    {%- if fingerprint is not none and not should_full_refresh() and stored.get(key) == fingerprint -%}
        {%- set existing_relation = load_cached_relation(this) -%}
        {%- if existing_relation is not none -%}
            {%- do store_raw_result(name='main', message='REUSED', code='REUSED', rows_affected=0) -%}
            {{ return({'relations': [existing_relation]}) }}
        {%- endif -%}
    {%- endif -%}
    {%- if stored.get(key) is not none -%}
        {%- do sqlnn.store_fingerprint(target_relation, none) -%}
        {%- do stored.update({key: none}) -%}
    {%- endif -%}
    {%- set per_epoch = 'epochs' in (config.get('tags') or model.tags or []) -%}
    {#- offered to the wrapped materialization: DuckDB's epoch_table and epoch_view store it in their own statement -#}
    {%- do sqlnn._kept_for_this_run('fingerprint_to_store').update({key: fingerprint}) -%}
    {#- the stage ends the name of every per-epoch model the scaffold writes (<n>_epoch_0003_forward) -#}
    {%- set stage = model.name.split('_') | last -%}
    {%- set built = sqlnn._wrapped_materialization(sqlnn.epoch_materialization(stage) if per_epoch else 'table') -%}
    {#- unless the materialization stored it: on the relation as built (a table, or a view) -#}
    {%- if fingerprint is not none and sqlnn._fingerprint_to_store(target_relation) is not none -%}
        {%- do sqlnn.store_fingerprint(built.relations[0], fingerprint) -%}
    {%- endif -%}
    {#- what the children of this model read in this run (none: rebuilt without one) -#}
    {%- do stored.update({key: fingerprint}) -%}
    {{ return(built) }}
{% endmaterialization %}
