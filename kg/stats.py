"""What the store holds: records per kind, triples, sources; and how well the facts are covered and sourced."""

from __future__ import annotations

from collections import defaultdict

from pyoxigraph import Store

from kg.models import KINDS
from kg.rdf import KG, SPARQL_PREFIXES, class_name

_PER_CLASS = "SELECT ?type (COUNT(?r) AS ?n) WHERE { GRAPH ?r { ?r a ?type } } GROUP BY ?type"
# A record's year: the earliest of its event dates (signed, began, filed, decided, passed, in effect, took place).
_PER_YEAR = SPARQL_PREFIXES + """
SELECT ?type ?year (COUNT(?r) AS ?n) WHERE {
  { SELECT ?r ?type (MIN(SUBSTR(STR(?d), 1, 4)) AS ?year) WHERE {
      GRAPH ?r { ?r a ?type ; ?p ?d . VALUES ?p { kg:signed kg:start kg:filed kg:decided kg:passed kg:effective kg:date } }
    } GROUP BY ?r ?type }
} GROUP BY ?type ?year"""
# Independent sources: distinct outlets, by publisher, or by the URL's host where no publisher is given.
_SOURCING = SPARQL_PREFIXES + """
SELECT ?r (COUNT(DISTINCT ?outlet) AS ?outlets) (COUNT(DISTINCT ?citation) AS ?citations) (COUNT(DISTINCT ?quoted) AS ?quotes)
WHERE {
  GRAPH ?r { ?r kg:citation ?citation . ?citation kg:citedSource ?source . OPTIONAL { ?citation kg:quote ?q . BIND(?citation AS ?quoted) } }
  ?source schema:url ?url .
  OPTIONAL { ?source kg:publisher ?publisher }
  BIND(COALESCE(LCASE(?publisher), REPLACE(STR(?url), "^https?://(www[.])?([^/]+).*$", "$2")) AS ?outlet)
} GROUP BY ?r"""


def _kind(type_iri: str) -> str | None:
    return next((k for k in KINDS if KG + class_name(k) == type_iri), None)


def summary(store: Store) -> dict:
    counts = {str(s["type"].value): int(s["n"].value) for s in store.query(_PER_CLASS)}
    per_kind = {kind: counts.get(KG + class_name(kind), 0) for kind in KINDS}
    return {
        "records": sum(per_kind.values()),
        "per_kind": per_kind,
        "sources": per_kind["source"],
        "triples": len(store),
    }


def coverage(store: Store) -> dict:
    per_year: dict[str, dict[str, int]] = defaultdict(dict)
    for row in store.query(_PER_YEAR):
        per_year[_kind(row["type"].value)][row["year"].value] = int(row["n"].value)
    rows = list(store.query(_SOURCING, use_default_graph_as_union=True))
    fact_bearing = len(rows)
    citations = sum(int(r["citations"].value) for r in rows)
    return {
        "per_kind_and_year": {k: dict(sorted(v.items())) for k, v in sorted(per_year.items())},
        "fact_bearing_records": fact_bearing,
        "two_or_more_independent_sources": _share(sum(int(r["outlets"].value) >= 2 for r in rows), fact_bearing),
        "every_citation_quoted": _share(sum(r["quotes"].value == r["citations"].value for r in rows), fact_bearing),
        "citations_with_quote": _share(sum(int(r["quotes"].value) for r in rows), citations),
    }


def _share(part: int, whole: int) -> dict:
    return {"count": part, "of": whole, "share": round(part / whole, 3) if whole else 0.0}


def format_summary(s: dict) -> str:
    lines = [f"{s['records']} records, {s['triples']} triples, {s['sources']} sources"]
    lines += [f"  {kind:<14}{n:>6}" for kind, n in s["per_kind"].items()]
    return "\n".join(lines)


def format_coverage(c: dict) -> str:
    lines = ["coverage", "  records per kind and year (the earliest event date of each record):"]
    for kind, years in c["per_kind_and_year"].items():
        lines.append(f"    {kind:<14}" + ", ".join(f"{y}: {n}" for y, n in years.items()))
    for key, label in [("two_or_more_independent_sources", "with two or more independent sources"),
                       ("every_citation_quoted", "with a quote for every source cited")]:
        v = c[key]
        lines.append(f"  fact-bearing records {label}: {v['count']} of {v['of']} ({v['share']:.1%})")
    v = c["citations_with_quote"]
    lines.append(f"  citations with a quote: {v['count']} of {v['of']} ({v['share']:.1%})")
    return "\n".join(lines)
