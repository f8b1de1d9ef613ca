"""Records become quads: one named graph per record, provenance to sources, no blank nodes."""

from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode

from kg.rdf import DEFAULT_BASE, KG, PROV, SCHEMA, XSD, dataset_quads
from kg.validate import validate


@pytest.fixture(scope="module")
def quads():
    return list(dataset_quads(validate(Path(__file__).parent / "fixtures" / "facts"), DEFAULT_BASE))


def by_subject(quads, iri):
    return {(q.predicate.value, q.object) for q in quads if q.subject == NamedNode(iri)}


def test_every_quad_sits_in_its_records_graph(quads):
    for q in quads:
        assert isinstance(q.graph_name, NamedNode)
        assert q.subject.value.split("#")[0] == q.graph_name.value


def test_no_blank_nodes(quads):
    assert not any(isinstance(t, BlankNode) for q in quads for t in (q.subject, q.object, q.graph_name))


def test_one_graph_per_record(quads):
    assert len({q.graph_name for q in quads}) == 25


def test_record_is_derived_from_its_sources_with_quotes(quads):
    contract = DEFAULT_BASE + "contract/police-a-acme-2020"
    facts = by_subject(quads, contract)
    assert (PROV + "wasDerivedFrom", NamedNode(DEFAULT_BASE + "source/s1")) in facts
    citation = by_subject(quads, contract + "#source-s1")
    assert (KG + "citedSource", NamedNode(DEFAULT_BASE + "source/s1")) in citation
    assert (KG + "quote", Literal("signed on February 1, 2020 for $50,000")) in citation


def test_dates_are_typed_by_precision(quads):
    facts = by_subject(quads, DEFAULT_BASE + "contract/police-a-acme-2020")
    assert (KG + "signed", Literal("2020-02-01", datatype=NamedNode(XSD + "date"))) in facts
    assert (KG + "start", Literal("2020-02", datatype=NamedNode(XSD + "gYearMonth"))) in facts
    assert (KG + "end", Literal("2021", datatype=NamedNode(XSD + "gYear"))) in facts


def test_disagreeing_values_each_keep_their_source(quads):
    contract = DEFAULT_BASE + "contract/federal-office-acme-2018"
    facts = by_subject(quads, contract)
    assert {o.value for p, o in facts if p == KG + "signed"} == {"2018-03", "2018-04-02"}
    claim = by_subject(quads, contract + "#signed-2")
    assert (PROV + "wasDerivedFrom", NamedNode(DEFAULT_BASE + "source/s2")) in claim
    amount = by_subject(quads, contract + "#amounts-2")
    assert (SCHEMA + "value", Literal("274000", datatype=NamedNode(XSD + "decimal"))) in amount
    assert (PROV + "wasDerivedFrom", NamedNode(DEFAULT_BASE + "source/s2")) in amount


def test_base_is_configurable():
    quads = list(dataset_quads(validate(Path(__file__).parent / "fixtures" / "facts"), "https://partner.example/kg/"))
    assert all(q.graph_name.value.startswith("https://partner.example/kg/") for q in quads)


def test_references_and_identifiers(quads):
    facts = by_subject(quads, DEFAULT_BASE + "vendor/acme")
    assert (KG + "wikidata", NamedNode("http://www.wikidata.org/entity/Q42")) in facts
    assert (KG + "uei", Literal("ABCDEFGH1234")) in facts
    product = by_subject(quads, DEFAULT_BASE + "product/acme-search")
    assert (KG + "vendor", NamedNode(DEFAULT_BASE + "vendor/acme")) in product
    assert (KG + "technology", NamedNode("https://w3id.org/surveillance-kg/technology/face-recognition")) in product
