"""`kg query` and the named queries, through the real CLI, on the fixture world and on the project's facts."""

import csv
import io
import json

import pytest
import rdflib
from conftest import ANALYTICS

from kg.query import named_queries

BASE = "https://w3id.org/surveillance-kg/id/"


def rows(kg, facts, *args):
    result = kg("query", "--facts", facts, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_done_when_contracts_by_vendor_on_the_project_facts(kg):
    result = kg("query", "--named", "contracts-by-vendor", "--param", "vendor=clearview-ai", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    table = {r["contract"].rsplit("/", 1)[1]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    ice, cbp = table["ice-clearview-ai-2020"], table["cbp-clearview-ai-2026"]
    assert (ice["agencyName"], ice["signed"], ice["end"], ice["amount"], ice["currency"]) == (
        "U.S. Immigration and Customs Enforcement", "2020-08-12", "2021-09-04", "224000", "USD")
    assert "https://www.theverge.com/2020/8/14/21368930/clearview-ai-ice-contract-privacy-immigration" in ice["sources"].split()
    assert (cbp["agencyName"], cbp["duration"], cbp["amount"]) == ("U.S. Customs and Border Protection", "P1Y", "225000")


def test_param_as_id_or_iri_gives_the_same(kg, facts):
    by_id = rows(kg, facts, "--named", "contracts-by-vendor", "--param", "vendor=acme")
    by_iri = rows(kg, facts, "--named", "contracts-by-vendor", "--param", f"vendor={BASE}vendor/acme")
    assert by_id == by_iri
    assert {r["contract"] for r in by_id} == {BASE + "contract/police-a-acme-2020", BASE + "contract/federal-office-acme-2018"}


@pytest.mark.parametrize("params, message", [
    ([], "missing parameter 'vendor'"),
    (["--param", "vendor=acme", "--param", "vendr=x"], "unknown parameter 'vendr' for contracts-by-vendor"),
    (["--param", "vendor=nobody"], "parameter 'vendor': no vendor record 'nobody' in the store"),
    (["--param", "vendor=police-a"], "parameter 'vendor': no vendor record 'police-a' in the store"),
    (["--param", f"vendor={BASE}agency/police-a"], "no vendor record"),
    (["--param", "vendor"], "--param takes name=value"),
    (["--param", "vendor=http://x y"], "'http://x y' is not an id or an IRI"),
])
def test_bad_parameters_are_clear_errors(kg, facts, params, message):
    result = kg("query", "--facts", facts, "--named", "contracts-by-vendor", *params)
    assert result.exit_code == 1
    assert message in result.stderr


def test_parameter_values_are_terms_not_text(kg, facts):
    injected = 'x" } UNION { ?s ?p ?o } #'
    result = kg("query", "--facts", facts, "--named", "search", "--param", f"text={injected}", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["results"]["bindings"] == []


def test_bad_date_and_technology_parameters(kg, facts):
    result = kg("query", "--facts", facts, "--named", "bans-in-force", "--param", "date=2021-02-30")
    assert result.exit_code == 1 and "'2021-02-30' is not a real date" in result.stderr
    result = kg("query", "--facts", facts, "--named", "agencies-using-technology", "--param", "technology=telepathy")
    assert result.exit_code == 1 and "unknown technology 'telepathy'" in result.stderr


def test_unknown_named_query_suggests(kg, facts):
    result = kg("query", "--facts", facts, "--named", "contract-by-vendor")
    assert result.exit_code == 1 and "did you mean 'contracts-by-vendor'?" in result.stderr


def test_syntax_error_gives_position_and_exit_2(kg, facts):
    result = kg("query", "--facts", facts, "SELECT ?s WHERE { ?s ?p }")
    assert result.exit_code == 2
    assert "error at 1:" in result.stderr


def test_query_from_stdin_and_from_file(kg, facts, tmp_path):
    text = "SELECT ?name WHERE { ?v a <https://w3id.org/surveillance-kg/ontology#Vendor> ; <https://schema.org/name> ?name } ORDER BY ?name"
    from_stdin = kg("query", "--facts", facts, "-", "--format", "tsv", input=text)
    (tmp_path / "q.rq").write_text(text)
    from_file = kg("query", "--facts", facts, tmp_path / "q.rq", "--format", "tsv")
    assert from_stdin.stdout == from_file.stdout == '?name\n"Acme Face"\n"Beta Plates"\n'


def test_table_and_ask(kg, facts):
    table = kg("query", "--facts", facts, "--named", "contracts-by-vendor", "--param", "vendor=acme")
    assert "contract/police-a-acme-2020" in table.stdout and table.stdout.rstrip().endswith("(3 rows)")
    ask = kg("query", "--facts", facts, "ASK { ?s a <https://w3id.org/surveillance-kg/ontology#Ban> }")
    assert ask.stdout == "true\n"
    ask_json = kg("query", "--facts", facts, "ASK { ?s a <urn:nothing> }", "--format", "json")
    assert json.loads(ask_json.stdout) == {"head": {}, "boolean": False}


@pytest.mark.parametrize("fmt, rdflib_format", [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")])
def test_construct_as_rdf_parsed_by_rdflib(kg, facts, fmt, rdflib_format):
    query = f"DESCRIBE <{BASE}vendor/acme>"
    result = kg("query", "--facts", facts, query, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    graph = rdflib.Graph().parse(data=result.stdout, format=rdflib_format)
    assert (rdflib.URIRef(BASE + "vendor/acme"), rdflib.URIRef("https://schema.org/name"), rdflib.Literal("Acme Face")) in graph


def test_format_must_fit_the_query_form(kg, facts):
    result = kg("query", "--facts", facts, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--format", "turtle")
    assert result.exit_code == 1 and "SELECT and ASK results are tables" in result.stderr
    result = kg("query", "--facts", facts, "CONSTRUCT WHERE { ?s ?p ?o }", "--format", "csv")
    assert result.exit_code == 1 and "CONSTRUCT and DESCRIBE results are graphs" in result.stderr


def test_contracts_after_ban(kg, facts):
    found = rows(kg, facts, "--named", "contracts-after-ban")
    # City A's ban (2019-06) covers its police's 2020 contract; not the 2018 one, nor a federal contract.
    assert [(r["contract"], r["ban"]) for r in found] == [(BASE + "contract/police-a-acme-2020", BASE + "ban/city-a-ban")]


@pytest.mark.parametrize("date, expected", [
    ("2018-12-31", set()),
    ("2019-07-01", {"city-a-ban", "city-b-moratorium"}),  # state-y-ban took effect in 2019: not certainly by July
    ("2020-01-01", {"city-a-ban", "state-y-ban"}),  # the moratorium expired that day
    ("2020-08-01", {"city-a-ban"}),  # the state ban was repealed on 2020-07-01
])
def test_bans_in_force(kg, facts, date, expected):
    found = rows(kg, facts, "--named", "bans-in-force", "--param", f"date={date}")
    assert {r["ban"].rsplit("/", 1)[1] for r in found} == expected


def test_disputed_values_lists_each_value_with_its_source(kg, facts):
    found = rows(kg, facts, "--named", "disputed-values")
    assert {(r["property"].rsplit("#", 1)[1], r["value"], r["url"]) for r in found} == {
        ("amount", "224000", "https://news.example.org/story-1"), ("amount", "274000", "https://news.example.org/story-2"),
        ("signed", "2018-03", "https://news.example.org/story-1"), ("signed", "2018-04-02", "https://news.example.org/story-2")}


def test_sued_and_contracted_and_legal_actions(kg, facts):
    assert [r["vendor"] for r in rows(kg, facts, "--named", "sued-and-contracted")] == [BASE + "vendor/acme"]
    actions = rows(kg, facts, "--named", "legal-actions-against", "--param", "vendor=acme")
    assert [(a["authorityName"], a["penalty"], a["currency"], a["plaintiffs"]) for a in actions] == [
        ("Data Regulator", "1000000", "EUR", "A Privacy Group")]


def test_vendors_of_agency_include_its_components(kg, facts):
    found = rows(kg, facts, "--named", "vendors-of-agency", "--param", "agency=federal-bureau")
    assert [(r["vendorName"], r["through"]) for r in found] == [("Acme Face", "Federal Office")]


def test_sources_of_a_record(kg, facts):
    found = rows(kg, facts, "--named", "sources-of", "--param", "record=federal-office-acme-2018")
    assert [(r["url"], r["quote"]) for r in found] == [
        ("https://news.example.org/story-1", "$224,000, signed in March 2018"),
        ("https://news.example.org/story-2", "$274,000, signed April 2, 2018")]


def test_at_least_12_named_queries_each_documented():
    queries = named_queries()
    assert len(queries) >= 12
    required = {"contracts-by-vendor", "vendors-of-agency", "bans-in-force", "contracts-after-ban", "legal-actions-against",
                "sued-and-contracted", "disputed-values", "sources-of"}
    assert required <= set(queries)
    for q in queries.values():
        assert q.description, q.name
        for p in q.params:
            assert f"?{p.name}" in q.text, (q.name, p.name)


SAMPLE_PARAMS = {"vendor": "acme", "agency": "federal-bureau", "date": "2020-01-01", "record": "acme",
                 "source": "s1", "technology": "face-recognition", "text": "acme"}


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_runs(kg, analytics_store, name):
    params = [f"{p.name}={SAMPLE_PARAMS[p.name]}" for p in named_queries()[name].params]
    result = kg("query", "--facts", ANALYTICS, "--store", analytics_store, "--named", name,
                *[a for p in params for a in ("--param", p)], "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["results"]["bindings"], f"{name} found nothing in the fixture world"


def test_queries_lists_names_and_params(kg):
    result = kg("queries")
    assert "contracts-by-vendor" in result.stdout and "--param vendor=<vendor>" in result.stdout
    listed = json.loads(kg("queries", "--json").stdout)
    assert {q["name"] for q in listed} == set(named_queries())


def test_corporate_ties_include_renames(kg, facts):
    ties = rows(kg, facts, "--named", "corporate-ties", "--param", "vendor=acme")
    assert sorted((t["type"], t.get("objectName"), t.get("formerName")) for t in ties) == [
        ("acquisition", "Beta Plates", None), ("rename", None, "Acme Vision")]
