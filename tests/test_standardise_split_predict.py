"""Standardisation, the validation split, validation metrics, sqlnn.predict and the evaluation models.

One dbt build of the spiral network retrained on its data with the two features put on very
different scales (x1 * 1000 + 500, x2 * 0.01 - 3), with `standardize` and a 25% validation split,
from fixed starting parameters, and a user model scoring new rows with
`sqlnn.predict(ref('new_rows'), network='spiral')`; everything is compared with numpy /
scikit-learn computed independently.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest
from conftest import DbtProject, assert_params_close, copy_project, params_rows, statuses
from reference_mlp import ReferenceMLP, activate
from sklearn import metrics
from sklearn.preprocessing import label_binarize

from sqlnn import plot
from sqlnn.datasets import validation_split
from sqlnn.spiral import make_spiral

EPOCHS = 8
RTOL = 1e-9
FRACTION = 0.25
# The spiral network's settings for this test, in dbt_project.yml as `sqlnn scaffold spiral --...`
# writes them; every setting the training reads is stated (none from the library defaults).
SETTINGS = {
    "data": "scaled_spiral",
    "standardize": True,
    "validation_fraction": FRACTION,
    "split_seed": 11,
    "hidden": [7],
    "activation": "tanh",
    "optimizer": "adam",
    "learning_rate": 0.05,
    "reg": 0.001,
    "beta1": 0.9,
    "beta2": 0.999,
    "epsilon": 1e-8,
    "init_params": "start_params",
    "min_train_accuracy": 0.0,
    "min_validation_accuracy": 0.0,
    "max_loss_increase": 0.05,
    "max_final_loss_ratio": 1.0,
}
NEW_ROWS = [[101, 480.0, -3.002, "a"], [102, 1250.5, -2.995, "b"], [103, 480.0, -3.002, "duplicate of a"]]


def _data() -> tuple[np.ndarray, np.ndarray]:
    x, y = make_spiral()
    return np.c_[x[:, 0] * 1000.0 + 500.0, x[:, 1] * 0.01 - 3.0], y


def _start() -> dict[tuple[int, str], np.ndarray]:
    rng = np.random.RandomState(5)
    params = {}
    for layer, (fan_in, fan_out) in enumerate(itertools.pairwise([2, 7, 3]), start=1):
        params[(layer, "W")] = rng.randn(fan_in, fan_out) * 0.5
        params[(layer, "b")] = rng.randn(fan_out) * 0.1
    return params


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    project = copy_project(tmp_path_factory.mktemp("scaled") / "project")
    x, y = _data()
    project.write_seed(
        "scaled_spiral", ["x1", "x2", "label"], [[*row, int(c)] for row, c in zip(x.tolist(), y, strict=True)]
    )
    project.write_seed("start_params", ["layer", "param", "i", "j", "value"], params_rows(_start()))
    project.write_seed("new_rows", ["id", "x1", "x2", "note"], NEW_ROWS)
    (project.path / "models" / "scored_new_rows.sql").write_text(
        "{{ sqlnn.predict(ref('new_rows'), network='spiral') }}\n"
    )
    project.scaffold("spiral", epochs=EPOCHS, **SETTINGS)
    result = project.dbt("build")
    assert result.success, result.exception or {
        k: v for k, v in statuses(result).items() if v not in ("success", "pass")
    }
    assert statuses(result)["scored_new_rows"] == "success"
    return project


def _reference() -> tuple[ReferenceMLP, list[dict], list[dict], np.ndarray, np.ndarray]:
    """Train the numpy reference on the standardised training split; losses per epoch on both splits."""
    x, y = _data()
    is_validation = validation_split(x, y, FRACTION, SETTINGS["split_seed"])
    mean, std = x[~is_validation].mean(axis=0), x[~is_validation].std(axis=0)
    z = (x - mean) / std
    reference = ReferenceMLP(
        {k: v.copy() for k, v in _start().items()},
        **{
            key: SETTINGS[key]
            for key in ("activation", "optimizer", "learning_rate", "reg", "beta1", "beta2", "epsilon")
        },
    )
    train, val = [], []
    for _ in range(EPOCHS):
        train.append(reference.loss(z[~is_validation], y[~is_validation]))
        val.append(reference.loss(z[is_validation], y[is_validation]))
        reference.train_step(z[~is_validation], y[~is_validation])
    return reference, train, val, mean, std


def test_split_is_the_python_hash_split_stratified_and_exact(built: DbtProject) -> None:
    x, y = _data()
    expected = validation_split(x, y, FRACTION, SETTINGS["split_seed"])
    rows = built.query("select x1, x2, label, split from spiral_training_examples")
    by_content = {(x1, x2, label): split for x1, x2, label, split in rows}
    actual = np.array([by_content[(a, b, int(c))] == "validation" for (a, b), c in zip(x.tolist(), y, strict=True)])
    np.testing.assert_array_equal(actual, expected)
    counts = dict(
        built.query("select label, count(*) from spiral_training_examples where split = 'validation' group by label")
    )
    assert counts == {0: 25, 1: 25, 2: 25}  # round(0.25 * 100) of each class


def test_scaling_comes_from_the_training_split(built: DbtProject) -> None:
    _, _, _, mean, std = _reference()
    rows = built.query("select unit, mean, std, center, scale from spiral_feature_scaling order by unit")
    for unit, m, s, center, scale in rows:
        assert m == pytest.approx(mean[unit], rel=1e-12)
        assert s == pytest.approx(std[unit], rel=1e-12)
        assert (center, scale) == (m, s)


def test_sql_equals_numpy_with_standardisation_and_validation(built: DbtProject) -> None:
    reference, train, val, _, _ = _reference()
    assert abs(val[0]["data_loss"] - math.log(3)) > 0.01  # the start is informative, not the trivial ln(3)
    params = built.query("select layer, param, i, j, value from spiral_trained_params")
    assert_params_close(params, reference.params, RTOL)
    history = built.query(
        "select loss, data_loss, accuracy, val_loss, val_data_loss, val_accuracy"
        " from spiral_training_history order by epoch"
    )
    assert len(history) == EPOCHS
    for (loss, data_loss, accuracy, val_loss, val_data_loss, val_accuracy), t, v in zip(
        history, train, val, strict=True
    ):
        assert loss == pytest.approx(t["loss"], rel=RTOL)
        assert data_loss == pytest.approx(t["data_loss"], rel=RTOL)
        assert accuracy == t["accuracy"]
        assert val_data_loss == pytest.approx(v["data_loss"], rel=RTOL)
        assert val_loss == pytest.approx(v["data_loss"] + t["reg_loss"], rel=RTOL)
        assert val_accuracy == v["accuracy"]


def test_predict_scores_new_rows_with_the_stored_scaling(built: DbtProject) -> None:
    reference, _, _, mean, std = _reference()
    rows = built.query(
        "select id, x1, x2, note, predicted_class, probability_0, probability_1, probability_2"
        " from scored_new_rows order by id"
    )
    assert [(r[0], r[3]) for r in rows] == [(r[0], r[3]) for r in NEW_ROWS]
    z = (np.array([[r[1], r[2]] for r in NEW_ROWS]) - mean) / std
    hidden = activate(z @ reference.params[(1, "W")] + reference.params[(1, "b")], "tanh")
    scores = hidden @ reference.params[(2, "W")] + reference.params[(2, "b")]
    probabilities = np.exp(scores - scores.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    for row, expected in zip(rows, probabilities, strict=True):
        np.testing.assert_allclose(row[5:], expected, rtol=1e-9)
        assert row[4] == int(np.argmax(expected))
    assert rows[0][4:] == rows[2][4:]  # equal features, equal scores


def test_evaluation_equals_scikit_learn_metrics(built: DbtProject) -> None:
    predictions = built.query(
        "select split, label, predicted_class, probability_0, probability_1, probability_2 from spiral_predictions"
    )
    evaluation = {r[0]: r[1:] for r in built.query("select * from spiral_evaluation")}
    per_class = {(r[0], r[1]): r[2:] for r in built.query("select * from spiral_class_metrics")}
    cells = {(r[0], r[1], r[2]): r[3] for r in built.query("select * from spiral_confusion_matrix")}
    assert set(evaluation) == {"train", "validation"}
    for split in ("train", "validation"):
        rows = [r for r in predictions if r[0] == split]
        y = np.array([r[1] for r in rows])
        predicted = np.array([r[2] for r in rows])
        probabilities = np.array([r[3:] for r in rows])
        row_count, accuracy, log_loss, macro_p, macro_r, macro_f1, roc_auc, pr_auc = evaluation[split]
        assert row_count == len(rows)
        assert accuracy == pytest.approx(metrics.accuracy_score(y, predicted), rel=1e-12)
        assert log_loss == pytest.approx(metrics.log_loss(y, probabilities, labels=[0, 1, 2]), rel=1e-9)
        p, r, f, support = metrics.precision_recall_fscore_support(y, predicted, labels=[0, 1, 2], zero_division=0)
        for k in range(3):
            sql = per_class[(split, k)]
            assert sql[0] == support[k]
            assert sql[3:] == pytest.approx((p[k], r[k], f[k]), rel=1e-12)
        assert (macro_p, macro_r, macro_f1) == pytest.approx((p.mean(), r.mean(), f.mean()), rel=1e-12)
        # three classes: each against the rest, the mean over classes
        expected_roc = metrics.roc_auc_score(y, probabilities, multi_class="ovr", average="macro", labels=[0, 1, 2])
        onehot = label_binarize(y, classes=[0, 1, 2])
        expected_pr = metrics.average_precision_score(onehot, probabilities, average="macro")
        assert (roc_auc, pr_auc) == pytest.approx((expected_roc, expected_pr), rel=1e-9)
        matrix = metrics.confusion_matrix(y, predicted, labels=[0, 1, 2])
        for actual, guess in itertools.product(range(3), repeat=2):
            assert cells[(split, actual, guess)] == matrix[actual, guess]


def test_plot_writes_pngs_whose_regions_are_the_sql_predictions(
    built: DbtProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SQLNN_DUCKDB_PATH", str(built.database))
    dbt_args = ["--project-dir", str(built.path), "--profiles-dir", str(built.path)]
    dbt_args += ["--log-path", str(tmp_path / "logs"), "--target-path", str(tmp_path / "target")]
    written = plot.plot("spiral", tmp_path, dbt_args)
    assert [p.name for p in written] == ["training_history.png", "decision_regions.png"]
    for path in written:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the regions come from numpy applied to trained_params: it must agree with the SQL
    params = built.query("select layer, param, i, j, value from spiral_trained_params")
    scaling = np.array(built.query("select center, scale from spiral_feature_scaling order by unit"))
    rows = built.query("select x1, x2, probability_0, probability_1, probability_2 from spiral_predictions")
    x = (np.array([r[:2] for r in rows]) - scaling[:, 0]) / scaling[:, 1]
    np.testing.assert_allclose(plot.class_probabilities(params, x, "tanh"), [r[2:] for r in rows], rtol=1e-9)
