"""CS231n's spiral toy data (K interleaved arms, noisy angle), written as the `spiral` seed."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np


def make_spiral(points_per_class: int = 100, classes: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Exactly the case study's generator, with a fixed numpy seed."""
    rng = np.random.RandomState(seed)
    x = np.zeros((points_per_class * classes, 2))
    y = np.zeros(points_per_class * classes, dtype=int)
    for k in range(classes):
        ix = range(points_per_class * k, points_per_class * (k + 1))
        r = np.linspace(0.0, 1, points_per_class)
        t = np.linspace(k * 4, (k + 1) * 4, points_per_class) + rng.randn(points_per_class) * 0.2
        x[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        y[ix] = k
    return x, y


def write_spiral_csv(path: Path, seed: int = 0) -> None:
    """Write the seed with repr() floats so every engine parses the same doubles numpy holds."""
    x, y = make_spiral(seed=seed)
    with path.open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["x1", "x2", "label"])
        for (x1, x2), label in zip(x.tolist(), y.tolist(), strict=True):
            writer.writerow([repr(x1), repr(x2), label])
