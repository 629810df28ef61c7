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
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from sqlnn import scaffold
from sqlnn.datasets import load_wine_arrays, validation_split

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from reference_mlp import ReferenceMLP, init_params  # noqa: E402

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


def main() -> None:
    config = wine_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=config["epochs"], help="the wine network's by default")
    args = parser.parse_args()

    x, y = load_wine_arrays()
    is_validation = validation_split(x, y, config["validation_fraction"], config["split_seed"])
    x_train, y_train, x_val, y_val = x[~is_validation], y[~is_validation], x[is_validation], y[is_validation]
    if config["standardize"]:
        mean, std = x_train.mean(axis=0), x_train.std(axis=0)
        std[std == 0] = 1.0
        x_train, x_val = (x_train - mean) / std, (x_val - mean) / std
    print(f"wine: {len(y_train)} training rows, {len(y_val)} validation rows, {args.epochs} full-batch epochs")

    sizes = [x.shape[1], *config["hidden"], config["classes"]]
    reference = ReferenceMLP(
        init_params(config["seed"], sizes, config["init_scale"]),
        activation=config["activation"],
        optimizer=config["optimizer"],
        learning_rate=config["learning_rate"],
        reg=config["reg"],
        **{key: float(config[key]) for key in ("momentum", "beta1", "beta2", "epsilon") if key in config},
    )
    for _ in range(args.epochs):
        reference.train_step(x_train, y_train)
    train_acc, val_acc = reference.loss(x_train, y_train)["accuracy"], reference.loss(x_val, y_val)["accuracy"]
    print(f"sqlnn (numpy reference of the SQL):  train {train_acc:.4f}  validation {val_acc:.4f}")

    scores = []
    for random_state in range(5):
        model = MLPClassifier(
            hidden_layer_sizes=tuple(config["hidden"]),
            activation=ACTIVATIONS[config["activation"]],
            **solver(config),
            learning_rate_init=config["learning_rate"],
            alpha=config["reg"] * len(y_train),
            batch_size=len(y_train),
            max_iter=args.epochs,
            shuffle=False,
            tol=0.0,
            n_iter_no_change=args.epochs + 1,
            random_state=random_state,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(x_train, y_train)
        scores.append((model.score(x_train, y_train), model.score(x_val, y_val)))
        print(
            f"scikit-learn random_state={random_state}:     train {scores[-1][0]:.4f}  validation {scores[-1][1]:.4f}"
        )
    train_mean, val_mean = np.mean(scores, axis=0)
    print(f"scikit-learn mean of 5:             train {train_mean:.4f}  validation {val_mean:.4f}")


if __name__ == "__main__":
    main()
