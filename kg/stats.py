"""What the store holds: records per kind, triples, sources."""

from __future__ import annotations

from pyoxigraph import Store

from kg.models import KINDS
from kg.rdf import KG, class_name

_PER_CLASS = "SELECT ?type (COUNT(?r) AS ?n) WHERE { GRAPH ?r { ?r a ?type } } GROUP BY ?type"


def summary(store: Store) -> dict:
    counts = {str(s["type"].value): int(s["n"].value) for s in store.query(_PER_CLASS)}
    per_kind = {kind: counts.get(KG + class_name(kind), 0) for kind in KINDS}
    return {
        "records": sum(per_kind.values()),
        "per_kind": per_kind,
        "sources": per_kind["source"],
        "triples": len(store),
    }


def format_summary(s: dict) -> str:
    lines = [f"{s['records']} records, {s['triples']} triples, {s['sources']} sources"]
    lines += [f"  {kind:<14}{n:>6}" for kind, n in s["per_kind"].items()]
    return "\n".join(lines)
