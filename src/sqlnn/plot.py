"""Pictures of a trained network: the training curves and, for two features, the decision
regions with the data points. The tables are read through dbt (`dbt show`) with the
project's profile and target, so every engine a dbt query reaches works.

The decision regions are the trained parameters (NAME_trained_params) and the stored
standardisation (NAME_feature_scaling) applied by numpy to a grid; tests check that this
forward pass equals the SQL's predictions.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sqlnn import dbt_runner

HIDDEN_ACTIVATIONS = {
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
}


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


def plot(network: str, out_dir: Path, dbt_args: list[str]) -> list[Path]:
    """Write training_history.png (and decision_regions.png for 2 features) into out_dir; return the paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    values = dbt_runner.settings(network, dbt_args)

    def rows(sql: str) -> list[tuple]:
        # dbt_runner.query already turns agate's Decimals into ints and floats
        return [tuple(row.values()) for row in dbt_runner.query(sql, dbt_args)]

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    # with mini-batches each step is a point at its fraction of the epoch (full batch: the epoch)
    batches = int(values.get("batches", 1))
    history = rows(
        f"select epoch - 1 + batch / {float(batches)!r}, loss, val_loss, accuracy, val_accuracy"
        f" from {{{{ ref('{network}_training_history') }}}} order by step"
    )
    epochs = [row[0] for row in history]
    figure, (loss_axis, accuracy_axis) = plt.subplots(1, 2, figsize=(9, 3.4))
    for axis, column, label in ((loss_axis, 1, "loss"), (accuracy_axis, 3, "accuracy")):
        axis.plot(epochs, [row[column] for row in history], label="train")
        validation = [row[column + 1] for row in history]
        if any(v is not None for v in validation):
            measured = [(e, v) for e, v in zip(epochs, validation, strict=True) if v is not None]
            axis.plot([e for e, _ in measured], [v for _, v in measured], label="validation")
        axis.set_xlabel("epoch")
        axis.set_title(label)
        axis.grid(alpha=0.3)
        axis.legend()
    figure.suptitle(f"network {network}, training on {values.get('data', '?')}")
    figure.tight_layout()
    path = out_dir / "training_history.png"
    figure.savefig(path, dpi=90)
    plt.close(figure)
    written.append(path)

    features = values.get("features") or []
    if len(features) == 2:
        params = rows(f"select layer, param, i, j, value from {{{{ ref('{network}_trained_params') }}}}")
        scaling = rows(f"select center, scale from {{{{ ref('{network}_feature_scaling') }}}} order by unit")
        columns = ", ".join(f"{{{{ adapter.quote('{f}') }}}}" for f in features)
        examples = rows(f"select {columns}, label, split from {{{{ ref('{network}_training_examples') }}}}")
        examples = examples
        points = np.array([[r[0], r[1]] for r in examples])
        labels = np.array([r[2] for r in examples])
        is_validation = np.array([r[3] == "validation" for r in examples])
        low, high = points.min(axis=0), points.max(axis=0)
        pad = 0.1 * (high - low)
        grid_x, grid_y = np.meshgrid(
            np.linspace(low[0] - pad[0], high[0] + pad[0], 300), np.linspace(low[1] - pad[1], high[1] + pad[1], 300)
        )
        grid = np.c_[grid_x.ravel(), grid_y.ravel()]
        center, scale = np.array([s[0] for s in scaling]), np.array([s[1] for s in scaling])
        probabilities = class_probabilities(
            params, (grid - center) / scale, values["activation"], float(values["leaky_relu_slope"])
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
        axis.set_title(f"decision regions of {network}_trained_params")
        figure.tight_layout()
        path = out_dir / "decision_regions.png"
        figure.savefig(path, dpi=90)
        plt.close(figure)
        written.append(path)
    return written
