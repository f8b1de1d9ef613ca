"""The release files: every export format, written sorted and atomically, so builds are byte-identical.

Each format renders a Release (the validated records and the store built from
them) to bytes; void.ttl is rendered last, as it describes the others.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pyoxigraph import RdfFormat, Store, parse, serialize

from kg import ftm, jsonld, tables, void
from kg.models import KINDS, Source
from kg.rdf import PREFIXES
from kg.records import Loaded


@dataclass
class Release:
    records: list[Loaded]
    store: Store
    base: str
    issued: str  # release date: from the facts, or given


@dataclass
class Format:
    file: str
    media_type: str
    render: Callable[[Release], bytes]


def release_date(records: list[Loaded]) -> str:
    """The latest date a source was published or read: the same facts always give the same date."""
    dates = [d for r in records if isinstance(r.record, Source) for d in (r.record.retrieved, r.record.published) if d]
    latest = max(dates, default="1970")
    return (latest + "-01-01")[:10] if len(latest) == 4 else (latest + "-01")[:10]


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


# Sorting: the store's formats are written natively, then their lines are sorted as bytes (N-Triples and
# N-Quads are one statement per line); Turtle and TriG are written from the sorted statements.

def _sorted_lines(data: bytes) -> bytes:
    return b"".join(line + b"\n" for line in sorted(set(data.splitlines())) if line)


def _ntriples(store: Store) -> bytes:
    union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    return _sorted_lines(union.serialize(format=RdfFormat.N_TRIPLES))


def _nquads(store: Store) -> bytes:
    return _sorted_lines(store.dump(format=RdfFormat.N_QUADS))


def _turtle(store: Store) -> bytes:
    triples = parse(_ntriples(store), format=RdfFormat.N_TRIPLES)
    return serialize(triples, format=RdfFormat.TURTLE, prefixes=PREFIXES)


def _trig(store: Store) -> bytes:
    quads = sorted(parse(_nquads(store), format=RdfFormat.N_QUADS), key=lambda q: q.graph_name.value)  # stable
    return serialize(quads, format=RdfFormat.TRIG, prefixes=PREFIXES)


def _context(_: Release) -> bytes:
    return jsonld.context_file().encode()


FORMATS: dict[str, Format] = {
    "turtle": Format("graph.ttl", "text/turtle", lambda rel: _turtle(rel.store)),
    "ntriples": Format("graph.nt", "application/n-triples", lambda rel: _ntriples(rel.store)),
    "nquads": Format("graph.nq", "application/n-quads", lambda rel: _nquads(rel.store)),
    "trig": Format("graph.trig", "application/trig", lambda rel: _trig(rel.store)),
    "jsonld": Format("graph.jsonld", "application/ld+json", lambda rel: jsonld.document(rel.store)),
    "context": Format("context.jsonld", "application/ld+json", _context),
    "ftm": Format("entities.ftm.json", "application/json", lambda rel: ftm.lines(rel.records)),
}
FORMATS |= {f"csv:{kind}": Format(f"csv/{kind}.csv", "text/csv",
                                  lambda rel, kind=kind: tables.table(kind, rel.records, rel.base)) for kind in KINDS}
VOID_FILE = "void.ttl"  # rendered last: it describes the other files


def render_all(release: Release) -> dict[str, bytes]:
    """File name -> content of the whole release, void.ttl included."""
    files = {f.file: (f.media_type, f.render(release)) for f in FORMATS.values()}
    out = {name: content for name, (_, content) in files.items()}
    out[VOID_FILE] = void.describe(release.store, files, release.base, release.issued)
    return out


def write_release(release: Release, out: Path) -> list[Path]:
    """Render everything first, then write each file atomically: a failure writes nothing half-done."""
    rendered = render_all(release)
    for name, content in rendered.items():
        write_atomic(out / name, content)
    return [out / name for name in rendered]
