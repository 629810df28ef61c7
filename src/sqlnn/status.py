"""`sqlnn status NAME`: how far a network has trained, and which of its tables a `dbt build` would reuse.

A model is reused when its table carries the fingerprint it would be built with now (macros/fingerprints/):
md5 of its compiled SQL, then, for each relation it reads in unique-id order, `name=<fingerprint>` for the
relations sqlnn builds (their fingerprint as it would be now) and `name=<content_checksum>` for the others.
`dbt compile` gives the compiled SQL; one query through the profile gives the stored fingerprints and the
checksums, so the answer is the engine's own.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlnn import dbt_runner


@dataclass
class Status:
    network: str
    epochs: int
    last_epoch: int  # the last epoch whose update table carries a fingerprint (0: none)
    models: int
    stored: int  # models whose table carries a fingerprint
    matching: list[str]  # models a build would reuse
    stale: list[str]  # models a build would compute
    final: dict[str, Any] | None  # the last trained row of the training history, if built
    stopped_at: dict[str, Any] | None = None  # the row where early stopping ended training, if it did

    def lines(self) -> list[str]:
        lines = [
            f"network {self.network}: last finished epoch {self.last_epoch} of {self.epochs}",
            f"  {self.models} models: {self.stored} with a stored fingerprint, {len(self.matching)} match what they"
            f" would be built with now (a dbt build reuses them), {len(self.stale)} would be computed",
        ]
        if self.stale:
            more = f" and {len(self.stale) - 5} more" if len(self.stale) > 5 else ""
            lines.append(f"  would be computed: {', '.join(self.stale[:5])}{more}")
        if self.final:
            row = self.final
            train = f"loss {row['loss']:.4f}" + _accuracy(row.get("accuracy"), "train accuracy")
            validation = (
                ""
                if row.get("val_loss") is None
                else f", validation loss {row['val_loss']:.4f}" + _accuracy(row.get("val_accuracy"), "accuracy")
            )
            lines.append(f"  epoch {row['epoch']}: {train}{validation}")
            if self.stopped_at:
                stop = self.stopped_at
                lines.append(
                    f"  stopped early at epoch {stop['epoch']} of {self.epochs}: the trained parameters are those that"
                    f" entered epoch {stop['best_epoch']} (validation loss {stop['best_val_loss']:.4f})"
                )
        else:
            lines.append(f"  no training history yet (dbt build --select {self.network}+)")
        return lines


def _accuracy(value: float | None, name: str) -> str:
    """', train accuracy 0.9800', or nothing for a regression network (its accuracies are NULL)."""
    return "" if value is None else f", {name} {value:.4f}"


def _manifest(dbt_args: list[str]) -> dict[str, Any]:
    project = Path(dbt_args[dbt_args.index("--project-dir") + 1]) if "--project-dir" in dbt_args else Path()
    return json.loads((project / "target" / "manifest.json").read_text())


def _relation(node: dict[str, Any]) -> str:
    identifier = node.get("identifier") if node["resource_type"] == "source" else node.get("alias") or node["name"]
    return json.dumps({"database": node["database"], "schema": node["schema"], "identifier": identifier})


def status(network: str, dbt_args: list[str]) -> Status:
    from dbt.cli.main import dbtRunner

    arguments = ["compile", "--select", f"tag:{network},resource_type:model", "--log-level", "none", *dbt_args]
    # Compiled as a build compiles it, reading column types and classes (macros/outputs/_trained_network.sql).
    # That fails while a table it reads is missing; a build would then compute those models anyway, and the
    # compile without the warehouse still lists them.
    os.environ["SQLNN_COMPILE_READS_WAREHOUSE"] = "1"
    try:
        compiled = dbtRunner().invoke(arguments)
    finally:
        del os.environ["SQLNN_COMPILE_READS_WAREHOUSE"]
    if not compiled.success:
        compiled = dbtRunner().invoke(arguments)
    if not compiled.success:
        raise dbt_runner.QueryError(str(compiled.exception or "dbt compile failed (see logs/dbt.log)"))
    code = {r.node.unique_id: r.node.compiled_code for r in compiled.result.results}
    nodes = {**_manifest(dbt_args)["nodes"], **_manifest(dbt_args)["sources"]}
    built = {
        u for u, n in nodes.items() if n["resource_type"] == "model" and n["config"]["materialized"] == "network_table"
    }
    network_models = sorted(u for u in code if u in built)
    if not network_models:
        raise dbt_runner.QueryError(f"sqlnn: there is no network named '{network}' in this project")
    parents = {u: sorted(set(nodes[u]["depends_on"]["nodes"])) for u in network_models}
    wanted_built = sorted(set(network_models) | {p for ps in parents.values() for p in ps if p in built})
    others = sorted({p for ps in parents.values() for p in ps if p not in built})

    def create(unique_id: str) -> str:
        fields = json.loads(_relation(nodes[unique_id]))
        return "api.Relation.create(database='{database}', schema='{schema}', identifier='{identifier}')".format(
            **fields
        )

    sql = (  # the look-ups run only when dbt executes the query, not while it parses it
        "{%- set stored, checksums = {}, {} -%}{%- if execute -%}"
        "{%- set stored = sqlnn.stored_fingerprints(["
        + ", ".join(create(u) for u in wanted_built)
        + "]) -%}"
        + "".join(
            "{%- do checksums.update({'" + u + "': sqlnn.content_checksum(" + create(u) + ")}) -%}" for u in others
        )
        + "{%- endif -%}"
        + "select '{{ tojson({'stored': stored, 'checksums': checksums}) | replace(\"'\", \"''\") }}' as status"
    )
    found = json.loads(dbt_runner.query(sql, dbt_args)[0]["status"])
    stored = {name.lower(): value for name, value in found["stored"].items()}

    def identifier(unique_id: str) -> str:
        return json.loads(_relation(nodes[unique_id]))["identifier"]

    now: dict[str, str | None] = {}

    def fingerprint(unique_id: str) -> str | None:
        """What network_table computes for the model (macros/fingerprints/fingerprint.sql)."""
        if unique_id not in code:  # another network's model: a build of this one reads its stored fingerprint
            return stored.get(identifier(unique_id).lower())
        if unique_id not in now:
            parts = [code[unique_id]]
            for parent in [p for p in parents[unique_id] if p in built]:
                value = fingerprint(parent)
                if value is None:
                    now[unique_id] = None
                    return None
                parts.append(f"{identifier(parent)}={value}")
            for parent in [p for p in parents[unique_id] if p not in built]:
                if found["checksums"].get(parent) is None:
                    now[unique_id] = None
                    return None
                parts.append(f"{identifier(parent)}={found['checksums'][parent]}")
            now[unique_id] = hashlib.md5("\n".join(parts).encode()).hexdigest()
        return now[unique_id]

    names = {u: nodes[u]["name"] for u in network_models}
    matching = [
        names[u]
        for u in network_models
        if fingerprint(u) is not None and stored.get(identifier(u).lower()) == fingerprint(u)
    ]
    stale = [names[u] for u in network_models if names[u] not in matching]
    updates: dict[int, bool] = {}  # epoch -> whether all its steps' updates are stored
    for u in network_models:
        if names[u].startswith(f"{network}_epoch_") and names[u].endswith("_update"):
            epoch = int(names[u].split("_epoch_")[1].split("_")[0])
            updates[epoch] = updates.get(epoch, True) and identifier(u).lower() in stored
    last_epoch = 0
    while updates.get(last_epoch + 1):  # the epochs finished one after the other
        last_epoch += 1
    try:
        # the epochs after an early stop have no losses
        history = dbt_runner.query(
            f"select * from {{{{ ref('{network}_training_history') }}}} where loss is not null order by step", dbt_args
        )
    except dbt_runner.QueryError:
        history = []
    early = [row for row in history if row.get("stopped")]
    return Status(
        network=network,
        epochs=max(updates, default=0),
        last_epoch=last_epoch,
        models=len(network_models),
        stored=sum(identifier(u).lower() in stored for u in network_models),
        matching=matching,
        stale=stale,
        final=history[-1] if history else None,
        stopped_at=early[0] if early else None,
    )
