"""A learning rate that blows up stops the build at the first bad epoch, naming the network and the
epoch, instead of training on NaN.

The three diverging cases are networks side by side in one project and one `dbt build`; the
epoch each must stop at is where the numpy reference (tests/reference_mlp.py) first has a
parameter that is not finite or beyond 1e100, or optimizer state that is not finite.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import (
    DbtProject,
    build_networks,
    error_lines,
    spiral_settings,
    statuses,
)
from reference_mlp import ReferenceMLP, init_params

from sqlnn import scaffold
from sqlnn.spiral import make_spiral

EPOCHS = 6
DIVERGING = {
    # network: settings changed from the spiral's
    "overflow_to_inf": {"optimizer": "sgd", "learning_rate": 1e300, "init_scale": 1.0},
    "sgd_grows": {"optimizer": "sgd", "learning_rate": 1e40},
    "momentum_grows": {"optimizer": "momentum", "learning_rate": 1e30, "momentum": 0.9},
}
# what six epochs of the spiral's own network can do
GOOD = {key: spiral_settings()[key] for key in ("optimizer", "learning_rate", "init_scale")} | {
    "min_train_accuracy": 0.5,
    "max_final_loss_ratio": 0.95,
}


def _first_bad_epoch(settings: dict) -> int | None:
    """The step at which the reference's parameters or optimizer state go bad, as the guard sees them."""
    spiral = spiral_settings() | settings
    sizes = [len(spiral["features"]), *spiral["hidden"], spiral["classes"]]
    reference = ReferenceMLP(
        init_params(spiral["seed"], sizes, spiral["init_scale"]),
        activation=spiral["activation"],
        optimizer=spiral["optimizer"],
        learning_rate=spiral["learning_rate"],
        reg=spiral["reg"],
        momentum=spiral.get("momentum", 0.9),
    )
    x, y = make_spiral()
    with np.errstate(all="ignore"):
        for epoch in range(1, EPOCHS + 1):
            reference.train_step(x, y)
            values = np.concatenate([p.ravel() for p in reference.params.values()])
            state = [s.ravel() for st in reference.state.values() for s in st.values()]
            if not np.all(np.isfinite(values)) or np.any(np.abs(values) > 1e100):
                return epoch
            if state and not np.all(np.isfinite(np.concatenate(state))):
                return epoch
    return None


@pytest.fixture(scope="module")
def diverged(tmp_path_factory: pytest.TempPathFactory):
    return build_networks(tmp_path_factory.mktemp("divergence"), DIVERGING, EPOCHS)


@pytest.mark.parametrize("network", DIVERGING)
def test_divergence_stops_at_the_first_bad_epoch(diverged: tuple[DbtProject, object], network: str) -> None:
    project, result = diverged
    bad_epoch = _first_bad_epoch(DIVERGING[network])
    assert bad_epoch is not None and bad_epoch <= EPOCHS
    status = statuses(result)
    errors = {name: lines for name, lines in error_lines(result).items() if name.startswith(f"{network}_")}
    assert list(errors) == [scaffold.model_name(network, bad_epoch, "update")], errors
    (line,) = errors.popitem()[1]
    assert line.startswith(f"sqlnn: network {network}: training diverged at epoch {bad_epoch}: "), line
    rate = DIVERGING[network]["learning_rate"]
    assert f"; lower learning_rate (now {rate:g}), e.g. to {rate / 10:g}" in line
    for later in range(bad_epoch + 1, EPOCHS + 1):
        assert status[scaffold.model_name(network, later, "forward")] == "skipped"
    assert status[f"{network}_trained_params"] == "skipped"
    # nothing non-finite was written: the bad epoch's update does not exist, the earlier ones are finite
    tables = {name for (name,) in project.query("select table_name from information_schema.tables")}
    assert scaffold.model_name(network, bad_epoch, "update") not in tables
    for epoch in range(1, bad_epoch):
        (bad,) = project.query(
            f"select count(*) from {scaffold.model_name(network, epoch, 'update')}"
            " where not (isfinite(value) and isfinite(momentum_buffer) and isfinite(exp_avg) and isfinite(exp_avg_sq))"
        )[0]
        assert bad == 0


def test_a_run_after_divergence_with_a_good_rate_trains(diverged: tuple[DbtProject, object]) -> None:
    """Nothing the failed run left behind gets in the way of the next one in the same database."""
    project, _ = diverged
    assert _first_bad_epoch(GOOD) is None
    result = project.dbt("build", "--select", "tag:sgd_grows", settings={"sgd_grows": GOOD})
    assert result.success, {k: v for k, v in statuses(result).items() if v not in ("success", "pass")}
    losses = [loss for (loss,) in project.query("select loss from sgd_grows_training_history order by epoch")]
    assert len(losses) == EPOCHS and all(math.isfinite(loss) for loss in losses)
    assert losses[-1] < losses[0]
