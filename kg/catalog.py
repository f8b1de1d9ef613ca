"""Every record read back from its RDF (the store's quads), in the shape a page shows it.

A record's values are keyed by model field name (kg.rdf.fields_by_predicate),
as strings: references as IRIs, dates as written (2020, 2020-08). Amounts,
disputed dates and citations (the nodes under a record's IRI) are gathered
into lists of their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store

from kg.models import KINDS
from kg.rdf import (
    KG,
    PREFIXES,
    SCHEMA,
    TECHNOLOGY,
    class_name,
    fields_by_predicate,
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
    said: dict[tuple[str, str], object] = field(default_factory=dict, repr=False, compare=False)  # kg.prose's memo

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.kind == kind]

    def get(self, iri: str) -> Entry | None:
        return self.entries.get(iri)


def _kinds_by_class() -> dict[str, str]:
    return {KG + class_name(k): k for k in KINDS}


def load(store: Store, base: str) -> Catalog:
    """Every record in the store."""
    return from_quads(store.quads_for_pattern(None, None, None, None), base)


def from_quads(quads: Iterable[Quad], base: str) -> Catalog:
    """Every record among the quads: the store's, or those kg.rdf makes of the records it was built from
    (the same quads, without a second trip through the store)."""
    classes = _kinds_by_class()
    fields = fields_by_predicate() | {SCHEMA + "name": "name", SCHEMA + "url": "url"}
    kg_id, rdf_type = KG + "id", PREFIXES["rdf"] + "type"
    not_values = {kg_id, KG + "citation", KG + "claim", PREFIXES["prov"] + "wasDerivedFrom"}
    statements: dict[str, list[tuple[str, Term]]] = defaultdict(list)
    for quad in quads:
        statements[quad.subject.value].append((quad.predicate.value, quad.object))
    entries: dict[str, Entry] = {}
    for iri, said in statements.items():
        if any(p == kg_id for p, _ in said):
            kind = next((classes[o.value] for p, o in said if p == rdf_type and o.value in classes), None)
            if kind:
                entries[iri] = Entry(iri, kind, iri.rsplit("/", 1)[1])
    parts: dict[str, tuple[Entry, list[tuple[str, Term]]]] = {}
    for iri, entry in entries.items():
        for p, o in statements[iri]:
            if _is_part(o, iri):
                parts[o.value] = (entry, statements.get(o.value, []))
            elif p not in not_values and (name := fields.get(p)):
                entry.values.setdefault(name, []).append(o.value)
        for values in entry.values.values():
            values.sort()  # in an order that does not depend on the store's
    for part in sorted(parts, key=_part_order):
        entry, said = parts[part]
        values: dict[str, list] = defaultdict(list)
        for p, o in said:
            values[p].append(o)
        _add_part(entry, part, values, fields)
    for entry in entries.values():
        entry.citations.sort(key=lambda c: c.source)
    return Catalog(base, dict(sorted(entries.items())))


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
