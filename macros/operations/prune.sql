{#-
  `dbt run-operation sqlnn.prune` (or `sqlnn prune`): drops the tables of a network's
  models that are no longer in the project: the epochs beyond the current count after
  `sqlnn scaffold NAME --epochs N` lowered it, and every model of a network that was
  removed. Only relations named like a network model (NAME_epoch_0001_forward,
  NAME_trained_params ...) of the given networks are touched, in the schemas the
  project's models are built in.
    networks: names (default: every network in the project)
    dry_run: true lists what would be dropped and drops nothing
-#}
{% macro prune(networks=none, dry_run=false) %}
    {{- return(adapter.dispatch('prune', 'sqlnn')(networks, dry_run)) -}}
{% endmacro %}

{% macro default__prune(networks=none, dry_run=false) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set in_graph = [] -%}
    {%- set schemas = {} -%}
    {%- set configured = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type in ['model', 'seed', 'snapshot'] -%}
        {%- do in_graph.append(node.alias | lower) -%}
        {%- do schemas.update({(node.database ~ '.' ~ node.schema) | lower: (node.database, node.schema)}) -%}
        {%- set own = ((node.config or {}).meta or {}).get('sqlnn') -%}
        {%- if own is mapping and own.get('network') not in configured -%}
            {%- do configured.append(own.get('network')) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set names = networks if networks else configured -%}
    {%- set names = [names] if names is string else names -%}
    {%- if not schemas -%}
        {%- do schemas.update({'target': (target.database, target.schema)}) -%}
    {%- endif -%}
    {%- set suffixes = 'training_data_checks|training_examples|feature_scaling|training_features|initial_params|training_history|trained_params|predictions|confusion_matrix|class_metrics|evaluation|epoch_[0-9]+_(forward|loss|backprop|update)' -%}
    {%- set dropped = [] -%}
    {%- for database, schema in schemas.values() -%}
        {%- set relations = adapter.list_relations_without_caching(api.Relation.create(database=database, schema=schema)) -%}
        {%- for relation in relations -%}
            {%- set identifier = relation.identifier | lower -%}
            {%- for name in names
                if modules.re.fullmatch((name | lower) ~ '_(' ~ suffixes ~ ')', identifier)
                and identifier not in in_graph -%}
                {%- do dropped.append(relation) -%}
                {%- if not dry_run -%}{%- do adapter.drop_relation(relation) -%}{%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- do log(("would drop " if dry_run else "dropped ") ~ dropped | length ~ " relation(s) of network(s) "
        ~ (names | join(', ') or 'none') ~ (": " ~ dropped | map(attribute='identifier') | join(', ') if dropped and dry_run else ""), info=true) -%}
    {{ return('') }}
{% endmacro %}
