"""Write the store as files: sorted, so two builds from the same facts are byte-identical."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pyoxigraph import RdfFormat, Store, Triple, serialize

from kg.rdf import PREFIXES


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def _key(term) -> str:
    return str(term)


def nquads(store: Store) -> bytes:
    quads = sorted(store, key=lambda q: (_key(q.graph_name), _key(q.subject), _key(q.predicate), _key(q.object)))
    return serialize(quads, format=RdfFormat.N_QUADS)


def turtle(store: Store) -> bytes:
    triples = sorted({Triple(q.subject, q.predicate, q.object) for q in store},
                     key=lambda t: (_key(t.subject), _key(t.predicate), _key(t.object)))
    return serialize(triples, format=RdfFormat.TURTLE, prefixes=PREFIXES)


EXPORTS = {"graph.ttl": turtle, "graph.nq": nquads}


def write_exports(store: Store, out: Path) -> list[Path]:
    written = []
    for name, render in EXPORTS.items():
        write_atomic(out / name, render(store))
        written.append(out / name)
    return written
