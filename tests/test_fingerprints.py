"""Fingerprints: a `dbt build` recomputes only the models whose inputs changed, to the result of a fresh build.

One project holds several small networks (2-2-3 on the spiral), each changed in one way between builds, and one
left alone. Which models a build recomputed is read from the tables, not from dbt's log: before each build the
test writes a column comment (MARK) on every table, which survives only on a table that was not replaced.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import REPO, DbtProject, copy_project, scaffold_like_spiral

from sqlnn import scaffold

EPOCHS, MORE_EPOCHS = 3, 5
MARK = "sqlnn test: not rebuilt"
TINY = {"hidden": [2], "learning_rate": 0.1, "init_scale": 0.5}
# (network, its settings before, its settings after, the seed it trains on)
NETWORKS: dict[str, dict[str, Any]] = {
    "kept": {},  # never changed: every other change leaves it untouched
    "longer": {},  # MORE_EPOCHS epochs after EPOCHS
    "rate": {},
    "width": {},
    "seeded": {},
    "features": {},
    "edited_row": {"data": "fp_edited"},
    "added_row": {"data": "fp_added"},
}
CHANGES: dict[str, dict[str, Any]] = {
    "rate": {"learning_rate": 0.2},
    "width": {"hidden": [3]},
    "seeded": {"seed": 7},
    "features": {"features": ["x2", "x1"]},
}
# The first model each change affects: it and everything downstream of it in its network are rebuilt, nothing else.
FIRST_AFFECTED = {
    "rate": ["epoch_0001_update"],
    "width": ["initial_params"],
    "seeded": ["initial_params"],
    "features": ["training_data_checks", "training_examples"],
    "edited_row": ["training_data_checks", "training_examples"],
    "added_row": ["training_data_checks", "training_examples"],
    "longer": [
        scaffold.model_name("longer", epoch, stage)[len("longer_") :]
        for epoch in range(EPOCHS + 1, MORE_EPOCHS + 1)
        for stage in ("forward", "loss", "backprop", "update")
    ]
    + ["training_history"],
}
NO_TESTS = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
# A macro change that alters the compiled SQL of one model in every network (class_metrics) and no other.
MACRO = "macros/evaluation/class_metrics.sql"


def _spiral_rows() -> tuple[list[str], list[list[Any]]]:
    with (REPO / "seeds" / "spiral.csv").open() as f:
        rows = list(csv.reader(f))
    return rows[0], [[float(x1), float(x2), int(label)] for x1, x2, label in rows[1:]]


def _project(folder: Path) -> DbtProject:
    """A project holding only the networks, before any change."""
    project = copy_project(folder)
    _configure(project, changed=False)
    project.remove_network("spiral")
    scaffold.remove_settings(project.path, "spiral")
    return project


def _configure(project: DbtProject, changed: bool) -> None:
    """Write the networks' settings, folders and seeds, before (changed=False) or after every change."""
    header, rows = _spiral_rows()
    edited = [list(row) for row in rows]
    added = [list(row) for row in rows]
    if changed:
        edited[7][0] += 0.001
        added.append([0.25, -0.5, 2])
        _change_macro(project)
    project.write_seed("fp_edited", header, edited)
    project.write_seed("fp_added", header, added)
    for name, settings in NETWORKS.items():
        values = {**TINY, **settings, **(CHANGES.get(name, {}) if changed else {})}
        epochs = MORE_EPOCHS if changed and name == "longer" else EPOCHS
        scaffold_like_spiral(project, name, epochs, **values)


def _change_macro(project: DbtProject) -> None:
    path = project.path / MACRO
    text = path.read_text()
    marker = "{% macro default__class_metrics"
    start = text.index(marker)
    body = text.index("%}", start) + 2
    path.write_text(text[:body] + "\n-- changed by test_fingerprints" + text[body:])


def _build(project: DbtProject) -> float:
    started = time.perf_counter()
    result = project.dbt("build", *NO_TESTS)
    assert result.success, [(r.node.name, r.message) for r in result.result.results if str(r.status) == "error"]
    return time.perf_counter() - started


def _mark(project: DbtProject) -> None:
    tables = project.query("select schema_name, table_name from duckdb_tables() where schema_name = 'main'")
    with duckdb.connect(str(project.database)) as connection:
        for schema, table in tables:
            first = connection.sql(
                f"select column_name from duckdb_columns() where table_name = '{table}' order by column_index limit 1"
            ).fetchall()[0][0]
            connection.execute(f"comment on column {schema}.{table}.{first} is '{MARK}'")


def _rebuilt(project: DbtProject) -> set[str]:
    """The network tables whose MARK is gone (or that are new) since `_mark`."""
    kept = {name for (name,) in project.query(f"select table_name from duckdb_columns() where comment = '{MARK}'")}
    return {name for name in _network_models(project) if name not in kept}


def _network_models(project: DbtProject) -> set[str]:
    manifest = json.loads((project.path / "target" / "manifest.json").read_text())
    return {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["materialized"] == "network_table"
    }


def _downstream(project: DbtProject, names: list[str]) -> set[str]:
    """`names` and every model downstream of them."""
    manifest = json.loads((project.path / "target" / "manifest.json").read_text())
    children: dict[str, list[str]] = manifest["child_map"]
    found: set[str] = set()
    todo = [f"model.sqlnn.{name}" for name in names]
    while todo:
        unique_id = todo.pop()
        if unique_id.startswith("model.") and unique_id not in found:
            found.add(unique_id)
            todo += children.get(unique_id, [])
    return {unique_id.split(".")[-1] for unique_id in found}


def _results(project: DbtProject, changed: bool) -> dict[str, list[tuple]]:
    """What training leaves, per network: final parameters with optimizer state, history, predictions."""
    tables = {}
    for name in NETWORKS:
        epochs = MORE_EPOCHS if changed and name == "longer" else EPOCHS
        last = scaffold.model_name(name, epochs, "update")
        tables[last] = project.query(f"select * from {last} order by layer, param, i, j")
        tables[f"{name}_training_history"] = project.query(f"select * from {name}_training_history order by epoch")
        tables[f"{name}_predictions"] = project.query(f"select * from {name}_predictions order by all")
        tables[f"{name}_evaluation"] = project.query(f"select * from {name}_evaluation order by all")
    return tables


@pytest.fixture(scope="module")
def fresh_after(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple]]:
    """A fresh build of the changed networks: what the incremental builds must end equal to."""
    project = _project(tmp_path_factory.mktemp("fresh") / "project")
    _configure(project, changed=True)
    _build(project)
    return _results(project, changed=True)


def test_rebuilds_only_what_changed(tmp_path: Path, fresh_after: dict[str, list[tuple]]) -> None:
    project = _project(tmp_path / "project")
    fresh = _build(project)
    before = _results(project, changed=False)

    _mark(project)
    unchanged = _build(project)
    assert _rebuilt(project) == set(), "an unchanged build recomputed models"
    assert _results(project, changed=False) == before
    # the figures for a 100-epoch network: scripts/fingerprint_figures.py
    print(f"fresh build {fresh:.1f} s, unchanged rebuild {unchanged:.1f} s")

    _configure(project, changed=True)
    _mark(project)
    print(f"changed rebuild {_build(project):.1f} s")
    rebuilt = _rebuilt(project)
    for name in NETWORKS:
        expected = {f"{name}_class_metrics", f"{name}_evaluation"}  # the macro change
        if name in FIRST_AFFECTED:
            expected |= _downstream(project, [f"{name}_{model}" for model in FIRST_AFFECTED[name]])
        own = {model for model in rebuilt if model.startswith(f"{name}_")}
        assert own == expected, name
    assert _results(project, changed=True) == fresh_after  # bit for bit, every network
