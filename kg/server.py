"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint, linked-data record pages, the query page and the site.

Routes:
    /                 the query page
    /sparql           SPARQL 1.1 Protocol: GET ?query=, POST form, POST application/sparql-query
    /queries.json     the named queries, for the query page's examples
    /id/<kind>/<id>   a record: its HTML page or its triples, by the Accept header
    /site/...         the static site, when built
Every response allows any origin (CORS). Writes answer 4xx; the store is opened read-only.
"""

from __future__ import annotations

import html
import json
import re
import signal
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import waitress
from pyoxigraph import NamedNode, RdfFormat, parse
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.utils import redirect, safe_join
from werkzeug.wrappers import Request, Response

from kg.models import ID_PATTERN, KINDS
from kg.query import named_queries
from kg.workers import GRAPH_TYPES, Answer, Pool, QueryTimeout, negotiate

READ_METHODS = ("GET", "HEAD", "POST", "OPTIONS")
CORS = {"Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Accept",
        "Access-Control-Expose-Headers": "Content-Type, X-Result-Truncated"}
FORMAT_PARAM = {"turtle": "text/turtle", "jsonld": "application/ld+json", "ntriples": "application/n-triples"}
RECORD_PATH = re.compile(rf"/id/({'|'.join(KINDS)})/({ID_PATTERN[1:-1].replace('(', '(?:')})")


@dataclass
class Settings:
    base: str
    max_rows: int = 10_000
    max_request_bytes: int = 1_000_000
    site: Path | None = None


def _text(status: int, message: str) -> Response:
    return Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain")


def _from_answer(answer: Answer) -> Response:
    response = Response(answer.body, status=answer.status, content_type=answer.media_type)
    if answer.truncated:
        response.headers["X-Result-Truncated"] = str(answer.truncated)
    return response


class App:
    def __init__(self, pool: Pool, settings: Settings):
        self.pool, self.settings = pool, settings

    def __call__(self, environ, start_response):
        request = Request(environ)
        request.max_content_length = self.settings.max_request_bytes
        request.max_form_memory_size = self.settings.max_request_bytes
        try:
            response = self.route(request)
        except RequestEntityTooLarge:
            response = _text(413, f"request too large: the limit is {self.settings.max_request_bytes} bytes")
        except HTTPException as e:
            response = _text(e.code or 400, e.description or e.name)
        except QueryTimeout as e:
            response = _text(503, str(e))
        response.headers.update(CORS)
        return response(environ, start_response)

    def route(self, request: Request) -> Response:
        if request.method not in READ_METHODS:
            response = _text(405, f"this endpoint is read-only: {request.method} is not allowed")
            response.headers["Allow"] = ", ".join(READ_METHODS)
            return response
        if request.method == "OPTIONS":
            return Response(status=204)
        if request.path == "/sparql":
            return self.sparql(request)
        if request.path == "/":
            return Response(resources.files("kg").joinpath("templates/query.html").read_bytes(), mimetype="text/html")
        if request.path == "/queries.json":
            queries = [{"name": q.name, "description": q.description, "query": q.text,
                        "params": [p.name for p in q.params]} for q in named_queries().values()]
            return Response(json.dumps({"base": self.settings.base, "queries": queries}), mimetype="application/json")
        if match := RECORD_PATH.fullmatch(request.path):
            return self.record(request, *match.groups())
        if request.path == "/site" and self.settings.site:
            return redirect("/site/", code=301)
        if request.path.startswith("/site/") and self.settings.site:
            return self.static(request.path.removeprefix("/site/"))
        return _text(404, f"nothing at {request.path}")

    def sparql(self, request: Request) -> Response:
        if len(request.query_string) > self.settings.max_request_bytes:
            raise RequestEntityTooLarge()
        content_type = request.mimetype
        if "update" in request.args or "update" in request.form or content_type == "application/sparql-update":
            return _text(403, "this endpoint is read-only: SPARQL Update is not allowed")
        if request.method == "POST" and content_type == "application/sparql-query":
            text = request.get_data(as_text=True)
        elif request.method == "POST":
            text = request.form.get("query")
        else:
            text = request.args.get("query")
        if not text:
            return _text(400, "no query: send ?query=, a form field `query`, or an application/sparql-query body")
        return _from_answer(self.pool.run(text, list(request.accept_mimetypes), self.settings.max_rows))

    def record(self, request: Request, kind: str, rid: str) -> Response:
        iri = f"{self.settings.base}{kind}/{rid}"
        media = FORMAT_PARAM.get(request.args.get("format", "")) or negotiate(
            list(request.accept_mimetypes), ["text/html", *GRAPH_TYPES], "text/html")
        # The IRI is built from a path that matched the id pattern, so it holds no characters that need escaping.
        triples = self.pool.run(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}",
                                [(media if media != "text/html" else "application/n-triples", 1.0)], self.settings.max_rows)
        if triples.status != 200 or not triples.body.strip():
            return _text(404, f"no record {kind}/{rid}")
        if media != "text/html":
            return _from_answer(triples)
        page = self.settings.site and safe_join(str(self.settings.site), kind, f"{rid}.html")
        if page and Path(page).is_file():  # the site's page, at its own path so its relative links resolve
            return redirect(f"/site/{kind}/{rid}.html", code=303)
        return Response(_record_page(iri, triples.body.decode(), self.settings.base), mimetype="text/html")

    def static(self, path: str) -> Response:
        target = safe_join(str(self.settings.site), path)
        if target and Path(target).is_dir():
            if path and not path.endswith("/"):  # so the index's relative links resolve
                return redirect(f"/site/{path}/", code=301)
            target = str(Path(target) / "index.html")
        if not target or not Path(target).is_file():
            return _text(404, f"nothing at /site/{path}")
        mimetype = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".json": "application/json",
                    ".ttl": "text/turtle", ".jsonld": "application/ld+json"}.get(Path(target).suffix, "application/octet-stream")
        return Response(Path(target).read_bytes(), mimetype=mimetype)


def _record_page(iri: str, ntriples: str, base: str) -> str:
    """A plain page of a record's statements, every value escaped, for when no static site is built."""

    def show(term) -> str:
        if isinstance(term, NamedNode) and term.value.startswith(base):
            return f'<a href="/id/{html.escape(term.value[len(base):])}">{html.escape(term.value[len(base):])}</a>'
        return html.escape(term.value)

    triples = sorted(parse(ntriples, format=RdfFormat.N_TRIPLES), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    rows = "".join(f"<tr><td>{show(t.subject)}</td><td>{html.escape(t.predicate.value)}</td><td>{show(t.object)}</td></tr>"
                   for t in triples)
    links = " ".join(f'<a href="?format={f}">{f}</a>' for f in FORMAT_PARAM)
    return (f"<!doctype html><html lang=en><meta charset=utf-8><title>{html.escape(iri)}</title>"
            f"<h1>{html.escape(iri)}</h1><p>This record's triples as {links}.</p>"
            f"<table>{rows}</table></html>")


def _interrupt(*_) -> None:
    raise KeyboardInterrupt


def serve(store_path: Path, settings: Settings, host: str, port: int, workers: int, timeout: float, announce) -> None:
    """Run until interrupted (Ctrl-C or SIGTERM); `announce` gets the base URL once listening."""
    pool = Pool(str(store_path), workers, timeout)
    http = waitress.create_server(App(pool, settings), host=host, port=port, threads=max(8, 4 * workers),
                                  max_request_body_size=settings.max_request_bytes, ident="kg")
    signal.signal(signal.SIGTERM, _interrupt)  # as Ctrl-C: ends the loop even with keep-alive connections open
    announce(f"http://{host}:{http.effective_port}/")
    try:
        http.run()
    except (KeyboardInterrupt, OSError):
        pass
    finally:
        pool.close()
