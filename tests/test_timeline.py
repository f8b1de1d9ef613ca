"""`kg timeline`: dated events in order, on the hand-built world, and against the timeline named query on the project's facts."""

import csv
import io
import json

from conftest import ANALYTICS

from kg.records import DEFAULT_FACTS


def events(kg, facts, store, *args):
    result = kg("timeline", "--facts", facts, "--store", store, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_events_of_an_entity_in_order(kg, analytics_store):
    found = events(kg, ANALYTICS, analytics_store, "--entity", "Acme Face")
    # A date known only to the month or year sorts before the days in it.
    assert [(e["date"], e["event"], e["record"]) for e in found] == [
        ("2018-03", "signed", "federal-office-acme-2018"), ("2018-04-02", "signed", "federal-office-acme-2018"),
        ("2019", "took place", "acme-renamed"),
        ("2019-01-01", "began", "police-b-pilots-acme"), ("2019-06", "signed", "police-b-acme-2019"),
        ("2020-02", "began", "police-a-acme-2020"), ("2020-02-01", "signed", "police-a-acme-2020"),
        ("2020-03", "began", "police-b-uses-acme"), ("2021", "ended", "police-a-acme-2020"),
        ("2021-01", "filed", "regulator-fines-acme"), ("2021-06-30", "decided", "regulator-fines-acme"),
        ("2022-03", "took place", "acme-acquires-beta")]
    assert found[2]["says"] == "Acme Face — was renamed from Acme Vision to Acme Face"
    assert found[2]["sources"] == ["https://news.example.org/story-1"] and found[2]["kind"] == "relationship"


def test_events_of_one_kind(kg, analytics_store):
    found = events(kg, ANALYTICS, analytics_store, "--kind", "ban")
    assert [(e["date"], e["event"], e["record"]) for e in found] == [
        ("2019", "took effect", "state-y-ban"), ("2019-01-01", "took effect", "city-b-moratorium"),
        ("2019-05-14", "passed", "city-a-ban"), ("2019-06", "took effect", "city-a-ban"),
        ("2020-01-01", "expires", "city-b-moratorium"), ("2020-07-01", "took effect", "state-y-repeal"),
        ("2021-02-01", "passed", "county-q-ban"), ("2021-03-01", "took effect", "county-q-ban"),
        ("2021-12-15", "passed", "county-q-repeal"), ("2022-01-01", "took effect", "county-q-repeal")]
    founded = events(kg, ANALYTICS, analytics_store, "--kind", "vendor")
    assert [(e["date"], e["event"], e["says"]) for e in founded] == [("2015-07", "founded", "Gamma")]


def test_text_and_csv(kg, analytics_store):
    args = ["timeline", "--facts", ANALYTICS, "--store", analytics_store, "--entity", "delta"]
    text = kg(*args).stdout.splitlines()
    assert text[0] == ("2018        signed: Federal Office — contracted with Delta Systems for video surveillance: "
                       "“Delta cameras for the Federal Office, 2018” [https://news.example.org/story-3]")
    table = list(csv.DictReader(io.StringIO(kg(*args, "--format", "csv").stdout)))
    assert [r["date"] for r in table] == ["2018", "2019", "2019-01", "2020-05-20", "2020-06-01", "2020-06-01", "2021-01"]
    assert len(text) == len(table)


def test_unknown_entity_is_a_clear_error(kg, analytics_store):
    result = kg("timeline", "--facts", ANALYTICS, "--store", analytics_store, "--entity", "Acme Faec")
    assert result.exit_code == 1 and "did you mean acme (Acme Face, vendor)" in result.stderr


def test_the_project_timeline_matches_the_timeline_query(kg, project_store):
    found = events(kg, DEFAULT_FACTS, project_store)
    result = kg("query", "--named", "timeline", "--store", project_store, "--format", "json")
    from_query = {(b["date"]["value"], b["record"]["value"].rsplit("/", 1)[1])
                  for b in json.loads(result.stdout)["results"]["bindings"]}
    assert {(e["date"], e["record"]) for e in found if e["event"] != "founded"} == from_query
    assert [e["date"] for e in found] == sorted(e["date"] for e in found)
    assert all(e["sources"] for e in found)
