"""SHACL shapes generated from the models, and a pyshacl run over the built graph.

The shapes restate the record format for RDF tools (partners validating their
own data, or ours after a transformation). `kg validate` runs them over the
graph it builds; a violation is reported against the record's file.
"""

from __future__ import annotations

from pydantic.fields import FieldInfo
from pyoxigraph import RdfFormat, Triple, serialize
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD

from kg.models import (
    DATE_PATTERN,
    KINDS,
    Identifiers,
    Sourced,
    is_list,
    ref_kinds,
    value_type,
)
from kg.rdf import (
    KG,
    PROV,
    SCHEMA,
    TECHNOLOGY,
    class_name,
    fields_by_predicate,
    predicate,
)
from kg.records import Loaded, Problem

KGN = Namespace(KG)
SHAPES = Namespace(KG.rstrip("#") + "/shapes#")


def _constrain(g: Graph, prop: URIRef, info: FieldInfo) -> None:
    if kinds := ref_kinds(info):
        g.add((prop, SH.nodeKind, SH.IRI))
        if len(kinds) == 1:
            g.add((prop, SH["class"], KGN[class_name(kinds[0])]))
        else:
            options = []
            for kind in kinds:
                option = BNode()
                g.add((option, SH["class"], KGN[class_name(kind)]))
                options.append(option)
            head = BNode()
            Collection(g, head, options)
            g.add((prop, SH["or"], head))
    elif value_type(info) == "technology":
        g.add((prop, SH.nodeKind, SH.IRI))
        g.add((prop, SH.pattern, Literal("^" + TECHNOLOGY)))
    elif value_type(info) == "date":
        g.add((prop, SH.nodeKind, SH.Literal))
        g.add((prop, SH.pattern, Literal(DATE_PATTERN)))
    elif "Amount" in str(info.annotation):
        g.add((prop, SH["class"], KGN.Amount))
    else:
        g.add((prop, SH.nodeKind, SH.Literal))


def _property(g: Graph, shape: URIRef, path: str, info: FieldInfo | None, required: bool, single: bool) -> URIRef:
    # Named, not blank: rdflib orders blank nodes differently on each run, and the file must not change.
    prop = URIRef(f"{shape}-{path.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}")
    g.add((shape, SH.property, prop))
    g.add((prop, SH.path, URIRef(path)))
    if required:
        g.add((prop, SH.minCount, Literal(1)))
    if single:
        g.add((prop, SH.maxCount, Literal(1)))
    if info is not None:
        _constrain(g, prop, info)
        if info.description:
            g.add((prop, SH.description, Literal(info.description)))
    return prop


def shapes() -> str:
    g = Graph()
    g.bind("sh", SH)
    g.bind("kg", KGN)
    g.bind("shape", SHAPES)
    for kind, model in KINDS.items():
        shape = SHAPES[class_name(kind)]
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, SH.targetClass, KGN[class_name(kind)]))
        _property(g, shape, KG + "id", None, True, True)
        for name, info in model.model_fields.items():
            if name in ("id", "sources", "identifiers"):
                continue
            disputable = "SourcedDate" in str(info.annotation)
            _property(g, shape, predicate(name, info), info, info.is_required() and not is_list(info),
                      not is_list(info) and not disputable)
        if "identifiers" in model.model_fields:
            for name, info in Identifiers.model_fields.items():
                if name != "wikidata":
                    _property(g, shape, predicate(name, info), info, False, True)
        if issubclass(model, Sourced):
            cites = _property(g, shape, PROV + "wasDerivedFrom", None, True, False)
            g.add((cites, SH["class"], KGN.Source))
            g.add((cites, SH.message, Literal("a record that states facts is derived from at least one Source")))
    amount = SHAPES.Amount
    g.add((amount, RDF.type, SH.NodeShape))
    g.add((amount, SH.targetClass, KGN.Amount))
    value = _property(g, amount, SCHEMA + "value", None, True, True)
    g.add((value, SH.datatype, XSD.decimal))
    g.add((value, SH.minInclusive, Literal(0)))
    currency = _property(g, amount, SCHEMA + "currency", None, True, True)
    g.add((currency, SH.pattern, Literal("^[A-Z]{3}$")))
    _property(g, amount, KG + "amountKind", None, True, True)
    citation = SHAPES.Citation
    g.add((citation, RDF.type, SH.NodeShape))
    g.add((citation, SH.targetClass, KGN.Citation))
    cited = _property(g, citation, KG + "citedSource", None, True, True)
    g.add((cited, SH["class"], KGN.Source))
    return g.serialize(format="turtle")


def check(quads, records: list[Loaded], shapes_ttl: str) -> list[Problem]:
    """Run pyshacl over the union of the record graphs; each violation becomes a Problem on its record's file."""
    import pyshacl  # half a second to import: only for `kg validate --shacl`

    triples = {Triple(q.subject, q.predicate, q.object) for q in quads}
    data = Graph().parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=Graph().parse(data=shapes_ttl, format="turtle"))
    if conforms:
        return []
    fields = fields_by_predicate()
    by_id = {r.record.id: r for r in records}
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = str(report.value(result, SH.focusNode))
        path = report.value(result, SH.resultPath)
        message = str(report.value(result, SH.resultMessage))
        record = by_id.get(focus.split("#")[0].rsplit("/", 1)[-1])
        field = fields.get(str(path), str(path))
        shown = record.shown if record else focus
        line = record.line(field) if record else 1
        problems.append(Problem(shown, line, field, f"SHACL: {message}"))
    return problems

