"""The release files: every export format, written sorted and atomically, so builds are byte-identical.

Each format renders a Release (the validated records and the store built from
them) to bytes; void.ttl is rendered last, as it describes the others.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pyoxigraph import Quad, RdfFormat, Store, Triple, serialize

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


def _key(term) -> str:
    return str(term)


def _triples(store: Store) -> list[Triple]:
    return sorted({Triple(q.subject, q.predicate, q.object) for q in store},
                  key=lambda t: (_key(t.subject), _key(t.predicate), _key(t.object)))


def _quads(store: Store) -> list[Quad]:
    return sorted(store, key=lambda q: (_key(q.graph_name), _key(q.subject), _key(q.predicate), _key(q.object)))


def _rdf(fmt: RdfFormat, datasets: bool) -> Callable[[Release], bytes]:
    prefixes = PREFIXES if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG) else None
    return lambda rel: serialize(_quads(rel.store) if datasets else _triples(rel.store), format=fmt, prefixes=prefixes)


def _context(_: Release) -> bytes:
    return (json.dumps(jsonld.context(), indent=2) + "\n").encode()


FORMATS: dict[str, Format] = {
    "turtle": Format("graph.ttl", "text/turtle", _rdf(RdfFormat.TURTLE, False)),
    "ntriples": Format("graph.nt", "application/n-triples", _rdf(RdfFormat.N_TRIPLES, False)),
    "nquads": Format("graph.nq", "application/n-quads", _rdf(RdfFormat.N_QUADS, True)),
    "trig": Format("graph.trig", "application/trig", _rdf(RdfFormat.TRIG, True)),
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
