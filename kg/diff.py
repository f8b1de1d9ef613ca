"""Compare two builds: the records added, removed and changed, with the fields that changed.

A build is a directory holding graph.nq, or an RDF file. In N-Quads and TriG a
record is a named graph; in a triples-only file, a record is its subject and
the #fragments under it (citations, amounts, claims).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pyoxigraph import DefaultGraph, RdfFormat, parse

from kg.rdf import fields_by_predicate

FORMATS = {".nq": RdfFormat.N_QUADS, ".trig": RdfFormat.TRIG, ".nt": RdfFormat.N_TRIPLES, ".ttl": RdfFormat.TURTLE}
# Properties of a record's parts, reported as the field that holds the part.
PART_FIELDS = {"source": "sources"}


def load(path: Path) -> dict[str, set[tuple]]:
    """Record IRI -> its (subject, predicate, object) triples, as strings."""
    if path.is_dir():
        path = path / "graph.nq"
        if not path.is_file():
            raise ValueError(f"{path.parent}: no graph.nq here; give a build directory or an RDF file")
    fmt = FORMATS.get(path.suffix)
    if fmt is None:
        raise ValueError(f"{path}: not an RDF file (use a build directory, or a .nq, .trig, .nt or .ttl file)")
    records: dict[str, set[tuple]] = defaultdict(set)
    for quad in parse(path=str(path), format=fmt):
        subject = quad.subject.value
        record = subject.split("#")[0] if isinstance(quad.graph_name, DefaultGraph) else quad.graph_name.value
        records[record].add((subject, quad.predicate.value, str(quad.object)))
    return records


def _field(record: str, subject: str, predicate: str, fields: dict[str, str]) -> str:
    if subject != record:  # a part: #source-<id>, #amounts-1, #signed-2
        name = subject.split("#", 1)[1].split("-", 1)[0]
        return PART_FIELDS.get(name, name)
    return fields.get(predicate, predicate)


def diff(old: Path, new: Path) -> dict:
    before, after = load(old), load(new)
    fields = fields_by_predicate()
    changed = []
    for record in sorted(before.keys() & after.keys()):
        delta = before[record] ^ after[record]
        if delta:
            changed.append({"record": record, "fields": sorted({_field(record, s, p, fields) for s, p, _ in delta})})
    return {"added": sorted(after.keys() - before.keys()), "removed": sorted(before.keys() - after.keys()),
            "changed": changed}


def as_text(result: dict) -> str:
    lines = []
    for key in ("added", "removed"):
        lines.append(f"{key} ({len(result[key])}):")
        lines += [f"  {record}" for record in result[key]]
    lines.append(f"changed ({len(result['changed'])}):")
    lines += [f"  {c['record']}: {', '.join(c['fields'])}" for c in result["changed"]]
    return "\n".join(lines) + "\n"
