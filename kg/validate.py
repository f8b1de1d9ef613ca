"""Load every record under a facts directory and check it, or raise with every problem found."""

from __future__ import annotations

from pathlib import Path

from kg import shapes
from kg.checks import check
from kg.rdf import DEFAULT_BASE, dataset_quads
from kg.records import InvalidRecords, Loaded, load_dir


def validate(facts: Path, shacl: bool = False) -> list[Loaded]:
    """The records, or InvalidRecords with every problem. `shacl` also runs the SHACL shapes over their RDF."""
    records, problems = load_dir(facts)
    problems += check(records)
    if not problems and shacl:
        problems = shapes.check(dataset_quads(records, DEFAULT_BASE), records, shapes.shapes())
    if problems:
        raise InvalidRecords(problems)
    return records
