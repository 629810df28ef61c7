"""`make bench` cannot rot: its smoke mode runs every measurement on tiny sizes."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from conftest import REPO

from sqlnn import scaffold


def _bench():
    spec = importlib.util.spec_from_file_location("bench", REPO / "bench" / "bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_bench_smoke_writes_every_figure(tmp_path: Path) -> None:
    assert _bench().main(["--smoke", "--out", str(tmp_path)]) == 0
    results = json.loads((tmp_path / "bench.json").read_text())
    (network,) = results["networks"]
    for path in ("portable", "list"):
        assert network[path]["step_seconds"] > 0
        # the statements of the path's own network, bench_portable or bench_list
        assert set(network[path]["model_seconds"]) == {
            scaffold.model_name(f"bench_{path}", 1, s) for s in ("forward", "loss", "backprop", "update")
        }
        assert network[path]["ratio_to_numpy"] > 0
        assert network[path]["fraction_of_ceiling"] > 0
        assert network[path]["peak_rss_mb"] > 0
    assert network["numpy"]["step_seconds"] > 0
    assert network["ceiling"]["multiply_adds_per_second"] > 0
    spiral = results["spiral"]
    assert spiral["models"] > 4
    assert spiral["plain_sql_seconds"] > 0 and spiral["dbt_build_seconds"] > spiral["plain_sql_seconds"]
    # the timed training runs train (no model reused from the build before them); the unchanged rerun reuses all
    assert spiral["dbt_run_reused_models"] == 0 and results["slope"]["reused_models"] == 0
    assert spiral["dbt_rerun_reused_models"] == spiral["models"]
    # every materialisation trains the same network
    losses = {row["last_loss"] for row in results["materializations"]}
    assert len(losses) == 1, results["materializations"]
    markdown = (tmp_path / "bench.md").read_text()
    assert "| 3-4-2 | 40 | list |" in markdown and "## Targets" in markdown
