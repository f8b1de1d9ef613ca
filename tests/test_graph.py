"""kg.graph: the store projected into networkx, checked against the records as loaded from YAML."""

import pytest
from conftest import ANALYTICS

from kg.checks import references
from kg.graph import project
from kg.rdf import DEFAULT_BASE
from kg.records import DEFAULT_FACTS
from kg.store import open_store
from kg.validate import validate


def expected(records):
    """Nodes (id, kind, name) and edges (from, to, field) the records state, read from the models, not from RDF."""
    kind_of = {r.record.id: r.kind for r in records}
    nodes = {(r.record.id, r.kind, getattr(r.record, "name", None) or getattr(r.record, "title", None))
             for r in records if r.kind != "source"}
    edges = {(r.record.id, target, loc[0]) for r in records if r.kind != "source"
             for loc, target, _ in references(r.record) if kind_of[target] != "source"}
    return nodes, edges


@pytest.mark.parametrize("world", ["analytics", "project"])
def test_every_record_but_sources_is_a_node_and_every_reference_an_edge(world, request):
    if world == "analytics":
        facts, records, root = ANALYTICS, validate(ANALYTICS), request.getfixturevalue("analytics_store")
    else:
        facts, records, root = DEFAULT_FACTS, request.getfixturevalue("project_records"), request.getfixturevalue("project_store")
    graph = project(open_store(facts, root).store, DEFAULT_BASE)
    nodes, edges = expected(records)
    assert {(n, a["kind"], a.get("name")) for n, a in graph.nodes(data=True)} == nodes
    assert set(graph.edges(keys=True)) == edges
    assert len(edges) > len(nodes) / 2


def test_nodes_carry_dates_amounts_technologies_and_sources(analytics_store):
    graph = project(open_store(ANALYTICS, analytics_store).store, DEFAULT_BASE)
    contract = graph.nodes["federal-office-acme-2018"]
    assert contract["signed"] == ["2018-03", "2018-04-02"]  # the sources disagree: both dates
    assert contract["technologies"] == ["face-recognition"] and contract["piid"] == "70CMSD18P00000001"
    assert contract["amounts"] == [
        {"value": "224000", "currency": "USD", "kind": "total-value", "source": "s1"},
        {"value": "274000", "currency": "USD", "kind": "total-value", "source": "s2"}]
    assert contract["sources"] == [
        {"source": "s1", "url": "https://news.example.org/story-1", "quote": "$224,000, signed in March 2018"},
        {"source": "s2", "url": "https://news.example.org/story-2", "quote": "$274,000, signed April 2, 2018"}]
    acme = graph.nodes["acme"]
    assert (acme["kind"], acme["name"], acme["aliases"], acme["wikidata"]) == (
        "vendor", "Acme Face", ["Acme Inc."], "http://www.wikidata.org/entity/Q42")
    ban = graph.nodes["county-q-ban"]
    assert (ban["action"], ban["scope"], ban["passed"], ban["effective"]) == ("ban", ["police"], ["2021-02-01"], ["2021-03-01"])
    assert graph.nodes["regulator-fines-acme"]["penalties"][0]["value"] == "1000000"
    assert graph.nodes["police-a-beta-2018"]["sources"][0]["quote"] is None
    assert set(graph.out_edges("county-q-repeal", keys=True)) == {("county-q-repeal", "county-q-ban", "repeals"),
                                                                  ("county-q-repeal", "county-q", "jurisdiction")}
