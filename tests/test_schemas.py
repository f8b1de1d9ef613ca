"""schemas/ is generated from the models, and agrees with what the RDF mapping writes."""

import json
from pathlib import Path

import jsonschema
import pytest
import rdflib
import yaml

from kg import schemas
from kg.models import KINDS
from kg.rdf import DEFAULT_BASE, KG, dataset_quads
from kg.validate import validate

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "facts"


def test_committed_schemas_are_not_stale():
    assert schemas.stale() == [], "schemas/ is stale: run `kg schemas`"


def test_stale_is_detected(tmp_path: Path, kg):
    schemas.write(tmp_path)
    assert kg("schemas", "--check", "--out", tmp_path).exit_code == 0
    (tmp_path / "ontology.ttl").write_text("# edited by hand\n")
    result = kg("schemas", "--check", "--out", tmp_path)
    assert result.exit_code == 1 and "stale: ontology.ttl" in result.stderr


def test_every_field_is_described():
    for model in KINDS.values():
        for name, info in model.model_fields.items():
            assert info.description, f"{model.__name__}.{name} has no description"


@pytest.mark.parametrize("facts", [ROOT / "kg" / "facts", FIXTURES], ids=["project", "fixtures"])
def test_json_schemas_accept_every_valid_record(facts: Path):
    for kind in KINDS:
        validator = jsonschema.Draft202012Validator(json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text()))
        for path in sorted((facts / kind).glob("*.yaml")):
            validator.validate(json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str)))


def test_json_schema_rejects_an_unknown_field():
    schema = json.loads((ROOT / "schemas" / "vendor.schema.json").read_text())
    with pytest.raises(jsonschema.ValidationError, match="vendr"):
        jsonschema.validate({"id": "x", "name": "X", "sources": [{"source": "s"}], "vendr": 1}, schema)


def test_ontology_declares_every_property_and_class_the_data_uses():
    onto = rdflib.Graph().parse(ROOT / "schemas" / "ontology.ttl")
    quads = list(dataset_quads(validate(FIXTURES), DEFAULT_BASE))
    used = {q.predicate.value for q in quads} | {q.object.value for q in quads if q.predicate.value.endswith("#type")}
    for iri in sorted(u for u in used if u.startswith(KG)):
        term = rdflib.URIRef(iri)
        assert (term, rdflib.RDFS.label, None) in onto, f"{iri} has no label"
        assert (term, rdflib.RDFS.comment, None) in onto, f"{iri} has no comment"
