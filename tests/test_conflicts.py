"""`kg conflicts`: known answers on the hand-built world, and the networkx checks agree with their named SPARQL queries."""

import csv
import io
import json

import pytest
from conftest import ANALYTICS

from kg.conflicts import CHECKS
from kg.records import DEFAULT_FACTS

S2, S3 = "https://news.example.org/story-2", "https://news.example.org/story-3"

# The ANALYTICS world, by design. Not conflicts: City B's 2020 use of Acme (its moratorium had expired); City D's
# 2019 contract (before the ban), its 2022 contract for face recognition (that part was repealed from 2022-01-01);
# the fine of Acme (filed 2021-01, after every Acme contract ended or without an end); the suit against Beta (over
# faces, while Beta sold plate readers); Delta's 2018 contract (ended 2019, before the listing).
EXPECTED = {
    "used-after-ban": {  # (record, ban, technology, first date under the ban)
        ("police-a-acme-2020", "city-a-ban", "face-recognition", "2020-02-01"),
        ("police-b-acme-2019", "city-b-moratorium", "face-recognition", "2019-06"),
        ("police-b-pilots-acme", "city-b-moratorium", "face-recognition", "2019-01-01"),  # on the day it took effect
        ("police-d-uses-gamma", "county-q-ban", "face-recognition", "2021-04"),  # City D lies in County Q
        ("police-d-gamma-2021", "county-q-ban", "face-recognition", "2021-05-01"),
        ("police-d-gamma-2022", "county-q-ban", "predictive-policing", "2022-02"),  # not repealed for this one
    },
    "contracts-with-sued-vendors": {  # (contract, legal action, technology)
        ("police-d-gamma-2020", "privacy-group-sues-gamma", "face-recognition"),  # signed before, still active
        ("police-d-gamma-2021", "privacy-group-sues-gamma", "face-recognition"),
        ("police-d-gamma-2022", "privacy-group-sues-gamma", "face-recognition"),
    },
    "contracts-after-listing": {  # (contract, listing)
        ("federal-office-delta-2019", "delta-export-listing"),  # ends after the listing
        ("federal-bureau-delta-2020", "delta-export-listing"),  # signed on the day of the listing
        ("police-d-gamma-2020", "sanctions-on-gamma"),  # still active
    },
}


def conflicts(kg, facts, store, *args):
    result = kg("conflicts", "--facts", facts, "--store", store, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def keys(check: str, rows: list[dict]) -> set[tuple]:
    """The same conflicts from either way: kg conflicts' JSON rows, or the named query's bindings (values only)."""
    if check == "used-after-ban":
        return {(r["record"], r.get("against") or r["ban"], r["technology"].rsplit("/", 1)[-1], r["date"]) for r in rows}
    if check == "contracts-with-sued-vendors":
        return {(r["record"], r.get("against") or r["action"], r["technology"].rsplit("/", 1)[-1]) for r in rows}
    return {(r["record"], r.get("against") or r["listing"]) for r in rows}


def by_query(kg, facts, store, check: str) -> list[dict]:
    result = kg("query", "--named", check, "--facts", facts, "--store", store, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [{k: v["value"].rsplit("/", 1)[-1] if v["type"] == "uri" else v["value"] for k, v in b.items()}
            for b in json.loads(result.stdout)["results"]["bindings"]]


@pytest.mark.parametrize("check", CHECKS)
def test_known_conflicts(kg, analytics_store, check):
    found = conflicts(kg, ANALYTICS, analytics_store, "--check", check)
    assert {r["check"] for r in found} == {check}
    assert keys(check, found) == EXPECTED[check]


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("world", ["analytics", "project"])
def test_networkx_and_sparql_agree(kg, request, world, check):
    facts, store = (ANALYTICS, request.getfixturevalue("analytics_store")) if world == "analytics" else (
        DEFAULT_FACTS, request.getfixturevalue("project_store"))
    from_graph = keys(check, [r for r in conflicts(kg, facts, store) if r["check"] == check])
    assert from_graph == keys(check, by_query(kg, facts, store, check))
    if world == "analytics" or check == "contracts-with-sued-vendors":
        assert from_graph


def test_repeals_count_per_technology_unlike_contracts_after_ban(kg, analytics_store):
    """contracts-after-ban takes any repeal to end the whole ban; used-after-ban only for the technologies it names."""
    older = {r["contract"] for r in by_query(kg, ANALYTICS, analytics_store, "contracts-after-ban")}
    contracts = {key[0] for key in EXPECTED["used-after-ban"] if "-uses-" not in key[0] and "-pilots-" not in key[0]}
    assert contracts - older == {"police-d-gamma-2022"} and older <= contracts


def test_each_conflict_gives_its_facts_and_sources(kg, analytics_store):
    found = conflicts(kg, ANALYTICS, analytics_store, "--check", "contracts-after-listing")
    federal = next(r for r in found if r["record"] == "federal-office-delta-2019")
    assert federal == {
        "check": "contracts-after-listing", "record": "federal-office-delta-2019", "date": "2019-01", "technology": None,
        "says": "Federal Office — contracted with Delta Systems for video surveillance: “Delta cameras for the Federal Office, 2019”",
        "sources": [S3], "against": "delta-export-listing", "against_date": "2020-06-01",
        "against_says": "Delta Systems — placed on an export-control list by Export Office: “Export Office lists Delta Systems”",
        "against_sources": [S3]}


def test_text_groups_by_check_and_record(kg, analytics_store):
    text = kg("conflicts", "--facts", ANALYTICS, "--store", analytics_store, "--check", "used-after-ban").stdout
    lines = text.splitlines()
    assert lines[0] == "contract or deployment after a ban on it took effect  [kg query --named used-after-ban]"
    assert lines[1] == f"  City B Police Department — deployed face recognition from Acme Face (pilot), 2019-01-01 [{S2}]"
    assert lines[2] == ("    face recognition: City B (city) — put a moratorium on face recognition (police use), until "
                        f"2020-01-01: “City B moratorium on police face recognition”, 2019-01-01 [{S2}]")
    assert lines[-1] == "6 conflicts: 6 used-after-ban, 0 contracts-with-sued-vendors, 0 contracts-after-listing"


def test_csv(kg, analytics_store):
    result = kg("conflicts", "--facts", ANALYTICS, "--store", analytics_store, "--format", "csv")
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(table) == sum(map(len, EXPECTED.values()))
    assert table[0]["check"] == "used-after-ban" and table[-1]["check"] == "contracts-after-listing"
    assert all(r["sources"].startswith("https://") and r["against_sources"].startswith("https://") for r in table)
