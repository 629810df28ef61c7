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
    # the list path's step is profiled: each statement's operators, and the dot products' floor in the text
    profile = network["list"]["operator_profile"]
    assert set(profile) == set(network["list"]["model_seconds"])
    assert all(p["cpu_seconds"] > 0 and p["top"] for p in profile.values()), profile
    assert network["gradient_ceiling"]["multiply_adds_per_second"] > 0
    assert network["list"]["backprop"] == "gathered"  # 40 rows: below duckdb_streaming_min_rows
    # and DuckDB's other primitives for the same dot products, which say why list_dot_product is the ceiling
    primitives = network["primitives"]["variants"]
    assert len(primitives) == 4 and all(v["multiply_adds_per_second"] > 0 for v in primitives.values())
    markdown = (tmp_path / "bench.md").read_text()
    assert "| 3-4-2 | 40 | list |" in markdown and "**3-4-2 on 40 rows, list path:" in markdown
    assert "`list_cosine_similarity` does three sums per element in" in markdown


def test_targets_are_checked_against_the_results(tmp_path: Path) -> None:
    """`make bench` ends with `--targets`: each target met, missed, or not measured where a result is missing."""
    bench = _bench()
    results = REPO / "bench" / "results"
    for name in ("bench.json", "tall.json"):
        (tmp_path / name).write_text((results / name).read_text())
    one_million = json.loads((tmp_path / "tall.json").read_text())
    row = next(r for r in one_million["tall"] if r["rows"] == 1_000_000)
    row["ratio_to_numpy"], row["dbt_peak_rss_mb"] = 12.5, 3000
    (tmp_path / "tall.json").write_text(json.dumps(one_million))
    found = {r["target"]: r for r in bench.targets(tmp_path)}
    assert found["1M x 20 -> [64]: peak RSS of `dbt run` <= 4 GB"]["met"] is True
    assert found["1M x 20 -> [64]: full-batch epoch <= 10x numpy"]["met"] is False
    assert found["1M x 20 -> [64]: full-batch epoch <= 10x numpy"]["measured"] == "12.5x"
    assert found["10M x 20 -> [64]: one epoch trains without running out of memory"]["met"] is None
    wide = next(
        n for n in json.loads((tmp_path / "bench.json").read_text())["networks"] if n["network"] == "784-128-10"
    )
    assert found["784-128-10 x 10k: <= 20x numpy"]["met"] is (wide["list"]["ratio_to_numpy"] <= 20)
    assert bench.main(["--targets", "--out", str(tmp_path)]) == 0
    text = (tmp_path / "targets.md").read_text()
    assert "| 13 | 1M x 20 -> [64]: full-batch epoch <= 10x numpy | 12.5x | **NOT met** | tall.md |" in text
    assert "| not measured | tall_1_epochs.md |" in text
    assert "**1M x 20 -> [64]**: the epoch took" in text
