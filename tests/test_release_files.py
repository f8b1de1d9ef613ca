"""export.write_release: each file rendered to a temporary path, all renamed into place together; each format
rendered alone equals the file the release writes."""

import io
import json
import shutil
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store

from kg import export, jsonld
from kg.rdf import DEFAULT_BASE
from kg.store import loaded_quads, open_store
from kg.validate import validate


def release_of(facts: Path, root: Path) -> export.Release:
    records = validate(facts)
    store = open_store(facts, root, records=records).store
    return export.Release(records, store, DEFAULT_BASE, export.release_date(records))


def written(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_each_format_rendered_alone_equals_the_file_of_the_release(facts: Path, tmp_path: Path):
    release = release_of(facts, tmp_path / "store")
    export.write_release(release, tmp_path / "out")
    files = written(tmp_path / "out")
    assert sorted(files) == sorted([*(f.file for f in export.FORMATS.values()), export.VOID_FILE])
    for name, fmt in export.FORMATS.items():
        assert fmt.render(release) == files[fmt.file], name
    assert export.render_void(release) == files[export.VOID_FILE]


def test_sorting_in_runs_on_disk_gives_the_files_sorted_in_memory(facts: Path, tmp_path: Path, monkeypatch):
    release = release_of(facts, tmp_path / "store")
    export.write_release(release, tmp_path / "whole")
    lines = (tmp_path / "whole" / "graph.nq").read_bytes().count(b"\n")
    monkeypatch.setattr(export, "RUN", 7)  # the fixture's quads in many runs, merged
    assert lines > 10 * export.RUN
    export.write_release(release, tmp_path / "runs")
    assert written(tmp_path / "runs") == written(tmp_path / "whole")


def test_the_quads_the_store_was_loaded_with_give_the_files_a_dump_of_it_gives(facts: Path, tmp_path: Path):
    release = release_of(facts, tmp_path / "store")
    export.write_release(release, tmp_path / "dumped")
    loaded = loaded_quads(open_store(facts, tmp_path / "store").path)
    lines = loaded.read_bytes().splitlines(keepends=True)
    assert len(lines) == len(release.store) and lines != sorted(lines), "the quads as loaded, not sorted"
    loaded.write_bytes(b"".join(lines + lines[:5]))  # a quad given twice is stored once
    release.loaded = loaded
    export.write_release(release, tmp_path / "sorted")
    assert written(tmp_path / "sorted") == written(tmp_path / "dumped")


def test_a_failed_write_leaves_the_previous_release_and_no_temporary_file(facts: Path, tmp_path: Path):
    out = tmp_path / "out"
    export.write_release(release_of(facts, tmp_path / "before"), out)
    shutil.rmtree(out / "csv")
    (out / "csv").write_text("a file where the tables go")  # rendered after the graph files, which are staged by then
    before = written(out)
    acme = facts / "vendor" / "acme.yaml"
    acme.write_text(acme.read_text().replace("name: Acme Face", "name: Acme Faces"))
    changed = release_of(facts, tmp_path / "after")
    with pytest.raises(OSError):
        export.write_release(changed, out)
    assert written(out) == before  # no file changed, none left half-written or temporary
    (out / "csv").unlink()
    export.write_release(changed, out)
    assert b'"Acme Faces"' in (out / "graph.nq").read_bytes() and b'"Acme Face"' in before["graph.nq"]
    assert sorted(p.name for p in out.rglob(".*")) == []


def whole_document(graph: list[dict]) -> bytes:
    return (json.dumps({**jsonld.context(), "@graph": graph}, indent=1, ensure_ascii=False) + "\n").encode()


def test_jsonld_written_a_node_at_a_time_equals_the_whole_document_dumped(facts: Path, tmp_path: Path):
    store = release_of(facts, tmp_path / "store").store
    graph = list(jsonld.store_nodes(store))
    assert len(graph) == 25 and all("@type" in node for node in graph)
    assert [node["@id"] for node in graph] == sorted(node["@id"] for node in graph)
    assert jsonld.document(store) == whole_document(graph)
    # What the records hold none of yet: empty containers, escapes, text beyond ASCII, numbers, deeper nesting.
    odd = [{"@id": "x", "a": [], "b": {}, "c": 'é "q"\\\n\t\u2028\x7f', "d": [{"@id": "y", "e": ["1", {"f": [2, 2.5]}]}],
            "n": None, "t": True}]
    written = io.BytesIO()
    jsonld.write(odd, written)
    assert written.getvalue() == whole_document(odd)


def test_jsonld_read_a_node_at_a_time_and_cut_short(facts: Path, tmp_path: Path):
    store = release_of(facts, tmp_path / "store").store
    document = jsonld.document(store)
    (tmp_path / "graph.jsonld").write_bytes(document)
    nodes = json.loads(document)["@graph"]
    assert list(jsonld.node_texts(tmp_path / "graph.jsonld")) == [
        (node["@id"], json.dumps(node, indent=1, ensure_ascii=False)) for node in nodes]
    between_nodes = document.rindex(b"\n  {")
    (tmp_path / "graph.jsonld").write_bytes(document[:between_nodes])
    with pytest.raises(ValueError, match="cut short"):
        list(jsonld.node_texts(tmp_path / "graph.jsonld"))
    empty = io.BytesIO()
    jsonld.write([], empty)
    assert empty.getvalue() == whole_document([])


def test_ntriples_are_the_sorted_distinct_triples_of_the_quads():
    # Terms that are prefixes of others, and a triple stated in two graphs: the order must not depend on the graph.
    x, g1, g2 = NamedNode("http://example.org/x"), NamedNode("http://example.org/g"), NamedNode("http://example.org/g-2")
    objects = [Literal("a"), Literal("a", language="en"), Literal("a", language="en-gb"), Literal("a b"), Literal("a\tb"),
               Literal("a", datatype=NamedNode("http://example.org/t")), NamedNode("http://example.org/x-1"), x]
    store = Store()
    for i, o in enumerate(objects):
        for p in (NamedNode("http://example.org/p"), NamedNode("http://example.org/p-q")):
            store.add(Quad(x, p, o, g1 if i % 2 else g2))
    store.add(Quad(x, NamedNode("http://example.org/p"), Literal("a"), g1))
    union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    expected = sorted(set(union.serialize(format=RdfFormat.N_TRIPLES).splitlines(keepends=True)))
    assert len(expected) == 16
    ntriples = export.FORMATS["ntriples"].render(export.Release([], store, DEFAULT_BASE, "2025-01-01"))
    assert ntriples.splitlines(keepends=True) == expected
