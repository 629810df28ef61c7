"""Measure, with the numpy reference, how many full-batch epochs each optimizer needs on the spiral network.

This is how the spiral network's settings (dbt_project.yml) were chosen: `python scripts/sweep_spiral.py`.
It prints, per (optimizer, learning rate, seed), the first epoch whose parameters reach 98%
training accuracy, the epoch from which they stay there (within the run), and the largest
epoch-to-epoch loss increase.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from reference_mlp import ReferenceMLP, init_params

from sqlnn.spiral import make_spiral


def sweep(optimizer: str, learning_rate: float, seed: int, epochs: int) -> tuple[int | None, int | None, float, float]:
    x, y = make_spiral()
    model = ReferenceMLP(init_params(seed, [2, 100, 3], 0.01), optimizer=optimizer, learning_rate=learning_rate)
    losses, accuracies = [], []
    for _ in range(epochs + 1):
        metrics = model.loss(x, y)
        losses.append(metrics["loss"])
        accuracies.append(metrics["accuracy"])
        model.train_step(x, y)
    first = next((k for k, a in enumerate(accuracies) if a >= 0.98), None)
    stays = next((k for k in range(len(accuracies)) if min(accuracies[k:]) >= 0.98), None)
    worst_rise = max(b / a - 1.0 for a, b in itertools.pairwise(losses))
    return first, stays, worst_rise, losses[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--seeds", type=int, default=8)
    args = parser.parse_args()
    grid = [("momentum", 1.0), ("momentum", 2.0), ("adam", 0.05), ("adam", 0.1), ("adam", 0.15), ("adam", 0.2)]
    print("| optimizer | lr | seed | first epoch >= 98% | stays from | worst loss rise | final loss |")
    print("|---|---|---|---|---|---|---|")
    for optimizer, lr in grid:
        for seed in range(args.seeds):
            first, stays, rise, final = sweep(optimizer, lr, seed, args.epochs)
            print(f"| {optimizer} | {lr} | {seed} | {first} | {stays} | {rise:+.1%} | {final:.4f} |", flush=True)


if __name__ == "__main__":
    main()
