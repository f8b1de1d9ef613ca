"""The store projected into a networkx MultiDiGraph, read with SPARQL.

Every record except a Source is a node keyed by its id: entities (agencies, vendors, products, jurisdictions)
and the records that link them (contracts, deployments, legal actions, bans, relationships). A node carries
its `kind`, its `name` (or title, where it has one) and every field the store states: dates as lists of
strings (several when sources disagree), technologies as slugs, `amounts` / `penalties` as dicts, and
`sources` as {source, url, quote}. A reference between records is an edge from the record that states it
to the record it names, keyed by the field (`agency`, `vendor`, `defendants`, `part_of`, ...).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx
from pyoxigraph import Literal, NamedNode, Store

from kg.models import KINDS, is_list, value_type
from kg.rdf import KG, RDF, SPARQL_PREFIXES, TECHNOLOGY, class_name, fields_by_predicate

ENTITIES = ("agency", "vendor", "product", "jurisdiction")
EVENTS = ("contract", "deployment", "legal-action", "ban", "relationship")

# Queries without ORDER BY or joins across record graphs, which are slow here: Python sorts and joins.
_TRIPLES = SPARQL_PREFIXES + "SELECT ?node ?type ?p ?o WHERE { GRAPH ?node { ?node a ?type ; ?p ?o } FILTER(?type != kg:Source) }"
_AMOUNTS = SPARQL_PREFIXES + """
SELECT ?node ?p ?a ?value ?currency ?kind ?source WHERE {
  GRAPH ?node { ?node ?p ?a . ?a a kg:Amount ; schema:value ?value ; schema:currency ?currency ; kg:amountKind ?kind .
                OPTIONAL { ?a prov:wasDerivedFrom ?source } }
}"""
_CITATIONS = SPARQL_PREFIXES + """
SELECT ?node ?source ?quote WHERE {
  GRAPH ?node { ?node kg:citation ?c . ?c kg:citedSource ?source . OPTIONAL { ?c kg:quote ?quote } }
}"""
_URLS = SPARQL_PREFIXES + "SELECT ?source ?url WHERE { GRAPH ?source { ?source a kg:Source ; schema:url ?url } }"

_KIND_OF_CLASS = {KG + class_name(kind): kind for kind in KINDS}
_FIELDS = fields_by_predicate()
_SKIPPED = {RDF + "type", KG + "id", KG + "citation", KG + "claim", KG + "amount", KG + "penalty",
            "http://www.w3.org/ns/prov#wasDerivedFrom"}


def _many_valued() -> set[str]:
    """Fields held as lists: list fields, and dates (sources may give several)."""
    out = set()
    for model in KINDS.values():
        for name, info in model.model_fields.items():
            if is_list(info) or value_type(info) == "date":
                out.add(name)
    return out


_NESTED = {"sources", "amounts", "penalties"}
_MANY = _many_valued() - _NESTED


def project(store: Store, base: str) -> nx.MultiDiGraph:
    """The records in the store as a graph (see the module's docstring)."""
    kinds: dict[str, str] = {}
    fields: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    references: list[tuple[str, str, str]] = []
    for row in sorted(_select(store, _TRIPLES), key=lambda r: (r["node"].value, r["p"].value, str(r["o"]))):
        node = _id(row["node"], base)
        kinds[node] = _KIND_OF_CLASS[row["type"].value]
        p, o = row["p"].value, row["o"]
        if p in _SKIPPED:
            continue
        field = _FIELDS.get(p, p)
        if isinstance(o, Literal):
            fields[node][field].append(o.value)
        elif o.value.startswith(TECHNOLOGY):
            fields[node][field].append(o.value.removeprefix(TECHNOLOGY))
        elif o.value.startswith(base):
            references.append((node, _id(o, base), field))
        else:  # an IRI in another dataset, such as a Wikidata item
            fields[node][field].append(o.value)
    for row in sorted(_select(store, _AMOUNTS), key=lambda r: r["a"].value):
        amount = {"value": row["value"].value, "currency": row["currency"].value, "kind": row["kind"].value,
                  "source": _id(row["source"], base) if row["source"] else None}
        fields[_id(row["node"], base)][_FIELDS[row["p"].value]].append(amount)
    urls = {row["source"].value: row["url"].value for row in _select(store, _URLS)}
    for row in sorted(_select(store, _CITATIONS), key=lambda r: (r["node"].value, r["source"].value)):
        fields[_id(row["node"], base)]["sources"].append(
            {"source": _id(row["source"], base), "url": urls[row["source"].value],
             "quote": row["quote"].value if row["quote"] else None})
    graph = nx.MultiDiGraph(base=base)
    for node in sorted(kinds):
        graph.add_node(node, kind=kinds[node], **{k: _shape(k, v) for k, v in sorted(fields[node].items())})
    for source, target, field in sorted(references):
        if target in graph:  # not a Source
            graph.add_edge(source, target, key=field)
    return graph


def _select(store: Store, query: str) -> list:
    return list(store.query(query, use_default_graph_as_union=True))


def _id(term: NamedNode, base: str) -> str:
    return term.value.removeprefix(base).split("/", 1)[1]


def _shape(field: str, values: list) -> Any:
    if field in _MANY:
        return sorted(values)
    return values if field in _NESTED else values[0]


def dates(node: dict, *fields: str) -> list[str]:
    """The dates of the first of `fields` the node has: all of them, where sources disagree."""
    return next((node[f] for f in fields if node.get(f)), [])


def linked(graph: nx.MultiDiGraph, node: str, field: str) -> list[str]:
    """The records a node names in a field (sorted)."""
    return sorted(target for _, target, key in graph.out_edges(node, keys=True) if key == field)


def naming(graph: nx.MultiDiGraph, node: str, field: str) -> list[str]:
    """The records that name a node in a field (sorted)."""
    return sorted(source for source, _, key in graph.in_edges(node, keys=True) if key == field)
