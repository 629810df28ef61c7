"""dbt from Python, for the CLI: commands, and queries through the project's own profile and target."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


class QueryError(Exception):
    """A query dbt could not run (no such model yet, no database, a bad profile)."""


def run(args: list[str]) -> bool:
    """Run a dbt command in this process (its output goes where dbt's does); True when it succeeded."""
    from dbt.cli.main import dbtRunner

    return bool(dbtRunner().invoke(args).success)


def query(sql: str, dbt_args: list[str]) -> list[dict[str, Any]]:
    """The rows of `sql` (Jinja allowed: ref(), sqlnn macros) as dbt runs it on the profile's target."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(
        ["show", "--inline", sql, "--limit", "-1", "--output", "json", "--log-level", "none", *dbt_args]
    )
    if not result.success:
        results = getattr(result.result, "results", None) or []
        detail = result.exception or next((r.message for r in results if r.message), "see logs/dbt.log")
        lines = [line.strip() for line in str(detail).splitlines() if line.strip()]
        ours = [line for line in lines if line.startswith("sqlnn:")]
        raise QueryError(ours[0] if ours else " ".join(lines[:3]))
    table = result.result.results[0].agate_table
    return [dict(zip(table.column_names, map(_plain, row), strict=True)) for row in table.rows]


def _plain(value: Any) -> Any:
    """agate reads numbers as Decimal: integers back to int, the rest to float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(value)
    return value


def settings(network: str, dbt_args: list[str]) -> dict[str, Any]:
    """The network's settings as its models see them (library defaults, dbt_project.yml, --vars)."""
    rows = query(f"select {{{{ sqlnn._settings_json('{network}') }}}} as settings", dbt_args)
    return json.loads(rows[0]["settings"])
