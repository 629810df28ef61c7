"""Shared fixtures: a throw-away copy of the dbt project and an in-process dbt runner."""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pytest
import yaml
from dbt.cli.main import dbtRunner, dbtRunnerResult

REPO = Path(__file__).resolve().parents[1]
PROJECT_ITEMS = ["dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "docs", "tests/dbt"]


@dataclass
class DbtProject:
    """A copy of the repository's dbt project in a temporary folder, with its own DuckDB file."""

    path: Path

    @property
    def database(self) -> Path:
        return self.path / "sqlnn.duckdb"

    def dbt(self, *args: str, vars: dict | None = None) -> dbtRunnerResult:
        command = [*args, "--project-dir", str(self.path), "--profiles-dir", str(self.path)]
        command += ["--log-path", str(self.path / "logs"), "--target-path", str(self.path / "target")]
        if vars:
            command += ["--vars", json.dumps(vars)]
        previous = os.environ.get("SQLNN_DUCKDB_PATH")
        os.environ["SQLNN_DUCKDB_PATH"] = str(self.database)
        try:
            return dbtRunner().invoke(command)
        finally:
            if previous is None:
                del os.environ["SQLNN_DUCKDB_PATH"]
            else:
                os.environ["SQLNN_DUCKDB_PATH"] = previous

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.database)) as connection:
            return connection.sql(sql).fetchall()

    def write_seed(self, name: str, header: list[str], rows: list[list]) -> None:
        with (self.path / "seeds" / f"{name}.csv").open("w", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            writer.writerows([repr(v) if isinstance(v, float) else v for v in row] for row in rows)


def project_vars() -> dict:
    """The nn_* defaults as dbt_project.yml sets them, so tests follow the committed configuration."""
    return yaml.safe_load((REPO / "dbt_project.yml").read_text())["vars"]


def copy_project(destination: Path) -> DbtProject:
    for item in PROJECT_ITEMS:
        source = REPO / item
        if source.is_dir():
            shutil.copytree(source, destination / item)
        else:
            (destination / item).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, destination / item)
    return DbtProject(destination)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[DbtProject]:
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
