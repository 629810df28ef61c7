"""A tall table trains within a fixed memory budget: 200,000 rows x 20 features -> [64] -> 3, 2 epochs on DuckDB.

DuckDB runs under a 1 GB memory_limit (the profile's SQLNN_DUCKDB_MEMORY_LIMIT) and the whole `dbt run`'s peak
RSS must stay under PEAK_RSS_LIMIT. The list path's weight gradients used to gather every example's activations
and deltas into one row (about 4 GB at these rows, which no memory_limit can spill); the streaming gradients
(macros/backprop/_streaming_backprop.sql) and the list-path predictions keep memory flat in the rows.
The forward models are views (the streaming backprop recomputes the forward pass), so no epoch writes
every example's hidden layers. 18 s on the 2-core development machine, peak RSS 0.42 GB (0.75 GB when the
forward models were tables; with the gathered gradients, duckdb_streaming_max_weights: 0, epoch 1's backprop
runs out of memory). Marked `slow` so a quick local run can skip it (`pytest -m 'not slow'`); `make test`
runs it, and `make bench` covers 1M and 10M rows.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DbtProject, spiral_settings

from sqlnn import scaffold

ROWS = 200_000
FEATURES = 20
HIDDEN = 64
CLASSES = 3
MEMORY_LIMIT = "1GB"
# DuckDB's buffer pool (1 GB) plus dbt and Python (about 200 MB) and what DuckDB allocates outside its pool
PEAK_RSS_LIMIT = int(1.6 * 1024**3)
# pseudo-random features in [-1, 1) from DuckDB's hash (test data only; the project SQL is portable)
COLUMNS = ",\n    ".join(f"(hash(n, {k}) % 2000000) / 1000000.0 - 1.0 as x{k}" for k in range(FEATURES))
DATA = f"select\n    {COLUMNS},\n    cast(hash(n, -1) % {CLASSES} as integer) as label\nfrom range({ROWS}) as t(n)\n"


@pytest.mark.slow
def test_a_tall_table_trains_within_a_fixed_memory_budget(project: DbtProject) -> None:
    """The network `tall`: the spiral's settings but the data, shape and gates (random labels: nothing to learn).
    The spiral network itself is removed, so the run trains only this one."""
    project.remove_network("spiral")
    scaffold.remove_settings(project.path, "spiral")
    (project.path / "models" / "tall_rows.sql").write_text(DATA)
    settings = {key: value for key, value in spiral_settings().items() if key != "network"}
    settings |= {"data": "tall_rows", "features": [f"x{k}" for k in range(FEATURES)], "classes": CLASSES}
    settings |= {"hidden": [HIDDEN], "min_train_accuracy": 0.0}
    project.scaffold("tall", **{**settings, "epochs": 2})
    dbt = str(Path(sys.executable).parent / "dbt")
    command = [dbt, "run", "--project-dir", str(project.path), "--profiles-dir", str(project.path)]
    env = {
        **os.environ,
        "SQLNN_DUCKDB_PATH": str(project.database),
        "SQLNN_DUCKDB_THREADS": "2",
        "SQLNN_DUCKDB_MEMORY_LIMIT": MEMORY_LIMIT,
    }
    log = project.path / "dbt_run.log"
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        # wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would mix in earlier tests' children)
        _, status, usage = os.wait4(process.pid, 0)
    peak_bytes = usage.ru_maxrss * 1024  # kB on Linux
    print(f"{ROWS:,} x {FEATURES} -> [{HIDDEN}] x 2 epochs: peak RSS {peak_bytes / 1024**3:.2f} GB")
    assert os.waitstatus_to_exitcode(status) == 0, log.read_text()[-3000:]
    assert peak_bytes < PEAK_RSS_LIMIT, f"peak RSS {peak_bytes / 1024**3:.2f} GB"
    assert project.query("select count(*) from tall_predictions") == [(ROWS,)]
    # the backprop recomputes the forward pass, so no epoch writes every example's hidden layers
    forward = [scaffold.model_name("tall", epoch, "forward") for epoch in (1, 2)]
    views = project.query("select view_name from duckdb_views() where view_name like 'tall_epoch%' order by all")
    assert views == [(name,) for name in forward]
    losses = [loss for (loss,) in project.query("select loss from tall_training_history order by epoch")]
    assert len(losses) == 2 and all(math.isfinite(loss) for loss in losses)
    assert losses[0] == pytest.approx(math.log(CLASSES), abs=0.05)
