"""Mini-batches (setting `batches`): each step is forward, loss, backprop and update over one batch of
its epoch's shuffled training rows, and equals the numpy reference run on the same batches to 1e-9.

Three networks of 2 epochs x 3 batches train side by side in one `dbt build`, covering DuckDB's
list path with streaming gradients (Adam, a validation split measured every 2 steps), its gathered
gradients (SGD, class weights) and the portable SQL (two tanh layers, momentum, a validation loss
once per epoch) that BigQuery and Spark run.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from conftest import DbtProject, assert_params_close, copy_project, params_rows, scaffold_like_spiral, start_params
from reference_mlp import ReferenceMLP

from sqlnn import datasets, scaffold
from sqlnn.spiral import make_spiral

EPOCHS, BATCHES = 2, 3
RTOL = 1e-9
CLASS_WEIGHT = {"0": 2.0, "1": 1.0, "2": 0.5}  # label values, quoted (YAML keys)
NETWORKS: dict[str, dict[str, Any]] = {
    "mb_streaming": {
        "hidden": [7],
        "optimizer": "adam",
        "learning_rate": 0.05,
        "validation_fraction": 0.2,
        "validation_interval": 2,
        "duckdb_streaming_min_rows": 0,  # streamed, though the table is small
    },
    "mb_gathered": {
        "hidden": [7],
        "optimizer": "sgd",
        "learning_rate": 0.5,
        "class_weight": CLASS_WEIGHT,
        "duckdb_streaming_max_weights": 0,
    },
    "mb_portable": {
        "hidden": [6, 5],
        "activation": "tanh",
        "optimizer": "momentum",
        "learning_rate": 0.2,
        "validation_fraction": 0.2,
        "duckdb_list_path": False,
    },
}
# the quality gates need more than 2 epochs; every other dbt test runs
SHORT_RUN = {"min_train_accuracy": 0.0, "max_final_loss_ratio": 1.0, "max_loss_increase": 1.0}


def _sizes(settings: dict[str, Any]) -> list[int]:
    return [2, *settings["hidden"], 3]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    project = copy_project(tmp_path_factory.mktemp("minibatch") / "project")
    project.remove_network("spiral")
    scaffold.remove_settings(project.path, "spiral")
    for name, settings in NETWORKS.items():
        seed = f"start_{name}"
        project.write_seed(seed, ["layer", "param", "i", "j", "value"], params_rows(start_params(_sizes(settings))))
        scaffold_like_spiral(project, name, EPOCHS, batches=BATCHES, init_params=seed, **settings, **SHORT_RUN)
    result = project.dbt("build")
    failed = {r.node.name: r.message for r in result.result.results if str(r.status) not in ("success", "pass")}
    assert result.success and not failed, result.exception or failed
    return project


def _reference_run(name: str) -> tuple[ReferenceMLP, list[dict[str, Any]], dict[int, dict[int, int]]]:
    """numpy on the SQL's batches: the model after every step, each step's batch loss and validation loss
    (on the steps that measure it), and each epoch's row id -> batch."""
    settings = NETWORKS[name]
    x, y = make_spiral()
    row_ids = np.empty(len(y), dtype=int)
    row_ids[datasets.row_order(x, y)] = np.arange(1, len(y) + 1)
    validation = datasets.validation_split(x, y, settings.get("validation_fraction", 0.0))
    weights = np.array([CLASS_WEIGHT[str(label)] for label in y]) if "class_weight" in settings else None
    model = ReferenceMLP(
        start_params(_sizes(settings)),
        activation=settings.get("activation", "relu"),
        optimizer=settings["optimizer"],
        learning_rate=settings["learning_rate"],
    )
    interval = settings.get("validation_interval", BATCHES)
    history, assignments = [], {}
    for epoch in range(1, EPOCHS + 1):
        assignments[epoch] = datasets.batch_numbers([int(r) for r in row_ids[~validation]], epoch, BATCHES)
        batch_of = np.array([assignments[epoch].get(int(r), 0) for r in row_ids])
        for batch in range(1, BATCHES + 1):
            step = (epoch - 1) * BATCHES + batch
            rows = (batch_of == batch) & ~validation
            weight = None if weights is None else weights[rows]
            row = {"step": step, "loss": model.loss(x[rows], y[rows], weight)["loss"], "val_loss": None}
            if validation.any() and (step - 1) % interval == 0:
                row["val_loss"] = model.loss(x[validation], y[validation])["loss"]
            history.append(row)
            model.train_step(x[rows], y[rows], weight)
    return model, history, assignments


@pytest.mark.parametrize("name", list(NETWORKS))
def test_minibatch_training_equals_numpy_on_the_same_batches(built: DbtProject, name: str) -> None:
    model, history, assignments = _reference_run(name)
    for epoch, expected in assignments.items():
        rows = built.query(f"select row_id, batch from {scaffold.model_name(name, epoch, 'batches')} where batch > 0")
        assert dict(rows) == expected, f"epoch {epoch}: the SQL's batches are not the Python ones"
    sizes = {len([r for r, b in assignments[1].items() if b == batch]) for batch in range(1, BATCHES + 1)}
    assert max(sizes) - min(sizes) <= 1, sizes

    assert_params_close(built.query(f"select layer, param, i, j, value from {name}_trained_params"), model.params, RTOL)
    state = {"momentum": "momentum_buffer", "adam": "exp_avg_sq"}.get(NETWORKS[name]["optimizer"])
    if state:
        last = scaffold.model_name(name, EPOCHS, "update", BATCHES)
        rows = built.query(f"select layer, param, i, j, {state} from {last}")
        assert_params_close(rows, {key: st[state] for key, st in model.state.items()}, RTOL, what=state)

    sql = built.query(f"select epoch, batch, step, loss, val_loss from {name}_training_history order by step")
    assert [(e, b, s) for e, b, s, _, _ in sql] == [
        (e, b, (e - 1) * BATCHES + b) for e in range(1, EPOCHS + 1) for b in range(1, BATCHES + 1)
    ]
    np.testing.assert_allclose([row[3] for row in sql], [row["loss"] for row in history], rtol=RTOL, atol=0)
    assert [row[4] is None for row in sql] == [row["val_loss"] is None for row in history]
    measured = [(row[4], ref["val_loss"]) for row, ref in zip(sql, history, strict=True) if ref["val_loss"] is not None]
    np.testing.assert_allclose([a for a, _ in measured], [b for _, b in measured], rtol=RTOL, atol=0)


def test_a_step_reads_only_its_epochs_batch_rows_and_the_step_before(built: DbtProject) -> None:
    """The lineage is the computation graph: step (2, 1) reads epoch 2's batch rows and step (1, 3)'s update."""
    manifest = json.loads((built.path / "target" / "manifest.json").read_text())

    def parents(model: str) -> set[str]:
        return {p.split(".")[-1] for p in manifest["nodes"][f"model.sqlnn.{model}"]["depends_on"]["nodes"]}

    name = "mb_streaming"
    rows, previous = scaffold.model_name(name, 2, "batches"), scaffold.model_name(name, 1, "update", BATCHES)
    assert parents(scaffold.model_name(name, 2, "forward", 1)) == {rows, previous}
    assert parents(scaffold.model_name(name, 2, "backprop", 1)) == {
        rows,
        previous,
        scaffold.model_name(name, 2, "forward", 1),
    }
    assert parents(rows) == {f"{name}_training_examples", f"{name}_training_features"}
    compiled = built.path / "target" / "compiled" / "sqlnn" / "models" / name / "epochs"

    def forward_sql(epoch: int, batch: int) -> str:
        return (compiled / f"{scaffold.model_name(name, epoch, 'forward', batch)}.sql").read_text()

    # the validation loss every 2 steps: steps 1, 3, 5 read the validation rows (batch 0), step 4 does not
    assert "where batch in (1))" in forward_sql(2, 1)
    assert "where batch in (0, 2))" in forward_sql(2, 2)


def test_scaffold_counts_steps_from_epochs_and_batches() -> None:
    files = scaffold.render("churn", 2, batches=3)
    epoch_models = sorted(path for path in files if path.startswith("epochs/") and path.endswith(".sql"))
    assert len(epoch_models) == 2 * (1 + 3 * 4)
    assert "epochs/churn_epoch_0002_batches.sql" in files
    assert "epochs/churn_epoch_0002_batch_003_update.sql" in files
    history = files["churn_training_history.sql"]
    assert history.count("_loss')") == 6
    assert "ref('churn_epoch_0002_batch_003_update')" in files["churn_trained_params.sql"]
    # full batch keeps its names: one step per epoch
    assert "epochs/churn_epoch_0002_update.sql" in scaffold.render("churn", 2)
