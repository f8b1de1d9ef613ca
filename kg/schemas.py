"""Generate schemas/ from the models: a JSON Schema per kind, and the ontology in Turtle.

Generated, never edited by hand: `kg schemas` rewrites them and a test fails
when the committed files differ from what the models give.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from kg import __version__, jsonld, shapes
from kg.export import write_atomic
from kg.models import (
    KINDS,
    Amount,
    Citation,
    Identifiers,
    SourcedDate,
    Technology,
    ref_kinds,
    value_type,
)
from kg.rdf import KG, PROV, SCHEMA, TECHNOLOGY, class_name, predicate

SCHEMA_DIR = Path(__file__).parent.parent / "schemas"
SCHEMA_ID = "https://w3id.org/surveillance-kg/schemas/"

KGN, SDO, PROVN = Namespace(KG), Namespace(SCHEMA), Namespace(PROV)

CLASS_ALIGNMENT = {
    "Agency": SDO.GovernmentOrganization, "Vendor": SDO.Organization, "Product": SDO.Product,
    "Jurisdiction": SDO.AdministrativeArea, "Source": SDO.CreativeWork, "LegalAction": SDO.Event,
    "Amount": SDO.MonetaryAmount,
}
PROPERTY_ALIGNMENT = {
    "partOf": SDO.containedInPlace, "parent": SDO.parentOrganization, "founded": SDO.foundingDate,
    "start": SDO.startDate, "end": SDO.endDate, "author": SDO.author, "publisher": SDO.publisher,
    "citedSource": PROVN.hadPrimarySource, "claim": PROVN.qualifiedDerivation,
}
# Properties the mapping writes that are not model fields.
EXTRA_PROPERTIES = {
    "id": ("id", "The record's id, as in its file name.", None),
    "citation": ("citation", "Links a record to a Citation: the source it relies on and the supporting quote.", KGN.Citation),
    "citedSource": ("cited source", "The Source a Citation points to.", KGN.Source),
    "quote": ("quote", "A short verbatim quote from the source supporting the record.", None),
    "claim": ("claim", "Links a record to a Claim: one of several values sources disagree on, with its source.", KGN.Claim),
    "claimProperty": ("claim property", "The property whose value a Claim gives.", None),
    "amountKind": ("amount kind", "What an amount is: obligated, ceiling, total-value, base-value, fine, settlement, damages, reported.", None),
    "note": ("note", "What else the source says about a figure.", None),
}
AUX_CLASSES = {
    "Citation": Citation, "Amount": Amount,
}


def json_schemas() -> dict[str, str]:
    out = {}
    for kind, model in KINDS.items():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"{SCHEMA_ID}{kind}.schema.json",
                  **model.model_json_schema()}
        out[f"{kind}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out


def _label(name: str) -> str:
    return name.replace("_", " ")


def ontology() -> str:
    g = Graph()
    for prefix, ns in [("kg", KGN), ("schema", SDO), ("prov", PROVN), ("owl", OWL), ("skos", SKOS), ("tech", Namespace(TECHNOLOGY))]:
        g.bind(prefix, ns)
    onto = URIRef(KG.rstrip("#"))
    g.add((onto, RDF.type, OWL.Ontology))
    g.add((onto, RDFS.label, Literal("Surveillance-tech knowledge graph ontology", lang="en")))
    g.add((onto, RDFS.comment, Literal("Agencies, vendors, products, jurisdictions, contracts, deployments, legal actions, bans and corporate ties, each record derived from cited sources. Generated from the kg.models pydantic models.", lang="en")))
    g.add((onto, OWL.versionInfo, Literal(__version__)))

    classes = {class_name(kind): model for kind, model in KINDS.items()} | AUX_CLASSES | {"Claim": SourcedDate}
    for name, model in classes.items():
        cls = KGN[name]
        g.add((cls, RDF.type, OWL.Class))
        g.add((cls, RDFS.label, Literal(_label_of_class(name), lang="en")))
        g.add((cls, RDFS.comment, Literal(" ".join((model.__doc__ or "").split()), lang="en")))
        g.add((cls, RDFS.subClassOf, CLASS_ALIGNMENT.get(name, PROVN.Entity)))

    domains: dict[str, set] = {}
    described: dict[str, tuple[str, str, object]] = {}
    for kind, model in KINDS.items():
        cname = class_name(kind)
        for field_name, prop, info in _fields(model):
            if not prop.startswith(KG):
                continue
            domains.setdefault(prop, set()).add(KGN[cname])
            described.setdefault(prop, (field_name, info.description or "", info))
    for local, (label, comment, rng) in EXTRA_PROPERTIES.items():
        described.setdefault(KG + local, (label, comment, rng))

    for prop, (field_name, comment, info) in sorted(described.items()):
        p = URIRef(prop)
        rng = _range(info)
        g.add((p, RDF.type, OWL.ObjectProperty if isinstance(rng, URIRef) and rng.startswith(KG) or rng == SKOS.Concept else OWL.DatatypeProperty))
        g.add((p, RDFS.label, Literal(_label(field_name), lang="en")))
        g.add((p, RDFS.comment, Literal(comment, lang="en")))
        for d in domains.get(prop, ()):
            g.add((p, SDO.domainIncludes, d))
        for r in rng if isinstance(rng, list) else [rng] if rng is not None else []:
            g.add((p, SDO.rangeIncludes, r))
        if (aligned := PROPERTY_ALIGNMENT.get(prop.removeprefix(KG))) is not None:
            g.add((p, RDFS.subPropertyOf, aligned))

    scheme = URIRef(TECHNOLOGY.rstrip("/"))
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, RDFS.label, Literal("Kinds of surveillance technology", lang="en")))
    for tech in Technology:
        concept = URIRef(TECHNOLOGY + tech.value)
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, SKOS.inScheme, scheme))
        g.add((concept, SKOS.prefLabel, Literal(tech.value.replace("-", " "), lang="en")))
    return g.serialize(format="turtle")


def _label_of_class(name: str) -> str:
    return "".join(" " + c.lower() if c.isupper() and i else c for i, c in enumerate(name))


def _fields(model: type[BaseModel]):
    for name, info in model.model_fields.items():
        if name in ("id", "sources"):
            continue
        if name == "identifiers":
            for key, sub in Identifiers.model_fields.items():
                yield key, predicate(key, sub), sub
            continue
        yield name, predicate(name, info), info


def _range(info):
    if info is None or isinstance(info, URIRef):
        return info
    if kinds := ref_kinds(info):
        return [KGN[class_name(k)] for k in kinds]
    if value_type(info) == "date":
        return [XSD.date, XSD.gYearMonth, XSD.gYear]
    if value_type(info) == "duration":
        return XSD.duration
    if value_type(info) == "technology":
        return SKOS.Concept
    text = str(info.annotation)
    if "Amount" in text:
        return KGN.Amount
    if "Decimal" in text:
        return XSD.decimal
    return XSD.string


def generate() -> dict[str, str]:
    """File name -> content of everything under schemas/."""
    return json_schemas() | {"ontology.ttl": ontology(), "shapes.ttl": shapes.shapes(),
                             "context.jsonld": jsonld.context_file()}


def write(directory: Path = SCHEMA_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generate().items():
        write_atomic(directory / name, text.encode())
        written.append(directory / name)
    return written


def stale(directory: Path = SCHEMA_DIR) -> list[str]:
    """Names of files under schemas/ that differ from what the models give."""
    out = []
    for name, text in generate().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            out.append(name)
    return out
