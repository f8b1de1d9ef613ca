"""A record's facts in plain sentences, for pages and the graph's details panel (kg.sentences words the
networkx graph for the command line).

A sentence is a list of segments: plain text, or text that names another
record (a Link to its IRI). Pages escape the text and link the records; the
graph's script sets it with textContent.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

import pycountry

from kg.catalog import Amount, Catalog, Entry, technology_name


@dataclass(frozen=True)
class Link:
    text: str
    iri: str


Segment = str | Link
Sentence = list[Segment]

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
AMOUNT_KINDS = {"reported": "", "total-value": "total value", "base-value": "base value"}
BAN_VERBS = {"ban": "banned", "moratorium": "put a moratorium on", "limit": "limited", "repeal": "repealed"}
SCOPES = {"private-sector": "private-sector", "public-accommodation": "public-accommodation", "schools": "school"}
DEPLOYMENT_VERBS = {"active": "uses", "pilot": "piloted", "ended": "used"}
TIES = {"acquisition": "acquired", "subsidiary": "owns the subsidiary", "investment": "invested in",
        "merger": "merged with", "partnership": "partnered with"}
ACTION_VERBS = {
    "lawsuit": "sued", "class-action": "brought a class action against", "settlement": "settled with",
    "regulator-fine": "fined", "regulator-order": "issued an order against", "ruling": "ruled in the case against",
    "appeal": "v.", "export-control-listing": "put on an export-control list",
    "sanctions-listing": "sanctioned",
}

PARTY_ACTIONS = ("lawsuit", "class-action", "settlement", "appeal")  # brought by plaintiffs, before a court


def date(value: str) -> str:
    """2020 -> 2020; 2020-08 -> August 2020; 2020-08-12 -> 12 August 2020."""
    parts = value.split("-")
    if len(parts) == 1:
        return value
    month = calendar.month_name[int(parts[1])]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def money(amount: Amount) -> str:
    value = Decimal(amount.value)
    figure = f"{value:,}" if value == value.to_integral_value() else f"{value:,.2f}"
    text = f"{SYMBOLS[amount.currency]}{figure}" if amount.currency in SYMBOLS else f"{figure} {amount.currency}"
    kind = AMOUNT_KINDS.get(amount.kind, amount.kind)
    return f"{text} {kind}" if kind else text


T = TypeVar("T")


def remembered(make: Callable[[Entry, Catalog], T]) -> Callable[[Entry, Catalog], T]:
    """`make`(entry, catalog), worked out once per record: a page names its neighbours again and again."""
    def once(entry: Entry, catalog: Catalog) -> T:
        key = (make.__name__, entry.iri)
        if key not in catalog.said:
            catalog.said[key] = make(entry, catalog)
        return catalog.said[key]
    return functools.wraps(make)(once)


@remembered
def label(entry: Entry, catalog: Catalog) -> str:
    """A record's short name: its name or title, or one made from what it links."""
    if entry.name:
        return entry.name
    if entry.kind == "relationship":
        if entry.one("type") == "rename" and entry.one("former_name") and entry.one("new_name"):
            return f"{entry.one('former_name')} renamed {entry.one('new_name')}"
        tie = TIES.get(entry.one("type"), entry.one("type") or "tie")
        return " ".join(filter(None, [_name(entry.one("subject"), catalog), tie, _name(entry.one("object"), catalog)]))
    if entry.kind == "deployment":
        used = [_name(p, catalog) for p in entry.all("products")] or [technology_name(t) for t in entry.all("technologies")]
        return f"{_name(entry.one('agency'), catalog)} uses {', '.join(used)}"
    return entry.id


def _name(iri: str | None, catalog: Catalog) -> str:
    entry = catalog.get(iri) if iri else None
    return label(entry, catalog) if entry else ""


def _link(iri: str, catalog: Catalog) -> Segment:
    entry = catalog.get(iri)
    return Link(label(entry, catalog), iri) if entry else iri


def _links(iris: list[str], catalog: Catalog, names: list[str] = ()) -> Sentence:
    """A, B and C, as links where they are records."""
    items: list[Segment] = [_link(i, catalog) for i in iris] + list(names)
    out: Sentence = []
    for n, item in enumerate(items):
        if n:
            out.append(" and " if n == len(items) - 1 else ", ")
        out.append(item)
    return out


def _dated(entry: Entry, field: str, catalog: Catalog) -> Sentence:
    """A date field's value; where sources disagree, each value with the source that gives it."""
    if field in entry.claims:
        out: Sentence = []
        for n, (value, source) in enumerate(entry.claims[field]):
            out += [" or " if n else "", f"{date(value)} (per ", _link(source, catalog), ")"]
        return [s for s in out if s]
    value = entry.one(field)
    return [date(value)] if value else []


def _amounts(entry: Entry, field: str, catalog: Catalog) -> Sentence:
    out: Sentence = []
    for n, amount in enumerate(entry.amounts.get(field, [])):
        out.append("; " if n else "")
        out.append(money(amount))
        if amount.source:
            out += [" (per ", _link(amount.source, catalog), ")"]
    return [s for s in out if s]


def _technologies(entry: Entry) -> str:
    names = [technology_name(t) for t in entry.all("technologies")]
    return ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1] if names else ""


def _clause(prefix: str, parts: Sentence) -> Sentence:
    return [prefix, *parts] if parts else []


def say_all(catalog: Catalog) -> None:
    """Every record's sentences worked out now (the catalog keeps them): before page workers fork, not in each."""
    for entry in catalog.entries.values():
        sentences(entry, catalog)


@remembered
def sentences(entry: Entry, catalog: Catalog) -> list[Sentence]:
    """The facts a record states, in sentences (shared: not to be changed by the caller)."""
    make = {"contract": _contract, "deployment": _deployment, "legal-action": _legal_action, "ban": _ban,
            "relationship": _relationship, "agency": _agency, "vendor": _vendor, "product": _product,
            "jurisdiction": _jurisdiction, "source": _source}[entry.kind]
    out = [s for s in make(entry, catalog) if s]
    if entry.one("description"):
        out.append([entry.one("description")])
    return out


def _contract(e: Entry, c: Catalog) -> list[Sentence]:
    bought = _links(e.all("products"), c) or [_technologies(e)]
    first = [_link(e.one("agency"), c), " contracted ", _link(e.one("vendor"), c), " for ", *bought]
    first += _clause(", signed ", _dated(e, "signed", c)) + _clause(", ", _amounts(e, "amounts", c)) + ["."]
    period = _clause("Runs from ", _dated(e, "start", c)) + _clause(" to " if e.one("start") else "Runs to ", _dated(e, "end", c))
    term = [f"Its term is {_duration(e.one('duration'))}."] if e.one("duration") else []
    status = [f"Status: {e.one('status')}."] if e.one("status") else []
    funded = ["Funded or used by ", _link(e.one("funding_office"), c), "."] if e.one("funding_office") else []
    return [first, period + ["."] if period else [], term, funded, status]


def _duration(iso: str) -> str:
    """An ISO 8601 duration in words: P1Y -> 1 year, P1Y6M -> 1 year and 6 months."""
    parts = re.findall(r"(\d+)([YMD])", iso)
    words = [f"{n} {unit}{'' if n == '1' else 's'}" for n, unit in
             ((n, {"Y": "year", "M": "month", "D": "day"}[u]) for n, u in parts)]
    return " and ".join(words) or iso


def _deployment(e: Entry, c: Catalog) -> list[Sentence]:
    used = _links(e.all("products"), c) or [_technologies(e)]
    first = [_link(e.one("agency"), c), " ", DEPLOYMENT_VERBS.get(e.one("status"), "uses"), " ", *used]
    first += _clause(" from ", [_link(e.one("vendor"), c)] if e.one("vendor") else [])
    first += _clause(" under ", [_link(e.one("contract"), c)] if e.one("contract") else [])
    first += _clause(", since " if not e.one("end") else ", from ", _dated(e, "start", c))
    first += _clause(" until " if e.one("start") else ", until ", _dated(e, "end", c)) + ["."]
    return [first]


def _legal_action(e: Entry, c: Catalog) -> list[Sentence]:
    kind = e.one("type")
    authority = [_link(e.one("authority"), c)] if e.one("authority") else ([e.one("court")] if e.one("court") else [])
    actors = _links(e.all("plaintiffs"), c, e.all("plaintiff_names")) if kind in PARTY_ACTIONS else authority
    targets = _links(e.all("defendants"), c)
    if actors and targets:
        first = [*actors, " ", ACTION_VERBS.get(kind, kind), " ", *targets, " (appeal)" if kind == "appeal" else ""]
    else:  # a party is not a record of the graph, or not named: say who is
        first = [e.name or kind, *_clause(", brought by ", actors), *_clause(", against ", targets)]
    first += _clause(", filed ", _dated(e, "filed", c)) + _clause(", decided ", _dated(e, "decided", c))
    first += _clause(": ", _amounts(e, "penalties", c)) + ["."]
    out = [[s for s in first if s]]
    if kind in PARTY_ACTIONS and authority:
        out.append(["Before ", *authority, "."])
    if e.one("appeal_of") and e.all("defendants"):
        out.append(["Appeal of ", _link(e.one("appeal_of"), c), "."])
    if e.one("outcome"):
        out.append([f"Outcome: {e.one('outcome')}"])
    if e.all("laws"):
        out.append([f"Laws: {'; '.join(e.all('laws'))}."])
    if e.one("status"):
        out.append([f"Status: {e.one('status')}."])
    return out


def _ban(e: Entry, c: Catalog) -> list[Sentence]:
    action = e.one("action")
    scope = " and ".join(SCOPES.get(s, s) for s in e.all("scope"))
    if action == "repeal" and e.one("repeals"):
        first = [_link(e.one("jurisdiction"), c), " repealed ", _link(e.one("repeals"), c)]
    else:
        first = [_link(e.one("jurisdiction"), c), f" {BAN_VERBS.get(action, action)} {scope} use of {_technologies(e)}"]
    first += _clause(", passed ", _dated(e, "passed", c)) + _clause(", in effect from ", _dated(e, "effective", c))
    first += _clause(", until ", _dated(e, "expires", c)) + ["."]
    by = [f"Enacted by {e.one('enacted_by')}" + (f" ({e.one('instrument')})" if e.one("instrument") else "") + "."] if e.one("enacted_by") else []
    vote = [f"Vote: {e.one('vote')}."] if e.one("vote") else []
    return [first, by, vote]


def _relationship(e: Entry, c: Catalog) -> list[Sentence]:
    kind = e.one("type")
    if kind == "rename":
        first = [e.one("former_name") or "", " was renamed ", e.one("new_name") or "", " (", _link(e.one("subject"), c), ")"]
    else:
        first = [_link(e.one("subject"), c), f" {TIES.get(kind, kind)}"]
        first += [" ", _link(e.one("object"), c)] if e.one("object") else []
    first += _clause(", ", _dated(e, "date", c)) + _clause(", for ", _amounts(e, "amounts", c)) + ["."]
    return [[s for s in first if s]]


def _agency(e: Entry, c: Catalog) -> list[Sentence]:
    first = [e.name, f" is a{'n' if (e.one('level') or 'a')[0] in 'aeiou' else ''} {e.one('level') or ''} agency".replace("  ", " ")]
    first += _clause(" of ", [_link(e.one("jurisdiction"), c)] if e.one("jurisdiction") else [])
    first += _clause(", part of ", [_link(e.one("parent"), c)] if e.one("parent") else []) + ["."]
    return [first]


def _vendor(e: Entry, c: Catalog) -> list[Sentence]:
    where = ", ".join(filter(None, [e.one("headquarters"), _country(e.one("country"))]))
    first = [e.name, " is a company" + (f" based in {where}" if where else "")]
    first += _clause(", founded ", _dated(e, "founded", c)) + ["."]
    return [first, [f"Website: {e.one('url')}"] if e.one("url") else []]


def _product(e: Entry, c: Catalog) -> list[Sentence]:
    return [[e.name, f" is a {_technologies(e)} product of ", _link(e.one("vendor"), c), "."]]


def _jurisdiction(e: Entry, c: Catalog) -> list[Sentence]:
    first = [e.name, f" is a {e.one('level')}"]
    first += _clause(" in ", [_link(e.one("part_of"), c)] if e.one("part_of") else [])
    first += [f" ({_country(e.one('country'))})" if e.one("country") and e.one("level") != "country" else "", "."]
    return [[s for s in first if s]]


def _source(e: Entry, c: Catalog) -> list[Sentence]:
    first = [f"“{e.name}”"] + [f", published by {e.one('publisher')}" if e.one("publisher") else ""]
    first += _clause(", ", [date(e.one("published"))] if e.one("published") else [])
    first += [f" ({e.one('type').replace('-', ' ')})." if e.one("type") else "."]
    authors = [f"By {', '.join(e.all('authors'))}."] if e.all("authors") else []
    return [[s for s in first if s], authors]


def _country(code: str | None) -> str | None:
    return pycountry.countries.get(alpha_2=code).name if code else None
