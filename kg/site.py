"""The static site: an index with search, a page per record, a timeline; browsable from disk or any static host.

Pages sit at paths derived from record IRIs (<base>contract/x -> contract/x.html,
beside contract/x.ttl and contract/x.jsonld); scripts and styles once under
assets/. Everything is rendered in memory, then written to a fresh directory
that replaces the old one in a rename.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import networkx as nx
from pyoxigraph import NamedNode, RdfFormat, Store, serialize

from kg import catalog as catalogs
from kg import jsonld, viewgraph, viz
from kg.catalog import ENTITY_KINDS, EVENT_DATES, FACT_KINDS, Catalog, Entry
from kg.models import KINDS
from kg.prose import date, label, sentences
from kg.rdf import PREFIXES

KIND_NAMES = {"agency": "Agencies", "vendor": "Vendors", "product": "Products", "jurisdiction": "Jurisdictions",
              "contract": "Contracts", "deployment": "Deployments", "legal-action": "Legal actions",
              "ban": "Bans and moratoria", "relationship": "Corporate ties", "source": "Sources"}
KIND_SINGULAR = {"agency": "Agency", "vendor": "Vendor", "product": "Product", "jurisdiction": "Jurisdiction",
                 "contract": "Contract", "deployment": "Deployment", "legal-action": "Legal action", "ban": "Ban",
                 "relationship": "Corporate tie", "source": "Source"}
EVENTS = {"signed": "signed", "start": "began", "end": "ended", "filed": "filed", "decided": "decided",
          "passed": "passed", "effective": "took effect", "expires": "expires", "date": "took place"}
TIMELINE_KINDS = ("contract", "deployment", "legal-action", "ban")
PAGE_NODES = 120  # a neighbourhood larger than this is drawn one link deep


def render(store: Store, catalog: catalogs.Catalog) -> dict[str, bytes]:
    """Relative path -> content of every file of the site."""
    graph = viewgraph.project(catalog)
    env = viz.environment()
    files: dict[str, bytes] = {
        "assets/vis-network.min.js": viz.VIS_JS.read_bytes(),
        "assets/graph.js": (viz.TEMPLATES / "graph.js").read_bytes(),
        "assets/graph.css": (viz.TEMPLATES / "graph.css").read_bytes(),
        "assets/site.css": (viz.TEMPLATES / "site" / "site.css").read_bytes(),
        "assets/site.js": (viz.TEMPLATES / "site" / "site.js").read_bytes(),
        "context.jsonld": jsonld.context_file().encode(),
    }

    def html(template: str, path: str, **values) -> None:
        root = "../" * path.count("/")

        def href(iri: str) -> str | None:
            return root + viewgraph.page_path(catalog, iri) if catalog.get(iri) else None

        files[path] = env.get_template(f"site/{template}").render(
            root=root, href=href, kind_names=KIND_NAMES, kind_singular=KIND_SINGULAR, **values).encode("utf-8")

    counts = {kind: len(catalog.of_kind(kind)) for kind in KINDS}
    # w orders search hits of equal match: entities, then contracts and the like, then sources
    index = [{"l": label(e, catalog), "a": e.all("aliases"), "k": KIND_SINGULAR[e.kind], "p": viewgraph.page_path(catalog, e.iri),
              "w": 0 if e.kind in ENTITY_KINDS else 1 if e.kind in FACT_KINDS else 2} for e in catalog.entries.values()]
    html("index.html", "index.html", counts=counts, search=index)
    html("timeline.html", "timeline.html", events=_timeline(catalog), kinds=TIMELINE_KINDS)
    cited_by = _cited_by(catalog)
    as_jsonld = {node["@id"]: node for node in json.loads(jsonld.document(store))["@graph"]}
    for kind in KINDS:
        entries = sorted(catalog.of_kind(kind), key=lambda e: (label(e, catalog).casefold(), e.iri))
        html("kind.html", f"{kind}/index.html", kind=kind, entries=[(e, label(e, catalog)) for e in entries])
    for entry in catalog.entries.values():
        path = viewgraph.page_path(catalog, entry.iri).removesuffix(".html")
        html("record.html", f"{path}.html", entry=entry, name=label(entry, catalog), catalog=catalog,
             sentences=sentences(entry, catalog), related=_related(entry, graph, catalog), cited_by=cited_by.get(entry.iri, []),
             graph=_neighbourhood(entry, graph, catalog, "../" * path.count("/")), identifiers=_identifiers(entry))
        quads = sorted(store.quads_for_pattern(None, None, None, NamedNode(entry.iri)), key=str)
        files[f"{path}.ttl"] = serialize([q.triple for q in quads], format=RdfFormat.TURTLE, prefixes=PREFIXES)
        node = {"@context": "../" * path.count("/") + "context.jsonld", **as_jsonld[entry.iri]}
        files[f"{path}.jsonld"] = (json.dumps(node, indent=1, ensure_ascii=False) + "\n").encode()
    return dict(sorted(files.items()))


def _related(entry: Entry, graph, catalog: Catalog) -> list[tuple[Entry, list]]:
    """The records that link to an entity, each with its first sentence, by date."""
    if entry.kind not in ENTITY_KINDS or entry.iri not in graph:
        return []
    linked = set(nx.all_neighbors(graph, entry.iri))
    records = [catalog.get(n) for n in sorted(linked)]
    records.sort(key=lambda e: (e.kind not in FACT_KINDS, (e.dates() or ["9999"])[0], e.iri))
    return [(e, sentences(e, catalog)[0] if sentences(e, catalog) else [label(e, catalog)]) for e in records]


def _cited_by(catalog: Catalog) -> dict[str, list[tuple[Entry, str | None]]]:
    out: dict[str, list] = {}
    for entry in catalog.entries.values():
        for citation in entry.citations:
            out.setdefault(citation.source, []).append((entry, citation.quote))
    return out


def _identifiers(entry: Entry) -> list[tuple[str, str]]:
    names = ("wikidata", "uei", "lei", "ori", "fips", "piid", "parent_piid", "award_key", "case_number")
    return [(name, value.rsplit("/", 1)[-1]) for name in names for value in entry.all(name)]


def _neighbourhood(entry: Entry, graph, catalog: Catalog, root: str) -> dict | None:
    if entry.iri not in graph:
        return None
    depth = 2 if entry.kind in ENTITY_KINDS else 1
    near = viewgraph.neighbourhood(graph, catalog, entry.iri, depth)
    if len(near) > PAGE_NODES and depth > 1:
        near = viewgraph.neighbourhood(graph, catalog, entry.iri, 1)
    return viewgraph.payload(near, catalog, label(entry, catalog), root, focus=entry.iri)


def _timeline(catalog: Catalog) -> list[dict]:
    events = []
    for entry in catalog.entries.values():
        if entry.kind not in TIMELINE_KINDS:
            continue
        summary = sentences(entry, catalog)[0]
        for field in EVENT_DATES[entry.kind]:
            for value in sorted(set(entry.values.get(field, []))):
                events.append({"date": value, "shown": date(value), "event": EVENTS[field], "entry": entry,
                               "name": label(entry, catalog), "summary": summary})
    return sorted(events, key=lambda e: (e["date"], e["entry"].iri, e["event"]))


def write(files: dict[str, bytes], out: Path) -> None:
    """Write the site to a fresh directory beside `out`, then swap it in: no reader sees half a site."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        for name, content in files.items():
            path = fresh / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        os.chmod(fresh, 0o755)
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if out.exists():
            os.replace(out, old)
        os.replace(fresh, out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
