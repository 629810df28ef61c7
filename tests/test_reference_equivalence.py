"""After 10 epochs from the same starting parameters, SQL equals the numpy reference to 1e-9.

Each of the 24 cases (3 optimizers x 4 activations x 2 shapes) is a network of its own, with its
settings in dbt_project.yml and its warm start (`init_params`). The six networks of an activation
sit side by side in one project and train in ONE `dbt build` (only the models the comparison
reads): each must equal its own reference, so no setting, table or name leaks between networks.
Measured on the shared 2-core machine: one build of all 24 networks took 262 s (the per-model
cost of dbt and DuckDB grows with the project), four builds of six 156 s, and 24 builds of one
network reusing one scaffold through --vars about the same (156 s), without the side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import (
    DbtProject,
    assert_params_close,
    copy_project,
    params_rows,
    scaffold_like_spiral,
    start_params,
    statuses,
)
from reference_mlp import ReferenceMLP

from sqlnn import scaffold
from sqlnn.spiral import make_spiral

EPOCHS = 10
RTOL = 1e-9
SHAPES = {"one_hidden": [7], "two_hidden": [6, 5]}
ACTIVATIONS = ["relu", "leaky_relu", "tanh", "sigmoid"]
LEARNING_RATES = {"sgd": 0.5, "momentum": 0.2, "adam": 0.02}
# Every setting the update and the activations read, stated (never the library defaults), some
# away from the usual values so that a setting the SQL ignored would show.
HYPER = {"reg": 0.002, "momentum": 0.8, "beta1": 0.85, "beta2": 0.99, "epsilon": 1e-7, "leaky_relu_slope": 0.05}
CASES = [(o, a, s) for a in ACTIVATIONS for o in LEARNING_RATES for s in SHAPES]


def _name(optimizer: str, activation: str, shape: str) -> str:
    return f"{optimizer}_{activation}_{shape}"


def _sizes(shape: str) -> list[int]:
    return [2, *SHAPES[shape], 3]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], DbtProject]:
    """activation -> the project whose networks use it, built on first use."""
    built: dict[str, DbtProject] = {}

    def get(activation: str) -> DbtProject:
        if activation not in built:
            built[activation] = _build(tmp_path_factory.mktemp(activation) / "project", activation)
        return built[activation]

    return get


def _build(path: Path, activation: str) -> DbtProject:
    project = copy_project(path)
    project.remove_network("spiral")
    scaffold.remove_settings(project.path, "spiral")
    for shape in SHAPES:
        project.write_seed(
            f"start_{shape}", ["layer", "param", "i", "j", "value"], params_rows(start_params(_sizes(shape)))
        )
    cases = [case for case in CASES if case[1] == activation]
    for optimizer, _, shape in cases:
        scaffold_like_spiral(
            project,
            _name(optimizer, activation, shape),
            EPOCHS,
            hidden=SHAPES[shape],
            activation=activation,
            optimizer=optimizer,
            learning_rate=LEARNING_RATES[optimizer],
            init_params=f"start_{shape}",
            **HYPER,
        )
    assert set(project.networks()) == {_name(*case) for case in cases}
    needed = [f"+{_name(*case)}_{model}" for case in cases for model in ("trained_params", "training_history")]
    result = project.dbt(
        "build", "--select", *needed, "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"
    )
    assert result.success, result.exception or {k: v for k, v in statuses(result).items() if v != "success"}
    assert all(f"{_name(*case)}_epoch_{EPOCHS:04d}_update" in statuses(result) for case in cases)
    return project


@pytest.mark.parametrize(("optimizer", "activation", "shape"), CASES, ids=[_name(*case) for case in CASES])
def test_sql_training_equals_numpy(
    trained: Callable[[str], DbtProject], optimizer: str, activation: str, shape: str
) -> None:
    project = trained(activation)
    name = _name(optimizer, activation, shape)
    x, y = make_spiral()
    reference = ReferenceMLP(
        start_params(_sizes(shape)), activation=activation, optimizer=optimizer, learning_rate=LEARNING_RATES[optimizer]
    )
    for key, value in HYPER.items():
        setattr(reference, key, value)
    losses = []
    for _ in range(EPOCHS):
        losses.append(reference.loss(x, y)["loss"])
        reference.train_step(x, y)

    params = project.query(f"select layer, param, i, j, value from {name}_trained_params")
    assert_params_close(params, reference.params, RTOL)
    last_update = scaffold.model_name(name, EPOCHS, "update")
    for column in {"momentum": ["momentum_buffer"], "adam": ["exp_avg", "exp_avg_sq"]}.get(optimizer, []):
        state = {key: st[column] for key, st in reference.state.items()}
        rows = project.query(f"select layer, param, i, j, {column} from {last_update}")
        assert_params_close(rows, state, RTOL, what=column)
    history = [row[0] for row in project.query(f"select loss from {name}_training_history order by epoch")]
    np.testing.assert_allclose(history, losses, rtol=RTOL, atol=0)
