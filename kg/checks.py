"""Checks that need more than one field or more than one record: ids, references, dates, citations."""

from __future__ import annotations

import datetime
import difflib
import functools
import os
from calendar import monthrange
from collections import Counter
from collections.abc import Iterator
from typing import Any, get_args

from pydantic import BaseModel

from kg.models import Amount, Source, Sourced, SourcedDate, ref_kinds
from kg.records import Loaded, Problem, field_path

# Pairs of date fields where the second cannot come before the first.
DATE_ORDER = [("start", "end", "ends {b} before it starts {a}"),
              ("filed", "decided", "is decided {b} before it is filed {a}"),
              ("effective", "expires", "expires {b} before it takes effect {a}")]


def check(records: list[Loaded]) -> list[Problem]:
    problems: list[Problem] = []
    by_id: dict[str, Loaded] = {}
    for r in records:
        rid = r.record.id
        if rid != os.path.splitext(r.name)[0]:
            problems.append(_problem(r, ("id",), f"id {rid!r} does not match the file name {r.name!r}"))
        if rid in by_id:
            problems.append(_problem(r, ("id",), f"duplicate id {rid!r}: also used by {by_id[rid].path.parent.name}/{by_id[rid].name}"))
        else:
            by_id[rid] = r
    duplicated = {p.message.split("'")[1] for p in problems if p.message.startswith("duplicate id")}
    urls: dict[str, str] = {}
    for r in records:
        problems += _references(r, by_id, duplicated)
        problems += _date_order(r)
        if isinstance(r.record, Sourced):
            problems += _citations(r, by_id)
        if isinstance(r.record, Source):
            if r.record.url in urls:
                problems.append(_problem(r, ("url",), f"same URL as source {urls[r.record.url]!r}: one record per source"))
            urls.setdefault(r.record.url, r.record.id)
        if r.kind == "relationship":
            problems += _relationship(r)
        if r.kind == "ban":
            is_repeal = r.record.action == "repeal"
            if is_repeal and not r.record.repeals:
                problems.append(_problem(r, ("action",), "a repeal names the ban it repeals under 'repeals'"))
            if not is_repeal and r.record.repeals:
                problems.append(_problem(r, ("repeals",), "only a record with action 'repeal' repeals another"))
    return problems


def _problem(r: Loaded, loc: tuple, message: str) -> Problem:
    return Problem(r.shown, r.line(*loc), field_path(loc), message)


@functools.cache
def _plan(model: type[BaseModel]) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """A model's reference fields (with the kinds they may name) and the fields that may hold nested models."""
    refs, nested = [], []
    for name, info in model.model_fields.items():
        if ref_kinds(info):
            refs.append((name, ref_kinds(info)))
        elif _may_hold_model(info.annotation):
            nested.append(name)
    return refs, nested


def _may_hold_model(annotation: Any) -> bool:
    if isinstance(annotation, type):
        return issubclass(annotation, BaseModel)
    return any(_may_hold_model(arg) for arg in get_args(annotation))


def references(model: BaseModel, loc: tuple = ()) -> Iterator[tuple[tuple, str, list[str]]]:
    """Every (location, id, allowed kinds) a record refers to, nested models included."""
    refs, nested = _plan(type(model))
    values = model.__dict__
    for name, kinds in refs:
        value = values[name]
        if isinstance(value, str):
            yield loc + (name,), value, kinds
        elif value:
            for i, item in enumerate(value):
                yield loc + (name, i), item, kinds
    for name in nested:
        value = values[name]
        if isinstance(value, BaseModel):
            yield from references(value, loc + (name,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from references(item, loc + (name, i))


def _references(r: Loaded, by_id: dict[str, Loaded], duplicated: set[str]) -> Iterator[Problem]:
    """References to missing records or to records of the wrong kind (an ambiguous id is reported once, as a duplicate)."""
    for loc, target, kinds in references(r.record):
        found = by_id.get(target)
        if target in duplicated:
            continue
        if found is None:
            close = difflib.get_close_matches(target, [i for i, x in by_id.items() if x.kind in kinds], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            yield _problem(r, loc, f"no {' or '.join(kinds)} record with id {target!r}{hint}")
        elif found.kind not in kinds:
            yield _problem(r, loc, f"{target!r} is {_a(found.kind)}, not {' or '.join(map(_a, kinds))}")


def _relationship(r: Loaded) -> Iterator[Problem]:
    """A rename is stated on the one organisation (one record per real-world thing); other ties link two."""
    rel = r.record
    if rel.type == "rename":
        if rel.object:
            yield _problem(r, ("object",), "a rename has no object: the subject is the renamed organisation")
        for name in ("former_name", "new_name"):
            if not getattr(rel, name):
                yield _problem(r, ("type",), f"a rename gives '{name}'")
    elif not rel.object:
        yield _problem(r, ("type",), f"{_a(rel.type)} names its 'object'")
    elif rel.former_name or rel.new_name:
        yield _problem(r, ("former_name" if rel.former_name else "new_name",), "only a rename has former and new names")


def _a(kind: str) -> str:
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def bounds(value: Any) -> tuple[datetime.date, datetime.date] | None:
    """Earliest and latest day a date field may mean (several dates: the widest span)."""
    if value is None:
        return None
    if isinstance(value, list):
        spans = [bounds(v.value) for v in value]
        return min(s[0] for s in spans), max(s[1] for s in spans)
    parts = [int(p) for p in value.split("-")]
    year, month, day = parts + [None] * (3 - len(parts))
    first = datetime.date(year, month or 1, day or 1)
    last_month = month or 12
    last = datetime.date(year, last_month, day or monthrange(year, last_month)[1])
    return first, last


def _shown_date(value: Any) -> str:
    return "/".join(v.value for v in value) if isinstance(value, list) else value


def _date_order(r: Loaded) -> Iterator[Problem]:
    values = r.record.__dict__
    for first, second, message in DATE_ORDER:
        a, b = values.get(first), values.get(second)
        if a is not None and b is not None and bounds(b)[1] < bounds(a)[0]:
            yield _problem(r, (second,), message.format(a=f"({_shown_date(a)})", b=f"({_shown_date(b)})"))


def _citations(r: Loaded, by_id: dict[str, Loaded]) -> Iterator[Problem]:
    cited = [c.source for c in r.record.sources]
    for source, count in Counter(cited).items():
        if count > 1:
            yield _problem(r, ("sources", cited.index(source), "source"), f"cites source {source!r} {count} times: one entry per source")
    for loc, value in _sourced_values(r.record):
        if value.source in by_id and value.source not in cited:  # a missing record is reported as such
            yield _problem(r, loc + ("source",), f"source {value.source!r} is not among the record's sources")
    for name, amounts in r.record.__dict__.items():
        if isinstance(amounts, list) and amounts and isinstance(amounts[0], Amount):
            groups: dict[tuple, list[int]] = {}
            for i, a in enumerate(amounts):
                groups.setdefault((a.kind, a.currency), []).append(i)
            for (kind, _), indexes in groups.items():
                if len(indexes) > 1 and any(not amounts[i].source for i in indexes):
                    yield _problem(r, (name, indexes[0]), f"several {kind} amounts: each needs the source that states it")


def _sourced_values(record: BaseModel) -> Iterator[tuple[tuple, Amount | SourcedDate]]:
    for name, value in record.__dict__.items():
        if isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, (Amount, SourcedDate)):
                    yield (name, i), item
