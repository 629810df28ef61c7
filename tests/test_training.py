"""End to end: the committed project trains the spiral with `dbt build` on a fresh DuckDB file."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from conftest import REPO, DbtProject, assert_params_close, copy_project, params_rows, project_vars, statuses
from reference_mlp import ReferenceMLP, init_params

from sqlnn import scaffold
from sqlnn.spiral import make_spiral

DEFAULTS = project_vars()
SIZES = [len(DEFAULTS["nn_features"]), *DEFAULTS["nn_hidden"], DEFAULTS["nn_classes"]]
EPOCHS = scaffold.committed_epochs(REPO)


def _default_init() -> dict[tuple[int, str], np.ndarray]:
    return init_params(DEFAULTS["nn_seed"], SIZES, DEFAULTS["nn_init_scale"])


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[DbtProject, dict[str, str]]:
    project = copy_project(tmp_path_factory.mktemp("e2e") / "project")
    result = project.dbt("build")
    assert result.success, result.exception
    return project, statuses(result)


def test_dbt_build_runs_every_model_and_test(trained: tuple[DbtProject, dict[str, str]]) -> None:
    _, status = trained
    assert EPOCHS is not None
    for epoch in range(1, EPOCHS + 1):
        for stage in scaffold.STAGES:
            assert status[scaffold.model_name(epoch, stage)] == "success"
    tests = {name: s for name, s in status.items() if s in ("pass", "fail", "warn", "error")}
    assert any(name.startswith("sqlnn_loss_decreases") for name in tests)
    assert any(name.startswith("sqlnn_accuracy_at_least") for name in tests)
    assert set(tests.values()) == {"pass"}, tests


def test_loss_falls_from_ln3_and_accuracy_reaches_98(trained: tuple[DbtProject, dict[str, str]]) -> None:
    project, _ = trained
    history = project.query("select epoch, loss, accuracy from training_history order by epoch")
    assert history[0][0] == 1
    assert history[0][1] == pytest.approx(math.log(3), abs=1e-3)
    assert history[-1][1] < 0.3 * history[0][1]
    (accuracy,) = project.query("select avg((predicted_class = label)::int) from predictions")[0]
    assert accuracy >= 0.98


def test_initial_params_equal_the_python_prng(trained: tuple[DbtProject, dict[str, str]]) -> None:
    project, _ = trained
    rows = project.query("select layer, param, i, j, value from initial_params")
    assert_params_close(rows, _default_init(), rtol=1e-15, what="initial_params")


def test_trained_params_equal_numpy_reference(trained: tuple[DbtProject, dict[str, str]]) -> None:
    """The whole default run (CS231n network, Adam) against the independent implementation."""
    project, _ = trained
    assert EPOCHS is not None
    x, y = make_spiral()
    reference = ReferenceMLP(
        _default_init(),
        activation=DEFAULTS["nn_activation"],
        optimizer=DEFAULTS["nn_optimizer"],
        learning_rate=DEFAULTS["nn_learning_rate"],
        reg=DEFAULTS["nn_reg"],
    )
    for _ in range(EPOCHS):
        reference.train_step(x, y)
    assert_params_close(project.query("select layer, param, i, j, value from trained_params"), reference.params, 1e-9)


def test_dead_relu_units_still_get_zero_gradient_rows(project: DbtProject) -> None:
    """Hidden unit 0 never fires (bias -1000): its parameters still get gradient rows, with data gradient 0."""
    hidden, reg = 3, 1e-3
    rng = np.random.RandomState(1)
    start = {
        (1, "W"): rng.randn(2, hidden),
        (1, "b"): np.array([-1000.0, 0.1, 0.2]),
        (2, "W"): rng.randn(hidden, 3),
        (2, "b"): np.zeros(3),
    }
    project.write_seed("start_params", ["layer", "param", "i", "j", "value"], params_rows(start))
    scaffold.write(project.path, 1)
    result = project.dbt(
        "build",
        "--select",
        "+epoch_0001_backprop",
        vars={"nn_hidden": [hidden], "nn_init_params": "start_params", "nn_reg": reg},
    )
    assert result.success, result.exception
    assert project.query("select max(activation) from epoch_0001_forward where layer = 1 and unit = 0") == [(0.0,)]
    gradients = {tuple(row[:4]): row[4] for row in project.query("select * from epoch_0001_backprop")}
    assert len(gradients) == sum(a.size for a in start.values())
    for i in range(2):  # weights into the dead unit: only the L2 term remains
        assert gradients[(1, "W", i, 0)] == pytest.approx(reg * start[(1, "W")][i, 0], rel=1e-12)
    assert gradients[(1, "b", 0, 0)] == 0.0
    for j in range(3):  # weights out of the dead unit
        assert gradients[(2, "W", 0, j)] == pytest.approx(reg * start[(2, "W")][0, j], rel=1e-12)


def test_predictions_are_probabilities(trained: tuple[DbtProject, dict[str, str]]) -> None:
    project, _ = trained
    (low, high, rows) = project.query(
        "select min(p), max(p), count(*)"
        " from (select probability_0 + probability_1 + probability_2 as p from predictions)"
    )[0]
    assert low == pytest.approx(1.0, abs=1e-12)
    assert high == pytest.approx(1.0, abs=1e-12)
    assert rows == len(make_spiral()[1])


def test_docs_generate_catalogues_every_epoch(trained: tuple[DbtProject, dict[str, str]]) -> None:
    project, _ = trained
    result = project.dbt("docs", "generate")
    assert result.success, result.exception
    assert (project.path / "target" / "index.html").is_file()
    catalog = json.loads((project.path / "target" / "catalog.json").read_text())
    assert EPOCHS is not None
    assert f"model.sqlnn.{scaffold.model_name(EPOCHS, 'update')}" in catalog["nodes"]
    assert set(catalog["nodes"]["model.sqlnn.trained_params"]["columns"]) == {"layer", "param", "i", "j", "value"}


def test_spiral_has_no_validation_split_and_raw_features(trained: tuple[DbtProject, dict[str, str]]) -> None:
    """The spiral demo trains on all 300 raw points (nn_validation_fraction 0, nn_standardize false)."""
    project, _ = trained
    assert project.query(
        "select count(*) from training_history where val_loss is not null or val_accuracy is not null"
    ) == [(0,)]
    assert project.query("select distinct split from training_examples") == [("train",)]
    assert project.query("select min(center), max(center), min(scale), max(scale) from feature_scaling") == [
        (0.0, 0.0, 1.0, 1.0)
    ]
    assert [row[0] for row in project.query("select split from evaluation")] == ["train"]
