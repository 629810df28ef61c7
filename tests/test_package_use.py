"""A new user's dbt project, following the README's "Use sqlnn in your project" literally.

In a throw-away folder: a fresh virtualenv gets `pip install <this repository>` (which must bring
the `sqlnn` CLI, dbt-core and dbt-duckdb), a dbt project of its own lists the repository in
packages.yml, and then, as shell commands: `dbt deps`, `sqlnn scaffold` for two networks in one
schema (scikit-learn's iris, 3 classes; its breast cancer table, 2 classes, with column names that
need quoting, a text column with NULLs, a label column in upper case holding 'yes'/'no', balanced
class weights and early stopping), `dbt build`, `dbt ls` of each network's tests, `dbt test`,
`dbt docs generate`, models of the user's own that call `sqlnn.predict` and `sqlnn.explain_predict`,
and `sqlnn status`.
Then: a diverging learning rate makes `dbt build` fail on the network's own tests; fewer
epochs plus `sqlnn prune` leave no stale tables; sqlnn's own networks and seeds never appear.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import REPO
from sklearn.datasets import load_breast_cancer, load_iris

# iris: validation accuracy 0.967 from epoch 24 on (0.9 is asserted); fewer epochs keep make test in its budget
EPOCHS = 30
# tumours stops early at epoch 14 (patience 3), so its last epochs pass the parameters through
EPOCHS_OF = {"iris": EPOCHS, "tumours": 20}
CLINICS = ("north", "south", "east")
IRIS = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


class Shell:
    """Commands run as a user types them, in the project folder, with the new venv first on PATH."""

    def __init__(self, project: Path, venv: Path) -> None:
        self.project = project
        self.env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}", "DBT_PROFILES_DIR": str(project)}
        self.env.pop("SQLNN_DUCKDB_PATH", None)

    def __call__(self, *command: str, ok: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(command, cwd=self.project, env=self.env, capture_output=True, text=True, timeout=900)
        if ok:
            assert result.returncode == 0, (
                f"{' '.join(command)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
            )
        return result


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory) -> Shell:
    root = tmp_path_factory.mktemp("package_use")
    venv = root / "venv"
    # README step 1: install the CLI (and with it dbt-core and dbt-duckdb) from the repository
    uv = Path(sys.executable).with_name("uv")
    subprocess.run([str(uv), "venv", "--quiet", str(venv)], check=True)
    subprocess.run(
        [str(uv), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), str(REPO)], check=True
    )

    project = root / "clinic"
    (project / "seeds").mkdir(parents=True)
    (project / "models").mkdir()
    iris = load_iris()
    _write_csv(
        project / "seeds" / "flowers.csv",
        [*IRIS, "species"],
        [[*map(repr, x), int(y)] for x, y in zip(iris.data.tolist(), iris.target, strict=True)],
    )
    _write_csv(
        project / "seeds" / "new_flowers.csv", ["flower_id", *IRIS], [[1, 5.0, 3.4, 1.5, 0.2], [2, 6.7, 3.0, 5.2, 2.3]]
    )
    cancer = load_breast_cancer()
    # names as scikit-learn spells them ("mean radius", "worst concave points"), a text column with NULLs
    # (empty cells), the label as text
    _write_csv(
        project / "seeds" / "tumours.csv",
        [*cancer.feature_names, "Clinic", "Malignant"],
        [
            [*map(repr, x), "" if i % 7 == 0 else CLINICS[i % 3], "no" if y else "yes"]
            for i, (x, y) in enumerate(zip(cancer.data.tolist(), cancer.target, strict=True))
        ],
    )
    config = {"name": "clinic", "version": "1.0.0", "config-version": 2, "profile": "clinic"}
    (project / "dbt_project.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    profile = {
        "clinic": {"target": "dev", "outputs": {"dev": {"type": "duckdb", "path": "clinic.duckdb", "threads": 1}}}
    }
    (project / "profiles.yml").write_text(yaml.safe_dump(profile))
    # README step 2: packages.yml
    (project / "packages.yml").write_text(yaml.safe_dump({"packages": [{"local": str(REPO)}]}))
    # README step 6: score new rows in a model of your own
    (project / "models" / "scored_flowers.sql").write_text("{{ sqlnn.predict(ref('new_flowers'), network='iris') }}\n")
    (project / "models" / "explained_tumours.sql").write_text(
        "{{ sqlnn.explain_predict(ref('tumours'), network='tumours') }}\n"
    )

    run = Shell(project, venv)
    assert run("sqlnn", "--version").stdout.startswith("sqlnn ")
    run("dbt", "deps")
    run("sqlnn", "scaffold", "iris", "--data", "flowers", "--features", ",".join(IRIS), "--label", "species",
        "--classes", "3", "--epochs", str(EPOCHS))  # fmt: skip
    run("sqlnn", "scaffold", "tumours", "--data", "tumours", "--features", ",".join([*cancer.feature_names, "Clinic"]),
        "--label", "Malignant", "--epochs", str(EPOCHS_OF["tumours"]), "--class-weight", "balanced",
        "--early-stopping", "true", "--patience", "3")  # fmt: skip
    return run


def _query(shell: Shell, sql: str) -> list[tuple]:
    with duckdb.connect(str(shell.project / "clinic.duckdb"), read_only=True) as connection:
        return connection.sql(sql).fetchall()


def test_scaffold_writes_one_folder_and_one_settings_block_per_network(shell: Shell) -> None:
    config = yaml.safe_load((shell.project / "dbt_project.yml").read_text())
    for name, classes in (("iris", 3), ("tumours", None)):  # tumours' classes are learned from its labels
        settings = config["models"]["clinic"][name]["+meta"]["sqlnn"]
        assert settings["network"] == name and settings.get("classes") == classes
        assert settings["epochs"] == EPOCHS_OF[name]
        last = f"{name}_epoch_{EPOCHS_OF[name]:04d}_update.sql"
        assert (shell.project / "models" / name / "epochs" / last).is_file()
    assert shell("sqlnn", "scaffold", "--check").returncode == 0


def test_both_networks_train_side_by_side_and_run_their_tests(shell: Shell) -> None:
    build = shell("dbt", "build")
    assert "Completed successfully" in build.stdout
    tables = {row[0] for row in _query(shell, "select table_name from information_schema.tables")}
    for name in ("iris", "tumours"):
        assert f"{name}_epoch_{EPOCHS_OF[name]:04d}_update" in tables and f"{name}_trained_params" in tables
        history = _query(shell, f"select epoch, loss, val_loss, stopped from {name}_training_history order by epoch")
        assert [row[0] for row in history] == list(range(1, EPOCHS_OF[name] + 1))
        trained = [row for row in history if not row[3]]  # tumours may stop early: later epochs have no loss
        assert all(row[2] is not None for row in trained)  # library default: a validation split
        assert trained[-1][1] < trained[0][1]
        accuracy = dict(_query(shell, f"select split, accuracy from {name}_evaluation"))
        assert accuracy["validation"] >= 0.9, (name, accuracy)
    # none of sqlnn's own networks or seeds
    assert not any(t.startswith(("spiral", "wine")) for t in tables), sorted(tables)
    # the user's own model scores new rows with the iris network
    assert _query(shell, "select flower_id, predicted_class from scored_flowers order by 1") == [(1, 0), (2, 2)]
    # probabilities of the column names that need quoting came through
    columns = [row[0] for row in _query(shell, "select column_name from information_schema.columns "
                                               "where table_name = 'tumours_predictions'")]  # fmt: skip
    assert "mean radius" in columns and "probability_yes" in columns
    assert _query(shell, "select distinct predicted_label from tumours_predictions order by 1") == [("no",), ("yes",)]
    # the user's own model explains each row: one attribution per feature, the text column's included
    explained = _query(
        shell, 'select count(*), count("attribution_mean radius"), count("attribution_Clinic") from explained_tumours'
    )
    assert explained == [(569, 569, 569)]
    # `sqlnn status` right after the build: every model would be reused
    status = shell("sqlnn", "status", "tumours").stdout
    assert ", 0 would be computed" in status, status

    for name in ("iris", "tumours"):
        listed = shell("dbt", "ls", "--resource-type", "test", "--select", f"tag:{name}", "--output", "name").stdout
        for test in (
            f"sqlnn_loss_decreases_{name}_training_history_loss__{name}",
            f"sqlnn_all_finite_{name}_training_history_loss",
            f"sqlnn_all_finite_{name}_trained_params_value",
            f"{name}_train_accuracy_at_least",
            f"{name}_validation_accuracy_at_least",
            f"sqlnn_unique_combination_{name}_trained_params_layer__param__i__j",
        ):
            assert test in listed, (test, listed)
        other = "tumours" if name == "iris" else "iris"
        assert f"{other}_train_accuracy_at_least" not in listed
    tested = shell("dbt", "test", "--select", "tag:iris")
    assert "Completed successfully" in tested.stdout and "PASS=" in tested.stdout
    shell("dbt", "docs", "generate")
    assert (shell.project / "target" / "catalog.json").is_file()
    # the package's materialization stored fingerprints in this project, and its on-run-end hook reports
    assert re.search(r"sqlnn: network iris: 0 models reused, \d+ recomputed", build.stdout), build.stdout[-2000:]
    marked = {
        row[0]
        for row in _query(shell, "select table_name from duckdb_tables() where comment like 'sqlnn fingerprint %'")
    }
    assert f"iris_epoch_{EPOCHS:04d}_update" in marked and "tumours_trained_params" in marked
    again = shell("dbt", "run", "--select", "tumours")  # unchanged: nothing recomputed
    assert re.search(r"sqlnn: network tumours: \d+ models reused, 0 recomputed", again.stdout), again.stdout[-2000:]


def test_a_diverging_learning_rate_fails_the_build(shell: Shell) -> None:
    # so large that the parameters pass the guard's 1e100 within the first epochs (1000 took 35 epochs)
    settings = "{sqlnn: {iris: {optimizer: sgd, learning_rate: 1e50}}}"
    diverging = shell("dbt", "build", "--select", "iris+", "--vars", settings, ok=False)
    assert diverging.returncode != 0
    assert "sqlnn: network iris: training diverged" in diverging.stdout or "loss_decreases" in diverging.stdout


def test_fewer_epochs_and_prune_leave_no_stale_tables(shell: Shell) -> None:
    shell("sqlnn", "scaffold", "iris", "--epochs", str(EPOCHS - 10))
    assert (shell.project / "models" / "iris" / "epochs" / f"iris_epoch_{EPOCHS - 10:04d}_update.sql").is_file()
    assert not (shell.project / "models" / "iris" / "epochs" / f"iris_epoch_{EPOCHS - 9:04d}_update.sql").exists()
    dry = shell("sqlnn", "prune", "--dry-run")
    assert "would drop 40 relation(s)" in dry.stdout, dry.stdout
    shell("sqlnn", "prune")
    tables = {row[0] for row in _query(shell, "select table_name from information_schema.tables")}
    assert f"iris_epoch_{EPOCHS - 10:04d}_update" in tables
    assert not any(t.startswith("iris_epoch_") and int(t.split("_")[2]) > EPOCHS - 10 for t in tables)
    assert f"tumours_epoch_{EPOCHS_OF['tumours']:04d}_update" in tables  # the other network is untouched
