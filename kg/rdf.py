"""Records -> quads. Each record's triples sit in a named graph named after the record's IRI.

No blank nodes: nested values (citations, amounts, disputed dates) get IRIs
under the record's own, e.g. <.../contract/x#amounts-1>.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from decimal import Decimal
from enum import Enum

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.models import (
    KINDS,
    Amount,
    Identifiers,
    Record,
    SourcedDate,
    is_list,
    ref_kinds,
    value_type,
)

DEFAULT_BASE = "https://w3id.org/surveillance-kg/id/"
KG = "https://w3id.org/surveillance-kg/ontology#"
TECHNOLOGY = "https://w3id.org/surveillance-kg/technology/"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
WIKIDATA = "http://www.wikidata.org/entity/"
PREFIXES = {"kg": KG, "tech": TECHNOLOGY, "schema": SCHEMA, "prov": PROV, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "wd": WIKIDATA}
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

TYPE = NamedNode(RDF + "type")
DERIVED_FROM = NamedNode(PROV + "wasDerivedFrom")
KG_ID, CITATION, CITED_SOURCE, QUOTE = (NamedNode(KG + n) for n in ("id", "citation", "citedSource", "quote"))
CLAIM, CLAIM_PROPERTY, CITATION_CLASS, CLAIM_CLASS = (NamedNode(KG + n) for n in ("claim", "claimProperty", "Citation", "Claim"))
RDF_VALUE, DECIMAL, DURATION = NamedNode(RDF + "value"), NamedNode(XSD + "decimal"), NamedNode(XSD + "duration")

# Fields that map to a well-known property rather than one of our own.
WELL_KNOWN = {
    "name": SCHEMA + "name",
    "title": SCHEMA + "name",
    "aliases": SCHEMA + "alternateName",
    "description": SCHEMA + "description",
    "url": SCHEMA + "url",
    "website": SCHEMA + "url",
    "published": SCHEMA + "datePublished",
    "sources": PROV + "wasDerivedFrom",
}
DATE_TYPES = {4: NamedNode(XSD + "gYear"), 7: NamedNode(XSD + "gYearMonth"), 10: NamedNode(XSD + "date")}


def record_iri(base: str, kind: str, rid: str) -> NamedNode:
    return NamedNode(f"{base}{kind}/{rid}")


def class_name(kind: str) -> str:
    return "".join(part.capitalize() for part in kind.split("-"))


def predicate(name: str, info: FieldInfo) -> str:
    """The property IRI of a model field: plural list fields become singular properties."""
    if name in WELL_KNOWN:
        return WELL_KNOWN[name]
    if is_list(info):
        name = re.sub(r"ies$", "y", name) if name.endswith("ies") else name.removesuffix("s")
    head, *rest = name.split("_")
    return KG + head + "".join(w.capitalize() for w in rest)


def fields_by_predicate() -> dict[str, str]:
    """Property IRI -> the record field it states (for messages and diffs)."""
    out = {PROV + "wasDerivedFrom": "sources", KG + "citation": "sources", KG + "claim": "claims"}
    for model in [*KINDS.values(), Identifiers]:
        for name, info in model.model_fields.items():
            out.setdefault(predicate(name, info), name)
    return out


def date_literal(value: str) -> Literal:
    return Literal(value, datatype=DATE_TYPES[len(value)])


@functools.cache
def _plan(model: type[BaseModel]) -> list[tuple[str, NamedNode, str | None]]:
    """Each field but id: its name, property and how its values become terms ("ref", a value_type, or None)."""
    return [(name, NamedNode(predicate(name, info)), "ref" if ref_kinds(info) else value_type(info))
            for name, info in model.model_fields.items() if name != "id"]


def record_quads(kind: str, record: Record, base: str, kind_of: dict[str, str]) -> list[Quad]:
    """The quads stating one record; `kind_of` maps every record id to its kind, to build reference IRIs."""
    node = record_iri(base, kind, record.id)
    triples: list[tuple[NamedNode, NamedNode, NamedNode | Literal]] = [
        (node, TYPE, NamedNode(KG + class_name(kind))),
        (node, KG_ID, Literal(record.id)),
    ]

    def ref(target: str) -> NamedNode:
        return record_iri(base, kind_of[target], target)

    def term(value, how: str | None) -> NamedNode | Literal:
        if how == "ref":
            return ref(value)
        if how == "date":
            return date_literal(value)
        if how == "duration":
            return Literal(value, datatype=DURATION)
        if how == "technology":
            return NamedNode(TECHNOLOGY + value)
        if isinstance(value, Decimal):
            return Literal(str(value), datatype=DECIMAL)
        return Literal(value.value if isinstance(value, Enum) else value)

    values = record.__dict__
    for name, prop, how in _plan(type(record)):
        value = values[name]
        if value is None or value == []:
            continue
        if name == "sources":
            for citation in value:
                source = ref(citation.source)
                cited = NamedNode(f"{node.value}#source-{citation.source}")
                triples += [(node, DERIVED_FROM, source), (node, CITATION, cited),
                            (cited, TYPE, CITATION_CLASS), (cited, CITED_SOURCE, source)]
                if citation.quote:
                    triples.append((cited, QUOTE, Literal(citation.quote)))
        elif isinstance(value, Identifiers):
            for key, ident_prop, _ in _plan(Identifiers):
                ident = value.__dict__[key]
                if ident is not None:
                    triples.append((node, ident_prop, NamedNode(WIKIDATA + ident) if key == "wikidata" else Literal(ident)))
        elif isinstance(value, list) and isinstance(value[0], BaseModel):
            for i, item in enumerate(value, 1):
                part = NamedNode(f"{node.value}#{name}-{i}")
                if isinstance(item, SourcedDate):
                    # Sources disagree: every value is stated, and a Claim says which source gives which.
                    triples += [(node, prop, date_literal(item.value)), (node, CLAIM, part),
                                (part, TYPE, CLAIM_CLASS), (part, CLAIM_PROPERTY, prop),
                                (part, RDF_VALUE, date_literal(item.value)),
                                (part, DERIVED_FROM, ref(item.source))]
                else:
                    triples += [(node, prop, part), *_amount(part, item, ref)]
        elif isinstance(value, list):
            triples += [(node, prop, term(item, how)) for item in value]
        else:
            triples.append((node, prop, term(value, how)))
    return [Quad(s, p, o, node) for s, p, o in triples]


def _amount(part: NamedNode, amount: Amount, ref) -> list[tuple]:
    out = [(part, TYPE, NamedNode(KG + "Amount")),
           (part, NamedNode(SCHEMA + "value"), Literal(str(amount.value), datatype=DECIMAL)),
           (part, NamedNode(SCHEMA + "currency"), Literal(amount.currency)),
           (part, NamedNode(KG + "amountKind"), Literal(amount.kind))]
    if amount.source:
        out.append((part, DERIVED_FROM, ref(amount.source)))
    if amount.note:
        out.append((part, NamedNode(KG + "note"), Literal(amount.note)))
    return out


def dataset_quads(records, base: str) -> Iterator[Quad]:
    """All quads of all loaded records, made as they are read (a million quads would take a gigabyte)."""
    kind_of = {r.record.id: r.kind for r in records}
    for r in records:
        yield from record_quads(r.kind, r.record, base, kind_of)


def store_quads(store: Store) -> Iterator[Quad]:
    """The store's quads a record's graph at a time, the graphs in IRI order."""
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        yield from store.quads_for_pattern(None, None, None, graph)
