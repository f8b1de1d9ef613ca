"""Load every record under a facts directory and check it, or raise with every problem found."""

from __future__ import annotations

from pathlib import Path

from kg.checks import check
from kg.records import InvalidRecords, Loaded, load_dir


def validate(facts: Path) -> list[Loaded]:
    records, problems = load_dir(facts)
    problems += check(records)
    if problems:
        raise InvalidRecords(problems)
    return records
