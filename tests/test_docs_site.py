"""A reader of the docs site gets from the overview, in one click, to one epoch's lineage, readable.

`dbt docs generate --static --empty-catalog`, then Playwright drives Debian's Chromium: it
opens the overview page, clicks the link docs/overview.md carries on its first screen (made by
`sqlnn.docs_links.epoch_view_link`), waits for the lineage panel, and asks cytoscape (the
app's `window.graph`) where it drew each label of the epoch's six models: previous update,
forward, loss, backprop, update, next forward. Every label must be the model's name, fully
inside the viewport and the graph panel, not covered by anything, not overlapping another
label, and drawn at a font size (style font-size x zoom, in CSS px) of at least
MIN_FONT_PX. Tesseract then reads each label's pixels in the screenshot (kept as
test-artifacts/docs_lineage_epoch.png, not committed) and must find the name.

The same click is checked over HTTP on target/ served the way `dbt docs serve` serves it
(dbt's index.html fetching manifest.json and catalog.json), and the checker must reject what
the docs showed before, an epoch's page with the whole graph expanded (199 nodes; the
epoch's labels are drawn at 1.2 px, off screen), so it cannot pass vacuously. Measurements
go to test-artifacts/docs_lineage_epoch.json.

Chromium and tesseract are Debian's `chromium` and `tesseract-ocr`: `make test` installs
them when missing and running as root; elsewhere without them this test is skipped,
except under CI=true.
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import REPO, DbtProject
from dbt.task.docs import DOCS_INDEX_FILE_PATH
from PIL import Image
from playwright.sync_api import sync_playwright

from sqlnn.docs_links import epoch_view_href, epoch_view_models, model_prefix

# The root project's network whose epoch the overview links to; "spiral" once models are
# named by network (spiral_epoch_0002_forward ...). None: today's unprefixed names.
NETWORK: str | None = "spiral"
EPOCH = 2
# A common laptop screen; the labels' size scales with the viewport's width.
VIEWPORT = {"width": 1366, "height": 768}
# Rendered label size a person reads without zooming (browser body text is 16 px).
MIN_FONT_PX = 11.0
# Tesseract's reading of a label against its name, on [a-z0-9] only: it reads `_` as a space at
# times and misreads a letter in one label of six at 12-15 px (0.96); an unreadable label scores
# about 0.1.
MIN_OCR_SIMILARITY = 0.8
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOT = ARTIFACTS / "docs_lineage_epoch.png"
FULL_GRAPH_SCREENSHOT = ARTIFACTS / "docs_lineage_full_graph.png"
# What the test measured, label by label (font px, boxes, OCR), for the screenshots above.
MEASUREMENTS = ARTIFACTS / "docs_lineage_epoch.json"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# What the docs offered before: an epoch's page with the lineage panel open on everything.
FULL_GRAPH_PAGE = f"#!/model/model.sqlnn.{model_prefix(NETWORK)}epoch_{EPOCH:04d}_update?g_v=1"


def _require(path: str | None, package: str) -> str:
    if path is None:
        message = f"{package} is not installed (make test installs it as root: apt-get install {package})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


# The label of each model as cytoscape drew it, in viewport CSS px.
MEASURE_JS = """names => {
  const cy = window.graph, zoom = cy.zoom(), panel = cy.container().getBoundingClientRect();
  const shown = cy.nodes().filter(n => n.visible()).map(n => n.data('name'));
  const labels = {};
  for (const name of names) {
    const node = cy.nodes().filter(n => n.data('name') === name && n.visible());
    if (node.length !== 1) { labels[name] = null; continue; }
    const b = node.renderedBoundingBox({includeNodes: false, includeEdges: false, includeLabels: true});
    const box = {x1: b.x1 + panel.left, x2: b.x2 + panel.left, y1: b.y1 + panel.top, y2: b.y2 + panel.top};
    // what a click at the label's centre and near its corners would hit: cytoscape's canvas
    const points = [[(box.x1 + box.x2) / 2, (box.y1 + box.y2) / 2], [box.x1 + 2, box.y1 + 2],
                    [box.x2 - 2, box.y1 + 2], [box.x1 + 2, box.y2 - 2], [box.x2 - 2, box.y2 - 2]];
    const covered = points.filter(([x, y]) => {
      const hit = document.elementFromPoint(x, y);
      return !(hit && cy.container().contains(hit));
    }).length;
    labels[name] = {text: node.style('label'), font_px: parseFloat(node.style('font-size')) * zoom,
                    opacity: node.effectiveOpacity(), box, covered};
  }
  return {zoom, shown: shown.length, labels,
          panel: {x1: panel.left, x2: panel.right, y1: panel.top, y2: panel.bottom},
          viewport: {x1: 0, x2: window.innerWidth, y1: 0, y2: window.innerHeight}};
}"""


def _wait_for_graph(page) -> None:
    """Until the lineage panel is open and cytoscape has stopped fitting it (zoom and pan steady)."""
    try:
        page.wait_for_function(
            "() => window.graph && window.graph.nodes().length > 0 && window.graph.container().offsetHeight > 0",
            timeout=120_000,
        )
    except Exception as error:
        raise AssertionError(f"the lineage panel did not open at {page.url}") from error
    previous, steady, deadline = None, 0, time.monotonic() + 20
    while steady < 3 and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        view = page.evaluate("() => [graph.zoom(), graph.pan().x, graph.pan().y, graph.container().offsetHeight]")
        steady = steady + 1 if view == previous else 0
        previous = view


def _inside(box: dict, area: dict) -> bool:
    return area["x1"] <= box["x1"] and box["x2"] <= area["x2"] and area["y1"] <= box["y1"] and box["y2"] <= area["y2"]


def _overlap(a: dict, b: dict) -> bool:
    return a["x1"] < b["x2"] and b["x1"] < a["x2"] and a["y1"] < b["y2"] and b["y1"] < a["y2"]


def _legibility_problems(measured: dict) -> list[str]:
    problems = []
    for name, label in measured["labels"].items():
        if label is None:
            problems.append(f"{name}: not in the graph")
            continue
        if label["text"] != name:
            problems.append(f"{name}: labelled {label['text']!r}")
        if label["font_px"] < MIN_FONT_PX:
            problems.append(f"{name}: label drawn at {label['font_px']:.1f} px < {MIN_FONT_PX} px")
        if not _inside(label["box"], measured["viewport"]) or not _inside(label["box"], measured["panel"]):
            problems.append(f"{name}: label {_fmt(label['box'])} not inside the viewport and the graph panel")
        elif label["covered"]:
            problems.append(f"{name}: label covered by another element at {label['covered']} of 5 points")
        if label["opacity"] < 0.9:
            problems.append(f"{name}: drawn at opacity {label['opacity']:.2f}")
    boxes = {name: label["box"] for name, label in measured["labels"].items() if label}
    names = sorted(boxes)
    problems += [
        f"labels of {a} and {b} overlap"
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if _overlap(boxes[a], boxes[b])
    ]
    return problems


def _fmt(box: dict) -> str:
    return "x {x1:.0f}..{x2:.0f}, y {y1:.0f}..{y2:.0f}".format(**box)


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _ocr_problems(screenshot: Path, measured: dict, workdir: Path) -> tuple[list[str], dict[str, str]]:
    """Tesseract reads each label's pixels: crop (3 px margin), upscale 4x, one line of text."""
    image = Image.open(screenshot).convert("L")
    problems, read = [], {}
    for name, label in measured["labels"].items():
        if label is None:
            continue
        box = label["box"]
        left, top = max(0, round(box["x1"]) - 3), max(0, round(box["y1"]) - 3)
        right, bottom = min(image.width, round(box["x2"]) + 3), min(image.height, round(box["y2"]) + 3)
        text = ""
        if right - left > 2 and bottom - top > 2:
            crop = image.crop((left, top, right, bottom))
            crop = crop.resize((crop.width * 4, crop.height * 4), Image.Resampling.LANCZOS)
            path = workdir / f"ocr_{name}.png"
            crop.save(path)
            command = ["tesseract", str(path), "stdout", "--psm", "7"]
            text = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True).stdout.strip()
        read[name] = text
        similarity = difflib.SequenceMatcher(None, _normal(text), _normal(name)).ratio()
        if similarity < MIN_OCR_SIMILARITY:
            problems.append(f"{name}: tesseract reads {text!r} (similarity {similarity:.2f})")
    return problems, read


@contextmanager
def _dbt_docs_serve(target: Path) -> Iterator[str]:
    """What `dbt docs serve` does (dbt/task/docs/serve.py): copy dbt's index.html into target/
    and serve that folder with http.server's SimpleHTTPRequestHandler. In a thread of this
    process, on a free port, without dbt's start-up time."""
    shutil.copyfile(DOCS_INDEX_FILE_PATH, target / "index.html")
    handler = functools.partial(QuietHandler, directory=str(target))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()
            thread.join()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _new_page(browser):
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(120_000)  # a loaded 2-core machine needs 30 s for the whole graph
    return page


def _open_epoch_view(browser, site: str, href: str) -> tuple[object, dict]:
    page = _new_page(browser)
    page.goto(site + "#!/overview")
    link = page.locator(f'a[href="{href}"]')
    link.wait_for()  # the app renders the overview's markdown
    box = link.bounding_box()
    assert box and box["y"] + box["height"] <= VIEWPORT["height"], f"the link is below the first screen: {box}"
    link.click()  # a new page load: dbt docs opens the panel from the URL only on load
    page.wait_for_load_state()
    _wait_for_graph(page)
    return page, page.evaluate(MEASURE_JS, list(epoch_view_models(NETWORK, EPOCH).values()))


def _summary(measured: dict, read: dict[str, str] | None = None) -> dict:
    """Per label: rendered font px, box in the viewport, tesseract's reading (the JSON artifact)."""
    labels = {
        name: label
        and {"font_px": round(label["font_px"], 2), "box": _fmt(label["box"]), "ocr": (read or {}).get(name)}
        for name, label in measured["labels"].items()
    }
    return {"zoom": round(measured["zoom"], 4), "nodes_shown": measured["shown"], "labels": labels}


def test_overview_links_to_a_readable_epoch_graph(project: DbtProject, tmp_path: Path) -> None:
    _require(CHROMIUM, "chromium")
    _require(shutil.which("tesseract"), "tesseract-ocr")
    result = project.dbt("docs", "generate", "--static", "--empty-catalog")
    assert result.success, result.exception
    target = project.path / "target"
    href = epoch_view_href(NETWORK, EPOCH)
    names = list(epoch_view_models(NETWORK, EPOCH).values())
    ARTIFACTS.mkdir(exist_ok=True)
    for artifact in (SCREENSHOT, FULL_GRAPH_SCREENSHOT, MEASUREMENTS):
        artifact.unlink(missing_ok=True)
    record: dict = {"viewport": VIEWPORT, "min_font_px": MIN_FONT_PX}

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            # `dbt docs generate --static`: one self-contained file, opened from disk
            page, measured = _open_epoch_view(browser, target.joinpath("static_index.html").as_uri(), href)
            page.screenshot(path=SCREENSHOT)
            ocr_problems, read = _ocr_problems(SCREENSHOT, measured, tmp_path)
            record["static"] = _summary(measured, read)
            MEASUREMENTS.write_text(json.dumps(record, indent=2) + "\n")
            problems = _legibility_problems(measured) + ocr_problems
            assert not problems, f"{problems}\n{json.dumps(record['static'], indent=2)}"
            assert measured["shown"] == len(names), f"{measured['shown']} nodes shown, not the epoch's {names}"

            # served: index.html fetches manifest.json and catalog.json over HTTP
            with _dbt_docs_serve(target) as site:
                _, served = _open_epoch_view(browser, site, href)
            record["serve"] = _summary(served)
            MEASUREMENTS.write_text(json.dumps(record, indent=2) + "\n")
            assert not _legibility_problems(served), _legibility_problems(served)
            assert served["shown"] == len(names), f"{served['shown']} nodes shown, not the epoch's {names}"

            # the checker rejects what the docs offered before: the whole graph
            page = _new_page(browser)
            page.goto(target.joinpath("static_index.html").as_uri() + FULL_GRAPH_PAGE)
            _wait_for_graph(page)
            full = page.evaluate(MEASURE_JS, names)
            page.screenshot(path=FULL_GRAPH_SCREENSHOT)
            full_ocr_problems, full_read = _ocr_problems(FULL_GRAPH_SCREENSHOT, full, tmp_path)
            record["full_graph"] = _summary(full, full_read)
            MEASUREMENTS.write_text(json.dumps(record, indent=2) + "\n")
            assert full["shown"] > 100, full["shown"]
            assert any(" px < " in problem for problem in _legibility_problems(full)), record["full_graph"]
            assert full_ocr_problems, record["full_graph"]
        finally:
            browser.close()


def test_overview_carries_the_epoch_view_link() -> None:
    """Without a browser: docs/overview.md links to the view the test above clicks."""
    assert f"]({epoch_view_href(NETWORK, EPOCH)})" in (REPO / "docs" / "overview.md").read_text()


def test_epoch_view_models_at_either_end_of_training() -> None:
    first = epoch_view_models("churn", 1, epochs=30)
    assert first["previous_update"] == "churn_initial_params"
    assert first["next_forward"] == "churn_epoch_0002_forward"
    last = epoch_view_models("churn", 30, epochs=30)
    assert last["previous_update"] == "churn_epoch_0029_update"
    assert "next_forward" not in last
    assert epoch_view_href(None, 2) == (
        "?lineage=epoch_0002#!/overview?g_v=1&g_i=epoch_0001_update%20epoch_0002_forward%20"
        "epoch_0002_loss%20epoch_0002_backprop%20epoch_0002_update%20epoch_0003_forward"
    )
    with pytest.raises(ValueError):
        epoch_view_models("churn", 31, epochs=30)
