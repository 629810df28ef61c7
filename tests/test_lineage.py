"""dbt's graph is the spiral network's computation graph, every model and column is documented,
every public macro is documented, and the tags select the network and its stages."""

from __future__ import annotations

import pytest
from conftest import DbtProject, copy_project, spiral_settings

from sqlnn import scaffold

EPOCHS = int(spiral_settings()["epochs"])


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory):
    project: DbtProject = copy_project(tmp_path_factory.mktemp("lineage") / "project")
    result = project.dbt("parse")
    assert result.success, result.exception
    return project, result.result


@pytest.fixture(scope="module")
def manifest(parsed):
    return parsed[1]


def _parents(manifest, name: str) -> set[str]:
    node = manifest.nodes[f"model.sqlnn.{name}"]
    return {parent.split(".")[-1] for parent in node.depends_on.nodes}


def _epoch(epoch: int, stage: str) -> str:
    return scaffold.model_name("spiral", epoch, stage)


def test_each_epoch_is_forward_then_loss_and_backprop_then_update(manifest) -> None:
    assert _parents(manifest, _epoch(1, "forward")) == {"spiral_initial_params", "spiral_training_features"}
    assert _parents(manifest, _epoch(1, "loss")) == {
        _epoch(1, "forward"),
        "spiral_initial_params",
        "spiral_training_examples",
    }
    for epoch in (2, EPOCHS):
        params = _epoch(epoch - 1, "update")
        forward = _epoch(epoch, "forward")
        assert _parents(manifest, forward) == {params, "spiral_training_features"}
        # the loss models form a chain: each carries the early-stopping state on from the one before
        previous = _epoch(epoch - 1, "loss")
        assert _parents(manifest, _epoch(epoch, "loss")) == {forward, params, previous, "spiral_training_examples"}
        assert _parents(manifest, _epoch(epoch, "backprop")) == {
            forward,
            params,
            "spiral_training_examples",
            "spiral_training_features",
        }
        # the update reads its epoch's loss: whether training has stopped, and which epoch is the best
        assert _parents(manifest, _epoch(epoch, "update")) == {params, _epoch(epoch, "backprop"), _epoch(epoch, "loss")}


def test_the_pipeline_around_the_epochs(manifest) -> None:
    assert _parents(manifest, "spiral_training_data_checks") == {"spiral"}  # the seed the `data` setting names
    assert _parents(manifest, "spiral_classes") == {"spiral", "spiral_training_data_checks"}
    assert _parents(manifest, "spiral_training_examples") == {"spiral", "spiral_training_data_checks", "spiral_classes"}
    assert _parents(manifest, "spiral_feature_info") == {"spiral_training_examples"}
    assert _parents(manifest, "spiral_vocabulary") == {"spiral_training_examples"}
    assert _parents(manifest, "spiral_feature_scaling") == {"spiral_training_examples", "spiral_vocabulary"}
    assert _parents(manifest, "spiral_training_features") == {
        "spiral_training_examples",
        "spiral_vocabulary",
        "spiral_feature_scaling",
    }
    # no init_params: drawn from the seed, sized by the vocabulary (inputs) and the classes (outputs)
    assert _parents(manifest, "spiral_initial_params") == {"spiral_vocabulary", "spiral_classes"}
    assert _parents(manifest, "spiral_trained_params") == {_epoch(EPOCHS, "update")}
    assert _parents(manifest, "spiral_training_history") == {_epoch(e, "loss") for e in range(1, EPOCHS + 1)}
    assert _parents(manifest, "spiral_predictions") == {
        "spiral_trained_params",
        "spiral_training_examples",
        "spiral_feature_scaling",
        "spiral_vocabulary",
        "spiral_classes",
    }
    assert _parents(manifest, "spiral_confusion_matrix") == {"spiral_predictions", "spiral_classes"}
    assert _parents(manifest, "spiral_class_metrics") == {"spiral_confusion_matrix"}
    assert _parents(manifest, "spiral_evaluation") == {"spiral_predictions", "spiral_class_metrics", "spiral_classes"}
    # explain_predict reads the trained network by name
    assert _parents(manifest, "spiral_feature_importance") == {
        "spiral_training_examples",
        "spiral_trained_params",
        "spiral_feature_scaling",
        "spiral_vocabulary",
        "spiral_classes",
    }


def test_every_model_of_the_network_is_in_the_graph(manifest) -> None:
    models = {node.name for node in manifest.nodes.values() if node.resource_type == "model"}
    generated = {path.rsplit("/", 1)[-1].removesuffix(".sql") for path in scaffold.render("spiral", EPOCHS)}
    assert models == {name for name in generated if not name.endswith((".yml", ".md"))}


def test_every_model_and_column_is_described(manifest) -> None:
    models = [node for node in manifest.nodes.values() if node.resource_type == "model"]
    assert len(models) == len(scaffold.STAGES) * EPOCHS + 15
    for node in models:
        assert node.description.strip(), f"{node.name} has no description"
        assert "{{" not in node.description and "doc(" not in node.description, node.name  # doc() resolved
        assert node.columns, f"{node.name} documents no columns"
        for column in node.columns.values():
            assert column.description.strip(), f"{node.name}.{column.name} has no description"
            assert "{{" not in column.description, f"{node.name}.{column.name}"


def _public(macro) -> bool:
    """Not a _private helper, nor an adapter's implementation for dispatch (default__x, duckdb__x ...)."""
    return macro.package_name == "sqlnn" and not macro.name.startswith("_") and "__" not in macro.name


def test_every_public_macro_is_documented(manifest) -> None:
    public = [m for m in manifest.macros.values() if _public(m)]
    assert {"forward", "loss", "backprop", "update_params", "predict", "test_loss_decreases"} <= {
        m.name for m in public
    }
    undocumented = sorted(m.name for m in public if not m.description.strip())
    assert undocumented == []
    for macro in public:
        assert "{{" not in macro.description, macro.name
        undocumented_arguments = [a.name for a in macro.arguments if not (a.description or "").strip()]
        assert undocumented_arguments == [], (macro.name, undocumented_arguments)


def _tagged(manifest, *tags: str) -> set[str]:
    return {
        node.name
        for node in manifest.nodes.values()
        if node.resource_type == "model" and all(tag in node.tags for tag in tags)
    }


def test_tags_select_the_network_and_its_stages(parsed) -> None:
    project, manifest = parsed
    result = project.dbt("ls", "--select", "tag:spiral,tag:forward", "--resource-type", "model", "--output", "name")
    assert result.success, result.exception
    listed = set(result.result)
    assert listed == {_epoch(e, "forward") for e in range(1, EPOCHS + 1)}
    assert listed == _tagged(manifest, "spiral", "forward")
    models = {node.name for node in manifest.nodes.values() if node.resource_type == "model"}
    assert _tagged(manifest, "spiral") == models
    for stage in scaffold.STAGES:
        assert _tagged(manifest, stage) == {_epoch(e, stage) for e in range(1, EPOCHS + 1)}
    assert _tagged(manifest, "epochs") == {_epoch(e, s) for e in range(1, EPOCHS + 1) for s in scaffold.STAGES}
    pipeline = {
        "data": {
            "training_data_checks",
            "classes",
            "training_examples",
            "feature_info",
            "vocabulary",
            "feature_scaling",
            "training_features",
        },
        "init": {"initial_params"},
        "outputs": {"training_history", "trained_params", "predictions"},
        "evaluation": {"confusion_matrix", "class_metrics", "evaluation", "feature_importance"},
    }
    for stage, names in pipeline.items():
        assert _tagged(manifest, stage) == {f"spiral_{name}" for name in names}, stage
