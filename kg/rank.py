"""Entities ranked by how connected they are: degree, betweenness or PageRank on the graph.

Measures are taken on the undirected graph of all records but Sources, with each pair of linked records
counted once: an entity's degree is the number of records linking to it or that it names.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from kg import rows
from kg.graph import ENTITIES

MEASURES = {
    "degree": lambda g: dict(g.degree()),
    "betweenness": nx.betweenness_centrality,
    "pagerank": nx.pagerank,
}


@dataclass
class Ranked:
    rank: int  # ties share a rank
    id: str
    name: str
    kind: str
    score: int | float


def rank(graph: nx.MultiDiGraph, by: str, kind: str | None = None, top: int | None = None) -> list[Ranked]:
    """Entities (of one kind, if given) by a measure, highest first; ties by name."""
    scores = MEASURES[by](nx.Graph(graph.to_undirected(as_view=True)))
    wanted = [n for n, attrs in graph.nodes(data=True) if attrs["kind"] == kind or (kind is None and attrs["kind"] in ENTITIES)]
    # Rounded, so the order and the output do not turn on the last bits of a float.
    rounded = {n: scores[n] if by == "degree" else round(scores[n], 6) for n in wanted}
    ordered = sorted(wanted, key=lambda n: (-rounded[n], graph.nodes[n]["name"], n))
    out: list[Ranked] = []
    for i, node in enumerate(ordered[:top] if top else ordered):
        shared = out and out[-1].score == rounded[node]
        out.append(Ranked(out[-1].rank if shared else i + 1, node, graph.nodes[node]["name"], graph.nodes[node]["kind"],
                          rounded[node]))
    return out


def as_text(ranked: list[Ranked]) -> str:
    return rows.as_table(ranked, Ranked)
