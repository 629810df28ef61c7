"""A throw-away copy of a dbt project, run with dbt in this process: for the tests and `make bench`."""

from __future__ import annotations

import csv
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from sqlnn import scaffold

# What a copy of the sqlnn repository's dbt project needs.
PROJECT_ITEMS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "docs", "tests/dbt")


@dataclass
class DbtProject:
    """A dbt project in a folder of its own, with its own DuckDB file."""

    path: Path

    @property
    def database(self) -> Path:
        return self.path / "sqlnn.duckdb"

    def dbt(self, *args: str, settings: dict[str, dict[str, Any]] | None = None, vars: dict | None = None) -> Any:
        """Run dbt here. `settings` overrides network settings ({network: {setting: value}}) as
        `--vars '{sqlnn: ...}'` does; `vars` are other vars."""
        from dbt.cli.main import dbtRunner

        command = [*args, "--project-dir", str(self.path), "--profiles-dir", str(self.path)]
        command += ["--log-path", str(self.path / "logs"), "--target-path", str(self.path / "target")]
        all_vars = dict(vars or {})
        if settings:
            all_vars["sqlnn"] = settings
        if all_vars:
            command += ["--vars", json.dumps(all_vars)]
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

    def networks(self) -> dict[str, scaffold.Network]:
        return scaffold.networks(self.path)

    def scaffold(self, network: str, epochs: int | None = None, **settings: Any) -> scaffold.Network:
        """`sqlnn scaffold NETWORK [--epochs N] [--SETTING VALUE ...]`: settings are written to dbt_project.yml."""
        if epochs is not None:
            settings["epochs"] = epochs
        configured = scaffold.configure(self.path, network, settings) if settings else self.networks()[network]
        scaffold.write(self.path, configured)
        return configured

    def remove_network(self, network: str) -> None:
        """Delete a network's folder (its settings stay in dbt_project.yml, so it must be another network's turn)."""
        shutil.rmtree(self.path / self.networks()[network].folder)


def copy_project(source: Path, destination: Path, items: tuple[str, ...] = PROJECT_ITEMS) -> DbtProject:
    """Copy a dbt project's files (the sqlnn repository's by default) into destination."""
    for item in items:
        path = source / item
        if path.is_dir():
            shutil.copytree(path, destination / item, ignore=shutil.ignore_patterns("target", "logs", "*.duckdb"))
        elif path.exists():
            (destination / item).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, destination / item)
    return DbtProject(destination)
