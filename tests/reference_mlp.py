"""Independent numpy reference of the network sqlnn trains in SQL.

Same maths as CS231n's "neural networks case study": hidden layers with an
activation, softmax output, mean cross-entropy + 0.5 * reg * sum(W**2) (regression: one
linear output and half the mean squared error, scikit-learn's MLPRegressor loss), one
full-batch gradient step per epoch, and PyTorch's SGD / momentum / Adam rules.
The SQL is never consulted here: this file is the yardstick.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from sqlnn import prng

# Parameters in sqlnn's contract form: {(layer, 'W'|'b'): array}; W is (fan_in, fan_out).
Params = dict[tuple[int, str], np.ndarray]

# The PRNG's constants and mixing round are written once, in sqlnn.prng (the SQL's twin).
PRNG_MODULUS = prng.MODULUS
_mix = prng.mix


def prng_uniform(seed: int, layer: int, i: int, j: int, stream: int) -> float:
    """Counter-based uniform in (0, 1), the same integer arithmetic the SQL runs."""
    h = seed % PRNG_MODULUS
    for c in (layer, i, j, stream, 0):
        h = _mix(h, c)
    return (h + 0.5) / PRNG_MODULUS


def init_scale(scale: float | str, fan_in: int, fan_out: int) -> float:
    """math.sqrt, as the SQL's SQRT: correctly rounded on every engine (x ** 0.5 is not, for some x)."""
    if scale == "he":
        return math.sqrt(2.0 / fan_in)
    if scale == "xavier":
        return math.sqrt(2.0 / (fan_in + fan_out))
    return float(scale)


def init_params(seed: int, sizes: list[int], scale: float | str = 0.01) -> Params:
    """W ~ N(0, 1) * scale by Box-Muller over the counter-based PRNG; b = 0."""
    params: Params = {}
    for layer, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes), start=1):
        s = init_scale(scale, fan_in, fan_out)
        w = np.empty((fan_in, fan_out))
        for i in range(fan_in):
            for j in range(fan_out):
                u1 = prng_uniform(seed, layer, i, j, 1)
                u2 = prng_uniform(seed, layer, i, j, 2)
                w[i, j] = math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2) * s
        params[(layer, "W")] = w
        params[(layer, "b")] = np.zeros(fan_out)
    return params


def activate(z: np.ndarray, activation: str, leaky_slope: float = 0.01) -> np.ndarray:
    if activation == "relu":
        return np.maximum(z, 0.0)
    if activation == "leaky_relu":
        return np.where(z > 0, z, leaky_slope * z)
    if activation == "tanh":
        return np.tanh(z)
    if activation == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    raise ValueError(activation)


def activation_grad(z: np.ndarray, a: np.ndarray, activation: str, leaky_slope: float = 0.01) -> np.ndarray:
    if activation == "relu":
        return (z > 0).astype(float)
    if activation == "leaky_relu":
        return np.where(z > 0, 1.0, leaky_slope)
    if activation == "tanh":
        return 1.0 - a * a
    if activation == "sigmoid":
        return a * (1.0 - a)
    raise ValueError(activation)


@dataclass
class ReferenceMLP:
    params: Params
    activation: str = "relu"
    optimizer: str = "sgd"
    learning_rate: float = 1.0
    reg: float = 1e-3
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8
    leaky_relu_slope: float = 0.01
    regression: bool = False  # y is then the standardised target, a float per row
    step: int = 0
    state: dict[tuple[int, str], dict[str, np.ndarray]] = field(default_factory=dict)

    @property
    def n_layers(self) -> int:
        return max(layer for layer, _ in self.params)

    def forward(self, x: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        zs, acts = [], [x]
        for layer in range(1, self.n_layers + 1):
            z = acts[-1] @ self.params[(layer, "W")] + self.params[(layer, "b")]
            zs.append(z)
            acts.append(z if layer == self.n_layers else activate(z, self.activation, self.leaky_relu_slope))
        return zs, acts

    def reg_loss(self) -> float:
        return 0.5 * self.reg * sum(float(np.sum(w * w)) for (_, p), w in self.params.items() if p == "W")

    def loss(self, x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None) -> dict[str, float]:
        """`weight`: each row's class weight; the data loss is then the weighted mean (PyTorch's)."""
        zs, _ = self.forward(x)
        scores = zs[-1]
        if self.regression:
            data_loss = float(np.mean(0.5 * (scores[:, 0] - y) ** 2))
            return {"loss": data_loss + self.reg_loss(), "data_loss": data_loss, "reg_loss": self.reg_loss()}
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_sum_exp = np.log(np.exp(shifted).sum(axis=1))
        row_loss = log_sum_exp - shifted[np.arange(len(y)), y]
        data_loss = float(np.mean(row_loss) if weight is None else np.sum(weight * row_loss) / np.sum(weight))
        reg_loss = self.reg_loss()
        accuracy = float(np.mean(scores.argmax(axis=1) == y))
        return {"loss": data_loss + reg_loss, "data_loss": data_loss, "reg_loss": reg_loss, "accuracy": accuracy}

    def gradients(self, x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None) -> Params:
        zs, acts = self.forward(x)
        n = len(y)
        if self.regression:
            dz = (zs[-1] - y[:, None]) / n
        else:
            shifted = zs[-1] - zs[-1].max(axis=1, keepdims=True)
            probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
            dz = probs.copy()
            dz[np.arange(n), y] -= 1.0
            if weight is None:
                dz /= n
            else:
                dz = dz * weight[:, None] / np.sum(weight)
        grads: Params = {}
        for layer in range(self.n_layers, 0, -1):
            w = self.params[(layer, "W")]
            grads[(layer, "W")] = acts[layer - 1].T @ dz + self.reg * w
            grads[(layer, "b")] = dz.sum(axis=0)
            if layer > 1:
                dz = (dz @ w.T) * activation_grad(
                    zs[layer - 2], acts[layer - 1], self.activation, self.leaky_relu_slope
                )
        return grads

    def train_step(self, x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None) -> None:
        grads = self.gradients(x, y, weight)
        self.step += 1
        for key, g in grads.items():
            p = self.params[key]
            st = self.state.setdefault(key, {})
            if self.optimizer == "sgd":
                self.params[key] = p - self.learning_rate * g
            elif self.optimizer == "momentum":  # torch.optim.SGD(momentum=m, dampening=0)
                buf = g if self.step == 1 else self.momentum * st["momentum_buffer"] + g
                st["momentum_buffer"] = buf
                self.params[key] = p - self.learning_rate * buf
            elif self.optimizer == "adam":  # torch.optim.Adam, single-tensor path
                m = self.beta1 * st.get("exp_avg", 0.0) + (1.0 - self.beta1) * g
                v = self.beta2 * st.get("exp_avg_sq", 0.0) + (1.0 - self.beta2) * g * g
                st["exp_avg"], st["exp_avg_sq"] = m, v
                bias_correction1 = 1.0 - self.beta1**self.step
                bias_correction2 = 1.0 - self.beta2**self.step
                step_size = self.learning_rate / bias_correction1
                denom = np.sqrt(v) / math.sqrt(bias_correction2) + self.epsilon
                self.params[key] = p - step_size * (m / denom)
            else:
                raise ValueError(self.optimizer)


# --- preprocessing: imputation, one-hot encoding, standardisation ------------------------


def typed_value(value: object, kind: str) -> object:
    """A raw cell as the network reads it: a float, or text for a categorical feature (True -> 'true')."""
    if value is None:
        return None
    if kind == "numeric":
        return float(value)  # type: ignore[arg-type]
    return str(value).lower() if isinstance(value, bool) else str(value)


@dataclass
class Encoder:
    """The input layer learnt from training rows, as the vocabulary and feature_scaling models learn it.

    Numeric feature: NULL -> training mean (impute), then (x - mean) / std over the imputed training
    values (std 0 -> 1). Categorical: one unit per category with >= min_count training rows among the
    max_categories most frequent (NULL is a category), in order NULL, then text order, then 'other'."""

    kinds: list[str]
    impute: bool = True
    standardize: bool = True
    min_count: int = 5
    max_categories: int = 100
    units: list[tuple[int, str, object]] = field(default_factory=list)  # (feature, kind, category)
    center: dict[int, float] = field(default_factory=dict)
    scale: dict[int, float] = field(default_factory=dict)
    fill: dict[int, float] = field(default_factory=dict)

    def fit(self, rows: list[list[object]]) -> Encoder:
        for k, kind in enumerate(self.kinds):
            values = [typed_value(row[k], kind) for row in rows]
            if kind == "numeric":
                present = np.array([v for v in values if v is not None], dtype=float)
                mean = float(present.mean())
                imputed = np.array([mean if v is None else v for v in values], dtype=float)
                std = float(np.sqrt(np.mean((imputed - mean) ** 2)))
                self.fill[k] = mean
                self.center[k], self.scale[k] = (mean, std if std > 0 else 1.0) if self.standardize else (0.0, 1.0)
                self.units.append((k, "numeric", None))
                continue
            counts: dict[object, int] = {}
            for v in values:
                counts[v] = counts.get(v, 0) + 1
            ranked = sorted(counts, key=lambda c: (-counts[c], c is not None, c or ""))
            kept = [
                c for rank, c in enumerate(ranked, 1) if counts[c] >= self.min_count and rank <= self.max_categories
            ]
            ordered = ([None] if None in kept else []) + sorted(c for c in kept if c is not None)
            self.units += [(k, "null" if c is None else "value", c) for c in ordered] + [(k, "other", None)]
        return self

    def transform(self, rows: list[list[object]]) -> np.ndarray:
        x = np.zeros((len(rows), len(self.units)))
        index = {unit: position for position, unit in enumerate(self.units)}
        for r, row in enumerate(rows):
            for k, kind in enumerate(self.kinds):
                value = typed_value(row[k], kind)
                if kind == "numeric":
                    filled = self.fill[k] if value is None and self.impute else value
                    unit = index[(k, "numeric", None)]
                    x[r, unit] = np.nan if filled is None else (filled - self.center[k]) / self.scale[k]
                else:
                    kind_of = "null" if value is None else "value"
                    x[r, index.get((k, kind_of, value), index[(k, "other", None)])] = 1.0
        return x


def class_list(labels: list[object]) -> list[object]:
    """The classes model: the distinct label values, sorted."""
    return sorted(set(labels))


def standardised_target(y: np.ndarray, is_train: np.ndarray) -> tuple[np.ndarray, float, float]:
    """A regression target standardised by the training rows' mean and population std (std 0 -> 1)."""
    mean = float(y[is_train].mean())
    std = float(np.sqrt(np.mean((y[is_train] - mean) ** 2)))
    scale = std if std > 0 else 1.0
    return (y - mean) / scale, mean, scale


# --- early stopping ------------------------------------------------------------------------


@dataclass
class EarlyStoppingRun:
    """What sqlnn's chain of loss models records (macros/update/_early_stopping.sql), per epoch."""

    history: list[dict[str, object]]
    best_params: Params  # the parameters that entered the best epoch
    steps: int  # optimizer steps taken


def train_with_early_stopping(
    model: ReferenceMLP,
    train: tuple[np.ndarray, np.ndarray],
    validation: tuple[np.ndarray, np.ndarray],
    epochs: int,
    patience: int,
    min_rel_progress: float,
    early_stopping: bool = True,
) -> EarlyStoppingRun:
    """scikit-learn's MLP early stopping with a relative tolerance: epoch e's validation loss v (of the
    parameters entering it) is progress when v < (1 - min_rel_progress) * the lowest before it; training
    stops once `patience` epochs in a row make none, and the parameters with the lowest v are kept."""
    history: list[dict[str, object]] = []
    best_loss, best_epoch, without_progress, stopped = math.inf, 0, 0, False
    best_params = {key: value.copy() for key, value in model.params.items()}
    steps = 0
    for epoch in range(1, epochs + 1):
        row: dict[str, object] = {"epoch": epoch, "loss": None, "val_loss": None}
        if not stopped:
            row["loss"] = model.loss(*train)["loss"]
            val_loss = model.loss(*validation)["loss"]
            row["val_loss"] = val_loss
            without_progress = 0 if val_loss < (1.0 - min_rel_progress) * best_loss else without_progress + 1
            if val_loss < best_loss:
                best_loss, best_epoch = val_loss, epoch
                best_params = {key: value.copy() for key, value in model.params.items()}
            stopped = early_stopping and without_progress >= patience
            if not stopped:
                model.train_step(*train)
                steps += 1
        row.update(best_epoch=best_epoch, epochs_without_progress=without_progress, stopped=stopped)
        history.append(row)
    return EarlyStoppingRun(history, best_params, steps)


def balanced_class_weights(y_train: np.ndarray, classes: int) -> np.ndarray:
    """BigQuery ML's AUTO_CLASS_WEIGHTS (scikit-learn's 'balanced'): N / (C * N_c) per class c."""
    counts = np.bincount(y_train, minlength=classes).astype(float)
    present = counts > 0
    weights = np.ones(classes)
    weights[present] = len(y_train) / (present.sum() * counts[present])
    return weights
