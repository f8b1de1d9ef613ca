"""Render query results: SELECT and ASK as a table or SPARQL results; CONSTRUCT and DESCRIBE as RDF."""

from __future__ import annotations

from pyoxigraph import (
    BlankNode,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    serialize,
)

from kg.rdf import PREFIXES

TABLE_FORMATS = {"csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV,
                 "json": QueryResultsFormat.JSON, "xml": QueryResultsFormat.XML}
GRAPH_FORMATS = {"turtle": RdfFormat.TURTLE, "ntriples": RdfFormat.N_TRIPLES, "jsonld": RdfFormat.JSON_LD,
                 "rdfxml": RdfFormat.RDF_XML}
FORMATS = ["table", *TABLE_FORMATS, *GRAPH_FORMATS]
CELL = 60  # widest cell in a terminal table


class FormatError(ValueError):
    pass


def render(result, fmt: str | None, base: str = "") -> bytes:
    """Results as bytes in `fmt`; in a table, IRIs under `base` show as kind/id and vocabulary IRIs as prefixed names."""
    if isinstance(result, (QuerySolutions, QueryBoolean)):
        fmt = fmt or "table"
        if fmt == "table":
            return _table(result, base).encode()
        if fmt not in TABLE_FORMATS:
            raise FormatError(f"SELECT and ASK results are tables: use --format {'|'.join(['table', *TABLE_FORMATS])}")
        return result.serialize(format=TABLE_FORMATS[fmt])
    fmt = fmt or "turtle"
    if fmt not in GRAPH_FORMATS:
        raise FormatError(f"CONSTRUCT and DESCRIBE results are graphs: use --format {'|'.join(GRAPH_FORMATS)}")
    prefixes = PREFIXES if fmt == "turtle" else None
    return serialize(list(result), format=GRAPH_FORMATS[fmt], prefixes=prefixes)


def _cell(term, base: str) -> str:
    if term is None:
        return ""
    text = f"_:{term.value}" if isinstance(term, BlankNode) else term.value
    if isinstance(term, NamedNode):
        text = _short(text, base)
    text = " ".join(text.split())
    return text if len(text) <= CELL else text[: CELL - 1] + "…"


def _short(iri: str, base: str) -> str:
    if base and iri.startswith(base):
        return iri[len(base):]
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _table(result, base: str) -> str:
    if isinstance(result, QueryBoolean):
        return f"{'true' if bool(result) else 'false'}\n"
    names = [v.value for v in result.variables]
    rows = [[_cell(solution[name], base) for name in names] for solution in result]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(names), line(["-" * w for w in widths]), *map(line, rows)]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
