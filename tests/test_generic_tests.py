"""Each branch of the package's generic tests, on tiny fixture models: rising, flat, NaN and stalled losses."""

from __future__ import annotations

import pytest
import yaml
from conftest import DbtProject, copy_project

HISTORIES = {
    # epoch -> loss
    "rises_then_falls": [1.0, 1.2, 0.1],
    "flat_step": [1.0, 0.5, 0.5, 0.1],
    "not_finite": [1.0, "nan", 0.1],
    "stalls": [1.0, 0.99, 0.98],
    "healthy": [1.0, 0.6, 0.3, 0.1],
}

# all_finite fails on NULL, NaN, +inf and -inf: 4 of these 6 rows
FINITENESS_VALUES = ["1.5", "null", "'nan'", "'inf'", "'-inf'", "-1e300"]

TESTS = {
    "loose": {"max_increase": 0.05},
    "strict": {"strict": True},
    "drop": {"max_increase": 0.5, "max_final_ratio": 0.5},
}


@pytest.fixture(scope="module")
def failures(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], int]:
    """(model, test) -> number of failing rows, from one dbt build of the fixture models."""
    project: DbtProject = copy_project(tmp_path_factory.mktemp("generic") / "project")
    folder = project.path / "models" / "fixtures"
    folder.mkdir()
    models = []
    for name, losses in HISTORIES.items():
        rows = " union all ".join(
            f"select {epoch} as epoch, cast('{loss}' as double) as loss" for epoch, loss in enumerate(losses, start=1)
        )
        (folder / f"history_{name}.sql").write_text(rows + "\n")
        tests = [
            {"sqlnn.loss_decreases": {"name": f"{test}__history_{name}", "arguments": arguments}}
            for test, arguments in TESTS.items()
        ]
        models.append({"name": f"history_{name}", "columns": [{"name": "loss", "data_tests": tests}]})
    predictions = "select 0 as label, 0 as predicted_class union all select 1, 0 union all select 1, 1"
    (folder / "three_predictions.sql").write_text(predictions + "\n")
    accuracy_tests = [
        {"sqlnn.accuracy_at_least": {"name": f"{threshold}__three_predictions", "arguments": {"threshold": threshold}}}
        for threshold in (0.6, 0.7)
    ]
    models.append({"name": "three_predictions", "data_tests": accuracy_tests})
    values = " union all ".join(f"select cast({v} as double) as value" for v in FINITENESS_VALUES)
    (folder / "mixed_values.sql").write_text(values + "\n")
    finite_test = {"sqlnn.all_finite": {"name": "all_finite__mixed_values"}}
    models.append({"name": "mixed_values", "columns": [{"name": "value", "data_tests": [finite_test]}]})
    (folder / "fixtures.yml").write_text(yaml.safe_dump({"version": 2, "models": models}))
    result = project.dbt("build", "--select", "path:models/fixtures")
    assert result.result is not None, result.exception
    found: dict[tuple[str, str], int] = {}
    for r in result.result.results:
        if r.node.resource_type == "test":
            test, model = r.node.name.split("__")
            found[(model, test)] = r.failures
    return found


@pytest.mark.parametrize(
    ("history", "test", "failing_rows"),
    [
        ("rises_then_falls", "loose", 1),  # epoch 2 rose by 20%
        ("rises_then_falls", "drop", 0),  # a 20% rise is allowed there, and 0.1 <= 0.5 * 1.0
        ("flat_step", "loose", 0),
        ("flat_step", "strict", 1),  # equal losses are not a decrease
        ("not_finite", "loose", 1),  # the NaN row (no comparison with NaN is made)
        ("stalls", "loose", 0),
        ("stalls", "drop", 1),  # 0.98 is not below half of 1.0
        ("healthy", "strict", 0),
        ("healthy", "drop", 0),
    ],
)
def test_loss_decreases(failures: dict[tuple[str, str], int], history: str, test: str, failing_rows: int) -> None:
    assert failures[(f"history_{history}", test)] == failing_rows


def test_accuracy_at_least(failures: dict[tuple[str, str], int]) -> None:
    assert failures[("three_predictions", "0.6")] == 0  # 2 of 3 correct
    assert failures[("three_predictions", "0.7")] == 1


def test_all_finite(failures: dict[tuple[str, str], int]) -> None:
    assert failures[("mixed_values", "all_finite")] == 4
