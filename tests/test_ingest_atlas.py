"""`kg ingest atlas`: Atlas of Surveillance rows become deployments, with the agencies, places and vendors they need."""

from pathlib import Path

from conftest import run_console
from test_ingest_news import FEED, new_files, snapshot

from kg.ingest import atlas, news, usaspending
from kg.ingest.atlas import COLUMNS
from kg.ingest.batch import Batch
from kg.records import load_file

CSV = Path(__file__).parent / "fixtures" / "ingest" / "atlas.csv"
USASPENDING = CSV.with_name("usaspending.csv")


def ingest(kg, facts, *args):
    return kg("ingest", "atlas", "--facts", facts, *args, CSV)


def test_the_header_is_the_atlas_download_of_28_columns():
    header = CSV.read_text().splitlines()[0]
    assert header == ",".join(f'"{c}"' for c in COLUMNS) and len(COLUMNS) == 28


def test_a_row_on_a_recorded_agency_becomes_a_deployment_citing_the_entry_and_its_links(facts, kg):
    before = snapshot(facts)
    result = ingest(kg, facts)
    assert result.exit_code == 0, result.output
    written = {r["id"]: r for r in new_files(before, facts).values()}
    summary = "City A police officers wear Acme body cameras, according to the department's annual report."
    assert written["police-a-body-worn-cameras-acme"] == {
        "id": "police-a-body-worn-cameras-acme",
        "agency": "police-a",  # by ORI: the first nine characters of XX0000001BWC
        "vendor": "acme",  # "Acme Inc." is an alias
        "technologies": ["body-worn-cameras"],
        "description": summary,
        "sources": [{"source": "atlasofsurveillance-aos900001", "quote": summary},
                    {"source": "example-city-cameras"},
                    {"source": "s1"}],  # Link 2 is a story already recorded
        "notes": "Atlas of Surveillance AOS900001: Body-worn Cameras",
    }
    assert written["atlasofsurveillance-aos900001"] == {
        "id": "atlasofsurveillance-aos900001", "url": "https://kiosk.atlasofsurveillance.org/a/AOS900001",
        "title": "City A Police Department: Body-worn Cameras", "publisher": "Atlas of Surveillance", "type": "dataset"}
    link = written["example-city-cameras"]
    assert (link["url"], link["publisher"], link["published"], link["type"]) == (
        "https://news.example.org/city-a-cameras", "Example News", "2019-12-27", "other")
    assert kg("validate", "--facts", facts).exit_code == 0


def test_a_new_agency_gets_its_jurisdiction_its_ori_and_a_vendor(facts, kg):
    before = snapshot(facts)
    ingest(kg, facts)
    written = {r["id"]: r for r in new_files(before, facts).values()}
    agency = written["springfield-police-department"]
    assert (agency["level"], agency["jurisdiction"], agency["identifiers"]) == (
        "city", "springfield-virginia", {"ori": "VA9990100"})
    assert (written["springfield-virginia"]["level"], written["springfield-virginia"]["part_of"]) == ("city", "virginia")
    assert (written["virginia"]["name"], written["virginia"]["level"], written["virginia"]["country"]) == (
        "Virginia", "state", "US")
    assert written["skyward-drones"]["name"] == "Skyward Drones"
    sheriff = written["example-county-sheriffs-office"]
    assert (sheriff["level"], sheriff["jurisdiction"]) == ("county", "example-county-virginia")
    assert written["example-county-virginia"]["part_of"] == "virginia"
    # the second row on Springfield finds the agency the first one created, and its link under a tracking variant
    face = written["springfield-police-department-face-recognition-acme"]
    assert face["agency"] == "springfield-police-department"
    assert [s["source"] for s in face["sources"]] == ["atlasofsurveillance-aos900004", "example-springfield-drones"]
    archived = written["example-springfield-drones"]
    assert archived["url"] == "https://news.example.org/springfield-drones"
    assert archived["via_url"] == "http://web.archive.org/web/20200301000000/https://news.example.org/springfield-drones"
    assert archived["type"] == "news"  # Link 1 Type
    assert written["federal-bureau-face-recognition-acme"]["agency"] == "federal-bureau"  # federal: matched anywhere


def test_every_row_is_reported_new_existing_or_rejected_with_why(facts, kg):
    result = ingest(kg, facts)
    outcome = {}
    for line in result.output.splitlines():
        if line.startswith(f"{CSV}:"):
            outcome.setdefault(int(line.split(":")[1]), []).append(line.split(": ", 1)[1])
    assert sorted(outcome) == [2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14]  # row 3 spans lines 4 and 5
    assert outcome[3] == ["exists: deployment/police-a-uses-beta (same agency, technology and vendor)"]
    assert outcome[8] == [("rejected: Technology: 'FRT' is none of the Atlas's: Automated License Plate Readers, "
                           "Body-worn Cameras, Camera Registry, Cell-site Simulator, Drones, Face Recognition, Fusion "
                           "Center, Gunshot Detection, Predictive Policing, Real-Time Crime Center, Social Media "
                           "Monitoring, Third-party Investigative Platforms, Video Analytics")]
    assert outcome[9] == ["rejected: State: 'NB' is not the code of a US state or territory"]
    assert outcome[10] == [("rejected: Vendor: 'Autel, Skyward' matches no vendor and seems to name several; a "
                            "deployment has one vendor: split the row, or add the name as an alias of the vendor it is")]
    assert outcome[11] == ["rejected: Link 1 Date: 'March 2021' is not a date (M/D/YYYY)"]
    assert outcome[12] == [("exists: deployment/police-a-body-worn-cameras-acme (same agency, technology and vendor, "
                            "written from an earlier row)")]
    assert outcome[13] == ["rejected: Link 1: 'not a link' is not a valid http(s) URL"]
    assert "note: agency springfield-police-department is new: no agency has ORI VA9990100 or the name " \
           "'Springfield Police Department' in Virginia (closest: police-a (City A Police Department))" in outcome[4]
    assert result.output.splitlines()[-1] == ("21 new record(s) (2 agency, 5 deployment, 3 jurisdiction, 10 source, "
                                              "1 vendor), 2 already recorded, 5 row(s) rejected")


def test_running_twice_writes_nothing_new(facts, kg):
    ingest(kg, facts)
    before = snapshot(facts)
    result = ingest(kg, facts)
    assert snapshot(facts) == before
    assert result.output.splitlines()[-1].startswith("0 new record(s)")


def test_dry_run_writes_nothing(facts, kg):
    before = snapshot(facts)
    result = ingest(kg, facts, "--dry-run")
    assert snapshot(facts) == before
    assert result.output.count("--- # would write ") == 21


def test_a_changed_header_is_an_error_naming_the_column_and_nothing_is_written(facts, tmp_path):
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(CSV.read_text().replace('"Link 1 Date"', '"Link 1 date"', 1))
    shorter = tmp_path / "shorter.csv"
    shorter.write_text(CSV.read_text().replace(',"Other Links"', "", 1))
    before = snapshot(facts)
    result = run_console("ingest", "atlas", "--facts", facts, renamed, cwd=tmp_path)  # the real script, in its own process
    assert result.returncode == 1
    assert result.stderr.startswith("renamed.csv:1: header: column 17 is 'Link 1 date' where 'Link 1 Date' was "
                                    "expected; the format has changed")
    result = run_console("ingest", "atlas", "--facts", facts, shorter, cwd=tmp_path)
    assert "shorter.csv:1: header: 27 columns where 28 were expected" in result.stderr
    assert snapshot(facts) == before


def test_a_row_of_the_wrong_width_is_rejected(facts, kg, tmp_path):
    lines = CSV.read_text().splitlines()
    short = tmp_path / "short.csv"
    short.write_text(f'{lines[0]}\n{lines[1].rsplit(",", 1)[0]}\n')
    result = kg("ingest", "atlas", "--facts", facts, short)
    assert "short.csv:2: rejected: row: 27 fields where the header has 28" in result.output


def test_each_written_file_loads_back_as_the_record_that_was_checked(facts):
    """What is written is what was checked: the project's loader reads every file back to the same record."""
    batch = Batch.open(facts)
    atlas.ingest(batch, CSV)
    usaspending.ingest(batch, USASPENDING, ["face-recognition"])
    news.ingest(batch, [FEED])
    written = batch.write()
    assert len(written) == len(batch.new) == 21 + 7 + 4
    for new in batch.new.values():
        path = facts / new.kind / f"{new.record.id}.yaml"
        loaded, problems = load_file(path, new.kind, str(path))
        assert problems == [] and loaded.record == new.record, path


def test_text_that_is_not_utf8_is_an_error_naming_its_line(facts, kg, tmp_path):
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(CSV.read_text().replace("Example County Sheriff's", "Condado de Peña Sheriff's").encode("latin-1"))
    before = snapshot(facts)
    result = kg("ingest", "atlas", "--facts", facts, latin1)
    assert result.exit_code == 1
    assert "latin1.csv:7: not UTF-8 text: invalid continuation byte" in result.output
    assert snapshot(facts) == before
