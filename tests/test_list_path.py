"""On DuckDB the list path (duckdb__forward/backprop/training_features) trains exactly like the portable long form.

Every case is two networks of one project, `<case>_list` and `<case>_portable`, with the
same data, starting parameters and settings but `duckdb_list_path`; one `dbt build` trains
all of them.
"""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import REPO, DbtProject, copy_project, params_rows, start_params, statuses

from sqlnn import scaffold

EPOCHS = 4
RTOL = 1e-12
LEARNING_RATES = {"sgd": 0.5, "momentum": 0.2, "adam": 0.02}
SPLIT = {"validation_fraction": 0.2, "standardize": True}
NO_SPLIT = {"validation_fraction": 0, "standardize": False}
CASES = [
    ("relu", "adam", [7], NO_SPLIT),
    ("leaky_relu", "sgd", [6, 5], SPLIT),
    ("tanh", "momentum", [7], SPLIT),
    ("sigmoid", "adam", [6, 5], NO_SPLIT),
    ("relu", "momentum", [6, 5, 4], SPLIT),
    ("tanh", "adam", [4, 4], NO_SPLIT),
]
PATHS = {"list": True, "portable": False}
# cases whose list network gathers the weight gradients into lists of every example (duckdb_streaming_max_weights:
# 0, as it does by default for tables this small); the others sum them as a streaming aggregate
# (duckdb_streaming_min_rows: 0)
GATHERED = {"leaky_relu_sgd_6x5_split", "tanh_adam_4x4_all"}
STATE = "select layer, param, i, j, value, momentum_buffer, exp_avg, exp_avg_sq from {} order by layer, param, i, j"


def _case(activation: str, optimizer: str, hidden: list[int], data: dict) -> str:
    split = "split" if data["validation_fraction"] else "all"
    return f"{activation}_{optimizer}_{'x'.join(map(str, hidden))}_{split}"


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    """One project with both networks of every case (the spiral data, no spiral network), built once."""
    project = copy_project(tmp_path_factory.mktemp("list_path") / "project")
    shutil.rmtree(project.path / project.networks()["spiral"].folder)
    scaffold.remove_settings(project.path, "spiral")
    for activation, optimizer, hidden, data in CASES:
        case = _case(activation, optimizer, hidden, data)
        project.write_seed(
            f"{case}_start", ["layer", "param", "i", "j", "value"], params_rows(start_params([2, *hidden, 3]))
        )
        for path, list_path in PATHS.items():
            project.scaffold(
                f"{case}_{path}",
                epochs=EPOCHS,
                data="spiral",
                features=["x1", "x2"],
                label="label",
                classes=3,
                hidden=hidden,
                activation=activation,
                optimizer=optimizer,
                learning_rate=LEARNING_RATES[optimizer],
                reg=0.001,
                init_params=f"{case}_start",
                # three UNION ALL slices (uneven where the split takes validation rows out) must not change anything
                duckdb_chunks=3,
                duckdb_list_path=list_path,
                # the gathered cases by the weights, the others streamed however few rows (duckdb_streaming_min_rows)
                **({"duckdb_streaming_max_weights": 0} if case in GATHERED and list_path else {}),
                **({"duckdb_streaming_min_rows": 0} if case not in GATHERED and list_path else {}),
                **data,
            )
    result = project.dbt("build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
    failed = {name: status for name, status in statuses(result).items() if status != "success"}
    assert result.success, result.exception or failed
    return project


def _tables(project: DbtProject, network: str) -> dict[str, list[tuple]]:
    return {
        "gradients of epoch 1": project.query(
            f"select layer, param, i, j, gradient from {scaffold.model_name(network, 1, 'backprop')} order by all"
        ),
        "parameters and optimizer state": project.query(STATE.format(scaffold.model_name(network, EPOCHS, "update"))),
        "training_history": project.query(f"select * from {network}_training_history order by epoch"),
        "predictions": project.query(f"select * from {network}_predictions order by row_id"),
    }


def _assert_close(fast: list[tuple], portable: list[tuple], what: str, scale: float = 1e-300) -> None:
    """Equal within RTOL of each value, or of `scale` for values nearer zero (a sum that cancels)."""
    assert fast, f"{what}: no rows"
    assert len(fast) == len(portable), f"{what}: {len(fast)} rows on the list path, {len(portable)} portable"
    for fast_row, portable_row in zip(fast, portable, strict=True):
        for a, b in zip(fast_row, portable_row, strict=True):
            if isinstance(b, float):
                assert abs(a - b) <= RTOL * max(abs(b), scale), f"{what}: {fast_row} != {portable_row}"
            else:
                assert a == b, f"{what}: {fast_row} != {portable_row}"


def _columns(project: DbtProject, table: str) -> set[str]:
    return {name for (name,) in project.query(f"select column_name from (describe {table})")}


@pytest.mark.parametrize(("activation", "optimizer", "hidden", "data"), CASES, ids=[_case(*case) for case in CASES])
def test_list_path_equals_portable_path(
    trained: DbtProject, activation: str, optimizer: str, hidden: list[int], data: dict
) -> None:
    """data: with a validation split (backprop must use the training rows only) and standardised features."""
    case = _case(activation, optimizer, hidden, data)
    # each path really ran: only the list path's tables hold lists
    assert "value_list" in _columns(trained, f"{case}_list_training_features")
    assert "value_list" not in _columns(trained, f"{case}_portable_training_features")
    assert "activation_list" in _columns(trained, scaffold.model_name(f"{case}_list", 1, "forward"))
    compiled = trained.path / "target" / "compiled" / "sqlnn" / "models"
    (backprop,) = compiled.rglob(f"{scaffold.model_name(f'{case}_list', 1, 'backprop')}.sql")
    assert ("matrices as (" if case in GATHERED else "block_sums as (") in backprop.read_text()
    fast, portable = _tables(trained, f"{case}_list"), _tables(trained, f"{case}_portable")
    for what in portable:
        _assert_close(fast[what], portable[what], what)


@pytest.mark.parametrize(("activation", "optimizer", "hidden", "data"), CASES, ids=[_case(*case) for case in CASES])
def test_a_forward_pass_only_the_loss_reads_is_a_view_of_the_same_rows(
    trained: DbtProject, activation: str, optimizer: str, hidden: list[int], data: dict
) -> None:
    """The streaming backprop recomputes the forward pass, so the list path's forward model is a view
    (sqlnn.epoch_materialization); querying it gives every unit's z and a as the portable path's table holds them."""
    case = _case(activation, optimizer, hidden, data)
    forward, portable = (scaffold.model_name(f"{case}_{path}", EPOCHS, "forward") for path in PATHS)
    kind = "select table_type from information_schema.tables where table_name = '{}'"
    assert trained.query(kind.format(forward)) == [("BASE TABLE",) if case in GATHERED else ("VIEW",)]
    assert trained.query(kind.format(portable)) == [("BASE TABLE",)]
    units = trained.query(
        f"select row_id, layer, unit, pre_activation, activation from {forward} where unit is not null "
        "union all "
        "select row_id, layer, unnest(range(len(activation_list))), unnest(pre_activation_list), "
        f"unnest(activation_list) from {forward} where unit is null "
        "order by row_id, layer, unit"
    )
    expected = f"select row_id, layer, unit, pre_activation, activation from {portable} order by row_id, layer, unit"
    # a pre-activation near zero is a sum that cancels: its last bits depend on the order of the terms
    _assert_close(units, trained.query(expected), "forward", scale=1.0)


def test_cases_cover_every_activation_and_optimizer() -> None:
    """A new activation or optimizer in the settings check needs a case here."""
    settings = (REPO / "macros" / "settings" / "_settings.sql").read_text()

    def allowed(setting: str) -> set[str]:
        (names,) = re.findall(rf"v\.{setting} not in \[([^\]]*)\]", settings)
        return {name.strip(" '") for name in names.split(",")}

    assert {case[0] for case in CASES} == allowed("activation")
    assert {case[1] for case in CASES} == allowed("optimizer") == set(LEARNING_RATES)
    assert {len(case[2]) for case in CASES} == {1, 2, 3}
    assert {case[3]["validation_fraction"] > 0 for case in CASES} == {True, False}
