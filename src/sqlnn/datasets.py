"""The shipped real dataset (UCI wine, from scikit-learn's bundled copy) and sqlnn's row split in Python.

`validation_split` reproduces the SQL of `training_examples` (macros/data/training_examples.sql):
rows are numbered by content, each row_id is hashed with the initialiser's integer PRNG
rounds, and within each class the round(fraction * rows) smallest hashes are validation.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

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
    _write_csv(path, [*wine_columns(), WINE_LABEL], x, y.tolist())


def _write_csv(path: Path, header: list[str], x: np.ndarray, labels: list[Any]) -> None:
    """A seed: the features as repr (exact floats), then the label as given."""
    with path.open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for features, label in zip(x.tolist(), labels, strict=True):
            writer.writerow([*(repr(v) for v in features), label])


def split_hash(row_id: int, seed: int = 0) -> int:
    """The SQL's split_hash: two PRNG rounds (Lehmer step, then squaring) over (seed, row_id) and 0."""
    h = seed % prng.MODULUS
    for component in (row_id, 0):
        h = prng.mix(h, component)
    return h


def batch_numbers(row_ids: list[int], epoch: int, batches: int, seed: int = 0) -> dict[int, int]:
    """The SQL's batch_rows: each training row id's mini-batch (1..batches) in `epoch`. The rows are ranked
    by split_hash under the epoch's seed (one PRNG round over (seed, epoch)) and dealt out in turn."""
    epoch_seed = prng.mix(seed % prng.MODULUS, epoch)
    ranked = sorted(row_ids, key=lambda row_id: (split_hash(row_id, epoch_seed), row_id))
    return {row_id: rank % batches + 1 for rank, row_id in enumerate(ranked)}


def row_order(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices of the rows in row_id order: sorted by the feature columns, then the label."""
    return np.lexsort((y, *x.T[::-1]))


def validation_split(x: np.ndarray, y: np.ndarray, fraction: float, seed: int = 0, stratify: bool = True) -> np.ndarray:
    """Boolean mask (in the input's row order): True for the validation rows SQL picks. A regression
    target (stratify=False) is one class for the split, as its training_examples numbers it 0."""
    order = row_order(x, y)
    row_ids = np.empty(len(y), dtype=int)
    row_ids[order] = np.arange(1, len(y) + 1)
    mask = np.zeros(len(y), dtype=bool)
    groups = y if stratify else np.zeros(len(y))
    for label in np.unique(groups):
        members = np.flatnonzero(groups == label)
        ranked = sorted(members, key=lambda k: (split_hash(int(row_ids[k]), seed), row_ids[k]))
        take = math.floor(len(members) * fraction + 0.5)
        mask[ranked[:take]] = True
    return mask


# --- a regression table: scikit-learn's diabetes data, in its original units ----------

DIABETES_LABEL = "progression"


def diabetes_columns() -> list[str]:
    from sklearn.datasets import load_diabetes

    return list(load_diabetes().feature_names)


def load_diabetes_arrays() -> tuple[np.ndarray, np.ndarray]:
    """442 rows x 10 features (age, sex, bmi, bp, s1-s6; unscaled), and disease progression after a year."""
    from sklearn.datasets import load_diabetes

    data = load_diabetes(scaled=False)
    return data.data.astype(float), data.target.astype(float)


def write_diabetes_csv(path: Path) -> None:
    """The seed: floats written as repr (the label as 151.0, so the seed's column is a double)."""
    x, y = load_diabetes_arrays()
    _write_csv(path, [*diabetes_columns(), DIABETES_LABEL], x, [repr(v) for v in y.tolist()])


# --- a messy real table ----------------------------------------------------------------

MESSY_LABEL = "diagnosis"
MESSY_NULL_COLUMN = "mean_texture"
CLINICS = ("east", "north", "south")


def breast_cancer_columns() -> list[str]:
    """scikit-learn's breast cancer feature names as SQL identifiers ('mean radius' -> mean_radius)."""
    from sklearn.datasets import load_breast_cancer

    return [name.replace(" ", "_") for name in load_breast_cancer().feature_names]


def messy_breast_cancer() -> tuple[list[str], list[list[Any]]]:
    """scikit-learn's breast cancer table (569 rows) made messy as a warehouse table is: a text column
    `clinic` (3 values, 15 NULLs), 20 NULLs in the numeric column mean_texture, a boolean column
    `smoker`, and the label as text, 'benign' or 'malignant'. Columns and rows, None for NULL."""
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    rng = np.random.RandomState(12)
    n = len(data.target)
    missing_texture = set(rng.choice(n, 20, replace=False).tolist())
    missing_clinic = set(rng.choice(n, 15, replace=False).tolist())
    clinics = rng.randint(0, len(CLINICS), n)
    smokers = rng.rand(n) < 0.3
    names = breast_cancer_columns()
    texture = names.index(MESSY_NULL_COLUMN)
    rows = []
    for k in range(n):
        values: list[Any] = [float(v) for v in data.data[k]]
        if k in missing_texture:
            values[texture] = None
        clinic = None if k in missing_clinic else CLINICS[clinics[k]]
        label = "malignant" if data.target[k] == 0 else "benign"
        rows.append([*values, clinic, bool(smokers[k]), label])
    return [*names, "clinic", "smoker", MESSY_LABEL], rows


def messy_seed(columns: list[str], rows: list[list[Any]]) -> tuple[list[str], list[list[Any]]]:
    """The messy table as a seed of numbers only (no NULL, text or boolean cell, which seed loaders
    type differently: dbt-spark writes a text NULL as 'None'); MESSY_MODEL_SQL makes the table from it."""
    header = [c for c in columns if c not in ("clinic", "smoker", MESSY_LABEL)]
    header += ["texture_missing", "clinic_code", "smoker_code", "diagnosis_code"]
    texture, clinic, smoker, label = (columns.index(c) for c in (MESSY_NULL_COLUMN, "clinic", "smoker", MESSY_LABEL))
    out = []
    for row in rows:
        numbers = [0.0 if k == texture and row[k] is None else row[k] for k in range(len(columns) - 3)]
        codes = [int(row[texture] is None), CLINICS.index(row[clinic]) if row[clinic] else 9, int(row[smoker])]
        out.append([*(repr(v) for v in numbers), *codes, int(row[label] == "malignant")])
    return header, out


def messy_model_sql(seed: str, numeric: list[str] | None = None) -> str:
    """The dbt model that turns messy_seed's numbers into the messy table, the same on every engine
    (`numeric`: the number columns the seed kept, all 30 by default)."""
    names = breast_cancer_columns() if numeric is None else numeric
    columns = [
        f"case when texture_missing = 1 then null else {c} end as {c}" if c == MESSY_NULL_COLUMN else c for c in names
    ]
    clinic = " ".join(f"when {k} then '{name}'" for k, name in enumerate(CLINICS))
    columns += [
        f"case clinic_code {clinic} end as clinic",
        "smoker_code = 1 as smoker",
        f"case when diagnosis_code = 1 then 'malignant' else 'benign' end as {MESSY_LABEL}",
    ]
    return "select\n    " + ",\n    ".join(columns) + f"\nfrom {{{{ ref('{seed}') }}}}\n"


def typed_row_order(rows: list[list[Any]]) -> list[int]:
    """Indices of rows in row_id order for rows already typed as training_examples types them
    (floats, text, None): by each column in turn, NULL first (then the label)."""
    return sorted(range(len(rows)), key=lambda k: [(v is not None, v if v is not None else 0) for v in rows[k]])


def typed_validation_split(rows: list[list[Any]], labels: list[Any], fraction: float, seed: int = 0) -> np.ndarray:
    """validation_split for typed rows (features then label as the last column of the order)."""
    order = typed_row_order([[*row, label] for row, label in zip(rows, labels, strict=True)])
    row_ids = np.empty(len(rows), dtype=int)
    row_ids[order] = np.arange(1, len(rows) + 1)
    mask = np.zeros(len(rows), dtype=bool)
    for label in sorted(set(labels)):
        members = [k for k, value in enumerate(labels) if value == label]
        ranked = sorted(members, key=lambda k: (split_hash(int(row_ids[k]), seed), row_ids[k]))
        mask[ranked[: math.floor(len(members) * fraction + 0.5)]] = True
    return mask
