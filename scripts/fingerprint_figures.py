"""The figures of README "Re-runs, more epochs, continuing, status": wall times of `dbt build` (the dbt CLI, as a
user runs it) on the spiral network in a throw-away copy of the project, DuckDB.

    python scripts/fingerprint_figures.py [--epochs 100]

1. a fresh build of EPOCHS epochs, 2. the same build again, unchanged, 3. `sqlnn scaffold spiral --epochs 2*EPOCHS`
and a build (extend), 4. a fresh build of 2*EPOCHS epochs in another copy, 5. a fresh build killed (kill -9) once
epoch EPOCHS/2 starts, then a build (resume), 6. for scale, dbt's own floor: `dbt run` of as many models as
the EPOCHS-epoch network has, each doing nothing. It checks that the extended run's final parameters, optimizer
state and history equal the fresh 2*EPOCHS run's bit for bit, and that the resumed run equals the uninterrupted one.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlnn import scaffold
from sqlnn.project import DbtProject, copy_project

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
from bench import dbt_floor  # noqa: E402

DBT = str(Path(sys.executable).parent / "dbt")


def _project(folder: Path, epochs: int) -> DbtProject:
    project = copy_project(REPO, folder)
    for name in scaffold.networks(project.path):
        if name != "spiral":
            project.remove_network(name)
            scaffold.remove_settings(project.path, name)
    project.scaffold("spiral", epochs=epochs)
    return project


def _command(project: DbtProject) -> tuple[list[str], dict[str, str]]:
    args = [DBT, "build", "--project-dir", str(project.path), "--profiles-dir", str(project.path)]
    env = {**os.environ, "SQLNN_DUCKDB_PATH": str(project.database), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return args, env


def _build(project: DbtProject) -> tuple[float, str]:
    args, env = _command(project)
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(done.stdout[-3000:])
    report = [line.split("  ", 1)[-1].strip() for line in done.stdout.splitlines() if "sqlnn: network" in line]
    return elapsed, "; ".join(report)


def _kill_at(project: DbtProject, epoch: int) -> float:
    args, env = _command(project)
    started_line = re.compile(rf"START sql \w+ model main\.spiral_epoch_{epoch:04d}_")
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if started_line.search(line):
            process.send_signal(signal.SIGKILL)
            break
    process.wait()
    return time.perf_counter() - started


def _final(project: DbtProject, epochs: int) -> tuple[list[tuple], list[tuple]]:
    last = scaffold.model_name("spiral", epochs, "update")
    return (
        project.query(f"select * from {last} order by layer, param, i, j"),
        project.query("select * from spiral_training_history order by step"),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100)
    epochs = parser.parse_args().epochs
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        project = _project(base / "run", epochs)
        fresh, report = _build(project)
        print(f"fresh {epochs} epochs: {fresh:.1f} s ({report})")
        again, report = _build(project)
        print(f"unchanged rerun: {again:.1f} s ({report})")
        uninterrupted = _final(project, epochs)
        project.scaffold("spiral", epochs=2 * epochs)
        extend, report = _build(project)
        print(f"extend to {2 * epochs}: {extend:.1f} s ({report})")
        other = _project(base / "fresh", 2 * epochs)
        fresh_long, report = _build(other)
        print(f"fresh {2 * epochs} epochs: {fresh_long:.1f} s ({report})")
        same = _final(project, 2 * epochs) == _final(other, 2 * epochs)
        print(f"extended == fresh {2 * epochs}, bit for bit: {same}")
        killed = _project(base / "killed", epochs)
        until = _kill_at(killed, epochs // 2)
        resume, report = _build(killed)
        print(f"kill -9 at epoch {epochs // 2} after {until:.1f} s, resume: {resume:.1f} s ({report})")
        resumed_same = _final(killed, epochs) == uninterrupted
        print(f"resumed == uninterrupted, bit for bit: {resumed_same}")
        models = len(list((killed.path / "models" / "spiral").rglob("*.sql")))  # the EPOCHS-epoch network's
        print(f"dbt's floor, `dbt run` of {models} models that do nothing: {dbt_floor(base / 'floor', models):.1f} s")
        return 0 if same and resumed_same else 1


if __name__ == "__main__":
    raise SystemExit(main())
