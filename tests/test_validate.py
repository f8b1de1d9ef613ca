"""`kg validate`: every bad record gives its one clear message, with file, line and field."""

import os
from pathlib import Path

import pytest
import yaml

from kg import records
from kg.records import InvalidRecords
from kg.validate import validate

CONTRACT = """\
id: bad
title: A contract
agency: police-a
vendor: acme
technologies: [face-recognition]
sources: [{source: s1, quote: it says so}]
"""


def contract(**changes: str) -> str:
    """The valid contract above, with fields replaced or added (value None drops the field)."""
    lines = dict(line.split(": ", 1) for line in CONTRACT.splitlines())
    for key, value in changes.items():
        if value is None:
            lines.pop(key)
        else:
            lines[key] = value
    return "".join(f"{k}: {v}\n" for k, v in lines.items())


# (case name, path under facts, file text, expected "line: field: message" after the path)
CASES = [
    ("yaml syntax", "contract/bad.yaml", contract(title="[unclosed"),
     "3: YAML syntax error"),
    ("unknown field", "contract/bad.yaml", contract(vendr="acme"),
     "7: vendr: unknown field (did you mean 'vendor'?)"),
    ("list expected", "vendor/bad.yaml", "id: bad\nname: Bad\naliases: Bad Inc\nsources: [{source: s1}]\n",
     "3: aliases: Input should be a valid list"),
    ("string expected", "vendor/bad.yaml", "id: bad\nname: 123\nsources: [{source: s1}]\n",
     "2: name: Input should be a valid string"),
    ("impossible date", "contract/bad.yaml", contract(signed="2020-13-01"),
     "7: signed: '2020-13-01' is not a real date"),
    ("impossible day", "contract/bad.yaml", contract(signed="2021-02-29"),
     "7: signed: '2021-02-29' is not a real date"),
    ("malformed date", "contract/bad.yaml", contract(signed="14/08/2020"),
     "7: signed: '14/08/2020' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"),
    ("ends before it starts", "contract/bad.yaml", contract(start="2020-08", end="2020-01-31"),
     "8: end: ends (2020-01-31) before it starts (2020-08)"),
    ("negative amount", "contract/bad.yaml", contract(amounts="[{value: -5, currency: USD, kind: obligated}]"),
     "7: amounts[0].value: Input should be greater than or equal to 0"),
    ("unknown currency", "contract/bad.yaml", contract(amounts="[{value: 5, currency: USX, kind: obligated}]"),
     "7: amounts[0].currency: unknown currency code 'USX': use ISO 4217"),
    ("unknown amount kind", "contract/bad.yaml", contract(amounts="[{value: 5, currency: USD, kind: guess}]"),
     "7: amounts[0].kind: Input should be 'obligated', 'ceiling'"),
    ("duplicate id across kinds", "agency/acme.yaml", "id: acme\nname: Acme Agency\nsources: [{source: s1}]\n",
     "1: id: duplicate id 'acme': also used by agency/acme.yaml"),
    ("id differs from file name", "contract/bad.yaml", contract(id="other"),
     "1: id: id 'other' does not match the file name 'bad.yaml'"),
    ("id pattern", "vendor/Bad_Name.yaml", "id: Bad_Name\nname: Bad\nsources: [{source: s1}]\n",
     "1: id: String should match pattern"),
    ("missing reference", "contract/bad.yaml", contract(vendor="acmee"),
     "4: vendor: no vendor record with id 'acmee' (did you mean 'acme'?)"),
    ("reference of wrong kind", "contract/bad.yaml", contract(vendor="police-a"),
     "4: vendor: 'police-a' is an agency, not a vendor"),
    ("required field missing", "contract/bad.yaml", contract(agency=None),
     "1: agency: required field is missing"),
    ("no sources", "contract/bad.yaml", contract(sources="[]"),
     "6: sources: cites no source"),
    ("sources field missing", "contract/bad.yaml", contract(sources=None),
     "1: sources: cites no source"),
    ("citation of a non-source", "contract/bad.yaml", contract(sources="[{source: acme}]"),
     "6: sources[0].source: 'acme' is a vendor, not a source"),
    ("same source cited twice", "contract/bad.yaml", contract(sources="[{source: s1}, {source: s1}]"),
     "6: sources[0].source: cites source 's1' 2 times"),
    ("empty quote", "contract/bad.yaml", contract(sources="[{source: s1, quote: ''}]"),
     "6: sources[0].quote: String should have at least 1 character"),
    ("amount from an uncited source", "contract/bad.yaml",
     contract(amounts="[{value: 5, currency: USD, kind: obligated, source: s2}]"),
     "7: amounts[0].source: source 's2' is not among the record's sources"),
    ("disagreeing amounts without sources", "contract/bad.yaml",
     contract(amounts="[{value: 5, currency: USD, kind: obligated}, {value: 6, currency: USD, kind: obligated}]"),
     "7: amounts[0]: several obligated amounts: each needs the source that states it"),
    ("disputed date from an unknown source", "contract/bad.yaml", contract(signed="[{value: 2020, source: s9}]"),
     "7: signed[0].source: no source record with id 's9'"),
    ("unknown technology", "contract/bad.yaml", contract(technologies="[mind-reading]"),
     "5: technologies[0]: Input should be 'face-recognition'"),
    ("source without url", "source/bad.yaml", "id: bad\ntype: news\ntitle: T\n",
     "1: url: required field is missing"),
    ("malformed url", "source/bad.yaml", "id: bad\ntype: news\ntitle: T\nurl: not a url\n",
     "4: url: 'not a url' is not a valid http(s) URL"),
    ("url without host", "source/bad.yaml", "id: bad\ntype: news\ntitle: T\nurl: https://\n",
     "4: url: 'https://' is not a valid http(s) URL"),
    ("duplicate source url", "source/zz.yaml", "id: zz\ntype: news\ntitle: T\nurl: https://news.example.org/story-1\n",
     "4: url: same URL as source 's1'"),
    ("unknown country", "vendor/bad.yaml", "id: bad\nname: Bad\ncountry: XX\nsources: [{source: s1}]\n",
     "3: country: unknown country code 'XX'"),
    ("malformed wikidata id", "vendor/bad.yaml", "id: bad\nname: Bad\nidentifiers: {wikidata: X12}\nsources: [{source: s1}]\n",
     "3: identifiers.wikidata: String should match pattern '^Q[1-9][0-9]*$'"),
    ("repeal naming no ban", "ban/bad.yaml",
     "id: bad\ntitle: T\naction: repeal\njurisdiction: city-a\nscope: [government]\ntechnologies: [face-recognition]\nsources: [{source: s1}]\n",
     "3: action: a repeal names the ban it repeals under 'repeals'"),
    ("ban that repeals", "ban/bad.yaml",
     "id: bad\ntitle: T\naction: ban\nrepeals: city-a-ban\njurisdiction: city-a\nscope: [government]\ntechnologies: [face-recognition]\nsources: [{source: s1}]\n",
     "4: repeals: only a record with action 'repeal' repeals another"),
    ("decided before filed", "legal-action/bad.yaml",
     "id: bad\ntitle: T\ntype: lawsuit\nfiled: 2021-03\ndecided: 2021-02-28\nsources: [{source: s1}]\n",
     "5: decided: is decided (2021-02-28) before it is filed (2021-03)"),
    ("rename with an object", "relationship/bad.yaml",
     "id: bad\ntype: rename\nsubject: acme\nobject: beta\nformer_name: A\nnew_name: B\nsources: [{source: s1}]\n",
     "4: object: a rename has no object: the subject is the renamed organisation"),
    ("acquisition without an object", "relationship/bad.yaml",
     "id: bad\ntype: acquisition\nsubject: acme\nsources: [{source: s1}]\n",
     "2: type: an acquisition names its 'object'"),
    ("unknown kind directory", "vendors/bad.yaml", "id: bad\n",
     "1: not a record file: records live at <kind>/<id>.yaml"),
    ("not a mapping", "vendor/bad.yaml", "- id: bad\n",
     "1: a record file holds one mapping of fields"),
]


@pytest.mark.parametrize("path, text, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_record_gives_its_one_message(facts: Path, kg, path: str, text: str, expected: str):
    target = facts / path
    target.parent.mkdir(exist_ok=True)
    target.write_text(text)
    result = kg("validate", "--facts", facts)
    assert result.exit_code == 1
    problems = result.stderr.splitlines()[:-1]
    assert len(problems) == 1, result.stderr
    # A duplicate is reported on the file read second, naming the first.
    shown = {"agency/acme.yaml": "vendor/acme.yaml"}.get(path, path)
    assert problems[0].startswith(f"facts/{shown}:{expected}"), problems[0]
    assert result.stderr.splitlines()[-1] == "1 problem(s) in 1 file(s)"


def test_at_least_25_distinct_bad_records():
    assert len({c[0] for c in CASES}) >= 25


def test_all_problems_in_one_run(facts: Path, kg):
    (facts / "contract" / "one.yaml").write_text(contract(id="one", signed="2020-13-01"))
    (facts / "contract" / "two.yaml").write_text(contract(id="two", vendor="nobody"))
    (facts / "source" / "three.yaml").write_text("id: three\ntype: news\ntitle: T\nurl: nope\n")
    result = kg("validate", "--facts", facts)
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == [
        "facts/contract/one.yaml", "facts/contract/two.yaml", "facts/source/three.yaml", "3 problem(s) in 3 file(s)"]


def test_valid_facts_pass(facts: Path, kg):
    result = kg("validate", "--facts", facts)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ok: 25 records")


def test_project_facts_are_valid():
    assert len(validate(Path(__file__).parent.parent / "kg" / "facts")) >= 28


def test_error_carries_every_problem(facts: Path):
    (facts / "vendor" / "gamma.yaml").write_text("id: gamma\nname: 1\nsources: []\n")
    with pytest.raises(InvalidRecords) as e:
        validate(facts)
    assert [p.field for p in e.value.problems] == ["name", "sources"]


def test_missing_facts_directory(tmp_path: Path, kg):
    result = kg("validate", "--facts", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "facts directory does not exist" in result.stderr


def test_parsing_on_several_cores_gives_the_same_records_and_problems(facts: Path, monkeypatch):
    assert os.cpu_count() >= 2  # else the parallel path below would not run
    serial = [(r.kind, r.record, r.digest, r.shown) for r in validate(facts)]
    (facts / "contract" / "one.yaml").write_text(contract(id="one", signed="2020-13-01"))
    with pytest.raises(InvalidRecords) as serial_error:
        validate(facts)
    monkeypatch.setattr(records, "PARALLEL_FROM", 1)
    with pytest.raises(InvalidRecords) as parallel_error:
        validate(facts)
    assert parallel_error.value.problems == serial_error.value.problems
    (facts / "contract" / "one.yaml").unlink()
    assert [(r.kind, r.record, r.digest, r.shown) for r in validate(facts)] == serial


@pytest.mark.parametrize("text", [
    "id: x\nname: 'A'\naliases: [a, \"b\"]\nnested: {k: [v, {w: z}]}\n",
    "a: &x {k: v}\nb: *x\nc: 1.5\nd: true\ne: ~\nf: 2020-01-02\ng: 12\n",  # other scalars; a date stays a string
    "<<: {a: 1}\nb: 2\n", "a: &r [*r]\n", "x: 1\nx: 2\n", "1: 2\n", "", "- a\n- b\n", "a: !!str 12\n",
])
def test_records_yaml_reads_as_pyyaml_reads_it(text: str):
    # kg.records.load_yaml makes strings, mappings and lists itself: the same values PyYAML makes.
    assert repr(records.load_yaml(text)) == repr(yaml.load(text, Loader=records.YamlLoader))
    alias = records.load_yaml("a: &x [1]\nb: *x\n")
    assert alias["a"] is alias["b"]


@pytest.mark.parametrize("text", ["a: !foo x\n", "? [a, b]\n: c\n", "a: [b\n"])
def test_records_yaml_fails_as_pyyaml_fails(text: str):
    with pytest.raises(yaml.MarkedYAMLError) as theirs:
        yaml.load(text, Loader=records.YamlLoader)
    with pytest.raises(yaml.MarkedYAMLError) as ours:
        records.load_yaml(text)
    assert str(ours.value) == str(theirs.value)
