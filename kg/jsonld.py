"""JSON-LD: the context (generated from the models) and the graph compacted with it.

The compacted document is written directly from the triples rather than by a
JSON-LD processor: the context is ours, so every predicate has exactly one
term, and a processor's compaction would cost minutes at a million triples.
Citations, amounts and claims (IRIs with a #fragment under their record) are
embedded in their record. Tests check with pyld that the document expands to
the same triples as graph.nt.
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.models import KINDS, Identifiers, Technology, is_list, ref_kinds, value_type
from kg.rdf import (
    KG,
    PREFIXES,
    RDF,
    TECHNOLOGY,
    XSD,
    class_name,
    predicate,
    store_quads,
)

# Terms for what the mapping writes beyond the model fields.
EXTRA_TERMS = {
    "recordId": {"@id": "kg:id"},
    "citations": {"@id": "kg:citation", "@container": "@set"},
    "citedSource": {"@id": "kg:citedSource", "@type": "@id"},
    "quote": {"@id": "kg:quote"},
    "claims": {"@id": "kg:claim", "@container": "@set"},
    "claimProperty": {"@id": "kg:claimProperty", "@type": "@id"},
    "claimValue": {"@id": "rdf:value"},
    "value": {"@id": "schema:value", "@type": "xsd:decimal"},
    "currency": {"@id": "schema:currency"},
    "amountKind": {"@id": "kg:amountKind"},
    "note": {"@id": "kg:note"},
    "sources": {"@id": "prov:wasDerivedFrom", "@type": "@id", "@container": "@set"},
}
# Fields whose property another field's term already names (title and website share name and url).
SAME_PROPERTY = {"title", "website"}


@cache
def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and prefix in ("kg", "schema", "prov", "xsd", "rdf"):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def context() -> dict:
    """The @context object: prefixes, a term per class, and a term per property."""
    terms: dict = {"@version": 1.1}  # "@id" and "@type" stay unaliased: `type` is a field of some kinds
    terms |= {p: PREFIXES[p] for p in ("kg", "schema", "prov", "xsd", "rdf", "tech")}
    for name in [*map(class_name, KINDS), "Citation", "Amount", "Claim"]:
        terms[name] = f"kg:{name}"
    for model in KINDS.values():
        for name, info in model.model_fields.items():
            if name in ("id", "sources", "identifiers") or name in SAME_PROPERTY:
                continue
            terms.setdefault(name, _term(name, info))
    for name, info in Identifiers.model_fields.items():
        terms[name] = {"@id": _compact(predicate(name, info)), **({"@type": "@id"} if name == "wikidata" else {})}
    terms |= EXTRA_TERMS
    for tech in Technology:
        terms[tech.value] = f"tech:{tech.value}"
    return {"@context": terms}


def _term(name: str, info) -> dict:
    term: dict = {"@id": _compact(predicate(name, info))}
    if ref_kinds(info):
        term["@type"] = "@id"
    elif value_type(info) == "technology":
        term["@type"] = "@vocab"
    if is_list(info):
        term["@container"] = "@set"
    return term


def context_file() -> str:
    """context.jsonld as published (schemas/, exports/, the site): the context, indented."""
    return json.dumps(context(), indent=2) + "\n"


def _expanded_terms(ctx: dict) -> dict[str, tuple[str, dict]]:
    """Property IRI -> (term, definition), for writing."""
    out = {}
    for term, definition in ctx["@context"].items():
        if isinstance(definition, dict) and "@id" in definition:
            prefix, _, local = definition["@id"].partition(":")
            out[PREFIXES[prefix] + local] = (term, definition)
    return out


def nodes(quads: Iterable[Quad]) -> Iterator[dict]:
    """graph.jsonld's @graph: a node object per record, with its parts embedded, in the order of its graph in
    `quads`. A record's graph holds its statements and its parts' (kg.rdf.record_quads): `quads` come grouped
    by graph (as graph.trig, or store_nodes gives them), each once."""
    ctx = context()
    terms = _expanded_terms(ctx)
    sets = {term for term, d in ctx["@context"].items() if isinstance(d, dict) and d.get("@container") == "@set"}
    rdf_type = RDF + "type"
    for graph, statements in groupby(quads, key=lambda q: q.graph_name):
        by_subject: dict[str, list] = defaultdict(list)
        for q in statements:
            by_subject[q.subject.value].append((q.predicate.value, q.object))
        embedded = {s for s in by_subject if "#" in s}

        def node(subject: str) -> dict:
            out: dict = {"@id": subject}
            values: dict[str, list] = defaultdict(list)
            for p, o in by_subject[subject]:
                if p == rdf_type and o.value.startswith(KG):
                    out["@type"] = o.value.removeprefix(KG)
                    continue
                term, definition = terms[p]
                values[term].append(_value(o, definition, embedded, node))
            for term in sorted(values):
                items = values[term]
                if len(items) > 1:
                    items.sort(key=lambda v: json.dumps(v, sort_keys=True))
                out[term] = items if term in sets or len(items) > 1 else items[0]
            return out

        yield node(graph.value)


def write(graph: Iterable[dict], out: BinaryIO) -> None:
    """graph.jsonld from its nodes, a node at a time: the same bytes as json.dumps of the whole document."""
    head = json.dumps(context(), indent=1, ensure_ascii=False)
    out.write(head.removesuffix("\n}").encode() + b',\n "@graph": [')
    separator = b"\n  "
    for item in graph:
        text: list[str] = []
        _indented(item, "  ", text)  # nested one level deeper than alone: each line indented by two more
        out.write(separator + "".join(text).encode())
        separator = b",\n  "
    out.write(b"\n ]\n}\n" if separator == b",\n  " else b"]\n}\n")


_string = json.encoder.encode_basestring  # a JSON string as ensure_ascii=False writes it (in C)


def _indented(value, indent: str, out: list[str]) -> None:
    """Append `value` as json.dumps(value, indent=1, ensure_ascii=False) writes it, each line after the first
    indented by `indent` more. json.dumps takes twice as long: given an indent, it leaves its C encoder for
    the one written in Python."""
    if isinstance(value, str):
        out.append(_string(value))
        return
    if isinstance(value, dict) and value:
        opening, closing, items = "{", "}", [(_string(key) + ": ", item) for key, item in value.items()]
    elif isinstance(value, list) and value:
        opening, closing, items = "[", "]", [("", item) for item in value]
    else:
        out.append(json.dumps(value))
        return
    inner = indent + " "
    out.append(opening)
    for n, (key, item) in enumerate(items):
        out.append(("\n" if n == 0 else ",\n") + inner + key)
        _indented(item, inner, out)
    out.append("\n" + indent + closing)


def node_texts(path: Path) -> Iterator[tuple[str, str]]:
    """Each node of a graph.jsonld as `write` writes it: its @id, and its text as json.dumps(node, indent=1)
    gives it, read a line at a time (the whole document parsed at once would take several times its size in
    memory) and not parsed. A node starts with a line "  {" and ends with "  }" or "  },"; its own lines
    are indented deeper, its first one giving its @id."""
    node: list[str] | None = None
    last = ""
    with open(path, encoding="utf-8") as lines:
        for last in lines:
            if node is None:
                node = ["{\n"] if last == "  {\n" else None
            elif last in ("  }\n", "  },\n"):
                node.append("}")
                yield _id(path, node[1]), "".join(node)
                node = None
            else:
                node.append(last[2:])
    if node is not None or last != "}\n":
        raise ValueError(f"{path}: cut short, or not written by kg.jsonld.write")


def _id(path: Path, line: str) -> str:
    if not line.startswith(' "@id": '):
        raise ValueError(f"{path}: a node without its @id first, not written by kg.jsonld.write")
    return json.loads(line.removeprefix(' "@id": ').rstrip().removesuffix(","))


def store_nodes(store: Store) -> Iterator[dict]:
    """graph.jsonld's @graph from the store, sorted by IRI."""
    return nodes(store_quads(store))


def document(store: Store) -> bytes:
    """graph.jsonld from the store: the context and the records' nodes."""
    out = io.BytesIO()
    write(store_nodes(store), out)
    return out.getvalue()


def _value(o, definition: dict, embedded: set[str], node):
    if isinstance(o, NamedNode):
        if o.value in embedded:
            return node(o.value)
        if definition.get("@type") == "@vocab" and o.value.startswith(TECHNOLOGY):
            return o.value.removeprefix(TECHNOLOGY)
        return o.value if definition.get("@type") == "@id" else {"@id": o.value}
    assert isinstance(o, Literal)
    datatype = o.datatype.value
    if datatype == XSD + "string" and "@type" not in definition:
        return o.value
    if _compact(datatype) == definition.get("@type"):
        return o.value
    return {"@value": o.value, "@type": _compact(datatype)}

