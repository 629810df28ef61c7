{#-
  `dbt run-operation sqlnn.prune` (or `sqlnn prune`): drops the tables of a network's
  models that are no longer in the project: the epochs beyond the current count after
  `sqlnn scaffold NAME --epochs N` lowered it, and every model of a network whose folder
  was removed (name it in `networks`). Only relations named like a model of the given
  networks (NAME_epoch_0001_forward, NAME_trained_params ...) are touched, in the schema
  the network's models are built in (the target schema for a removed network). Epochs are
  looked up from the first one missing from the project upwards, until an epoch has no
  table left, so no listing of the schema is needed on any engine.
    networks: names (default: every network in the project)
    dry_run: true lists what would be dropped and drops nothing
-#}
{% macro prune(networks=none, dry_run=false) %}
    {{- return(adapter.dispatch('prune', 'sqlnn')(networks, dry_run)) -}}
{% endmacro %}

{% macro default__prune(networks=none, dry_run=false) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set in_graph = [] -%}
    {%- set homes = {} -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' -%}
        {%- do in_graph.append(node.alias | lower) -%}
        {%- set own = ((node.config or {}).meta or {}).get('sqlnn') -%}
        {%- if own is mapping and own.get('network') not in homes -%}
            {%- do homes.update({own.get('network'): (node.database, node.schema)}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set names = networks if networks else homes.keys() | list -%}
    {%- set names = [names] if names is string else names -%}
    {%- set pipeline = ['training_data_checks', 'training_examples', 'feature_scaling', 'training_features',
        'initial_params', 'training_history', 'trained_params', 'predictions', 'confusion_matrix',
        'class_metrics', 'evaluation'] -%}
    {%- set dropped = [] -%}
    {%- for name in names -%}
        {%- set database, schema = homes.get(name, (target.database, target.schema)) -%}
        {%- set candidates = [] -%}
        {%- for model in pipeline -%}{%- do candidates.append(name ~ '_' ~ model) -%}{%- endfor -%}
        {%- for identifier in candidates if identifier | lower not in in_graph -%}
            {%- set relation = adapter.get_relation(database=database, schema=schema, identifier=identifier) -%}
            {%- if relation is not none -%}{%- do dropped.append(relation) -%}{%- endif -%}
        {%- endfor -%}
        {#- the first epoch the project does not have, then upwards while any of its tables exists -#}
        {%- set state = {'epoch': 1, 'found': true} -%}
        {%- for _ in range(99999) if state.found -%}
            {%- set epoch_name = name ~ '_epoch_' ~ '%04d' | format(state.epoch) -%}
            {%- if (epoch_name ~ '_update') | lower in in_graph -%}
                {%- do state.update({'epoch': state.epoch + 1}) -%}
            {%- else -%}
                {%- set found = [] -%}
                {%- for stage in ['forward', 'loss', 'backprop', 'update'] -%}
                    {%- set relation = adapter.get_relation(database=database, schema=schema, identifier=epoch_name ~ '_' ~ stage) -%}
                    {%- if relation is not none -%}{%- do found.append(relation) -%}{%- endif -%}
                {%- endfor -%}
                {%- do dropped.extend(found) -%}
                {%- do state.update({'epoch': state.epoch + 1, 'found': found | length > 0}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if not dry_run -%}
        {%- for relation in dropped -%}{%- do adapter.drop_relation(relation) -%}{%- endfor -%}
        {%- do adapter.commit() if dropped and target.type == 'duckdb' -%}
    {%- endif -%}
    {%- do log(("would drop " if dry_run else "dropped ") ~ dropped | length ~ " relation(s) of network(s) "
        ~ (names | join(', ') or 'none') ~ (": " ~ dropped | map(attribute='identifier') | join(', ') if dropped and dry_run else ""), info=true) -%}
    {{ return('') }}
{% endmacro %}
