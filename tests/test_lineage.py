"""dbt's graph is the network's computation graph, and every model and column is documented."""

from __future__ import annotations

import pytest
from conftest import DbtProject, copy_project


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory):
    project: DbtProject = copy_project(tmp_path_factory.mktemp("lineage") / "project")
    result = project.dbt("parse")
    assert result.success, result.exception
    return result.result


def _parents(manifest, name: str) -> set[str]:
    node = manifest.nodes[f"model.sqlnn.{name}"]
    return {parent.split(".")[-1] for parent in node.depends_on.nodes}


def test_each_epoch_is_forward_then_loss_and_backprop_then_update(manifest) -> None:
    assert _parents(manifest, "epoch_0001_forward") == {"initial_params", "training_features"}
    assert _parents(manifest, "epoch_0002_forward") == {"epoch_0001_update", "training_features"}
    assert _parents(manifest, "epoch_0002_loss") == {"epoch_0002_forward", "epoch_0001_update", "training_examples"}
    assert _parents(manifest, "epoch_0002_backprop") == {
        "epoch_0002_forward",
        "epoch_0001_update",
        "training_examples",
        "training_features",
    }
    assert _parents(manifest, "epoch_0002_update") == {"epoch_0001_update", "epoch_0002_backprop"}


def test_every_model_and_column_is_described(manifest) -> None:
    for node in manifest.nodes.values():
        if node.resource_type != "model":
            continue
        assert node.description.strip(), f"{node.name} has no description"
        for column in node.columns.values():
            assert column.description.strip(), f"{node.name}.{column.name} has no description"


def test_every_macro_of_the_package_is_described(manifest) -> None:
    undocumented = [m.name for m in manifest.macros.values() if m.package_name == "sqlnn" and not m.description]
    assert undocumented == []
