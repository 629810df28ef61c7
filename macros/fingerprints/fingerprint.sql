{#-
  The fingerprint the current model would be built with (network_table): md5 of its compiled
  SQL and of what each relation it reads holds, in sorted order. A relation sqlnn builds
  (network_table) stands for its stored fingerprint (`stored`, from stored_fingerprints),
  which already covers everything upstream of it; any other relation (the user's table,
  seed or source) for its `content_checksum`. None (build, store nothing) when a parent
  sqlnn builds has no fingerprint or a relation is missing.
-#}
{% macro fingerprint(compiled_sql, stored) %}
    {{- return(adapter.dispatch('fingerprint', 'sqlnn')(compiled_sql, stored)) -}}
{% endmacro %}

{% macro default__fingerprint(compiled_sql, stored) %}
    {%- set built, other = sqlnn._parent_relations() -%}
    {%- set parts = [compiled_sql] -%}
    {%- for relation in built -%}
        {%- set value = stored.get(sqlnn._fingerprint_key(relation)) -%}
        {%- if value is none -%}{{ return(none) }}{%- endif -%}
        {%- do parts.append(relation.identifier ~ '=' ~ value) -%}
    {%- endfor -%}
    {%- for relation in other -%}
        {%- set checksum = sqlnn._checksum_of_this_run(relation) -%}
        {%- if checksum is none -%}{{ return(none) }}{%- endif -%}
        {%- do parts.append(relation.identifier ~ '=' ~ checksum) -%}
    {%- endfor -%}
    {{ return(local_md5(parts | join('\n'))) }}
{% endmacro %}

{#- The relations the current model reads, sorted: (those network_table builds, the others). -#}
{% macro _parent_relations() %}
    {%- set built, other = [], [] -%}
    {%- for unique_id in model.depends_on.nodes | unique | sort -%}
        {%- set node = graph.nodes.get(unique_id) or graph.sources.get(unique_id) -%}
        {%- set relation = api.Relation.create(database=node.database, schema=node.schema,
            identifier=(node.identifier if node.resource_type == 'source' else node.alias or node.name)) -%}
        {%- if node.resource_type == 'model' and node.config.materialized == 'network_table' -%}
            {%- do built.append(relation) -%}
        {%- else -%}
            {%- do other.append(relation) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return((built, other)) }}
{% endmacro %}
