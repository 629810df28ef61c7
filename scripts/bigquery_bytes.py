"""Bytes one training epoch would process on BigQuery: computed, not measured on BigQuery.

For each model of one epoch, sqlglot finds which columns of which stored tables the
compiled BigQuery SQL reads; a finished DuckDB run gives each column's size with
BigQuery's on-demand rules (8 bytes per INT64/FLOAT64 value, 2 + length per STRING,
`count(*)` reads nothing). On-demand billing also charges at least 10 MB per table a
query references, which dominates small data. Tables with a row_id column hold one row
per example (or per example and unit) and are scaled to --rows; parameter tables are not.
With mini-batches (--batch B, a network of `batches` > 1) a step reads its epoch's batch rows
`where batch in (...)`; they are clustered by batch, so only those batches' rows are counted
(BigQuery prunes whole blocks, so on small tables it reads somewhat more).

    # DuckDB, sqlnn.duckdb, on the portable path (BigQuery's SQL; the list path stores other tables)
    dbt build --select +tag:spiral --vars '{sqlnn: {spiral: {duckdb_list_path: false}}}'
    SQLNN_BIGQUERY_METHOD=oauth-secrets SQLNN_BIGQUERY_TOKEN=offline \\
        dbt compile --target bigquery --no-populate-cache --select tag:spiral,resource_type:model
    python scripts/bigquery_bytes.py --network spiral --rows 300 --rows 1000000
    python scripts/bigquery_bytes.py --network churn --batch 2 --rows 1000000   # one mini-batch step
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.optimizer.scope import traverse_scope

from sqlnn import scaffold

MIN_BILLED_PER_TABLE = 10 * 1024 * 1024
STAGES = scaffold.STAGES


def columns_read(sql: str) -> dict[str, set[str]]:
    """Stored table -> the columns a BigQuery query reads from it (an empty set for count(*) only)."""
    read: dict[str, set[str]] = {}
    for scope in traverse_scope(sqlglot.parse_one(sql, read="bigquery")):
        selected = scope.selected_sources  # what this SELECT's FROM and JOINs name
        tables = {alias: source.name for alias, (_, source) in selected.items() if isinstance(source, exp.Table)}
        for table in tables.values():
            read.setdefault(table, set())
        for column in scope.columns:
            if column.table:
                table = tables.get(column.table)
            else:  # unqualified: a stored column only when the FROM has one source
                table = next(iter(tables.values())) if len(selected) == 1 and tables else None
            if table is not None:
                read[table].add(column.name)
    return read


def column_bytes(
    connection: duckdb.DuckDBPyConnection, table: str, column: str, where: str = "true"
) -> tuple[int, int]:
    """(rows, bytes) of one column under BigQuery's sizes, over the rows `where` selects."""
    kind = connection.execute(f"select typeof({column}) from {table} limit 1").fetchall()[0][0]
    size = f"2 + length({column})" if kind == "VARCHAR" else "8"
    query = f"select count(*), coalesce(sum({size}), 0) from {table} where {where}"
    rows, total = connection.execute(query).fetchall()[0]
    return rows, total


def clustered_batches(sql: str, table: str) -> str:
    """`batch in (...)` when the query reads a mini-batch step's rows of `table` (clustered by batch), else true."""
    found = re.search(rf"{re.escape(table)}`?\s+where (batch in \([0-9, ]+\))", sql)
    return found.group(1) if found else "true"


def list_path_columns(connection: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Columns holding DuckDB lists: a table of the list path, sized unlike the long form BigQuery runs."""
    listed = [name for name, kind, *_ in connection.sql(f"describe {table}").fetchall() if kind.endswith("[]")]
    return [c for c in listed if connection.execute(f"select count({c}) from {table}").fetchall()[0][0] > 0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compiled", type=Path, default=Path("target/compiled/sqlnn/models"))
    parser.add_argument("--database", type=Path, default=Path("sqlnn.duckdb"))
    parser.add_argument("--network", default="spiral", help="the network whose epoch is measured")
    parser.add_argument("--epoch", type=int, default=2, help="the epoch whose models are measured")
    parser.add_argument("--rows", type=int, action="append", help="training rows to scale to (repeatable)")
    parser.add_argument("--batch", type=int, help="with mini-batches: the batch of --epoch whose step is measured")
    args = parser.parse_args()
    with duckdb.connect(str(args.database), read_only=True) as connection:
        examples = connection.execute(f"select count(*) from {args.network}_training_examples").fetchall()[0][0]
        per_model: list[tuple[str, dict[str, tuple[int, bool]]]] = []
        for stage in STAGES:
            model = scaffold.model_name(args.network, args.epoch, stage, args.batch)
            sql = next(args.compiled.rglob(f"{model}.sql")).read_text()
            tables: dict[str, tuple[int, bool]] = {}
            for table, columns in columns_read(sql).items():
                if listed := list_path_columns(connection, table):
                    raise SystemExit(
                        f"{table} holds lists ({', '.join(listed)}): {args.database} was built on DuckDB's list path; "
                        f"rebuild with --vars '{{sqlnn: {{{args.network}: {{duckdb_list_path: false}}}}}}'"
                    )
                names = {c[0] for c in connection.sql(f"describe {table}").fetchall()}
                where = clustered_batches(sql, table)
                total = sum(column_bytes(connection, table, c, where)[1] for c in columns)
                tables[table] = (total, "row_id" in names)
            per_model.append((model, tables))
    for rows in args.rows or [examples]:
        scale = rows / examples
        what = "one epoch" if args.batch is None else f"the step of epoch {args.epoch}, batch {args.batch}"
        print(f"\n{args.network}, {rows:,} training rows ({what}, computed from {args.database}):")
        epoch_read = epoch_billed = 0
        for model, tables in per_model:
            scaled = [round(b * scale) if per_example else b for b, per_example in tables.values()]
            read, billed = sum(scaled), sum(max(b, MIN_BILLED_PER_TABLE) for b in scaled)
            epoch_read, epoch_billed = epoch_read + read, epoch_billed + billed
            listing = ", ".join(sorted(tables))
            print(f"  {model:<29} reads {read:>14,} B, billed {billed:>14,} B  ({listing})")
        total = "epoch total" if args.batch is None else "step total"
        print(f"  {total:<29} reads {epoch_read:>14,} B, billed {epoch_billed:>14,} B")


if __name__ == "__main__":
    main()
