"""The records an import adds: matched against what is recorded, given free ids, checked, then written.

Nothing is overwritten: whatever an input row describes that is already recorded is reported as such and
cited where needed, and only what is new is written. Each input row adds its records together or, when
rejected, none of them; the report keeps every row's outcome in input order.
"""

from __future__ import annotations

import difflib
import io
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML

from kg.checks import check
from kg.export import write_atomic
from kg.ingest import names
from kg.ingest.urls import canonical
from kg.models import KINDS, Record
from kg.records import InvalidRecords, Loaded, field_path
from kg.validate import validate

REF_FIELDS = ("agency", "vendor", "part_of", "jurisdiction")  # indexed, to find the records that refer to one
LAST = ("identifiers", "sources", "notes")  # written after a kind's own fields, as curators do


class Rejected(Exception):
    """An input row that cannot become records, with the input field at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


@dataclass
class Outcome:
    origin: str  # file:line of the input row
    status: str  # new, exists, rejected, note
    text: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.status}: {self.text}"


@dataclass
class New:
    kind: str
    fields: dict[str, Any]
    record: Record


@dataclass
class Row:
    """What one input row adds, kept apart until the whole row is accepted."""

    batch: Batch
    origin: str
    new: dict[str, New] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)
    urls: dict[str, str] = field(default_factory=dict)

    def add(self, kind: str, bases: list[str], fields: dict[str, Any], inputs: dict[str, str] | None = None) -> str:
        """Add a record under the first free id made from `bases`; empty fields are left out. A value the record
        cannot take rejects the row, naming the input field it came from (`inputs`: record field, or field path
        such as identifiers.piid, -> input field)."""
        rid = self.batch.free_id(bases, self.new)
        fields = {"id": rid, **_pruned(fields)}
        try:
            record = KINDS[kind].model_validate(fields)
        except ValidationError as e:
            error = min(e.errors(), key=lambda err: err["loc"][:1] == ("id",))  # a bad id comes of another bad field
            path = field_path(error["loc"])
            where = (inputs or {}).get(path) or (inputs or {}).get(error["loc"][0]) or f"{kind} {path}"
            raise Rejected(where, error["msg"].removeprefix("Value error, ")) from None
        self.new[rid] = New(kind, fields, record)
        self.outcomes.append(Outcome(self.origin, "new", f"{kind}/{rid}"))
        return rid

    def source(self, bases: list[str], fields: dict[str, Any], inputs: dict[str, str] | None = None) -> tuple[str, bool]:
        """The Source record for fields['url'] and whether it is new: the one recorded for the same story (any
        variant of its URL), or a new one."""
        try:
            key = canonical(fields["url"])
        except ValueError:
            raise Rejected((inputs or {}).get("url", "url"), f"{fields['url']!r} is not a URL") from None
        found = self.batch.urls.get(key) or self.urls.get(key)
        if found:
            return found, False
        self.urls[key] = rid = self.add("source", bases, fields, inputs)
        return rid, True

    def exists(self, kind: str, rid: str, why: str) -> None:
        written = ", written from an earlier row" if rid in self.batch.new else ""
        self.outcomes.append(Outcome(self.origin, "exists", f"{kind}/{rid} ({why}{written})"))

    def note(self, text: str) -> None:
        self.outcomes.append(Outcome(self.origin, "note", text))


class Batch:
    """The records in a facts directory, indexed for matching, and the new ones an import adds."""

    def __init__(self, facts: Path, loaded: list[Loaded]):
        self.facts = facts
        self.loaded = loaded
        self.records: dict[str, tuple[str, dict[str, Any]]] = {}  # id -> (kind, fields), recorded and new
        self.new: dict[str, New] = {}
        self.outcomes: list[Outcome] = []
        self.urls: dict[str, str] = {}  # canonical URL -> source id
        self.identifiers: dict[tuple[str, str, str], str] = {}  # (kind, scheme, value) -> id
        self.names: dict[tuple[str, str], list[str]] = defaultdict(list)  # (kind, name key) -> ids
        self.refs: dict[tuple[str, str, str], list[str]] = defaultdict(list)  # (kind, field, target) -> ids
        for r in loaded:
            self._index(r.kind, r.record.model_dump(mode="json", exclude_none=True))
        self.curated = {k: list(ids) for k, ids in self.names.items()}  # suggestions name records from before the import

    @classmethod
    def open(cls, facts: Path) -> Batch:
        """The batch for a facts directory, which must be valid itself (or InvalidRecords is raised)."""
        return cls(facts, validate(facts))

    def _index(self, kind: str, fields: dict[str, Any]) -> None:
        rid = fields["id"]
        self.records[rid] = (kind, fields)
        for url in (fields.get("url"), fields.get("via_url")):
            if url:
                self.urls.setdefault(canonical(url), rid)
        for scheme, value in fields.get("identifiers", {}).items():
            self.identifiers.setdefault((kind, scheme, value), rid)
        for name in [fields.get("name"), *fields.get("aliases", [])]:
            if name and rid not in self.names[kind, names.key(name)]:
                self.names[kind, names.key(name)].append(rid)
        for ref in REF_FIELDS:
            if isinstance(fields.get(ref), str):
                self.refs[kind, ref, fields[ref]].append(rid)

    # Matching

    def identified(self, kind: str, scheme: str, value: str | None) -> str | None:
        return self.identifiers.get((kind, scheme, value)) if value else None

    def named(self, kind: str, name: str) -> list[str]:
        return list(self.names.get((kind, names.key(name)), []))

    def referring(self, kind: str, ref: str, target: str) -> list[str]:
        return list(self.refs.get((kind, ref, target), []))

    def get(self, rid: str) -> dict[str, Any]:
        return self.records[rid][1]

    def within(self, rid: str | None, ancestor: str) -> bool:
        """Whether jurisdiction `rid` is `ancestor` or lies in it (following part_of)."""
        seen = set()
        while rid and rid not in seen:
            if rid == ancestor:
                return True
            seen.add(rid)
            rid = self.records.get(rid, ("", {}))[1].get("part_of")
        return False

    def suggest(self, kind: str, name: str) -> str:
        """The closest recorded names of a kind, as a hint for a name that matched none."""
        keys = {key: ids for (k, key), ids in self.curated.items() if k == kind}
        close = difflib.get_close_matches(names.key(name), keys, n=3, cutoff=0.6)
        found = [f"{rid} ({self.get(rid)['name']})" for rid in dict.fromkeys(rid for key in close for rid in keys[key])]
        return f"closest: {', '.join(found)}" if found else f"no {kind} has a similar name"

    # Adding

    def free_id(self, bases: list[str], pending: dict[str, Any]) -> str:
        """The first of `bases` that no record uses, else the first numbered: base-2, base-3, ..."""
        bases = [b for b in bases if b] or ["record"]
        numbered = (f"{bases[0]}-{n}" for n in itertools.count(2))
        return next(rid for rid in itertools.chain(bases, numbered) if rid not in self.records and rid not in pending)

    @contextmanager
    def row(self, origin: str) -> Iterator[Row]:
        """Read one input row: its records are added if it is not Rejected, and its outcome reported either way."""
        row = Row(self, origin)
        try:
            yield row
        except Rejected as e:
            self.outcomes.append(Outcome(origin, "rejected", str(e)))
        else:
            for rid, new in row.new.items():
                self.new[rid] = new
                self._index(new.kind, new.fields)
            self.outcomes += row.outcomes

    # Writing

    def path(self, new: New) -> Path:
        return self.facts / new.kind / f"{new.fields['id']}.yaml"

    def check(self) -> None:
        """The checks of `kg validate` over the recorded and new records together; InvalidRecords if any fails."""
        new = [Loaded(n.kind, n.record, self.path(n), str(self.path(n)), n.fields) for n in self.new.values()]
        problems = check(self.loaded + new)
        if problems:
            raise InvalidRecords(problems)

    def rendered(self) -> dict[Path, str]:
        """Each new record's file and its text."""
        return {self.path(n): render(n.kind, n.fields) for n in self.new.values()}

    def write(self, dry_run: bool = False) -> dict[Path, str]:
        """Check, then write every new record (unless `dry_run`); return each file and its text. A file that
        exists is never replaced."""
        self.check()
        files = self.rendered()
        for path in files:
            if path.exists():
                raise FileExistsError(17, "a record file appeared during the import; run it again", str(path))
        for path, text in files.items() if not dry_run else ():
            write_atomic(path, text.encode())
        return files

    def summary(self) -> str:
        kinds = Counter(n.kind for n in self.new.values())
        counts = Counter(o.status for o in self.outcomes)
        per_kind = f" ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})" if kinds else ""
        return (f"{len(self.new)} new record(s){per_kind}, {counts['exists']} already recorded, "
                f"{counts['rejected']} row(s) rejected")


def _pruned(value: Any) -> Any:
    """The value without empty fields (None, "", [], {}) at any depth."""
    if isinstance(value, dict):
        value = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def _writer() -> YAML:
    yaml = YAML(typ="safe")  # with ruamel.yaml.clib, its C emitter: several times as fast as the round-trip one
    yaml.width, yaml.default_flow_style, yaml.sort_base_mapping_type_on_output = 110, False, False
    return yaml


WRITER = _writer()


def render(kind: str, fields: dict[str, Any]) -> str:
    """A record file as curators write it: the schema line, the id, the kind's fields, then sources."""
    order = ["id", *(f for f in KINDS[kind].model_fields if f not in ("id", *LAST)), *LAST]
    out = io.StringIO(f"# yaml-language-server: $schema=../../../schemas/{kind}.schema.json\n")
    out.seek(0, io.SEEK_END)
    WRITER.dump({f: fields[f] for f in order if f in fields}, out)
    return out.getvalue()
