"""The `sqlnn` command. It acts on the dbt project in the current directory, or --project-dir."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlnn import plot, scaffold


def _project_dir(value: str) -> Path:
    path = Path(value).resolve()
    if not (path / "dbt_project.yml").is_file():
        raise argparse.ArgumentTypeError(f"{path} has no dbt_project.yml")
    return path


def _scaffold(args: argparse.Namespace) -> int:
    project_dir: Path = args.project_dir
    epochs = args.epochs or scaffold.committed_epochs(project_dir)
    if epochs is None:
        print(f"sqlnn scaffold: {project_dir / scaffold.GENERATED_DIR} is empty; pass --epochs N", file=sys.stderr)
        return 2
    if args.check:
        problems = scaffold.differences(project_dir, epochs)
        for problem in problems:
            print(f"sqlnn scaffold --check: {problem}", file=sys.stderr)
        if problems:
            print(f"run `sqlnn scaffold --epochs {epochs}` to regenerate", file=sys.stderr)
            return 1
        print(f"{scaffold.GENERATED_DIR}: up to date for {epochs} epochs")
        return 0
    written = scaffold.write(project_dir, epochs)
    for path in written:
        print(f"wrote {path.relative_to(project_dir)}")
    print(f"{scaffold.GENERATED_DIR}: {epochs} epochs, {len(written)} files written")
    if scaffold.with_pipeline(project_dir) and not scaffold.package_models_disabled(project_dir):
        print(
            "sqlnn scaffold: the sqlnn package's own models (the spiral demo) would clash with these;"
            f" add to {project_dir / 'dbt_project.yml'}:\n{scaffold.DISABLE_PACKAGE_MODELS}",
            file=sys.stderr,
        )
    return 0


def _plot(args: argparse.Namespace) -> int:
    project_dir: Path = args.project_dir
    database = Path(args.database) if args.database else plot.default_database(project_dir)
    if not database.is_file():
        print(f"sqlnn plot: no database at {database}; train first (make train) or pass --database", file=sys.stderr)
        return 2
    out_dir = Path(args.out) if args.out else project_dir / "plots"
    for path in plot.plot(project_dir, database, out_dir, args.vars):
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sqlnn", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser(
        "scaffold",
        help="generate models/generated/: forward, loss, backprop and update models for each epoch",
    )
    gen.add_argument("--epochs", type=int, help="number of epochs (default: as many as are generated now)")
    gen.add_argument("--check", action="store_true", help="exit 1 if the files differ from what would be generated")
    gen.add_argument("--project-dir", type=_project_dir, default=".", help="dbt project (default: current directory)")
    gen.set_defaults(run=_scaffold)
    pictures = commands.add_parser(
        "plot",
        help="write PNGs of loss and accuracy per epoch and, for 2 features, the decision regions",
    )
    pictures.add_argument(
        "--project-dir", type=_project_dir, default=".", help="dbt project (default: current directory)"
    )
    pictures.add_argument("--database", help="DuckDB file (default: $SQLNN_DUCKDB_PATH or sqlnn.duckdb in the project)")
    pictures.add_argument("--out", help="folder for the PNGs (default: plots/ in the project)")
    pictures.add_argument("--vars", help="the --vars given to dbt, YAML (features and activation of the run)")
    pictures.set_defaults(run=_plot)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
