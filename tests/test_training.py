"""End to end: the committed spiral network trains with `dbt build` on a fresh DuckDB file."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
from conftest import (
    DbtProject,
    assert_params_close,
    copy_project,
    params_rows,
    scaffold_like_spiral,
    spiral_settings,
    statuses,
)
from reference_mlp import ReferenceMLP, init_params

from sqlnn import scaffold
from sqlnn.spiral import make_spiral

SPIRAL = spiral_settings()
EPOCHS = int(SPIRAL["epochs"])
SIZES = [len(SPIRAL["features"]), *SPIRAL["hidden"], SPIRAL["classes"]]
# The spiral's figures as the README quotes them (loss of epochs 1 and 45, training accuracy of
# the trained network): a change to the training that moves them must update the README too.
PUBLISHED = {"first_loss": 1.0987, "last_loss": 0.2666, "accuracy": 0.9933}


def _spiral_init() -> dict[tuple[int, str], np.ndarray]:
    return init_params(SPIRAL["seed"], SIZES, SPIRAL["init_scale"])


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[DbtProject, dict[str, str], dict]:
    """One `dbt build` of the committed project; a user model records the settings the spiral's
    models saw (the spiral's own, the library defaults for the rest), for the numpy reference."""
    project = copy_project(tmp_path_factory.mktemp("e2e") / "project")
    (project.path / "models" / "spiral_settings_seen.sql").write_text(
        "select {{ sqlnn._settings_json('spiral') }} as settings\n"
    )
    # a user model built after the epochs, on the same dbt thread (threads: 1): the DuckDB setting it runs with
    (project.path / "models" / "after_training.sql").write_text(
        "select (select count(*) from {{ ref('spiral_trained_params') }}) as params,"
        " current_setting('preserve_insertion_order') as preserve_insertion_order\n"
    )
    result = project.dbt("build")
    assert result.success, result.exception or {k: v for k, v in statuses(result).items() if v != "success"}
    (settings,) = project.query("select settings from spiral_settings_seen")[0]
    return project, statuses(result), json.loads(settings)


def test_dbt_build_runs_every_model_and_test(trained: tuple[DbtProject, dict[str, str], dict]) -> None:
    _, status, _ = trained
    for name in scaffold.render("spiral", EPOCHS):
        if name.endswith(".sql"):
            assert status[name.split("/")[-1].removesuffix(".sql")] == "success", name
    for epoch in range(1, EPOCHS + 1):
        for stage in scaffold.STAGES:
            assert status[scaffold.model_name("spiral", epoch, stage)] == "success"
    tests = {name: s for name, s in status.items() if s in ("pass", "fail", "warn", "error")}
    for gate in ("loss_decreases", "initial_loss_is_ln_classes", "spiral_train_accuracy_at_least", "all_finite"):
        assert any(gate in name for name in tests), gate
    assert {"spiral_loss_of_uniform_scores_is_ln_c", "spiral_momentum_step_follows_torch_sgd"} <= set(tests)
    assert set(tests.values()) == {"pass"}, tests


def test_loss_falls_from_ln3_to_the_published_figures(trained: tuple[DbtProject, dict[str, str], dict]) -> None:
    project, _, _ = trained
    history = project.query("select epoch, loss, accuracy from spiral_training_history order by epoch")
    assert [row[0] for row in history] == list(range(1, EPOCHS + 1))
    assert history[0][1] == pytest.approx(math.log(3), abs=1e-3)
    assert round(history[0][1], 4) == PUBLISHED["first_loss"]
    assert round(history[-1][1], 4) == PUBLISHED["last_loss"]
    assert history[-1][1] < SPIRAL["max_final_loss_ratio"] * history[0][1]
    (accuracy,) = project.query("select accuracy from spiral_evaluation where split = 'train'")[0]
    assert round(accuracy, 4) == PUBLISHED["accuracy"]
    assert accuracy >= SPIRAL["min_train_accuracy"]
    assert project.query(
        "select avg(case when predicted_class = label then 1.0 else 0 end) from spiral_predictions"
    ) == [(pytest.approx(accuracy, rel=1e-15),)]


def test_initial_params_equal_the_python_prng_bit_for_bit(trained: tuple[DbtProject, dict[str, str], dict]) -> None:
    project, _, _ = trained
    rows = project.query("select layer, param, i, j, value from spiral_initial_params")
    expected = _spiral_init()
    assert len(rows) == sum(a.size for a in expected.values())
    for layer, param, i, j, value in rows:
        assert value == (expected[(layer, param)][i, j] if param == "W" else expected[(layer, param)][j])


def test_trained_params_equal_numpy_reference(trained: tuple[DbtProject, dict[str, str], dict]) -> None:
    """The whole committed run (CS231n network, Adam) against the independent implementation."""
    project, _, seen = trained
    for key in ("activation", "optimizer", "learning_rate", "reg", "seed", "init_scale", "hidden"):
        assert seen[key] == SPIRAL[key], key  # the spiral's own settings reached its models
    x, y = make_spiral()
    reference = ReferenceMLP(
        _spiral_init(),
        activation=seen["activation"],
        optimizer=seen["optimizer"],
        learning_rate=seen["learning_rate"],
        reg=seen["reg"],
        momentum=seen["momentum"],
        beta1=seen["beta1"],
        beta2=seen["beta2"],
        epsilon=seen["epsilon"],
        leaky_relu_slope=seen["leaky_relu_slope"],
    )
    for _ in range(EPOCHS):
        reference.train_step(x, y)
    params = project.query("select layer, param, i, j, value from spiral_trained_params")
    assert_params_close(params, reference.params, 1e-9)


@pytest.fixture(scope="module")
def dead_relu(tmp_path_factory: pytest.TempPathFactory) -> tuple[DbtProject, dict[tuple[int, str], np.ndarray]]:
    """Two one-epoch networks from a start whose hidden unit 0 never fires (bias -1000): one on
    DuckDB's list path, one on the portable path, in one build."""
    project = copy_project(tmp_path_factory.mktemp("dead_relu") / "project")
    rng = np.random.RandomState(1)
    start = {
        (1, "W"): rng.randn(2, 3),
        (1, "b"): np.array([-1000.0, 0.1, 0.2]),
        (2, "W"): rng.randn(3, 3),
        (2, "b"): np.zeros(3),
    }
    project.write_seed("dead_start", ["layer", "param", "i", "j", "value"], params_rows(start))
    for name, list_path in (("dead_list", True), ("dead_portable", False)):
        scaffold_like_spiral(
            project, name, 1, hidden=[3], activation="relu", init_params="dead_start", duckdb_list_path=list_path
        )
    selected = ["+dead_list_epoch_0001_backprop", "+dead_portable_epoch_0001_backprop"]
    result = project.dbt("build", "--select", *selected)
    assert result.success, result.exception
    assert not any(name.startswith("spiral_") for name in statuses(result))
    return project, start


@pytest.mark.parametrize("network", ["dead_list", "dead_portable"])
def test_dead_relu_units_still_get_zero_gradient_rows(
    dead_relu: tuple[DbtProject, dict[tuple[int, str], np.ndarray]], network: str
) -> None:
    """Hidden unit 0 never fires: its parameters still get gradient rows, with data gradient 0."""
    project, start = dead_relu
    reg = SPIRAL["reg"]
    assert reg > 0  # the L2 term is what remains
    forward = f"{network}_epoch_0001_forward"
    if network == "dead_list":
        assert project.query(f"select max(activation_list[1]) from {forward} where layer = 1") == [(0.0,)]
    else:
        assert project.query(f"select max(activation) from {forward} where layer = 1 and unit = 0") == [(0.0,)]
    gradients = {tuple(row[:4]): row[4] for row in project.query(f"select * from {network}_epoch_0001_backprop")}
    assert len(gradients) == sum(a.size for a in start.values())
    for i in range(2):  # weights into the dead unit: only the L2 term remains
        assert gradients[(1, "W", i, 0)] == pytest.approx(reg * start[(1, "W")][i, 0], rel=1e-12)
    assert gradients[(1, "b", 0, 0)] == 0.0
    for j in range(3):  # weights out of the dead unit
        assert gradients[(2, "W", 0, j)] == pytest.approx(reg * start[(2, "W")][0, j], rel=1e-12)


def test_a_small_table_gathers_its_weight_gradients(trained: tuple[DbtProject, dict[str, str], dict]) -> None:
    """The spiral's 300 rows are below duckdb_streaming_min_rows: backprop gathers the lists (faster there),
    and the committed run above still equals numpy."""
    project, _, seen = trained
    assert seen["duckdb_streaming_min_rows"] > 300
    compiled = project.path / "target" / "compiled" / "sqlnn" / "models" / "spiral" / "epochs"
    backprop = (compiled / f"{scaffold.model_name('spiral', 2, 'backprop')}.sql").read_text()
    assert "matrices as (" in backprop and "block_sums as (" not in backprop


def test_epoch_tables_leave_the_users_duckdb_settings_as_they_were(
    trained: tuple[DbtProject, dict[str, str], dict],
) -> None:
    """An epoch table is written without insertion order (the list path's per-core branches then run side
    by side), for its own statement only: the user's models after it keep DuckDB's default."""
    project, _, _ = trained
    assert project.query("select preserve_insertion_order from after_training") == [(True,)]
    run = project.path / "target" / "run" / "sqlnn" / "models" / "spiral" / "epochs"
    forward = (run / f"{scaffold.model_name('spiral', 2, 'forward')}.sql").read_text()
    assert forward.lstrip().startswith("set session preserve_insertion_order = false;")
    # then, in the same statement, the model's fingerprint (network_table's, stored by epoch_table)
    reset, comment = forward.rsplit(";", 1)
    assert reset.rstrip().endswith("reset session preserve_insertion_order")
    assert re.fullmatch(r"comment on table \S+ is 'sqlnn fingerprint [0-9a-f]{32}'", comment.strip()), comment


def test_predictions_are_probabilities(trained: tuple[DbtProject, dict[str, str], dict]) -> None:
    project, _, _ = trained
    (low, high, rows) = project.query(
        "select min(p), max(p), count(*)"
        " from (select probability_0 + probability_1 + probability_2 as p from spiral_predictions)"
    )[0]
    assert low == pytest.approx(1.0, abs=1e-12)
    assert high == pytest.approx(1.0, abs=1e-12)
    assert rows == len(make_spiral()[1])


def test_docs_generate_catalogues_every_epoch(trained: tuple[DbtProject, dict[str, str], dict]) -> None:
    project, _, _ = trained
    result = project.dbt("docs", "generate")
    assert result.success, result.exception
    assert (project.path / "target" / "index.html").is_file()
    catalog = json.loads((project.path / "target" / "catalog.json").read_text())
    for epoch in (1, EPOCHS):
        for stage in scaffold.STAGES:
            assert f"model.sqlnn.{scaffold.model_name('spiral', epoch, stage)}" in catalog["nodes"]
    columns = set(catalog["nodes"]["model.sqlnn.spiral_trained_params"]["columns"])
    # the parameters, then the optimizer state that `init_from` continues from
    assert columns == {"layer", "param", "i", "j", "value", "momentum_buffer", "exp_avg", "exp_avg_sq"}


def test_spiral_has_no_validation_split_and_raw_features(trained: tuple[DbtProject, dict[str, str], dict]) -> None:
    """The spiral trains on all 300 raw points (validation_fraction 0, standardize false)."""
    assert (SPIRAL["validation_fraction"], SPIRAL["standardize"]) == (0, False)
    project, _, _ = trained
    assert project.query(
        "select count(*) from spiral_training_history where val_loss is not null or val_accuracy is not null"
    ) == [(0,)]
    assert project.query("select distinct split from spiral_training_examples") == [("train",)]
    assert project.query("select min(center), max(center), min(scale), max(scale) from spiral_feature_scaling") == [
        (0.0, 0.0, 1.0, 1.0)
    ]
    assert [row[0] for row in project.query("select split from spiral_evaluation")] == ["train"]
