"""The embedded store: built beside the current one and swapped in; reopened without rebuilding unless facts change."""

import os
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store, serialize

from kg import catalog as catalogs
from kg import loader
from kg import release as releases
from kg.rdf import DEFAULT_BASE, dataset_quads
from kg.records import InvalidRecords
from kg.store import _load, open_store
from kg.validate import validate


def test_build_then_reuse_then_rebuild_on_change(facts: Path, tmp_path: Path):
    root = tmp_path / "store"
    first = open_store(facts, root)
    assert first.rebuilt and (root / "current").is_symlink()
    first_path = first.path
    del first
    again = open_store(facts, root)
    assert not again.rebuilt
    del again
    (facts / "vendor" / "beta.yaml").write_text((facts / "vendor" / "beta.yaml").read_text().replace("Beta Plates", "Beta Readers"))
    changed = open_store(facts, root)
    assert changed.rebuilt
    names = {s["n"].value for s in changed.store.query(
        "SELECT ?n WHERE { ?v <https://schema.org/name> ?n }", use_default_graph_as_union=True)}
    assert "Beta Readers" in names and "Beta Plates" not in names
    # The store just replaced is kept (a running server may hold it); older ones go.
    assert sorted(p.name for p in root.glob("store-*")) == sorted([changed.path.name, first_path.name])
    (facts / "vendor" / "beta.yaml").write_text((facts / "vendor" / "beta.yaml").read_text().replace("Beta Readers", "Beta Tags"))
    again = open_store(facts, root)
    assert sorted(p.name for p in root.glob("store-*")) == sorted([again.path.name, changed.path.name])


def test_invalid_facts_leave_the_current_store_untouched(facts: Path, tmp_path: Path):
    root = tmp_path / "store"
    before = open_store(facts, root).path
    (facts / "vendor" / "beta.yaml").write_text("id: beta\n")
    with pytest.raises(InvalidRecords):
        open_store(facts, root)
    assert (root / "current").resolve() == before


def test_default_graph_is_the_union_of_record_graphs(facts: Path, tmp_path: Path):
    store = open_store(facts, tmp_path / "store").store
    graphs = list(store.named_graphs())
    assert len(graphs) == 25
    count = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    assert int(next(count)["n"].value) == len(store)


def test_a_store_that_cannot_be_loaded_fails_with_the_loaders_error(facts, tmp_path):
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "CURRENT").write_text("not RocksDB's")
    with pytest.raises(RuntimeError, match="loading the store at .* failed: .*Corruption"):
        _load(tmp_path / "store", dataset_quads(validate(facts), DEFAULT_BASE), lambda quads: None)


def test_the_loader_loads_every_quad_across_its_batches(facts: Path, tmp_path: Path, monkeypatch):
    quads = list(dataset_quads(validate(facts), DEFAULT_BASE))
    lines = serialize(quads, format=RdfFormat.N_QUADS).splitlines(keepends=True)
    monkeypatch.setattr(loader, "BATCH", 7)
    assert len(lines) % 7 and len(lines) > 14  # several batches, the last one short
    loader.load(str(tmp_path / "store"), iter(lines))
    assert sorted(map(str, Store.read_only(str(tmp_path / "store")))) == sorted(map(str, quads))


def _loader_running() -> bool:
    children = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split()
    return any(b"kg.loader" in Path(f"/proc/{pid}/cmdline").read_bytes() for pid in children)


def test_work_given_to_do_while_loading_runs_while_the_loader_writes_the_store(facts: Path, tmp_path: Path):
    seen = []
    open_store(facts, tmp_path / "store", while_loading=lambda quads: seen.append(_loader_running() and quads.exists()))
    assert seen == [True]
    open_store(facts, tmp_path / "store", while_loading=lambda quads: seen.append(_loader_running()))  # not rebuilt: at once
    assert seen == [True, False]


def test_the_catalog_made_as_the_store_loads_is_the_one_read_back_from_it(facts: Path, tmp_path: Path):
    records = validate(facts)
    opened, catalog = releases.build_store(facts, tmp_path / "store", DEFAULT_BASE, records)
    assert opened.rebuilt and len(catalog.entries) == len(records)
    assert catalog == catalogs.load(opened.store, DEFAULT_BASE) == catalogs.from_quads(dataset_quads(records, DEFAULT_BASE), DEFAULT_BASE)
