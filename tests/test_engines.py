"""The unchanged project on BigQuery (a local emulator) and Spark gives DuckDB's numbers to 1e-12.

Each engine trains the networks of NETWORKS (Spark: SPARK_NETWORKS) for a few epochs with
one `dbt build` (models, dbt tests and unit tests), and every column of the compared tables must match the DuckDB
run: integers and strings exactly, floats within TOLERANCE relative to the value (absolute below 1). The
compared tables are read whole (`select *`), so columns that later work adds are compared too.
"""

from __future__ import annotations

import json
import math
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot
from conftest import REPO, DbtProject, copy_project, spiral_settings, statuses
from sqlglot.tokens import TokenType

from sqlnn import datasets, scaffold

# Two: the second epoch reads the first's parameters and optimizer state, as every later one would.
EPOCHS = 2
# Relative: a regression's evaluation is in the label's units (an MSE of 16250 differs in its 15th digit).
TOLERANCE = 1e-12
# initial_params proves the initialiser's integer PRNG; the two outputs prove training; the
# data models prove what is learned from the table (types, vocabulary, imputation, classes),
# and predictions the scoring with predicted_label and the probability columns named for the classes.
COMPARED_TABLES = ("initial_params", "training_history", "trained_params")
COMPARED_TABLES += ("classes", "training_examples", "feature_info", "vocabulary", "feature_scaling", "predictions")
# and the metrics computed from the predictions (ROC and PR AUC rank them, R2 sums them), and the
# gradient x input attributions (sqlnn.explain_predict) averaged per feature
COMPARED_TABLES += ("evaluation", "feature_importance")
# A few epochs cannot reach the full run's quality gates; every other dbt test still runs.
SHORT_RUN = {"min_train_accuracy": 0.0, "max_final_loss_ratio": 1.0}
# The spiral network as committed, and one that takes the other code paths: two hidden
# layers (delta through a hidden layer), tanh, momentum, a computed init scale. Both train
# in one project, so one `dbt build` per engine covers both.
NETWORKS = {
    "spiral": {},
    "tanh_momentum": {
        "hidden": [6, 5],
        "activation": "tanh",
        "optimizer": "momentum",
        "learning_rate": 0.5,
        "init_scale": "xavier",
        # mini-batches (tests/test_minibatch.py): each epoch's batch rows, clustered by batch on BigQuery
        "batches": 2,
    },
    # the messy breast cancer table (tests/test_messy_tables.py): a text column with NULLs, NULLs in a
    # number column, a boolean, text labels; made by a model from a seed of numbers only, since seed
    # loaders type text, booleans and NULLs differently (dbt-spark writes a text NULL as 'None')
    "messy": {
        "data": "messy_breast_cancer",
        "features": ["mean_radius", datasets.MESSY_NULL_COLUMN, "mean_smoothness", "clinic", "smoker"],
        "label": datasets.MESSY_LABEL,
        "classes": None,
        "hidden": [5],
        "init_scale": "xavier",
        "validation_fraction": 0.2,
        "standardize": True,
        # benign 357, malignant 212: weighted in the loss and its gradient (macros/data/_class_weights.sql)
        "class_weight": "balanced",
    },
    # regression (tests/test_regression.py): scikit-learn's diabetes table, its target a double
    "regression": {
        "data": "diabetes",
        "features": ["age", "bmi", "bp", "s5"],
        "label": datasets.DIABETES_LABEL,
        "classes": None,
        "hidden": [4],
        "init_scale": "xavier",
        "validation_fraction": 0.2,
        "optimizer": "adam",
        "learning_rate": 0.01,
        "standardize": True,
        "min_train_r2": -10.0,
        "min_validation_r2": -10.0,
        # 2 epochs of 2 mini-batches, so Spark runs them too: the validation loss is measured on each epoch's
        # first step; epoch 2's is not half of epoch 1's, so training stops there, its second step passes
        # the parameters through and the trained ones are those that entered epoch 1
        "epochs": 2,
        "batches": 2,
        "early_stopping": True,
        "patience": 1,
        "min_rel_progress": 0.5,
    },
}
# A regression network has no classes: its classes model is empty on every engine.
EMPTY_TABLES = {("regression", "classes")}

EMULATOR_HOST = "127.0.0.1"
EMULATOR_PROJECT, DATASET = "sqlnn-local", "sqlnn"


def _crucible() -> Path:
    """The emulator: $SQLNN_CRUCIBLE, else .venv-emulator beside the repository's or the running venv (a git
    worktree has no venvs of its own: `make install` makes both in the main checkout)."""
    if os.environ.get("SQLNN_CRUCIBLE"):
        return Path(os.environ["SQLNN_CRUCIBLE"])
    candidates = [REPO / ".venv-emulator", Path(sys.prefix).parent / ".venv-emulator"]
    return next((c / "bin" / "crucible" for c in candidates if (c / "bin" / "crucible").exists()), candidates[0])


Rows = list[dict[str, Any]]


def _short_project(destination: Path, networks: tuple[str, ...] = tuple(NETWORKS)) -> DbtProject:
    """The repository's project with `networks` of NETWORKS, EPOCHS epochs each unless a network says."""
    project = copy_project(destination)
    if "messy" in networks:
        columns, rows = datasets.messy_breast_cancer()
        # only the columns the network reads: dbt-spark loads a seed row by row (all 36 columns took 44 s)
        numeric = [c for c in NETWORKS["messy"]["features"] if c in datasets.breast_cancer_columns()]
        keep = [columns.index(c) for c in [*numeric, "clinic", "smoker", datasets.MESSY_LABEL]]
        columns, rows = [columns[k] for k in keep], [[row[k] for k in keep] for row in rows]
        project.write_seed("messy_codes", *datasets.messy_seed(columns, rows))
        (project.path / "models" / "messy_breast_cancer.sql").write_text(
            datasets.messy_model_sql("messy_codes", numeric)
        )
    # the seeds of the repository's networks that are left out: every engine would load them for nothing
    for name in ("spiral", "wine"):  # each trains on the seed of its name
        if name not in networks:
            (project.path / "seeds" / f"{name}.csv").unlink(missing_ok=True)
    if "regression" in networks:
        datasets.write_diabetes_csv(project.path / "seeds" / "diabetes_codes.csv")
        # every column a double: loaders would type whole numbers (59.0) as integers, and BigQuery refuses that
        double = "\"{{ 'float64' if target.type == 'bigquery' else 'double' }}\""
        columns = ", ".join(f"{name}: {double}" for name in [*datasets.diabetes_columns(), datasets.DIABETES_LABEL])
        (project.path / "seeds" / "_diabetes_codes.yml").write_text(
            f"version: 2\nseeds:\n  - name: diabetes_codes\n    config:\n      column_types: {{{columns}}}\n"
        )
        (project.path / "models" / "diabetes.sql").write_text(
            "select age, bmi, bp, s5, cast(progression as {{ sqlnn.type_double() }}) as progression"
            " from {{ ref('diabetes_codes') }}\n"
        )
    base = {key: value for key, value in spiral_settings().items() if key != "network"}
    for name in networks:
        if name == "spiral":
            project.scaffold("spiral", epochs=EPOCHS, **SHORT_RUN)
        else:
            project.scaffold(
                name, **{**base, **NETWORKS[name], **SHORT_RUN, "epochs": NETWORKS[name].get("epochs", EPOCHS)}
            )
    if "spiral" not in networks:
        project.remove_network("spiral")
        scaffold.remove_settings(project.path, "spiral")
    return project


def _build(project: DbtProject, *args: str, command: str = "build") -> None:
    result = project.dbt(command, *args)
    failed = {name: status for name, status in statuses(result).items() if status not in ("success", "pass")}
    assert result.success, result.exception or failed


def assert_tables_equal(actual: Rows, expected: Rows, what: str, allow_empty: bool = False) -> float:
    """Same columns and rows (matched on their non-float values); floats within TOLERANCE, relative to the
    value when it is above 1. Returns the worst such gap.
    Empty tables only with `allow_empty`."""
    actual = [{name.lower(): value for name, value in row.items()} for row in actual]
    expected = [{name.lower(): value for name, value in row.items()} for row in expected]
    if allow_empty and not expected:
        assert actual == [], f"{what}: {len(actual)} rows, DuckDB has none"
        return 0.0
    assert expected, f"{what}: the DuckDB run has no rows"
    assert len(actual) == len(expected), f"{what}: {len(actual)} rows, DuckDB has {len(expected)}"
    assert set(actual[0]) == set(expected[0]), f"{what}: columns {sorted(actual[0])} != {sorted(expected[0])}"

    def by_key(rows: Rows) -> dict[tuple, dict[str, Any]]:
        keyed = {tuple(sorted((k, v) for k, v in row.items() if not isinstance(v, float))): row for row in rows}
        assert len(keyed) == len(rows), f"{what}: rows are not unique on their non-float columns"
        return keyed

    actual_rows, expected_rows = by_key(actual), by_key(expected)
    assert actual_rows.keys() == expected_rows.keys(), f"{what}: different keys"
    worst = 0.0
    for key, expected_row in expected_rows.items():
        for column, want in expected_row.items():
            got = actual_rows[key][column]
            if isinstance(want, float) and isinstance(got, float):
                if math.isnan(want) and math.isnan(got):
                    continue
                gap = abs(got - want) / max(1.0, abs(want))
                assert gap <= TOLERANCE, f"{what}.{column} at {key}: {got!r} != {want!r} (relative gap {gap:.3e})"
                worst = max(worst, gap)
            else:
                assert got == want, f"{what}.{column} at {key}: {got!r} != {want!r}"
    return worst


@pytest.fixture(scope="module")
def duckdb_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Rows]]:
    """network -> table -> rows of the DuckDB run of every network of NETWORKS (one build)."""
    project = _short_project(tmp_path_factory.mktemp("duckdb") / "project")
    _build(project)
    runs: dict[str, dict[str, Rows]] = {}
    with duckdb.connect(str(project.database)) as connection:
        for network in NETWORKS:
            runs[network] = {}
            for table in COMPARED_TABLES:
                relation = connection.sql(f"select * from {network}_{table}")
                runs[network][table] = [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]
    return runs


# --- BigQuery, through crucible-emulator --------------------------------------------


def _free_port(host: str) -> int:
    """A port nothing listens on (not a fixed one: another checkout's tests may run an emulator too)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def bigquery_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """crucible-emulator serving the BigQuery API on loopback for this module; always stopped after."""
    crucible = _crucible()
    assert crucible.exists(), f"{crucible} is missing: `make install` makes it (or set SQLNN_CRUCIBLE)"
    port = _free_port(EMULATOR_HOST)
    endpoint = f"http://{EMULATOR_HOST}:{port}"
    log = (tmp_path_factory.mktemp("emulator") / "crucible.log").open("w")
    server = subprocess.Popen(
        [str(crucible), "serve", "--dialect", "bigquery", "--host", EMULATOR_HOST, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"the emulator exited with {server.returncode}; see {log.name}"
            try:
                with urllib.request.urlopen(f"{endpoint}/_crucible/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the emulator did not answer within 60 s"
            time.sleep(0.3)
        yield endpoint
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def emulator_tables(bigquery_emulator: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Rows]]:
    """network -> table -> rows of `dbt build --target bigquery_emulator` of every network of NETWORKS, built
    twice: the second, unchanged build must recompute nothing."""
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery

    project = _short_project(tmp_path_factory.mktemp("bigquery_emulator") / "project")
    client = bigquery.Client(
        project=EMULATOR_PROJECT,
        credentials=AnonymousCredentials(),
        client_options={"api_endpoint": bigquery_emulator},
    )

    def fingerprint_rows() -> list[tuple]:
        rows = client.query(f"select * from {DATASET}.sqlnn_fingerprints").result()
        return sorted(tuple(row.values()) for row in rows)

    try:
        with pytest.MonkeyPatch.context() as environment:
            environment.setenv("SQLNN_EMULATOR_ENDPOINT", bigquery_emulator)
            environment.setenv("SQLNN_EMULATOR_PROJECT", EMULATOR_PROJECT)
            environment.setenv("SQLNN_EMULATOR_DATASET", DATASET)
            _build(project, "--target", "bigquery_emulator")
            recorded = fingerprint_rows()
            # every model built appends its fingerprint (sqlnn_fingerprints is append-only): none may be added
            assert len(recorded) >= len(NETWORKS) * 4 * EPOCHS
            # `run`, not `build`: the reuse is the materialization's, and the tests passed in the first build
            _build(project, "--target", "bigquery_emulator", command="run")
            assert fingerprint_rows() == recorded, "an unchanged build recomputed models"
        return {
            network: {
                t: [dict(row) for row in client.query(f"select * from {DATASET}.{network}_{t}").result()]
                for t in COMPARED_TABLES
            }
            for network in NETWORKS
        }
    finally:
        client.close()


@pytest.mark.parametrize("network", NETWORKS)
def test_bigquery_emulator_equals_duckdb(
    network: str, emulator_tables: dict[str, dict[str, Rows]], duckdb_tables: dict[str, dict[str, Rows]]
) -> None:
    for table in COMPARED_TABLES:
        gap = assert_tables_equal(
            emulator_tables[network][table],
            duckdb_tables[network][table],
            f"bigquery_emulator {network}_{table}",
            allow_empty=(network, table) in EMPTY_TABLES,
        )
        print(f"bigquery_emulator {network}_{table}: largest gap to DuckDB {gap:.3e}")


# --- Spark, in a pyspark session -------------------------------------------------------

# Run in a child process whose working directory is the temporary project, so the
# JVM, metastore_db/, spark-warehouse/ and derby.log live and die there.
_SPARK_RUN = """
import json, sys
from dbt.cli.main import dbtRunner
arguments, tables, output = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
result = dbtRunner().invoke(arguments)
if not result.success:
    sys.exit(f"dbt build failed: {result.exception}")
from pyspark.sql import SparkSession
spark = SparkSession.builder.getOrCreate()
data = {t: [row.asDict() for row in spark.table(f"{DATASET}.{t}").collect()] for t in tables}
# a property only the tables the second build does not replace keep
names = [
    t.name for t in spark.catalog.listTables("{DATASET}") if t.name.startswith("messy_") and t.tableType != "VIEW"
]
for name in names:
    spark.sql(f"alter table {DATASET}.{name} set tblproperties ('sqlnn_test.mark' = 'kept')")
# `run`, not `build`: the reuse is the materialization's; the tests passed in the first build
again = dbtRunner().invoke(["run", "--select", "tag:messy", *arguments[1:]])
if not again.success:
    sys.exit(f"the second dbt run failed: {again.exception}")
data["rebuilt"] = [
    name for name in names
    if not any(row[0] == "sqlnn_test.mark" for row in spark.sql(f"show tblproperties {DATASET}.{name}").collect())
]
data["tables"] = names
with open(output, "w") as f:
    json.dump(data, f)
"""


# Classification (text categories, NULLs, string labels) and regression with early stopping; the spiral's
# code paths are a subset of the messy network's (it runs on DuckDB and the emulator).
SPARK_NETWORKS = ("messy", "regression")


@pytest.mark.spark
def test_spark_equals_duckdb(duckdb_tables: dict[str, dict[str, Rows]], tmp_path: Path) -> None:
    """SPARK_NETWORKS only: Spark takes seconds per model. Built, then run again: the unchanged second
    run must recompute nothing (read from a table property each table keeps only if not replaced)."""
    project = _short_project(tmp_path / "project", networks=SPARK_NETWORKS)
    output = tmp_path / "spark_tables.json"
    arguments = ["build", "--target", "spark", "--project-dir", str(project.path), "--profiles-dir", str(project.path)]
    environment = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "SQLNN_SPARK_SCHEMA": DATASET}
    tables = [f"{network}_{t}" for network in SPARK_NETWORKS for t in COMPARED_TABLES]
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            _SPARK_RUN.replace("{DATASET}", DATASET),
            *map(json.dumps, (arguments, tables)),
            str(output),
        ],
        cwd=project.path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    spark = json.loads(output.read_text())
    assert len(spark["tables"]) >= 4 * EPOCHS and spark["rebuilt"] == [], "an unchanged build recomputed models"
    for network in SPARK_NETWORKS:
        for table in COMPARED_TABLES:
            name = f"{network}_{table}"
            gap = assert_tables_equal(
                spark[name], duckdb_tables[network][table], f"spark {name}", (network, table) in EMPTY_TABLES
            )
            print(f"spark {name}: largest gap to DuckDB {gap:.3e}")
    # Spark's state went to the temporary copy, not to the repository.
    assert (project.path / "metastore_db").is_dir() and (project.path / "spark-warehouse").is_dir()


# --- Offline compile for the real BigQuery target --------------------------------------


# Far above an offline compile's ~20 s (2 busy cores): a macro that read the warehouse
# while compiling (adapter.get_columns_in_relation) would sit in the BigQuery client's
# retries for minutes, and must fail this test rather than hang it.
OFFLINE_COMPILE_SECONDS = 180
# The first epoch (reads the initial parameters), one in the middle and the last (read by the outputs): every
# kind of epoch model the committed 45 hold; from one epoch to the next the SQL differs only in its refs and
# numbers (the epoch, Adam's bias-corrected step size).
COMPILED_EPOCHS = 3


def test_every_model_compiles_for_bigquery_offline(tmp_path: Path) -> None:
    """Both repository networks (spiral, wine: every model), scaffolded to COMPILED_EPOCHS epochs. No network: a
    dummy token, no cache population, and a proxy that refuses every connection."""
    project = copy_project(tmp_path / "project", only=None)
    assert set(project.networks()) == {"spiral", "wine"}
    for name in ("spiral", "wine"):
        project.scaffold(name, epochs=COMPILED_EPOCHS)
    environment = {
        **os.environ,
        "SQLNN_BIGQUERY_METHOD": "oauth-secrets",
        "SQLNN_BIGQUERY_TOKEN": "offline-dummy-token",
        "SQLNN_BIGQUERY_PROJECT": "sqlnn-offline-check",
    }
    for proxy in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        environment[proxy] = "http://127.0.0.1:9"
    arguments = ["compile", "--target", "bigquery", "--no-populate-cache", "--project-dir", str(project.path)]
    arguments += ["--profiles-dir", str(project.path), "--log-path", str(project.path / "logs")]
    arguments += ["--target-path", str(project.path / "target")]
    try:  # a child process, so a compile stuck on the network can be stopped
        run = subprocess.run(
            [sys.executable, "-m", "dbt.cli.main", *arguments],
            env=environment,
            capture_output=True,
            text=True,
            timeout=OFFLINE_COMPILE_SECONDS,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"compile took over {OFFLINE_COMPILE_SECONDS} s: does a macro read the warehouse while compiling?")
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    compiled = sorted((project.path / "target" / "compiled" / "sqlnn").rglob("*.sql"))
    models = {p.stem for p in (project.path / "models").rglob("*.sql")}
    assert models <= {p.stem for p in compiled}, f"models not compiled: {models - {p.stem for p in compiled}}"
    for path in compiled:  # models, data tests and singular tests
        sql = path.read_text()
        if "_epoch_" in path.stem and path.stem in models:
            assert "`sqlnn-offline-check`.`sqlnn`." in sql, f"{path.name}: relations lack the BigQuery project"
        sqlglot.parse(sql, read="bigquery", error_level=sqlglot.ErrorLevel.RAISE)
        # sqlglot reads DOUBLE or VARCHAR as BigQuery types too; BigQuery itself does not.
        assert set(cast_types(sql)) <= BIGQUERY_TYPES, f"{path.name}: casts to {set(cast_types(sql)) - BIGQUERY_TYPES}"
    # The types dbt itself casts to or creates columns as: the contracts' data_type and the seeds' column_types.
    manifest = json.loads((project.path / "target" / "manifest.json").read_text())
    declared = {
        f"{node['name']}.{column['name']}": column["data_type"].lower()
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["contract"]["enforced"]
        for column in node["columns"].values()
    }
    declared |= {
        f"{node['name']}.{column}": kind.lower()
        for node in manifest["nodes"].values()
        if node["resource_type"] == "seed"
        for column, kind in node["config"]["column_types"].items()
    }
    assert {"spiral_trained_params.layer", "wine_trained_params.value", "spiral.label"} <= declared.keys()
    assert {name: kind for name, kind in declared.items() if kind not in BIGQUERY_TYPES} == {}


BIGQUERY_TYPES = {"int64", "float64", "string", "bool", "numeric", "bignumeric", "bytes", "date", "datetime"}
BIGQUERY_TYPES |= {"time", "timestamp", "json", "int", "integer", "bigint", "smallint", "tinyint", "byteint", "decimal"}


def cast_types(sql: str) -> list[str]:
    """The type names written in CAST(... AS type) and SAFE_CAST, as spelled in the SQL."""
    tokens = sqlglot.Dialect.get_or_raise("bigquery").tokenize(sql)
    in_cast: list[bool] = []
    types = []
    for previous, token, following in zip([None, *tokens], tokens, [*tokens[1:], None], strict=False):
        if token.token_type == TokenType.L_PAREN:
            in_cast.append(previous is not None and previous.text.lower() in ("cast", "safe_cast"))
        elif token.token_type == TokenType.R_PAREN and in_cast:
            in_cast.pop()
        elif token.token_type == TokenType.ALIAS and in_cast and in_cast[-1] and following is not None:
            types.append(following.text.lower())
    return types
