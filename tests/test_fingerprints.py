"""Fingerprints: a `dbt build` recomputes only the models whose inputs changed, to the result of a fresh build.

One project holds several small networks (2-2-3 on the spiral), each changed in one way between builds, and one
left alone. Which models a build recomputed is read from the tables, not from dbt's log: before each build the
test writes a column comment on every table (conftest.mark_tables), which survives only on a table not replaced.
"""

from __future__ import annotations

import csv
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, DbtProject, copy_project, error_lines, mark_tables, scaffold_like_spiral, unmarked_tables

from sqlnn import scaffold, status

EPOCHS, MORE_EPOCHS = 3, 5
TINY = {"hidden": [2], "learning_rate": 0.1, "init_scale": 0.5}
# Each network's settings (on TINY) before the changes; CHANGES are what changes.
# `rate` and `seeded` stream their weight gradients however few rows, so their forward models are views
# (sqlnn.epoch_materialization): a view carries its fingerprint as a table does.
STREAMED = {"duckdb_streaming_min_rows": 0}
NETWORKS: dict[str, dict[str, Any]] = {
    "kept": {},  # never changed: every other change leaves it untouched
    "longer": {},  # MORE_EPOCHS epochs after EPOCHS
    "rate": STREAMED,
    "width": {},
    "seeded": STREAMED,
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
# Added with the changes: continues `kept` (its EPOCHS epochs) for MORE_EPOCHS - EPOCHS epochs, so it must end
# where `longer` ends after MORE_EPOCHS epochs of the same data and settings.
CONTINUED = "continued"
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
    if changed:
        scaffold_like_spiral(project, CONTINUED, MORE_EPOCHS - EPOCHS, init_from="kept", **TINY)


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


def _rebuilt(project: DbtProject) -> set[str]:
    """The network tables built since `mark_tables` (replaced or new)."""
    return unmarked_tables(project) & _network_models(project)


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
    epochs_of = {name: MORE_EPOCHS if changed and name == "longer" else EPOCHS for name in NETWORKS}
    if changed:
        epochs_of[CONTINUED] = MORE_EPOCHS - EPOCHS
    for name, epochs in epochs_of.items():
        last = scaffold.model_name(name, epochs, "update")
        tables[last] = project.query(f"select * from {last} order by layer, param, i, j")
        tables[f"{name}_training_history"] = project.query(f"select * from {name}_training_history order by epoch")
        tables[f"{name}_predictions"] = project.query(f"select * from {name}_predictions order by all")
        tables[f"{name}_evaluation"] = project.query(f"select * from {name}_evaluation order by all")
    return tables


@pytest.fixture(scope="module")
def fresh_project(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    """A fresh build of the changed networks."""
    project = _project(tmp_path_factory.mktemp("fresh") / "project")
    _configure(project, changed=True)
    _build(project)
    return project


@pytest.fixture(scope="module")
def fresh_after(fresh_project: DbtProject) -> dict[str, list[tuple]]:
    """What the incremental builds must end equal to."""
    return _results(fresh_project, changed=True)


def _fingerprint_lookups(project: DbtProject) -> int:
    """How many times the last dbt invocation read the stored fingerprints (its SQL in dbt's debug log)."""
    logs = [project.path / "logs" / name for name in ("dbt.log.1", "dbt.log")]  # dbt rotates at 10 MB
    text = "".join(path.read_text() for path in logs if path.exists())
    # duckdb__stored_fingerprints reads the tables' and views' comments in one query
    return text.rsplit("Running with dbt=", 1)[-1].count("from duckdb_views()")


def _checksummed_relations(project: DbtProject) -> list[str]:
    """The user's relations (seeds here) the last dbt invocation checksummed, once per query (dbt's debug log)."""
    logs = [project.path / "logs" / name for name in ("dbt.log.1", "dbt.log")]
    text = "".join(path.read_text() for path in logs if path.exists())
    return re.findall(r"as hashes\s+from (\S+)", text.rsplit("Running with dbt=", 1)[-1])


def test_rebuilds_only_what_changed(
    tmp_path: Path, fresh_after: dict[str, list[tuple]], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path / "project")
    fresh = _build(project)
    before = _results(project, changed=False)

    views = {name for (name,) in project.query("select view_name from duckdb_views() where not internal")}
    assert views == {
        scaffold.model_name(name, epoch, "forward") for name in ("rate", "seeded") for epoch in range(1, EPOCHS + 1)
    }
    mark_tables(project)
    unchanged = _build(project)
    assert _rebuilt(project) == set(), "an unchanged build recomputed models"
    assert _results(project, changed=False) == before
    # the stored fingerprints were read once for the whole build, not once per model (their query was a third
    # of a reused model's cost): network_table's _fingerprints_of_this_run
    assert _fingerprint_lookups(project) == 1
    # and each data table's rows were checksummed once, though several models of each network read it
    checksummed = _checksummed_relations(project)
    assert len(checksummed) == len(set(checksummed)) >= 3, checksummed
    # the figures for a 100-epoch network: scripts/fingerprint_figures.py
    print(f"fresh build {fresh:.1f} s, unchanged rebuild {unchanged:.1f} s")

    _configure(project, changed=True)
    # `sqlnn status` foretells what the build recomputes (the macro change: class_metrics and evaluation)
    monkeypatch.setenv("SQLNN_DUCKDB_PATH", str(project.database))
    args = ["--project-dir", str(project.path), "--profiles-dir", str(project.path)]
    foretold = status.status("rate", args)
    assert (foretold.epochs, foretold.last_epoch, foretold.stored) == (EPOCHS, EPOCHS, foretold.models)
    assert foretold.final is not None and foretold.final["epoch"] == EPOCHS
    mark_tables(project)
    print(f"changed rebuild {_build(project):.1f} s")
    rebuilt = _rebuilt(project)
    for name in NETWORKS:
        expected = {f"{name}_class_metrics", f"{name}_evaluation"}  # the macro change
        if name in FIRST_AFFECTED:
            expected |= _downstream(project, [f"{name}_{model}" for model in FIRST_AFFECTED[name]])
        own = {model for model in rebuilt if model.startswith(f"{name}_")}
        assert own == expected, name
        if name == "rate":
            assert set(foretold.stale) == own and len(foretold.matching) == foretold.models - len(own)
    continued = {model for model in _network_models(project) if model.startswith(f"{CONTINUED}_")}
    assert continued and continued <= rebuilt
    after = _results(project, changed=True)
    assert after == fresh_after  # bit for bit, every network


def test_init_from_of_another_shape_is_one_line(fresh_project: DbtProject) -> None:
    """Continuing a network of other layers stops dbt when it compiles the initial parameters."""
    result = fresh_project.dbt(
        "compile", "--select", f"{CONTINUED}_initial_params", settings={CONTINUED: {"hidden": [4]}}
    )
    assert not result.success
    assert error_lines(result)[""] == [
        f"sqlnn: network {CONTINUED}: init_from 'kept' has the layers 2 -> 2 -> 3, this network 2 -> 4 -> 3 "
        "(features, hidden, classes): continue from a network of the same shape, or use init_params"
    ]


def test_init_from_continues_training_where_the_other_network_stopped(fresh_after: dict[str, list[tuple]]) -> None:
    """`continued` (init_from: kept, EPOCHS epochs trained) ends bit for bit where `longer` (MORE_EPOCHS epochs)
    ends: parameters, optimizer state (Adam's moments) and the bias correction of the continued step count."""
    longer = fresh_after[scaffold.model_name("longer", MORE_EPOCHS, "update")]
    continued = fresh_after[scaffold.model_name(CONTINUED, MORE_EPOCHS - EPOCHS, "update")]
    # the parameters and optimizer state (not best_value, the best epoch of each network's own history)
    assert [row[:8] for row in continued] == [row[:8] for row in longer]
    history = fresh_after[f"{CONTINUED}_training_history"]
    # loss .. nonfinite_param_count, after epoch, batch and step (which count from each network's own start)
    losses = [row[3:11] for row in fresh_after["longer_training_history"][EPOCHS:]]
    assert [row[3:11] for row in history] == losses
