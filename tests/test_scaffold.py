"""`sqlnn scaffold` writes one forward/loss/backprop/update model per epoch and `--check` guards them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, DbtProject

from sqlnn import scaffold
from sqlnn.cli import main


def test_committed_models_match_the_generator() -> None:
    assert main(["scaffold", "--check", "--project-dir", str(REPO)]) == 0


def test_each_epoch_chains_to_the_previous_update() -> None:
    files = scaffold.render(3)
    assert "ref('initial_params')" in files["epoch_0001_forward.sql"]
    assert "ref('epoch_0002_update')" in files["epoch_0003_forward.sql"]
    assert "ref('epoch_0002_update')" in files["epoch_0003_update.sql"]
    assert "gradients=ref('epoch_0003_backprop')" in files["epoch_0003_update.sql"]
    assert "forward=ref('epoch_0003_forward')" in files["epoch_0003_loss.sql"]
    assert "forward=ref('epoch_0003_forward')" in files["epoch_0003_backprop.sql"]
    assert "ref('epoch_0003_update')" in files["trained_params.sql"]
    assert all(f"ref('epoch_000{e}_loss')" in files["training_history.sql"] for e in (1, 2, 3))
    assert all("sqlnn scaffold --epochs 3" in text for text in files.values())


def test_check_reports_edited_missing_and_unexpected_files(project: DbtProject, capsys: pytest.CaptureFixture) -> None:
    folder = project.path / scaffold.GENERATED_DIR
    scaffold.write(project.path, 3)
    assert main(["scaffold", "--check", "--project-dir", str(project.path)]) == 0
    (folder / "epoch_0002_loss.sql").write_text("select 1\n")
    (folder / "epoch_0003_backprop.sql").unlink()
    (folder / "stray.sql").write_text("select 1\n")
    assert main(["scaffold", "--check", "--epochs", "3", "--project-dir", str(project.path)]) == 1
    err = capsys.readouterr().err
    assert "differs: epoch_0002_loss.sql" in err
    assert "missing: epoch_0003_backprop.sql" in err
    assert "unexpected: stray.sql" in err


def test_check_fails_when_epoch_count_differs(project: DbtProject) -> None:
    scaffold.write(project.path, 3)
    assert main(["scaffold", "--check", "--epochs", "4", "--project-dir", str(project.path)]) == 1


def test_rescaffolding_fewer_epochs_removes_the_rest(project: DbtProject, capsys: pytest.CaptureFixture) -> None:
    scaffold.write(project.path, 5)
    assert main(["scaffold", "--epochs", "2", "--project-dir", str(project.path)]) == 0
    out = capsys.readouterr().out
    assert "2 epochs" in out
    assert scaffold.committed_epochs(project.path) == 2
    assert not (project.path / scaffold.GENERATED_DIR / "epoch_0003_forward.sql").exists()
    # Running again with the epochs it finds writes nothing.
    assert main(["scaffold", "--project-dir", str(project.path)]) == 0
    assert "0 files written" in capsys.readouterr().out


def test_scaffold_refuses_a_folder_without_dbt_project(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        main(["scaffold", "--epochs", "2", "--project-dir", str(tmp_path)])
    assert "no dbt_project.yml" in capsys.readouterr().err


def test_zero_epochs_is_rejected() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        scaffold.render(0)


def test_pipeline_models_for_packages_are_sqlnns_own_models() -> None:
    """A project that installs sqlnn gets the same one-line models as sqlnn's models/training, outputs, evaluation."""
    for name, (call, _) in scaffold.PIPELINE_MODELS.items():
        (path,) = [p for p in REPO.glob(f"models/**/{name}.sql") if "generated" not in p.parts]
        depends_on = scaffold.PIPELINE_DEPENDS_ON.get(name)
        first = f"-- depends_on: {{{{ ref('{depends_on}') }}}}\n" if depends_on else ""
        assert path.read_text().strip() == f"{first}{{{{ {call} }}}}", name
