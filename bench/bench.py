"""`make bench`: seconds per training step of each SQL path against numpy, and dbt's overhead.

Every SQL statement timed here is rendered by the project's own macros: the bench copies the
dbt project to a temporary folder (sqlnn.project.copy_project), scaffolds two one-epoch
networks over the same synthetic data, `bench_portable` (the portable long form) and
`bench_list` (the DuckDB list path), lets one `dbt run` compile and run both, then replays
each one's compiled forward, loss, backprop and update statements in one DuckDB connection.
It writes bench/results/bench.md and bench.json (or --out) and prints the table. `make bench` runs
every mode below, then `--targets`.

    python bench/bench.py            # the three networks of issue 5 and the default spiral job
    python bench/bench.py --steps 4-20-3 --steps 784-20-10   # the NN2SQL paper's cases (steps.md)
    python bench/bench.py --tall 1000000                      # a tall table, 2 epochs with dbt (tall.md)
    python bench/bench.py --minibatch 1000000                 # full batch against 10 mini-batches
    python bench/bench.py --targets  # each target against the results in bench/results (targets.md)
    python bench/bench.py --smoke    # tiny sizes, a few seconds per dbt call (the test suite runs it)
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:  # `python bench/bench.py` from a checkout whose package is not installed
    sys.path.insert(0, str(REPO / "src"))

from sqlnn import scaffold  # noqa: E402
from sqlnn.project import DbtProject, copy_project  # noqa: E402

if TYPE_CHECKING:
    import duckdb

STAGES = ("forward", "loss", "backprop", "update")
PATHS = {"portable": False, "list": True}  # the networks' duckdb_list_path
# OpenBLAS tuning some environments set; it slows numpy's matrix products, so the
# numpy baseline runs without it (and reports the kernel threadpoolctl sees).
BLAS_OVERRIDES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


@dataclass(frozen=True)
class Network:
    sizes: tuple[int, ...]
    rows: int
    repeats: dict[str, int]  # timed steps per SQL path

    @property
    def name(self) -> str:
        return "-".join(map(str, self.sizes))

    @property
    def multiply_adds(self) -> int:
        """Per full-batch step: forward z = aW, weight gradients a^T delta, deltas pushed down delta W^T."""
        layers = [self.rows * n_in * n_out for n_in, n_out in itertools.pairwise(self.sizes)]
        return 2 * sum(layers) + sum(layers[1:])


NETWORKS = [
    Network((2, 100, 3), 300, {"portable": 10, "list": 10}),
    Network((20, 64, 64, 5), 20_000, {"portable": 2, "list": 3}),
    Network((784, 128, 10), 10_000, {"portable": 1, "list": 3}),
]
SMOKE_NETWORKS = [Network((3, 4, 2), 40, {"portable": 1, "list": 1})]
# The published in-database cases of the NN2SQL paper (full-batch gradient descent in DuckDB's SQL-92):
# network name -> (rows, steps, their seconds for those steps). `--steps NAME` measures them.
NN2SQL = {"4-20-3": (150, 1000, 40.0), "784-20-10": (6000, 1, 19.0)}
STEP_NETWORKS = [
    *NETWORKS,
    Network((4, 20, 3), 150, {"portable": 20, "list": 20}),
    Network((784, 20, 10), 6000, {"portable": 1, "list": 3}),
]


# --- helpers ------------------------------------------------------------------------------


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "n/a"


def dbt_bin() -> str:
    return str(Path(sys.executable).with_name("dbt"))


def project_with(destination: Path, keep: tuple[str, ...] = ()) -> DbtProject:
    """A copy of the repository's dbt project with only the networks in `keep`."""
    project = copy_project(REPO, destination)
    for name in project.networks():
        if name not in keep:
            project.remove_network(name)
            scaffold.remove_settings(project.path, name)
    return project


def spiral_settings() -> dict:
    """The committed spiral network's settings but its name and length: what the bench networks train with."""
    return {k: v for k, v in scaffold.networks(REPO)["spiral"].settings.items() if k not in ("network", "epochs")}


def run_child(args: list[str], env: dict[str, str] | None = None) -> tuple[dict, float, int]:
    """Run a command; return its JSON output (if any), wall seconds and peak RSS in MB."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - start
    # communicate() has reaped the child; its rusage is in RUSAGE_CHILDREN only cumulatively,
    # so children report their own peak RSS (see _peak_rss_mb) and dbt calls are measured by wait4.
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:4])}... failed:\n{stdout[-3000:]}\n{stderr[-3000:]}")
    last = stdout.strip().splitlines()[-1] if stdout.strip() else ""
    data = json.loads(last) if last.startswith("{") else {}
    return data, wall, int(data.get("peak_rss_mb", 0))


def reused_models(project: DbtProject) -> int:
    """How many models the last dbt call on `project` reused (network_table found them up to date)."""
    run_results = json.loads((project.path / "target" / "run_results.json").read_text())
    return sum(1 for r in run_results["results"] if r.get("message") == "REUSED")


def run_dbt(project: DbtProject, *args: str) -> tuple[float, int]:
    """A dbt CLI call on `project` (its settings are in its dbt_project.yml); returns wall seconds and the
    peak RSS of the dbt process in MB."""
    command = [dbt_bin(), *args, "--project-dir", str(project.path), "--profiles-dir", str(project.path)]
    # the profile's DuckDB runs on one thread unless told otherwise (bit-identical runs);
    # the bench measures the machine: every core, as the plain-SQL replays get
    env = {
        **os.environ,
        "SQLNN_DUCKDB_PATH": str(project.database),
        "SQLNN_DUCKDB_THREADS": str(os.cpu_count() or 1),
    }
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=project.path)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"dbt {' '.join(args)} failed:\n{output.decode()[-4000:]}")
    return wall, int(usage.ru_maxrss / 1024)


def _peak_rss_mb() -> int:
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def compiled_statements(project: DbtProject, models: list[str]) -> list[tuple[str, str]]:
    compiled = project.path / "target" / "compiled" / "sqlnn" / "models"
    # data and unit tests compile under <file>.yml/ folders, some under a model's name: skip them
    found = {p.stem: p for p in compiled.rglob("*.sql") if not any(part.endswith(".yml") for part in p.parts)}
    return [(model, found[model].read_text()) for model in models]


def synthetic_data_model(network: Network) -> str:
    """A table of `rows` examples: features uniform in [-1, 1) and labels from a fixed hash, no I/O. A table, as a
    user's data is: as a view, every model reading it (data checks, classes, the split) would hash it again."""
    features = ",\n    ".join(
        f"(hash(row_number, {k}) % 2000000) / 1000000.0 - 1.0 as f{k}" for k in range(network.sizes[0])
    )
    return (
        "{{ config(materialized='table') }}\n"
        "select\n    cast(hash(row_number, -1) % "
        f"{network.sizes[-1]} as integer) as label,\n    {features}\n"
        f"from (select range as row_number from range({network.rows}))\n"
    )


def network_settings(network: Network) -> dict:
    """The spiral's optimizer and the rest of its settings, on the synthetic data and with this shape."""
    return {
        **spiral_settings(),
        "data": "bench_data",
        "features": [f"f{k}" for k in range(network.sizes[0])],
        "label": "label",
        "classes": network.sizes[-1],
        "hidden": list(network.sizes[1:-1]),
        "init_scale": "he",
    }


# --- children: the measured work runs in its own process, so its peak memory is its own -----


def replay(database: str, statements: list[tuple[str, str]], repeats: int, profile: bool = False) -> dict:
    """Run the compiled statements `repeats` times in one DuckDB connection; seconds per stage. With `profile`,
    one more untimed run under DuckDB's profiler gives each statement's costliest operators (`operator_profile`)."""
    import duckdb

    connection = duckdb.connect(database)
    # as the epoch_table materialization builds them (macros/materializations/epoch_table.sql)
    connection.execute("set session preserve_insertion_order = false")
    # a model dbt built as a view (epoch_view: a forward pass the backprop recomputes) is replayed as one
    views = {name for (name,) in connection.sql("select view_name from duckdb_views() where not internal").fetchall()}
    kinds = {model: "view" if model in views else "table" for model, _ in statements}
    seconds: dict[str, list[float]] = {}
    totals = []
    for _ in range(repeats):
        total = 0.0
        for model, sql in statements:
            start = time.perf_counter()
            try:
                connection.execute(f'create or replace {kinds[model]} "{model}" as (\n{sql}\n)')
            except duckdb.Error as error:
                raise RuntimeError(f"{model}: {error}") from error
            elapsed = time.perf_counter() - start
            seconds.setdefault(model, []).append(elapsed)
            total += elapsed
        totals.append(total)
    result: dict = {"step_seconds": totals, "model_seconds": {m: statistics.median(s) for m, s in seconds.items()}}
    if profile:
        result["operator_profile"] = {}
        with tempfile.TemporaryDirectory(prefix="sqlnn-profile-") as folder:
            connection.execute("pragma enable_profiling = 'json'")
            for model, sql in statements:
                output = Path(folder) / f"{model}.json"
                connection.execute(f"pragma profiling_output = '{output}'")
                connection.execute(f'create or replace {kinds[model]} "{model}" as (\n{sql}\n)')
                # creating a view runs no query, so DuckDB writes no profile: its work is in the reader's
                profiled = json.loads(output.read_text()) if output.exists() else {}
                result["operator_profile"][model] = operator_profile(profiled)
            connection.execute("pragma disable_profiling")
    connection.close()
    return result


def operator_profile(profile: dict, top: int = 4) -> dict:
    """DuckDB's JSON profile of one statement, summed up: CPU seconds of all operators (summed over threads),
    and the `top` costliest, each named by its operator and what it outputs or reads."""
    operators: list[tuple[float, str]] = []

    def walk(node: dict) -> None:
        info = node.get("extra_info") or {}
        detail = info.get("Projections") or info.get("Aggregates") or info.get("Table") or info.get("CTE Name")
        if isinstance(detail, list):
            detail = ", ".join(detail)
        label = f"{node.get('name', '?')} ({detail})" if detail else str(node.get("name", "?"))
        operators.append((float(node.get("timing") or 0.0), label[:120]))
        for child in node.get("children", []):
            walk(child)

    for node in profile.get("operator", []):
        walk(node)
    operators.sort(key=lambda item: -item[0])
    return {
        "cpu_seconds": sum(t for t, _ in operators),
        "top": [{"operator": label, "cpu_seconds": t} for t, label in operators[:top]],
    }


def ceiling(rows: int, n_in: int, n_out: int, repeats: int = 3) -> dict:
    """DuckDB's list_dot_product throughput on this machine: rows x n_out dot products of length n_in,
    sliced into one UNION ALL branch per thread (as the list path does)."""
    import duckdb

    connection = duckdb.connect()
    threads = int(connection.sql("select current_setting('threads')").fetchall()[0][0])
    connection.execute(
        f"create table examples as select range as row_id, list_transform(range({n_in}), lambda k: random()) as a "
        f"from range({rows})"
    )
    connection.execute(
        f"create table units as select range as unit, list_transform(range({n_in}), lambda k: random()) as w "
        f"from range({n_out})"
    )
    best = _best_seconds(connection, "list_dot_product(e.a, u.w)", threads, repeats)
    return {"seconds": best, "multiply_adds_per_second": rows * n_in * n_out / best, "threads": threads}


def _best_seconds(connection: duckdb.DuckDBPyConnection, expression: str, threads: int, repeats: int) -> float:
    """Best of `repeats` timings of sum(`expression`) over every pair of `examples` (e) and `units` (u),
    one UNION ALL branch per thread, as the list path slices its work."""
    branches = " union all ".join(
        f"select sum({expression}) as s from examples as e cross join units as u where e.row_id % {threads} = {k}"
        for k in range(threads)
    )
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        connection.sql(f"select sum(s) from ({branches})").fetchall()
        best = min(best, time.perf_counter() - start)
    return best


DOT_PRODUCT = "list_dot_product (lists)"  # the primitive whose rate is the ceiling


def _balanced_sum(terms: list[str]) -> str:
    """`a + b + ...` as a balanced tree: DuckDB caps an expression's depth, which a chain of 784 terms passes."""
    while len(terms) > 1:
        terms = [f"({' + '.join(terms[i : i + 2])})" for i in range(0, len(terms), 2)]
    return terms[0]


def primitives(rows: int, n_in: int, n_out: int, repeats: int = 3) -> dict:
    """Why `list_dot_product` is the ceiling: each DuckDB primitive that could compute the widest layer's
    rows x n_out dot products of length n_in, timed on the same random data, one UNION ALL branch per thread.
    `list_cosine_similarity` adds three sums (a.b, a.a, b.b) in the loop where `list_dot_product` adds one: if
    it takes about as long, the loop waits on its one running sum (the latency of an add), not on arithmetic."""
    import duckdb

    connection = duckdb.connect()
    threads = int(connection.sql("select current_setting('threads')").fetchall()[0][0])
    for table, count, key in (("examples", rows, "row_id"), ("units", n_out, "unit")):
        columns = ", ".join(f"random() as c{k}" for k in range(n_in))
        connection.execute(f"create table {table}_columns as select range as {key}, {columns} from range({count})")
        as_list = "[" + ", ".join(f"c{k}" for k in range(n_in)) + "]"
        connection.execute(
            f"create table {table} as select {key}, {as_list} as v, {as_list}::double[{n_in}] as fixed, "
            f"* exclude ({key}) from {table}_columns"
        )
    variants = {
        DOT_PRODUCT: ("list_dot_product(e.v, u.v)", 1),
        "list_cosine_similarity (lists, three sums per element)": ("list_cosine_similarity(e.v, u.v)", 3),
        "array_inner_product (DOUBLE[n] arrays)": ("array_inner_product(e.fixed, u.fixed)", 1),
        "products of columns, summed (one column per input)": (
            _balanced_sum([f"e.c{k} * u.c{k}" for k in range(n_in)]),
            1,
        ),
    }
    result = {"threads": threads, "shape": f"{rows:,} x {n_in} x {n_out}", "variants": {}}
    for label, (expression, sums) in variants.items():
        best = _best_seconds(connection, expression, threads, repeats)
        result["variants"][label] = {
            "seconds": best,
            "multiply_adds_per_second": rows * n_in * n_out * sums / best,
            "sums_per_element": sums,
        }
    return result


def numpy_step(database: str, network: str, sizes: list[int], repeats: int) -> dict:
    """The same step (forward, backprop, update) in numpy on the same data, parameters and settings."""
    import duckdb
    import numpy as np

    sys.path.insert(0, str(REPO / "tests"))
    from reference_mlp import ReferenceMLP

    with duckdb.connect(database, read_only=True) as connection:
        examples = connection.sql(f"select * exclude (row_id) from {network}_training_examples order by row_id")
        examples = examples.fetchnumpy()
        params_rows = connection.sql(f"select layer, param, i, j, value from {network}_initial_params").fetchall()
    y = examples.pop("label").astype(np.int64)
    x = np.column_stack([examples[f"f{k}"] for k in range(sizes[0])]).astype(np.float64)
    params = {}
    for layer, (n_in, n_out) in enumerate(itertools.pairwise(sizes), start=1):
        params[(layer, "W")] = np.zeros((n_in, n_out))
        params[(layer, "b")] = np.zeros(n_out)
    for layer, param, i, j, value in params_rows:
        if param == "W":
            params[(layer, "W")][i, j] = value
        else:
            params[(layer, "b")][j] = value
    settings = spiral_settings()
    model = ReferenceMLP(
        params,
        activation=settings["activation"],
        optimizer=settings["optimizer"],
        learning_rate=settings["learning_rate"],
        reg=settings["reg"],
    )
    model.train_step(x, y)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        model.train_step(x, y)
        times.append(time.perf_counter() - start)
    try:
        from threadpoolctl import threadpool_info

        blas = [
            {k: info.get(k) for k in ("internal_api", "version", "architecture", "num_threads")}
            for info in threadpool_info()
            if info.get("user_api") == "blas"
        ]
    except ImportError:
        blas = []
    return {"step_seconds": statistics.median(times), "blas": blas}


# --- the measurements -----------------------------------------------------------------------


def bench_network(network: Network, workdir: Path, numpy_repeats: int) -> dict:
    """Two networks of this shape on the same data, one per SQL path (`bench_portable`, `bench_list`)."""
    project = project_with(workdir / network.name)
    (project.path / "models" / "bench_data.sql").write_text(synthetic_data_model(network))
    names = {path: f"bench_{path}" for path in PATHS}
    for path, list_path in PATHS.items():
        project.scaffold(names[path], **{**network_settings(network), "epochs": 1, "duckdb_list_path": list_path})
    models = {path: [scaffold.model_name(names[path], 1, stage) for stage in STAGES] for path in PATHS}
    run_dbt(project, "run", "--select", *(f"+{m}" for path in PATHS for m in models[path]))
    result: dict = {"network": network.name, "rows": network.rows, "multiply_adds": network.multiply_adds}
    for path in PATHS:
        folder = project.path / path / "compiled"
        folder.mkdir(parents=True)
        for model, sql in compiled_statements(project, models[path]):
            (folder / f"{model}.sql").write_text(sql)
        load_before = load()
        # the list path's statements are profiled too (an untimed run after the timed ones): where its step goes
        profile = ["profile"] if PATHS[path] else []
        data, _, peak = run_child(
            [
                sys.executable,
                __file__,
                "replay",
                str(project.database),
                str(folder),
                str(network.repeats[path]),
                *profile,
            ]
        )
        result[path] = {
            "step_seconds": statistics.median(data["step_seconds"]),
            "steps_timed": len(data["step_seconds"]),
            "model_seconds": data["model_seconds"],
            "operator_profile": data.get("operator_profile"),
            "peak_rss_mb": peak,
            "load_before": load_before,
            "load_after": load(),
            # which weight gradients the list path's backprop computes (macros/backprop/_streaming_backprop.sql)
            "backprop": "streaming"
            if "block_sums as (" in (folder / f"{models[path][2]}.sql").read_text()
            else "gathered",
        }
    env = {k: v for k, v in os.environ.items() if k not in BLAS_OVERRIDES}
    sizes = json.dumps(list(network.sizes))
    data, _, _ = run_child(
        [sys.executable, __file__, "numpy", str(project.database), names["list"], sizes, str(numpy_repeats)], env=env
    )
    result["numpy"] = data
    widest = max(itertools.pairwise(network.sizes), key=lambda pair: pair[0] * pair[1])
    layer = f"{widest[0]}x{widest[1]}"
    primitive_args = [str(network.rows), str(widest[0]), str(widest[1])]
    result["primitives"], _, _ = run_child([sys.executable, __file__, "primitives", *primitive_args])
    # the ceiling: list_dot_product over the widest layer's rows x units lists, the first of the primitives
    dot = result["primitives"]["variants"][DOT_PRODUCT]
    result["ceiling"] = {**dot, "threads": result["primitives"]["threads"], "layer": layer}
    # the weight gradient's shape: n_in x n_out dot products of rows-long columns (macros/backprop), which
    # stream through memory where the forward's short lists stay in cache
    data, _, _ = run_child([sys.executable, __file__, "ceiling", str(widest[0]), str(network.rows), str(widest[1])])
    result["gradient_ceiling"] = {**data, "layer": layer}
    for path in PATHS:
        seconds = result[path]["step_seconds"]
        result[path]["ratio_to_numpy"] = seconds / result["numpy"]["step_seconds"]
        result[path]["multiply_adds_per_second"] = network.multiply_adds / seconds
        # of the ceiling as issue 5 defined it (the widest layer's short lists, the table's `ceiling G/s`)
        ceiling_rate = result["ceiling"]["multiply_adds_per_second"]
        result[path]["fraction_of_ceiling"] = network.multiply_adds / seconds / ceiling_rate
    return result


TALL_SIZES = (20, 64, 3)
# numpy's full-batch step holds several rows x hidden float64 arrays at once: about 20 GB at 10M rows,
# more than this machine can spare beside dbt's database, so taller tables are timed without it.
TALL_NUMPY_MAX_ROWS = 2_000_000


def bench_tall(
    rows: int, workdir: Path, numpy_repeats: int, sizes: tuple[int, ...] = TALL_SIZES, epochs: int = 2
) -> dict:
    """`dbt run` of a network of `epochs` epochs on a tall table (rows x 20 -> [64] -> 3 by default): the last
    epoch's models from run_results, every other model that grows with rows, the peak RSS of dbt, and numpy's full-batch
    step on the same data and parameters in the same run."""
    network = Network(sizes, rows, {})
    project = project_with(workdir / f"tall_{rows}")
    (project.path / "models" / "bench_data.sql").write_text(synthetic_data_model(network))
    project.scaffold("tall", **{**network_settings(network), "epochs": epochs})
    load_before = load()
    seconds, peak = run_dbt(project, "run", "--select", "+tall_training_history", "+tall_evaluation")
    run_results = json.loads((project.path / "target" / "run_results.json").read_text())
    times = {r["unique_id"].split(".")[-1]: r["execution_time"] for r in run_results["results"]}
    epoch = {stage: times[scaffold.model_name("tall", epochs, stage)] for stage in STAGES}
    outside = {m: t for m, t in times.items() if "_epoch_" not in m}
    data, numpy_peak = {"step_seconds": None}, None
    if rows <= TALL_NUMPY_MAX_ROWS:
        env = {k: v for k, v in os.environ.items() if k not in BLAS_OVERRIDES}
        command = [sys.executable, __file__, "numpy", str(project.database), "tall", json.dumps(list(sizes))]
        data, _, numpy_peak = run_child([*command, str(numpy_repeats)], env=env)
    epoch_seconds = sum(epoch.values())
    with duckdb_connection(project.database) as connection:
        forward = scaffold.model_name("tall", epochs, "forward")
        views = connection.sql(f"select count(*) from duckdb_views() where view_name = '{forward}'").fetchall()
    return {
        "network": network.name,
        "rows": rows,
        "epochs": epochs,
        "forward_materialization": "view" if views[0][0] else "table",
        "dbt_run_seconds": seconds,
        "dbt_peak_rss_mb": peak,
        "epoch_2_seconds": epoch_seconds,
        "epoch_2_model_seconds": epoch,
        "outside_epochs_seconds": outside,
        "numpy_step_seconds": data["step_seconds"],
        "numpy_peak_rss_mb": numpy_peak,
        "ratio_to_numpy": epoch_seconds / data["step_seconds"] if data["step_seconds"] else None,
        "load_before": load_before,
        "load_after": load(),
    }


MINIBATCH_LABEL = "case when f0 + f1 > 0.5 then 2 when f2 * f3 > 0 then 1 else 0 end"


def bench_minibatch(rows: int, workdir: Path, batches: int = 10, mini_epochs: int = 2, full_epochs: int = 6) -> dict:
    """Full batch against mini-batches on the same tall table (rows x 20 -> [64] -> 3, Adam at the library's
    learning rate, a 10% validation split), one `dbt run`: seconds per epoch (the epoch's models, batch rows
    included, from run_results) and the validation accuracy after each epoch (the history's validation
    accuracy of the parameters entering the next epoch; the last from the evaluation model). The label is a
    fixed nonlinear function of the features (MINIBATCH_LABEL), so there is something to learn."""
    network = Network(TALL_SIZES, rows, {})
    project = project_with(workdir / f"minibatch_{rows}")
    data = synthetic_data_model(network).replace(
        f"cast(hash(row_number, -1) % {network.sizes[-1]} as integer) as label", "0 as label"
    )
    (project.path / "models" / "bench_data_raw.sql").write_text(data)
    (project.path / "models" / "bench_data.sql").write_text(
        "{{ config(materialized='table') }}\n"
        f"select * exclude (label), {MINIBATCH_LABEL} as label from {{{{ ref('bench_data_raw') }}}}\n"
    )
    settings = {**network_settings(network), "learning_rate": 0.01, "validation_fraction": 0.1}
    runs = {"full": (full_epochs, 1), "mini": (mini_epochs, batches)}
    for name, (epochs, count) in runs.items():
        project.scaffold(name, **{**settings, "epochs": epochs, "batches": count})
    load_before = load()
    selected = [f"+{name}_{model}" for name in runs for model in ("evaluation", "training_history")]
    seconds, peak = run_dbt(project, "run", "--select", *selected)
    run_results = json.loads((project.path / "target" / "run_results.json").read_text())
    times = {r["unique_id"].split(".")[-1]: r["execution_time"] for r in run_results["results"]}
    result: dict = {"rows": rows, "network": network.name, "dbt_run_seconds": seconds, "dbt_peak_rss_mb": peak}
    with duckdb_connection(project.database) as connection:
        for name, (epochs, count) in runs.items():
            entering = dict(
                connection.sql(
                    f"select epoch, val_accuracy from {name}_training_history where batch = 1 order by epoch"
                ).fetchall()
            )
            evaluation = f"select accuracy from {name}_evaluation where split = 'validation'"
            ((final,),) = connection.sql(evaluation).fetchall()
            result[name] = {
                "epochs": epochs,
                "batches": count,
                "epoch_seconds": [
                    sum(t for m, t in times.items() if m.startswith(f"{name}_epoch_{epoch:04d}_"))
                    for epoch in range(1, epochs + 1)
                ],
                # after epoch e: the parameters entering epoch e + 1, the last from the evaluation
                "validation_accuracy_after_epoch": [entering[e] for e in range(2, epochs + 1)] + [final],
                "validation_accuracy_at_start": entering[1],
            }
    result.update(load_before=load_before, load_after=load())
    return result


def duckdb_connection(database: Path) -> duckdb.DuckDBPyConnection:
    import duckdb

    return duckdb.connect(str(database), read_only=True)


def minibatch_markdown(result: dict) -> str:
    lines = [
        "# sqlnn mini-batches",
        "",
        f"`python bench/bench.py --minibatch {result['rows']}` at {result['started']} UTC: {result['rows']:,} x 20 -> "
        f"[64] -> 3 on DuckDB, the label `{MINIBATCH_LABEL}`, Adam (learning rate 0.01), 10% validation rows; "
        "both networks in one `dbt run`. Seconds of an epoch: its models from run_results.json (the mini-batch "
        "epoch's batch rows included). Validation accuracy after the epoch: of the parameters entering the next "
        "epoch (the history), after the last from the evaluation model.",
        "",
        "| network | steps per epoch | epoch | seconds | validation accuracy after it |",
        "|---|---|---|---|---|",
    ]
    for name in ("full", "mini"):
        r = result[name]
        for epoch, (seconds, accuracy) in enumerate(
            zip(r["epoch_seconds"], r["validation_accuracy_after_epoch"], strict=True), start=1
        ):
            kind = "full batch" if r["batches"] == 1 else f"{r['batches']} mini-batches"
            lines.append(f"| {kind} | {r['batches']} | {epoch} | {seconds:.1f} | {accuracy:.4f} |")
    lines += [
        "",
        f"At the start (both): validation accuracy {result['full']['validation_accuracy_at_start']:.4f}. "
        f"dbt run {result['dbt_run_seconds']:.0f} s, peak RSS {result['dbt_peak_rss_mb'] / 1024:.2f} GB, "
        f"load before/after {result['load_before']}/{result['load_after']}.",
    ]
    return "\n".join(lines) + "\n"


# a shortened run (--smoke) cannot pass the quality gates of the 45-epoch job
SHORT_RUN_GATES = {"min_train_accuracy": 0.0, "max_final_loss_ratio": 1.0}


def spiral_project(destination: Path, epochs: int | None) -> DbtProject:
    """The repository's project with only the spiral network, as committed or shortened to `epochs`."""
    project = project_with(destination, keep=("spiral",))
    if epochs is not None:
        project.scaffold("spiral", epochs=epochs, **SHORT_RUN_GATES)
    return project


def bench_spiral(workdir: Path, epochs: int | None) -> dict:
    """The default job: dbt build vs the same models as plain SQL in one connection."""
    project = spiral_project(workdir / "spiral", epochs)
    result: dict = {"epochs": project.networks()["spiral"].epochs, "load_before": load()}
    result["dbt_build_seconds"], result["dbt_build_peak_rss_mb"] = run_dbt(project, "build", "--no-partial-parse")
    run_results = json.loads((project.path / "target" / "run_results.json").read_text())
    models = [r["unique_id"].split(".")[-1] for r in run_results["results"] if r["unique_id"].startswith("model.")]
    result["models"] = len(models)
    # --full-refresh: trains again (without it every model's fingerprint matches and nothing is recomputed)
    result["dbt_run_seconds"], _ = run_dbt(project, "run", "--full-refresh")
    result["dbt_run_reused_models"] = reused_models(project)
    # the unchanged rerun: every model reused (README, "Train only what changed")
    result["dbt_rerun_seconds"], _ = run_dbt(project, "run")
    result["dbt_rerun_reused_models"] = reused_models(project)
    # start-up: the same calls selecting nothing (start, parse, connect, write artifacts)
    result["dbt_startup_full_parse_seconds"], _ = run_dbt(
        project, "build", "--no-partial-parse", "--select", "tag:no_such_tag"
    )
    result["dbt_startup_seconds"], _ = run_dbt(project, "run", "--select", "tag:no_such_tag")
    compiled = project.path / "plain"
    compiled.mkdir()
    order = []
    for model, sql in compiled_statements(project, models):
        (compiled / f"{model}.sql").write_text(sql)
        order.append(model)
    (compiled / "order.json").write_text(json.dumps(order))
    data, wall, peak = run_child([sys.executable, __file__, "replay", str(project.database), str(compiled), "1"])
    result["plain_sql_seconds"] = wall
    result["plain_sql_statement_seconds"] = data["step_seconds"][0]
    result["plain_sql_peak_rss_mb"] = peak
    result["build_over_plain"] = result["dbt_build_seconds"] / wall
    build_work = result["dbt_build_seconds"] - result["dbt_startup_full_parse_seconds"]
    result["build_minus_startup_over_plain"] = build_work / wall
    result["run_minus_startup_over_plain"] = (result["dbt_run_seconds"] - result["dbt_startup_seconds"]) / wall
    result["load_after"] = load()
    return result


SLOPE_EPOCHS = (20, 60)


FLOOR_MATERIALIZATIONS = """{% materialization noop, default %}
  {%- do store_raw_result(name='main', message='noop', code='noop', rows_affected=0) -%}
  {{ return({'relations': [this.incorporate(type='table')]}) }}
{% endmaterialization %}

{% materialization one_statement, default %}
  {%- call statement('main', auto_begin=false) -%} create or replace table {{ this }} as select 1 as x {%- endcall -%}
  {{ return({'relations': [this.incorporate(type='table')]}) }}
{% endmaterialization %}
"""


def dbt_floor(folder: Path, models: int, materialization: str = "noop") -> float:
    """dbt's own floor: seconds of `dbt run` (partial parse, the second run) of `models` chained models whose
    materialization does nothing (`noop`: start-up and per-node bookkeeping), or runs one trivial statement
    (`one_statement`: dbt's cost of running a query too, its events and logs), on DuckDB."""
    (folder / "models").mkdir(parents=True)
    (folder / "macros").mkdir()
    (folder / "macros" / "floor.sql").write_text(FLOOR_MATERIALIZATIONS)
    (folder / "dbt_project.yml").write_text("name: floor\nversion: '1.0'\nprofile: floor\n")
    profile = "floor:\n  target: duckdb\n  outputs:\n    duckdb: {type: duckdb, path: floor.duckdb, threads: 1}\n"
    (folder / "profiles.yml").write_text(profile)
    config = f"{{{{ config(materialized='{materialization}') }}}}"
    (folder / "models" / "m_0000.sql").write_text(f"{config} select 1 as x\n")
    for k in range(1, models):
        (folder / "models" / f"m_{k:04d}.sql").write_text(f"{config} select x from {{{{ ref('m_{k - 1:04d}') }}}}\n")
    args = [dbt_bin(), "run", "--project-dir", str(folder), "--profiles-dir", str(folder)]
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    subprocess.run(args, env=env, capture_output=True, check=True, cwd=folder)
    started = time.perf_counter()
    subprocess.run(args, env=env, capture_output=True, check=True, cwd=folder)
    return time.perf_counter() - started


def bench_slope(workdir: Path, epochs: tuple[int, ...] = SLOPE_EPOCHS) -> dict:
    """dbt's share of an epoch on small data: `dbt run` of the spiral's epochs (upstream built) scaffolded to
    20 and to 60 epochs, and the same epoch models as plain SQL in one connection; the slope of each per epoch."""
    result: dict = {"epochs": list(epochs), "load_before": load(), "dbt_run_seconds": [], "plain_sql_seconds": []}
    for n in epochs:
        project = spiral_project(workdir / f"slope_{n}", n)
        run_dbt(project, "build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
        seconds, _ = run_dbt(project, "run", "--select", "tag:spiral,tag:epochs", "--full-refresh")
        result["dbt_run_seconds"].append(seconds)
        result["reused_models"] = result.get("reused_models", 0) + reused_models(project)
        models = [scaffold.model_name("spiral", e, stage) for e in range(1, n + 1) for stage in STAGES]
        folder = project.path / "plain"
        folder.mkdir()
        for model, sql in compiled_statements(project, models):
            (folder / f"{model}.sql").write_text(sql)
        (folder / "order.json").write_text(json.dumps(models))
        data, _, _ = run_child([sys.executable, __file__, "replay", str(project.database), str(folder), "1"])
        result["plain_sql_seconds"].append(data["step_seconds"][0])
        # dbt's own cost of as many models (four per epoch) that do nothing, or run one trivial statement each
        result.setdefault("dbt_floor_seconds", []).append(dbt_floor(workdir / f"floor_{n}", len(models)))
        floor = dbt_floor(workdir / f"statement_floor_{n}", len(models), "one_statement")
        result.setdefault("dbt_statement_floor_seconds", []).append(floor)
    span = epochs[-1] - epochs[0]
    result["dbt_ms_per_epoch"] = 1000 * (result["dbt_run_seconds"][-1] - result["dbt_run_seconds"][0]) / span
    result["plain_ms_per_epoch"] = 1000 * (result["plain_sql_seconds"][-1] - result["plain_sql_seconds"][0]) / span
    result["floor_ms_per_epoch"] = 1000 * (result["dbt_floor_seconds"][-1] - result["dbt_floor_seconds"][0]) / span
    statements = result["dbt_statement_floor_seconds"]
    result["statement_floor_ms_per_epoch"] = 1000 * (statements[-1] - statements[0]) / span
    result["ratio"] = result["dbt_ms_per_epoch"] / result["plain_ms_per_epoch"]
    result["load_after"] = load()
    return result


MATERIALIZATIONS = {
    "table (dbt-duckdb's: build, rename, swap)": {s: "table" for s in STAGES},
    "epoch_table (one create or replace)": {s: "epoch_table" for s in STAGES},
    "epoch_table, loss as view": {
        "forward": "epoch_table",
        "loss": "view",
        "backprop": "epoch_table",
        "update": "epoch_table",
    },
    "epoch_table, loss view, backprop ephemeral": {
        "forward": "epoch_table",
        "loss": "view",
        "backprop": "ephemeral",
        "update": "epoch_table",
    },
    # what epoch_view does for a forward pass the backprop recomputes; the spiral's backprop reads it
    # (gathered gradients), so here the loss and the backprop both compute it. (Forward and loss both as
    # views ran out of memory: each loss reads the one before, so the history's query inlined every
    # epoch's loss, and forward, once per later epoch.)
    "epoch_table, forward as view": {
        "forward": "view",
        "loss": "epoch_table",
        "backprop": "epoch_table",
        "update": "epoch_table",
    },
}


def bench_materializations(workdir: Path, epochs: int | None, variants: int | None = None) -> list[dict]:
    """`dbt run --select tag:spiral,tag:epochs` of the default job with each stage materialised differently."""
    import duckdb

    rows = []
    for label, stages in list(MATERIALIZATIONS.items())[:variants]:
        project = spiral_project(workdir / f"materialization_{len(rows)}", epochs)
        epochs_folder = project.path / project.networks()["spiral"].folder / "epochs"
        for stage, materialization in stages.items():
            for model in epochs_folder.glob(f"spiral_epoch_*_{stage}.sql"):
                # after the file's sqlnn.network_model() call, whose config it overrides
                model.write_text(model.read_text() + f"{{{{ config(materialized='{materialization}') }}}}\n")
        run_dbt(project, "build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
        manifest = json.loads((project.path / "target" / "manifest.json").read_text())
        for stage, materialization in stages.items():
            node = manifest["nodes"][f"model.sqlnn.{scaffold.model_name('spiral', 1, stage)}"]
            if node["config"]["materialized"] != materialization:
                raise RuntimeError(f"{node['name']} is {node['config']['materialized']}, not {materialization}")
        load_before = load()
        seconds, _ = run_dbt(project, "run", "--select", "tag:spiral,tag:epochs", "--full-refresh")
        with duckdb.connect(str(project.database), read_only=True) as connection:
            last_loss = connection.sql("select loss from spiral_training_history order by step desc limit 1")
            last_loss = last_loss.fetchall()[0][0]
        rows.append(
            {
                "materialization": label,
                "training_run_seconds": seconds,
                "last_loss": last_loss,
                "load_before": load_before,
                "load_after": load(),
            }
        )
    return rows


def machine() -> dict:
    import dbt.version
    import duckdb
    import numpy

    cpu = "unknown"
    if Path("/proc/cpuinfo").exists():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    if Path("/proc/meminfo").exists():
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GB"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "numpy": numpy.__version__,
        "dbt_core": dbt.version.__version__,
        "openblas_env_in_sql_runs": {k: os.environ.get(k) for k in BLAS_OVERRIDES},
    }


def dot_floor(n: dict) -> dict:
    """A step's dot products alone at the rates `list_dot_product` reached in the same run: the forward and the
    deltas pushed down (short lists, the `ceiling`) and the weight gradients (rows-long columns, the
    `gradient_ceiling`). No SQL step of the list path can be faster than this."""
    sizes = [int(size) for size in n["network"].split("-")]
    layers = [n["rows"] * n_in * n_out for n_in, n_out in itertools.pairwise(sizes)]
    short = (sum(layers) + sum(layers[1:])) / n["ceiling"]["multiply_adds_per_second"]
    long = sum(layers) / n.get("gradient_ceiling", n["ceiling"])["multiply_adds_per_second"]
    return {"seconds": short + long, "forward_and_deltas_seconds": short, "weight_gradient_seconds": long}


def step_profile(n: dict) -> list[str]:
    """Where one list-path step of network `n` goes: the dot-product floor, then each statement's costliest
    operators from DuckDB's profiler (CPU seconds, summed over threads)."""
    step, floor = n["list"]["step_seconds"], dot_floor(n)
    numpy = n["numpy"]["step_seconds"]
    gradient_rate = n.get("gradient_ceiling", n["ceiling"])["multiply_adds_per_second"]
    lines = [
        f"**{n['network']} on {n['rows']:,} rows, list path: {step:.2f} s per step, numpy {numpy:.3f} s.** "
        f"Its {n['multiply_adds'] / 1e9:.2f} G multiply-adds at the rates `list_dot_product` reached in this run "
        f"take {floor['seconds']:.2f} s: forward and deltas {floor['forward_and_deltas_seconds']:.2f} s at "
        f"{n['ceiling']['multiply_adds_per_second'] / 1e9:.2f} G/s (short lists), weight gradients "
        f"{floor['weight_gradient_seconds']:.2f} s at {gradient_rate / 1e9:.2f} G/s ({n['rows']:,}-long columns). "
        f"That is {floor['seconds'] / step:.0%} of the step; the other {step - floor['seconds']:.2f} s is "
        + {
            "gathered": "the lists' plumbing (building, regrouping, transposing, writing the tables). ",
            "streaming": "the streaming backprop's one SUM per weight, which multiplies and adds column by column "
            "instead of calling `list_dot_product`, and recomputing the forward pass. ",
        }.get(n["list"].get("backprop"), "everything around the dot products (the operators below). ")
        + "Even at the floor a step "
        f"would be {floor['seconds'] / numpy:.1f}x numpy, whose step reached "
        f"{n['multiply_adds'] / numpy / 1e9:.1f} G multiply-adds/s.",
    ]
    if n.get("primitives"):
        lines += ["", *primitives_text(n["primitives"])]
    profile = {m: p for m, p in (n["list"].get("operator_profile") or {}).items() if p}
    if profile:
        lines += [
            "",
            "| statement | wall s | CPU s (all operators) | costliest operators, CPU s |",
            "|---|---|---|---|",
        ]
        for model, p in profile.items():
            top = (
                "; ".join(f"{o['operator']} {o['cpu_seconds']:.3f}" for o in p["top"])
                or "a view: computed by its reader"
            )
            lines.append(f"| {model} | {n['list']['model_seconds'][model]:.3f} | {p['cpu_seconds']:.3f} | {top} |")
    return lines


def primitives_text(result: dict) -> list[str]:
    """`primitives`' rates, and what they say about `list_dot_product`."""
    variants = result["variants"]
    dot = variants[DOT_PRODUCT]
    cosine = variants["list_cosine_similarity (lists, three sums per element)"]
    lines = [
        f"DuckDB's primitives for the same dot products ({result['shape']}: rows x inputs x units, "
        f"{result['threads']} threads), G multiply-adds/s: "
        + "; ".join(f"{label} {v['multiply_adds_per_second'] / 1e9:.2f}" for label, v in variants.items())
        + ". "
        f"`list_cosine_similarity` does three sums per element in {cosine['seconds'] / dot['seconds']:.2f}x the "
        "time `list_dot_product` takes for one: the dot product's loop waits on its single running sum (the "
        "latency of each add), not on the arithmetic, and no primitive that returns a dot product runs faster."
    ]
    return lines


def blas_text(results: dict) -> str:
    blas = results["networks"][0]["numpy"]["blas"]
    parts = [f"{b['internal_api']} {b['version']} {b['architecture']}, {b['num_threads']} threads" for b in blas]
    return "; ".join(parts) or "unknown"


def step_table(networks: list[dict]) -> list[str]:
    """The table of one full-batch step per network and SQL path (bench_network's results)."""
    lines = [
        "| network | rows | path | s/step | numpy s/step | x numpy | G mult-adds/s | ceiling G/s | of ceiling "
        "| peak RSS MB | load before/after |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n in networks:
        for path in PATHS:
            r = n[path]
            lines.append(
                f"| {n['network']} | {n['rows']:,} | {path} | {r['step_seconds']:.4f} | "
                f"{n['numpy']['step_seconds']:.5f} | {r['ratio_to_numpy']:.1f} | "
                f"{r['multiply_adds_per_second'] / 1e9:.3f} | {n['ceiling']['multiply_adds_per_second'] / 1e9:.2f} | "
                f"{r['fraction_of_ceiling']:.0%} | {r['peak_rss_mb']} | {r['load_before']}/{r['load_after']} |"
            )
    return lines


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# sqlnn benchmark",
        "",
        f"`make bench` at {results['started']} UTC, {results['seconds']:.0f} s. Machine: {m['cpu']}, "
        f"{m['cores']} cores, {m['memory']}; {m['os']}; Python {m['python']}, DuckDB {m['duckdb']}, "
        f"dbt-core {m['dbt_core']}, numpy {m['numpy']} "
        f"(numpy's BLAS, OPENBLAS_CORETYPE/L2_SIZE unset: {blas_text(results)}).",
        f"Load average (1 min) at start {results['load_start']}, at end {results['load_end']}; "
        "each row gives the load before and after its SQL runs. The machine is shared, so a load "
        "above 1.0 means another process took a core and the SQL times are pessimistic.",
        "",
        "## One full-batch training step (forward, loss, backprop, update)",
        "",
        "Median seconds per step; each SQL path replays the statements its own macros compiled "
        "to, in one DuckDB connection (threads = cores). Multiply-adds: forward + weight "
        "gradients + deltas pushed down. Ceiling: `list_dot_product` over rows x units lists of "
        "the widest layer, one UNION ALL branch per thread, measured in the same run.",
        "",
        *step_table(results["networks"]),
    ]
    lines += ["", "Per model, list path (median seconds):", ""]
    lines += ["| network | " + " | ".join(STAGES) + " |", "|---|" + "---|" * len(STAGES)]
    for n in results["networks"]:
        seconds = list(n["list"]["model_seconds"].values())
        lines.append(f"| {n['network']} | " + " | ".join(f"{s:.4f}" for s in seconds) + " |")
    s = results["spiral"]
    lines += [
        "",
        f"## The default job: {s['epochs']} epochs of 2-100-3 on the spiral ({s['models']} models)",
        "",
        "| what | seconds |",
        "|---|---|",
        f"| `dbt build --no-partial-parse` (seed, models, data and unit tests; fresh database) "
        f"| {s['dbt_build_seconds']:.2f} |",
        f"| its start-up: the same selecting nothing (start, full parse, connect) "
        f"| {s['dbt_startup_full_parse_seconds']:.2f} |",
        f"| `dbt run --full-refresh` (models only, partial parse: trains again) | {s['dbt_run_seconds']:.2f} |",
        f"| `dbt run` unchanged ({s['dbt_rerun_reused_models']} models reused) | {s['dbt_rerun_seconds']:.2f} |",
        f"| its start-up: `dbt run` selecting nothing | {s['dbt_startup_seconds']:.2f} |",
        f"| the same models as plain SQL in one DuckDB connection (process wall) | {s['plain_sql_seconds']:.2f} |",
        "",
        f"`dbt build` / plain SQL: {s['build_over_plain']:.1f}x; (`dbt build` - start-up) / plain: "
        f"{s['build_minus_startup_over_plain']:.2f}x; (`dbt run` - start-up) / plain: "
        f"{s['run_minus_startup_over_plain']:.2f}x. Peak RSS: `dbt build` {s['dbt_build_peak_rss_mb']} MB, "
        f"plain SQL {s['plain_sql_peak_rss_mb']} MB. Load before/after: {s['load_before']}/{s['load_after']}.",
        "",
        slope_text(results["slope"]),
        "",
        "## Materialisation of the per-epoch models",
        "",
        "`dbt run --select tag:spiral,tag:epochs` (all epochs, upstream already built; partial parse), same "
        "network and data; the last loss shows every variant trains the same.",
        "",
        "| forward, loss, backprop, update | seconds | last loss | load before/after |",
        "|---|---|---|---|",
    ]
    for row in results["materializations"]:
        lines.append(
            f"| {row['materialization']} | {row['training_run_seconds']:.2f} | {row['last_loss']:.12f} | "
            f"{row['load_before']}/{row['load_after']} |"
        )
    lines += ["", "## Where a list-path step goes", ""]
    for n in results["networks"]:
        lines += [*step_profile(n), ""]
    lines += ["The targets, checked against these results and the others of `make bench`: targets.md."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("replay", "numpy", "ceiling", "primitives"):
        return child(argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check the bench code runs")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results", help="where bench.md/json go")
    parser.add_argument(
        "--tall",
        type=int,
        action="append",
        metavar="ROWS",
        help="only the tall-table case, ROWS x 20 -> [64] -> 3, 2 epochs with dbt (repeatable); writes tall.md/json",
    )
    parser.add_argument(
        "--slope", action="store_true", help="only dbt's ms per epoch on the spiral (20 vs 60 epochs); slope.json"
    )
    parser.add_argument("--tall-epochs", type=int, default=2, help="epochs of the --tall network (the last is timed)")
    parser.add_argument(
        "--minibatch",
        type=int,
        metavar="ROWS",
        help="only full batch against 10 mini-batches on ROWS x 20 -> [64] -> 3; writes minibatch_ROWS.md/json",
    )
    parser.add_argument(
        "--steps",
        action="append",
        metavar="NETWORK",
        help="only the one-step measurement of these networks (e.g. 4-20-3, 784-20-10: the NN2SQL cases); steps.md",
    )
    parser.add_argument(
        "--targets", action="store_true", help="only check the targets against the results in --out; targets.md"
    )
    args = parser.parse_args(argv)
    if args.targets:
        text = targets_markdown(args.out)
        (args.out / "targets.md").write_text(text)
        print(text)
        return 0
    if args.steps:
        return main_steps(args.steps, args.out)
    if args.minibatch:
        with tempfile.TemporaryDirectory(prefix="sqlnn-bench-") as tmp:
            result = {"started": time.strftime("%Y-%m-%d %H:%M", time.gmtime()), "machine": machine()}
            result.update(bench_minibatch(args.minibatch, Path(tmp)))
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"minibatch_{args.minibatch}.json").write_text(json.dumps(result, indent=2) + "\n")
        text = minibatch_markdown(result)
        (args.out / f"minibatch_{args.minibatch}.md").write_text(text)
        print(text)
        return 0
    if args.tall:
        return main_tall(args.tall, args.out, args.tall_epochs)
    if args.slope:
        with tempfile.TemporaryDirectory(prefix="sqlnn-bench-") as tmp:
            slope = bench_slope(Path(tmp))
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "slope.json").write_text(json.dumps(slope, indent=2) + "\n")
        print(slope_text(slope))
        return 0
    started = time.perf_counter()
    results: dict = {
        "started": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "load_start": load(),
        "machine": machine(),
        "networks": [],
    }
    with tempfile.TemporaryDirectory(prefix="sqlnn-bench-") as tmp:
        for network in SMOKE_NETWORKS if args.smoke else NETWORKS:
            print(f"bench: {network.name} on {network.rows:,} rows", file=sys.stderr, flush=True)
            results["networks"].append(bench_network(network, Path(tmp), numpy_repeats=3 if args.smoke else 20))
        print("bench: the default spiral job", file=sys.stderr, flush=True)
        results["spiral"] = bench_spiral(Path(tmp), epochs=2 if args.smoke else None)
        print("bench: dbt's ms per epoch, 20 vs 60 epochs of the spiral", file=sys.stderr, flush=True)
        results["slope"] = bench_slope(Path(tmp), epochs=(2, 4) if args.smoke else SLOPE_EPOCHS)
        print("bench: materialisations of the per-epoch models", file=sys.stderr, flush=True)
        results["materializations"] = bench_materializations(
            Path(tmp), epochs=2 if args.smoke else None, variants=2 if args.smoke else None
        )
    results["load_end"] = load()
    results["seconds"] = time.perf_counter() - started
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    text = markdown(results)
    (args.out / "bench.md").write_text(text)
    print(text)
    print(f"wrote {args.out / 'bench.md'} and {args.out / 'bench.json'}", file=sys.stderr)
    return 0


def _result(out: Path, name: str) -> dict | None:
    path = out / name
    return json.loads(path.read_text()) if path.exists() else None


def _tall_row(result: dict | None, rows: int) -> dict | None:
    return next((r for r in (result or {}).get("tall", []) if r["rows"] == rows), None)


def targets(out: Path) -> list[dict]:
    """Each target of issue 13 (tall tables, speed) and of issue 5 (the first benchmark), checked against the
    results `make bench` wrote in `out`; `met` is None where its result is missing."""
    bench, tall = _result(out, "bench.json"), _result(out, "tall.json")
    ten_million, minibatch = _result(out, "tall_1_epochs.json"), _result(out, "minibatch_1000000.json")
    networks = {n["network"]: n for n in (bench or {}).get("networks", [])}
    rows: list[dict] = []

    def add(issue: int, what: str, source: str, measured: str | None, met: bool | None) -> None:
        # the network (784-128-10, 1M, spiral...) leads the target's text: a missed one's profile is found by it
        network = what.split(":")[0].split(" x ")[0]
        rows.append(
            {"issue": issue, "network": network, "target": what, "source": source, "measured": measured, "met": met}
        )

    one_million = _tall_row(tall, 1_000_000)
    add(
        13,
        "1M x 20 -> [64]: peak RSS of `dbt run` <= 4 GB",
        "tall.md",
        one_million and f"{one_million['dbt_peak_rss_mb'] / 1024:.2f} GB",
        one_million and one_million["dbt_peak_rss_mb"] <= 4 * 1024,
    )
    ten = _tall_row(ten_million, 10_000_000)
    add(
        13,
        "10M x 20 -> [64]: one epoch trains without running out of memory",
        "tall_1_epochs.md",
        ten and f"trained: epoch {ten['epoch_2_seconds']:.0f} s, peak RSS {ten['dbt_peak_rss_mb'] / 1024:.2f} GB",
        ten and ten["epoch_2_seconds"] > 0,
    )
    ratio = one_million and one_million["ratio_to_numpy"]
    add(
        13,
        "1M x 20 -> [64]: full-batch epoch <= 10x numpy",
        "tall.md",
        ratio and f"{ratio:.1f}x",
        ratio and ratio <= 10,
    )
    wide = networks.get("784-128-10")
    ratio = wide and wide["list"]["ratio_to_numpy"]
    add(13, "784-128-10 x 10k: <= 20x numpy", "bench.md", ratio and f"{ratio:.1f}x", ratio and ratio <= 20)
    fraction = wide and wide["list"]["fraction_of_ceiling"]
    add(
        13,
        "784-128-10 x 10k: >= 80% of the `list_dot_product` ceiling",
        "bench.md",
        fraction and f"{fraction:.0%}",
        fraction and fraction >= 0.8,
    )
    slope = (bench or {}).get("slope")
    add(
        13,
        "dbt's share of a spiral epoch (20 vs 60 epochs): <= 3x the plain SQL",
        "bench.md",
        slope
        and f"{slope['ratio']:.1f}x ({slope['dbt_ms_per_epoch']:.0f} ms against {slope['plain_ms_per_epoch']:.0f})",
        slope and slope["ratio"] <= 3,
    )
    reached, passes = None, None
    if minibatch:
        full = minibatch["full"]["validation_accuracy_after_epoch"]
        mini = minibatch["mini"]["validation_accuracy_after_epoch"]
        passes = next((i + 1 for i, accuracy in enumerate(mini) if accuracy >= full[-1]), None)
        mini_text = (
            f"{mini[passes - 1]:.4f} after {passes}" if passes else f"{mini[-1]:.4f} after {len(mini)} (not reached)"
        )
        reached = f"full batch {full[-1]:.4f} after {len(full)} passes; 10 mini-batches {mini_text}"
    add(
        13,
        "1M rows: mini-batches reach full batch's validation accuracy in fewer passes",
        "minibatch_1000000.md",
        reached,
        None if not minibatch else bool(passes and passes < len(full)),
    )
    ratio = networks.get("20-64-64-5") and networks["20-64-64-5"]["list"]["ratio_to_numpy"]
    add(5, "20-64-64-5 x 20k: <= 10x numpy", "bench.md", ratio and f"{ratio:.1f}x", ratio and ratio <= 10)
    spiral = (bench or {}).get("spiral")
    overhead = spiral and spiral["build_minus_startup_over_plain"]
    add(
        5,
        "spiral: `dbt build` minus start-up <= 2x the plain SQL",
        "bench.md",
        overhead and f"{overhead:.2f}x",
        overhead and overhead <= 2,
    )
    peak = max((n[p]["peak_rss_mb"] for n in networks.values() for p in PATHS), default=None)
    add(5, "largest peak RSS of a step's process <= 2048 MB", "bench.md", peak and f"{peak} MB", peak and peak <= 2048)
    return rows


def targets_markdown(out: Path) -> str:
    """targets.md: every target with its measured figure, and for a missed speed target the profile of the step."""
    lines = [
        "# sqlnn: the benchmark's targets",
        "",
        "`python bench/bench.py --targets` (the last step of `make bench`) reads the results in this folder; "
        "each figure is from the file named, measured against numpy in the same run. Started: "
        + ", ".join(
            f"{name} {result['started']} UTC"
            for name in ("bench.json", "tall.json", "tall_1_epochs.json", "minibatch_1000000.json")
            if (result := _result(out, name))
        )
        + ".",
        "",
        "| issue | target | measured | met | from |",
        "|---|---|---|---|---|",
    ]
    rows = targets(out)
    for row in rows:
        met = {True: "met", False: "**NOT met**", None: "not measured"}[row["met"]]
        lines.append(
            f"| {row['issue']} | {row['target']} | {row['measured'] or 'no result'} | {met} | {row['source']} |"
        )
    missed = {row["network"] for row in rows if row["met"] is False}
    profiled = [n for n in (_result(out, "bench.json") or {}).get("networks", []) if n["network"] in missed]
    one_million = _tall_row(_result(out, "tall.json"), 1_000_000)
    if profiled or ("1M" in missed and one_million):
        lines += ["", "## Why the missed speed targets are missed", ""]
    for n in profiled:
        lines += [*step_profile(n), ""]
    if profiled:
        lines += [
            "What would move them: a faster primitive than `list_dot_product`, which the floor above is made of. "
            "DuckDB has no matrix product, and its dot product adds into one running sum, so it runs at the "
            "latency of an add (the cosine similarity above does three times the arithmetic in about the same "
            "time); a `list_dot_product` with several partial sums would be a change to DuckDB, outside this "
            "project. numpy's BLAS multiplies the same matrices with vector instructions, blocked for cache, at "
            "the rate given above. Less plumbing around the dot products (the forward pass writes one row per "
            "example and layer, which the backprop groups back into lists and transposes into columns) would "
            "close the gap to the floor, not the gap to numpy.",
            "",
        ]
    if "1M" in missed and one_million:
        split = ", ".join(f"{stage} {one_million['epoch_2_model_seconds'][stage]:.2f} s" for stage in STAGES)
        lines.append(
            f"**1M x 20 -> [64]**: the epoch took {one_million['epoch_2_seconds']:.2f} s ({split}), numpy's step "
            f"{one_million['numpy_step_seconds']:.3f} s; every model of the run: tall.md."
        )
    return "\n".join(lines) + "\n"


def slope_text(slope: dict) -> str:
    first, last = slope["epochs"][0], slope["epochs"][-1]
    # the ratio with nothing of sqlnn's around the SQL: dbt's own cost of four models plus the SQL itself
    plain, floor = slope["plain_ms_per_epoch"], slope.get("floor_ms_per_epoch", 0.0)
    statement_floor = slope.get("statement_floor_ms_per_epoch", 0.0)
    floor_ratio, statement_floor_ratio = (floor + plain) / plain, (statement_floor + plain) / plain
    ours = slope["dbt_ms_per_epoch"] - statement_floor - plain
    return (
        f"dbt's share of an epoch: `dbt run --select tag:spiral,tag:epochs` of {first} and {last} epochs took "
        f"{slope['dbt_run_seconds'][0]:.2f} s and {slope['dbt_run_seconds'][-1]:.2f} s, "
        f"{slope['dbt_ms_per_epoch']:.0f} ms per epoch; the same models as plain SQL "
        f"{slope['plain_ms_per_epoch']:.0f} ms per epoch: {slope['ratio']:.1f}x (target <= 3x). "
        + (
            f"dbt's own floor, as many chained models whose materialization does nothing, costs "
            f"{slope['floor_ms_per_epoch']:.0f} ms per epoch (four models), and "
            f"{slope['statement_floor_ms_per_epoch']:.0f} ms when each runs one trivial statement (dbt's cost of a "
            f"query: its events, logs and cursor). With nothing of sqlnn's around the SQL the ratio would be "
            f"{floor_ratio:.1f}x (noop floor) to {statement_floor_ratio:.1f}x (statement floor); sqlnn's "
            f"macros and materializations add the other {ours:.0f} ms. "
            if "statement_floor_ms_per_epoch" in slope
            else ""
        )
        + f"Load before/after: {slope['load_before']}/{slope['load_after']}."
    )


def tall_markdown(results: dict) -> str:
    lines = [
        "# sqlnn tall tables",
        "",
        f"`python bench/bench.py --tall ROWS` at {results['started']} UTC. `dbt run` of 2 epochs (or --tall-epochs) "
        "on the DuckDB list path (threads = cores); the last epoch's models from run_results.json; numpy: one "
        "full-batch step of the same network on the same data and parameters, same run; peak RSS of the dbt "
        "process (wait4).",
        "",
        "| rows x features -> hidden -> classes | last epoch s (forward / loss / backprop / update) | numpy step s "
        "| ratio | peak RSS of dbt | dbt run s | load before/after |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results["tall"]:
        sizes = r["network"].split("-")
        shape = f"{r['rows']:,} x {sizes[0]} -> [{', '.join(sizes[1:-1])}] -> {sizes[-1]}"
        split = " / ".join(f"{r['epoch_2_model_seconds'][s]:.2f}" for s in STAGES)
        numpy, ratio = "not run (rows > 2M)", "n/a"
        if r["numpy_step_seconds"] is not None:
            numpy, ratio = f"{r['numpy_step_seconds']:.3f}", f"{r['ratio_to_numpy']:.1f}x"
        lines.append(
            f"| {shape} | {r['epoch_2_seconds']:.2f} ({split}) | {numpy} | {ratio} | "
            f"{r['dbt_peak_rss_mb'] / 1024:.2f} GB | {r['dbt_run_seconds']:.0f} | "
            f"{r['load_before']}/{r['load_after']} |"
        )
    views = [f"{r['rows']:,}" for r in results["tall"] if r.get("forward_materialization") == "view"]
    if views:
        lines += [
            "",
            f"The forward model is a view at {', '.join(views)} rows: the backprop streams its weight gradients and "
            "recomputes the forward pass, so the loss is its only reader, and reading it there computes it "
            "(sqlnn.epoch_materialization): its seconds are in the loss's.",
        ]
    lines += ["", "Outside the epochs (seconds per model, run_results.json):", ""]
    for r in results["tall"]:
        outside = sorted(r["outside_epochs_seconds"].items(), key=lambda item: -item[1])
        lines.append(f"- {r['rows']:,} rows: " + ", ".join(f"{m} {t:.2f}" for m, t in outside))
    return "\n".join(lines) + "\n"


def main_tall(rows: list[int], out: Path, epochs: int = 2) -> int:
    results: dict = {"started": time.strftime("%Y-%m-%d %H:%M", time.gmtime()), "machine": machine(), "tall": []}
    with tempfile.TemporaryDirectory(prefix="sqlnn-bench-") as tmp:
        for n in rows:
            print(f"bench: tall table, {n:,} rows", file=sys.stderr, flush=True)
            results["tall"].append(bench_tall(n, Path(tmp), numpy_repeats=3, epochs=epochs))
    out.mkdir(parents=True, exist_ok=True)
    name = "tall" if epochs == 2 else f"tall_{epochs}_epochs"
    (out / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
    text = tall_markdown(results)
    (out / f"{name}.md").write_text(text)
    print(text)
    return 0


def main_steps(names: list[str], out: Path) -> int:
    known = {network.name: network for network in STEP_NETWORKS}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SystemExit(f"bench: no network {', '.join(unknown)} (networks: {', '.join(known)})")
    results: dict = {"started": time.strftime("%Y-%m-%d %H:%M", time.gmtime()), "machine": machine(), "networks": []}
    with tempfile.TemporaryDirectory(prefix="sqlnn-bench-") as tmp:
        for name in names:
            print(f"bench: one step of {name}", file=sys.stderr, flush=True)
            results["networks"].append(bench_network(known[name], Path(tmp), numpy_repeats=20))
    results["dbt_model_ms"] = dbt_model_ms(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "steps.json").write_text(json.dumps(results, indent=2) + "\n")
    text = steps_markdown(results)
    (out / "steps.md").write_text(text)
    print(text)
    return 0


def dbt_model_ms(out: Path) -> dict | None:
    """dbt's cost per model around the SQL, from the last `bench.py` run's slope in `out` (its ms per epoch
    over the plain SQL's, four models per epoch); None without one."""
    bench = _result(out, "bench.json")
    if not bench or "slope" not in bench:
        return None
    slope = bench["slope"]
    return {"ms": (slope["dbt_ms_per_epoch"] - slope["plain_ms_per_epoch"]) / 4, "measured": bench["started"]}


def steps_markdown(results: dict) -> str:
    per_model = results.get("dbt_model_ms")
    lines = [
        "# sqlnn: one full-batch step",
        "",
        f"`python bench/bench.py --steps NETWORK ...` at {results['started']} UTC. Each path replays the statements "
        "its macros compiled to (forward, loss, backprop, update of epoch 1) in one DuckDB connection, median of "
        "the timed steps; numpy: the same step on the same data and parameters, same run. dbt adds its own "
        "per-model cost on top"
        + (
            f" (bench.md of {per_model['measured']} UTC: {per_model['ms']:.0f} ms per model, 4 models per step)."
            if per_model
            else "."
        ),
        "",
        *step_table(results["networks"]),
    ]
    published = [n for n in results["networks"] if n["network"] in NN2SQL]
    if published and per_model:
        ms = per_model["ms"]
        lines += [
            "",
            "The NN2SQL paper's cases (their DuckDB SQL-92 figures; ours: the list path's SQL, and with dbt's "
            f"per-model cost of {ms:.0f} ms x 4 added per step):",
            "",
            "| network, rows | steps | NN2SQL s | sqlnn SQL s | sqlnn with dbt s |",
            "|---|---|---|---|---|",
        ]
        for n in published:
            rows, steps, theirs = NN2SQL[n["network"]]
            ours = n["list"]["step_seconds"] * steps
            with_dbt = ours + steps * 4 * ms / 1000
            lines.append(f"| {n['network']}, {rows:,} | {steps} | {theirs:.0f} | {ours:.2f} | {with_dbt:.2f} |")
    return "\n".join(lines) + "\n"


def child(argv: list[str]) -> int:
    kind, *rest = argv
    if kind == "replay":
        database, folder, repeats, *flags = rest
        order_file = Path(folder) / "order.json"
        models = (
            json.loads(order_file.read_text())
            if order_file.exists()
            else [
                path.stem
                for path in sorted(Path(folder).glob("*.sql"), key=lambda p: STAGES.index(p.stem.split("_")[-1]))
            ]
        )
        statements = [(m, (Path(folder) / f"{m}.sql").read_text()) for m in models]
        data = replay(database, statements, int(repeats), profile="profile" in flags)
    elif kind == "numpy":
        database, network, sizes, repeats = rest
        data = numpy_step(database, network, json.loads(sizes), int(repeats))
    elif kind == "primitives":
        data = primitives(*map(int, rest))
    else:
        data = ceiling(*map(int, rest))
    print(json.dumps({**data, "peak_rss_mb": _peak_rss_mb()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
