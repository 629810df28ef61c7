"""Each branch of the package's generic tests, on tiny fixture models: rising, flat, NaN and stalled
losses, accuracy per split, the first epoch's loss, non-finite values.

The gates that come from a network (`network:`) are read from three networks scaffolded for the
purpose (never built: a generic test needs only their settings), so the expectations do not
depend on the spiral's or the library's values:
- gates: max_loss_increase 0.25, max_final_loss_ratio 0.5, min_train_accuracy 0.6,
  min_validation_accuracy 0.7, a validation split, init_scale 0.01;
- nosplit: no validation split (its validation gate of 1.0 must not apply), init_scale he;
- binary: 2 classes.
"""

from __future__ import annotations

import pytest
import yaml
from conftest import DbtProject, copy_project, error_lines, scaffold_like_spiral

from sqlnn import scaffold

NETWORKS = {
    "gates": {
        "max_loss_increase": 0.25,
        "max_final_loss_ratio": 0.5,
        "min_train_accuracy": 0.6,
        "min_validation_accuracy": 0.7,
        "validation_fraction": 0.2,
        "init_scale": 0.01,
        "init_params": None,
    },
    "nosplit": {
        "validation_fraction": 0,
        "min_train_accuracy": 0.6,
        "min_validation_accuracy": 1.0,
        "init_scale": "he",
    },
    "binary": {"classes": 2, "init_scale": 0.01, "init_params": None},
}

HISTORIES = {
    # epoch -> loss
    "rises_then_falls": [1.0, 1.2, 0.1],
    "rises_30": [1.0, 1.3, 0.2],
    "flat_step": [1.0, 0.5, 0.5, 0.1],
    "not_finite": [1.0, "nan", 0.1],
    "stalls": [1.0, 0.99, 0.98],
    "healthy": [1.0, 0.6, 0.3, 0.1],
}
LOSS_TESTS = {
    "loose": {"max_increase": 0.05},
    "strict": {"strict": True},
    "drop": {"max_increase": 0.5, "max_final_ratio": 0.5},
    "network": {"network": "gates"},  # 0.25 and 0.5 from the settings
    "network_and_argument": {"network": "gates", "max_increase": 0.05},  # the argument wins
}

# (split, label, predicted_class): 2 of 3 right in each split
PREDICTIONS = [("train", 0, 0), ("train", 1, 0), ("train", 1, 1), ("validation", 0, 0), ("validation", 1, 0)]
PREDICTIONS += [("validation", 2, 2)]
ACCURACY_TESTS = {
    # name: (model, arguments)
    "threshold_0.6": ("predictions", {"threshold": 0.6}),  # 4 of 6 overall
    "threshold_0.7": ("predictions", {"threshold": 0.7}),
    "gates_train": ("predictions", {"network": "gates", "split": "train"}),  # 0.6
    "gates_validation": ("predictions", {"network": "gates", "split": "validation"}),  # 0.7
    "gates_validation_threshold": ("predictions", {"network": "gates", "split": "validation", "threshold": 0.5}),
    "nosplit_validation": ("predictions", {"network": "nosplit", "split": "validation"}),  # no split: passes
    "nosplit_train": ("predictions", {"network": "nosplit", "split": "train"}),
    "empty_split": ("train_only_predictions", {"network": "gates", "split": "validation"}),  # no rows: fails
}

FIRST_EPOCHS = {
    # model: the first epoch's data_loss (SQL)
    "first_ln3": "ln(3e0)",
    "first_off": "1.2e0",
    "first_ln2": "ln(2e0)",
}
INITIAL_LOSS_TESTS = {
    "gates": {"network": "gates"},
    "gates_tolerant": {"network": "gates", "tolerance": 0.2},  # |1.2 - ln 3| = 0.10
    "nosplit": {"network": "nosplit"},  # initialised with he: not checked
    "binary": {"network": "binary"},  # ln 2
}

# all_finite fails on NULL, NaN, +inf and -inf: 4 of these 6 rows
FINITENESS_VALUES = ["1.5", "null", "'nan'", "'inf'", "'-inf'", "-1e300"]


def _test(kind: str, name: str, model: str, arguments: dict) -> dict:
    return {f"sqlnn.{kind}": {"name": f"{name}__{model}", "arguments": arguments}}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[DbtProject, dict[tuple[str, str], tuple[str, int, str]]]:
    """The project and (model, test) -> (status, failing rows, message), from one dbt build of the fixture models."""
    project: DbtProject = copy_project(tmp_path_factory.mktemp("generic") / "project")
    for name, settings in NETWORKS.items():
        scaffold_like_spiral(project, name, 1, **settings)
    # the spiral's 45 epochs: dbt would parse them for nothing
    project.remove_network("spiral")
    scaffold.remove_settings(project.path, "spiral")
    folder = project.path / "models" / "fixtures"
    folder.mkdir()
    models = []
    for name, losses in HISTORIES.items():
        rows = " union all ".join(
            f"select {epoch} as epoch, cast('{loss}' as double) as loss" for epoch, loss in enumerate(losses, start=1)
        )
        (folder / f"history_{name}.sql").write_text(rows + "\n")
        tests = [_test("loss_decreases", test, f"history_{name}", args) for test, args in LOSS_TESTS.items()]
        models.append({"name": f"history_{name}", "columns": [{"name": "loss", "data_tests": tests}]})

    def predictions_sql(rows: list[tuple]) -> str:
        return " union all ".join(f"select '{s}' as split, {y} as label, {p} as predicted_class" for s, y, p in rows)

    (folder / "predictions.sql").write_text(predictions_sql(PREDICTIONS) + "\n")
    (folder / "train_only_predictions.sql").write_text(predictions_sql(PREDICTIONS[:3]) + "\n")
    for model in ("predictions", "train_only_predictions"):
        tests = [_test("accuracy_at_least", t, m, args) for t, (m, args) in ACCURACY_TESTS.items() if m == model]
        models.append({"name": model, "data_tests": tests})

    for model, first in FIRST_EPOCHS.items():
        sql = f"select 1 as epoch, 1 as step, {first} as data_loss union all select 2, 2, 0.5e0"
        (folder / f"{model}.sql").write_text(sql + "\n")
        tests = [_test("initial_loss_is_ln_classes", t, model, args) for t, args in INITIAL_LOSS_TESTS.items()]
        models.append({"name": model, "data_tests": tests})

    values = " union all ".join(f"select cast({v} as double) as value" for v in FINITENESS_VALUES)
    (folder / "mixed_values.sql").write_text(values + "\n")
    finite_test = {"sqlnn.all_finite": {"name": "all_finite__mixed_values"}}
    models.append({"name": "mixed_values", "columns": [{"name": "value", "data_tests": [finite_test]}]})
    (folder / "fixtures.yml").write_text(yaml.safe_dump({"version": 2, "models": models}))

    result = project.dbt("build", "--select", "path:models/fixtures")
    assert result.result is not None, result.exception
    found: dict[tuple[str, str], tuple[str, int, str]] = {}
    for r in result.result.results:
        if r.node.resource_type == "test":
            test, model = r.node.name.split("__")
            found[(model, test)] = (str(r.status), r.failures or 0, r.message or "")
    return project, found


@pytest.fixture(scope="module")
def outcomes(built) -> dict[tuple[str, str], tuple[str, int, str]]:
    return built[1]


def _failing_rows(outcomes: dict, model: str, test: str) -> int:
    status, failures, message = outcomes[(model, test)]
    assert status in ("pass", "fail"), (status, message)
    assert (status == "fail") == (failures > 0)
    return failures


@pytest.mark.parametrize(
    ("history", "test", "failing_rows"),
    [
        ("rises_then_falls", "loose", 1),  # epoch 2 rose by 20%
        ("rises_then_falls", "drop", 0),  # a 20% rise is allowed there, and 0.1 <= 0.5 * 1.0
        ("rises_then_falls", "network", 0),  # and by gates' 25%
        ("rises_then_falls", "network_and_argument", 1),  # not by the argument's 5%
        ("rises_30", "network", 1),  # 30% > gates' 25%
        ("rises_30", "drop", 0),
        ("flat_step", "loose", 0),
        ("flat_step", "strict", 1),  # equal losses are not a decrease
        ("flat_step", "network", 0),
        ("not_finite", "loose", 1),  # the NaN row (no comparison with NaN is made)
        ("not_finite", "network", 1),
        ("stalls", "loose", 0),
        ("stalls", "drop", 1),  # 0.98 is not below half of 1.0
        ("stalls", "network", 1),  # nor below gates' 0.5
        ("healthy", "strict", 0),
        ("healthy", "drop", 0),
        ("healthy", "network", 0),
    ],
)
def test_loss_decreases(outcomes: dict, history: str, test: str, failing_rows: int) -> None:
    assert _failing_rows(outcomes, f"history_{history}", test) == failing_rows


@pytest.mark.parametrize(
    ("test", "failing_rows"),
    [
        ("threshold_0.6", 0),
        ("threshold_0.7", 1),
        ("gates_train", 0),
        ("gates_validation", 1),
        ("gates_validation_threshold", 0),
        ("nosplit_validation", 0),
        ("nosplit_train", 0),
    ],
)
def test_accuracy_at_least(outcomes: dict, test: str, failing_rows: int) -> None:
    assert _failing_rows(outcomes, "predictions", test) == failing_rows


def test_accuracy_of_an_empty_split_fails(outcomes: dict) -> None:
    assert _failing_rows(outcomes, "train_only_predictions", "empty_split") == 1


def test_accuracy_without_a_gate_stops_the_parse(built) -> None:
    """Neither a threshold nor a network: dbt stops while parsing, naming what is missing."""
    project, _ = built
    folder = project.path / "models" / "fixtures"
    model, spec = folder / "ungated.sql", folder / "ungated.yml"
    model.write_text("select 0 as label, 0 as predicted_class\n")
    spec.write_text(
        yaml.safe_dump({"version": 2, "models": [{"name": "ungated", "data_tests": ["sqlnn.accuracy_at_least"]}]})
    )
    try:
        result = project.dbt("parse")
    finally:
        model.unlink()
        spec.unlink()
    assert not result.success
    assert error_lines(result) == {"": ["sqlnn: accuracy_at_least needs a threshold or a network"]}


@pytest.mark.parametrize(
    ("model", "test", "failing_rows"),
    [
        ("first_ln3", "gates", 0),
        ("first_off", "gates", 1),
        ("first_off", "gates_tolerant", 0),
        ("first_off", "nosplit", 0),
        ("first_ln3", "binary", 1),
        ("first_ln2", "binary", 0),
        ("first_ln2", "gates", 1),
    ],
)
def test_initial_loss_is_ln_classes(outcomes: dict, model: str, test: str, failing_rows: int) -> None:
    assert _failing_rows(outcomes, model, test) == failing_rows


def test_all_finite(outcomes: dict) -> None:
    assert _failing_rows(outcomes, "mixed_values", "all_finite") == 4
