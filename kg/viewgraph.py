"""The records as a picture: entities and fact records as nodes, their links as labelled, dated edges.

A contract, deployment, legal action, ban or corporate tie is a node between
the entities it links, so the path reads as a sentence: agency -contracted
Aug 2020-> contract -with-> vendor. Sources are not drawn: each node carries
its sources and quotes for the details panel. Positions are computed here
(igraph's Fruchterman-Reingold, seeded), so the page shows a settled layout at
once, without running physics in the browser.
"""

from __future__ import annotations

import functools
import math
import random

import igraph
import networkx as nx
from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, QueryTriples

from kg.catalog import ENTITY_KINDS, FACT_KINDS, Catalog, Entry
from kg.prose import PARTY_ACTIONS, label, remembered, sentences
from kg.query import QueryError

KINDS = ENTITY_KINDS + FACT_KINDS
# Up to this many nodes, 100 iterations of the layout leave no more edge crossings than 500 (measured on
# the site's record pages at 100k triples), in a third of the time.
SETTLES_SOON = 150
# Larger graphs get 500 iterations, or as many as this many node moves allow (at least 100). The whole graph at
# 1M triples (42,495 nodes) has 3% more crossings after 117 iterations than after 500, in 1.4 s, not 6.5 s;
# at 4,245 nodes (100k triples), 500 iterations leave 11% fewer crossings than 100.
NODE_MOVES = 5_000_000
IN, OUT = True, False  # IN: the linked record acts on this one (agency -contracted-> contract)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LEGAL_VERBS = {"lawsuit": "sued", "class-action": "sued (class action)", "settlement": "settled", "appeal": "appealed",
               "regulator-fine": "fined", "regulator-order": "ordered", "ruling": "ruled",
               "export-control-listing": "listed", "sanctions-listing": "sanctioned"}
BAN_VERBS = {"ban": "banned", "moratorium": "moratorium", "limit": "limited", "repeal": "repealed"}
TIE_VERBS = {"acquisition": ("acquired", "of"), "subsidiary": ("owns", "subsidiary"), "investment": ("invested", "in"),
             "rename": ("renamed", ""), "merger": ("merged", "with"), "partnership": ("partnered", "with")}


def _links(entry: Entry) -> list[tuple[str, bool, str]]:
    """(field, direction, label) of each link a record states."""
    kind = entry.kind
    if kind == "contract":
        return [("agency", IN, "contracted"), ("funding_office", IN, "funded"), ("vendor", OUT, "with"), ("products", OUT, "for")]
    if kind == "deployment":
        return [("agency", IN, "deployed"), ("vendor", OUT, "supplied by"), ("products", OUT, "uses"), ("contract", OUT, "under")]
    if kind == "legal-action":
        verb = LEGAL_VERBS.get(entry.one("type"), "acted")
        party = entry.one("type") in PARTY_ACTIONS
        return [("plaintiffs", IN, verb), ("authority", IN, "court" if party else verb), ("defendants", OUT, "against"),
                ("jurisdiction", OUT, "in"), ("appeal_of", OUT, "appeal of")]
    if kind == "ban":
        return [("jurisdiction", IN, BAN_VERBS.get(entry.one("action"), "ban")), ("repeals", OUT, "repeals")]
    if kind == "relationship":
        verb, object_label = TIE_VERBS.get(entry.one("type"), ("tie", "with"))
        return [("subject", IN, verb), ("object", OUT, object_label)]
    if kind == "product":
        return [("vendor", OUT, "made by")]
    if kind == "agency":
        return [("parent", OUT, "part of"), ("jurisdiction", OUT, "serves")]
    if kind == "jurisdiction":
        return [("part_of", OUT, "part of")]
    return []


def short_date(value: str) -> str:
    parts = value.split("-")
    return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}" if len(parts) > 1 else parts[0]


def project(catalog: Catalog) -> nx.MultiDiGraph:
    """Every record but sources, with an edge per link; `label` on each edge, `entry` on each node."""
    graph = nx.MultiDiGraph()
    for entry in catalog.entries.values():
        if entry.kind in KINDS:
            graph.add_node(entry.iri, entry=entry)
    for entry in catalog.entries.values():
        if entry.kind not in KINDS:
            continue
        links = [(entry.values.get(f, []), direction, text) for f, direction, text in _links(entry)]
        acting = any(values and direction == IN for values, direction, _ in links)
        when = _when(entry)
        for values, direction, text in links:
            dated = f"{text} {when}".strip() if when and (direction == IN or not acting) else text
            for other in sorted(values):
                if other in graph:
                    ends = (other, entry.iri) if direction == IN else (entry.iri, other)
                    graph.add_edge(*ends, label=dated)
    return graph


def _when(entry: Entry) -> str:
    """The date an edge carries: when a fine or order was decided, else the record's first date."""
    decided = entry.kind == "legal-action" and entry.one("type") not in PARTY_ACTIONS and entry.one("decided")
    first = decided or (entry.dates()[0] if entry.dates() else None)
    return short_date(first) if first else ""


def neighbourhood(graph: nx.MultiDiGraph, catalog: Catalog, ref: str, depth: int) -> nx.MultiDiGraph:
    """The records within `depth` links of one record, given by id or IRI."""
    iri = resolve(catalog, ref)
    if iri not in graph:
        raise QueryError(f"{ref} is a source; sources are not drawn (records citing it are listed on its page)")
    return subgraph(graph, reach(graph, iri, depth))


def reach(graph: nx.MultiDiGraph, iri: str, depth: int) -> set[str]:
    """The nodes within `depth` links of one. A jurisdiction is reached but not gone through: a country's
    records are not ICE's."""
    reached, frontier = {iri}, {iri}
    for _ in range(depth):
        frontier = {m for n in frontier if n == iri or _kind(graph, n) != "jurisdiction"
                    for m in nx.all_neighbors(graph, n)} - reached
        reached |= frontier
    return reached


def subgraph(graph: nx.MultiDiGraph, nodes: set[str]) -> nx.MultiDiGraph:
    """graph.subgraph(nodes).copy(), built straight from the adjacency: copying through a view is slow."""
    out = nx.MultiDiGraph()
    out.add_nodes_from((n, graph.nodes[n]) for n in nodes)
    out.add_edges_from((u, v, key, data) for u in nodes for v, edges in graph.adj[u].items() if v in nodes
                       for key, data in edges.items())
    return out


def resolve(catalog: Catalog, ref: str) -> str:
    if ref in catalog.entries:
        return ref
    found = [e.iri for e in catalog.entries.values() if e.id == ref]
    if not found:
        raise QueryError(f"no record {ref!r}: give a record's id (clearview-ai) or its IRI")
    return found[0]


def from_query(graph: nx.MultiDiGraph, result) -> nx.MultiDiGraph:
    """The graph of a query's result: a CONSTRUCT's triples between records (and any other IRIs), or the
    records a SELECT returns with the contracts, actions and ties that link two of them."""
    if isinstance(result, QueryBoolean):
        raise QueryError("an ASK query gives no graph: use CONSTRUCT, DESCRIBE or SELECT")
    if isinstance(result, QuerySolutions):
        chosen = {t.value for row in result for t in row if isinstance(t, NamedNode) and t.value in graph}
        linking = {n for n in graph if n not in chosen and len(set(nx.all_neighbors(graph, n)) & chosen) >= 2}
        if not chosen:
            raise QueryError("the query returned no record of the graph (sources are not drawn)")
        return graph.subgraph(chosen | linking).copy()
    assert isinstance(result, QueryTriples)
    out = nx.MultiDiGraph()
    for triple in result:
        if not isinstance(triple.subject, NamedNode) or not isinstance(triple.object, NamedNode):
            continue
        ends = [_node(graph, t.value) for t in (triple.subject, triple.object)]
        for iri, attrs in ends:
            out.add_node(iri, **attrs)
        out.add_edge(ends[0][0], ends[1][0], label=_local_name(triple.predicate.value))
    if not out:
        raise QueryError("the query returned no triple linking two IRIs")
    return out


def _node(graph: nx.MultiDiGraph, iri: str) -> tuple[str, dict]:
    """A record's node; a part of a record (#amounts-1, #source-x) stands for its record; other IRIs stand alone."""
    record = iri.split("#", 1)[0]
    return (record, graph.nodes[record]) if record in graph else (iri, {})


def _local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def layout(nodes: list[str], edges: list[tuple[str, str, str]]) -> dict[str, tuple[int, int]]:
    """Pixel positions of the sorted nodes, about 150 px apart, the same for the same graph."""
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    shape = tuple(sorted({tuple(sorted((index[a], index[b]))) for a, b, _ in edges if a != b}))
    return dict(zip(nodes, _positions(len(nodes), shape)))


@functools.lru_cache(maxsize=4096)  # many pages draw the same shape: a contract's agency, vendor and product
def _positions(count: int, edges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    igraph.set_random_number_generator(random.Random(1))
    niter = 100 if count <= SETTLES_SOON else max(100, min(500, NODE_MOVES // count))
    coords = igraph.Graph(n=count, edges=edges).layout_fruchterman_reingold(niter=niter, grid="auto").coords
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    side = 150 * math.sqrt(count)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return tuple((round((x - cx) / span * side), round((y - cy) / span * side)) for x, y in coords)


def payload(graph: nx.MultiDiGraph, catalog: Catalog, title: str, page_base: str | None, note: str = "",
            focus: str | None = None, only: set[str] | None = None) -> dict:
    """What the page's script draws, as JSON-ready data: nodes with their facts and sources, edges, legend;
    `focus` is the record shown first. `only`: draw these nodes of the graph and the edges between them (as
    a subgraph would, in a quarter of the time)."""
    only = graph.nodes if only is None else only
    nodes = sorted(only)
    edges = [(a, b, data["label"]) for a in nodes for b, keyed in _adjacent(graph, a, only) for data in keyed.values()]
    positions = layout(nodes, edges)
    index = {n: i for i, n in enumerate(nodes)}
    sources: dict[str, int] = {}
    source_rows: list[list] = []

    def source_index(iri: str) -> int:
        if iri not in sources:
            entry = catalog.get(iri)
            sources[iri] = len(source_rows)
            source_rows.append(source_row(entry, catalog) if entry else [None, iri, None, None])
        return sources[iri]

    def segment(part) -> str | dict:
        if isinstance(part, str):
            return part
        if part.iri in index:
            return {"t": part.text, "n": index[part.iri]}
        if page_base is not None and catalog.get(part.iri):
            return {"t": part.text, "p": page_base + page_path(catalog, part.iri)}
        return {"t": part.text}

    kinds_present = sorted({_kind(graph, n) for n in nodes}, key=_kind_order)
    out_nodes = []
    degree = dict.fromkeys(nodes, 0)
    for a, b, _ in edges:
        degree[a] += 1
        degree[b] += 1
    for n in nodes:
        entry: Entry | None = graph.nodes[n].get("entry")
        x, y = positions[n]
        node: dict = {"id": index[n], "k": kinds_present.index(_kind(graph, n)), "x": x, "y": y, "d": degree[n]}
        if entry is None:
            node |= {"l": n, "iri": n}
        else:
            node |= _fields(entry, catalog)
            node["s"] = [[segment(p) for p in s] for s in sentences(entry, catalog)]
            node["c"] = [[source_index(c.source), c.quote] for c in entry.citations]
            if page_base is not None:
                node["p"] = page_base + page_path(catalog, entry.iri)
        out_nodes.append(node)
    edges = sorted([index[a], index[b], text] for a, b, text in edges)
    data = {"title": title, "note": note, "kinds": kinds_present, "sources": source_rows, "nodes": out_nodes, "edges": edges}
    return data | ({"focus": index[focus]} if focus else {})


@remembered
def _fields(entry: Entry, catalog: Catalog) -> dict:
    """A record's label, IRI, aliases and span of years, on every node that draws it: worked out once, as a
    page draws its neighbours, and each record is the neighbour of many."""
    fields = {"l": label(entry, catalog), "iri": entry.iri, "a": entry.all("aliases")}
    if years := [int(d[:4]) for d in entry.dates()]:
        fields["y0"], fields["y1"] = min(years), max(years)
    return fields


@remembered
def source_row(entry: Entry, catalog: Catalog) -> list:
    """A source as a page shows it: its URL, title, publisher and date."""
    return [entry.one("url"), entry.name, entry.one("publisher"), entry.one("published")]


def _adjacent(graph: nx.MultiDiGraph, node: str, only) -> list[tuple[str, dict]]:
    """(successor, its edges by key) of a node, for the successors in `only`: looked up from the smaller side,
    for a page drawing a few of a hub's thousands of neighbours."""
    successors = graph.adj[node]
    if len(successors) > len(only):
        return [(b, successors[b]) for b in only if b in successors]
    return [(b, keyed) for b, keyed in successors.items() if b in only]


def _kind(graph: nx.MultiDiGraph, node: str) -> str:
    entry = graph.nodes[node].get("entry")
    return entry.kind if entry else "other"


def _kind_order(kind: str) -> int:
    return KINDS.index(kind) if kind in KINDS else len(KINDS)


def page_path(catalog: Catalog, iri: str) -> str:
    """A record's page in the site, from its IRI: <base>contract/x -> contract/x.html."""
    return iri.removeprefix(catalog.base) + ".html"
