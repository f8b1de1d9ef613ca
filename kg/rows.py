"""The tables the analytics commands print (rows of a dataclass), as JSON or CSV; text is each command's own."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable
from typing import Any

FORMATS = ["text", "json", "csv"]
LIST_SEPARATOR = " "  # lists in a CSV cell: source URLs, technologies


def as_json(rows: list[Any]) -> str:
    return json.dumps([dataclasses.asdict(r) for r in rows], indent=2, ensure_ascii=False) + "\n"


def as_csv(rows: list[Any], row_type: type) -> str:
    """A header (from the dataclass, so an empty table still has one) and a row each."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(f.name for f in dataclasses.fields(row_type))
    for row in rows:
        writer.writerow(_cell(v) for v in dataclasses.astuple(row))
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(map(str, value))
    return str(value)


def as_table(rows: list[Any], row_type: type) -> str:
    """Aligned columns for a terminal."""
    names = [f.name for f in dataclasses.fields(row_type)]
    cells = [[_cell(v) for v in dataclasses.astuple(r)] for r in rows]
    widths = [max([len(n)] + [len(c[i]) for c in cells]) for i, n in enumerate(names)]

    def line(values: list[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(names), line(["-" * w for w in widths]), *map(line, cells)]) + "\n"


def render(rows: list[Any], row_type: type, fmt: str, text: Callable[[list[Any]], str]) -> str:
    """`rows` in `fmt`; `text` renders them for a person."""
    if fmt == "json":
        return as_json(rows)
    if fmt == "csv":
        return as_csv(rows, row_type)
    return text(rows)
