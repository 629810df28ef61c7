"""1,000,000 training rows, 2 features, hidden [32], 3 epochs on DuckDB: trains within the machine's 24 GB.

About 90 s on the 2-core development machine with DuckDB's list path (peak RSS 7.1 GB). It is
marked `slow` so a quick local run can skip it (`pytest -m 'not slow'`); `make test` runs it.
"""

from __future__ import annotations

import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DbtProject, spiral_settings

from sqlnn import scaffold

ROWS = 1_000_000
MEMORY_LIMIT_BYTES = 24 * 1024**3
# pseudo-random features in [-1, 1) from DuckDB's hash (test data only; the project SQL is portable)
DATA = f"""
select
    (hash(n, 1) % 2000000) / 1000000.0 - 1.0 as x1,
    (hash(n, 2) % 2000000) / 1000000.0 - 1.0 as x2,
    cast(n % 3 as integer) as label
from range({ROWS}) as t(n)
"""


@pytest.mark.slow
def test_a_million_rows_train_three_epochs_within_24_gb(project: DbtProject) -> None:
    """The network `million`: the spiral's settings but the data, hidden [32] and gates (random labels: nothing
    to learn). The spiral network itself is removed, so the build trains only this one."""
    project.remove_network("spiral")
    scaffold.remove_settings(project.path, "spiral")
    (project.path / "models" / "million_rows.sql").write_text(DATA)
    settings = {key: value for key, value in spiral_settings().items() if key != "network"}
    settings |= {"data": "million_rows", "hidden": [32], "min_train_accuracy": 0.0}
    settings |= {"max_final_loss_ratio": 1.1, "max_loss_increase": 1.0}
    project.scaffold("million", **{**settings, "epochs": 3})
    dbt = str(Path(sys.executable).parent / "dbt")
    command = [dbt, "build", "--project-dir", str(project.path), "--profiles-dir", str(project.path)]
    started = time.monotonic()
    completed = subprocess.run(
        command, env={**os.environ, "SQLNN_DUCKDB_PATH": str(project.database)}, capture_output=True, text=True
    )
    seconds = time.monotonic() - started
    peak_bytes = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # kB on Linux
    print(f"1M rows x [32] x 3 epochs: {seconds:.0f} s, peak RSS {peak_bytes / 1024**3:.1f} GB")
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert peak_bytes < MEMORY_LIMIT_BYTES
    assert project.query("select count(*) from million_training_examples") == [(ROWS,)]
    losses = [loss for (loss,) in project.query("select loss from million_training_history order by epoch")]
    assert len(losses) == 3 and all(math.isfinite(loss) for loss in losses)
    assert losses[0] == pytest.approx(math.log(3), abs=1e-3)
