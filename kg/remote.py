"""Any SPARQL 1.1 store over HTTP: run queries (Protocol) and push the dataset (Graph Store Protocol).

Credentials for basic auth come from KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD.
"""

from __future__ import annotations

import os
from collections import defaultdict

import requests
from pyoxigraph import (
    NamedNode,
    QueryResultsFormat,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from kg.query import QueryError

ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
RESULT_FORMATS = {"application/sparql-results+json": QueryResultsFormat.JSON,
                  "application/sparql-results+xml": QueryResultsFormat.XML}
GRAPH_FORMATS = {"application/n-triples": RdfFormat.N_TRIPLES, "text/turtle": RdfFormat.TURTLE}


class Endpoint:
    def __init__(self, url: str, graph_store: str | None = None, timeout: float = 300):
        self.url, self.graph_store, self.timeout = url, graph_store or url, timeout
        self.session = requests.Session()
        user = os.environ.get("KG_ENDPOINT_USER")
        if user:
            self.session.auth = (user, os.environ.get("KG_ENDPOINT_PASSWORD", ""))

    def _send(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as e:
            raise QueryError(f"cannot reach {url}: {e}") from None
        if response.status_code == 400:
            raise QueryError(f"the endpoint rejected the query: {response.text.strip()}", exit_code=2)
        if not response.ok:
            raise QueryError(f"{method} {url} answered {response.status_code}: {response.text.strip()[:500]}")
        return response

    def query(self, text: str):
        """The result, in the same types as a local query: solutions, a boolean, or a list of triples."""
        response = self._send("POST", self.url, data={"query": text}, headers={"Accept": ACCEPT})
        media = response.headers.get("Content-Type", "").split(";")[0].strip()
        if media in RESULT_FORMATS:
            return parse_query_results(response.content, format=RESULT_FORMATS[media])
        if media in GRAPH_FORMATS:
            return list(parse(response.content, format=GRAPH_FORMATS[media]))
        raise QueryError(f"the endpoint answered with {media or 'no media type'}, which kg does not read")

    def exists(self, graph: NamedNode) -> bool:
        return bool(self.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}"))

    def graphs_under(self, base: str) -> set[str]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "
                          f'"{base}")) }}')
        return {row["g"].value for row in rows}

    def push(self, store: Store, base: str) -> tuple[int, int]:
        """Replace every record graph with ours (PUT), and delete record graphs an earlier push left (DELETE)."""
        graphs: dict[str, list[Triple]] = defaultdict(list)
        for quad in store:
            graphs[quad.graph_name.value].append(Triple(quad.subject, quad.predicate, quad.object))
        stale = self.graphs_under(base) - graphs.keys()
        for graph, triples in sorted(graphs.items()):
            body = serialize(sorted(triples, key=str), format=RdfFormat.N_TRIPLES)
            self._send("PUT", self.graph_store, params={"graph": graph}, data=body,
                       headers={"Content-Type": "application/n-triples"})
        for graph in sorted(stale):
            self._send("DELETE", self.graph_store, params={"graph": graph})
        return len(graphs), len(stale)
