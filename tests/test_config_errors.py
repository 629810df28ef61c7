"""Bad network settings stop dbt while it parses, with one line naming the network, the setting and the fix.

A setting reaches the models from the network's settings in dbt_project.yml (`+meta: sqlnn:`)
or from a one-off `--vars '{sqlnn: {spiral: {...}}}'` override; both are checked the same way.
Most cases go through the override (one `dbt parse` each, no file edited); the cases that only
a project file can state (a missing required setting, epochs that do not match the generated
folder) and a few bad values edit dbt_project.yml.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import DbtProject, copy_project, error_lines, statuses

from sqlnn import scaffold

BAD_SETTINGS = {
    # id: (override of the spiral's settings, the text the one line must contain)
    "activation": ({"activation": "gelu"}, "activation 'gelu' is not one of relu, leaky_relu, tanh, sigmoid"),
    "optimizer": ({"optimizer": "rmsprop"}, "optimizer 'rmsprop' is not one of sgd, momentum, adam"),
    "init_scale_name": ({"init_scale": "lecun"}, "init_scale 'lecun' is neither a number nor one of he, xavier"),
    "init_scale_negative": ({"init_scale": -1}, "init_scale must be a positive number or one of he, xavier, got -1"),
    "hidden_number": ({"hidden": 100}, "hidden must be a non-empty list of layer widths, e.g. [100] or [64, 64]"),
    "hidden_empty": ({"hidden": []}, "hidden must be a non-empty list of layer widths"),
    "hidden_fraction": ({"hidden": [10.5]}, "hidden widths must be positive integers, e.g. [100] or [64, 64]"),
    "hidden_word": ({"hidden": ["wide"]}, "hidden widths must be positive integers"),
    "hidden_zero": ({"hidden": [8, 0]}, "hidden widths must be positive integers"),
    "features_string": ({"features": "x1"}, "features must be a non-empty list of column names, e.g. [x1, x2]"),
    "features_empty": ({"features": []}, "features must be a non-empty list of column names"),
    "features_number": ({"features": ["x1", 2]}, "features must list column names (strings), got 2"),
    "features_twice": ({"features": ["x1", "X1"]}, "features lists a column twice: x1, X1"),
    "label_is_feature": ({"label": "x2"}, "label 'x2' is also in features: the class cannot be an input"),
    "label_empty": ({"label": ""}, "label must be the name of the class column"),
    "data_number": ({"data": 5}, "data must name a model or seed (data: customers) or a source"),
    "classes_one": (
        {"classes": 1},
        "classes must be an integer of at least 2 (the number of label values) or left out (it is learned), got 1",
    ),
    "classes_fraction": ({"classes": 2.5}, "classes must be an integer of at least 2"),
    "impute_word": ({"impute": "yes"}, "impute must be true or false"),
    "feature_types_list": (
        {"feature_types": ["x1"]},
        "feature_types must map feature columns to numeric or categorical",
    ),
    "feature_types_column": (
        {"feature_types": {"x3": "numeric"}},
        "feature_types names 'x3', which is not in features (x1, x2)",
    ),
    "feature_types_kind": (
        {"feature_types": {"x1": "text"}},
        "feature_types: x1 must be numeric or categorical, got text",
    ),
    "min_category_count_zero": ({"min_category_count": 0}, "min_category_count must be a positive integer"),
    "max_categories_fraction": ({"max_categories": 2.5}, "max_categories must be a positive integer"),
    "epochs_zero": ({"epochs": 0}, "epochs must be a positive integer (then run `sqlnn scaffold spiral`), got 0"),
    "learning_rate_zero": ({"learning_rate": 0}, "learning_rate must be a positive number, e.g. 0.01, got 0"),
    "learning_rate_negative": ({"learning_rate": -0.1}, "learning_rate must be a positive number"),
    "learning_rate_word": ({"learning_rate": "fast"}, "learning_rate must be a positive number"),
    "learning_rate_nan": ({"learning_rate": "nan"}, "learning_rate must be a positive number"),
    "reg_negative": ({"reg": -0.001}, "reg must be a number >= 0 (0 turns L2 off)"),
    "momentum_one": ({"momentum": 1.0}, "momentum must be in [0, 1), e.g. 0.9"),
    "beta1_negative": ({"beta1": -0.1}, "beta1 must be in [0, 1)"),
    "beta2_above_one": ({"beta2": 1.5}, "beta2 must be in [0, 1)"),
    "epsilon_zero": ({"epsilon": 0}, "epsilon must be a positive number, e.g. 1e-8"),
    "leaky_slope_word": ({"leaky_relu_slope": "steep"}, "leaky_relu_slope must be a number >= 0, e.g. 0.01"),
    "seed_negative": ({"seed": -1}, "seed must be a non-negative integer"),
    "init_from_itself": ({"init_from": "spiral"}, "init_from names the network itself: name the network to continue"),
    "init_from_number": ({"init_from": 3}, "init_from must name another network of the project, e.g. init_from: churn"),
    "init_from_and_init_params": (
        {"init_from": "wine", "init_params": "start"},
        "init_from and init_params are both set: keep one",
    ),
    "validation_fraction": ({"validation_fraction": 1}, "validation_fraction must be a number in [0, 1), got 1"),
    "standardize": ({"standardize": "yes"}, "standardize must be true or false"),
    "split_seed": ({"split_seed": -3}, "split_seed must be a non-negative integer, got -3"),
    "min_train_accuracy": ({"min_train_accuracy": 1.5}, "min_train_accuracy must be a number in [0, 1], e.g. 0.9"),
    "min_validation_accuracy": (
        {"min_validation_accuracy": -0.1},
        "min_validation_accuracy must be a number in [0, 1]",
    ),
    "max_loss_increase": ({"max_loss_increase": -1}, "max_loss_increase must be a number >= 0, e.g. 0.05, got -1"),
    "max_final_loss_ratio": ({"max_final_loss_ratio": 0}, "max_final_loss_ratio must be a positive number, e.g. 0.5"),
    "duckdb_list_path": ({"duckdb_list_path": "maybe"}, "duckdb_list_path must be true or false"),
    "duckdb_chunks": ({"duckdb_chunks": 0}, "duckdb_chunks must be a positive integer or null, got 0"),
    "duckdb_streaming_max_weights": (
        {"duckdb_streaming_max_weights": -1},
        "duckdb_streaming_max_weights must be an integer >= 0 (0 always gathers the weight gradients), got -1",
    ),
    "task": ({"task": "clustering"}, "task 'clustering' is not one of auto (from the label's column type)"),
    "task_regression_with_classes": (
        {"task": "regression"},
        "classes is set but task is regression: remove the classes setting",
    ),
    "min_train_r2": ({"min_train_r2": 1.5}, "min_train_r2 must be a number of at most 1, e.g. 0.5, got 1.5"),
    "early_stopping_without_validation": (
        {"early_stopping": True, "validation_fraction": 0},
        "early_stopping watches the validation loss, but validation_fraction is 0: set it above 0, e.g. 0.2",
    ),
    "patience": ({"patience": 0}, "patience must be a positive integer (epochs without progress before training"),
    "min_rel_progress": ({"min_rel_progress": 1.5}, "min_rel_progress must be a number in [0, 1), e.g. 0.01"),
    "class_weight": ({"class_weight": "auto"}, "class_weight must be balanced or map label values to weights"),
    "batches_zero": ({"batches": 0}, "batches must be a positive integer (mini-batches per epoch; 1 is full batch)"),
    "validation_interval": ({"validation_interval": 0.5}, "validation_interval must be a positive integer"),
    "class_weight_negative": (
        {"class_weight": {"0": -1}},
        "class_weight: the weight of 0 must be a positive number, got -1",
    ),
    "class_weight_regression": (
        {"task": "regression", "classes": None, "class_weight": "balanced"},
        "class_weight is set but task is regression: remove it",
    ),
    "typo": ({"learning_rte": 0.1}, "unknown setting 'learning_rte' (settings: "),
    # the override's folder has one epoch: training_history names the fix
    "epochs_not_generated": (
        {"epochs": 2},
        "its settings say epochs: 2, but its folder holds 1 epochs: run `sqlnn scaffold spiral` to regenerate it",
    ),
}
# Every setting a network has (README, "Configuration"): the typo's message lists exactly these.
SETTING_NAMES = [
    "data",
    "features",
    "label",
    "task",
    "classes",
    "class_weight",
    "feature_types",
    "impute",
    "min_category_count",
    "max_categories",
    "epochs",
    "hidden",
    "activation",
    "leaky_relu_slope",
    "optimizer",
    "learning_rate",
    "reg",
    "momentum",
    "beta1",
    "beta2",
    "epsilon",
    "seed",
    "init_scale",
    "init_params",
    "init_from",
    "standardize",
    "validation_fraction",
    "split_seed",
    "early_stopping",
    "patience",
    "min_rel_progress",
    "min_train_accuracy",
    "min_validation_accuracy",
    "min_train_r2",
    "min_validation_r2",
    "max_loss_increase",
    "max_final_loss_ratio",
    "duckdb_list_path",
    "duckdb_chunks",
    "duckdb_streaming_max_weights",
    "duckdb_streaming_min_rows",
    "batches",
    "validation_interval",
]


@pytest.fixture(scope="module")
def one_epoch(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    """The spiral with one epoch: parsing is what fails, and it is quicker with fewer models."""
    project = copy_project(tmp_path_factory.mktemp("config") / "project")
    project.scaffold("spiral", epochs=1)
    return project


def _first_line(result) -> str:
    assert not result.success
    assert result.exception is not None, "dbt failed without an exception: not a parse-time error"
    message = str(getattr(result.exception, "msg", result.exception)).strip()
    return message.splitlines()[0]


@contextlib.contextmanager
def _edited_file(path: Path, edit: Callable[[str], str] | None = None) -> Iterator[None]:
    """The file at `path` changed by `edit(text) -> text` (or by the block itself), restored after the block."""
    original = path.read_text()
    try:
        if edit is not None:
            path.write_text(edit(original))
        yield
    finally:
        path.write_text(original)


@pytest.mark.parametrize(("override", "message"), BAD_SETTINGS.values(), ids=BAD_SETTINGS.keys())
def test_bad_setting_fails_parse_with_one_line_naming_it(one_epoch: DbtProject, override: dict, message: str) -> None:
    line = _first_line(one_epoch.dbt("parse", settings={"spiral": override}))
    assert line.startswith("sqlnn: network spiral: "), line
    assert message in line, line


def test_a_typo_lists_every_valid_setting_name(one_epoch: DbtProject) -> None:
    line = _first_line(one_epoch.dbt("parse", settings={"spiral": {"learning_rte": 0.1}}))
    listed = re.search(r"\(settings: (.*)\)$", line)
    assert listed, line
    assert listed.group(1).split(", ") == sorted(SETTING_NAMES)


def test_the_override_must_map_networks_to_settings(one_epoch: DbtProject) -> None:
    line = _first_line(one_epoch.dbt("parse", vars={"sqlnn": 5}))
    assert line.startswith("sqlnn: network spiral: the var sqlnn must map network names to settings"), line
    assert "--vars '{sqlnn: {spiral: {learning_rate: 0.05}}}'" in line


@pytest.mark.parametrize("setting", scaffold.REQUIRED)
def test_a_missing_required_setting_is_named(one_epoch: DbtProject, setting: str) -> None:
    def drop(text: str) -> str:
        edited = re.sub(rf"^ +{setting}: .*\n", "", text, count=1, flags=re.MULTILINE)
        assert edited != text
        return edited

    with _edited_file(one_epoch.path / "dbt_project.yml", drop):
        line = _first_line(one_epoch.dbt("parse"))
    assert line == (
        f"sqlnn: network spiral: set `{setting}` in the network's settings (dbt_project.yml, models: ... spiral:"
        " +meta: sqlnn:)"
    )


def test_epochs_edited_in_the_project_file_without_scaffolding(one_epoch: DbtProject) -> None:
    with _edited_file(one_epoch.path / "dbt_project.yml", lambda text: text.replace("epochs: 1\n", "epochs: 3\n", 1)):
        line = _first_line(one_epoch.dbt("parse"))
    assert line == (
        "sqlnn: network spiral: its settings say epochs: 3, but its folder holds 1 epochs:"
        " run `sqlnn scaffold spiral` to regenerate it"
    )


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("activation", "gelu", "activation 'gelu' is not one of relu, leaky_relu, tanh, sigmoid"),
        ("learning_rte", 0.1, "unknown setting 'learning_rte' (settings: "),
        ("hidden", [8, 0], "hidden widths must be positive integers"),
        # YAML reads {0: 2} with a number key, which dbt's event log cannot serialise (a build then stalls)
        ("class_weight", {0: 2}, "class_weight: quote the label value 0 (write '0': ...)"),
    ],
)
def test_a_bad_setting_in_the_project_file_fails_the_same_way(
    one_epoch: DbtProject, setting: str, value: object, message: str
) -> None:
    with _edited_file(one_epoch.path / "dbt_project.yml"):  # configure() writes it, as `sqlnn configure` would
        scaffold.configure(one_epoch.path, "spiral", {setting: value})
        line = _first_line(one_epoch.dbt("parse"))
    assert line.startswith("sqlnn: network spiral: ") and message in line, line


def _compiled_update(project: DbtProject, settings: dict) -> str:
    result = project.dbt("compile", "--select", "spiral_epoch_0001_update", settings={"spiral": settings})
    assert result.success, result.exception
    path = project.path / "target" / "compiled" / "sqlnn" / "models" / "spiral" / "epochs"
    return (path / "spiral_epoch_0001_update.sql").read_text()


def test_the_override_reaches_the_models(one_epoch: DbtProject) -> None:
    """--vars '{sqlnn: {spiral: {optimizer: sgd, learning_rate: 0.125}}}' wins over dbt_project.yml."""
    assert one_epoch.networks()["spiral"].settings["optimizer"] != "sgd"
    sql = _compiled_update(one_epoch, {"optimizer": "sgd", "learning_rate": 0.125})
    assert "p.value - cast(0.125 as double) * g.gradient" in sql


def test_numbers_written_as_yaml_strings_are_read_as_numbers(one_epoch: DbtProject) -> None:
    """`--vars '{sqlnn: {spiral: {learning_rate: 1e-3}}}'` is the string '1e-3' in YAML 1.1: it must mean 0.001."""
    sql = _compiled_update(one_epoch, {"learning_rate": "1e-3", "optimizer": "sgd"})
    assert "p.value - cast(0.001 as double) * g.gradient" in sql


def test_the_override_leaves_unit_tests_their_own_network(one_epoch: DbtProject) -> None:
    """A unit test states its whole network (overrides: vars: sqlnn:): a --vars override for the
    network's models must neither replace that statement nor change it (the loss unit test
    expects its own reg 0.5, the momentum one its own optimizer and learning rate)."""
    override = {"reg": 0.25, "optimizer": "sgd", "learning_rate": 0.125}
    result = one_epoch.dbt(
        "build", "--select", "+spiral_epoch_0001_loss", "+spiral_epoch_0001_update", settings={"spiral": override}
    )
    status = statuses(result)
    unit_tests = ("spiral_loss_of_uniform_scores_is_ln_c", "spiral_momentum_step_follows_torch_sgd")
    assert {name: status.get(name) for name in unit_tests} == dict.fromkeys(unit_tests, "pass"), error_lines(result)
    assert result.success
    # and the models did train with the override
    (reg_loss,) = one_epoch.query("select reg_loss from spiral_epoch_0001_loss")[0]
    weights = one_epoch.query("select sum(value * value) from spiral_initial_params where param = 'W'")[0][0]
    assert reg_loss == pytest.approx(0.5 * 0.25 * weights, rel=1e-12)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        # a folder generated before versions: its unit tests would fail on a column the models now add
        (
            "",
            "its folder was generated by an older sqlnn (scaffold before versions,"
            f" this package writes {scaffold.SCAFFOLD_VERSION}):",
        ),
        (
            ", scaffold_version=99",
            "its folder was generated by a newer sqlnn (scaffold version 99,"
            f" this package reads {scaffold.SCAFFOLD_VERSION}):",
        ),
    ],
)
def test_a_folder_generated_by_another_sqlnn_names_the_fix(one_epoch: DbtProject, written: str, message: str) -> None:
    path = one_epoch.path / "models" / "spiral" / "epochs" / "spiral_epoch_0001_loss.sql"
    current = f", scaffold_version={scaffold.SCAFFOLD_VERSION})"
    assert current in path.read_text()
    with _edited_file(path, lambda text: text.replace(current, f"{written})")):
        line = _first_line(one_epoch.dbt("parse"))
    assert line.startswith(f"sqlnn: network spiral: {message}"), line
    assert "`sqlnn scaffold spiral`" in line, line
