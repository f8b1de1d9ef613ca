"""SPARQL over the store: ad hoc queries, and named queries with typed parameters.

A named query is kg/queries/<name>.rq. Its header comment gives a description
and declares each parameter:

    # Contracts of a vendor, with agency, dates, amounts and source URLs.
    # param vendor (vendor): the vendor, by id or IRI

The type is a record kind, `record` (any kind), `date`, `technology` or
`string`. Values are bound as RDF terms through Oxigraph's substitutions,
never pasted into the query text.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Store, Variable

from kg.models import KINDS, Technology, parse_date
from kg.rdf import TECHNOLOGY, date_literal, record_iri

QUERIES = Path(__file__).parent / "queries"
PARAM = re.compile(r"^#\s*param\s+(\w+)\s*\(([\w-]+)\)\s*:\s*(.+)$")
WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
PARAM_TYPES = {*KINDS, "record", "date", "technology", "string"}


class QueryError(Exception):
    """A query that cannot run: bad syntax, or bad parameters. `exit_code` is the CLI's."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Param:
    name: str
    type: str
    description: str


@dataclass
class NamedQuery:
    name: str
    description: str
    text: str
    params: list[Param] = field(default_factory=list)


def parse_named(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    description, params = [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if m := PARAM.match(line):
            if m[2] not in PARAM_TYPES:
                raise QueryError(f"{path}: parameter {m[1]!r} has unknown type {m[2]!r} (types: {', '.join(sorted(PARAM_TYPES))})")
            params.append(Param(m[1], m[2], m[3].strip()))
        elif line.strip("# "):
            description.append(line.lstrip("#").strip())
    return NamedQuery(path.stem, " ".join(description), text, params)


def named_queries(directory: Path = QUERIES) -> dict[str, NamedQuery]:
    return {p.stem: parse_named(p) for p in sorted(directory.glob("*.rq"))}


def find_named(name: str, directory: Path = QUERIES) -> NamedQuery:
    queries = named_queries(directory)
    if name not in queries:
        close = difflib.get_close_matches(name, queries, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise QueryError(f"no named query {name!r}: {hint}`kg queries` lists them")
    return queries[name]


def bind(query: NamedQuery, given: dict[str, str], exists: Callable[[NamedNode], bool],
         base: str) -> dict[Variable, NamedNode | Literal]:
    """Parameter values as RDF terms; every missing, unknown or ill-typed one is an error.
    `exists` tells whether a record graph is in the store (a local store, or a remote endpoint)."""
    declared = {p.name: p for p in query.params}
    errors = []
    for name in given:
        if name not in declared:
            names = ", ".join(declared) or "none"
            errors.append(f"unknown parameter {name!r} for {query.name} (its parameters: {names})")
    for name in declared:
        if name not in given:
            errors.append(f"missing parameter {name!r}: {declared[name].description} (--param {name}=...)")
    if errors:
        raise QueryError("\n".join(errors))
    return {Variable(name): _term(declared[name], value, exists, base) for name, value in given.items()}


def inline_bindings(text: str, substitutions: dict[Variable, NamedNode | Literal]) -> str:
    """The query with its bindings as a VALUES block opening its WHERE clause, for endpoints that take
    query text only. Terms are written by Oxigraph in N-Triples syntax, escaped: never pasted in as text."""
    if not substitutions:
        return text
    names = " ".join(str(v) for v in substitutions)
    values = f"VALUES ({names}) {{ ({' '.join(str(t) for t in substitutions.values())}) }}"
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if not line.lstrip().startswith("#") and (m := WHERE.search(line)):
            lines[i] = f"{line[:m.end()]} {values}{line[m.end():]}"
            return "".join(lines)
    raise QueryError("a query with parameters needs a WHERE { ... } clause")


def _term(param: Param, value: str, exists: Callable[[NamedNode], bool], base: str) -> NamedNode | Literal:
    if param.type == "string":
        return Literal(value)
    if param.type == "date":
        try:
            return date_literal(parse_date(value))
        except ValueError as e:
            raise QueryError(f"parameter {param.name!r}: {e}") from None
    if param.type == "technology":
        known = [t.value for t in Technology]
        if value not in known:
            raise QueryError(f"parameter {param.name!r}: unknown technology {value!r} (known: {', '.join(known)})")
        return NamedNode(TECHNOLOGY + value)
    kinds = list(KINDS) if param.type == "record" else [param.type]
    try:
        candidates = [NamedNode(value)] if "://" in value else [record_iri(base, k, value) for k in kinds]
    except ValueError:
        raise QueryError(f"parameter {param.name!r}: {value!r} is not an id or an IRI") from None
    for iri in candidates:
        if any(iri.value.startswith(f"{base}{k}/") for k in kinds) and exists(iri):
            return iri
    raise QueryError(f"parameter {param.name!r}: no {param.type} record {value!r} in the store")


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise QueryError(f"--param takes name=value, not {pair!r}")
        params[name] = value
    return params


def run(store: Store, text: str, substitutions: dict | None = None):
    """Run a query over the union of the record graphs. A syntax error exits 2, with its position."""
    try:
        return store.query(text, use_default_graph_as_union=True, substitutions=substitutions or None)
    except SyntaxError as e:
        raise QueryError(f"query syntax {e}", exit_code=2) from None
    except (RuntimeError, OSError) as e:
        raise QueryError(f"query failed: {e}") from None


def query_and_bindings(query: str | None, name: str | None, params: tuple[str, ...], exists, base: str):
    """The query text and its bindings: a named query's, or ad hoc text (given, in a file, or on stdin)."""
    if name:
        named = find_named(name)
        return named.text, bind(named, parse_params(params), exists, base)
    return query_text(query), None


def query_text(arg: str) -> str:
    """Query text from an argument: - reads stdin; a .rq or .sparql name, or an existing file, is read."""
    if arg == "-":
        return sys.stdin.read()
    path = Path(arg)
    if path.suffix in (".rq", ".sparql") or (len(arg) < 4096 and "\n" not in arg and path.is_file()):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as e:
            raise QueryError(f"cannot read query file {arg}: {e.strerror}") from None
    return arg
