"""Unknown or malformed settings stop dbt at compile time with a message naming the var."""

from __future__ import annotations

import pytest
from conftest import DbtProject


@pytest.mark.parametrize(
    ("vars", "message"),
    [
        ({"nn_activation": "gelu"}, "nn_activation 'gelu' is not one of relu, leaky_relu, tanh, sigmoid"),
        ({"nn_optimizer": "rmsprop"}, "nn_optimizer 'rmsprop' is not one of sgd, momentum, adam"),
        ({"nn_init_scale": "lecun"}, "nn_init_scale 'lecun' is neither a number nor one of he, xavier"),
        ({"nn_hidden": 100}, "nn_hidden must be a list of layer widths"),
        ({"nn_features": "x1"}, "nn_features must be a non-empty list of column names"),
        ({"nn_seed": -1}, "nn_seed must be a non-negative integer"),
        ({"nn_validation_fraction": 1}, "nn_validation_fraction must be a number in [0, 1)"),
        ({"nn_standardize": "yes"}, "nn_standardize must be true or false"),
    ],
    ids=["activation", "optimizer", "init_scale", "hidden", "features", "seed", "validation_fraction", "standardize"],
)
def test_bad_setting_fails_compile_with_its_name(project: DbtProject, vars: dict, message: str) -> None:
    result = project.dbt("compile", "--select", "epoch_0001_update", vars=vars)
    assert not result.success
    assert message in str(result.exception)
