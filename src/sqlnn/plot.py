"""Pictures of a trained network from its DuckDB tables: the training curves and, for two
features, the decision regions with the data points.

The decision regions are the trained parameters (trained_params) and the stored
standardisation (feature_scaling) applied by numpy to a grid; tests/test_plot.py checks
that this forward pass equals the SQL's predictions.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import numpy as np
import yaml

from sqlnn import scaffold

HIDDEN_ACTIVATIONS = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
}


def settings(project_dir: Path, cli_vars: str | None) -> dict:
    """The project's vars overridden by --vars (YAML, as dbt takes them), over the library defaults."""
    config = yaml.safe_load((project_dir / "dbt_project.yml").read_text()).get("vars") or {}
    values = {"nn_activation": "relu", "nn_leaky_relu_slope": 0.01, **config}
    if cli_vars:
        values.update(yaml.safe_load(cli_vars) or {})
    return values


def default_database(project_dir: Path) -> Path:
    return Path(os.environ.get("SQLNN_DUCKDB_PATH", project_dir / "sqlnn.duckdb"))


def _activate(z: np.ndarray, activation: str, slope: float) -> np.ndarray:
    if activation == "leaky_relu":
        return np.where(z > 0, z, slope * z)
    return HIDDEN_ACTIVATIONS[activation](z)


def class_probabilities(params: list[tuple], x: np.ndarray, activation: str, slope: float = 0.01) -> np.ndarray:
    """Softmax output of the network in trained_params rows (layer, param, i, j, value) for inputs x."""
    layers = max(row[0] for row in params)
    weights: dict[int, np.ndarray] = {}
    biases: dict[int, np.ndarray] = {}
    for layer in range(1, layers + 1):
        w_rows = [r for r in params if r[0] == layer and r[1] == "W"]
        b_rows = [r for r in params if r[0] == layer and r[1] == "b"]
        weights[layer] = np.zeros((max(r[2] for r in w_rows) + 1, max(r[3] for r in w_rows) + 1))
        biases[layer] = np.zeros(max(r[3] for r in b_rows) + 1)
        for _, _, i, j, value in w_rows:
            weights[layer][i, j] = value
        for _, _, _, j, value in b_rows:
            biases[layer][j] = value
    a = x
    for layer in range(1, layers + 1):
        z = a @ weights[layer] + biases[layer]
        a = z if layer == layers else _activate(z, activation, slope)
    shifted = np.exp(a - a.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def plot(project_dir: Path, database: Path, out_dir: Path, cli_vars: str | None = None) -> list[Path]:
    """Write training_history.png (and decision_regions.png for 2 features) into out_dir; return the paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    prefix = scaffold.CONSUMER_PREFIX if scaffold.with_pipeline(project_dir) else ""
    values = settings(project_dir, cli_vars)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with duckdb.connect(str(database)) as connection:
        history = connection.sql(
            f"select epoch, loss, val_loss, accuracy, val_accuracy from {prefix}training_history order by epoch"
        ).fetchall()
        epochs = [row[0] for row in history]
        figure, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(9, 3.4))
        for axis, column, label in ((loss_axis, 1, "loss"), (accuracy_axis, 3, "accuracy")):
            axis.plot(epochs, [row[column] for row in history], label="train")
            validation = [row[column + 1] for row in history]
            if any(v is not None for v in validation):
                axis.plot(epochs, validation, label="validation")
            axis.set_xlabel("epoch")
            axis.set_title(label)
            axis.grid(alpha=0.3)
            axis.legend()
        figure.suptitle(f"training on {values.get('nn_training_data', '?')}")
        figure.tight_layout()
        path = out_dir / "training_history.png"
        figure.savefig(path, dpi=90)
        plt.close(figure)
        written.append(path)

        features = values.get("nn_features") or []
        if len(features) == 2:
            params = connection.sql(f"select layer, param, i, j, value from {prefix}trained_params").fetchall()
            scaling = connection.sql(f"select center, scale from {prefix}feature_scaling order by unit").fetchall()
            columns = ", ".join(f'"{f}"' for f in features)
            rows = connection.sql(f"select {columns}, label, split from {prefix}training_examples").fetchall()
            points = np.array([[r[0], r[1]] for r in rows])
            labels = np.array([r[2] for r in rows])
            is_validation = np.array([r[3] == "validation" for r in rows])
            low, high = points.min(axis=0), points.max(axis=0)
            pad = 0.1 * (high - low)
            grid_x, grid_y = np.meshgrid(
                np.linspace(low[0] - pad[0], high[0] + pad[0], 300), np.linspace(low[1] - pad[1], high[1] + pad[1], 300)
            )
            grid = np.c_[grid_x.ravel(), grid_y.ravel()]
            center, scale = np.array([s[0] for s in scaling]), np.array([s[1] for s in scaling])
            probabilities = class_probabilities(
                params, (grid - center) / scale, values["nn_activation"], float(values["nn_leaky_relu_slope"])
            )
            classes = probabilities.shape[1]
            figure, axis = plt.subplots(figsize=(5, 4.6))
            axis.contourf(
                grid_x,
                grid_y,
                probabilities.argmax(axis=1).reshape(grid_x.shape),
                levels=np.arange(-0.5, classes),
                cmap="Spectral",
                alpha=0.35,
            )
            axis.scatter(
                *points[~is_validation].T,
                c=labels[~is_validation],
                cmap="Spectral",
                vmin=0,
                vmax=classes - 1,
                s=14,
                edgecolors="k",
                linewidths=0.4,
                label="train",
            )
            if is_validation.any():
                axis.scatter(
                    *points[is_validation].T,
                    c=labels[is_validation],
                    cmap="Spectral",
                    vmin=0,
                    vmax=classes - 1,
                    s=22,
                    marker="s",
                    edgecolors="k",
                    linewidths=0.6,
                    label="validation",
                )
                axis.legend(loc="lower right")
            axis.set_xlabel(features[0])
            axis.set_ylabel(features[1])
            axis.set_title("decision regions of trained_params")
            figure.tight_layout()
            path = out_dir / "decision_regions.png"
            figure.savefig(path, dpi=90)
            plt.close(figure)
            written.append(path)
    return written
