"""The committed spiral seed is exactly CS231n's generator output (numpy seed 0), and it is what the
spiral network trains on."""

from __future__ import annotations

import csv

from conftest import REPO, spiral_settings

from sqlnn.spiral import make_spiral


def test_seed_matches_generator() -> None:
    x, y = make_spiral()
    with (REPO / "seeds" / "spiral.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(y) == 300
    for row, (x1, x2), label in zip(rows, x.tolist(), y.tolist(), strict=True):
        assert (float(row["x1"]), float(row["x2"]), int(row["label"])) == (x1, x2, label)


def test_the_spiral_network_trains_on_the_seed() -> None:
    settings = spiral_settings()
    with (REPO / "seeds" / f"{settings['data']}.csv").open() as f:
        header = next(csv.reader(f))
    assert settings["data"] == "spiral"
    assert header == [*settings["features"], settings["label"]] == ["x1", "x2", "label"]
    assert settings["classes"] == len(set(make_spiral()[1].tolist())) == 3
