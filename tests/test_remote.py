"""`kg push` and `kg query --endpoint` against a real `oxigraph serve`, compared with the embedded store."""

import base64
import json
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import requests
from test_query import SAMPLE_PARAMS

from kg.query import named_queries
from kg.remote import Endpoint


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def oxigraph(tmp_path):
    binary = shutil.which("oxigraph")
    if not binary:
        pytest.fail("the `oxigraph` server (PyPI package oxigraph, in the test extra) is not installed")
    port = free_port()
    process = subprocess.Popen([binary, "serve", "--location", str(tmp_path / "oxigraph"), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(url + "/query", params={"query": "ASK {}"}, timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=20)


def push(kg, facts, url):
    result = kg("push", "--facts", facts, "--endpoint", url + "/query", "--graph-store", url + "/store")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def answers(kg, facts, *args, endpoint=None):
    extra = ["--endpoint", endpoint] if endpoint else []
    result = kg("query", "--facts", facts, *args, "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    return sorted(json.dumps(b, sort_keys=True) for b in data["results"]["bindings"])


ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def test_push_then_every_named_query_agrees_with_the_embedded_store(kg, facts, oxigraph):
    assert push(kg, facts, oxigraph) == "pushed 25 record graphs; deleted 0 graphs an earlier push left\n"
    assert answers(kg, facts, ALL_QUADS, endpoint=oxigraph + "/query") == answers(kg, facts, ALL_QUADS)
    for name, query in named_queries().items():
        params = [a for p in query.params for a in ("--param", f"{p.name}={SAMPLE_PARAMS[p.name]}")]
        local = answers(kg, facts, "--named", name, *params)
        assert answers(kg, facts, "--named", name, *params, endpoint=oxigraph + "/query") == local, name


def test_push_again_replaces_what_the_earlier_push_wrote(kg, facts, oxigraph):
    push(kg, facts, oxigraph)
    (facts / "deployment" / "police-a-uses-beta.yaml").unlink()
    beta = facts / "vendor" / "beta.yaml"
    beta.write_text(beta.read_text().replace("Beta Plates", "Beta Readers"))
    assert push(kg, facts, oxigraph) == "pushed 24 record graphs; deleted 1 graphs an earlier push left\n"
    remote = Endpoint(oxigraph + "/query")
    assert not remote.exists(remote_iri("deployment/police-a-uses-beta"))
    assert answers(kg, facts, ALL_QUADS, endpoint=oxigraph + "/query") == answers(kg, facts, ALL_QUADS)


def remote_iri(path):
    from pyoxigraph import NamedNode
    return NamedNode("https://w3id.org/surveillance-kg/id/" + path)


def test_remote_syntax_error_and_unreachable_endpoint(kg, facts, oxigraph):
    result = kg("query", "--facts", facts, "SELECT ?s WHERE { ?s ?p }", "--endpoint", oxigraph + "/query")
    assert result.exit_code == 2 and "the endpoint rejected the query" in result.stderr
    result = kg("query", "--facts", facts, "ASK {}", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert result.exit_code == 1 and "cannot reach" in result.stderr


def test_basic_auth_from_the_environment(monkeypatch):
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(self.headers.get("Authorization"))
            body = b'{"head": {}, "boolean": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("KG_ENDPOINT_USER", "alice")
        monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "s3cret")
        assert bool(Endpoint(f"http://127.0.0.1:{httpd.server_port}/sparql").query("ASK {}"))
    finally:
        httpd.shutdown()
    assert seen == ["Basic " + base64.b64encode(b"alice:s3cret").decode()]
