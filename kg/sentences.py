"""Records of the graph said in words: "City A (city) — banned face recognition (government use)".

A record that links others (contract, deployment, legal action, ban, relationship) is said from the
point of view of the one that acts, naming every record it links; a link between two entities (an
agency's parent or jurisdiction, a jurisdiction's part_of, a product's vendor) is said by the entity
that states it. Dates and sources are given beside the words, by `when` and `urls`.
"""

from __future__ import annotations

from decimal import Decimal

import networkx as nx

from kg.graph import dates, linked

_LINKS = {"parent": "is part of", "jurisdiction": "serves", "part_of": "lies within", "vendor": "is made by"}
_BAN = {"ban": "banned", "moratorium": "put a moratorium on", "limit": "limited"}
_LEGAL = {"lawsuit": "sued", "class-action": "sued in a class action", "settlement": "settled",
          "regulator-fine": "fined", "regulator-order": "ordered", "ruling": "subject of a ruling",
          "appeal": "subject of an appeal", "export-control-listing": "placed on an export-control list",
          "sanctions-listing": "sanctioned"}
_SUITS = {"lawsuit", "class-action", "settlement", "appeal"}  # dated by filing; the others by decision
# How plaintiffs are named after the words of each type: "sued by", "settled with", "fined ... on a complaint by".
_PLAINTIFFS = {"lawsuit": " by ", "class-action": " by ", "settlement": " with ",
               "ruling": " in a case brought by ", "appeal": " in a case brought by "}
_TIES = {"acquisition": "acquired", "subsidiary": "is the parent of", "investment": "invested in",
         "merger": "merged with", "partnership": "partnered with"}


def label(graph: nx.MultiDiGraph, node: str) -> str:
    """A record's name; a jurisdiction's with its level, as "City A (city)"."""
    attrs = graph.nodes[node]
    name = attrs.get("name", node)
    return f"{name} ({attrs['level']})" if attrs["kind"] == "jurisdiction" else name


def technologies(slugs: list[str]) -> str:
    return ", ".join(slug.replace("-", " ") for slug in slugs)


def sentence(graph: nx.MultiDiGraph, node: str) -> str:
    """A record that links others, in words."""
    attrs = graph.nodes[node]
    kind = attrs["kind"]

    def names(field: str) -> str:
        return " and ".join(label(graph, other) for other in linked(graph, node, field))

    if kind == "contract":
        through = f" through {names('funding_office')}" if linked(graph, node, "funding_office") else ""
        products = f" ({names('products')})" if linked(graph, node, "products") else ""
        return (f"{names('agency')}{through} — contracted with {names('vendor')} for "
                f"{technologies(attrs['technologies'])}{products}: “{attrs['name']}”{_amounts(attrs.get('amounts'))}")
    if kind == "deployment":
        vendor = f" from {names('vendor')}" if linked(graph, node, "vendor") else ""
        products = f" ({names('products')})" if linked(graph, node, "products") else ""
        contract = f" under “{names('contract')}”" if linked(graph, node, "contract") else ""
        status = f" ({attrs['status']})" if attrs.get("status") else ""
        return f"{names('agency')} — deployed {technologies(attrs['technologies'])}{vendor}{products}{contract}{status}"
    if kind == "ban":
        if attrs["action"] == "repeal":
            return f"{names('jurisdiction')} — repealed “{names('repeals')}” on {technologies(attrs['technologies'])}"
        scope = " and ".join(s.replace("-", " ") for s in attrs["scope"])
        expires = f", until {' / '.join(attrs['expires'])}" if attrs.get("expires") else ""
        return (f"{names('jurisdiction')} — {_BAN[attrs['action']]} {technologies(attrs['technologies'])} "
                f"({scope} use){expires}: “{attrs['name']}”")
    if kind == "legal-action":
        return _legal_action(graph, node, names)
    if kind == "relationship":
        if attrs["type"] == "rename":
            return f"{names('subject')} — was renamed from {attrs['former_name']} to {attrs['new_name']}"
        return f"{names('subject')} — {_TIES[attrs['type']]} {names('object')}{_amounts(attrs.get('amounts'))}"
    raise ValueError(f"{node} is a {kind}: it links nothing")


def _legal_action(graph: nx.MultiDiGraph, node: str, names) -> str:
    attrs = graph.nodes[node]
    title = f"“{attrs['name']}”"
    subject = names("defendants") or title
    by = f" by {names('authority')}" if linked(graph, node, "authority") else ""
    plaintiffs = [label(graph, p) for p in linked(graph, node, "plaintiffs")] + attrs.get("plaintiff_names", [])
    if plaintiffs:
        by += _PLAINTIFFS.get(attrs["type"], " on a complaint by ") + " and ".join(plaintiffs)
    place = ", ".join(p for p in (attrs.get("court"), names("jurisdiction")) if p)
    where = f" in {place}" if place else ""
    appeal = f", appealing “{names('appeal_of')}”" if linked(graph, node, "appeal_of") else ""
    named = f": {title}" if subject != title else ""
    return f"{subject} — {_LEGAL[attrs['type']]}{by}{where}{named}{appeal}{_amounts(attrs.get('penalties'))}"


def _amounts(amounts: list[dict] | None) -> str:
    if not amounts:
        return ""
    return ", " + " / ".join(f"{a['currency']} {Decimal(a['value']):,} ({a['kind']})" for a in amounts)


def link(graph: nx.MultiDiGraph, source: str, target: str, field: str) -> str:
    """A link one entity states to another, in words."""
    return f"{label(graph, source)} — {_LINKS[field]} {label(graph, target)}"


def when(graph: nx.MultiDiGraph, node: str) -> str | None:
    """The date of a linking record's event, all values where sources disagree."""
    attrs = graph.nodes[node]
    fields = {"contract": ("signed", "start"), "deployment": ("start",), "ban": ("effective", "passed"),
              "relationship": ("date",),
              "legal-action": ("filed", "decided") if attrs.get("type") in _SUITS else ("decided", "filed")}
    found = dates(attrs, *fields.get(attrs["kind"], ()))
    return " / ".join(found) or None


def urls(graph: nx.MultiDiGraph, node: str) -> list[str]:
    return [s["url"] for s in graph.nodes[node].get("sources", [])]
