"""`kg serve` as a real process, queried by real HTTP clients (requests, SPARQLWrapper)."""

import csv
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph
import pytest
import requests
from conftest import ROOT
from SPARQLWrapper import JSON, SPARQLWrapper

BASE = "https://w3id.org/surveillance-kg/id/"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def start(tmp_path: Path, facts: Path, *options: str) -> tuple[subprocess.Popen, str]:
    """Start `kg serve` on a free loopback port; return the process and its URL."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", "from kg.cli import main; main()", "serve", "--port", "0", "--facts", str(facts),
         "--store", str(tmp_path / "store"), *options], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()
    assert line.startswith("serving http://127.0.0.1:"), line
    # Keep reading what it logs, so that a full pipe never blocks the server.
    threading.Thread(target=process.stderr.read, daemon=True).start()
    return process, line.split()[1]


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=20)


def children(pid: int) -> set[int]:
    return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    process, url = start(tmp, ROOT / "tests" / "fixtures" / "facts", "--timeout", "3", "--max-rows", "50",
                         "--max-request-bytes", "20000", "--workers", "2")
    yield url, process
    stop(process)


def rows(response) -> list[dict]:
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def count(url: str) -> int:
    return int(rows(requests.get(url + "sparql", params={"query": COUNT}))[0]["n"])


def test_get_post_form_and_post_query_agree(server):
    url, _ = server
    by_get = requests.get(url + "sparql", params={"query": COUNT})
    by_form = requests.post(url + "sparql", data={"query": COUNT})
    by_body = requests.post(url + "sparql", data=COUNT, headers={"Content-Type": "application/sparql-query"})
    assert by_get.headers["Content-Type"] == "application/sparql-results+json"
    assert rows(by_get) == rows(by_form) == rows(by_body) == [{"n": "332"}]


@pytest.mark.parametrize("media, fmt", [
    ("application/sparql-results+json", pyoxigraph.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", pyoxigraph.QueryResultsFormat.XML),
    ("text/csv", None),  # lossy by design: Oxigraph will not parse it; the csv module does
    ("text/tab-separated-values", pyoxigraph.QueryResultsFormat.TSV)])
def test_select_results_by_content_negotiation(server, media, fmt):
    url, _ = server
    query = "SELECT ?v ?name WHERE { ?v a <https://w3id.org/surveillance-kg/ontology#Vendor> ; <https://schema.org/name> ?name } ORDER BY ?name"
    response = requests.get(url + "sparql", params={"query": query}, headers={"Accept": media})
    assert response.headers["Content-Type"].startswith(media)
    if fmt is None:
        found = [(r["v"], r["name"]) for r in csv.DictReader(io.StringIO(response.text))]
    else:
        found = [(s["v"].value, s["name"].value) for s in pyoxigraph.parse_query_results(response.content, format=fmt)]
    assert found == [(BASE + "vendor/acme", "Acme Face"), (BASE + "vendor/beta", "Beta Plates")]


@pytest.mark.parametrize("media, fmt", [
    ("text/turtle", pyoxigraph.RdfFormat.TURTLE), ("application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES),
    ("application/ld+json", pyoxigraph.RdfFormat.JSON_LD), ("application/rdf+xml", pyoxigraph.RdfFormat.RDF_XML)])
def test_construct_results_by_content_negotiation(server, media, fmt):
    url, _ = server
    response = requests.get(url + "sparql", params={"query": f"DESCRIBE <{BASE}vendor/acme>"}, headers={"Accept": media})
    assert response.headers["Content-Type"].startswith(media)
    names = {t.object.value for t in pyoxigraph.parse(response.content, format=fmt) if t.predicate.value == "https://schema.org/name"}
    assert names == {"Acme Face"}


def test_sparqlwrapper_client(server):
    url, _ = server
    client = SPARQLWrapper(url + "sparql")
    client.setQuery("ASK { ?s a <https://w3id.org/surveillance-kg/ontology#Ban> }")
    client.setReturnFormat(JSON)
    assert client.query().convert() == {"head": {}, "boolean": True}
    client.setQuery("SELECT ?b WHERE { ?b a <https://w3id.org/surveillance-kg/ontology#Ban> }")
    assert len(client.query().convert()["results"]["bindings"]) == 4


def test_cors(server):
    url, _ = server
    preflight = requests.options(url + "sparql", headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204 and preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert requests.get(url + "sparql", params={"query": COUNT}).headers["Access-Control-Allow-Origin"] == "*"


def test_read_only(server):
    url, _ = server
    before = count(url)
    update = "INSERT DATA { <urn:x> <urn:y> <urn:z> }"
    for response in [requests.post(url + "sparql", data={"update": update}),
                     requests.post(url + "sparql", data=update, headers={"Content-Type": "application/sparql-update"})]:
        assert response.status_code == 403 and "read-only" in response.text
    for method in ("PUT", "DELETE", "PATCH"):
        response = requests.request(method, url + "sparql", data="x")
        assert response.status_code == 405 and "read-only" in response.text
    assert requests.get(url + "sparql", params={"query": update}).status_code == 400
    assert count(url) == before


def test_malformed_query_answers_400_with_the_parser_message(server):
    url, _ = server
    response = requests.get(url + "sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert response.status_code == 400 and "error at 1:" in response.text


def test_oversized_request_answers_413(server):
    url, _ = server
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 30_000
    assert requests.post(url + "sparql", data={"query": big}).status_code == 413
    assert requests.post(url + "sparql", data=big, headers={"Content-Type": "application/sparql-query"}).status_code == 413


def test_row_cap_with_notice(server):
    url, _ = server
    response = requests.get(url + "sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(rows(response)) == 50 and response.headers["X-Result-Truncated"] == "50"
    assert "X-Result-Truncated" not in requests.get(url + "sparql", params={"query": COUNT}).headers


def test_time_limit_stops_the_query_and_the_endpoint_goes_on(server):
    url, process = server
    workers_before = children(process.pid)
    response = requests.get(url + "sparql", params={"query": SLOW})
    assert response.status_code == 503 and "time limit" in response.text
    workers_after = children(process.pid)
    assert len(workers_after) == 2 and workers_after != workers_before  # the runaway worker was killed and replaced
    assert count(url) == 332


def test_record_as_turtle_jsonld_and_html(server):
    url, _ = server
    turtle = requests.get(url + "id/vendor/acme", headers={"Accept": "text/turtle"})
    names = {t.object.value for t in pyoxigraph.parse(turtle.content, format=pyoxigraph.RdfFormat.TURTLE)
             if t.predicate.value == "https://schema.org/name"}
    assert names == {"Acme Face"}
    jsonld = requests.get(url + "id/vendor/acme", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["Content-Type"].startswith("application/ld+json")
    assert any(t.subject.value == BASE + "vendor/acme" for t in pyoxigraph.parse(jsonld.content, format=pyoxigraph.RdfFormat.JSON_LD))
    page = requests.get(url + "id/vendor/acme", headers={"Accept": "text/html"})
    assert page.headers["Content-Type"].startswith("text/html") and "Acme Face" in page.text
    assert requests.get(url + "id/vendor/nobody").status_code == 404


def test_record_pages_and_the_site(tmp_path):
    """With a built site, a browser asking for a record is sent to its site page, whose links resolve."""
    facts = ROOT / "tests" / "fixtures" / "facts"
    subprocess.run([sys.executable, "-c", "from kg.cli import main; main()", "build", "--facts", str(facts),
                    "--store", str(tmp_path / "store"), "--out", str(tmp_path / "exports")],
                   check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    process, url = start(tmp_path, facts, "--site", str(tmp_path / "exports" / "site"))
    try:
        page = requests.get(url + "id/vendor/acme", headers={"Accept": "text/html"})
        assert page.url == url + "site/vendor/acme.html" and page.history[0].status_code == 303
        assert "Acme Face" in page.text
        css = requests.get(url + "site/assets/site.css")
        assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
        index = requests.get(url + "site/vendor")
        assert index.url == url + "site/vendor/" and index.status_code == 200
        for escape in ("site/../../etc/passwd", "site/%2e%2e/%2e%2e/etc/passwd", "site/..%2f..%2fetc%2fpasswd"):
            assert requests.get(url + escape).status_code == 404, escape
    finally:
        stop(process)


def test_query_page_and_named_queries(server):
    url, _ = server
    page = requests.get(url)
    assert page.status_code == 200 and "<textarea" in page.text
    assert "src=\"http" not in page.text and "href=\"http" not in page.text.replace('href="https://www.w3.org/TR/sparql11-protocol/"', "")
    listed = requests.get(url + "queries.json").json()
    assert listed["base"] == BASE and "contracts-by-vendor" in {q["name"] for q in listed["queries"]}


def test_load_script_runs(tmp_path):
    """The load script (benchmarks/load.py) at a tiny size: zero errors."""
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "load.py"), "--clients", "4", "--queries", "3",
                             "--facts", str(ROOT / "tests" / "fixtures" / "facts")],
                            capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["requests"] == 12 and report["errors"] == 0
