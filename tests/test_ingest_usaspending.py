"""`kg ingest usaspending`: awards become Contract records, matched to the agencies and vendors recorded."""

from pathlib import Path

import pytest
from test_ingest_news import new_files, snapshot

from kg.ingest import usaspending
from kg.ingest.batch import Batch

CSV = Path(__file__).parent / "fixtures" / "ingest" / "usaspending.csv"
PERMALINK = "https://www.usaspending.gov/award/CONT_AWD_{}_9999_-NONE-_-NONE-/"


def ingest(kg, facts, *args):
    return kg("ingest", "usaspending", "--facts", facts, "--technology", "face-recognition", *args, CSV)


def by_id(written: dict) -> dict:
    return {r["id"]: r for r in written.values()}


def test_awards_become_contracts_with_keys_amounts_dates_and_a_quoted_award_page(facts, kg):
    before = snapshot(facts)
    result = ingest(kg, facts)
    assert result.exit_code == 0, result.output
    written = by_id(new_files(before, facts))
    contract = written["federal-office-acme-70fb0121p00000007"]
    assert contract == {
        "id": "federal-office-acme-70fb0121p00000007",
        "title": "Award 70FB0121P00000007 to ACME FACE, INC.",
        "description": "ACME SEARCH LICENSES FOR THE FEDERAL OFFICE",
        "agency": "federal-office",  # the awarding sub-agency, by name
        "vendor": "acme",  # by UEI
        "technologies": ["face-recognition"],
        "start": "2021-03-01", "end": "2022-02-28",
        "amounts": [{"value": 50000, "currency": "USD", "kind": "obligated"},
                    {"value": 150000, "currency": "USD", "kind": "ceiling"}],
        "identifiers": {"award_key": "CONT_AWD_70FB0121P00000007_9999_-NONE-_-NONE-", "piid": "70FB0121P00000007"},
        "sources": [{"source": "usaspending-70fb0121p00000007", "quote": "ACME SEARCH LICENSES FOR THE FEDERAL OFFICE"}],
        "notes": "USAspending: NAICS code 513210; product or service code 7A21",
    }
    assert written["usaspending-70fb0121p00000007"] == {
        "id": "usaspending-70fb0121p00000007", "url": PERMALINK.format("70FB0121P00000007"),
        "title": "Contract award 70FB0121P00000007 to ACME FACE, INC.", "publisher": "USAspending.gov",
        "type": "procurement-record"}
    assert kg("validate", "--facts", facts).exit_code == 0


def test_a_blank_amount_is_unknown_not_zero_and_an_alias_names_the_agency(facts, kg):
    before = snapshot(facts)
    ingest(kg, facts)
    contract = by_id(new_files(before, facts))["federal-bureau-beta-70fb0122f00000031"]
    assert contract["amounts"] == [{"value": 80000, "currency": "USD", "kind": "ceiling"}]  # "80,000.00"; obligated blank
    assert contract["agency"] == "federal-bureau"  # awarding_agency_name "FB" is an alias; no sub-agency given
    assert contract["vendor"] == "beta"  # "BETA PLATES LLC" is "Beta Plates": Beta has no UEI recorded
    assert contract["identifiers"]["parent_piid"] == "GS00F001XX"


def test_a_recipient_that_matches_no_vendor_becomes_one_with_its_uei(facts, kg):
    before = snapshot(facts)
    result = ingest(kg, facts)
    written = by_id(new_files(before, facts))
    assert written["gamma-vision"] == {
        "id": "gamma-vision", "name": "GAMMA VISION CORP", "identifiers": {"uei": "GAMMAVISN001"},
        "sources": [{"source": "usaspending-70fb0123c00000002", "quote": "FACE MATCHING SERVICE, BASE YEAR"}]}
    assert written["federal-office-gamma-vision-70fb0123c00000002"]["amounts"][0] == {
        "value": 1250000.5, "currency": "USD", "kind": "obligated"}
    assert (f"{CSV}:5: note: vendor gamma-vision is new: no vendor has UEI GAMMAVISN001 or the name 'GAMMA VISION CORP'"
            in result.output)


def test_every_row_is_reported_new_existing_or_rejected_with_why(facts, kg):
    result = ingest(kg, facts)
    lines = result.output.splitlines()
    outcome = {int(line.split(":")[1]): line.split(": ", 1)[1] for line in lines if line.startswith(f"{CSV}:")}
    assert sorted(outcome) == list(range(2, 12))  # each of the ten rows
    assert outcome[3] == ("exists: contract/federal-office-acme-70fb0121p00000007 (same award key or PIID, "
                          "written from an earlier row)")  # a second transaction of the same award
    assert outcome[6] == ("rejected: awarding_sub_agency_name: no agency is named 'FEDERAL OFFCE OF INQUIRY' (closest: "
                          "federal-office (Federal Office)); add the name as an alias of the agency it is, or record the agency")
    assert outcome[7] == "exists: contract/federal-office-acme-2018 (same award key or PIID)"
    assert outcome[8] == ("rejected: total_dollars_obligated: -2000.00 is negative: a de-obligation, which a contract's "
                          "amounts cannot hold")
    assert outcome[9] == "rejected: period_of_performance_start_date: '08/12/2020' is not a date (YYYY-MM-DD)"
    assert outcome[10] == ("rejected: recipient_uei: ZZZZZZZZZZZZ is not the UEI of acme (ABCDEFGH1234), the vendor "
                           "named 'ACME FACE'")
    assert outcome[11] == "rejected: usaspending_permalink: required, and empty"
    assert lines[-1] == "7 new record(s) (3 contract, 3 source, 1 vendor), 2 already recorded, 5 row(s) rejected"


def test_running_twice_writes_nothing_new(facts, kg):
    ingest(kg, facts)
    before = snapshot(facts)
    result = ingest(kg, facts)
    assert snapshot(facts) == before
    assert "0 new record(s), 5 already recorded, 5 row(s) rejected" in result.output


def test_dry_run_writes_nothing(facts, kg):
    before = snapshot(facts)
    result = ingest(kg, facts, "--dry-run")
    assert snapshot(facts) == before
    assert result.output.count("--- # would write ") == 7
    assert "dry run, nothing written: 7 new record(s)" in result.output


def test_a_changed_header_is_an_error_and_nothing_is_written(facts, kg, tmp_path):
    changed = tmp_path / "awards.csv"
    text = CSV.read_text()
    changed.write_text(text.replace("recipient_uei,", "recipient_uei_code,", 1))
    before = snapshot(facts)
    result = kg("ingest", "usaspending", "--facts", facts, "--technology", "drones", changed)
    assert result.exit_code == 1
    assert "awards.csv:1: header: missing column(s): 'recipient_uei' (is it 'recipient_uei_code'?)" in result.output
    assert snapshot(facts) == before


def test_the_technology_must_be_named(facts, kg):
    result = kg("ingest", "usaspending", "--facts", facts, CSV)
    assert result.exit_code == 2 and "--technology" in result.output


def test_a_vendor_found_by_alias_is_used(facts, kg, tmp_path):
    """'Acme Inc.' is an alias of Acme Face: a recipient of that name, with no UEI, is Acme."""
    rows = CSV.read_text().splitlines()
    header, row = rows[0], rows[1].replace("ABCDEFGH1234,,\"ACME FACE, INC.\"", ",,ACME INC.")
    awards = tmp_path / "one.csv"
    awards.write_text(f"{header}\n{row}\n")
    before = snapshot(facts)
    kg("ingest", "usaspending", "--facts", facts, "--technology", "face-recognition", awards)
    assert by_id(new_files(before, facts))["federal-office-acme-70fb0121p00000007"]["vendor"] == "acme"


def test_a_record_file_that_appears_during_the_import_is_never_replaced(facts):
    batch = Batch.open(facts)
    usaspending.ingest(batch, CSV, ["face-recognition"])
    before = snapshot(facts)
    path = next(iter(batch.rendered()))
    path.write_text("id: written-by-hand-meanwhile\n")
    with pytest.raises(FileExistsError):
        batch.write()
    assert path.read_text() == "id: written-by-hand-meanwhile\n"
    assert set(snapshot(facts)) == set(before) | {str(path.relative_to(facts))}  # and nothing else was written


def test_a_value_a_record_cannot_take_rejects_its_row_naming_the_column(facts, kg, tmp_path):
    rows = CSV.read_text().splitlines()
    awards = tmp_path / "lowercase.csv"
    awards.write_text(f"{rows[0]}\n{rows[1].replace(',70FB0121P00000007,', ',70fb0121p00000007,')}\n")
    before = snapshot(facts)
    result = kg("ingest", "usaspending", "--facts", facts, "--technology", "face-recognition", awards)
    assert "lowercase.csv:2: rejected: award_id_piid: String should match pattern '^[A-Z0-9-]+$'" in result.output
    assert snapshot(facts) == before  # the row's Source, staged before its Contract failed, is not written either
