"""Bad training data stops `dbt run` and `dbt build` before epoch 1, with one line naming the column and the count."""

from __future__ import annotations

import math

import pytest
from conftest import DbtProject, copy_project, statuses

from sqlnn import scaffold

GOOD = [[0.5, -1.0, 0], [1.5, 2.0, 1], [-0.5, 0.25, 2], [2.5, -3.0, 0], [0.0, 1.0, 1], [1.0, 1.0, 2]]
HEADER = ["x1", "x2", "label"]


def _with(changes: dict[tuple[int, int], object]) -> list[list]:
    """GOOD with cells (row, column) replaced; '' is an empty CSV cell, which dbt seeds load as NULL."""
    rows = [list(row) for row in GOOD]
    for (row, column), value in changes.items():
        rows[row][column] = value
    return rows


BAD_DATA = {
    # id: (rows of x1, x2, label; extra vars; the line the run must stop with)
    "null_feature": (_with({(0, 0): "", (3, 0): ""}), {}, 'feature column "x1" of bad_data has 2 NULL values'),
    "text_feature": (
        _with({(1, 1): "abc", (2, 1): "n/a", (4, 1): "7"}),
        {},
        'feature column "x2" of bad_data has 2 values that are not numbers',
    ),
    "infinite_feature": (
        # a model, since the seed loader cannot type a column of inf and numbers
        "select cast(x1 as double) as x1, cast(x2 as double) as x2, label from (values"
        " (0.5, 'inf', 0), (1.5, '2', 1), (-0.5, 'nan', 2), (2.5, '-3', 0), (0, '-inf', 1)) as t(x1, x2, label)",
        {},
        'feature column "x2" of bad_data has 3 infinite or NaN values',
    ),
    "null_label": (_with({(2, 2): ""}), {}, 'label column "label" of bad_data has 1 NULL values'),
    "fractional_label": (_with({(2, 2): 1.5}), {}, 'label column "label" of bad_data has 1 values that are not'),
    "text_label": (_with({(2, 2): "cat"}), {}, 'label column "label" of bad_data has 1 values that are not integers'),
    "label_too_big": (
        _with({(0, 2): 3, (3, 2): 7}),
        {},
        'label column "label" of bad_data has 2 values outside 0 .. 2 (nn_classes = 3)',
    ),
    "negative_label": (_with({(0, 2): -1}), {}, 'label column "label" of bad_data has 1 values outside 0 .. 2'),
    "absent_class": (_with({(2, 2): 0, (5, 2): 1}), {}, "class 2 has no rows in bad_data (nn_classes = 3)"),
    "too_many_classes": (GOOD, {"nn_classes": 4}, "class 3 has no rows in bad_data (nn_classes = 4)"),
    "empty": ([], {}, "nn_training_data 'bad_data' has no rows"),
    "missing_feature": (GOOD, {"nn_features": ["x1", "x3"]}, "nn_features names column 'x3', which bad_data does not"),
    "missing_label": (GOOD, {"nn_label": "class"}, "nn_label names column 'class', which bad_data does not have"),
}


@pytest.fixture(scope="module")
def one_epoch(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    project = copy_project(tmp_path_factory.mktemp("data") / "project")
    scaffold.write(project.path, 1)
    return project


def _error_lines(result) -> list[str]:
    """The one-line messages of the failed nodes (or of the compile error that stopped dbt)."""
    if result.result is None:
        return [str(result.exception).splitlines()[1].strip()]
    lines = []
    for r in result.result.results:
        if str(r.status) == "error":
            lines += [line.strip() for line in (r.message or "").splitlines() if "sqlnn:" in line]
    return lines


@pytest.mark.parametrize(("rows", "vars", "message"), BAD_DATA.values(), ids=BAD_DATA.keys())
@pytest.mark.parametrize("command", ["build", "run"])
def test_bad_data_stops_before_epoch_1(
    one_epoch: DbtProject, command: str, rows: list[list] | str, vars: dict, message: str
) -> None:
    model = one_epoch.path / "models" / "bad_data.sql"
    seed = one_epoch.path / "seeds" / "bad_data.csv"
    one_epoch.query("drop table if exists bad_data")  # seeds keep the column types of an existing table
    if isinstance(rows, str):
        seed.unlink(missing_ok=True)
        model.write_text(rows + "\n")
    else:
        model.unlink(missing_ok=True)
        one_epoch.write_seed("bad_data", HEADER, rows)
    vars = {"nn_training_data": "bad_data", **vars}
    if command == "run" and not isinstance(rows, str):  # dbt run does not load seeds
        assert one_epoch.dbt("seed", "--select", "bad_data").success
    result = one_epoch.dbt(command, "--select", "+epoch_0001_update", vars=vars)
    assert not result.success
    lines = _error_lines(result)
    assert len(lines) == 1, lines
    assert message in lines[0], lines[0]
    if result.result is not None:
        status = statuses(result)
        assert status["training_data_checks"] == "error"
        for model in ("training_examples", "epoch_0001_forward", "epoch_0001_update"):
            assert status[model] == "skipped", (model, status[model])


def test_unusual_column_names_are_quoted(one_epoch: DbtProject) -> None:
    """Spaces, upper case and reserved words as feature and label names train like any other."""
    header = ["Feature One", "select", "Class Label"]
    one_epoch.write_seed("odd_names", header, GOOD)
    vars = {"nn_training_data": "odd_names", "nn_features": header[:2], "nn_label": header[2], "nn_hidden": [4]}
    vars |= {"nn_min_train_accuracy": 0.0, "nn_max_final_loss_ratio": 1.0}  # one epoch learns nothing yet
    result = one_epoch.dbt("build", vars=vars)
    assert result.success, result.exception or [r.message for r in result.result.results if r.message]
    (loss,) = one_epoch.query("select loss from training_history")[0]
    assert loss == pytest.approx(math.log(3), abs=1e-3)
    columns = [row[0] for row in one_epoch.query("select column_name from (describe predictions)")]
    assert header[:2] == [c for c in columns if c in header]


def test_a_warm_start_of_the_wrong_shape_names_the_layers(one_epoch: DbtProject) -> None:
    """nn_init_params for 2 -> 3 -> 3 used with nn_hidden [4]: one line instead of silently missing units."""
    rows = [[1, "W", i, j, 0.1] for i in range(2) for j in range(3)] + [[1, "b", 0, j, 0.0] for j in range(3)]
    rows += [[2, "W", i, j, 0.1] for i in range(3) for j in range(3)] + [[2, "b", 0, j, 0.0] for j in range(3)]
    one_epoch.write_seed("start_params", ["layer", "param", "i", "j", "value"], rows)
    one_epoch.write_seed("bad_data", HEADER, GOOD)
    one_epoch.query("drop table if exists bad_data")
    vars = {"nn_training_data": "bad_data", "nn_init_params": "start_params", "nn_hidden": [4]}
    result = one_epoch.dbt("build", "--select", "+epoch_0001_update", vars=vars)
    assert not result.success
    (line,) = _error_lines(result)
    assert "nn_init_params 'start_params' does not fit the layers 2 -> 4 -> 3" in line, line
    assert "W1 has 6 rows" in line and "W2 has 9 rows" in line
    fitting = one_epoch.dbt("build", "--select", "+epoch_0001_update", vars={**vars, "nn_hidden": [3]})
    assert fitting.success, fitting.exception
