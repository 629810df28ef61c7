"""Another dbt project installs sqlnn from a local path, scaffolds its own epochs and trains on its own table.

The throw-away project has its own seed (scikit-learn's iris, 4 features in centimetres),
sets only the data vars (every other setting is the library default: standardised features,
a 20% validation split), disables the package's own spiral models as the README says, runs
`sqlnn scaffold --project-dir` for 30 epochs, `dbt deps` and `dbt build`, and scores new rows
with `sqlnn.predict` in a model of its own.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
import yaml
from conftest import copy_project
from dbt.cli.main import dbtRunner
from sklearn.datasets import load_iris

from sqlnn import scaffold
from sqlnn.cli import main as sqlnn_main

EPOCHS = 30
FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture(scope="module")
def consumer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("package_use")
    package = copy_project(root / "sqlnn").path
    project = root / "flowers"
    (project / "seeds").mkdir(parents=True)
    (project / "models").mkdir()
    iris = load_iris()
    _write_csv(
        project / "seeds" / "iris_measurements.csv",
        [*FEATURES, "species"],
        [[*map(repr, x), int(y)] for x, y in zip(iris.data.tolist(), iris.target, strict=True)],
    )
    _write_csv(
        project / "seeds" / "new_flowers.csv",
        ["flower_id", *FEATURES],
        [[1, 5.0, 3.4, 1.5, 0.2], [2, 6.7, 3.0, 5.2, 2.3]],
    )
    config = {
        "name": "flowers",
        "version": "1.0.0",
        "config-version": 2,
        "profile": "flowers",
        "vars": {
            "nn_training_data": "iris_measurements",
            "nn_features": FEATURES,
            "nn_label": "species",
            "nn_classes": 3,
            "nn_learning_rate": 0.02,
        },
    }
    # the README's snippet, verbatim
    (project / "dbt_project.yml").write_text(yaml.safe_dump(config, sort_keys=False) + scaffold.DISABLE_PACKAGE_MODELS)
    (project / "packages.yml").write_text(yaml.safe_dump({"packages": [{"local": str(package)}]}))
    profile = {
        "flowers": {
            "target": "dev",
            "outputs": {"dev": {"type": "duckdb", "path": str(project / "flowers.duckdb"), "threads": 1}},
        }
    }
    (project / "profiles.yml").write_text(yaml.safe_dump(profile))
    (project / "models" / "scored_flowers.sql").write_text("{{ sqlnn.predict(ref('new_flowers')) }}\n")
    return project


def _dbt(project: Path, *args: str) -> None:
    command = [*args, "--project-dir", str(project)]
    if args[0] != "deps":
        command += ["--profiles-dir", str(project), "--target-path", str(project / "target")]
    result = dbtRunner().invoke(command)
    assert result.success, result.exception


def test_scaffold_writes_epochs_and_pipeline_into_the_consumer(consumer: Path, capsys: pytest.CaptureFixture) -> None:
    assert sqlnn_main(["scaffold", "--epochs", str(EPOCHS), "--project-dir", str(consumer)]) == 0
    generated = consumer / scaffold.GENERATED_DIR
    assert (generated / f"nn_{scaffold.model_name(EPOCHS, 'update')}.sql").is_file()
    for name in scaffold.PIPELINE_MODELS:
        assert (generated / f"nn_{name}.sql").is_file()
    assert "would clash" not in capsys.readouterr().err  # the project disables the package's models
    assert sqlnn_main(["scaffold", "--check", "--project-dir", str(consumer)]) == 0


def test_consumer_trains_and_scores_its_own_rows(consumer: Path) -> None:
    import duckdb

    _dbt(consumer, "deps")
    _dbt(consumer, "build")
    with duckdb.connect(str(consumer / "flowers.duckdb")) as connection:
        tables = {row[0] for row in connection.sql("select table_name from information_schema.tables").fetchall()}
        assert f"nn_{scaffold.model_name(EPOCHS, 'update')}" in tables
        assert not any(table.startswith("epoch_") for table in tables)  # the package's spiral demo is disabled
        assert "spiral" not in tables
        history = connection.sql(
            "select epoch, loss, val_loss, val_accuracy from nn_training_history order by epoch"
        ).fetchall()
        assert [row[0] for row in history] == list(range(1, EPOCHS + 1))
        assert all(row[2] is not None for row in history)  # library default: a validation split
        assert history[-1][1] < 0.5 * history[0][1]
        evaluation = dict(connection.sql("select split, accuracy from nn_evaluation").fetchall())
        assert evaluation["validation"] >= 0.9
        centers = connection.sql("select min(scale), max(scale) from nn_feature_scaling").fetchall()[0]
        assert centers[0] != 1.0  # library default: standardised features
        scored = connection.sql("select flower_id, predicted_class from scored_flowers order by flower_id").fetchall()
        assert scored == [(1, 0), (2, 2)]  # a textbook setosa and a textbook virginica
    assert not os.path.exists(consumer / "sqlnn.duckdb")
