"""The release files: every export format, sorted so builds are byte-identical, renamed into place together.

Each format writes a Release (the validated records and the store built from
them) to a file. The store is dumped and sorted once, for graph.nq; the formats
after it read the files rendered before them (N-Triples and TriG from graph.nq,
Turtle from graph.nt, JSON-LD from graph.trig). void.ttl is rendered last, as
it describes the others."""

from __future__ import annotations

import heapq
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import Quad, RdfFormat, Store, Triple, parse, serialize

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
    loaded: Path | None = None  # the quads the store was loaded with (kg.store.loaded_quads), to sort, not dump


# Writes one file of a release to `out`; `rendered` maps the files of the release written before it to their
# (temporary) paths, to derive from instead of rendering again.
Writer = Callable[[Release, BinaryIO, Mapping[str, Path]], None]


@dataclass
class Format:
    file: str
    media_type: str
    write: Writer

    def render(self, release: Release) -> bytes:
        """This file on its own (kg export): rendered without the files of a release before it."""
        out = io.BytesIO()
        self.write(release, out, {})
        return out.getvalue()


def release_date(records: list[Loaded]) -> str:
    """The latest date a source was published or read: the same facts always give the same date."""
    dates = [d for r in records if isinstance(r.record, Source) for d in (r.record.retrieved, r.record.published) if d]
    latest = max(dates, default="1970")
    return (latest + "-01-01")[:10] if len(latest) == 4 else (latest + "-01")[:10]


def _temporary(path: Path) -> tuple[Path, BinaryIO]:
    """A new file beside `path`, to be renamed onto it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.chmod(tmp, 0o644)
    return Path(tmp), os.fdopen(fd, "wb")


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: readers never see half a file."""
    tmp, out = _temporary(path)
    try:
        with out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# Sorting: N-Quads lines are sorted as bytes (one statement per line); N-Triples are the sorted distinct triples
# of those lines; Turtle is written from the sorted triples, TriG and JSON-LD from the sorted quads grouped by graph.

RUN = 200_000  # lines sorted in memory at a time: more are sorted in runs on disk, then merged


def _sorted(lines: Iterable[bytes]) -> Iterator[bytes]:
    """The lines sorted, no more than RUN of them held at a time (a million would take 250 MB)."""
    lines = iter(lines)
    with ExitStack() as files:
        runs = []
        while run := sorted(islice(lines, RUN)):
            file = files.enter_context(tempfile.TemporaryFile())
            file.writelines(run)
            file.seek(0)
            runs.append(file)
        yield from heapq.merge(*runs)


def _quad_lines(release: Release, rendered: Mapping[str, Path]) -> Iterator[bytes]:
    """graph.nq's lines: read back once rendered, else the store's quads sorted, each once."""
    if "graph.nq" in rendered:
        with open(rendered["graph.nq"], "rb") as nquads:
            yield from nquads
    else:
        yield from _distinct(_sorted(_store_lines(release)))  # loaded twice, a quad is stored once


def _store_lines(release: Release) -> Iterator[bytes]:
    """The store's quads as N-Quads lines, unsorted: those it was loaded with, else a dump of it."""
    if release.loaded:
        with open(release.loaded, "rb") as lines:
            yield from lines
        return
    with tempfile.TemporaryFile() as dump:
        release.store.dump(dump, format=RdfFormat.N_QUADS)
        dump.seek(0)
        yield from dump


def _distinct(lines: Iterable[bytes]) -> Iterator[bytes]:
    """Sorted lines, each once."""
    previous = None
    for line in lines:
        if line != previous:
            yield line
        previous = line


def _triple(quad_line: bytes) -> bytes:
    # Every statement is in its record's named graph (kg.rdf.record_quads), an IRI, which has no space in it.
    return quad_line.rsplit(b" ", 2)[0] + b" .\n"


def _triple_lines(release: Release, rendered: Mapping[str, Path]) -> Iterator[bytes]:
    """graph.nt's lines, from graph.nq's a line at a time: sorted quads give their triples sorted (where two
    lines first differ, a term that ends there is followed by a space, which sorts first), and a triple in
    several graphs on adjacent lines."""
    return _distinct(map(_triple, _quad_lines(release, rendered)))


def _triples(release: Release, rendered: Mapping[str, Path]) -> Iterator[Triple]:
    if "graph.nt" in rendered:
        return parse(path=str(rendered["graph.nt"]), format=RdfFormat.N_TRIPLES)
    return parse(b"".join(_triple_lines(release, rendered)), format=RdfFormat.N_TRIPLES)


def _nquads(release: Release, out: BinaryIO, rendered: Mapping[str, Path]) -> None:
    out.writelines(_quad_lines(release, rendered))


def _ntriples(release: Release, out: BinaryIO, rendered: Mapping[str, Path]) -> None:
    out.writelines(_triple_lines(release, rendered))


def _turtle(release: Release, out: BinaryIO, rendered: Mapping[str, Path]) -> None:
    serialize(_triples(release, rendered), out, format=RdfFormat.TURTLE, prefixes=PREFIXES)


def _graph_name(quad_line: bytes) -> bytes:
    return quad_line.rsplit(b" ", 2)[1][1:-1]  # the IRI inside <>: sorts as the graph name's string


def _quads_by_graph(release: Release, rendered: Mapping[str, Path]) -> Iterator[Quad]:
    """The sorted quads grouped by graph, each graph's still sorted."""
    if "graph.trig" in rendered:
        return parse(path=str(rendered["graph.trig"]), format=RdfFormat.TRIG)
    grouped = tempfile.TemporaryFile()  # closed and gone when the parser is done with it
    # graph by graph, in the order of their names, each graph's lines still sorted: each line is sorted behind
    # its graph's name and a space, which sorts before any character of an IRI (a third less time than a key)
    keyed = _sorted(_graph_name(line) + b" " + line for line in _quad_lines(release, rendered))
    grouped.writelines(line.partition(b" ")[2] for line in keyed)
    grouped.seek(0)
    return parse(grouped, format=RdfFormat.N_QUADS)


def _trig(release: Release, out: BinaryIO, rendered: Mapping[str, Path]) -> None:
    serialize(_quads_by_graph(release, rendered), out, format=RdfFormat.TRIG, prefixes=PREFIXES)


def _jsonld(release: Release, out: BinaryIO, rendered: Mapping[str, Path]) -> None:
    jsonld.write(jsonld.nodes(_quads_by_graph(release, rendered)), out)


def _bytes(render: Callable[[Release], bytes]) -> Writer:
    """The writer of a small file, rendered whole."""
    return lambda release, out, _: out.write(render(release))


FORMATS: dict[str, Format] = {  # in the order they are rendered: a format may read those before it
    "nquads": Format("graph.nq", "application/n-quads", _nquads),
    "ntriples": Format("graph.nt", "application/n-triples", _ntriples),
    "turtle": Format("graph.ttl", "text/turtle", _turtle),
    "trig": Format("graph.trig", "application/trig", _trig),
    "jsonld": Format("graph.jsonld", "application/ld+json", _jsonld),
    "context": Format("context.jsonld", "application/ld+json", _bytes(lambda _: jsonld.context_file().encode())),
    "ftm": Format("entities.ftm.json", "application/json", _bytes(lambda rel: ftm.lines(rel.records))),
}
FORMATS |= {f"csv:{kind}": Format(f"csv/{kind}.csv", "text/csv",
                                  _bytes(lambda rel, kind=kind: tables.table(kind, rel.records, rel.base)))
            for kind in KINDS}
VOID_FILE = "void.ttl"  # rendered last: it describes the other files


def write_release(release: Release, out: Path, ready: Callable[[str, Path], object] = lambda name, path: None) -> list[Path]:
    """Write each file to a temporary path beside its target as it is rendered, and when all are rendered rename
    them into place: a failure leaves the previous release as it was, and no temporary file. `ready` is told of
    each file written: its name and temporary path."""
    temporary: list[Path] = []
    rendered: dict[str, Path] = {}

    def stage(name: str, write: Callable[[BinaryIO], object]) -> None:
        tmp, file = _temporary(out / name)
        temporary.append(tmp)
        with file:
            write(file)
        rendered[name] = tmp
        ready(name, tmp)

    try:
        for fmt in FORMATS.values():
            stage(fmt.file, lambda file: fmt.write(release, file, rendered))
        described = {fmt.file: (fmt.media_type, rendered[fmt.file]) for fmt in FORMATS.values()}
        stage(VOID_FILE, lambda file: file.write(void.describe(release.store, described, release.base, release.issued)))
        for name, tmp in rendered.items():
            os.replace(tmp, out / name)
    except BaseException:
        for tmp in temporary:
            tmp.unlink(missing_ok=True)
        raise
    return [out / name for name in rendered]


def render_void(release: Release) -> bytes:
    """void.ttl on its own: it describes the other files, so the whole release is rendered (to a scratch directory)."""
    with tempfile.TemporaryDirectory() as scratch:
        write_release(release, Path(scratch))
        return (Path(scratch) / VOID_FILE).read_bytes()
