"""Choose sqlnn's library defaults with a sweep over real datasets, using the numpy reference of the SQL.

    PYTHONPATH=src:tests python scripts/sweep_library_defaults.py [--quick] [--write docs/defaults_sweep.md]

Datasets: scikit-learn's bundled iris, wine, breast cancer and digits, and two generated ones
with a fixed random_state (noisy moons; a 20-feature, 4-class make_classification). Each is
split as the SQL splits it (`sqlnn.datasets.validation_split`: stratified, exact per class, by
hashes of content-ordered row_ids) with the default validation fraction 0.2 and split seed 0,
and standardised with the training split's mean and population std (std 0 -> 1).

The numpy reference (tests/reference_mlp.py, equal to the SQL within 1e-9) trains one hidden
layer of 100 relu units, reg 0.001, nn_seed 6, one full-batch step per epoch, logging the loss
`training_history` logs (epoch 1 = the initial network; the last row is the network entering
the last step). A dataset passes a candidate when, with the proposed gate defaults:

- loss rise: no epoch's loss exceeds the previous epoch's by more than nn_max_loss_increase;
- final ratio: the last logged loss is at most nn_max_final_loss_ratio x the first;
- train acc: the trained network's training accuracy is at least nn_min_train_accuracy;
- vs sklearn: its validation accuracy is at least scikit-learn's mean minus 0.02, scikit-learn
  being MLPClassifier as a user would pick it (the same hidden layer sizes, rows and
  standardisation; its default adam solver, lr 1e-3, minibatches of 200, alpha 1e-4, run until
  its own convergence test, max_iter 2000) over random_states 0-4.

Stage 1 trains every grid point (optimizer x learning rate x init_scale, scored at 100, 150
and 200 epochs) with nn_seed 6. Stage 2 re-trains the settings of stage 1 that pass the most
datasets (at most --top of them) with nn_seeds 0-4 for the default [100] network, and 0-2 for
[100, 100] and [64, 64, 64] (a user who adds layers keeps the other defaults). The choice is
the (setting, epochs) passing the most runs of both stages; ties go to fewer epochs, then to
the smaller worst loss rise. The choice is then trained
at 100x its learning rate (the loss gates must fail: divergence) and at 1/100 (a stall).

The full run takes about 6 minutes of CPU (one core); docs/defaults_sweep.md is its output.
`--quick` (a smaller grid, nn_seed 0 only in stage 2) is a smoke test of the script, not a
substitute: with one seed its choice can differ.
"""

from __future__ import annotations

import argparse
import itertools
import math
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np
from sklearn import datasets as sk_datasets
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_limits

from sqlnn.datasets import validation_split

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from reference_mlp import Params, ReferenceMLP, init_params  # noqa: E402

InitScale = float | str
Network = tuple[int, ...]

DEFAULT_HIDDEN: Network = (100,)
DEEPER_HIDDEN: tuple[Network, ...] = ((100, 100), (64, 64, 64))
ACTIVATION = "relu"
REG = 0.001
VALIDATION_FRACTION = 0.2
SPLIT_SEED = 0
DEFAULT_SEED = 6
ROBUSTNESS_SEEDS = (0, 1, 2, 3, 4)
DEEPER_SEEDS = (0, 1, 2)
SKLEARN_STATES = (0, 1, 2, 3, 4)
SKLEARN_SLACK = 0.02
EPOCH_CHOICES = (100, 150, 200)
# The SQL's divergence guard (stop_on_divergence): a NaN/inf parameter or one above 1e100 stops the build.
GUARD_LIMIT = 1e100
CRITERIA = ("loss rise", "final ratio", "train acc", "vs sklearn")


@dataclass(frozen=True)
class Gates:
    max_loss_increase: float
    max_final_loss_ratio: float
    min_train_accuracy: float


CURRENT_GATES = Gates(max_loss_increase=0.05, max_final_loss_ratio=0.3, min_train_accuracy=0.98)
PROPOSED_GATES = Gates(max_loss_increase=0.05, max_final_loss_ratio=0.5, min_train_accuracy=0.8)


@dataclass(frozen=True)
class Dataset:
    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray

    @property
    def features(self) -> int:
        return self.x_train.shape[1]

    @property
    def classes(self) -> int:
        return int(max(self.y_train.max(), self.y_val.max())) + 1


@dataclass(frozen=True)
class Setting:
    optimizer: str
    learning_rate: float
    init_scale: InitScale
    epochs: int = EPOCH_CHOICES[-1]

    def label(self) -> str:
        return f"{self.optimizer}, lr {self.learning_rate:g}, init {self.init_scale}, {self.epochs} epochs"


@dataclass(frozen=True)
class Outcome:
    first_loss: float
    last_loss: float
    max_rise: float
    train_accuracy: float
    val_accuracy: float
    val_log_loss: float
    diverged: bool = False


@dataclass(frozen=True)
class Baseline:
    mean: float
    low: float
    high: float
    log_loss: float


@dataclass(frozen=True)
class Candidate:
    setting: Setting
    stage1: int
    stage2: int
    worst_rise: float
    worst_margin: float


# --- data -----------------------------------------------------------------------------------


def raw_datasets() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    loaders: dict[str, Callable[[], tuple[np.ndarray, np.ndarray]]] = {
        "iris": lambda: sk_datasets.load_iris(return_X_y=True),
        "wine": lambda: sk_datasets.load_wine(return_X_y=True),
        "breast cancer": lambda: sk_datasets.load_breast_cancer(return_X_y=True),
        "digits": lambda: sk_datasets.load_digits(return_X_y=True),
        "moons (noise 0.3)": lambda: sk_datasets.make_moons(n_samples=500, noise=0.3, random_state=0),
        "classification (4 classes)": lambda: sk_datasets.make_classification(
            n_samples=1000, n_features=20, n_informative=8, n_redundant=4, n_classes=4, random_state=0
        ),
    }
    found = {name: load() for name, load in loaders.items()}
    return {name: (np.asarray(x, dtype=float), np.asarray(y, dtype=int)) for name, (x, y) in found.items()}


def standardise(x_train: np.ndarray, x_val: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The SQL's feature_scaling: mean and population std of the training split, std 0 -> 1."""
    mean = x_train.mean(axis=0)
    std = x_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return (x_train - mean) / std, (x_val - mean) / std


def prepare(name: str, x: np.ndarray, y: np.ndarray) -> Dataset:
    is_validation = validation_split(x, y, VALIDATION_FRACTION, SPLIT_SEED)
    x_train, x_val = standardise(x[~is_validation], x[is_validation])
    return Dataset(name, x_train, y[~is_validation], x_val, y[is_validation])


def load_datasets() -> list[Dataset]:
    return [prepare(name, x, y) for name, (x, y) in raw_datasets().items()]


# --- the numpy reference of the SQL ---------------------------------------------------------


@cache
def initial_params(seed: int, sizes: tuple[int, ...], init_scale: InitScale) -> Params:
    return init_params(seed, list(sizes), init_scale)


def max_rise(losses: Sequence[float]) -> float:
    return max((b / a - 1.0 for a, b in itertools.pairwise(losses)), default=0.0)


def guard_trips(model: ReferenceMLP) -> bool:
    return any(not np.all(np.abs(p) <= GUARD_LIMIT) for p in model.params.values())


def train(data: Dataset, setting: Setting, seed: int, hidden: Network = DEFAULT_HIDDEN) -> dict[int, Outcome]:
    """Outcome after each of EPOCH_CHOICES epochs (up to setting.epochs), as training_history and predictions see it."""
    sizes = (data.features, *hidden, data.classes)
    model = ReferenceMLP(
        dict(initial_params(seed, sizes, setting.init_scale)),
        activation=ACTIVATION,
        optimizer=setting.optimizer,
        learning_rate=setting.learning_rate,
        reg=REG,
    )
    wanted = {e for e in EPOCH_CHOICES if e <= setting.epochs} | {setting.epochs}
    losses: list[float] = []
    outcomes: dict[int, Outcome] = {}
    with np.errstate(all="ignore"):
        for epoch in range(1, setting.epochs + 1):
            losses.append(model.loss(data.x_train, data.y_train)["loss"])
            model.train_step(data.x_train, data.y_train)
            if guard_trips(model) or not math.isfinite(losses[-1]):
                stopped = Outcome(losses[0], losses[-1], max_rise(losses), 0.0, 0.0, math.inf, diverged=True)
                return {e: outcomes.get(e, stopped) for e in wanted}
            if epoch in wanted:
                train_accuracy = model.loss(data.x_train, data.y_train)["accuracy"]
                val = model.loss(data.x_val, data.y_val)
                rise = max_rise(losses)
                outcomes[epoch] = Outcome(
                    losses[0], losses[-1], rise, train_accuracy, val["accuracy"], val["data_loss"]
                )
    return outcomes


# --- scikit-learn ---------------------------------------------------------------------------


def sklearn_scores(data: Dataset, random_state: int) -> tuple[float, float]:
    model = MLPClassifier(
        hidden_layer_sizes=DEFAULT_HIDDEN, activation=ACTIVATION, max_iter=2000, random_state=random_state
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(data.x_train, data.y_train)
    probabilities = model.predict_proba(data.x_val)
    return float(model.score(data.x_val, data.y_val)), float(log_loss(data.y_val, probabilities, labels=model.classes_))


def sklearn_baseline(data: Dataset) -> Baseline:
    scores = [sklearn_scores(data, state) for state in SKLEARN_STATES]
    accuracies = [accuracy for accuracy, _ in scores]
    return Baseline(
        statistics.fmean(accuracies), min(accuracies), max(accuracies), statistics.fmean(ll for _, ll in scores)
    )


# --- criteria -------------------------------------------------------------------------------


def verdicts(outcome: Outcome, baseline: Baseline, gates: Gates = PROPOSED_GATES) -> dict[str, bool]:
    return {
        "loss rise": not outcome.diverged and outcome.max_rise <= gates.max_loss_increase,
        "final ratio": not outcome.diverged and outcome.last_loss <= gates.max_final_loss_ratio * outcome.first_loss,
        "train acc": outcome.train_accuracy >= gates.min_train_accuracy,
        "vs sklearn": outcome.val_accuracy >= baseline.mean - SKLEARN_SLACK,
    }


def passes(outcome: Outcome, baseline: Baseline, gates: Gates = PROPOSED_GATES) -> bool:
    return all(verdicts(outcome, baseline, gates).values())


def loss_gates_catch(outcome: Outcome, baseline: Baseline) -> bool:
    v = verdicts(outcome, baseline)
    return not (v["loss rise"] and v["final ratio"])


# --- the sweep ------------------------------------------------------------------------------


def grid(quick: bool) -> list[Setting]:
    rates = {
        "adam": (0.003, 0.01, 0.03, 0.15) if quick else (0.001, 0.003, 0.01, 0.02, 0.05, 0.15),
        "momentum": (0.1, 0.3) if quick else (0.03, 0.1, 0.3),
        "sgd": (1.0,) if quick else (0.3, 1.0, 3.0),
    }
    scales: tuple[InitScale, ...] = (0.01, "he", "xavier")
    return [Setting(opt, lr, scale) for opt, lrs in rates.items() for lr in lrs for scale in scales]


# (dataset name, setting with its epochs, nn_seed, hidden) -> outcome
Results = dict[tuple[str, Setting, int, Network], Outcome]


def run(data: list[Dataset], settings: Iterable[Setting], seeds: Iterable[int], hidden: Network) -> Results:
    results: Results = {}
    for setting, seed, dataset in itertools.product(settings, seeds, data):
        for epochs, outcome in train(dataset, setting, seed, hidden).items():
            results[(dataset.name, replace(setting, epochs=epochs), seed, hidden)] = outcome
    return results


def passing(results: Results, baselines: dict[str, Baseline], setting: Setting) -> int:
    return sum(passes(o, baselines[name]) for (name, s, _, _), o in results.items() if s == setting)


def outcomes_of(results: Results, setting: Setting) -> list[tuple[str, Outcome]]:
    return [(name, o) for (name, s, _, _), o in results.items() if s == setting]


def mean_margin(results: Results, baselines: dict[str, Baseline], setting: Setting) -> float:
    return statistics.fmean(o.val_accuracy - baselines[name].mean for name, o in outcomes_of(results, setting))


def with_epochs(settings: Iterable[Setting]) -> list[Setting]:
    return [replace(s, epochs=e) for s in settings for e in EPOCH_CHOICES]


def stage1(results: Results, baselines: dict[str, Baseline], settings: list[Setting], top: int) -> list[Setting]:
    """The settings whose best epoch count passes the most datasets at nn_seed 6 (at most `top` of them).

    Ties: more epoch counts at that best, then the larger mean of val acc - sklearn mean."""

    def key(setting: Setting) -> tuple[int, int, float]:
        counts = [passing(results, baselines, s) for s in with_epochs([setting])]
        margins = [mean_margin(results, baselines, s) for s in with_epochs([setting])]
        best = max(counts)
        return best, counts.count(best), max(m for c, m in zip(counts, margins, strict=True) if c == best)

    ranked = sorted(settings, key=key, reverse=True)
    best = key(ranked[0])[0]
    return [s for s in ranked if key(s)[0] == best][:top]


def stage2(
    data: list[Dataset],
    baselines: dict[str, Baseline],
    finalists: list[Setting],
    seeds: tuple[Sequence[int], Sequence[int]],
    first: Results,
) -> tuple[list[Candidate], Results]:
    """Each finalist over `seeds[0]` with the default network and `seeds[1]` with each deeper one."""
    robust = run(data, finalists, seeds[0], DEFAULT_HIDDEN)
    for hidden in DEEPER_HIDDEN:
        robust.update(run(data, finalists, seeds[1], hidden))
    candidates = []
    for setting in with_epochs(finalists):
        runs = outcomes_of(robust, setting)
        candidates.append(
            Candidate(
                setting,
                passing(first, baselines, setting),
                passing(robust, baselines, setting),
                max(o.max_rise for _, o in runs),
                min(o.val_accuracy - baselines[name].mean for name, o in runs),
            )
        )
    return sorted(candidates, key=lambda c: (-c.stage1 - c.stage2, c.setting.epochs, c.worst_rise)), robust


# --- tables ---------------------------------------------------------------------------------


def span(seeds: Sequence[int]) -> str:
    return f"{seeds[0]}-{seeds[-1]}" if len(seeds) > 1 else str(seeds[0])


def mark(ok: bool) -> str:
    return "pass" if ok else "**FAIL**"


def defaults_table(data: list[Dataset], results: dict[str, Outcome], baselines: dict[str, Baseline]) -> list[str]:
    lines = [
        "| dataset | rows train/val (1 val row =) | features | classes | loss epoch 1 | loss last | max rise "
        "| train acc | val acc | sklearn val acc mean (min-max) | val log loss (sklearn) | "
        + " | ".join(CRITERIA)
        + " | current gates |",
        "|---|---|---|---|---|---|---|---|---|---|---|" + "---|" * (len(CRITERIA) + 1),
    ]
    for dataset in data:
        o, b = results[dataset.name], baselines[dataset.name]
        marks = " | ".join(mark(ok) for ok in verdicts(o, b).values())
        failed = [c for c, ok in verdicts(o, b, CURRENT_GATES).items() if not ok and c != "vs sklearn"]
        current = "fails " + ", ".join(failed) if failed else "pass"
        rows = f"{len(dataset.y_train)}/{len(dataset.y_val)} ({100 / len(dataset.y_val):.1f} pt)"
        lines.append(
            f"| {dataset.name} | {rows} | {dataset.features} | {dataset.classes} "
            f"| {o.first_loss:.4f} | {o.last_loss:.4f} | {o.max_rise:+.2%} | {o.train_accuracy:.4f} "
            f"| {o.val_accuracy:.4f} | {b.mean:.4f} ({b.low:.4f}-{b.high:.4f}) "
            f"| {o.val_log_loss:.3f} ({b.log_loss:.3f}) | {marks} | {current} |"
        )
    return lines


def candidates_table(
    candidates: list[Candidate], datasets: int, seeds: tuple[Sequence[int], Sequence[int]]
) -> list[str]:
    """One row per stage-2 setting, at its best epoch count (candidates come ranked)."""
    robust = datasets * (len(seeds[0]) + len(seeds[1]) * len(DEEPER_HIDDEN))
    deeper = " and ".join(str(list(h)) for h in DEEPER_HIDDEN)
    lines = [
        f"| candidate (best epoch count) | datasets passing, nn_seed {DEFAULT_SEED} (of {datasets}) "
        f"| runs passing: nn_seeds {span(seeds[0])} x {list(DEFAULT_HIDDEN)}, "
        f"{span(seeds[1])} x {deeper} (of {robust}) "
        "| worst loss rise (stage 2) | worst val acc - sklearn mean (stage 2) |",
        "|---|---|---|---|---|",
    ]
    shown: set[Setting] = set()
    for c in candidates:
        if replace(c.setting, epochs=0) in shown:
            continue
        shown.add(replace(c.setting, epochs=0))
        lines.append(f"| {c.setting.label()} | {c.stage1} | {c.stage2} | {c.worst_rise:+.2%} | {c.worst_margin:+.4f} |")
    return lines


def grid_table(results: Results, baselines: dict[str, Baseline], settings: list[Setting], datasets: int) -> list[str]:
    header = " | ".join(f"{e} epochs" for e in EPOCH_CHOICES)
    lines = [
        f"| optimizer | lr | init | datasets passing, nn_seed {DEFAULT_SEED} (of {datasets}): {header} |",
        "|---|---|---|" + "---|" * len(EPOCH_CHOICES),
    ]
    for s in settings:
        counts = " | ".join(str(passing(results, baselines, t)) for t in with_epochs([s]))
        lines.append(f"| {s.optimizer} | {s.learning_rate:g} | {s.init_scale} | {counts} |")
    return lines


def scaled_table(data: list[Dataset], baselines: dict[str, Baseline], chosen: Setting) -> list[str]:
    lines = [
        "| dataset | lr x | loss epoch 1 | loss last | max rise | loss rise gate | final ratio gate "
        "| train acc | caught |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for factor, dataset in itertools.product((100.0, 0.01), data):
        setting = replace(chosen, learning_rate=chosen.learning_rate * factor)
        o = train(dataset, setting, DEFAULT_SEED)[setting.epochs]
        v = verdicts(o, baselines[dataset.name])
        if o.diverged:
            caught = "yes: the divergence guard stops the build"
        else:
            caught = "yes" if loss_gates_catch(o, baselines[dataset.name]) else "**no**"
        lines.append(
            f"| {dataset.name} | {factor:g} | {o.first_loss:.4f} | {o.last_loss:.4g} | {o.max_rise:+.1%} "
            f"| {mark(v['loss rise'])} | {mark(v['final ratio'])} | {o.train_accuracy:.4f} | {caught} |"
        )
    return lines


def gate_row(
    name: str, current: float, proposed: float, worst: Callable[[list[Outcome]], float]
) -> Callable[[list[list[Outcome]]], str]:
    def row(groups: list[list[Outcome]]) -> str:
        return f"| {name} | {current:g} | {proposed:g} | " + " | ".join(f"{worst(g):.4f}" for g in groups) + " |"

    return row


def gates_table(groups: dict[str, list[Outcome]]) -> list[str]:
    """The worst value of each gated quantity for the chosen defaults, per group of runs."""
    rows = [
        gate_row(
            "max_loss_increase (worst rise)",
            CURRENT_GATES.max_loss_increase,
            PROPOSED_GATES.max_loss_increase,
            lambda g: max(o.max_rise for o in g),
        ),
        gate_row(
            "max_final_loss_ratio (worst last / first)",
            CURRENT_GATES.max_final_loss_ratio,
            PROPOSED_GATES.max_final_loss_ratio,
            lambda g: max(o.last_loss / o.first_loss for o in g),
        ),
        gate_row(
            "min_train_accuracy (lowest)",
            CURRENT_GATES.min_train_accuracy,
            PROPOSED_GATES.min_train_accuracy,
            lambda g: min(o.train_accuracy for o in g),
        ),
    ]
    values = list(groups.values())
    return [
        "| gate | current | proposed | " + " | ".join(groups) + " |",
        "|---|---|---|" + "---|" * len(groups),
        *(row(values) for row in rows),
    ]


def gate_groups(first: Results, robust: Results, chosen: Setting) -> dict[str, list[Outcome]]:
    def pick(results: Results, networks: Iterable[Network]) -> list[Outcome]:
        return [o for (_, s, _, h), o in results.items() if s == chosen and h in networks]

    return {
        f"nn_seed {DEFAULT_SEED}, {list(DEFAULT_HIDDEN)}": pick(first, [DEFAULT_HIDDEN]),
        f"stage 2, {list(DEFAULT_HIDDEN)}": pick(robust, [DEFAULT_HIDDEN]),
        "stage 2, deeper": pick(robust, DEEPER_HIDDEN),
    }


# --- main -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sweep:
    data: list[Dataset]
    baselines: dict[str, Baseline]
    settings: list[Setting]
    seeds: tuple[Sequence[int], Sequence[int]]
    first: Results
    robust: Results
    candidates: list[Candidate]

    @property
    def chosen(self) -> Setting:
        return self.candidates[0].setting

    def outcomes(self, setting: Setting) -> dict[str, Outcome]:
        return {name: o for (name, s, _, _), o in self.first.items() if s == setting}


def sweep(quick: bool, top: int) -> Sweep:
    data = load_datasets()
    baselines = {d.name: sklearn_baseline(d) for d in data}
    settings = grid(quick)
    first = run(data, settings, [DEFAULT_SEED], DEFAULT_HIDDEN)
    finalists = stage1(first, baselines, settings, top)
    seeds = ((0,), (0,)) if quick else (ROBUSTNESS_SEEDS, DEEPER_SEEDS)
    candidates, robust = stage2(data, baselines, finalists, seeds, first)
    return Sweep(data, baselines, settings, seeds, first, robust, candidates)


def summary(s: Sweep, command: str) -> list[str]:
    return [
        "# Library defaults: the sweep",
        "",
        f"Generated by `{command}` (the numpy reference of the SQL; see the script's docstring).",
        "",
        f"Chosen: **{s.chosen.label()}**, hidden {list(DEFAULT_HIDDEN)}, {ACTIVATION}, reg {REG}, nn_seed"
        f" {DEFAULT_SEED}, standardize true, validation_fraction {VALIDATION_FRACTION}, split_seed {SPLIT_SEED}.",
        f"Proposed gates: max_loss_increase {PROPOSED_GATES.max_loss_increase}, max_final_loss_ratio"
        f" {PROPOSED_GATES.max_final_loss_ratio}, min_train_accuracy {PROPOSED_GATES.min_train_accuracy}"
        f" (current: {CURRENT_GATES.max_loss_increase}, {CURRENT_GATES.max_final_loss_ratio},"
        f" {CURRENT_GATES.min_train_accuracy}). vs sklearn: val acc >= sklearn mean - {SKLEARN_SLACK}.",
    ]


def render(s: Sweep, command: str) -> list[str]:
    chosen = s.chosen
    current = Setting("adam", 0.15, 0.01, chosen.epochs)
    before = {d.name: train(d, current, DEFAULT_SEED)[current.epochs] for d in s.data}
    return [
        *summary(s, command),
        "",
        f"## The chosen defaults, per dataset (nn_seed {DEFAULT_SEED})",
        "",
        *defaults_table(s.data, s.outcomes(chosen), s.baselines),
        "",
        "## The gates: worst values of the chosen defaults over all datasets",
        "",
        *gates_table(gate_groups(s.first, s.robust, chosen)),
        "",
        "## Stage 2: the best settings of stage 1, over more seeds and deeper networks",
        "",
        *candidates_table(s.candidates, len(s.data), s.seeds),
        "",
        f"## Stage 1: the grid (nn_seed {DEFAULT_SEED}, hidden {list(DEFAULT_HIDDEN)})",
        "",
        *grid_table(s.first, s.baselines, s.settings, len(s.data)),
        "",
        f"## The chosen defaults at 100x and 1/100 of lr {chosen.learning_rate:g}: do the loss gates catch it?",
        "",
        *scaled_table(s.data, s.baselines, chosen),
        "",
        f"## Before: the current defaults (adam, lr 0.15, init 0.01), {current.epochs} epochs",
        "",
        *defaults_table(s.data, before, s.baselines),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke test: a smaller grid, nn_seed 0 only in stage 2")
    parser.add_argument("--write", type=Path, help="also write the report (markdown) to this file")
    parser.add_argument("--top", type=int, default=12, help="at most this many settings go on to stage 2")
    args = parser.parse_args()
    command = "PYTHONPATH=src:tests python scripts/sweep_library_defaults.py" + (" --quick" if args.quick else "")
    command += f" --write {args.write}" if args.write else ""
    started, cpu = time.perf_counter(), time.process_time()
    with threadpool_limits(1):
        lines = render(sweep(args.quick, args.top), command)
    lines.append(
        f"\nTime: {time.process_time() - cpu:.0f} s of CPU, {time.perf_counter() - started:.0f} s of wall time"
        " (one BLAS thread; the wall time depends on the machine's load)."
    )
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.write:
        args.write.write_text(text)


if __name__ == "__main__":
    main()
