"""Rows per second of each importer on a generated 10,000-row input, written into a copy of the test fixture world.

    python benchmarks/ingest.py [--rows 10000]

Each run times the whole import as `kg ingest` does it, less reading the facts directory (timed apart):
parsing, matching, the checks of `kg validate` over old and new records, and writing the files.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.ingest import atlas, news, usaspending
from kg.ingest.batch import Batch

FIXTURE_FACTS = ROOT / "tests" / "fixtures" / "facts"
STATES = ["VA", "NV", "OR", "TX", "IL", "CA", "NY", "WA", "GA", "OH"]


def news_item(path: Path, rows: int) -> None:
    """One feed item listing rows - 1 related stories."""
    lines = ["---", 'title: "Synthetic story 0"', "publishedDateTime: 2021-01-01T10:00:00Z",
             'webUrl: "https://news.example.org/story/0"', "provider:", "  name: Example News",
             "  domain: news.example.org", "related:"]
    for i in range(1, rows):
        lines += [f'  - title: "Synthetic related story {i}"', f"    excerpt: \"Excerpt of story {i}.\"",
                  f"    publishedDateTime: 2021-{i % 12 + 1:02}-{i % 28 + 1:02}T12:00:00Z",
                  f'    webUrl: "https://www.paper{i % 50}.example.com/{i}/story-{i}/?utm_source=feed"',
                  "    provider:", f"      name: Paper {i % 50}", f"      domain: paper{i % 50}.example.com"]
    path.write_text("\n".join(lines + ["---", ""]), encoding="utf-8")


def usaspending_csv(path: Path, rows: int) -> None:
    """Awards by two recorded agencies to 100 recipients, one recorded (by UEI), the rest new."""
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(usaspending.COLUMNS)
        for i in range(rows):
            piid = f"70FB{i:013d}"
            vendor = i % 100
            uei, name = ("ABCDEFGH1234", "ACME FACE, INC.") if vendor == 0 else (f"SYNTH{vendor:07d}", f"VENDOR {vendor} LLC")
            out.writerow([f"CONT_AWD_{piid}_9999_-NONE-_-NONE-", piid, "", "FEDERAL BUREAU",
                          "FEDERAL OFFICE" if i % 2 else "", name, uei, "", f"{1000 + i}.50", "" if i % 3 else "90000.00",
                          "2021-03-01", "2022-02-28", "541512", "R425", f"SYNTHETIC SERVICES {i}",
                          f"https://www.usaspending.gov/award/CONT_AWD_{piid}_9999_-NONE-_-NONE-/"])


def atlas_csv(path: Path, rows: int) -> None:
    """Rows on 2,500 agencies in 10 states, 4 technologies each, from 20 vendors (some unnamed)."""
    techs = list(atlas.TECHNOLOGIES)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, quoting=csv.QUOTE_ALL)
        out.writerow(atlas.COLUMNS)
        for i in range(rows):
            agency, state = i // 4, STATES[(i // 4) % len(STATES)]
            county = f"County {agency % 40}"
            juris = "County" if agency % 5 == 0 else "Municipal"
            name = f"{county} Sheriff's Office" if juris == "County" else f"Town {agency} Police Department"
            link = [f"https://news.example.org/{i}", "", "Example News", "", f"{i % 12 + 1}/{i % 28 + 1}/2020"]
            out.writerow([f"AOS{i:06d}", f"{state}{agency:07d}XXX", f"Town {agency}", county, state, name, "Police",
                          f"Summary of entry {i}.", juris, techs[i % len(techs)], "", f"Vendor {i % 20}" if i % 3 else "",
                          *link, *[""] * 11])


def measure(name: str, run, rows: int, work: Path) -> None:
    facts = work / f"facts-{name}"
    shutil.copytree(FIXTURE_FACTS, facts)
    started = time.perf_counter()
    batch = Batch.open(facts)
    loaded = time.perf_counter()
    run(batch)
    matched = time.perf_counter()
    batch.write()
    done = time.perf_counter()
    seconds = done - loaded
    print(f"{name:12} {rows} rows in {seconds:6.2f} s: {rows / seconds:5.0f} rows/s; {len(batch.new)} records: "
          f"reading and matching {matched - loaded:.1f} s, checking and writing {done - matched:.1f} s "
          f"(reading the facts before: {loaded - started:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        news_item(work / "news.txt", rows)
        usaspending_csv(work / "usaspending.csv", rows)
        atlas_csv(work / "atlas.csv", rows)
        measure("news", lambda b: news.ingest(b, [work / "news.txt"]), rows, work)
        measure("usaspending", lambda b: usaspending.ingest(b, work / "usaspending.csv", ["face-recognition"]),
                rows, work)
        measure("atlas", lambda b: atlas.ingest(b, work / "atlas.csv"), rows, work)


if __name__ == "__main__":
    main()
