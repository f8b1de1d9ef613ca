"""`kg path`: shortest connections in words, on the hand-built world with known answers and on the project's facts."""

import csv
import io
import json

import pytest
from conftest import ANALYTICS, run_console

S1, S3 = "https://news.example.org/story-1", "https://news.example.org/story-3"
BAN_STEP = {"record": "city-a-ban", "date": "2019-06", "sources": [S1],
            "says": "City A (city) — banned face recognition (government use): “City A ban on government face recognition”"}
SERVES_STEP = {"record": "police-a", "date": None, "sources": [S1], "says": "City A Police Department — serves City A (city)"}
CONTRACT_STEP = {"record": "police-a-acme-2020", "date": "2020-02-01", "sources": [S1],
                 "says": "City A Police Department — contracted with Acme Face for face recognition (Acme Search): "
                         "“Acme Search licences for City A police”, USD 50,000 (obligated)"}


@pytest.fixture
def path(kg, analytics_store):
    def run(*args):
        return kg("path", *args, "--facts", ANALYTICS, "--store", analytics_store)
    return run


def steps(result) -> list[dict]:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_ban_to_a_vendor_step_by_step(path):
    found = steps(path("city-a-ban", "acme", "--format", "json"))
    assert found == [{"path": 1, "step": i, **s} for i, s in enumerate([BAN_STEP, SERVES_STEP, CONTRACT_STEP], 1)]


def test_the_console_script_gives_the_same(path, analytics_store, tmp_path):
    result = run_console("path", "city-a-ban", "acme", "--facts", ANALYTICS, "--store", analytics_store, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == path("city-a-ban", "acme").stdout


def test_text_gives_each_step_with_date_and_sources(path):
    text = path("city-a-ban", "acme").stdout
    assert text.splitlines() == [
        "path 1, 3 steps:",
        f"  1. {BAN_STEP['says']}, 2019-06 [{S1}]",
        f"  2. {SERVES_STEP['says']} [{S1}]",
        f"  3. {CONTRACT_STEP['says']}, 2020-02-01 [{S1}]"]


def test_ends_by_name_or_alias_ignoring_case(path):
    found = steps(path("Alphaville", "acme face", "--format", "json"))
    assert [s["record"] for s in found] == ["police-a", "police-a-acme-2020"]


def test_every_shortest_path_up_to_the_limit(path):
    # Two steps either way: both serve Country X, or Delta's contract and its listing by the Export Office.
    found = steps(path("federal-office", "export-office", "--format", "json"))
    by_path = {}
    for s in found:
        by_path.setdefault(s["path"], []).append(s["record"])
    assert by_path == {1: ["federal-office", "export-office"],
                       2: ["federal-office-delta-2018", "delta-export-listing"],
                       3: ["federal-office-delta-2019", "delta-export-listing"]}
    assert found[0]["says"] == "Federal Office — serves Country X (country)"
    assert found[3]["says"] == "Delta Systems — placed on an export-control list by Export Office: “Export Office lists Delta Systems”"
    limited = steps(path("federal-office", "export-office", "--limit", "2", "--format", "json"))
    assert {s["path"] for s in limited} == {1, 2}


def test_nothing_beyond_max_hops(path):
    assert path("city-a-ban", "acme", "--max-hops", "2").stdout == "no connection of 2 steps or fewer\n"
    assert steps(path("city-a-ban", "acme", "--max-hops", "2", "--format", "json")) == []
    assert len(steps(path("city-a-ban", "acme", "--max-hops", "3", "--format", "json"))) == 3


def test_csv_has_a_row_per_step(path):
    result = path("city-a-ban", "acme", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["path"], r["step"], r["record"], r["date"], r["sources"]) for r in table] == [
        ("1", "1", "city-a-ban", "2019-06", S1), ("1", "2", "police-a", "", S1), ("1", "3", "police-a-acme-2020", "2020-02-01", S1)]


@pytest.mark.parametrize("args, message", [
    (["Gamma", "acme"], "'Gamma' names 2 records: gamma (Gamma, vendor); gamma-app (Gamma, product of Gamma). Give the id"),
    (["Acme Fase", "acme"], "no record with the id, name or alias 'Acme Fase'; did you mean acme (Acme Face, vendor)"),
    (["alphavile", "acme"], "did you mean city-a (City A, city in State Y)?"),
    (["acme", "Acme Face"], "'acme' is both ends: give two different records"),
])
def test_bad_ends_are_clear_errors(path, args, message):
    result = path(*args)
    assert result.exit_code == 1 and result.stdout == ""
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_ban_to_a_vendor_in_the_project_facts(kg, project_store):
    args = ["path", "portland-city-bureaus-face-recognition-ban", "clearview-ai", "--store", project_store, "--format", "json"]
    found = steps(kg(*args))
    assert found and found[0]["record"] == "portland-city-bureaus-face-recognition-ban"
    assert found[0]["says"].startswith("Portland (city) — banned face recognition")
    assert all(s["sources"] and all(url.startswith("http") for url in s["sources"]) for s in found)
    for number in {s["path"] for s in found}:
        assert "Clearview AI" in [s for s in found if s["path"] == number][-1]["says"]
    assert kg(*args).stdout == json.dumps(found, indent=2, ensure_ascii=False) + "\n"  # the same every time
