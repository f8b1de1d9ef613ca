"""One CSV per kind, a row per record: our ids, every field flattened, and the sources' URLs and quotes."""

from __future__ import annotations

import csv
import io

from pydantic import BaseModel

from kg.models import KINDS, Amount, Identifiers, SourcedDate
from kg.records import Loaded

LIST_SEPARATOR = "; "


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_cell(v) for v in value)
    if isinstance(value, Amount):
        source = f" [{value.source}]" if value.source else ""
        return f"{value.value} {value.currency} {value.kind}{source}"
    if isinstance(value, SourcedDate):
        return f"{value.value} [{value.source}]"
    return str(value)


def columns(kind: str) -> list[str]:
    fields = [f for f in KINDS[kind].model_fields if f not in ("id", "identifiers", "sources", "notes")]
    out = ["id", "iri", *fields]
    if "identifiers" in KINDS[kind].model_fields:
        out += list(Identifiers.model_fields)
    if "sources" in KINDS[kind].model_fields:
        out += ["sources", "source_urls", "quotes"]
    return out + ["notes"]


def table(kind: str, records: list[Loaded], base: str) -> bytes:
    urls = {r.record.id: r.record.url for r in records if r.kind == "source"}
    names = columns(kind)
    fields = [name for name in names if name in KINDS[kind].model_fields and name != "sources"]  # sources: below
    out = io.StringIO()
    writer = csv.DictWriter(out, names, lineterminator="\n")
    writer.writeheader()
    for r in sorted((r for r in records if r.kind == kind), key=lambda r: r.record.id):
        row = {name: _cell(getattr(r.record, name)) for name in fields}
        row["iri"] = f"{base}{kind}/{r.record.id}"
        identifiers = getattr(r.record, "identifiers", None)
        if isinstance(identifiers, BaseModel):
            row |= {k: _cell(v) for k, v in identifiers}
        if "sources" in names:
            cited = r.record.sources
            row["sources"] = LIST_SEPARATOR.join(c.source for c in cited)
            row["source_urls"] = " ".join(urls[c.source] for c in cited)
            row["quotes"] = " | ".join(c.quote or "" for c in cited)
        writer.writerow(row)
    return out.getvalue().encode()
