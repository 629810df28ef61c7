"""The `sqlnn` command. It acts on the dbt project in the current directory, or --project-dir.

sqlnn scaffold NAME [--epochs N] [--data RELATION --features a,b --label y] [--classes C] [--SETTING VALUE ...]
sqlnn scaffold [NAME] --check
sqlnn prune [NAME ...] [--dry-run]
sqlnn plot NAME [--target T] [--out DIR]
sqlnn status NAME [--target T]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from sqlnn import __version__, scaffold

# Exit codes: 0 done, 1 --check found differences or dbt failed, 2 a usage or settings problem.
EXIT_DIFFERS, EXIT_USAGE = 1, 2


def _project_dir(value: str) -> Path:
    path = Path(value).resolve()
    if not (path / "dbt_project.yml").is_file():
        raise argparse.ArgumentTypeError(f"{path} has no dbt_project.yml (cd into a dbt project, or --project-dir)")
    return path


LIST_SETTINGS = ("hidden",)  # settings that are lists even when given one value


def _value(text: str) -> Any:
    """A setting's value as YAML reads it (0.01, true, he, [64, 64]); a, b, c is a list."""
    if "," in text and not text.lstrip().startswith(("[", "{")):
        return [_value(part.strip()) for part in text.split(",")]
    return yaml.safe_load(text)


def _settings(args: argparse.Namespace, extra: list[str]) -> dict[str, Any]:
    """--data/--features/--label/--classes and any --some-setting VALUE pairs, as settings."""
    settings: dict[str, Any] = {}
    for key in ("epochs", "data", "label", "classes"):
        if getattr(args, key) is not None:
            settings[key] = getattr(args, key)
    if args.features is not None:
        settings["features"] = [name.strip() for name in args.features.split(",") if name.strip()]
    if isinstance(settings.get("data"), str) and settings["data"].startswith("source:"):
        source, _, table = settings["data"].removeprefix("source:").partition(".")
        settings["data"] = {"source": source, "table": table}
    index = 0
    while index < len(extra):
        option = extra[index]
        if not option.startswith("--") or index + 1 >= len(extra):
            raise scaffold.ScaffoldError(f"expected --SETTING VALUE, got {' '.join(extra[index:])}")
        key, value = option[2:].replace("-", "_"), extra[index + 1]
        if "=" in key:
            raise scaffold.ScaffoldError(f"write {option.split('=')[0]} VALUE, not {option}")
        settings[key] = _value(value)
        if key in LIST_SETTINGS and not isinstance(settings[key], list):  # --hidden 16: one hidden layer
            settings[key] = [settings[key]]
        index += 2
    return settings


def _scaffold(args: argparse.Namespace, extra: list[str]) -> int:
    project_dir: Path = args.project_dir
    existing = scaffold.networks(project_dir)
    if args.check:
        names = [args.name] if args.name else sorted(existing)
        problems = []
        for name in names:
            if name not in existing:
                raise scaffold.ScaffoldError(f"there is no network {name} in {project_dir / 'dbt_project.yml'}")
            problems += scaffold.differences(project_dir, existing[name])
        for problem in problems:
            print(f"sqlnn scaffold --check: {problem}", file=sys.stderr)
        if problems:
            print("run `sqlnn scaffold NAME` to regenerate", file=sys.stderr)
            return EXIT_DIFFERS
        print(f"sqlnn scaffold --check: {len(names)} network(s) up to date ({', '.join(names) or 'none'})")
        return 0
    settings = _settings(args, extra)
    if args.name is None:
        if settings:
            raise scaffold.ScaffoldError("settings need a network: sqlnn scaffold NAME --SETTING VALUE")
        if not existing:
            raise scaffold.ScaffoldError("no networks here yet: sqlnn scaffold NAME --data ... --features ...")
        targets = [existing[name] for name in sorted(existing)]
    else:
        scaffold.check_name(args.name)
        targets = [
            scaffold.configure(project_dir, args.name, settings)
            if settings or args.name not in existing
            else existing[args.name]
        ]
    for network in targets:
        result = scaffold.write(project_dir, network)
        if args.verbose:
            for path in result.written:
                print(f"wrote {path.relative_to(project_dir)}")
            for path in result.removed:
                print(f"removed {path.relative_to(project_dir)}")
        print(
            f"{network.name}: {network.epochs} epochs"
            + (f" of {network.batches} mini-batches" if network.batches > 1 else "")
            + f" in {network.folder}/ ({result.total} files:"
            f" {len(result.written)} written, {len(result.removed)} removed)"
        )
        if result.removed:
            print(f"  the tables of removed models stay in the database until `sqlnn prune {network.name}`")
    return 0


def _dbt_args(args: argparse.Namespace) -> list[str]:
    extra = ["--project-dir", str(args.project_dir)]
    if args.profiles_dir:
        extra += ["--profiles-dir", args.profiles_dir]
    if args.target:
        extra += ["--target", args.target]
    return extra


def _prune(args: argparse.Namespace, extra: list[str]) -> int:
    if extra:
        raise scaffold.ScaffoldError(f"unknown arguments: {' '.join(extra)}")
    from sqlnn import dbt_runner

    operation_args = yaml.safe_dump({"networks": args.names or None, "dry_run": args.dry_run}, default_flow_style=True)
    ok = dbt_runner.run(["run-operation", "sqlnn.prune", "--args", operation_args, *_dbt_args(args)])
    return 0 if ok else EXIT_DIFFERS


def _plot(args: argparse.Namespace, extra: list[str]) -> int:
    if extra:
        raise scaffold.ScaffoldError(f"unknown arguments: {' '.join(extra)}")
    from sqlnn import dbt_runner, plot

    out_dir = Path(args.out) if args.out else args.project_dir / "plots" / args.name
    try:
        written = plot.plot(args.name, out_dir, _dbt_args(args))
    except dbt_runner.QueryError as error:
        hint = "" if str(error).startswith("sqlnn:") else f" (trained yet? dbt build --select {args.name}+)"
        print(f"sqlnn plot: {error}{hint}", file=sys.stderr)
        return EXIT_DIFFERS
    for path in written:
        print(f"wrote {path}")
    return 0


def _status(args: argparse.Namespace, extra: list[str]) -> int:
    if extra:
        raise scaffold.ScaffoldError(f"unknown arguments: {' '.join(extra)}")
    from sqlnn import dbt_runner, status

    try:
        found = status.status(args.name, _dbt_args(args))
    except dbt_runner.QueryError as error:
        print(f"sqlnn status: {error}", file=sys.stderr)
        return EXIT_DIFFERS
    print("\n".join(found.lines()))
    return 0


def _common(parser: argparse.ArgumentParser, dbt: bool = False) -> None:
    parser.add_argument(
        "--project-dir", type=_project_dir, default=".", help="dbt project (default: current directory)"
    )
    if dbt:
        parser.add_argument("--profiles-dir", help="as dbt's --profiles-dir (default: dbt's own lookup)")
        parser.add_argument("--target", help="as dbt's --target (default: the profile's target)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sqlnn", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"sqlnn {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    gen = commands.add_parser(
        "scaffold",
        help="create or update a network: its settings in dbt_project.yml and every model of it in models/NAME/",
        description="Create the network NAME (give --data, --features, --label) or update it; any"
        " setting can be given as --SETTING VALUE, e.g. --learning-rate 0.01 --hidden 64,64 (README, Configuration)."
        " Without NAME, regenerates every network.",
    )
    gen.add_argument("name", nargs="?", help="the network (lower case, e.g. churn); models are named NAME_...")
    gen.add_argument("--epochs", type=int, help=f"number of epochs (new networks: {scaffold.DEFAULT_EPOCHS})")
    gen.add_argument("--data", help="model or seed to train on (or source:SOURCE.TABLE)")
    gen.add_argument("--features", help="comma-separated feature columns (numbers, text or booleans), in input order")
    gen.add_argument("--label", help="label column (any type: its distinct values are the classes)")
    gen.add_argument("--classes", type=int, help="number of classes (optional: learned, and checked when given)")
    gen.add_argument("--check", action="store_true", help="exit 1 if the files differ from what would be generated")
    gen.add_argument("-v", "--verbose", action="store_true", help="list every file written or removed")
    _common(gen)
    gen.set_defaults(run=_scaffold)

    prune = commands.add_parser(
        "prune",
        help="drop the tables of a network's models that are gone (fewer epochs, or a removed network)",
    )
    prune.add_argument("names", nargs="*", help="networks (default: every network in the project)")
    prune.add_argument("--dry-run", action="store_true", help="list what would be dropped")
    _common(prune, dbt=True)
    prune.set_defaults(run=_prune)

    pictures = commands.add_parser(
        "plot",
        help="write PNGs of a network's loss and accuracy per epoch and, for 2 features, its decision regions",
    )
    pictures.add_argument("name", help="the network")
    pictures.add_argument("--out", help="folder for the PNGs (default: plots/NAME/ in the project)")
    _common(pictures, dbt=True)
    pictures.set_defaults(run=_plot)

    state = commands.add_parser(
        "status",
        help="a network's last finished epoch, the tables a dbt build would reuse, its final loss and accuracy",
    )
    state.add_argument("name", help="the network")
    _common(state, dbt=True)
    state.set_defaults(run=_status)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "scaffold":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return args.run(args, extra)
    except scaffold.ScaffoldError as error:
        print(f"sqlnn {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
