"""The cache of validated records: unchanged files are not parsed again, changed ones always are."""

import os
from pathlib import Path

import pytest

from kg.records import InvalidRecords
from kg.validate import validate

LONG_AGO_NS = 1_000_000_000_000_000_000  # 2001


def names(records) -> dict[str, str]:
    return {r.record.id: r.record.name for r in records if hasattr(r.record, "name")}


def test_records_from_the_cache_equal_records_parsed(facts: Path, tmp_path: Path):
    cache = tmp_path / "records.cache"
    parsed = validate(facts, cache=cache)
    assert cache.is_file()
    cached = validate(facts, cache=cache)
    assert [(r.kind, r.record, r.digest, r.shown) for r in cached] == [(r.kind, r.record, r.digest, r.shown) for r in parsed]
    assert [(r.kind, r.record) for r in validate(facts)] == [(r.kind, r.record) for r in parsed]


def test_an_old_file_is_trusted_by_its_stat(facts: Path, tmp_path: Path):
    """Shows the cache is used: an edit that keeps an old file's size and modification time goes unseen,
    as with make. (Editors and git always change the modification time.)"""
    path = facts / "agency" / "regulator.yaml"
    os.utime(path, ns=(LONG_AGO_NS, LONG_AGO_NS))
    cache = tmp_path / "records.cache"
    validate(facts, cache=cache)
    path.write_text(path.read_text().replace("Data Regulator", "Data Regulatox"))
    os.utime(path, ns=(LONG_AGO_NS, LONG_AGO_NS))
    assert names(validate(facts, cache=cache))["regulator"] == "Data Regulator"
    os.utime(path, ns=(LONG_AGO_NS + 1, LONG_AGO_NS + 1))
    assert names(validate(facts, cache=cache))["regulator"] == "Data Regulatox"


def test_a_recent_file_is_read_again_even_with_the_same_stat(facts: Path, tmp_path: Path):
    """Modified within the file system's time granularity of the caching run: its stat cannot be trusted."""
    path = facts / "agency" / "regulator.yaml"
    path.write_text(path.read_text())  # modified now (the fixture copy keeps the originals' times)
    cache = tmp_path / "records.cache"
    validate(facts, cache=cache)
    stat = path.stat()
    path.write_text(path.read_text().replace("Data Regulator", "Data Regulatox"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    assert names(validate(facts, cache=cache))["regulator"] == "Data Regulatox"


def test_edits_new_files_and_deletions_are_seen(facts: Path, tmp_path: Path):
    cache = tmp_path / "records.cache"
    validate(facts, cache=cache)
    path = facts / "agency" / "regulator.yaml"
    path.write_text(path.read_text().replace("Data Regulator", "The Data Regulator"))
    (facts / "agency" / "federal-bureau.yaml").rename(facts / "agency" / "bureau.yaml")
    with pytest.raises(InvalidRecords) as e:
        validate(facts, cache=cache)
    assert "agency/bureau.yaml:1: id: id 'federal-bureau' does not match the file name 'bureau.yaml'" in str(e.value)
    (facts / "agency" / "bureau.yaml").rename(facts / "agency" / "federal-bureau.yaml")
    records = validate(facts, cache=cache)
    assert names(records)["regulator"] == "The Data Regulator"
    (facts / "deployment" / "police-a-uses-beta.yaml").unlink()
    assert "police-a-uses-beta" not in {r.record.id for r in validate(facts, cache=cache)}


@pytest.mark.parametrize("shacl", [False, True])
def test_unchanged_records_are_neither_unpickled_nor_checked_again(facts: Path, tmp_path: Path, shacl: bool):
    cache = tmp_path / "records.cache"
    validate(facts, cache=cache)
    unpickled = not any("_pickled" in vars(r) for r in validate(facts, shacl=shacl, cache=cache))
    assert unpickled == shacl  # by the SHACL shapes' first run
    records = validate(facts, shacl=shacl, cache=cache)
    assert all("_pickled" in vars(r) for r in records)  # not unpickled: no check looked at them
    assert records[0].record.id == "federal-bureau" and "_pickled" not in vars(records[0])


def test_a_problem_across_records_is_found_once_a_file_changes(facts: Path, tmp_path: Path):
    """Each record is unchanged, and cached, but the record a deployment names is gone."""
    cache = tmp_path / "records.cache"
    validate(facts, cache=cache)
    (facts / "agency" / "regulator.yaml").unlink()
    for _ in range(2):
        with pytest.raises(InvalidRecords, match="regulator"):
            validate(facts, cache=cache)


def test_an_invalid_record_is_reported_on_every_run(facts: Path, tmp_path: Path):
    cache = tmp_path / "records.cache"
    path = facts / "agency" / "regulator.yaml"
    path.write_text(path.read_text() + "levle: national\n")
    for _ in range(2):
        with pytest.raises(InvalidRecords) as e:
            validate(facts, cache=cache)
        assert "levle: unknown field (did you mean 'level'?)" in str(e.value)


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05K\x01."])
def test_an_unreadable_cache_is_ignored_and_replaced(facts: Path, tmp_path: Path, content: bytes):
    cache = tmp_path / "records.cache"
    cache.write_bytes(content)
    assert len(validate(facts, cache=cache)) == len(validate(facts))
    assert cache.read_bytes() != content


def test_kg_validate_keeps_the_cache_under_the_store_root(kg, facts: Path, tmp_path: Path):
    result = kg("validate", "--facts", facts, "--store", tmp_path / "state", "--no-shacl")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "state" / "records.cache").is_file()
