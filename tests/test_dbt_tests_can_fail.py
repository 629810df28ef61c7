"""The quality gates are real: training that diverges or stalls makes the network's dbt tests fail,
and the gates are the network's settings (min_train_accuracy, min_validation_accuracy,
max_loss_increase, max_final_loss_ratio), which the generic tests read through `network:`.

Five networks of six epochs on the spiral, side by side in one project and one `dbt build`:
- diverging: sgd at learning rate 1000; stalled: sgd at 1e-6; the rest of the spiral's settings;
- overflow: sgd at 1e300 from N(0, 1) weights: the divergence guard stops its first update
  (tests/test_divergence.py has the guard's cases);
- healthy: the spiral's settings with gates set for what six epochs can do;
- gated: like healthy with a validation split, loss rises of up to 100% allowed, and accuracy
  gates of 1.0 it cannot meet.
Then one `dbt test` with other gates through --vars changes the outcomes without retraining.
"""

from __future__ import annotations

import itertools
import math

import pytest
from conftest import DbtProject, build_networks, error_lines, spiral_settings

from sqlnn import scaffold

EPOCHS = 6
SHORT_RUN_GATES = {"min_train_accuracy": 0.5, "max_final_loss_ratio": 0.95}
NETWORKS = {
    "diverging": {"optimizer": "sgd", "learning_rate": 1000.0},
    "stalled": {"optimizer": "sgd", "learning_rate": 1e-6},
    "overflow": {"optimizer": "sgd", "learning_rate": 1e300, "init_scale": 1.0},
    "healthy": SHORT_RUN_GATES,
    "gated": {
        **SHORT_RUN_GATES,
        "max_loss_increase": 1.0,
        "validation_fraction": 0.2,
        "min_train_accuracy": 1.0,
        "min_validation_accuracy": 1.0,
    },
}
# The same networks' gates changed for one `dbt test`.
OTHER_GATES = {
    "healthy": {"max_final_loss_ratio": 0.01},
    "diverging": {"max_loss_increase": 1e9, "max_final_loss_ratio": 1e9, "min_train_accuracy": 0.0},
    "stalled": {"max_final_loss_ratio": 1.0, "min_train_accuracy": 0.0},
    "gated": {"min_train_accuracy": 0.0, "min_validation_accuracy": 0.0},
}
GATES = (
    "loss_decreases",
    "all_finite",
    "train_accuracy_at_least",
    "validation_accuracy_at_least",
    "initial_loss_is_ln_classes",
    "nonfinite_param_count",
)


def _network(node_name: str) -> str:
    (network,) = [n for n in NETWORKS if node_name.startswith(f"{n}_")]
    return network


def _tests(result) -> dict[str, dict[str, tuple[str, int]]]:
    """network -> gate -> (status, failing rows) of its dbt tests (not unit tests)."""
    found: dict[str, dict[str, tuple[str, int]]] = {name: {} for name in NETWORKS}
    for r in result.result.results:
        if r.node.resource_type != "test":
            continue
        model = r.node.attached_node.split(".")[-1]
        network = _network(model)
        gate = next((g for g in GATES if g in r.node.name), r.node.name)
        if gate == "all_finite":
            gate = f"all_finite {model.removeprefix(network + '_')}"
        found[network][gate] = (str(r.status), r.failures or 0)
    return found


def _failed(tests: dict[str, tuple[str, int]]) -> set[str]:
    return {gate for gate, (status, _) in tests.items() if status == "fail"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    return build_networks(tmp_path_factory.mktemp("gates"), NETWORKS, EPOCHS)


@pytest.fixture(scope="module")
def retested(built):
    """`dbt test` of the trained networks with OTHER_GATES as a --vars override."""
    project, _ = built
    result = project.dbt(
        "test",
        "--select",
        *[f"tag:{n}" for n in OTHER_GATES],
        "--exclude-resource-type",
        "unit_test",
        settings=OTHER_GATES,
    )
    assert result.result is not None, result.exception
    return result


def _losses(project: DbtProject, network: str) -> list[float]:
    return [loss for (loss,) in project.query(f"select loss from {network}_training_history order by epoch")]


def _expected_loss_failures(losses: list[float], max_increase: float, max_final_ratio: float) -> int:
    """The rows loss_decreases must return: every non-finite loss, every rise above max_increase
    between finite losses, and a final loss above max_final_ratio times the first."""
    not_finite = sum(not math.isfinite(loss) for loss in losses)
    pairs = [(a, b) for a, b in itertools.pairwise(losses) if math.isfinite(a) and math.isfinite(b)]
    rises = sum(b > a * (1 + max_increase) for a, b in pairs)
    return not_finite + rises + (not losses[-1] <= losses[0] * max_final_ratio)


def _models_ran(result, network: str) -> None:
    """Every model of the network's training ran (a failed accuracy gate on predictions makes dbt
    build skip the evaluation models after it)."""
    models = {r.node.name: str(r.status) for r in result.result.results if r.node.resource_type == "model"}
    mine = {name: s for name, s in models.items() if _network(name) == network}
    training = [scaffold.model_name(network, e, stage) for e in range(1, EPOCHS + 1) for stage in scaffold.STAGES]
    training += [f"{network}_{m}" for m in ("training_history", "trained_params", "predictions")]
    assert {name: mine[name] for name in training} == dict.fromkeys(training, "success")


def test_a_diverging_learning_rate_fails_loss_decreases_and_accuracy(built) -> None:
    project, result = built
    _models_ran(result, "diverging")  # the models ran; only the tests object
    tests = _tests(result)["diverging"]
    assert {"loss_decreases", "train_accuracy_at_least"} <= _failed(tests), tests
    spiral = spiral_settings()
    losses = _losses(project, "diverging")
    expected = _expected_loss_failures(losses, spiral["max_loss_increase"], spiral["max_final_loss_ratio"])
    assert tests["loss_decreases"] == ("fail", expected)


def test_a_stalled_training_fails_the_overall_drop_and_accuracy(built) -> None:
    project, result = built
    _models_ran(result, "stalled")
    tests = _tests(result)["stalled"]
    assert _failed(tests) == {"loss_decreases", "train_accuracy_at_least"}, tests
    losses = _losses(project, "stalled")
    assert len(losses) == EPOCHS
    assert all(b < a for a, b in itertools.pairwise(losses))  # falling, only far too slowly
    assert tests["loss_decreases"] == ("fail", 1)


def test_an_overflowing_learning_rate_is_stopped_by_the_divergence_guard(built) -> None:
    _, result = built
    errors = {name: lines for name, lines in error_lines(result).items() if _network(name) == "overflow"}
    assert list(errors) == [scaffold.model_name("overflow", 1, "update")], errors
    (line,) = errors[scaffold.model_name("overflow", 1, "update")]
    assert line.startswith("sqlnn: network overflow: training diverged at epoch 1: ")
    tests = _tests(result)["overflow"]
    gates = {gate: status for gate, (status, _) in tests.items() if gate in GATES or gate.startswith("all_finite")}
    assert len(gates) >= 6 and set(gates.values()) == {"skipped"}, gates  # nothing non-finite reached a gate


def test_a_healthy_short_run_passes_the_gates_set_for_it(built) -> None:
    """Six good epochs pass when the gates ask for what six epochs can do: the failures above are the training's."""
    _, result = built
    _models_ran(result, "healthy")
    tests = _tests(result)["healthy"]
    assert len(tests) >= 7 and {status for status, _ in tests.values()} == {"pass"}, tests
    assert not any(_network(name) == "healthy" for name in error_lines(result))


def test_accuracy_gates_come_from_the_network_settings(built) -> None:
    """gated asks for accuracy 1.0 on both splits: only the accuracy gates fail."""
    project, result = built
    _models_ran(result, "gated")
    accuracies = dict(
        project.query(
            "select split, avg(case when predicted_class = label then 1.0 else 0 end)"
            " from gated_predictions group by split"
        )
    )
    assert set(accuracies) == {"train", "validation"} and max(accuracies.values()) < 1.0, accuracies
    tests = _tests(result)["gated"]
    assert _failed(tests) == {"train_accuracy_at_least", "validation_accuracy_at_least"}, tests
    settings = NETWORKS["gated"]
    losses = _losses(project, "gated")
    assert _expected_loss_failures(losses, settings["max_loss_increase"], settings["max_final_loss_ratio"]) == 0
    assert tests["train_accuracy_at_least"][1] == tests["validation_accuracy_at_least"][1] == 1


def test_gates_changed_through_vars_change_the_outcome(built, retested) -> None:
    project, _ = built
    tests = _tests(retested)
    assert set(tests["overflow"]) == set()  # not selected
    # healthy, now asked for a final loss below 1% of the first
    assert _failed(tests["healthy"]) == {"loss_decreases"}, tests["healthy"]
    assert tests["healthy"]["loss_decreases"][1] == 1
    # diverging with rises and a final loss allowed, and no accuracy asked: every gate passes
    assert _failed(tests["diverging"]) == set(), tests["diverging"]
    expected = _expected_loss_failures(_losses(project, "diverging"), 1e9, 1e9)
    assert expected == 0 and tests["diverging"]["loss_decreases"] == ("pass", 0)
    # stalled, allowed any drop: passes, since its loss does fall
    assert _failed(tests["stalled"]) == set(), tests["stalled"]
    assert _failed(tests["gated"]) == set(), tests["gated"]
