"""Unknown or malformed settings stop dbt at compile time with one line naming the var and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DbtProject, copy_project

from sqlnn import scaffold

BAD_SETTINGS = {
    # id: (vars, the line dbt must print)
    "activation": ({"nn_activation": "gelu"}, "nn_activation 'gelu' is not one of relu, leaky_relu, tanh, sigmoid"),
    "optimizer": ({"nn_optimizer": "rmsprop"}, "nn_optimizer 'rmsprop' is not one of sgd, momentum, adam"),
    "init_scale_name": ({"nn_init_scale": "lecun"}, "nn_init_scale 'lecun' is neither a number nor one of he, xavier"),
    "init_scale_negative": ({"nn_init_scale": -1}, "nn_init_scale must be a positive number or one of he, xavier"),
    "hidden_number": ({"nn_hidden": 100}, "nn_hidden must be a non-empty list of layer widths"),
    "hidden_empty": ({"nn_hidden": []}, "nn_hidden must be a non-empty list of layer widths"),
    "hidden_fraction": ({"nn_hidden": [10.5]}, "nn_hidden widths must be positive integers"),
    "hidden_word": ({"nn_hidden": ["wide"]}, "nn_hidden widths must be positive integers"),
    "hidden_zero": ({"nn_hidden": [8, 0]}, "nn_hidden widths must be positive integers"),
    "features_string": ({"nn_features": "x1"}, "nn_features must be a non-empty list of column names"),
    "features_empty": ({"nn_features": []}, "nn_features must be a non-empty list of column names"),
    "features_number": ({"nn_features": ["x1", 2]}, "nn_features must list column names (strings), got 2"),
    "features_twice": ({"nn_features": ["x1", "X1"]}, "nn_features lists a column twice"),
    "label_is_feature": ({"nn_label": "x2"}, "nn_label 'x2' is also in nn_features"),
    "classes_one": ({"nn_classes": 1}, "nn_classes must be an integer of at least 2"),
    "classes_fraction": ({"nn_classes": 2.5}, "nn_classes must be an integer of at least 2"),
    "learning_rate_zero": ({"nn_learning_rate": 0}, "nn_learning_rate must be a positive number"),
    "learning_rate_negative": ({"nn_learning_rate": -0.1}, "nn_learning_rate must be a positive number"),
    "learning_rate_word": ({"nn_learning_rate": "fast"}, "nn_learning_rate must be a positive number"),
    "learning_rate_nan": ({"nn_learning_rate": "nan"}, "nn_learning_rate must be a positive number"),
    "reg_negative": ({"nn_reg": -0.001}, "nn_reg must be a number >= 0"),
    "momentum_one": ({"nn_momentum": 1.0}, "nn_momentum must be in [0, 1)"),
    "beta1_negative": ({"nn_beta1": -0.1}, "nn_beta1 must be in [0, 1)"),
    "beta2_above_one": ({"nn_beta2": 1.5}, "nn_beta2 must be in [0, 1)"),
    "epsilon_zero": ({"nn_epsilon": 0}, "nn_epsilon must be a positive number"),
    "leaky_slope_word": ({"nn_leaky_relu_slope": "steep"}, "nn_leaky_relu_slope must be a number >= 0"),
    "seed_negative": ({"nn_seed": -1}, "nn_seed must be a non-negative integer"),
    "validation_fraction": ({"nn_validation_fraction": 1}, "nn_validation_fraction must be a number in [0, 1)"),
    "standardize": ({"nn_standardize": "yes"}, "nn_standardize must be true or false"),
    "split_seed": ({"nn_split_seed": -3}, "nn_split_seed must be a non-negative integer"),
}


@pytest.fixture(scope="module")
def one_epoch(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    """The project with one epoch: parsing is what fails, and it is quicker with fewer models."""
    project = copy_project(tmp_path_factory.mktemp("config") / "project")
    scaffold.write(project.path, 1)
    return project


@pytest.mark.parametrize(("vars", "message"), BAD_SETTINGS.values(), ids=BAD_SETTINGS.keys())
def test_bad_setting_fails_compile_with_one_line_naming_it(one_epoch: DbtProject, vars: dict, message: str) -> None:
    result = project_compile(one_epoch, vars)
    assert not result.success
    first_line = str(result.exception.msg if hasattr(result.exception, "msg") else result.exception).splitlines()[0]
    assert first_line.startswith("sqlnn: ")
    assert message in first_line


def test_numbers_written_as_yaml_strings_are_read_as_numbers(one_epoch: DbtProject) -> None:
    """`--vars '{nn_learning_rate: 1e-3}'` is the string '1e-3' in YAML 1.1: it must still mean 0.001."""
    result = project_compile(one_epoch, {"nn_learning_rate": "1e-3", "nn_optimizer": "sgd"})
    assert result.success, result.exception
    compiled = Path(one_epoch.path / "target" / "compiled" / "sqlnn" / "models" / "generated" / "epoch_0001_update.sql")
    assert "cast(0.001 as double) * g.gradient" in compiled.read_text()


def project_compile(project: DbtProject, vars: dict):
    return project.dbt("compile", "--select", "epoch_0001_update", vars=vars)
