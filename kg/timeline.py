"""Dated events in order: each date a record gives (signed, began, filed, took effect, founded, ...), said in words."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from kg import sentences
from kg.graph import EVENTS

# Date fields and the event each marks; a date known only to the month or year sorts before the days in it.
EVENT_OF = {"signed": "signed", "start": "began", "end": "ended", "filed": "filed", "decided": "decided",
            "passed": "passed", "effective": "took effect", "expires": "expires", "date": "took place",
            "founded": "founded"}


@dataclass
class Event:
    date: str
    event: str
    record: str
    kind: str
    says: str
    sources: list[str]


def events(graph: nx.MultiDiGraph, entity: str | None = None, kind: str | None = None) -> list[Event]:
    """Every dated event, or those of `entity` and of the records linked to it; of one kind of record if given."""
    if entity is None:
        nodes = set(graph)
    else:
        linked = {*graph.predecessors(entity), *graph.successors(entity)}
        nodes = {entity} | {n for n in linked if graph.nodes[n]["kind"] in EVENTS}
    found = []
    for node in sorted(nodes):
        attrs = graph.nodes[node]
        if kind and attrs["kind"] != kind:
            continue
        says = sentences.sentence(graph, node) if attrs["kind"] in EVENTS else sentences.label(graph, node)
        urls = sentences.urls(graph, node)
        for order, (field, event) in enumerate(EVENT_OF.items()):
            for date in attrs.get(field, []):
                found.append(((date, node, order), Event(date, event, node, attrs["kind"], says, urls)))
    return [e for _, e in sorted(found, key=lambda pair: pair[0])]


def as_text(found: list[Event]) -> str:
    width = max((len(e.date) for e in found), default=0)
    lines = [f"{e.date:<{width}}  {e.event}: {e.says} [{' '.join(e.sources)}]" for e in found]
    return "\n".join(lines) + "\n" if lines else "no dated events\n"
