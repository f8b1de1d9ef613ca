"""Every record read back from its RDF (the store's quads), in the shape a page shows it.

A record's values are keyed by model field name (kg.rdf.fields_by_predicate),
as strings: references as IRIs, dates as written (2020, 2020-08). Amounts,
disputed dates and citations (the nodes under a record's IRI) are gathered
into lists of their own.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store

from kg.models import KINDS
from kg.rdf import (
    KG,
    PREFIXES,
    SCHEMA,
    TECHNOLOGY,
    class_name,
    fields_by_predicate,
    store_quads,
)

Term = NamedNode | BlankNode | Literal
FACT_KINDS = ("contract", "deployment", "legal-action", "ban", "relationship")
ENTITY_KINDS = ("agency", "vendor", "product", "jurisdiction")
# The dates that say when a record's event happened, first the one it is known by.
EVENT_DATES = {
    "contract": ("signed", "start", "end"),
    "deployment": ("start", "end"),
    "legal-action": ("filed", "decided"),
    "ban": ("passed", "effective", "expires"),
    "relationship": ("date",),
}

@dataclass
class Amount:
    value: str
    currency: str
    kind: str
    source: str | None = None
    note: str | None = None


@dataclass
class Citation:
    source: str  # the Source record's IRI
    quote: str | None


@dataclass
class Entry:
    iri: str
    kind: str
    id: str
    values: dict[str, list] = field(default_factory=dict)
    amounts: dict[str, list[Amount]] = field(default_factory=dict)  # field (amounts, penalties) -> amounts
    claims: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # field -> (date, source IRI)
    citations: list[Citation] = field(default_factory=list)

    def one(self, name: str) -> str | None:
        values = self.values.get(name)
        return min(values) if values else None

    def all(self, name: str) -> list:
        return sorted(self.values.get(name, []))

    @property
    def name(self) -> str | None:
        return self.one("name")

    def dates(self) -> list[str]:
        """Every event date of the record, earliest first."""
        return sorted(d for f in EVENT_DATES.get(self.kind, ()) for d in self.values.get(f, []))


@dataclass
class Catalog:
    base: str
    entries: dict[str, Entry]  # IRI -> entry, sorted by IRI
    said: dict[tuple[str, str], object] = field(default_factory=dict, repr=False, compare=False)  # kg.prose.remembered's memo

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.kind == kind]

    def get(self, iri: str) -> Entry | None:
        return self.entries.get(iri)


def load(store: Store, base: str) -> Catalog:
    """Every record in the store."""
    return from_quads(store_quads(store), base)


def from_quads(quads: Iterable[Quad], base: str) -> Catalog:
    """Every record among the quads, which come a named graph at a time, each record's statements (and its
    parts') in its own graph: the store's, those kg.rdf makes of the records it was built from, or the N-Quads
    file the store was loaded with (kg.store.LOADED). Read a graph at a time, a million quads are never all held."""
    entries: dict[str, Entry] = {}
    for _, graph in groupby(quads, key=lambda q: q.graph_name):
        statements: dict[str, list[tuple[str, Term]]] = defaultdict(list)
        for quad in graph:
            statements[quad.subject.value].append((quad.predicate.value, quad.object))
        entries.update(_entries(statements))
    return Catalog(base, dict(sorted(entries.items())))


@functools.cache
def _mapping() -> tuple[dict[str, str], dict[str, str]]:
    """Kinds by class IRI, and field names by predicate IRI."""
    return {KG + class_name(k): k for k in KINDS}, fields_by_predicate() | {SCHEMA + "name": "name", SCHEMA + "url": "url"}


_NOT_VALUES = {KG + "id", KG + "citation", KG + "claim", PREFIXES["prov"] + "wasDerivedFrom"}


def _entries(statements: dict[str, list[tuple[str, Term]]]) -> Iterator[tuple[str, Entry]]:
    """The records among one graph's statements, by subject."""
    classes, fields = _mapping()
    kg_id, rdf_type = KG + "id", PREFIXES["rdf"] + "type"
    for iri, said in statements.items():
        kind = next((classes[o.value] for p, o in said if p == rdf_type and o.value in classes), None)
        if not kind or not any(p == kg_id for p, _ in said):
            continue
        entry = Entry(iri, kind, iri.rsplit("/", 1)[1])
        parts = []
        for p, o in said:
            if _is_part(o, iri):
                parts.append(o.value)
            elif p not in _NOT_VALUES and (name := fields.get(p)):
                entry.values.setdefault(name, []).append(o.value)
        for values in entry.values.values():
            values.sort()  # in an order that does not depend on the quads'
        for part in sorted(set(parts), key=_part_order):
            stated: dict[str, list] = defaultdict(list)
            for p, o in statements.get(part, []):
                stated[p].append(o)
            _add_part(entry, part, stated, fields)
        entry.citations.sort(key=lambda c: c.source)
        yield iri, entry


def _part_order(part: str) -> tuple[str, int]:
    """Parts in the order the record lists them: #amounts-2 before #amounts-10."""
    head, _, number = part.rpartition("-")
    return (head, int(number)) if number.isdigit() else (part, 0)


def _is_part(term, iri: str) -> bool:
    return isinstance(term, NamedNode) and term.value.startswith(iri + "#")


def _add_part(entry: Entry, part: str, values: dict[str, list], fields: dict[str, str]) -> None:
    def first(prop: str) -> str | None:
        return values[prop][0].value if values.get(prop) else None

    types = {t.value for t in values.get(PREFIXES["rdf"] + "type", [])}
    if KG + "Citation" in types:
        entry.citations.append(Citation(first(KG + "citedSource"), first(KG + "quote")))
    elif KG + "Claim" in types:
        name = fields[first(KG + "claimProperty")]
        entry.claims.setdefault(name, []).append((first(PREFIXES["rdf"] + "value"), first(PREFIXES["prov"] + "wasDerivedFrom")))
    elif KG + "Amount" in types:
        name = part.rsplit("#", 1)[1].rsplit("-", 1)[0]
        entry.amounts.setdefault(name, []).append(Amount(
            first(SCHEMA + "value"), first(SCHEMA + "currency"), first(KG + "amountKind"),
            first(PREFIXES["prov"] + "wasDerivedFrom"), first(KG + "note")))


def technology_name(iri: str) -> str:
    return iri.removeprefix(TECHNOLOGY).replace("-", " ")
