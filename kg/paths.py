"""The shortest connections between two records of the graph, each step said in words with its date and sources.

A step is one record: a contract, deployment, legal action, ban or relationship on the way, or a link an
entity states (an agency's parent or jurisdiction, a jurisdiction's part_of, a product's vendor). Paths
are found on the undirected graph, where an edge between an entity and a linking record weighs half a
step, so the shortest paths are those of fewest steps.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import networkx as nx

from kg import sentences
from kg.graph import EVENTS
from kg.lookup import RecordError


@dataclass
class Step:
    path: int
    step: int
    record: str  # the record that states this step
    says: str
    date: str | None
    sources: list[str]


def connections(graph: nx.MultiDiGraph, start: str, end: str, max_hops: int, limit: int) -> list[Step]:
    """The steps of up to `limit` shortest paths from `start` to `end` of at most `max_hops` steps."""
    if start == end:
        raise RecordError(f"{start!r} is both ends: give two different records")
    weighted = _weighted(graph)
    try:
        found = list(itertools.islice(nx.all_shortest_paths(weighted, start, end, weight="weight"), limit))
    except nx.NetworkXNoPath:
        return []
    if math.ceil(nx.path_weight(weighted, found[0], "weight")) > max_hops:
        return []
    return [step for number, nodes in enumerate(sorted(found), 1) for step in _steps(graph, nodes, number)]


def _weighted(graph: nx.MultiDiGraph) -> nx.Graph:
    undirected = nx.Graph()
    undirected.add_nodes_from(graph)
    for u, v in graph.edges():
        one_event = (graph.nodes[u]["kind"] in EVENTS) != (graph.nodes[v]["kind"] in EVENTS)
        undirected.add_edge(u, v, weight=0.5 if one_event else 1.0)
    return undirected


def _steps(graph: nx.MultiDiGraph, nodes: list[str], number: int) -> list[Step]:
    steps: list[Step] = []

    def add(record: str, says: str, date: str | None) -> None:
        steps.append(Step(number, len(steps) + 1, record, says, date, sentences.urls(graph, record)))

    for i, node in enumerate(nodes):
        if graph.nodes[node]["kind"] in EVENTS:
            add(node, sentences.sentence(graph, node), sentences.when(graph, node))
        elif i + 1 < len(nodes) and graph.nodes[nodes[i + 1]]["kind"] not in EVENTS:
            source, target, field = _entity_link(graph, node, nodes[i + 1])
            add(source, sentences.link(graph, source, target, field), None)
    return steps


def _entity_link(graph: nx.MultiDiGraph, a: str, b: str) -> tuple[str, str, str]:
    """The link between two entities, from the one that states it."""
    source, target = (a, b) if graph.has_edge(a, b) else (b, a)
    return source, target, min(graph[source][target])


def as_text(steps: list[Step], max_hops: int) -> str:
    if not steps:
        return f"no connection of {max_hops} steps or fewer\n"
    lines = []
    for number, group in itertools.groupby(steps, key=lambda s: s.path):
        of_path = list(group)
        lines.append(f"path {number}, {len(of_path)} step{'s' if len(of_path) > 1 else ''}:")
        for s in of_path:
            date = f", {s.date}" if s.date else ""
            lines.append(f"  {s.step}. {s.says}{date} [{' '.join(s.sources)}]")
    return "\n".join(lines) + "\n"
