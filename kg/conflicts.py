"""Policy conflicts, each with the facts and sources behind it. Each check is also a named SPARQL query of the
same name (kg/queries/<check>.rq); the tests hold the two to the same answers.

- used-after-ban: a contract (dated by when it was signed, else began) or deployment (by when it began) of a
  technology by an agency in a jurisdiction, or one inside it, on or after a ban or moratorium there on
  government or police use of it took effect (else passed), before it expires and before a repeal of it
  for that technology takes effect (else passes).
- contracts-with-sued-vendors: a contract for a technology held by a vendor that was sued, fined or ordered
  over it: signed or begun on or after the action was filed (else decided), running past that date, or
  still active.
- contracts-after-listing: a contract with a vendor that continues after the vendor was placed on an
  export-control or sanctions list (decided, else filed): signed or begun on or after it, running past it,
  or still active.

Dates compare as strings, so a date known only to the month or year counts as its first day.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import networkx as nx

from kg import sentences
from kg.graph import dates, linked, naming

LISTINGS = {"export-control-listing", "sanctions-listing"}


@dataclass
class Conflict:
    check: str
    record: str  # the contract or deployment
    date: str | None  # its date; for used-after-ban, the first of its dates that falls under the ban
    technology: str | None  # the technology both records are about; none for a listing
    says: str
    sources: list[str]
    against: str  # the ban or legal action
    against_date: str | None
    against_says: str
    against_sources: list[str]


def conflicts(graph: nx.MultiDiGraph, check: str | None = None) -> list[Conflict]:
    """Every conflict the checks find (or one check's), in order of check, date and record."""
    found = [c for name, (_, find) in CHECKS.items() if check in (None, name) for c in find(graph)]
    order = list(CHECKS)
    return sorted(found, key=lambda c: (order.index(c.check), c.date or "", c.record, c.against_date or "", c.against,
                                        c.technology or ""))


def _conflict(graph: nx.MultiDiGraph, check: str, record: str, date: str | None, technology: str | None,
              against: str, against_date: str | None) -> Conflict:
    return Conflict(check, record, date, technology, sentences.sentence(graph, record), sentences.urls(graph, record),
                    against, against_date, sentences.sentence(graph, against), sentences.urls(graph, against))


def _of_kind(graph: nx.MultiDiGraph, kind: str) -> Iterator[tuple[str, dict]]:
    return ((n, attrs) for n, attrs in graph.nodes(data=True) if attrs["kind"] == kind)


def used_after_ban(graph: nx.MultiDiGraph) -> list[Conflict]:
    found = []
    within = _part_of(graph)
    for ban, attrs in _of_kind(graph, "ban"):
        if attrs["action"] not in ("ban", "moratorium") or not {"government", "police"} & set(attrs["scope"]):
            continue
        in_effect, expires = dates(attrs, "effective", "passed"), attrs.get("expires", [])
        repeals = [(graph.nodes[r]["technologies"], dates(graph.nodes[r], "effective", "passed"))
                   for r in naming(graph, ban, "repeals")]
        where = linked(graph, ban, "jurisdiction")[0]
        area = {where} | nx.ancestors(within, where)
        agencies = {a for j in area for a in naming(graph, j, "jurisdiction") if graph.nodes[a]["kind"] == "agency"}
        for record in sorted({r for a in agencies for r in naming(graph, a, "agency")}):
            kind = graph.nodes[record]["kind"]
            if kind not in ("contract", "deployment"):
                continue
            on = dates(graph.nodes[record], *(("signed", "start") if kind == "contract" else ("start",)))
            for tech in sorted(set(graph.nodes[record]["technologies"]) & set(attrs["technologies"])):
                hits = [d for d in on if any(d >= e for e in in_effect) and (not expires or any(d < x for x in expires))
                        and not any(tech in techs and any(r <= d for r in repealed) for techs, repealed in repeals)]
                if hits:
                    found.append(_conflict(graph, "used-after-ban", record, min(hits), tech, ban, min(in_effect)))
    return found


def _part_of(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """Every jurisdiction, with an edge from each to the one it lies within."""
    within = nx.DiGraph()
    within.add_nodes_from(n for n, _ in _of_kind(graph, "jurisdiction"))
    within.add_edges_from((u, v) for u, v, key in graph.edges(keys=True) if key == "part_of")
    return within


def contracts_with_sued_vendors(graph: nx.MultiDiGraph) -> list[Conflict]:
    found = []
    for action, attrs in _of_kind(graph, "legal-action"):
        if attrs["type"] in LISTINGS:
            continue
        since = dates(attrs, "filed", "decided")
        for contract in _contracts_of_defendants(graph, action):
            techs = set(graph.nodes[contract]["technologies"]) & set(attrs.get("technologies", []))
            if techs and _held_after(graph.nodes[contract], since):
                found += [_conflict(graph, "contracts-with-sued-vendors", contract, sentences.when(graph, contract), tech,
                                    action, min(since, default=None)) for tech in sorted(techs)]
    return found


def contracts_after_listing(graph: nx.MultiDiGraph) -> list[Conflict]:
    found = []
    for listing, attrs in _of_kind(graph, "legal-action"):
        if attrs["type"] not in LISTINGS:
            continue
        listed = dates(attrs, "decided", "filed")
        for contract in _contracts_of_defendants(graph, listing):
            if _held_after(graph.nodes[contract], listed):
                found.append(_conflict(graph, "contracts-after-listing", contract, sentences.when(graph, contract), None,
                                       listing, min(listed, default=None)))
    return found


def _contracts_of_defendants(graph: nx.MultiDiGraph, action: str) -> list[str]:
    return sorted({c for v in linked(graph, action, "defendants") for c in naming(graph, v, "vendor")
                   if graph.nodes[v]["kind"] == "vendor" and graph.nodes[c]["kind"] == "contract"})


def _held_after(contract: dict, since: list[str]) -> bool:
    """Signed or begun on or after one of the dates, running past it, or still active."""
    begun = contract.get("signed", []) + contract.get("start", [])
    return contract.get("status") == "active" or any(
        any(b >= d for b in begun) or any(e > d for e in contract.get("end", [])) for d in since)


# Each check by the name of its named query: what it finds, and the function that finds it.
CHECKS: dict[str, tuple[str, Callable[[nx.MultiDiGraph], list[Conflict]]]] = {
    "used-after-ban": ("contract or deployment after a ban on it took effect", used_after_ban),
    "contracts-with-sued-vendors": ("contract with a vendor sued or fined over the same technology",
                                    contracts_with_sued_vendors),
    "contracts-after-listing": ("contract continuing after its vendor was put on an export-control or sanctions list",
                                contracts_after_listing),
}


def as_text(found: list[Conflict]) -> str:
    """By check, then by contract or deployment: what it conflicts with, each fact with its date and sources."""
    lines = []
    for check, of_check in itertools.groupby(found, key=lambda c: c.check):
        lines.append(f"{CHECKS[check][0]}  [kg query --named {check}]")
        for _, group in itertools.groupby(of_check, key=lambda c: c.record):
            of_record = list(group)
            first = of_record[0]
            lines.append(f"  {first.says}{_on(first.date)} [{' '.join(first.sources)}]")
            for c in of_record:
                about = f"{c.technology.replace('-', ' ')}: " if c.technology else ""
                lines.append(f"    {about}{c.against_says}{_on(c.against_date)} [{' '.join(c.against_sources)}]")
    counts = ", ".join(f"{sum(c.check == check for c in found)} {check}" for check in CHECKS)
    return "\n".join([*lines, f"{len(found)} conflicts: {counts}"]) + "\n"


def _on(date: str | None) -> str:
    return f", {date}" if date else ""
