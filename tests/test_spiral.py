"""The committed spiral seed is exactly CS231n's generator output (numpy seed 0)."""

from __future__ import annotations

import csv

from conftest import REPO

from sqlnn.spiral import make_spiral


def test_seed_matches_generator() -> None:
    x, y = make_spiral()
    with (REPO / "seeds" / "spiral.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(y) == 300
    for row, (x1, x2), label in zip(rows, x.tolist(), y.tolist(), strict=True):
        assert (float(row["x1"]), float(row["x2"]), int(row["label"])) == (x1, x2, label)
