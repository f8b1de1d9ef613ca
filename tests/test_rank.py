"""`kg rank`: entities by degree, betweenness and PageRank, on the hand-built world and on the project's facts."""

import csv
import io
import json
from collections import defaultdict

from conftest import ANALYTICS

from kg.query import run
from kg.rdf import DEFAULT_BASE
from kg.records import DEFAULT_FACTS
from kg.store import open_store

# Pairs of records where one names the other, Sources aside: an entity's degree is the number it is in.
LINKS = """
PREFIX kg: <https://w3id.org/surveillance-kg/ontology#>
SELECT DISTINCT ?a ?b WHERE { GRAPH ?a { ?a ?p ?b } GRAPH ?b { ?b a ?type } FILTER(?type != kg:Source) }"""


def ranked(kg, store, *args, facts=ANALYTICS):
    result = kg("rank", *args, "--facts", facts, "--store", store, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_vendors_by_degree(kg, analytics_store):
    result = kg("rank", "--kind", "vendor", "--facts", ANALYTICS, "--store", analytics_store, "--format", "csv")
    # Acme: a product, 3 contracts, 2 deployments, a fine, an acquisition, a rename. Gamma: a product, 4 contracts,
    # a deployment, a lawsuit, a sanction. Beta and Delta tie at 4, so share third place, in order of name.
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        ["rank", "id", "name", "kind", "score"],
        ["1", "acme", "Acme Face", "vendor", "9"], ["2", "gamma", "Gamma", "vendor", "8"],
        ["3", "beta", "Beta Plates", "vendor", "4"], ["3", "delta", "Delta Systems", "vendor", "4"]]


def test_betweenness(kg, analytics_store):
    found = {r["id"]: r for r in ranked(kg, analytics_store, "--by", "betweenness")}
    # State Y joins the cities and the county to Country X; no shortest path needs a product, as each product's
    # vendor is linked directly to every contract and deployment that names the product.
    assert next(iter(found)) == "state-y"
    assert found["acme-search"]["score"] == found["gamma-app"]["score"] == 0
    assert found["acme-search"]["rank"] == found["gamma-app"]["rank"] == len(found) - 1


def test_pagerank_of_agencies_top_3(kg, analytics_store):
    found = ranked(kg, analytics_store, "--by", "pagerank", "--kind", "agency", "--top", "3")
    assert [r["rank"] for r in found] == [1, 2, 3] and {r["kind"] for r in found} == {"agency"}
    scores = [r["score"] for r in found]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] < scores[0] < 1
    assert found[0]["id"] == "police-d"  # linked to City D and five contracts and deployments: the most of any agency


def test_text_is_a_table(kg, analytics_store):
    text = kg("rank", "--kind", "vendor", "--top", "1", "--facts", ANALYTICS, "--store", analytics_store).stdout
    assert text.splitlines() == ["rank  id    name       kind    score", "----  ----  ---------  ------  -----",
                                 "1     acme  Acme Face  vendor  9"]


def test_degrees_of_the_project_facts_match_sparql(kg, project_store):
    store = open_store(DEFAULT_FACTS, project_store).store
    neighbours = defaultdict(set)
    for row in run(store, LINKS):
        a, b = (row[v].value.removeprefix(DEFAULT_BASE).split("/", 1)[1] for v in ("a", "b"))
        neighbours[a].add(b)
        neighbours[b].add(a)
    found = ranked(kg, project_store, "--top", "100000", facts=DEFAULT_FACTS)
    assert {r["id"]: r["score"] for r in found} == {r["id"]: len(neighbours[r["id"]]) for r in found}
    assert len(found) > 200 and found[0]["score"] > 10
