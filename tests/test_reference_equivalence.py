"""After 10 epochs from the same starting parameters, SQL equals the numpy reference to 1e-9."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import DbtProject, assert_params_close, params_rows
from reference_mlp import ReferenceMLP

from sqlnn import scaffold
from sqlnn.spiral import make_spiral

EPOCHS = 10
RTOL = 1e-9
LEARNING_RATES = {"sgd": 0.5, "momentum": 0.2, "adam": 0.02}


def _start(sizes: list[int]) -> dict[tuple[int, str], np.ndarray]:
    # Large enough weights that every activation works away from its linear part.
    rng = np.random.RandomState(sum(sizes))
    params = {}
    for layer, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes), start=1):
        params[(layer, "W")] = rng.randn(fan_in, fan_out) * 0.8
        params[(layer, "b")] = rng.randn(fan_out) * 0.1
    return params


@pytest.mark.parametrize("hidden", [[7], [6, 5]], ids=["one_hidden", "two_hidden"])
@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_sql_training_equals_numpy(project: DbtProject, hidden: list[int], activation: str, optimizer: str) -> None:
    sizes = [2, *hidden, 3]
    start = _start(sizes)
    project.write_seed("start_params", ["layer", "param", "i", "j", "value"], params_rows(start))
    scaffold.write(project.path, EPOCHS)
    lr = LEARNING_RATES[optimizer]
    result = project.dbt(
        "build",
        "--exclude-resource-type",
        "test",
        "--exclude-resource-type",
        "unit_test",
        vars={
            "nn_hidden": hidden,
            "nn_activation": activation,
            "nn_optimizer": optimizer,
            "nn_learning_rate": lr,
            "nn_init_params": "start_params",
        },
    )
    assert result.success, result.exception

    x, y = make_spiral()
    reference = ReferenceMLP(
        {k: v.copy() for k, v in start.items()}, activation=activation, optimizer=optimizer, learning_rate=lr
    )
    losses = []
    for _ in range(EPOCHS):
        losses.append(reference.loss(x, y)["loss"])
        reference.train_step(x, y)

    assert_params_close(project.query("select layer, param, i, j, value from trained_params"), reference.params, RTOL)
    last_update = scaffold.model_name(EPOCHS, "update")
    for column in {"momentum": ["momentum_buffer"], "adam": ["exp_avg", "exp_avg_sq"]}.get(optimizer, []):
        state = {key: st[column] for key, st in reference.state.items()}
        rows = project.query(f"select layer, param, i, j, {column} from {last_update}")
        assert_params_close(rows, state, RTOL, what=column)
    history = [row[0] for row in project.query("select loss from training_history order by epoch")]
    np.testing.assert_allclose(history, losses, rtol=RTOL, atol=0)
