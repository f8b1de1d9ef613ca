"""`kg build` from the real console script: summary, every export, determinism, and parsers we did not write."""

import csv
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from conftest import ROOT, run_console
from followthemoney import model as ftm_model
from pyld import jsonld

RDF_FILES = {"graph.ttl": "turtle", "graph.nt": "ntriples", "graph.nq": "nquads", "graph.trig": "trig", "void.ttl": "turtle"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("build")
    result = run_console("build", "--out", work / "exports", cwd=work)
    assert result.returncode == 0, result.stderr
    assert "records" in result.stdout and "triples" in result.stdout and "sources" in result.stdout
    return work / "exports"


def files(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_build_writes_every_export(built: Path):
    expected = {*RDF_FILES, "graph.jsonld", "context.jsonld", "entities.ftm.json"}
    expected |= {f"csv/{kind}.csv" for kind in ("agency", "vendor", "product", "jurisdiction", "contract", "deployment",
                                                 "legal-action", "ban", "relationship", "source")}
    expected.add("graph.html")
    written = set(files(built))
    assert {f for f in written if not f.startswith("site/")} == expected
    records = [p.relative_to(ROOT / "kg" / "facts").with_suffix("") for p in (ROOT / "kg" / "facts").rglob("*.yaml")]
    site = {"site/index.html", "site/timeline.html", "site/context.jsonld"} | {f"site/{r}.{ext}" for r in records for ext in ("html", "ttl", "jsonld")}
    assert site <= written


def test_build_twice_gives_byte_identical_exports(built: Path, tmp_path: Path):
    again = run_console("build", "--out", tmp_path / "exports", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert files(built) == files(tmp_path / "exports")


def test_committed_exports_are_current(built: Path):
    assert files(ROOT / "exports") == files(built), "exports/ is stale: run `kg build` and commit it"


def triples(path: Path, fmt: pyoxigraph.RdfFormat) -> set:
    return {(q.subject, q.predicate, q.object) for q in pyoxigraph.parse(path=str(path), format=fmt)}


def test_every_rdf_export_holds_the_same_triples_in_oxigraph(built: Path):
    nt = triples(built / "graph.nt", pyoxigraph.RdfFormat.N_TRIPLES)
    for name, fmt in [("graph.ttl", pyoxigraph.RdfFormat.TURTLE), ("graph.nq", pyoxigraph.RdfFormat.N_QUADS),
                      ("graph.trig", pyoxigraph.RdfFormat.TRIG), ("graph.jsonld", pyoxigraph.RdfFormat.JSON_LD)]:
        assert triples(built / name, fmt) == nt, name


def test_nquads_loaded_into_a_fresh_store_equals_the_built_store(built: Path, tmp_path: Path):
    # No blank nodes, so isomorphic means equal.
    fresh = pyoxigraph.Store()
    fresh.bulk_load(path=str(built / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG)
    original = {q for q in pyoxigraph.parse(path=str(built / "graph.nq"), format=pyoxigraph.RdfFormat.N_QUADS)}
    assert set(fresh) == original
    assert len({q.graph_name for q in original}) == sum(1 for _ in (ROOT / "kg" / "facts").rglob("*.yaml"))


def test_pyld_expands_jsonld_to_the_triples_of_graph_nt(built: Path):
    doc = json.loads((built / "graph.jsonld").read_text())
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    from_pyld = {(q.subject, q.predicate, q.object) for q in pyoxigraph.parse(nquads, format=pyoxigraph.RdfFormat.N_QUADS)}
    assert from_pyld == triples(built / "graph.nt", pyoxigraph.RdfFormat.N_TRIPLES)


def test_jsonld_uses_the_published_context(built: Path):
    context = json.loads((ROOT / "schemas" / "context.jsonld").read_text())
    assert json.loads((built / "context.jsonld").read_text()) == context
    doc = json.loads((built / "graph.jsonld").read_text())
    assert doc["@context"] == context["@context"]
    contract = next(n for n in doc["@graph"] if n["@id"].endswith("/contract/ice-clearview-ai-2020"))
    assert contract["agency"].endswith("/agency/ice") and contract["technologies"] == ["face-recognition"]
    assert contract["amounts"][0]["value"] == "224000" and contract["signed"] == {"@value": "2020-08-12", "@type": "xsd:date"}


@pytest.mark.parametrize("name", sorted(RDF_FILES))
def test_rapper_parses_every_rdf_export(built: Path, name: str):
    if not shutil.which("rapper"):
        if os.environ.get("CI") == "true":
            pytest.fail("rapper (raptor2-utils) is not installed")
        pytest.skip("rapper (raptor2-utils) is not installed")
    result = subprocess.run(["rapper", "-i", RDF_FILES[name], "-c", str(built / name)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "returned" in result.stderr


def test_rdflib_parses_turtle_and_nquads(built: Path):
    assert len(rdflib.Graph().parse(built / "graph.ttl", format="turtle")) == len(
        triples(built / "graph.nt", pyoxigraph.RdfFormat.N_TRIPLES))
    dataset = rdflib.Dataset()
    dataset.parse(built / "graph.nq", format="nquads")
    assert all(str(g).startswith("https://w3id.org/surveillance-kg/id/") for *_, g in dataset.quads())


def test_csv_has_a_row_per_record_with_ids_and_source_urls(built: Path):
    rows = list(csv.DictReader((built / "csv" / "contract.csv").open()))
    assert [r["id"] for r in rows] == sorted(p.stem for p in (ROOT / "kg" / "facts" / "contract").glob("*.yaml"))
    ice = next(r for r in rows if r["id"] == "ice-clearview-ai-2020")
    assert ice["agency"] == "ice" and ice["vendor"] == "clearview-ai" and ice["signed"] == "2020-08-12"
    assert ice["amounts"] == "224000 USD reported"
    assert "https://www.zdnet.com/article/controversial-facial-recognition-tech-firm-clearview-ai-inks-deal-with-ice/" in ice["source_urls"].split()


def test_ftm_lines_are_valid_followthemoney_entities(built: Path):
    entities = [json.loads(line) for line in (built / "entities.ftm.json").read_text().splitlines()]
    schemas = {e["schema"] for e in entities}
    assert {"PublicBody", "Company", "Contract", "ContractAward"} <= schemas
    for entity in entities:
        proxy = ftm_model.get_proxy(entity, cleaned=False)  # raises on unknown schemas or properties
        assert proxy.id == entity["id"]
    ids = {e["id"] for e in entities}
    for entity in entities:
        for prop, values in entity["properties"].items():
            if ftm_model.get(entity["schema"]).get(prop).type.name == "entity":
                assert set(values) <= ids, (entity["id"], prop)


def test_void_describes_the_release(built: Path):
    void = rdflib.Graph().parse(built / "void.ttl")
    dataset = rdflib.URIRef("https://w3id.org/surveillance-kg/dataset")
    VOID, DCAT, DCT, SPDX = (rdflib.Namespace(n) for n in (
        "http://rdfs.org/ns/void#", "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/", "http://spdx.org/rdf/terms#"))
    graph = triples(built / "graph.nt", pyoxigraph.RdfFormat.N_TRIPLES)
    assert int(void.value(dataset, VOID.triples)) == len(graph)
    assert int(void.value(dataset, VOID.distinctSubjects)) == len({s for s, _, _ in graph})
    assert void.value(dataset, DCT.license) and void.value(dataset, DCAT.version) and void.value(dataset, DCT.issued)
    for dist in void.objects(dataset, DCAT.distribution):
        content = (built / str(dist).rsplit("/exports/", 1)[1]).read_bytes()
        assert int(void.value(dist, DCAT.byteSize)) == len(content)
        assert str(void.value(void.value(dist, SPDX.checksum), SPDX.checksumValue)) == hashlib.sha256(content).hexdigest()
        assert void.value(dist, DCAT.mediaType)


def test_build_with_invalid_facts_writes_nothing(facts: Path, tmp_path: Path):
    (facts / "vendor" / "acme.yaml").write_text("id: acme\n")
    result = run_console("build", "--facts", facts, "--out", tmp_path / "out", cwd=tmp_path)
    assert result.returncode == 1
    assert "facts/vendor/acme.yaml:1: name: required field is missing" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_unwritable_output_is_a_clear_error(facts: Path, tmp_path: Path):
    (tmp_path / "file").write_text("not a directory")
    result = run_console("build", "--facts", facts, "--out", tmp_path / "file" / "exports", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: Not a directory") and "Traceback" not in result.stderr


def test_stats_reads_the_store(facts: Path, kg):
    assert kg("build", "--facts", facts, "--out", "exports").exit_code == 0
    result = kg("stats", "--facts", facts)
    assert result.stdout.startswith("25 records, ")
    assert "  contract           3" in result.stdout
