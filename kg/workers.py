"""Queries run in worker processes, so a time limit really stops the work.

Oxigraph cannot interrupt a running query, so each worker process holds the
store open read-only and runs one query at a time; when a query outlives its
time limit the worker is killed and replaced. Workers answer with the
serialized result: bytes, a media type, and whether rows were cut at the cap.
"""

from __future__ import annotations

import multiprocessing
import queue
from dataclasses import dataclass

from pyoxigraph import QueryBoolean, QuerySolutions, RdfFormat, Store, serialize

from kg import sparql_results

GRAPH_TYPES = {"text/turtle": RdfFormat.TURTLE, "application/n-triples": RdfFormat.N_TRIPLES,
               "application/ld+json": RdfFormat.JSON_LD, "application/rdf+xml": RdfFormat.RDF_XML}
TABLE_TYPES = {media: fmt for fmt, media in sparql_results.MEDIA_TYPES.items()}
# What a client asking for another table or graph type gets (e.g. a browser asking for text/html).
DEFAULT_TABLE, DEFAULT_GRAPH = "application/sparql-results+json", "text/turtle"


@dataclass
class Answer:
    status: int
    media_type: str
    body: bytes
    truncated: int = 0  # the row cap, when rows were cut


class QueryTimeout(Exception):
    pass


def negotiate(accept: list[tuple[str, float]], offered: list[str], default: str) -> str:
    """The offered media type the client prefers (Accept entries with quality), else the default."""
    best, best_q = default, 0.0
    for media, q in accept:
        for candidate in offered:
            if q > best_q and (media == candidate or media in ("*/*", candidate.split("/")[0] + "/*")):
                best, best_q = candidate, q
    return best


def answer(store: Store, text: str, accept: list[tuple[str, float]], max_rows: int) -> Answer:
    try:
        result = store.query(text, use_default_graph_as_union=True)
        if isinstance(result, QueryBoolean):
            media = negotiate(accept, list(TABLE_TYPES), DEFAULT_TABLE)
            return Answer(200, media, sparql_results.boolean(bool(result), TABLE_TYPES[media]))
        if isinstance(result, QuerySolutions):
            media = negotiate(accept, list(TABLE_TYPES), DEFAULT_TABLE)
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) == max_rows:
                    return Answer(200, media, sparql_results.solutions(variables, rows, TABLE_TYPES[media]), max_rows)
                rows.append([solution[v] for v in variables])
            return Answer(200, media, sparql_results.solutions(variables, rows, TABLE_TYPES[media]))
        media = negotiate(accept, list(GRAPH_TYPES), DEFAULT_GRAPH)
        triples = []
        for triple in result:
            if len(triples) == max_rows:
                return Answer(200, media, serialize(triples, format=GRAPH_TYPES[media]), max_rows)
            triples.append(triple)
        return Answer(200, media, serialize(triples, format=GRAPH_TYPES[media]))
    except SyntaxError as e:
        return Answer(400, "text/plain", f"malformed query: {e}\n".encode())
    except (RuntimeError, OSError, ValueError) as e:
        return Answer(500, "text/plain", f"query failed: {e}\n".encode())


def _serve(path: str, conn) -> None:
    store = Store.read_only(path)
    while True:
        try:
            request = conn.recv()
        except EOFError:  # the server is gone
            return
        conn.send(answer(store, *request))


class Worker:
    def __init__(self, path: str):
        context = multiprocessing.get_context("spawn")  # a clean process: the server's threads are not copied
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(path, child), daemon=True)
        self.process.start()

    def stop(self) -> None:
        self.process.kill()
        self.process.join()


class Pool:
    """A fixed number of workers; a request waits for a free one at most `timeout` seconds."""

    def __init__(self, path: str, size: int, timeout: float):
        self.path, self.timeout = path, timeout
        self.idle: queue.Queue[Worker] = queue.Queue()
        for _ in range(size):
            self.idle.put(Worker(path))

    def run(self, text: str, accept: list[tuple[str, float]], max_rows: int) -> Answer:
        try:
            worker = self.idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"every worker stayed busy for {self.timeout:g} s") from None
        try:
            worker.conn.send((text, accept, max_rows))
            if not worker.conn.poll(self.timeout):
                worker.stop()  # the only way to stop Oxigraph mid-query
                worker = Worker(self.path)
                raise QueryTimeout(f"the query was stopped after {self.timeout:g} s, the time limit")
            return worker.conn.recv()
        except (EOFError, OSError):  # the worker died: replace it
            worker.stop()
            worker = Worker(self.path)
            return Answer(500, "text/plain", b"query failed: the worker process died\n")
        finally:
            self.idle.put(worker)

    def close(self) -> None:
        while not self.idle.empty():
            self.idle.get().stop()
