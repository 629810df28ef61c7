"""On DuckDB the list path (duckdb__forward/backprop/training_features) trains exactly like the portable long form."""

from __future__ import annotations

import pytest
from conftest import DbtProject, params_rows
from test_reference_equivalence import LEARNING_RATES, _start

from sqlnn import scaffold

EPOCHS = 4
RTOL = 1e-12
SPLIT = {"nn_validation_fraction": 0.2, "nn_standardize": True}
CASES = [
    ("relu", "adam", [7], {}),
    ("leaky_relu", "sgd", [6, 5], SPLIT),
    ("tanh", "momentum", [7], SPLIT),
    ("sigmoid", "adam", [6, 5], {}),
    ("relu", "momentum", [6, 5, 4], SPLIT),
    ("tanh", "adam", [4, 4], {}),
]
STATE = "select layer, param, i, j, value, momentum_buffer, exp_avg, exp_avg_sq from {} order by layer, param, i, j"


def _train(project: DbtProject, vars: dict) -> dict[str, list[tuple]]:
    result = project.dbt("build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test", vars=vars)
    assert result.success, result.exception
    last = scaffold.model_name(EPOCHS, "update")
    return {
        "gradients of epoch 1": project.query(
            f"select layer, param, i, j, gradient from {scaffold.model_name(1, 'backprop')} order by all"
        ),
        "parameters and optimizer state": project.query(STATE.format(last)),
        "training_history": project.query("select * from training_history order by epoch"),
        "predictions": project.query("select * from predictions order by row_id"),
    }


def _assert_close(fast: list[tuple], portable: list[tuple], what: str) -> None:
    assert len(fast) == len(portable), f"{what}: {len(fast)} rows on the list path, {len(portable)} portable"
    for fast_row, portable_row in zip(fast, portable, strict=True):
        for a, b in zip(fast_row, portable_row, strict=True):
            if isinstance(b, float):
                assert abs(a - b) <= RTOL * max(abs(b), 1e-300), f"{what}: {fast_row} != {portable_row}"
            else:
                assert a == b, f"{what}: {fast_row} != {portable_row}"


@pytest.mark.parametrize(("activation", "optimizer", "hidden", "data"), CASES, ids=lambda v: str(v))
def test_list_path_equals_portable_path(
    project: DbtProject, activation: str, optimizer: str, hidden: list[int], data: dict
) -> None:
    """data: with a validation split (backprop must use the training rows only) and standardised features."""
    sizes = [2, *hidden, 3]
    project.write_seed("start_params", ["layer", "param", "i", "j", "value"], params_rows(_start(sizes)))
    scaffold.write(project.path, EPOCHS)
    vars = {
        "nn_hidden": hidden,
        "nn_activation": activation,
        "nn_optimizer": optimizer,
        "nn_learning_rate": LEARNING_RATES[optimizer],
        "nn_init_params": "start_params",
        # three slices of 300 rows: uneven UNION ALL branches must not change anything
        "nn_duckdb_chunks": 3,
        **data,
    }
    portable = _train(project, {**vars, "nn_duckdb_list_path": False})
    fast = _train(project, vars)
    # the list path really ran: the forward table holds lists
    columns = {name for (name,) in project.query("select column_name from (describe training_features)")}
    assert "value_list" in columns
    for what in portable:
        _assert_close(fast[what], portable[what], what)
