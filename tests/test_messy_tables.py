"""A messy warehouse table trains with no hand-written preprocessing, and equals numpy.

scikit-learn's breast cancer table made messy (sqlnn.datasets.messy_breast_cancer): a text column
`clinic` with 3 values and NULLs, NULLs in the numeric column mean_texture, a boolean column
`smoker`, the label as 'benign'/'malignant'. One `dbt build` trains the network `messy` on it
(its features named, nothing else said: types, imputation, one-hot encoding, classes are learnt)
and scores raw new rows, NULLs and a clinic never seen included, with `sqlnn.predict`. The numpy
reference (tests/reference_mlp.py: Encoder, ReferenceMLP) does the same from the same rows.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from conftest import DbtProject, assert_params_close, build_only, copy_project
from reference_mlp import (
    Encoder,
    ReferenceMLP,
    activate,
    balanced_class_weights,
    class_list,
    init_params,
    typed_value,
)
from sklearn import metrics

from sqlnn import datasets, scaffold, status

EPOCHS = 6
RTOL = 1e-9
FRACTION = 0.2
COLUMNS, ROWS = datasets.messy_breast_cancer()
FEATURES = COLUMNS[:-1]
KINDS = ["numeric"] * (len(FEATURES) - 2) + ["categorical", "categorical"]
SETTINGS = {
    "data": "messy_breast_cancer",
    "features": FEATURES,
    "label": datasets.MESSY_LABEL,
    "hidden": [8],
    "activation": "tanh",
    "optimizer": "adam",
    "learning_rate": 0.01,
    "reg": 0.001,
    "seed": 3,
    "validation_fraction": FRACTION,
    "split_seed": 5,
    # streamed weight gradients though the table is small (the others: *_gathered, *_portable)
    "duckdb_streaming_min_rows": 0,
    "min_train_accuracy": 0.0,
    "max_final_loss_ratio": 1.0,
}

# the same network on DuckDB's other implementations: `messy` sums its weight gradients as a streaming aggregate
OTHER_PATHS = {
    "messy_gathered": {"duckdb_streaming_max_weights": 0},  # list path, gradients gathered into lists
    "messy_portable": {"duckdb_list_path": False},  # the long form every engine runs
}


# Class weights (macros/data/_class_weights.sql): balanced on every DuckDB path, and explicit weights
CLASS_WEIGHTS: dict[str, dict[str, Any]] = {
    "messy_balanced": {"class_weight": "balanced"},
    "messy_balanced_gathered": {"class_weight": "balanced", "duckdb_streaming_max_weights": 0},
    "messy_balanced_portable": {"class_weight": "balanced", "duckdb_list_path": False},
    "messy_weighted": {"class_weight": {"benign": 1, "malignant": 2.5}},
}


def _new_rows() -> list[list]:
    """Raw rows to score: copies of two table rows, then with a NULL texture, a NULL and an unseen clinic."""
    first, second = ROWS[0][:-1], ROWS[1][:-1]
    texture, clinic = FEATURES.index(datasets.MESSY_NULL_COLUMN), FEATURES.index("clinic")
    rows = [list(first), list(second), list(first), list(second)]
    rows[2][texture] = None
    rows[2][clinic] = None
    rows[3][clinic] = "west"  # never in training: the 'other' unit
    return [[k + 1, *row] for k, row in enumerate(rows)]


def _sql_value(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    return f"cast({value!r} as double)"


def _new_rows_sql() -> str:
    names = ["id", *FEATURES]
    casts = {name: "double" for name in FEATURES[:-2]} | {"id": "integer", "clinic": "varchar", "smoker": "boolean"}
    rows = [f"({', '.join(_sql_value(v) for v in row)})" for row in _new_rows()]
    columns = ", ".join(f"cast({name} as {casts[name]}) as {name}" for name in names)
    return f"select {columns} from (values {', '.join(rows)}) as t({', '.join(names)})\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    project = copy_project(tmp_path_factory.mktemp("messy") / "project")
    header, codes = datasets.messy_seed(COLUMNS, ROWS)
    project.write_seed("messy_codes", header, codes)
    models = project.path / "models"
    (models / "messy_breast_cancer.sql").write_text(datasets.messy_model_sql("messy_codes"))
    (models / "messy_new_rows.sql").write_text(_new_rows_sql())
    (models / "messy_scored.sql").write_text("{{ sqlnn.predict(ref('messy_new_rows'), network='messy') }}\n")
    (models / "messy_explained.sql").write_text("{{ sqlnn.explain_predict(ref('messy_new_rows'), network='messy') }}\n")
    networks = {"messy": SETTINGS} | {name: {**SETTINGS, **path} for name, path in OTHER_PATHS.items()}
    networks |= {name: {**SETTINGS, **weights} for name, weights in CLASS_WEIGHTS.items()}
    build_only(project, networks, EPOCHS)
    return project


def _reference(
    class_weight: str | dict[str, float] | None = None,
) -> tuple[Encoder, ReferenceMLP, list[dict], np.ndarray, np.ndarray]:
    """The numpy run; with `class_weight`, each row weighs its class's weight in the loss and gradient."""
    features = [row[:-1] for row in ROWS]
    labels = [row[-1] for row in ROWS]
    typed = [[typed_value(v, kind) for v, kind in zip(row, KINDS, strict=True)] for row in features]
    is_validation = datasets.typed_validation_split(typed, labels, FRACTION, SETTINGS["split_seed"])
    train_rows = [row for row, v in zip(features, is_validation, strict=True) if not v]
    encoder = Encoder(KINDS).fit(train_rows)
    x = encoder.transform(features)
    classes = class_list(labels)
    y = np.array([classes.index(label) for label in labels])
    sizes = [x.shape[1], *SETTINGS["hidden"], len(classes)]
    reference = ReferenceMLP(
        init_params(SETTINGS["seed"], sizes, "xavier"),
        **{key: SETTINGS[key] for key in ("activation", "optimizer", "learning_rate", "reg")},
    )
    weight = None
    if class_weight == "balanced":
        weight = balanced_class_weights(y[~is_validation], len(classes))[y]
    elif class_weight is not None:
        weight = np.array([float(class_weight.get(label, 1.0)) for label in labels])
    train, validation = ~is_validation, is_validation
    history = []
    for _ in range(EPOCHS):
        history.append(reference.loss(x[train], y[train], None if weight is None else weight[train]))
        history[-1]["val_data_loss"] = reference.loss(
            x[validation], y[validation], None if weight is None else weight[validation]
        )["data_loss"]
        history[-1]["weight"] = weight
        reference.train_step(x[train], y[train], None if weight is None else weight[train])
    return encoder, reference, history, x, is_validation


def test_the_table_is_messy_and_trains_untouched(built: DbtProject) -> None:
    counts = built.query(
        "select count(*), count(*) - count(mean_texture), count(*) - count(clinic), count(distinct clinic),"
        " count(distinct smoker), count(distinct diagnosis) from messy_breast_cancer"
    )
    assert counts == [(569, 20, 15, 3, 2, 2)]
    types = dict(built.query("select column_name, column_type from (describe messy_breast_cancer)"))
    assert (types["clinic"], types["smoker"], types["diagnosis"]) == ("VARCHAR", "BOOLEAN", "VARCHAR")
    assert built.query("select class, label_value from messy_classes order by class") == [
        (0, "benign"),
        (1, "malignant"),
    ]


def test_vocabulary_and_scaling_are_the_training_splits(built: DbtProject) -> None:
    encoder, _, _, _, _ = _reference()
    vocabulary = built.query("select unit, feature, category_kind, category from messy_vocabulary order by unit")
    expected = [(unit, FEATURES[k], kind, category) for unit, (k, kind, category) in enumerate(encoder.units)]
    assert vocabulary == expected
    assert [row[3] for row in vocabulary if row[1] == "clinic"] == [None, "east", "north", "south", None]
    assert [row[3] for row in vocabulary if row[1] == "smoker"] == ["false", "true", None]
    scaling = built.query("select unit, center, scale, impute_value from messy_feature_scaling order by unit")
    for unit, center, scale, impute_value in scaling:
        k, kind, _ = encoder.units[unit]
        if kind == "numeric":
            assert (center, scale) == pytest.approx((encoder.center[k], encoder.scale[k]), rel=1e-12)
            assert impute_value == pytest.approx(encoder.fill[k], rel=1e-12)
        else:
            assert (center, scale, impute_value) == (0.0, 1.0, None)


def test_feature_info_describes_the_training_split(built: DbtProject) -> None:
    _, _, _, _, is_validation = _reference()
    info = {r[0]: r[1:] for r in built.query("select * from messy_feature_info")}
    assert set(info) == set(FEATURES)
    train = [row for row, v in zip(ROWS, is_validation, strict=True) if not v]
    k = FEATURES.index(datasets.MESSY_NULL_COLUMN)
    values = np.array([row[k] for row in train if row[k] is not None])
    kind, low, high, mean, median, stddev, category_count, null_count = info[datasets.MESSY_NULL_COLUMN]
    assert (kind, low, high, category_count) == ("numeric", values.min(), values.max(), None)
    assert (mean, median, stddev) == pytest.approx((values.mean(), np.median(values), values.std()), rel=1e-12)
    assert null_count == sum(row[k] is None for row in train) > 0
    clinics = [row[FEATURES.index("clinic")] for row in train]
    assert info["clinic"] == ("categorical", None, None, None, None, None, 3, clinics.count(None))


def test_sql_equals_numpy_with_imputation_and_one_hot(built: DbtProject) -> None:
    _, reference, history, _, is_validation = _reference()
    split = dict(
        built.query("select label_value, count(*) from messy_training_examples where split = 'validation' group by 1")
    )
    labels = [row[-1] for row, v in zip(ROWS, is_validation, strict=True) if v]
    assert split == {label: labels.count(label) for label in set(labels)}
    params = built.query("select layer, param, i, j, value from messy_trained_params")
    assert_params_close(params, reference.params, RTOL)
    losses = [row[0] for row in built.query("select data_loss from messy_training_history order by epoch")]
    assert losses == pytest.approx([h["data_loss"] for h in history], rel=RTOL)
    assert abs(losses[0] - math.log(2)) > 1e-3  # xavier: an informative start


def test_predictions_name_the_labels(built: DbtProject) -> None:
    _, reference, _, x, _ = _reference()
    rows = built.query("select predicted_label, probability_benign, probability_malignant from messy_predictions")
    assert {row[0] for row in rows} <= {"benign", "malignant"} and len(rows) == len(ROWS)
    assert all(row[1] + row[2] == pytest.approx(1.0, rel=1e-12) for row in rows)
    accuracy = built.query(
        "select avg(case when predicted_label = label_value then 1.0 else 0.0 end) from messy_predictions"
    )
    _, acts = reference.forward(x)
    assert accuracy[0][0] == pytest.approx(
        float(np.mean(np.argmax(acts[-1], axis=1) == [0 if r[-1] == "benign" else 1 for r in ROWS]))
    )


def test_binary_roc_and_pr_auc_equal_scikit_learn(built: DbtProject) -> None:
    """Two classes: the curves of class 1 ('malignant', the second in sorted order), per split."""
    rows = built.query("select split, label, probability_malignant from messy_predictions")
    evaluation = {r[0]: r[1:] for r in built.query("select split, roc_auc, pr_auc from messy_evaluation")}
    for split in ("train", "validation"):
        y = np.array([r[1] for r in rows if r[0] == split])
        score = np.array([r[2] for r in rows if r[0] == split])
        assert 0 < y.sum() < len(y)
        assert evaluation[split] == pytest.approx(
            (metrics.roc_auc_score(y, score), metrics.average_precision_score(y, score)), rel=1e-9
        )


def test_predict_scores_raw_new_rows_like_numpy(built: DbtProject) -> None:
    encoder, reference, _, _, _ = _reference()
    new = _new_rows()
    rows = built.query(
        "select id, predicted_class, predicted_label, probability_benign, probability_malignant"
        " from messy_scored order by id"
    )
    assert [r[0] for r in rows] == [r[0] for r in new]
    x = encoder.transform([row[1:] for row in new])
    hidden = activate(x @ reference.params[(1, "W")] + reference.params[(1, "b")], "tanh")
    scores = hidden @ reference.params[(2, "W")] + reference.params[(2, "b")]
    probabilities = np.exp(scores - scores.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    for row, expected in zip(rows, probabilities, strict=True):
        np.testing.assert_allclose(row[3:], expected, rtol=RTOL)
        assert row[1] == int(np.argmax(expected))
        assert row[2] == ["benign", "malignant"][row[1]]
    other = [unit for unit, (k, kind, _) in enumerate(encoder.units) if FEATURES[k] == "clinic" and kind == "other"]
    assert x[3, other] == [1.0]  # the unseen clinic is 'other'


def _attributions(encoder: Encoder, reference: ReferenceMLP, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gradient x input of the predicted class's logit, per feature (numpy), and the predicted classes."""
    hidden = activate(x @ reference.params[(1, "W")] + reference.params[(1, "b")], "tanh")
    scores = hidden @ reference.params[(2, "W")] + reference.params[(2, "b")]
    predicted = np.argmax(scores, axis=1)
    w1, w2 = reference.params[(1, "W")], reference.params[(2, "W")]
    gradient = ((1.0 - hidden * hidden) * w2[:, predicted].T) @ w1.T  # d logit_c / d x, one row per example
    per_unit = x * gradient
    owner = np.array([k for k, _, _ in encoder.units])
    return np.stack([per_unit[:, owner == k].sum(axis=1) for k in range(len(FEATURES))], axis=1), predicted


def test_explain_predict_gives_gradient_times_input_like_numpy(built: DbtProject) -> None:
    encoder, reference, _, _, _ = _reference()
    new = _new_rows()
    columns = ", ".join(f"attribution_{feature}" for feature in FEATURES)
    rows = built.query(f"select id, predicted_class, predicted_label, {columns} from messy_explained order by id")
    expected, predicted = _attributions(encoder, reference, encoder.transform([row[1:] for row in new]))
    assert [r[1] for r in rows] == list(predicted)
    assert [r[2] for r in rows] == [["benign", "malignant"][c] for c in predicted]
    np.testing.assert_allclose([r[3:] for r in rows], expected, rtol=RTOL, atol=1e-15)


def test_feature_importance_is_the_mean_absolute_attribution(built: DbtProject) -> None:
    encoder, reference, _, x, is_validation = _reference()
    attributions, _ = _attributions(encoder, reference, x[~is_validation])  # under 2000 rows: all of them
    rows = built.query("select feature, mean_abs_attribution, row_count, importance_rank from messy_feature_importance")
    found = {r[0]: r[1:] for r in rows}
    expected = np.abs(attributions).mean(axis=0)
    assert set(found) == set(FEATURES)
    for k, feature in enumerate(FEATURES):
        assert found[feature][0] == pytest.approx(expected[k], rel=RTOL)
        assert found[feature][1] == (~is_validation).sum()
    ranked = sorted(FEATURES, key=lambda f: -found[f][0])
    assert [found[f][2] for f in ranked] == list(range(1, len(FEATURES) + 1))


@pytest.mark.parametrize("network", OTHER_PATHS)
def test_every_duckdb_path_encodes_and_trains_alike(built: DbtProject, network: str) -> None:
    """The list path's inputs (imputed, one-hot, read from the columns) and each backprop equal the long form's."""
    compiled = built.path / "target" / "compiled" / "sqlnn" / "models"
    backprop = {
        name: next(compiled.rglob(f"{scaffold.model_name(name, 1, 'backprop')}.sql")).read_text()
        for name in ("messy", network)
    }
    assert "block_sums as (" in backprop["messy"]
    kinds = {kind for kind in ("block_sums as (", "matrices as (") if kind in backprop[network]}
    assert kinds == ({"matrices as ("} if network == "messy_gathered" else set())
    for table in ("trained_params", "training_history"):
        ours = built.query(f"select * from messy_{table} order by all")
        other = built.query(f"select * from {network}_{table} order by all")
        assert len(ours) == len(other) > 0
        for row, other_row in zip(ours, other, strict=True):
            for value, other_value in zip(row, other_row, strict=True):
                if isinstance(value, float):
                    assert value == pytest.approx(other_value, rel=RTOL, abs=1e-15), table
                else:
                    assert value == other_value, table
    probabilities = "predicted_class, predicted_label, probability_benign, probability_malignant"
    ours = built.query(f"select row_id, {probabilities} from messy_predictions order by row_id")
    other = built.query(f"select row_id, {probabilities} from {network}_predictions order by row_id")
    assert [row[:3] for row in ours] == [row[:3] for row in other]
    assert [p for row in ours for p in row[3:]] == pytest.approx([p for row in other for p in row[3:]], rel=RTOL)


@pytest.mark.parametrize("network", CLASS_WEIGHTS)
def test_class_weights_weigh_the_loss_and_the_gradient_like_numpy(built: DbtProject, network: str) -> None:
    class_weight = CLASS_WEIGHTS[network]["class_weight"]
    _, reference, history, _, _ = _reference(class_weight)
    weights = dict(built.query(f"select label_value, max(weight) from {network}_training_examples group by 1"))
    expected = history[0]["weight"]
    labels = [row[-1] for row in ROWS]
    assert weights == {label: pytest.approx(float(expected[labels.index(label)]), rel=1e-12) for label in set(labels)}
    if class_weight == "balanced":  # N / (C * N_c) over the training split: the weights average 1 there
        mean = built.query(f"select avg(weight) from {network}_training_examples where split = 'train'")[0][0]
        assert mean == pytest.approx(1.0, rel=1e-12)
    rows = built.query(f"select loss, data_loss, val_data_loss from {network}_training_history order by epoch")
    for key, column in (("loss", 0), ("data_loss", 1), ("val_data_loss", 2)):
        assert [r[column] for r in rows] == pytest.approx([h[key] for h in history], rel=RTOL), key
    params = built.query(f"select layer, param, i, j, value from {network}_trained_params")
    assert_params_close(params, reference.params, RTOL)


def test_class_weights_change_the_training(built: DbtProject) -> None:
    plain = built.query("select data_loss from messy_training_history where epoch = 2")[0][0]
    weighted = built.query("select data_loss from messy_balanced_training_history where epoch = 2")[0][0]
    assert abs(plain - weighted) > 1e-6


def test_status_after_the_build_says_every_model_would_be_reused(
    built: DbtProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sqlnn status` compiles the network as the build did: with the column types read from the table (a text
    feature is one-hot), not the numeric default of a plain `dbt compile`, which would call every model stale."""
    monkeypatch.setenv("SQLNN_DUCKDB_PATH", str(built.database))
    found = status.status("messy", ["--project-dir", str(built.path), "--profiles-dir", str(built.path)])
    assert found.stale == [], found.lines()
    assert len(found.matching) == found.models == found.stored
