"""Load every record under a facts directory and check it, or raise with every problem found."""

from __future__ import annotations

import gc
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from kg import shapes
from kg.cache import RecordCache
from kg.checks import check
from kg.rdf import DEFAULT_BASE, dataset_quads
from kg.records import InvalidRecords, Loaded, Problem, digest_all, load_dir


def validate(facts: Path, shacl: bool = False, cache: Path | None = None) -> list[Loaded]:
    """The records, or InvalidRecords with every problem. `shacl` also runs the SHACL shapes over their RDF.
    `cache` (a file, e.g. under the store root) keeps validated records for the next run."""
    with _no_gc():
        cached = RecordCache(cache) if cache else None
        records, problems = load_dir(facts, cached)
        together = digest_all(records)
        problems += _unless_passed("records", lambda: check(records), cached, together)
    if not problems and shacl:
        problems = _unless_passed("shacl", lambda: shapes.check(dataset_quads(records, DEFAULT_BASE), records,
                                                                shapes.shapes()), cached, together)
    if cached:
        cached.save()
    if problems:
        raise InvalidRecords(problems)
    return records


def _unless_passed(name: str, run: Callable[[], list[Problem]], cached: RecordCache | None, together: str) -> list[Problem]:
    """The problems `run` finds; none, without running it, when these very records passed it last (a check
    across records is a function of the records alone)."""
    if cached and cached.passed.get(name) == together:
        return []
    found = run()
    if cached and not found:
        cached.passed_checks(name, together)
    return found


@contextmanager
def _no_gc():
    """Loading makes many objects and no garbage cycles: the collector, run over and over as they are
    made, would take half the time. They then live as long as the command: frozen, no collection scans them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
