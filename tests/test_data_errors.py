"""Bad training data stops `dbt run` and `dbt build` before epoch 1, with one line naming the network,
the column and the count.

Every case is a network of its own (named after the case, one epoch, training on a table of its
own) in ONE project, so one `dbt run` and one `dbt build` show every message side by side: a
network whose data is bad stops before its epoch 1 while the others go on, and the healthy
networks in the same project (unusual column names, a warm start that fits) train.
"""

from __future__ import annotations

import math

import pytest
from conftest import DbtProject, copy_project, error_lines, scaffold_like_spiral, statuses

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
    # network: (rows of x1, x2, label, or the SQL of a model; settings; the lines the run must stop with,
    # each a part of the one message, where DATA is the network's table, data_<network>)
    "null_feature": (
        _with({(0, 0): "", (3, 0): ""}),
        {"impute": False},
        ['feature column "x1" of DATA has 2 NULL values: drop those rows or set impute: true'],
    ),
    "all_null_feature": (
        "select cast(null as double) as x1, x2, label from {{ ref('data_null_feature') }}",
        {},
        ['feature column "x1" of DATA is NULL on every row: there is no mean to impute'],
    ),
    "text_feature": (
        _with({(1, 1): "abc", (2, 1): "n/a", (4, 1): "7"}),
        {"feature_types": {"x2": "numeric"}},
        ['feature column "x2" of DATA has 2 values that are not numbers: cast the column, or declare it categorical'],
    ),
    "infinite_feature": (
        # a model, since the seed loader cannot type a column of inf and numbers
        "select cast(x1 as double) as x1, cast(x2 as double) as x2, label from (values"
        " (0.5, 'inf', 0), (1.5, '2', 1), (-0.5, 'nan', 2), (2.5, '-3', 0), (0, '-inf', 1)) as t(x1, x2, label)",
        {},
        ['feature column "x2" of DATA has 3 infinite or NaN values: drop or clip those rows'],
    ),
    "null_label": (_with({(2, 2): ""}), {}, ['label column "label" of DATA has 1 NULL values']),
    # the label's distinct values are the classes: more or fewer than the classes setting says is an error
    "fractional_label": (
        _with({(2, 2): 1.5}),
        {},
        ['label column "label" of DATA has 4 distinct values, but classes = 3'],
    ),
    "text_label": (_with({(2, 2): "cat"}), {}, ['label column "label" of DATA has 4 distinct values, but classes = 3']),
    "label_too_big": (
        _with({(0, 2): 3, (3, 2): 7}),
        {},
        ['label column "label" of DATA has 4 distinct values, but classes = 3: remove the classes setting'],
    ),
    "absent_class": (_with({(2, 2): 0, (5, 2): 1}), {}, ["has 2 distinct values, but classes = 3"]),
    "too_many_classes": (GOOD, {"classes": 4}, ["has 3 distinct values, but classes = 4"]),
    "one_class": (
        _with({(1, 2): 0, (2, 2): 0, (4, 2): 0, (5, 2): 0}),
        {"classes": None},
        ['label column "label" of DATA has fewer than 2 distinct values'],
    ),
    # a regression target (a double label, or task: regression) must be a number on every row
    "null_target": (
        _with({(0, 2): 0.5, (2, 2): ""}),
        {"classes": None},
        ['label column "label" of DATA has 1 NULL values: every training row needs a target'],
    ),
    "text_target": (
        _with({(2, 2): "cat", (4, 2): "n/a"}),
        {"classes": None, "task": "regression"},
        ['label column "label" of DATA has 2 values that are not numbers: a regression target is numeric'],
    ),
    # integers of too many values for classes: a measurement the loader typed as INTEGER
    "many_classes": (
        "select cast(i as double) as x1, cast(i % 7 as double) as x2, cast(i as integer) as label"
        " from range(120) as t(i)",
        {"classes": None},
        ['label column "label" of DATA has 120 distinct values, too many to be classes: set task: regression'],
    ),
    "every_problem": (
        # four problems of three columns, reported together in one line
        _with({(0, 0): "", (1, 1): "abc", (2, 1): "n/a", (3, 2): "", (5, 2): "cat"}),
        {"impute": False, "feature_types": {"x2": "numeric"}},
        [
            "4 problems in DATA: ",
            'feature column "x1" of DATA has 1 NULL values',
            'feature column "x2" of DATA has 2 values that are not numbers',
            'label column "label" of DATA has 1 NULL values',
            'label column "label" of DATA has 4 distinct values, but classes = 3',
        ],
    ),
    "empty": ([], {}, ["1 problem in DATA: data 'DATA' has no rows: point the network's data setting at a table"]),
    "missing_feature": (
        GOOD,
        {"features": ["x1", "x3"]},
        ["features names column 'x3', which DATA does not have (its columns: x1, x2, label)"],
    ),
    "missing_label": (GOOD, {"label": "class"}, ["label names column 'class', which DATA does not have"]),
    # 340 features: the data checks (1,023 of them) nest their sum and concatenation, which as one chain
    # would be deeper than DuckDB's parser allows (1000 levels)
    "wide_table": (
        "select " + "".join(f"x2 as w{k}, " for k in range(339)) + "cast(null as double) as w339, label"
        " from {{ ref('good_rows') }}",
        {"features": [f"w{k}" for k in range(340)]},
        ['1 problem in DATA: feature column "w339" of DATA is NULL on every row: there is no mean to impute'],
    ),
}
# Spaces, upper case and a reserved word as column names; one epoch learns nothing yet.
ODD_NAMES = ["Feature One", "select", "Class Label"]
RELAXED = {"min_train_accuracy": 0.0, "max_final_loss_ratio": 1.0}
# A warm start for 2 -> 3 -> 3: it fits hidden [3], not hidden [4].
START = (
    [[1, "W", i, j, 0.1] for i in range(2) for j in range(3)]
    + [[1, "b", 0, j, 0.0] for j in range(3)]
    + [[2, "W", i, j, 0.1] for i in range(3) for j in range(3)]
    + [[2, "b", 0, j, 0.0] for j in range(3)]
)


def _project(path) -> DbtProject:
    project = copy_project(path)
    for network, (rows, settings, _) in BAD_DATA.items():
        if isinstance(rows, str):
            (project.path / "models" / f"data_{network}.sql").write_text(rows + "\n")
        else:
            project.write_seed(f"data_{network}", HEADER, rows)
        scaffold_like_spiral(project, network, 1, data=f"data_{network}", **settings)
    project.write_seed("good_rows", HEADER, GOOD)
    project.write_seed("odd_rows", ODD_NAMES, GOOD)
    project.write_seed("start_params", ["layer", "param", "i", "j", "value"], START)
    scaffold_like_spiral(
        project, "odd_names", 1, data="odd_rows", features=ODD_NAMES[:2], label=ODD_NAMES[2], hidden=[4], **RELAXED
    )
    for network, hidden in (("wrong_shape", [4]), ("right_shape", [3])):
        scaffold_like_spiral(
            project, network, 1, data="good_rows", init_params="start_params", hidden=hidden, **RELAXED
        )
    project.remove_network("spiral")
    scaffold.remove_settings(project.path, "spiral")
    return project


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[DbtProject, object]]:
    """command -> (project, result): `dbt run` (after `dbt seed`) and `dbt build`, each on a fresh copy."""
    found = {}
    run_project = _project(tmp_path_factory.mktemp("run") / "project")
    assert run_project.dbt("seed").success
    found["run"] = (run_project, run_project.dbt("run"))
    build_project = _project(tmp_path_factory.mktemp("build") / "project")
    found["build"] = (build_project, build_project.dbt("build"))
    return found


def _network_nodes(status: dict[str, str], network: str) -> dict[str, str]:
    return {name: s for name, s in status.items() if name.startswith(f"{network}_") or f"_{network}_" in name}


@pytest.mark.parametrize("network", BAD_DATA)
@pytest.mark.parametrize("command", ["build", "run"])
def test_bad_data_stops_before_epoch_1(
    results: dict[str, tuple[DbtProject, object]], command: str, network: str
) -> None:
    messages = BAD_DATA[network][2]
    project, result = results[command]
    assert not result.success
    errors = error_lines(result)
    assert "" not in errors, errors  # no compile error stopped dbt as a whole
    mine = {name: lines for name, lines in errors.items() if name.startswith(f"{network}_")}
    assert list(mine) == [f"{network}_training_data_checks"], errors
    (line,) = mine[f"{network}_training_data_checks"]
    assert line.startswith(f"sqlnn: network {network}: "), line
    for message in messages:
        assert message.replace("DATA", f"data_{network}") in line, line
    status = statuses(result)
    for model in ("training_examples", "epoch_0001_forward", "epoch_0001_update", "trained_params"):
        assert status.get(f"{network}_{model}", "skipped") == "skipped", (model, status.get(f"{network}_{model}"))
    tables = {name for (name,) in project.query("select table_name from information_schema.tables")}
    # only its initial parameters, which do not read the data, exist
    assert {name for name in tables if name.startswith(f"{network}_")} <= {f"{network}_initial_params"}


@pytest.mark.parametrize("command", ["build", "run"])
def test_unusual_column_names_are_quoted(results: dict[str, tuple[DbtProject, object]], command: str) -> None:
    """Spaces, upper case and reserved words as feature and label names train like any other."""
    project, result = results[command]
    nodes = _network_nodes(statuses(result), "odd_names")
    assert set(nodes.values()) <= {"success", "pass"} and "odd_names_trained_params" in nodes, nodes
    if command == "build":
        assert any(s == "pass" for s in nodes.values())  # its dbt tests ran, and passed
    (loss,) = project.query("select loss from odd_names_training_history")[0]
    assert loss == pytest.approx(math.log(3), abs=1e-3)
    columns = [row[0] for row in project.query("select column_name from (describe odd_names_predictions)")]
    assert [c for c in columns if c in ODD_NAMES] == ODD_NAMES[:2]


@pytest.mark.parametrize("command", ["build", "run"])
def test_a_warm_start_of_the_wrong_shape_names_the_layers(
    results: dict[str, tuple[DbtProject, object]], command: str
) -> None:
    """init_params for 2 -> 3 -> 3 used with hidden [4]: one line instead of silently missing units."""
    project, result = results[command]
    errors = error_lines(result)
    mine = {name: lines for name, lines in errors.items() if name.startswith("wrong_shape_")}
    assert list(mine) == ["wrong_shape_initial_params"], errors
    (line,) = mine["wrong_shape_initial_params"]
    assert line.startswith("sqlnn: network wrong_shape: init_params 'start_params' does not fit the layers 2 -> 4 -> 3")
    assert "W1 has 6 rows" in line and "W2 has 9 rows" in line
    assert statuses(result)["wrong_shape_epoch_0001_forward"] == "skipped"
    # the same start with the layers it fits trains, in the same run
    nodes = _network_nodes(statuses(result), "right_shape")
    assert set(nodes.values()) <= {"success", "pass"} and "right_shape_trained_params" in nodes, nodes
    assert project.query("select count(*) from right_shape_trained_params") == [(len(START),)]
