"""A numeric target trains a regression network, equal to numpy, with its metrics and gates.

scikit-learn's diabetes table (442 rows, 10 unscaled features, disease progression as a double):
its label's column type makes the network a regression (`task: auto`), with no setting but its
features. One `dbt build` trains `diabetes` (list path, streaming gradients) and the same network
on DuckDB's other two implementations, scores raw new rows (one with a NULL) with `sqlnn.predict`,
and runs every dbt test; two more networks overfit and stop early (`early_stopping`). The numpy
reference (tests/reference_mlp.py, `regression=True`) trains from the same rows: one linear output,
half the mean squared error of the target standardised on the training split, the prediction
de-standardised.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import DbtProject, assert_params_close, build_only, copy_project, statuses
from reference_mlp import (
    EarlyStoppingRun,
    Encoder,
    ReferenceMLP,
    activate,
    init_params,
    standardised_target,
    train_with_early_stopping,
)
from sklearn import metrics

from sqlnn import datasets, status

EPOCHS = 6
RTOL = 1e-9
FEATURES = datasets.diabetes_columns()
X, Y = datasets.load_diabetes_arrays()
SETTINGS = {
    "data": "diabetes",
    "features": FEATURES,
    "label": datasets.DIABETES_LABEL,
    "hidden": [8],
    "activation": "relu",
    "optimizer": "adam",
    "learning_rate": 0.05,
    "reg": 0.001,
    "seed": 2,
    "validation_fraction": 0.2,
    "split_seed": 1,
    # streamed weight gradients though the table is small (the others: *_gathered, *_portable)
    "duckdb_streaming_min_rows": 0,
    "min_train_r2": 0.0,
    "max_final_loss_ratio": 1.0,
}
OTHER_PATHS = {
    "diabetes_gathered": {"duckdb_streaming_max_weights": 0},
    "diabetes_portable": {"duckdb_list_path": False},
}
# Early stopping on a run that overfits: wider, faster and another seed, the validation loss is lowest
# entering epoch 8 (numpy: 0.312), then rises; with patience 3 training stops at epoch 11 and epochs
# 12-14 pass the parameters through. On each of DuckDB's three paths.
EARLY_EPOCHS = 14
EARLY = {
    **SETTINGS,
    "epochs": EARLY_EPOCHS,
    "hidden": [32],
    "seed": 3,
    "early_stopping": True,
    "patience": 3,
    "min_rel_progress": 0.0,
}
EARLY_NETWORKS = {
    "diabetes_early": EARLY,
    "diabetes_early_gathered": {**EARLY, "duckdb_streaming_max_weights": 0},
    "diabetes_early_portable": {**EARLY, "duckdb_list_path": False},
}
NEW_ROWS: list[list[float | None]] = [[1, *map(float, X[k])] for k in range(3)]
NEW_ROWS[2][1 + FEATURES.index("bmi")] = None  # imputed by the training mean


def _new_rows_sql() -> str:
    names = ["id", *FEATURES]
    values = [", ".join("null" if v is None else f"cast({float(v)!r} as double)" for v in row) for row in NEW_ROWS]
    rows = ", ".join(f"({row})" for row in values)
    return f"select cast(id as integer) as id, {', '.join(FEATURES)} from (values {rows}) as t({', '.join(names)})\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    project = copy_project(tmp_path_factory.mktemp("diabetes") / "project")
    datasets.write_diabetes_csv(project.path / "seeds" / "diabetes.csv")
    # as a warehouse table holds a measurement (the seed loader would infer whole numbers as INTEGER)
    (project.path / "seeds" / "_diabetes.yml").write_text(
        "version: 2\nseeds:\n  - name: diabetes\n    config:\n      column_types: {progression: double}\n"
    )
    models = project.path / "models"
    (models / "diabetes_new_rows.sql").write_text(_new_rows_sql())
    (models / "diabetes_scored.sql").write_text("{{ sqlnn.predict(ref('diabetes_new_rows'), network='diabetes') }}\n")
    explained = "{{ sqlnn.explain_predict(ref('diabetes_new_rows'), network='diabetes') }}\n"
    (models / "diabetes_explained.sql").write_text(explained)
    networks = {"diabetes": SETTINGS} | {name: {**SETTINGS, **path} for name, path in OTHER_PATHS.items()}
    networks |= EARLY_NETWORKS
    project.statuses = build_only(project, networks, EPOCHS)  # type: ignore[attr-defined]
    return project


def _reference() -> tuple[Encoder, ReferenceMLP, list[dict], np.ndarray, np.ndarray, float, float]:
    fraction, seed = SETTINGS["validation_fraction"], SETTINGS["split_seed"]
    is_validation = datasets.validation_split(X, Y, fraction, seed, stratify=False)
    encoder = Encoder(["numeric"] * len(FEATURES)).fit(X[~is_validation].tolist())
    x = encoder.transform(X.tolist())
    target, mean, scale = standardised_target(Y, ~is_validation)
    reference = ReferenceMLP(
        init_params(SETTINGS["seed"], [len(FEATURES), *SETTINGS["hidden"], 1], "xavier"),
        regression=True,
        **{key: SETTINGS[key] for key in ("activation", "optimizer", "learning_rate", "reg")},
    )
    history = []
    for _ in range(EPOCHS):
        history.append(reference.loss(x[~is_validation], target[~is_validation]))
        history[-1]["val_data_loss"] = reference.loss(x[is_validation], target[is_validation])["data_loss"]
        reference.train_step(x[~is_validation], target[~is_validation])
    return encoder, reference, history, x, is_validation, mean, scale


def _predict(reference: ReferenceMLP, x: np.ndarray, mean: float, scale: float) -> np.ndarray:
    hidden = activate(x @ reference.params[(1, "W")] + reference.params[(1, "b")], "relu")
    return (hidden @ reference.params[(2, "W")] + reference.params[(2, "b")])[:, 0] * scale + mean


def test_a_double_label_makes_a_regression_network(built: DbtProject) -> None:
    assert built.query("select column_type from (describe diabetes) where column_name = 'progression'") == [("DOUBLE",)]
    assert built.query("select count(*) from diabetes_classes") == [(0,)]
    assert built.query("select count(*), count(distinct label) from diabetes_training_examples") == [(442, 1)]
    sizes = "select layer, max(i) + 1, max(j) + 1 from diabetes_trained_params where param = 'W' group by 1 order by 1"
    assert built.query(sizes) == [(1, len(FEATURES), 8), (2, 8, 1)]
    columns = [row[0] for row in built.query("select column_name from (describe diabetes_predictions)")]
    assert "predicted_value" in columns and "predicted_class" not in columns


def test_target_is_standardised_on_the_training_split(built: DbtProject) -> None:
    _, _, _, _, is_validation, mean, scale = _reference()
    assert built.query("select count(*) from diabetes_training_examples where split = 'validation'") == [
        (int(is_validation.sum()),)
    ]
    row = built.query("select feature, unit, center, scale from diabetes_feature_scaling where unit = -1")
    assert row[0][:2] == ("progression", -1)
    assert row[0][2:] == pytest.approx((mean, scale), rel=1e-12)
    target = built.query(
        "select avg(target), avg(target * target) from diabetes_training_examples where split = 'train'"
    )[0]
    assert target == pytest.approx((0.0, 1.0), abs=1e-12)


def test_sql_equals_numpy(built: DbtProject) -> None:
    _, reference, history, _, _, _, _ = _reference()
    params = built.query("select layer, param, i, j, value from diabetes_trained_params")
    assert_params_close(params, reference.params, RTOL)
    rows = built.query("select loss, data_loss, val_data_loss, accuracy from diabetes_training_history order by epoch")
    assert [r[0] for r in rows] == pytest.approx([h["loss"] for h in history], rel=RTOL)
    assert [r[1] for r in rows] == pytest.approx([h["data_loss"] for h in history], rel=RTOL)
    assert [r[2] for r in rows] == pytest.approx([h["val_data_loss"] for h in history], rel=RTOL)
    assert {r[3] for r in rows} == {None}


def test_predictions_and_metrics_are_in_the_labels_units(built: DbtProject) -> None:
    _, reference, _, x, is_validation, mean, scale = _reference()
    predicted = _predict(reference, x, mean, scale)
    order = datasets.row_order(X, Y)  # row_id order
    rows = built.query("select label_value, predicted_value from diabetes_predictions order by row_id")
    assert [r[0] for r in rows] == list(Y[order])
    np.testing.assert_allclose([r[1] for r in rows], predicted[order], rtol=RTOL)
    columns = "split, row_count, mae, mse, rmse, r2, explained_variance"
    evaluation = {r[0]: r[1:] for r in built.query(f"select {columns} from diabetes_evaluation")}
    for split, mask in (("train", ~is_validation), ("validation", is_validation)):
        y, p = Y[mask], predicted[mask]
        assert evaluation[split][0] == mask.sum()
        np.testing.assert_allclose(
            evaluation[split][1:],
            [
                metrics.mean_absolute_error(y, p),
                metrics.mean_squared_error(y, p),
                np.sqrt(metrics.mean_squared_error(y, p)),
                metrics.r2_score(y, p),
                metrics.explained_variance_score(y, p),
            ],
            rtol=RTOL,
        )


def test_predict_scores_raw_new_rows_like_numpy(built: DbtProject) -> None:
    encoder, reference, _, _, _, mean, scale = _reference()
    rows = built.query("select id, predicted_value from diabetes_scored order by id")
    x = encoder.transform([row[1:] for row in NEW_ROWS])
    np.testing.assert_allclose([r[1] for r in rows], _predict(reference, x, mean, scale), rtol=RTOL)


def test_explain_predict_attributes_the_prediction_in_the_labels_units(built: DbtProject) -> None:
    encoder, reference, _, _, _, _, scale = _reference()
    x = encoder.transform([row[1:] for row in NEW_ROWS])
    z = x @ reference.params[(1, "W")] + reference.params[(1, "b")]
    gradient = ((z > 0) * reference.params[(2, "W")][:, 0]) @ reference.params[(1, "W")].T * scale
    columns = ", ".join(f"attribution_{feature}" for feature in FEATURES)
    rows = built.query(f"select id, predicted_value, {columns} from diabetes_explained order by id")
    scored = built.query("select predicted_value from diabetes_scored order by id")
    assert [r[1] for r in rows] == [r[0] for r in scored]
    np.testing.assert_allclose([r[2:] for r in rows], x * gradient, rtol=RTOL, atol=1e-12)


@pytest.mark.parametrize("network", OTHER_PATHS)
def test_every_duckdb_path_trains_alike(built: DbtProject, network: str) -> None:
    for table in ("trained_params", "training_history", "evaluation"):
        ours = built.query(f"select * from diabetes_{table} order by all")
        other = built.query(f"select * from {network}_{table} order by all")
        assert len(ours) == len(other) > 0
        for row, other_row in zip(ours, other, strict=True):
            assert [v for v in row if not isinstance(v, float)] == [v for v in other_row if not isinstance(v, float)]
            floats = [(v, w) for v, w in zip(row, other_row, strict=True) if isinstance(v, float)]
            assert [v for v, _ in floats] == pytest.approx([w for _, w in floats], rel=RTOL, abs=1e-15), table


def test_the_regression_gates_ran_and_the_classification_ones_stood_aside(built: DbtProject) -> None:
    ran = built.statuses  # type: ignore[attr-defined]
    for test in ("diabetes_train_r2_at_least", "diabetes_validation_r2_at_least", "diabetes_train_accuracy_at_least"):
        assert ran[test] == "pass"
    assert any(name.startswith("sqlnn_metrics_finite_diabetes_evaluation") for name in ran)
    assert any(name.startswith("sqlnn_initial_loss_is_ln_classes_diabetes") for name in ran)


def test_the_r2_gate_fails_when_the_fit_is_worse(built: DbtProject) -> None:
    r2 = built.query("select r2 from diabetes_evaluation where split = 'train'")[0][0]
    result = built.dbt(
        "test", "--select", "diabetes_train_r2_at_least", settings={"diabetes": {"min_train_r2": round(r2 + 0.01, 4)}}
    )
    assert statuses(result)["diabetes_train_r2_at_least"] == "fail"
    result = built.dbt(
        "test", "--select", "diabetes_train_r2_at_least", settings={"diabetes": {"min_train_r2": round(r2 - 0.01, 4)}}
    )
    assert statuses(result)["diabetes_train_r2_at_least"] == "pass"


def test_status_shows_a_regression_networks_losses(built: DbtProject, monkeypatch: pytest.MonkeyPatch) -> None:
    """`sqlnn status` on a regression network: its losses, no accuracies (NULL), and no crash."""
    monkeypatch.setenv("SQLNN_DUCKDB_PATH", str(built.database))
    found = status.status("diabetes", ["--project-dir", str(built.path), "--profiles-dir", str(built.path)])
    final = built.query(f"select loss, val_loss from diabetes_training_history where epoch = {EPOCHS}")[0]
    lines = "\n".join(found.lines())
    assert f"epoch {EPOCHS}: loss {final[0]:.4f}, validation loss {final[1]:.4f}" in lines
    assert "accuracy" not in lines


# --- early stopping ---------------------------------------------------------------------------


def _early_reference() -> EarlyStoppingRun:
    is_validation = datasets.validation_split(X, Y, EARLY["validation_fraction"], EARLY["split_seed"], stratify=False)
    x = Encoder(["numeric"] * len(FEATURES)).fit(X[~is_validation].tolist()).transform(X.tolist())
    target, _, _ = standardised_target(Y, ~is_validation)
    reference = ReferenceMLP(
        init_params(EARLY["seed"], [len(FEATURES), *EARLY["hidden"], 1], "xavier"),
        regression=True,
        **{key: EARLY[key] for key in ("activation", "optimizer", "learning_rate", "reg")},
    )
    train, validation = (x[~is_validation], target[~is_validation]), (x[is_validation], target[is_validation])
    return train_with_early_stopping(
        reference, train, validation, EARLY_EPOCHS, EARLY["patience"], EARLY["min_rel_progress"]
    )


@pytest.mark.parametrize("network", EARLY_NETWORKS)
def test_early_stopping_keeps_the_best_epoch_like_numpy(built: DbtProject, network: str) -> None:
    run = _early_reference()
    assert (run.history[-1]["best_epoch"], run.steps) == (8, 10), "the case no longer overfits as described"
    columns = "epoch, loss, val_loss, best_epoch, epochs_without_progress, stopped, chosen, stop_reason"
    rows = built.query(f"select {columns} from {network}_training_history order by epoch")
    assert [r[0] for r in rows] == list(range(1, EARLY_EPOCHS + 1))
    for row, expected in zip(rows, run.history, strict=True):
        for value, key in zip(row[1:3], ("loss", "val_loss"), strict=True):
            assert value == (None if expected[key] is None else pytest.approx(expected[key], rel=RTOL)), row
        assert row[3:6] == (expected["best_epoch"], expected["epochs_without_progress"], expected["stopped"]), row
    assert [r[0] for r in rows if r[6]] == [8]
    reasons = {r[0]: r[7] for r in rows if r[7] is not None}
    assert list(reasons) == [11] and reasons[11].startswith("early stopping: the validation loss was not 0% below")
    # the trained parameters are those that entered epoch 8 (the last update carries them as best_value)
    assert_params_close(
        built.query(f"select layer, param, i, j, value from {network}_trained_params"), run.best_params, RTOL
    )


@pytest.mark.parametrize("network", EARLY_NETWORKS)
def test_the_epochs_after_the_stop_read_no_examples(built: DbtProject, network: str) -> None:
    for epoch in range(12, EARLY_EPOCHS + 1):
        for stage in ("forward", "backprop"):
            assert built.query(f"select count(*) from {network}_epoch_{epoch:04d}_{stage}") == [(0,)], (epoch, stage)
    # epoch 10 took the last step; the stop epoch's update (11) passed its parameters through, as did every later one
    frozen = [
        built.query(f"select layer, param, i, j, value, exp_avg from {network}_epoch_{e:04d}_update order by all")
        for e in range(9, EARLY_EPOCHS + 1)
    ]
    assert frozen[0] != frozen[1] and all(rows == frozen[1] for rows in frozen[1:])


def test_without_early_stopping_the_last_update_is_trained(built: DbtProject) -> None:
    """The plain diabetes network tracks its best epoch too, but trains every epoch and keeps the last update."""
    rows = built.query("select stopped, chosen, best_epoch, stop_reason from diabetes_training_history order by epoch")
    assert {r[:2] for r in rows} == {(False, False)} and rows[-1][3] == f"all {EPOCHS} epochs trained"
    assert all(r[2] is not None for r in rows)
    last = built.query(f"select layer, param, i, j, value from diabetes_epoch_{EPOCHS:04d}_update order by all")
    assert built.query("select layer, param, i, j, value from diabetes_trained_params order by all") == last


def test_status_says_where_training_stopped(built: DbtProject, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQLNN_DUCKDB_PATH", str(built.database))
    found = status.status("diabetes_early", ["--project-dir", str(built.path), "--profiles-dir", str(built.path)])
    best = built.query("select best_val_loss from diabetes_early_training_history where epoch = 8")[0][0]
    lines = "\n".join(found.lines())
    assert "  epoch 11: loss " in lines
    stop = f"stopped early at epoch 11 of {EARLY_EPOCHS}: the trained parameters are those that entered epoch 8"
    assert stop in lines
    assert f"(validation loss {best:.4f})" in lines
