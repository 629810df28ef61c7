"""scikit-learn's MLPClassifier on the same wine split, architecture and optimizer as presets/wine.yml.

Same: the rows of each split (sqlnn's hash split, reproduced in Python), z-scores from the
training split, hidden layer sizes, activation, Adam and its learning rate, full-batch steps
(batch_size = training rows) and their number (the scaffolded epochs), and the L2 penalty
(scikit-learn's loss adds alpha / (2 n) * sum W^2, sqlnn's reg / 2 * sum W^2, so alpha = reg * n).
Different: scikit-learn's initialiser (Glorot uniform, so five random_states are shown) and
its Adam puts epsilon outside the bias correction. Also prints the numpy reference of the SQL.

    python scripts/compare_sklearn.py [--epochs 45]
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import yaml
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from sqlnn import scaffold
from sqlnn.datasets import load_wine_arrays, validation_split

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from reference_mlp import ReferenceMLP, init_params  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=scaffold.committed_epochs(REPO))
    args = parser.parse_args()
    config = yaml.safe_load((REPO / "dbt_project.yml").read_text())["vars"]
    config.update(yaml.safe_load((REPO / "presets" / "wine.yml").read_text()))

    x, y = load_wine_arrays()
    is_validation = validation_split(x, y, config["nn_validation_fraction"], config["nn_split_seed"])
    x_train, y_train, x_val, y_val = x[~is_validation], y[~is_validation], x[is_validation], y[is_validation]
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    x_train, x_val = (x_train - mean) / std, (x_val - mean) / std
    print(f"wine: {len(y_train)} training rows, {len(y_val)} validation rows, {args.epochs} full-batch epochs")

    sizes = [x.shape[1], *config["nn_hidden"], config["nn_classes"]]
    reference = ReferenceMLP(
        init_params(config["nn_seed"], sizes, config["nn_init_scale"]),
        activation=config["nn_activation"],
        optimizer=config["nn_optimizer"],
        learning_rate=config["nn_learning_rate"],
        reg=config["nn_reg"],
    )
    for _ in range(args.epochs):
        reference.train_step(x_train, y_train)
    train_acc, val_acc = reference.loss(x_train, y_train)["accuracy"], reference.loss(x_val, y_val)["accuracy"]
    print(f"sqlnn (numpy reference of the SQL):  train {train_acc:.4f}  validation {val_acc:.4f}")

    scores = []
    for random_state in range(5):
        model = MLPClassifier(
            hidden_layer_sizes=tuple(config["nn_hidden"]),
            activation=config["nn_activation"],
            solver="adam",
            learning_rate_init=config["nn_learning_rate"],
            alpha=config["nn_reg"] * len(y_train),
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
