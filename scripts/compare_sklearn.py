"""scikit-learn's MLPClassifier on the same wine split, architecture and optimizer as the `wine` network.

The settings are the wine network's, as committed in dbt_project.yml (models: sqlnn: wine:
+meta: sqlnn:). Same: the rows of each split (sqlnn's hash split, reproduced in Python),
z-scores from the training split (when the network standardises), hidden layer sizes,
activation, the optimizer and its learning rate, full-batch steps (batch_size = training
rows) and their number (the network's epochs), and the L2 penalty
(scikit-learn's loss adds alpha / (2 n) * sum W^2, sqlnn's reg / 2 * sum W^2, so alpha = reg * n).
Settings the network leaves to the library defaults (Adam's betas, epsilon, momentum) are
scikit-learn's and the numpy reference's own defaults. Different: scikit-learn's initialiser
(Glorot uniform, so five random_states are shown) and its Adam puts epsilon outside the bias
correction. Also prints the numpy reference of the SQL.

    python scripts/compare_sklearn.py [--epochs 45]

With --messy, the messy breast cancer table instead (sqlnn.datasets.messy_breast_cancer: text,
boolean and NULL cells, text labels) and the network MESSY_SETTINGS: sqlnn's preprocessing
(imputation by the training mean, one-hot encoding with NULL and 'other' units, standardisation,
all from the training split; tests/test_messy_tables.py holds the SQL to this numpy reference
at 1e-9) against scikit-learn's SimpleImputer + StandardScaler and OneHotEncoder fitted on the
same training rows, feeding an MLPClassifier of the same architecture on the same split.

    python scripts/compare_sklearn.py --messy [--epochs 150]

With --diabetes, regression: scikit-learn's diabetes table (442 rows, 10 features, a numeric
target) and the network DIABETES_SETTINGS (the library defaults): sqlnn's numpy reference
(tests/test_regression.py holds the SQL to it at 1e-9: the features and the target standardised
on the training split, one linear output, half the mean squared error) against MLPRegressor of
the same architecture and split, its features and target standardised on the same training rows
(StandardScaler, TransformedTargetRegressor). Validation R^2.

    python scripts/compare_sklearn.py --diabetes [--epochs 150]
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

from sqlnn import datasets, scaffold
from sqlnn.datasets import load_wine_arrays, validation_split

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from reference_mlp import (  # noqa: E402
    Encoder,
    ReferenceMLP,
    class_list,
    init_params,
    standardised_target,
    train_with_early_stopping,
    typed_value,
)

# The settings this comparison reads: the wine network must state them (the library defaults are not read here).
USED = ("hidden", "classes", "activation", "optimizer", "learning_rate", "reg", "seed", "init_scale")
USED += ("standardize", "validation_fraction", "split_seed")
# scikit-learn's names for sqlnn's activations (it has no leaky_relu)
ACTIVATIONS = {"relu": "relu", "tanh": "tanh", "sigmoid": "logistic"}


def solver(settings: dict) -> dict:
    """MLPClassifier's arguments for sqlnn's optimizer (momentum: heavy ball, not Nesterov)."""
    if settings["optimizer"] == "adam":
        return {"solver": "adam"}
    momentum = float(settings.get("momentum", 0.9)) if settings["optimizer"] == "momentum" else 0.0
    return {"solver": "sgd", "momentum": momentum, "nesterovs_momentum": False}


def wine_settings() -> dict:
    network = scaffold.networks(REPO)["wine"]
    missing = [key for key in USED if key not in network.settings]
    if missing:
        sys.exit(f"compare_sklearn: the wine network in dbt_project.yml does not state {', '.join(missing)}")
    settings = dict(network.settings)
    if settings["activation"] not in ACTIVATIONS:
        sys.exit(f"compare_sklearn: scikit-learn's MLPClassifier has no activation {settings['activation']}")
    return {**settings, "epochs": network.epochs}


# The messy table's network: the library defaults (README, Configuration) but for what the data names.
MESSY_SETTINGS = {
    "epochs": 150,
    "hidden": [100],
    "activation": "relu",
    "optimizer": "adam",
    "learning_rate": 0.01,
    "reg": 0.001,
    "seed": 6,
    "init_scale": "xavier",
    "validation_fraction": 0.2,
    "split_seed": 0,
    "min_category_count": 5,
}


# The diabetes network: the library defaults but for what the data names.
DIABETES_SETTINGS = {**MESSY_SETTINGS}


def _mlp(config: dict, rows: int, epochs: int, random_state: int, model: type = MLPClassifier) -> Any:
    return model(
        hidden_layer_sizes=tuple(config["hidden"]),
        activation=ACTIVATIONS[config["activation"]],
        **solver(config),
        learning_rate_init=config["learning_rate"],
        alpha=config["reg"] * rows,
        batch_size=rows,
        max_iter=epochs,
        shuffle=False,
        tol=0.0,
        n_iter_no_change=epochs + 1,
        random_state=random_state,
    )


def _reference_accuracy(config: dict, classes: int, epochs: int, train: tuple, validation: tuple) -> float:
    """Train the numpy reference of the SQL with the network's settings; print and return its validation accuracy."""
    (x_train, y_train), (x_val, y_val) = train, validation
    sizes = [x_train.shape[1], *config["hidden"], classes]
    reference = ReferenceMLP(
        init_params(config["seed"], sizes, config["init_scale"]),
        activation=config["activation"],
        optimizer=config["optimizer"],
        learning_rate=config["learning_rate"],
        reg=config["reg"],
        **{key: float(config[key]) for key in ("momentum", "beta1", "beta2", "epsilon") if key in config},
    )
    for _ in range(epochs):
        reference.train_step(x_train, y_train)
    train_acc, val_acc = reference.loss(x_train, y_train)["accuracy"], reference.loss(x_val, y_val)["accuracy"]
    print(f"sqlnn (numpy reference of the SQL):  train {train_acc:.4f}  validation {val_acc:.4f}")
    return val_acc


def _sklearn_accuracy(make_model: Callable[[int], Any], train: tuple, validation: tuple) -> float:
    """Fit `make_model(random_state)` for random_state 0-4; print each accuracy and the mean; the validation mean."""
    scores = []
    for random_state in range(5):
        model = make_model(random_state)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(*train)
        scores.append((model.score(*train), model.score(*validation)))
        print(
            f"scikit-learn random_state={random_state}:     train {scores[-1][0]:.4f}  validation {scores[-1][1]:.4f}"
        )
    train_mean, val_mean = np.mean(scores, axis=0)
    print(f"scikit-learn mean of 5:             train {train_mean:.4f}  validation {val_mean:.4f}")
    return float(val_mean)


def messy(epochs: int) -> None:
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    config = MESSY_SETTINGS
    columns, rows = datasets.messy_breast_cancer()
    features = columns[:-1]
    kinds = ["categorical" if name in ("clinic", "smoker") else "numeric" for name in features]
    raw = [row[:-1] for row in rows]
    labels = [row[-1] for row in rows]
    typed = [[typed_value(v, kind) for v, kind in zip(row, kinds, strict=True)] for row in raw]
    is_validation = datasets.typed_validation_split(typed, labels, config["validation_fraction"], config["split_seed"])
    classes = class_list(labels)
    y = np.array([classes.index(label) for label in labels])
    train = [row for row, v in zip(raw, is_validation, strict=True) if not v]
    encoder = Encoder(kinds, min_count=config["min_category_count"]).fit(train)
    x = encoder.transform(raw)
    print(
        f"messy breast cancer: {int((~is_validation).sum())} training rows, {int(is_validation.sum())} validation rows,"
    )
    print(f"  {x.shape[1]} inputs from {len(features)} columns, {epochs} full-batch epochs, classes {classes}")

    x_train, y_train, x_val, y_val = x[~is_validation], y[~is_validation], x[is_validation], y[is_validation]
    val_acc = _reference_accuracy(config, len(classes), epochs, (x_train, y_train), (x_val, y_val))

    numeric = [k for k, kind in enumerate(kinds) if kind == "numeric"]
    categorical = [k for k, kind in enumerate(kinds) if kind == "categorical"]
    table = np.array([[np.nan if v is None else v for v in row] for row in typed], dtype=object)
    table[:, numeric] = table[:, numeric].astype(float)
    for k in categorical:  # NULL as a category of its own, as sqlnn does
        table[:, k] = ["NULL" if v is None else v for v in table[:, k]]

    def pipeline(random_state: int) -> Pipeline:
        preprocess = ColumnTransformer(
            [
                ("numeric", make_pipeline(SimpleImputer(strategy="mean"), StandardScaler()), numeric),
                (
                    "categorical",
                    OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=config["min_category_count"]),
                    categorical,
                ),
            ]
        )
        return Pipeline([("preprocess", preprocess), ("mlp", _mlp(config, len(y_train), epochs, random_state))])

    val_mean = _sklearn_accuracy(pipeline, (table[~is_validation], y_train), (table[is_validation], y_val))
    print(f"validation accuracy, sqlnn - scikit-learn mean: {100 * (val_acc - val_mean):+.2f} points")


def diabetes(epochs: int) -> None:
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.metrics import r2_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    config = DIABETES_SETTINGS
    x, y = datasets.load_diabetes_arrays()
    is_validation = validation_split(x, y, config["validation_fraction"], config["split_seed"], stratify=False)
    print(f"diabetes: {int((~is_validation).sum())} training rows, {int(is_validation.sum())} validation rows,")
    print(f"  {x.shape[1]} features, hidden {config['hidden']}, {epochs} full-batch epochs")
    encoder = Encoder(["numeric"] * x.shape[1]).fit(x[~is_validation].tolist())
    inputs = encoder.transform(x.tolist())
    target, mean, scale = standardised_target(y, ~is_validation)
    ours = []
    for seed in range(5):  # as scikit-learn's random_state: the initialisation is the only draw
        reference = ReferenceMLP(
            init_params(seed, [x.shape[1], *config["hidden"], 1], config["init_scale"]),
            regression=True,
            **{key: config[key] for key in ("activation", "optimizer", "learning_rate", "reg")},
        )
        for _ in range(epochs):
            reference.train_step(inputs[~is_validation], target[~is_validation])
        predicted = reference.forward(inputs)[1][-1][:, 0] * scale + mean
        ours.append([r2_score(y[m], predicted[m]) for m in (~is_validation, is_validation)])
    train_r2, val_r2 = np.mean(ours, axis=0)
    print(
        f"sqlnn (numpy reference of the SQL), mean of seed 0-4:  train R2 {train_r2:.4f}  validation R2 {val_r2:.4f}"
        f"  (validation {min(s[1] for s in ours):.4f} .. {max(s[1] for s in ours):.4f})"
    )
    _diabetes_early_stopping(config, epochs, inputs, y, target, is_validation, mean, scale)

    rows = int((~is_validation).sum())
    for name, standardised in (("standardised target", True), ("raw target (its default)", False)):
        scores = []
        for random_state in range(5):
            mlp = _mlp(config, rows, epochs, random_state, model=MLPRegressor)
            regressor = TransformedTargetRegressor(mlp, transformer=StandardScaler()) if standardised else mlp
            model = make_pipeline(StandardScaler(), regressor)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(x[~is_validation], y[~is_validation])
            scores.append([r2_score(y[m], model.predict(x[m])) for m in (~is_validation, is_validation)])
        train_mean, val_mean = np.mean(scores, axis=0)
        print(
            f"scikit-learn, {name}, mean of random_state 0-4:  train R2 {train_mean:.4f}  validation R2 {val_mean:.4f}"
            f"  (validation {min(s[1] for s in scores):.4f} .. {max(s[1] for s in scores):.4f})"
        )
        if standardised:
            print(f"validation R2, sqlnn - scikit-learn mean: {val_r2 - val_mean:+.4f}")


def _diabetes_early_stopping(
    config: dict,
    epochs: int,
    inputs: np.ndarray,
    y: np.ndarray,
    target: np.ndarray,
    is_validation: np.ndarray,
    mean: float,
    scale: float,
) -> None:
    """The same runs with sqlnn's early stopping at its defaults (patience 10, min_rel_progress 0.01): the
    epoch it keeps and the R2 of those parameters. The validation split both chooses the epoch and scores it."""
    from sklearn.metrics import r2_score

    scores, stops = [], []
    for seed in range(5):
        reference = ReferenceMLP(
            init_params(seed, [inputs.shape[1], *config["hidden"], 1], config["init_scale"]),
            regression=True,
            **{key: config[key] for key in ("activation", "optimizer", "learning_rate", "reg")},
        )
        train, validation = (
            (inputs[~is_validation], target[~is_validation]),
            (inputs[is_validation], target[is_validation]),
        )
        run = train_with_early_stopping(reference, train, validation, epochs, patience=10, min_rel_progress=0.01)
        reference.params = run.best_params
        predicted = reference.forward(inputs)[1][-1][:, 0] * scale + mean
        scores.append([r2_score(y[m], predicted[m]) for m in (~is_validation, is_validation)])
        stopped = next((row["epoch"] for row in run.history if row["stopped"]), None)
        stops.append(f"seed {seed}: best epoch {run.history[-1]['best_epoch']}, stopped at {stopped or 'the end'}")
    train_r2, val_r2 = np.mean(scores, axis=0)
    print(
        f"sqlnn with early_stopping (patience 10, min_rel_progress 0.01), mean of seed 0-4:  train R2 {train_r2:.4f}"
        f"  validation R2 {val_r2:.4f}"
    )
    print("  " + "; ".join(stops))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messy", action="store_true", help="the messy breast cancer table instead of wine")
    parser.add_argument("--diabetes", action="store_true", help="regression on the diabetes table instead of wine")
    parser.add_argument("--epochs", type=int, help="the wine network's (with --messy: MESSY_SETTINGS') by default")
    args = parser.parse_args()
    if args.messy:
        messy(args.epochs or MESSY_SETTINGS["epochs"])
        return
    if args.diabetes:
        diabetes(args.epochs or DIABETES_SETTINGS["epochs"])
        return
    config = wine_settings()
    args.epochs = args.epochs or config["epochs"]

    x, y = load_wine_arrays()
    is_validation = validation_split(x, y, config["validation_fraction"], config["split_seed"])
    x_train, y_train, x_val, y_val = x[~is_validation], y[~is_validation], x[is_validation], y[is_validation]
    if config["standardize"]:
        mean, std = x_train.mean(axis=0), x_train.std(axis=0)
        std[std == 0] = 1.0
        x_train, x_val = (x_train - mean) / std, (x_val - mean) / std
    print(f"wine: {len(y_train)} training rows, {len(y_val)} validation rows, {args.epochs} full-batch epochs")

    _reference_accuracy(config, config["classes"], args.epochs, (x_train, y_train), (x_val, y_val))
    _sklearn_accuracy(
        lambda random_state: _mlp(config, len(y_train), args.epochs, random_state), (x_train, y_train), (x_val, y_val)
    )


if __name__ == "__main__":
    main()
