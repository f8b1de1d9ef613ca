"""`kg build` from the real console script: summary, exports, determinism, and parsers we did not write."""

import os
import shutil
import subprocess
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

from conftest import ROOT, run_console


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("build")
    result = run_console("build", "--out", work / "exports", cwd=work)
    assert result.returncode == 0, result.stderr
    assert "records" in result.stdout and "triples" in result.stdout and "sources" in result.stdout
    return work / "exports"


def test_build_twice_gives_byte_identical_exports(built: Path, tmp_path: Path):
    again = run_console("build", "--out", tmp_path / "exports", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    for name in ("graph.ttl", "graph.nq"):
        assert (built / name).read_bytes() == (tmp_path / "exports" / name).read_bytes(), name


def test_committed_exports_are_current(built: Path):
    for name in ("graph.ttl", "graph.nq"):
        assert (ROOT / "exports" / name).read_bytes() == (built / name).read_bytes(), f"exports/{name} is stale: run `kg build`"


def test_exports_parse_in_oxigraph_and_rdflib_to_the_same_graph(built: Path):
    nq = list(pyoxigraph.parse(path=str(built / "graph.nq"), format=pyoxigraph.RdfFormat.N_QUADS))
    ttl = list(pyoxigraph.parse(path=str(built / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE))
    assert {(q.subject, q.predicate, q.object) for q in nq} == {(t.subject, t.predicate, t.object) for t in ttl}
    dataset = rdflib.Dataset()
    dataset.parse(built / "graph.nq", format="nquads")
    quads = list(dataset.quads((None, None, None, None)))
    assert len(quads) == len(nq)
    assert all(str(g).startswith("https://w3id.org/surveillance-kg/id/") for *_, g in quads)
    assert len(rdflib.Graph().parse(built / "graph.ttl", format="turtle")) == len(ttl)


@pytest.mark.parametrize("name, syntax", [("graph.ttl", "turtle"), ("graph.nq", "nquads")])
def test_exports_parse_in_rapper(built: Path, name: str, syntax: str):
    if not shutil.which("rapper"):
        if os.environ.get("CI") == "true":
            pytest.fail("rapper (raptor2-utils) is not installed")
        pytest.skip("rapper (raptor2-utils) is not installed")
    result = subprocess.run(["rapper", "-i", syntax, "-c", str(built / name)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "returned" in result.stderr


def test_build_with_invalid_facts_writes_nothing(facts: Path, tmp_path: Path):
    (facts / "vendor" / "acme.yaml").write_text("id: acme\n")
    result = run_console("build", "--facts", facts, "--out", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 1
    assert "facts/vendor/acme.yaml:1: name: required field is missing" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_stats_reads_the_store(facts: Path, kg):
    assert kg("build", "--facts", facts, "--out", "exports").exit_code == 0
    result = kg("stats", "--facts", facts)
    assert result.stdout.startswith("24 records, ")
    assert "  contract           3" in result.stdout


def test_unwritable_output_is_a_clear_error(tmp_path: Path):
    (tmp_path / "file").write_text("not a directory")
    result = run_console("build", "--out", tmp_path / "file" / "exports", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: Not a directory") and "Traceback" not in result.stderr
    assert not list((tmp_path).glob("file/*"))
