"""Links into the `dbt docs` site that open the lineage graph of one epoch, readable.

The whole training graph (four models per epoch, 180+ nodes) fits the lineage panel only
as a row of dashes (labels at 1.2 px). One epoch's computation graph is six nodes:

    previous update -> forward -> loss
                       forward -> backprop -> update -> next epoch's forward

(the previous update, `initial_params` for epoch 1, also feeds loss, backprop and update;
the last epoch has no next forward). The dbt-docs app opens its lineage panel from the
URL: `g_v=1` shows it and `g_i` is its `--select` text, here the six names separated by
spaces. It reads them only when the page loads, not on an in-page (hash) navigation, so
the link also carries a query string, `?lineage=<prefix>epoch_000k`: the browser then loads
the page afresh, from `dbt docs serve` (any query string serves the same index.html) and
from `dbt docs generate --static`'s static_index.html alike. Clicked a second time in the
same tab (same query string) it is only a hash change again, and the page needs a reload.

dbt-docs renders markdown sanitised (no raw HTML, no target=_blank), so the link is a
plain markdown link, good in a doc block or a model description. Selector limits: names
are matched in every package (a `package:P,name` term cannot be combined with others:
dbt-docs intersects it with the running union, selecting nothing).

`epoch_view_link` is what docs/overview.md carries and what the scaffold writes into a
network's YAML: each epoch model's description can start with
`epoch_view_link(network, k, epochs, text=f"Epoch {k}")`, giving e.g.
`'[Epoch 2](?lineage=spiral_epoch_0002#!/overview?g_v=1&g_i=...): {{ doc("epoch_forward") }}'`.
tests/test_docs_site.py clicks the overview's link in Chromium and checks the labels are
on screen, large enough to read, and legible to OCR.
"""

from __future__ import annotations

from urllib.parse import quote

from sqlnn import step_order

__all__ = [
    "epoch_view_href",
    "epoch_view_link",
    "epoch_view_models",
    "epoch_view_selector",
    "model_prefix",
    "step_view_link",
    "step_view_models",
]


def model_prefix(network: str | None) -> str:
    """`spiral` -> `spiral_`; no network (models named `epoch_0001_forward` ...) -> ``."""
    return f"{network}_" if network else ""


def epoch_view_models(network: str | None, epoch: int, epochs: int | None = None) -> dict[str, str]:
    """The nodes of one epoch's view by role: previous_update, forward, loss, backprop, update,
    next_forward (absent when `epoch == epochs`, the last epoch)."""
    if epoch < 1 or (epochs is not None and epoch > epochs):
        raise ValueError(f"epoch {epoch} is not in 1..{epochs if epochs is not None else 'N'}")
    prefix = model_prefix(network)
    models = {
        "previous_update": f"{prefix}initial_params" if epoch == 1 else f"{prefix}epoch_{epoch - 1:04d}_update",
        **{stage: f"{prefix}epoch_{epoch:04d}_{stage}" for stage in ("forward", "loss", "backprop", "update")},
    }
    if epochs is None or epoch < epochs:
        models["next_forward"] = f"{prefix}epoch_{epoch + 1:04d}_forward"
    return models


def epoch_view_selector(network: str | None, epoch: int, epochs: int | None = None) -> str:
    """The lineage panel's `--select` text: the view's model names, space-separated."""
    return " ".join(epoch_view_models(network, epoch, epochs).values())


def epoch_view_href(network: str | None, epoch: int, epochs: int | None = None) -> str:
    """Relative URL of the docs overview with the lineage panel open on one epoch."""
    selector = quote(epoch_view_selector(network, epoch, epochs), safe="")
    view = quote(f"{model_prefix(network)}epoch_{epoch:04d}", safe="")
    return f"?lineage={view}#!/overview?g_v=1&g_i={selector}"


def epoch_view_link(network: str | None, epoch: int, epochs: int | None = None, text: str | None = None) -> str:
    """A markdown link to `epoch_view_href`, for a doc block or a model description."""
    if text is None:
        where = f"{network}: " if network else ""
        text = f"{where}the computation graph of epoch {epoch}"
    return f"[{text}]({epoch_view_href(network, epoch, epochs)})"


def _step_name(prefix: str, epoch: int, batch: int, stage: str) -> str:
    return f"{prefix}epoch_{epoch:04d}_batch_{batch:03d}_{stage}"


def step_view_models(network: str | None, epoch: int, batch: int, epochs: int, batches: int) -> dict[str, str]:
    """A mini-batch step's view (`batches` > 1): its epoch's batch rows, the previous step's update
    (`initial_params` for the first), the step's four models and the next step's forward (absent
    after the last step)."""
    if not (1 <= epoch <= epochs and 1 <= batch <= batches):
        raise ValueError(f"epoch {epoch}, batch {batch} is not in 1..{epochs}, 1..{batches}")
    prefix = model_prefix(network)
    before = step_order.previous_step(epoch, batch, batches)
    after = step_order.next_step(epoch, batch, epochs, batches)
    models = {
        "batch_rows": f"{prefix}epoch_{epoch:04d}_batches",
        "previous_update": f"{prefix}initial_params" if before is None else _step_name(prefix, *before, "update"),
        **{stage: _step_name(prefix, epoch, batch, stage) for stage in ("forward", "loss", "backprop", "update")},
    }
    if after is not None:
        models["next_forward"] = _step_name(prefix, *after, "forward")
    return models


def step_view_link(network: str | None, epoch: int, batch: int, epochs: int, batches: int, text: str) -> str:
    """A markdown link that opens the lineage panel on one mini-batch step (as epoch_view_link)."""
    selector = quote(" ".join(step_view_models(network, epoch, batch, epochs, batches).values()), safe="")
    view = quote(f"{model_prefix(network)}epoch_{epoch:04d}_batch_{batch:03d}", safe="")
    return f"[{text}](?lineage={view}#!/overview?g_v=1&g_i={selector})"
