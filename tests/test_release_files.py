"""export.write_release: each file rendered to a temporary path, all renamed into place together; each format
rendered alone equals the file the release writes."""

import io
import json
import shutil
from pathlib import Path

import pytest

from kg import export, jsonld
from kg.rdf import DEFAULT_BASE
from kg.store import open_store
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
    graph = sorted(jsonld.nodes(store), key=lambda node: node["@id"])
    assert len(graph) == 25 and all("@type" in node for node in graph)
    assert jsonld.document(store) == whole_document(graph)
    empty = io.BytesIO()
    jsonld.write([], empty)
    assert empty.getvalue() == whole_document([])
