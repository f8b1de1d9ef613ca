"""CSV input: rows with the line they start on, under a header that is checked first."""

from __future__ import annotations

import csv
import difflib
from collections.abc import Iterator
from pathlib import Path

from kg.ingest.batch import Rejected
from kg.records import InvalidRecords, Problem


def rows(path: Path, shown: str, columns: list[str], exact: bool) -> Iterator[tuple[int, dict[str, str] | Rejected]]:
    """(line, row) for each row of the file, a row of the wrong width as Rejected. The header must hold `columns`
    (exactly these, in order, if `exact`), or InvalidRecords names the file, line 1 and what differs."""
    def fail(line: int, field: str, message: str) -> InvalidRecords:
        return InvalidRecords([Problem(shown, line, field, message)])

    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        line = 1
        try:
            header = next(reader, None)
            if header is None:
                raise fail(1, "header", "the file is empty")
            _check_header([h.strip() for h in header], columns, exact, fail)
            line = reader.line_num + 1
            for values in reader:
                if any(v.strip() for v in values):
                    if len(values) != len(header):
                        yield line, Rejected("row", f"{len(values)} fields where the header has {len(header)}")
                    else:
                        yield line, {h.strip(): v.strip() for h, v in zip(header, values)}
                line = reader.line_num + 1
        except UnicodeDecodeError as e:
            raise fail(_undecodable_line(path), "", f"not UTF-8 text: {e.reason}") from None
        except csv.Error as e:
            raise fail(line, "", f"not CSV: {e}") from None


def _undecodable_line(path: Path) -> int:
    """The line of the first byte that is not UTF-8 (the reader decodes ahead of the row it is on)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        return data[:e.start].count(b"\n") + 1
    return 1


def _check_header(header: list[str], columns: list[str], exact: bool, fail) -> None:
    if exact and header != columns:
        for i, (got, want) in enumerate(zip(header, columns), 1):
            if got != want:
                raise fail(1, "header", f"column {i} is {got!r} where {want!r} was expected; the format has changed")
        raise fail(1, "header", f"{len(header)} columns where {len(columns)} were expected; the format has changed")
    missing = [c for c in columns if c not in header]
    if missing:
        hints = [f"{c!r} (is it {close[0]!r}?)" if (close := difflib.get_close_matches(c, header, n=1)) else repr(c)
                 for c in missing]
        raise fail(1, "header", f"missing column(s): {', '.join(hints)}")
