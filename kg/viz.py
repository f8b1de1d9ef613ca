"""Interactive graph pages: one self-contained HTML file that requests nothing from the network.

vis-network is the script pyvis ships, inlined; the page is our own template,
not pyvis's (which loads Bootstrap from a CDN, writes lib/ into the current
directory and puts tooltips into innerHTML). Record text reaches the page only
as JSON inside <script type="application/json">, escaped as Jinja's tojson
escapes it (<, >, & and ' as \\u escapes), and the script sets it with textContent.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import jinja2
import networkx as nx
import orjson
from markupsafe import Markup
from pyoxigraph import Store

from kg import catalog as catalogs
from kg import viewgraph
from kg.prose import label
from kg.query import run

TEMPLATES = Path(__file__).parent / "templates"
# pyvis is not imported (it imports IPython: a second at every start), only found.
VIS_JS = Path(importlib.util.find_spec("pyvis").origin).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["tojson"] = tojson
    return env


def tojson(value) -> Markup:
    """Jinja's tojson filter as json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    would give it, written by orjson: a third of the time, for the site's 40,000 graphs at 1M triples."""
    text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027"))


def script(path: Path) -> Markup:
    """A script to inline: it must not close the <script> element it sits in."""
    text = path.read_text(encoding="utf-8")
    if "</script" in text.lower() or "<!--" in text:
        raise ValueError(f"{path} cannot be inlined in a <script> element")
    return Markup(text)


def page(data: dict) -> bytes:
    """A standalone page drawing `data` (a viewgraph.payload)."""
    html = environment().get_template("graph.html").render(
        data=data, css=Markup((TEMPLATES / "graph.css").read_text(encoding="utf-8")),
        vis_js=script(VIS_JS), graph_js=script(TEMPLATES / "graph.js"))
    return html.encode("utf-8")


def whole(catalog: catalogs.Catalog, page_base: str | None = None, graph: nx.MultiDiGraph | None = None) -> bytes:
    """Every record but sources; `page_base` links each node to its page in the static site. `graph`: the
    catalog's viewgraph.project, when the caller has it."""
    graph = viewgraph.project(catalog) if graph is None else graph
    return page(viewgraph.payload(graph, catalog, "Who sells surveillance technology to whom", page_base))


def entity(store: Store, base: str, ref: str, depth: int) -> bytes:
    """One record's neighbourhood: the records within `depth` links of it."""
    catalog = catalogs.load(store, base)
    graph = viewgraph.neighbourhood(viewgraph.project(catalog), catalog, ref, depth)
    iri = viewgraph.resolve(catalog, ref)
    return page(viewgraph.payload(graph, catalog, f"{label(catalog.get(iri), catalog)}: its neighbourhood", None,
                                  note=f"records within {depth} link{'s' if depth != 1 else ''}", focus=iri))


def query(store: Store, base: str, text: str, name: str) -> bytes:
    """The graph of a query's result (see viewgraph.from_query)."""
    catalog = catalogs.load(store, base)
    graph = viewgraph.from_query(viewgraph.project(catalog), run(store, text))
    return page(viewgraph.payload(graph, catalog, f"Result of {name}", None))
