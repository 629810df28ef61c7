"""dbt from Python, for the CLI: commands, and queries through the project's own profile and target."""

from __future__ import annotations

import json
from typing import Any


def run(args: list[str]) -> bool:
    """Run a dbt command in this process (its output goes where dbt's does); True when it succeeded."""
    from dbt.cli.main import dbtRunner

    return bool(dbtRunner().invoke(args).success)


def query(sql: str, dbt_args: list[str]) -> list[dict[str, Any]]:
    """The rows of `sql` (Jinja allowed: ref(), sqlnn macros) as dbt runs it on the profile's target."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(
        ["show", "--inline", sql, "--limit", "-1", "--output", "json", "--quiet", *dbt_args]
    )
    if not result.success:
        raise RuntimeError(f"dbt show failed: {result.exception or 'see the dbt log above'}")
    table = result.result.results[0].agate_table
    return [dict(zip(table.column_names, row, strict=True)) for row in table.rows]


def settings(network: str, dbt_args: list[str]) -> dict[str, Any]:
    """The network's settings as its models see them (library defaults, dbt_project.yml, --vars)."""
    rows = query(f"select {{{{ sqlnn._settings_json('{network}') }}}} as settings", dbt_args)
    return json.loads(rows[0]["settings"])
