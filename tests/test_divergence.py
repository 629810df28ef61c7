"""A learning rate that blows up stops the build at the first bad epoch, naming it, instead of training on NaN."""

from __future__ import annotations

import math

import pytest
from conftest import DbtProject, statuses

from sqlnn import scaffold

EPOCHS = 6
DIVERGING = {
    # id: (vars, first bad epoch; the numpy reference, tests/reference_mlp.py, diverges at the same step)
    "overflow_to_inf": ({"nn_optimizer": "sgd", "nn_learning_rate": 1e300, "nn_init_scale": 1.0}, 1),
    "sgd_grows": ({"nn_optimizer": "sgd", "nn_learning_rate": 1e40}, 3),
    "momentum_grows": ({"nn_optimizer": "momentum", "nn_learning_rate": 1e30}, 4),
}


@pytest.mark.parametrize(("vars", "bad_epoch"), DIVERGING.values(), ids=DIVERGING.keys())
def test_divergence_stops_at_the_first_bad_epoch(project: DbtProject, vars: dict, bad_epoch: int) -> None:
    scaffold.write(project.path, EPOCHS)
    result = project.dbt("build", vars=vars)
    assert not result.success
    status = statuses(result)
    errors = {name: r.message for r in result.result.results if str(r.status) == "error" for name in [r.node.name]}
    assert list(errors) == [scaffold.model_name(bad_epoch, "update")], errors
    (line,) = [line.strip() for line in errors.popitem()[1].splitlines() if "sqlnn:" in line]
    assert f"sqlnn: training diverged at epoch {bad_epoch}: " in line
    rate = vars["nn_learning_rate"]
    assert f"; lower nn_learning_rate (now {rate:g}), e.g. to {rate / 10:g}" in line
    for later in range(bad_epoch + 1, EPOCHS + 1):
        assert status[scaffold.model_name(later, "forward")] == "skipped"
    assert status["trained_params"] == "skipped"
    # nothing non-finite was written: the bad epoch's update does not exist, the earlier ones are finite
    tables = {name for (name,) in project.query("select table_name from information_schema.tables")}
    assert scaffold.model_name(bad_epoch, "update") not in tables
    for epoch in range(1, bad_epoch):
        (bad,) = project.query(
            f"select count(*) from {scaffold.model_name(epoch, 'update')}"
            " where not (isfinite(value) and isfinite(momentum_buffer) and isfinite(exp_avg) and isfinite(exp_avg_sq))"
        )[0]
        assert bad == 0


def test_a_run_after_divergence_with_a_good_rate_trains(project: DbtProject) -> None:
    """Nothing the failed run left behind gets in the way of the next one in the same database."""
    scaffold.write(project.path, EPOCHS)
    assert not project.dbt("build", vars=DIVERGING["sgd_grows"][0]).success
    result = project.dbt("build", vars={"nn_min_train_accuracy": 0.5, "nn_max_final_loss_ratio": 0.95})
    assert result.success, statuses(result)
    losses = [loss for (loss,) in project.query("select loss from training_history order by epoch")]
    assert len(losses) == EPOCHS and all(math.isfinite(loss) for loss in losses)
