"""The shipped real dataset (UCI wine, from scikit-learn's bundled copy) and sqlnn's row split in Python.

`validation_split` reproduces the SQL of `training_examples` (macros/data/training_examples.sql):
rows are numbered by content, each row_id is hashed with the initialiser's integer PRNG
rounds, and within each class the round(fraction * rows) smallest hashes are validation.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from sqlnn import prng

WINE_LABEL = "cultivar"


def wine_columns() -> list[str]:
    """scikit-learn's feature names as SQL identifiers ('od280/od315_of_diluted_wines' loses its slash)."""
    from sklearn.datasets import load_wine

    return [name.replace("/", "_") for name in load_wine().feature_names]


def load_wine_arrays() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_wine

    data = load_wine()
    return data.data.astype(float), data.target.astype(int)


def write_wine_csv(path: Path) -> None:
    """178 wines, 13 chemical measurements of very different scales, 3 cultivars (labels 0-2)."""
    x, y = load_wine_arrays()
    with path.open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow([*wine_columns(), WINE_LABEL])
        for features, label in zip(x.tolist(), y.tolist(), strict=True):
            writer.writerow([*(repr(v) for v in features), label])


def split_hash(row_id: int, seed: int = 0) -> int:
    """The SQL's split_hash: two PRNG rounds (Lehmer step, then squaring) over (seed, row_id) and 0."""
    h = seed % prng.MODULUS
    for component in (row_id, 0):
        h = prng.mix(h, component)
    return h


def row_order(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices of the rows in row_id order: sorted by the feature columns, then the label."""
    return np.lexsort((y, *x.T[::-1]))


def validation_split(x: np.ndarray, y: np.ndarray, fraction: float, seed: int = 0) -> np.ndarray:
    """Boolean mask (in the input's row order): True for the validation rows SQL picks."""
    order = row_order(x, y)
    row_ids = np.empty(len(y), dtype=int)
    row_ids[order] = np.arange(1, len(y) + 1)
    mask = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        ranked = sorted(members, key=lambda k: (split_hash(int(row_ids[k]), seed), row_ids[k]))
        take = math.floor(len(members) * fraction + 0.5)
        mask[ranked[:take]] = True
    return mask
