"""Shared fixtures: a throw-away copy of the dbt project and an in-process dbt runner."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest
from dbt.cli.main import dbtRunnerResult

from sqlnn import scaffold
from sqlnn.project import DbtProject
from sqlnn.project import copy_project as _copy_project

REPO = Path(__file__).resolve().parents[1]
__all__ = [
    "REPO",
    "DbtProject",
    "assert_params_close",
    "build_only",
    "copy_project",
    "error_lines",
    "mark_tables",
    "params_rows",
    "scaffold_like_spiral",
    "spiral_settings",
    "statuses",
    "unmarked_tables",
]

# The column comment `mark_tables` writes: it survives only on a table dbt did not replace.
MARK = "sqlnn test: not rebuilt"

# The files that take longest (seconds of test time on the 2-core machine, `--durations=0`: engines 450,
# package_use 340, config_errors 220, bench 190, then 180 to 90) run first: `make test` hands whole files
# to its workers in this order (`--dist loadfile --no-loadscope-reorder`), so that no worker starts a long
# file while the others are nearly done. xdist's own order is by number of tests, which put these last.
LONGEST_FIRST = (
    "test_engines.py",
    "test_package_use.py",
    "test_config_errors.py",
    "test_bench.py",
    "test_reference_equivalence.py",
    "test_resume.py",
    "test_fingerprints.py",
    "test_regression.py",
    "test_data_errors.py",
    "test_docs_site.py",
    "test_messy_tables.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """LONGEST_FIRST's files first, in its order; a file's own tests keep theirs (the sort is stable)."""
    rank = {name: k for k, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def copy_project(destination: Path, only: str | None = "spiral") -> DbtProject:
    """A copy of the repository's dbt project. With `only`, every other network's folder is left
    out (and its settings removed), so a test builds just that network (the spiral by default)."""
    project = _copy_project(REPO, destination)
    if only is not None:
        for name, network in scaffold.networks(project.path).items():
            if name != only:
                shutil.rmtree(project.path / network.folder)
                scaffold.remove_settings(project.path, name)
    return project


def spiral_settings() -> dict:
    """The spiral network's settings as dbt_project.yml sets them, so tests follow the committed configuration."""
    return dict(scaffold.networks(REPO)["spiral"].settings)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[DbtProject]:
    """A copy of the repository with only the spiral network."""
    yield copy_project(tmp_path / "project")


def params_rows(params: dict[tuple[int, str], np.ndarray]) -> list[list]:
    """Parameters in trained_params form: (layer, param, i, j, value)."""
    rows: list[list] = []
    for (layer, param), array in sorted(params.items()):
        if param == "W":
            rows += [[layer, "W", i, j, float(w)] for (i, j), w in np.ndenumerate(array)]
        else:
            rows += [[layer, "b", 0, j, float(b)] for j, b in enumerate(array)]
    return rows


def assert_params_close(
    actual: list[tuple], expected: dict[tuple[int, str], np.ndarray], rtol: float, what: str = "parameters"
) -> float:
    """Compare (layer, param, i, j, value) rows with a reference; return the largest relative error."""
    assert len(actual) == sum(a.size for a in expected.values()), f"{what}: wrong number of rows"
    worst = 0.0
    for layer, param, i, j, value in actual:
        ref = expected[(layer, param)][i, j] if param == "W" else expected[(layer, param)][j]
        error = abs(value - ref) / abs(ref) if ref != 0 else abs(value)
        worst = max(worst, error)
    assert worst <= rtol, f"{what}: relative error {worst:.3e} > {rtol:.0e}"
    return worst


def statuses(result: dbtRunnerResult) -> dict[str, str]:
    """Node name -> status ('pass', 'fail', 'success', 'error', ...) of a dbt invocation."""
    return {r.node.name: str(r.status) for r in result.result.results}


def scaffold_like_spiral(project: DbtProject, name: str, epochs: int, **settings: Any) -> scaffold.Network:
    """Add network `name` to the project (its settings in dbt_project.yml, its folder generated, as
    `sqlnn scaffold NAME --epochs N --SETTING VALUE ...` does): the spiral's committed settings
    (data spiral, features, label, classes, optimizer ...), changed by `settings`."""
    values = {key: value for key, value in spiral_settings().items() if key not in ("network", "epochs")}
    values.update(settings)
    return project.scaffold(name, epochs=epochs, **values)


def start_params(sizes: list[int]) -> dict[tuple[int, str], np.ndarray]:
    """Warm-start parameters large enough that every activation works away from its linear part."""
    rng = np.random.RandomState(sum(sizes))
    params = {}
    for layer, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes), start=1):
        params[(layer, "W")] = rng.randn(fan_in, fan_out) * 0.8
        params[(layer, "b")] = rng.randn(fan_out) * 0.1
    return params


def build_networks(folder: Path, networks: dict[str, dict[str, Any]], epochs: int) -> tuple[DbtProject, Any]:
    """A project holding only `networks` (each the spiral's settings changed by its own), built by one `dbt build`."""
    project = copy_project(folder / "project")
    for name, settings in networks.items():
        scaffold_like_spiral(project, name, epochs, **settings)
    project.remove_network("spiral")
    scaffold.remove_settings(project.path, "spiral")
    result = project.dbt("build")
    assert result.result is not None, result.exception
    return project, result


def build_only(project: DbtProject, networks: dict[str, dict[str, Any]], epochs: int) -> dict[str, str]:
    """Scaffold each of `networks` with exactly its settings (`epochs` unless they say), drop the spiral, run one
    `dbt build`, which must
    succeed (every model, test and unit test); returns its statuses."""
    for name, settings in networks.items():
        project.scaffold(name, **{"epochs": epochs, **settings})
    project.remove_network("spiral")
    scaffold.remove_settings(project.path, "spiral")
    result = project.dbt("build")
    ran = statuses(result)
    assert result.success, result.exception or {k: v for k, v in ran.items() if v not in ("success", "pass")}
    return ran


def error_lines(result: dbtRunnerResult) -> dict[str, list[str]]:
    """Node name -> the sqlnn messages in its error, for every node that errored: each line with
    `sqlnn:`, from there on (the engine's prefix, e.g. DuckDB's 'Invalid Input Error: ', dropped).
    A compile error that stopped dbt before any node ran is reported under the name ''."""

    def lines(text: str) -> list[str]:
        return [line[line.index("sqlnn:") :].strip() for line in text.splitlines() if "sqlnn:" in line]

    if result.result is None or not hasattr(result.result, "results"):
        return {"": lines(str(result.exception))}
    return {r.node.name: lines(r.message or "") for r in result.result.results if str(r.status) == "error"}


def mark_tables(project: DbtProject) -> None:
    """Write MARK as the comment of every table's first column: which tables the next build rebuilds is then
    read from the tables themselves (`unmarked_tables`), not from dbt's log."""
    with duckdb.connect(str(project.database)) as connection:
        for schema, table, column in connection.sql(
            "select schema_name, table_name, first(column_name order by column_index) from duckdb_columns() "
            "where not internal group by all"
        ).fetchall():
            connection.execute(f"comment on column {schema}.{table}.{column} is '{MARK}'")


def unmarked_tables(project: DbtProject) -> set[str]:
    """The tables without MARK: built (replaced or new) since `mark_tables`."""
    marked = project.query(f"select table_name, bool_or(comment = '{MARK}') from duckdb_columns() group by all")
    return {name for name, kept in marked if not kept}
