"""Synthetic record files of realistic shape, for benchmarks: made-up names, never real facts.

Kinds come in the proportions of the curated facts (about half the records are
sources), with the same kinds of links: agencies in jurisdictions and under
parents, contracts between agencies and vendors citing sources with quotes,
disputed amounts, bans with repeals, corporate ties. The synthetic records give about
12 triples per record, so `--triples` picks the number of records.

    python benchmarks/generate.py --triples 100000 --out benchmarks/data/100k/facts
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

TRIPLES_PER_RECORD = 12
SHARES = {"source": 0.49, "agency": 0.065, "vendor": 0.08, "product": 0.04, "jurisdiction": 0.065,
          "contract": 0.07, "deployment": 0.055, "legal-action": 0.045, "ban": 0.038, "relationship": 0.052}
TECHNOLOGIES = ["face-recognition", "license-plate-recognition", "gunshot-detection", "predictive-policing",
                "social-media-monitoring", "location-data", "phone-forensics", "spyware", "biometrics"]
WORDS = "acme north river delta summit harbor granite orbit lumen vector beacon cedar falcon prism quarry".split()


def date(rng: random.Random) -> str:
    year, month, day = rng.randint(2005, 2025), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}", f"{year}-{month:02d}-{day:02d}"])


def cite(rng: random.Random, sources: list[str], n: int = 2) -> str:
    chosen = rng.sample(sources, min(n, len(sources)))
    return "sources:\n" + "".join(f"  - source: {s}\n    quote: \"The record says {rng.choice(WORDS)} {rng.randint(1, 10**6)}.\"\n"
                                  for s in chosen)


def generate(triples: int, out: Path, seed: int = 1) -> int:
    rng = random.Random(seed)
    records = max(len(SHARES) * 3, triples // TRIPLES_PER_RECORD)
    count = {kind: max(3, int(records * share)) for kind, share in SHARES.items()}
    shutil.rmtree(out, ignore_errors=True)
    for kind in SHARES:
        (out / kind).mkdir(parents=True)
    ids = {kind: [f"{kind}-{i}" for i in range(count[kind])] for kind in SHARES}
    src = ids["source"]

    def write(kind: str, rid: str, body: str) -> None:
        (out / kind / f"{rid}.yaml").write_text(f"id: {rid}\n{body}")

    for i, rid in enumerate(src):
        write("source", rid, f"type: news\ntitle: \"Story {i} on {rng.choice(WORDS)}\"\npublisher: Outlet {i % 40}\n"
                             f"published: {date(rng)}\nurl: https://news{i % 40}.example.org/story/{i}\n")
    for i, rid in enumerate(ids["jurisdiction"]):
        parent = f"part_of: {ids['jurisdiction'][rng.randrange(i)]}\n" if i else ""
        write("jurisdiction", rid, f"name: Place {i}\nlevel: {'country' if not i else 'city'}\n{parent}{cite(rng, src, 1)}")
    for i, rid in enumerate(ids["agency"]):
        parent = f"parent: {ids['agency'][rng.randrange(i)]}\n" if i and rng.random() < 0.3 else ""
        write("agency", rid, f"name: Agency {i}\naliases: [AG{i}]\nlevel: city\n"
                             f"jurisdiction: {rng.choice(ids['jurisdiction'])}\n{parent}{cite(rng, src)}")
    for i, rid in enumerate(ids["vendor"]):
        write("vendor", rid, f"name: {rng.choice(WORDS).title()} Systems {i}\naliases: [V{i} Inc.]\ncountry: US\n"
                             f"founded: {rng.randint(1990, 2020)}\n{cite(rng, src)}")
    for i, rid in enumerate(ids["product"]):
        write("product", rid, f"name: Product {i}\nvendor: {rng.choice(ids['vendor'])}\n"
                              f"technologies: [{rng.choice(TECHNOLOGIES)}]\n{cite(rng, src, 1)}")
    for i, rid in enumerate(ids["contract"]):
        cited = rng.sample(src, 2)
        amounts = f"  - {{value: {rng.randint(10, 10**7)}, currency: USD, kind: obligated}}\n"
        if rng.random() < 0.05:  # sources disagree
            amounts = "".join(f"  - {{value: {rng.randint(10, 10**7)}, currency: USD, kind: total-value, source: {s}}}\n" for s in cited)
        start = rng.randint(2005, 2024)
        write("contract", rid, f"title: Contract {i}\nagency: {rng.choice(ids['agency'])}\nvendor: {rng.choice(ids['vendor'])}\n"
                               f"products: [{rng.choice(ids['product'])}]\ntechnologies: [{rng.choice(TECHNOLOGIES)}]\n"
                               f"signed: {start}-03-01\nstart: {start}-04\nend: {start + 1}\namounts:\n{amounts}"
                               f"identifiers: {{piid: P{i:08d}}}\n"
                               "sources:\n" + "".join(f"  - source: {s}\n    quote: \"Contract {i} was signed.\"\n" for s in cited))
    for i, rid in enumerate(ids["deployment"]):
        write("deployment", rid, f"agency: {rng.choice(ids['agency'])}\nvendor: {rng.choice(ids['vendor'])}\n"
                                 f"technologies: [{rng.choice(TECHNOLOGIES)}]\nstart: {date(rng)}\n{cite(rng, src)}")
    for i, rid in enumerate(ids["legal-action"]):
        write("legal-action", rid, f"title: Case {i}\ntype: {rng.choice(['lawsuit', 'regulator-fine', 'export-control-listing'])}\n"
                                   f"authority: {rng.choice(ids['agency'])}\ndefendants: [{rng.choice(ids['vendor'])}]\n"
                                   f"decided: {date(rng)}\npenalties:\n  - {{value: {rng.randint(1, 10**7)}, currency: EUR, kind: fine}}\n"
                                   f"{cite(rng, src)}")
    for i, rid in enumerate(ids["ban"]):
        repeal = i % 10 == 9
        body = (f"title: Ban {i}\naction: {'repeal' if repeal else 'ban'}\njurisdiction: {rng.choice(ids['jurisdiction'])}\n"
                f"scope: [government]\ntechnologies: [face-recognition]\npassed: {date(rng)}\n")
        if repeal:
            body += f"repeals: {ids['ban'][i - 1]}\n"
        write("ban", rid, body + cite(rng, src))
    for i, rid in enumerate(ids["relationship"]):
        a, b = rng.sample(ids["vendor"], 2)
        write("relationship", rid, f"type: acquisition\nsubject: {a}\nobject: {b}\ndate: {date(rng)}\n{cite(rng, src, 1)}")
    return sum(count.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(generate(args.triples, args.out), "records written to", args.out)


if __name__ == "__main__":
    main()
