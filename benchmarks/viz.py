"""Measure the graph pages: file sizes, build time, and time to first render and to a settled layout in headless
Chromium, for the real graph and a synthetic one of 5,000 nodes.

    python benchmarks/viz.py            # needs /usr/bin/chromium and the playwright package

The layout is computed when the page is written, so the page draws it settled: the settled time is the time of
the first drawing. A redraw is timed too (what panning and zooming cost).
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from playwright.sync_api import sync_playwright
from pyoxigraph import RdfFormat, Store

from kg import catalog as catalogs
from kg import jsonld, models, site, viz
from kg.rdf import DEFAULT_BASE, dataset_quads
from kg.records import DEFAULT_FACTS
from kg.store import open_store

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


def synthetic(nodes: int = 5000, seed: int = 1) -> Store:
    """A made-up world of about `nodes` drawn records, shaped like the real one (many contracts per agency)."""
    rnd = random.Random(seed)
    cite = [{"source": "s0", "quote": "a made-up quote"}]
    out = [models.Source(id="s0", url="https://example.org/s0", title="Synthetic source", type="news")]
    n = {k: int(nodes * share) for k, share in
         {"jurisdiction": .05, "agency": .1, "vendor": .12, "product": .08, "contract": .4, "deployment": .15, "legal-action": .06, "ban": .04}.items()}
    out += [models.Jurisdiction(id=f"j{i}", name=f"Jurisdiction {i}", level="city", sources=cite) for i in range(n["jurisdiction"])]
    out += [models.Agency(id=f"a{i}", name=f"Agency {i}", jurisdiction=f"j{rnd.randrange(n['jurisdiction'])}", sources=cite) for i in range(n["agency"])]
    out += [models.Vendor(id=f"v{i}", name=f"Vendor {i}", aliases=[f"V{i} Inc."], sources=cite) for i in range(n["vendor"])]
    out += [models.Product(id=f"p{i}", name=f"Product {i}", vendor=f"v{rnd.randrange(n['vendor'])}", technologies=["face-recognition"], sources=cite) for i in range(n["product"])]
    pick = lambda k, prefix: f"{prefix}{min(int(rnd.paretovariate(1.2)) - 1, n[k] - 1)}" if rnd.random() < .5 else f"{prefix}{rnd.randrange(n[k])}"
    out += [models.Contract(id=f"c{i}", title=f"Contract {i}", agency=pick("agency", "a"), vendor=pick("vendor", "v"),
                            technologies=["face-recognition"], signed=f"{rnd.randrange(2010, 2025)}-0{rnd.randrange(1, 10)}",
                            amounts=[{"value": rnd.randrange(1000, 10**7), "currency": "USD", "kind": "obligated"}], sources=cite)
            for i in range(n["contract"])]
    out += [models.Deployment(id=f"d{i}", agency=pick("agency", "a"), vendor=pick("vendor", "v"), technologies=["drones"],
                              start=str(rnd.randrange(2010, 2025)), sources=cite) for i in range(n["deployment"])]
    out += [models.LegalAction(id=f"l{i}", title=f"Action {i}", type="regulator-fine", authority=pick("agency", "a"),
                               defendants=[pick("vendor", "v")], decided=str(rnd.randrange(2015, 2025)), sources=cite) for i in range(n["legal-action"])]
    out += [models.Ban(id=f"b{i}", title=f"Ban {i}", action="ban", jurisdiction=f"j{rnd.randrange(n['jurisdiction'])}", scope=["police"],
                       technologies=["face-recognition"], effective=str(rnd.randrange(2019, 2025)), sources=cite) for i in range(n["ban"])]
    kinds = {cls: kind for kind, cls in models.KINDS.items()}
    store = Store()
    store.extend(dataset_quads([SimpleNamespace(record=r, kind=kinds[type(r)]) for r in out], DEFAULT_BASE))
    return store


def in_chromium(browser, path: Path) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    started = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-rendered=yes]", timeout=300_000)
    wall = time.perf_counter() - started
    figures = page.evaluate("""() => {
        const t = performance.now(); window.kgNetwork.redraw(); const redraw = performance.now() - t;
        return {first_render_ms: window.kgRenderedAt, redraw_ms: redraw, drawn: window.kgNetwork.body.data.nodes.length,
                dom_ready_ms: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd};
    }""")
    page.close()
    assert not errors, errors
    return figures | {"settled_ms": figures["first_render_ms"], "wall_s": round(wall, 2)}


def measure(name: str, store: Store, out: Path, browser, limit: int | None = None) -> None:
    started = time.perf_counter()
    html = viz.whole(catalogs.load(store, DEFAULT_BASE))
    written = time.perf_counter() - started
    if limit:  # what the page's limit spares the browser: the same page drawing every node
        html = html.replace(b"var LIMIT = 1500;", f"var LIMIT = {limit};".encode(), 1)
    path = out / f"{name}.html"
    path.write_bytes(html)
    figures = in_chromium(browser, path)
    print(f"{name}: {len(html) / 1e6:.2f} MB, written in {written:.2f} s; drawn {figures['drawn']} nodes; "
          f"first render {figures['first_render_ms'] / 1000:.2f} s after navigation (settled: the same, layout precomputed); "
          f"a redraw {figures['redraw_ms']:.0f} ms; DOM ready {figures['dom_ready_ms'] / 1000:.2f} s")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        out = Path(tmp)
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        real = open_store(DEFAULT_FACTS, out / ".kg").store
        measure("real graph", real, out, browser)
        (out / "graph.jsonld").write_bytes(jsonld.document(real))
        real.dump(out / "graph.trig", format=RdfFormat.TRIG)
        started = time.perf_counter()
        files = site.write(catalogs.load(real, DEFAULT_BASE), out / "site", lambda ready: [ready(name, out / name) for name in site.CUT])
        size = sum((out / "site" / name).stat().st_size for name in files)
        print(f"site: {len(files)} files, {size / 1e6:.1f} MB, written in {time.perf_counter() - started:.2f} s")
        big = synthetic()
        measure("synthetic 5,000 nodes", big, out, browser)
        measure("synthetic 5,000 nodes, every node drawn (no limit)", big, out, browser, limit=10**6)
        browser.close()


if __name__ == "__main__":
    main()
