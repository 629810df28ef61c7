"""The order of a network's training steps: epochs 1..E, each of batches 1..B (one step per epoch, batch
None, when B is 1). The scaffold chains its models in this order and the docs links follow it."""

from __future__ import annotations


def steps(epochs: int, batches: int = 1) -> list[tuple[int, int | None]]:
    """(epoch, batch) of every optimizer step in order; batch None in full batch (one step per epoch)."""
    if batches == 1:
        return [(epoch, None) for epoch in range(1, epochs + 1)]
    return [(epoch, batch) for epoch in range(1, epochs + 1) for batch in range(1, batches + 1)]


def previous_step(epoch: int, batch: int | None, batches: int) -> tuple[int, int | None] | None:
    """The (epoch, batch) of the step before this one, None for the first."""
    if batch is None or batch == 1:
        return None if epoch == 1 else (epoch - 1, None if batches == 1 else batches)
    return epoch, batch - 1


def next_step(epoch: int, batch: int | None, epochs: int, batches: int) -> tuple[int, int | None] | None:
    """The (epoch, batch) of the step after this one, None after the last."""
    if batch is None or batch == batches:
        return None if epoch == epochs else (epoch + 1, None if batches == 1 else 1)
    return epoch, batch + 1
