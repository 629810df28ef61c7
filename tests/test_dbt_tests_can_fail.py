"""The quality gates are real: training that diverges or stalls makes the dbt tests fail.

Overflowing parameters no longer reach the gates: the update of the first bad epoch
stops the build (tests/test_divergence.py); all_finite's own branches are covered on
fixture models in tests/test_generic_tests.py.
"""

from __future__ import annotations

from conftest import DbtProject, statuses

from sqlnn import scaffold


def _failed_tests(project: DbtProject, epochs: int, vars: dict) -> set[str]:
    scaffold.write(project.path, epochs)
    result = project.dbt("build", vars=vars)
    status = statuses(result)
    models = {name: s for name, s in status.items() if name.startswith("epoch_")}
    assert set(models.values()) == {"success"}, models  # the models ran; only the tests may object
    return {name for name, s in status.items() if s == "fail"}


GATES = (
    "loss_decreases",
    "all_finite_training_history",
    "all_finite_trained_params",
    "accuracy_at_least",
    "nonfinite_param_count",
)


def _test_names(failed: set[str]) -> set[str]:
    """Which of the project's gates the failed dbt tests are."""
    return {gate for gate in GATES for name in failed if gate in name}


def test_a_diverging_learning_rate_fails_loss_decreases(project: DbtProject) -> None:
    failed = _failed_tests(project, 6, {"nn_optimizer": "sgd", "nn_learning_rate": 1000.0})
    assert {"loss_decreases", "accuracy_at_least"} <= _test_names(failed), failed


def test_a_stalled_training_fails_the_overall_drop_and_accuracy(project: DbtProject) -> None:
    failed = _failed_tests(project, 6, {"nn_optimizer": "sgd", "nn_learning_rate": 1e-6})
    assert _test_names(failed) == {"loss_decreases", "accuracy_at_least"}, failed
    rows = project.query("select count(*) from training_history")
    assert rows == [(6,)]


def test_a_healthy_short_run_passes_the_same_gates_set_for_it(project: DbtProject) -> None:
    """Six good epochs pass when the gates ask for what six epochs can do: the failures above are the training's."""
    scaffold.write(project.path, 6)
    result = project.dbt("build", vars={"nn_min_train_accuracy": 0.5, "nn_max_final_loss_ratio": 0.95})
    assert result.success, statuses(result)
