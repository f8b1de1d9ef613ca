"""Find a record in the graph by its id, name or alias; a near miss suggests the likely names."""

from __future__ import annotations

import difflib

import networkx as nx

from kg.graph import linked


class RecordError(Exception):
    """A record given by the user cannot be used: no record or several answer to the name, or it is both ends of a path."""


def find(graph: nx.MultiDiGraph, text: str) -> str:
    """The id of the record with this id, else with this name, else with this alias (ignoring case)."""
    if text in graph:
        return text
    wanted = text.casefold()
    matches = sorted(node for node, attrs in graph.nodes(data=True) if wanted == attrs.get("name", "").casefold())
    matches = matches or sorted(node for node, attrs in graph.nodes(data=True) if wanted in _names(attrs))
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = "; ".join(f"{node} ({describe(graph, node)})" for node in matches)
        raise RecordError(f"{text!r} names {len(matches)} records: {listed}. Give the id")
    by_name: dict[str, set[str]] = {}
    for node, attrs in graph.nodes(data=True):
        for name in {node, *_names(attrs)}:
            by_name.setdefault(name, set()).add(node)
    close = difflib.get_close_matches(wanted, by_name, n=5, cutoff=0.6)
    likely = list(dict.fromkeys(node for name in close for node in sorted(by_name[name])))
    hint = "; did you mean " + " or ".join(f"{node} ({describe(graph, node)})" for node in likely) + "?" if likely else ""
    raise RecordError(f"no record with the id, name or alias {text!r}{hint}")


def _names(attrs: dict) -> set[str]:
    return {n.casefold() for n in [attrs.get("name", ""), *attrs.get("aliases", [])] if n}


def describe(graph: nx.MultiDiGraph, node: str) -> str:
    """A record's name with what it is and where, such as "City A, city in State Y"."""
    attrs = graph.nodes[node]
    what = attrs["level"] if attrs["kind"] == "jurisdiction" else attrs["kind"]
    where = [f" in {graph.nodes[n]['name']}" for n in linked(graph, node, "part_of") + linked(graph, node, "jurisdiction")]
    where += [f" of {graph.nodes[n]['name']}" for n in linked(graph, node, "vendor") if attrs["kind"] == "product"]
    return f"{attrs.get('name', node)}, {what}{''.join(where)}"
