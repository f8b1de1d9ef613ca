"""`kg export`, `kg diff` and the SHACL check."""

import json
from pathlib import Path

import pyoxigraph
import rdflib

from kg import shapes
from kg.rdf import DEFAULT_BASE, SCHEMA, dataset_quads
from kg.validate import validate

CONSTRUCT = """PREFIX schema: <https://schema.org/>
PREFIX kg: <https://w3id.org/surveillance-kg/ontology#>
CONSTRUCT { ?v schema:name ?n } WHERE { ?v a kg:Vendor ; schema:name ?n }"""


def test_export_format_to_stdout_equals_the_built_file(kg, facts):
    assert kg("build", "--facts", facts, "--out", "out").exit_code == 0
    for fmt, name in [("turtle", "graph.ttl"), ("nquads", "graph.nq"), ("jsonld", "graph.jsonld"),
                      ("ftm", "entities.ftm.json"), ("csv:contract", "csv/contract.csv"), ("void", "void.ttl")]:
        result = kg("export", "--facts", facts, "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert result.stdout_bytes == (Path("out") / name).read_bytes(), fmt


def test_export_to_a_file(kg, facts, tmp_path):
    result = kg("export", "--facts", facts, "--format", "trig", "--output", tmp_path / "x.trig")
    assert result.exit_code == 0
    quads = list(pyoxigraph.parse(path=str(tmp_path / "x.trig"), format=pyoxigraph.RdfFormat.TRIG))
    assert len({q.graph_name for q in quads}) == 25


def test_export_a_construct_result_in_rdfxml(kg, facts, tmp_path):
    (tmp_path / "vendors.rq").write_text(CONSTRUCT)
    result = kg("export", "--facts", facts, "--query", tmp_path / "vendors.rq", "--format", "rdfxml")
    assert result.exit_code == 0, result.stderr
    graph = rdflib.Graph().parse(data=result.stdout, format="xml")
    assert set(graph.objects(None, rdflib.URIRef(SCHEMA + "name"))) == {rdflib.Literal("Acme Face"), rdflib.Literal("Beta Plates")}


def test_select_query_for_an_rdf_format_is_an_error_and_writes_nothing(kg, facts, tmp_path):
    (tmp_path / "select.rq").write_text("SELECT * WHERE { ?s ?p ?o }")
    result = kg("export", "--facts", facts, "--query", tmp_path / "select.rq", "--format", "turtle", "--output", tmp_path / "out.ttl")
    assert result.exit_code == 1 and "needs a CONSTRUCT or DESCRIBE query" in result.stderr
    assert not (tmp_path / "out.ttl").exists()


def test_query_result_in_a_table_format_is_an_error(kg, facts, tmp_path):
    (tmp_path / "c.rq").write_text(CONSTRUCT)
    result = kg("export", "--facts", facts, "--query", tmp_path / "c.rq", "--format", "ftm")
    assert result.exit_code == 1 and "a query's graph is written as" in result.stderr


def test_unknown_format_is_a_usage_error(kg, facts):
    result = kg("export", "--facts", facts, "--format", "xlsx")
    assert result.exit_code == 2 and "Invalid value for '--format'" in result.stderr


def test_unwritable_output_leaves_no_partial_file(kg, facts, tmp_path):
    (tmp_path / "file").write_text("a file, not a directory")
    result = kg("export", "--facts", facts, "--format", "nquads", "--output", tmp_path / "file" / "g.nq")
    assert result.exit_code == 1 and result.stderr.startswith("error: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".kg", "facts", "file"]


def test_shacl_violation_is_reported_against_its_record(facts):
    records = validate(facts)
    quads = [q for q in dataset_quads(records, DEFAULT_BASE)
             if not (q.subject.value.endswith("/vendor/acme") and q.predicate.value == SCHEMA + "name")]
    problems = shapes.check(quads, records, shapes.shapes())
    assert [(Path(p.path).parts[-3:], p.line, p.field) for p in problems] == [(("facts", "vendor", "acme.yaml"), 2, "name")]
    assert problems[0].message.startswith("SHACL: Less than 1 values")


def test_shacl_passes_on_valid_facts(kg, facts):
    result = kg("validate", "--facts", facts, "--shacl")
    assert result.exit_code == 0, result.stderr


def test_diff_lists_added_removed_and_changed_records(kg, facts, tmp_path):
    assert kg("build", "--facts", facts, "--out", tmp_path / "old", "--store", tmp_path / "s1").exit_code == 0
    (facts / "vendor" / "gamma.yaml").write_text("id: gamma\nname: Gamma\nsources: [{source: s1}]\n")
    (facts / "deployment" / "police-a-uses-beta.yaml").unlink()
    contract = facts / "contract" / "police-a-acme-2020.yaml"
    contract.write_text(contract.read_text().replace("value: 50000", "value: 55000").replace("end: 2021", "end: 2022"))
    assert kg("build", "--facts", facts, "--out", tmp_path / "new", "--store", tmp_path / "s2").exit_code == 0
    result = kg("diff", tmp_path / "old", tmp_path / "new", "--json")
    assert json.loads(result.stdout) == {
        "added": [DEFAULT_BASE + "vendor/gamma"],
        "removed": [DEFAULT_BASE + "deployment/police-a-uses-beta"],
        "changed": [{"record": DEFAULT_BASE + "contract/police-a-acme-2020", "fields": ["amounts", "end"]}]}
    text = kg("diff", tmp_path / "old" / "graph.ttl", tmp_path / "new" / "graph.ttl").stdout
    assert "added (1):\n  " + DEFAULT_BASE + "vendor/gamma" in text
    assert f"  {DEFAULT_BASE}contract/police-a-acme-2020: amounts, end" in text


def test_diff_of_a_non_rdf_file_is_a_clear_error(kg, tmp_path):
    (tmp_path / "a.txt").write_text("x")
    result = kg("diff", tmp_path / "a.txt", tmp_path / "a.txt")
    assert result.exit_code == 1 and "not an RDF file" in result.stderr


def test_diff_of_a_directory_without_a_build(kg, tmp_path):
    (tmp_path / "empty").mkdir()
    result = kg("diff", tmp_path / "empty", tmp_path / "empty")
    assert result.exit_code == 1 and "no graph.nq here" in result.stderr
