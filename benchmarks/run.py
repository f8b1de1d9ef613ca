"""Benchmark kg against raw pyoxigraph and plain rdflib on synthetic data, side by side.

    python benchmarks/run.py --size 100k [--repeat 3] [--rdflib-cap 300] [--query-cap 60]

For one size it generates the records (benchmarks/data/<size>/facts, reused), then measures, each in a fresh
process so that peak RSS is that measurement's own, and writing to a directory of its own under
benchmarks/data/<size>/runs/ (kept until the next run deletes it: see INODE_REUSE_S):
- kg: validate, build the store, render every export format (and write the release);
- raw pyoxigraph: bulk-load the same quads (graph.nq) and dump them again: the floor;
- plain rdflib: a Dataset parsing and serializing the same quads, with its own SPARQL engine, stopped
  after --rdflib-cap seconds ("did not finish");
- every named query's latency in kg (kg.query.run), raw pyoxigraph (Store.query) and rdflib.
Times are medians of --repeat runs. A query's latency is measured in a fresh process per engine: the median
of 5 runs, or of 3 when the first took over 5 s; a first run over --query-cap seconds is stopped and reads
"did not finish". Prints a Markdown table and writes benchmarks/results/<size>.json (or --results DIR).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import queue
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"2k": 2_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
SAMPLE_PARAMS = {"vendor": "vendor-0", "agency": "agency-0", "date": "2021-01-01", "record": "contract-0",
                 "source": "source-0", "technology": "face-recognition", "text": "systems"}
LONG_QUERY_S = 5  # a query whose first run takes longer is run 3 times in all rather than 5
OPEN_TIMEOUT_S = 300  # for a query's process to start and open the store, before its time cap applies

PRELUDE = f"""
import json, resource, statistics, sys, time
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
def rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
def latency(run, times=5):
    samples = []
    for _ in range(times):
        started = time.perf_counter(); run(); samples.append(time.perf_counter() - started)
    return round(1000 * statistics.median(samples), 2)
PARAMS = {SAMPLE_PARAMS!r}
WITH_QUERIES = sys.argv[-1] == "queries"
"""

BUILD = PRELUDE + """
import subprocess
from pathlib import Path
facts, root, out_dir, watch = sys.argv[1:5]
# `kg build` as a user runs it, in its own process. With `watch` "memory", its memory is sampled every 0.5 s: the
# sum of the proportional set sizes (PSS, shared pages split between the processes sharing them) of it and its
# workers. Reading them walks the processes' page tables (27 ms for a process of 1 GB): at 1M triples, sampling
# took 6% of the two cores from the build, so a build is either timed or watched, not both.
def pss_mb(pid):
    pids = [pid]
    try:
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    total = 0
    for p in pids:
        try:
            total += sum(int(l.split()[1]) for l in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines() if l.startswith("Pss:"))
        except OSError:
            pass
    return total / 1024
command = [sys.executable, "-c", "from kg.cli import main; main()", "build", "--facts", facts, "--store", root, "--out", out_dir]
t = time.perf_counter()
process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env={**__import__("os").environ, "PYTHONPATH": sys.path[0]})
peak = 0
while watch == "memory" and process.poll() is None:
    peak = max(peak, pss_mb(process.pid)); time.sleep(0.5)
process.wait()
wall = time.perf_counter() - t
if process.returncode:
    sys.exit(process.returncode)
print(json.dumps({"build_s": wall, "pss_mb": round(peak, 1)} if watch == "memory" else {"build_s": wall}))
"""

KG = PRELUDE + """
from pyoxigraph import Store
from kg import export, release as releases, store as kg_store
from kg.rdf import DEFAULT_BASE
from kg.validate import validate
facts, work = Path(sys.argv[1]), Path(sys.argv[2])  # work: a new directory of this run's own
cache = work / "records.cache"
out = {}
t = time.perf_counter(); records = validate(facts, cache=cache); out["validate_s"] = time.perf_counter() - t
t = time.perf_counter(); records = validate(facts, cache=cache); out["validate_cached_s"] = time.perf_counter() - t
out["records"] = len(records)
# A cached record is unpickled when first used (kg.records.Cached): by the store load, in kg build.
t = time.perf_counter(); [r.record for r in records]; out["unpickle_cached_s"] = time.perf_counter() - t
t = time.perf_counter(); path = kg_store.build(records, work, DEFAULT_BASE, "benchmark"); out["store_s"] = time.perf_counter() - t
store = Store.read_only(str(path))
out["triples"] = len(store)
release = export.Release(records, store, DEFAULT_BASE, "2025-01-01", kg_store.loaded_quads(path))  # as kg build does
# Each format on its own, in the order kg build renders them (a format may read the files before it), then
# the catalog and the site with the graph page (two worker processes), then the whole release as kg build writes it.
from kg import site
parts = work / "formats"
out["formats_s"], rendered = {}, {}
for name, fmt in export.FORMATS.items():
    (parts / fmt.file).parent.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    with open(parts / fmt.file, "wb") as f:
        fmt.write(release, f, rendered)
    key = "csv (all kinds)" if name.startswith("csv:") else name
    out["formats_s"][key] = out["formats_s"].get(key, 0) + time.perf_counter() - t
    rendered[fmt.file] = parts / fmt.file
t = time.perf_counter(); catalog = releases.catalog(kg_store.loaded_quads(path), DEFAULT_BASE)  # kg build makes it while the store loads
out["formats_s"]["catalog for the pages"] = time.perf_counter() - t
t = time.perf_counter()
site.write(catalog, parts / "site", lambda ready: [ready(name, parts / name) for name in site.CUT], parts / "graph.html")
out["formats_s"]["site and graph.html (2 workers)"] = time.perf_counter() - t
t = time.perf_counter(); releases.write(release, catalog, work / "exports"); out["exports_s"] = time.perf_counter() - t
out["rss_mb"] = rss_mb()
print(json.dumps(out))
"""

RAW = PRELUDE + """
from pyoxigraph import RdfFormat, Store
nq, work = Path(sys.argv[1]), Path(sys.argv[2])
out = {}
store = Store(str(work / "raw-store"))
t = time.perf_counter(); store.bulk_load(path=str(nq), format=RdfFormat.N_QUADS); out["load_s"] = time.perf_counter() - t
t = time.perf_counter(); store.dump(str(work / "raw-dump.nq"), format=RdfFormat.N_QUADS); out["dump_s"] = time.perf_counter() - t
out["rss_mb"] = rss_mb()
print(json.dumps(out))
"""

RDFLIB = PRELUDE + """
import rdflib
from pyoxigraph import Store
from kg.query import bind, inline_bindings, named_queries
from kg.rdf import DEFAULT_BASE
nq, work = Path(sys.argv[1]), Path(sys.argv[2])
out = {}
dataset = rdflib.Dataset(default_union=True)
t = time.perf_counter(); dataset.parse(str(nq), format="nquads"); out["load_s"] = time.perf_counter() - t
t = time.perf_counter(); dataset.serialize(str(work / "rdflib-dump.nq"), format="nquads"); out["dump_s"] = time.perf_counter() - t
print(json.dumps(out), flush=True)  # load and dump are known even if the queries run out of time
known = Store(); known.bulk_load(path=str(nq), format=__import__("pyoxigraph").RdfFormat.N_QUADS)
out["queries_ms"] = {}
for name, q in (named_queries().items() if WITH_QUERIES else ()):
    text = inline_bindings(q.text, bind(q, {p.name: PARAMS[p.name] for p in q.params}, known.contains_named_graph, DEFAULT_BASE))
    out["queries_ms"][name] = latency(lambda: list(dataset.query(text)), times=1)
    print(json.dumps(out), flush=True)
out["rss_mb"] = rss_mb()
print(json.dumps(out))
"""

QUERY = PRELUDE + f"""
from pyoxigraph import Store
from kg.query import bind, named_queries, run
from kg.rdf import DEFAULT_BASE
engine, path, name = sys.argv[1:4]
store = Store.read_only(path) if engine == "kg" else Store(path)
q = named_queries()[name]
subs = bind(q, {{p.name: PARAMS[p.name] for p in q.params}}, store.contains_named_graph, DEFAULT_BASE)
if engine == "kg":
    query = lambda: list(run(store, q.text, subs))
else:
    query = lambda: list(store.query(q.text, use_default_graph_as_union=True, substitutions=subs or None))
print("ready", flush=True)  # the parent's time cap starts now
def timed():
    started = time.perf_counter(); query(); return time.perf_counter() - started
samples = [timed()]
print(json.dumps({{"first_s": samples[0]}}), flush=True)
samples += [timed() for _ in range((3 if samples[0] > {LONG_QUERY_S} else 5) - 1)]
print(json.dumps({{"ms": round(1000 * statistics.median(samples), 2), "runs": len(samples)}}))
"""


# On ext4 without a journal, as on the VM of benchmarks/README.md, Linux will not give a new file an inode freed
# in the last 60 s, or 360 s while the block of the inode table holding it is dirty (fs/ext4/ialloc.c,
# recently_deleted), and passes over each such inode to find another: after 100,000 files were deleted, making
# files took 336 us to 1,232 us each for 5 minutes, and 44 us to 58 us from 360 s on. The benchmark deletes
# nothing while it measures; it deletes an earlier run's files first, then waits this long.
INODE_REUSE_S = 360
MANY_FILES = 10_000  # deleting fewer files than this is not waited for


def discard_earlier_runs(work: Path) -> None:
    """Delete what an earlier run wrote under `work` (all but the facts), then wait until its inodes may be
    given to new files."""
    earlier = [path for path in work.iterdir() if path.name != "facts"] if work.is_dir() else []
    files = sum(len(names) for path in earlier if path.is_dir() for _, _, names in os.walk(path)) + len(earlier)
    for path in earlier:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    if files >= MANY_FILES:
        os.sync()
        print(f"deleted {files:,} files of an earlier run: waiting {INODE_REUSE_S} s for their inodes", file=sys.stderr)
        time.sleep(INODE_REUSE_S)


def settle(*inputs: Path) -> None:
    """Before a measurement of kg build or raw pyoxigraph: write back and drop the page cache, where allowed
    (root), then read the inputs (the facts, or the N-Quads) back into it, as they are once written. On the
    2-core VM of benchmarks/README.md, kg build again at 1M took 105 s to 156 s in four runs one after
    another (the kernel writing back and evicting the earlier runs' files), 107 s and 115 s in two runs each
    from a dropped cache."""
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        pass
    for path in inputs:
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file():
                file.read_bytes()


def child(code: str, *args: str, timeout: float | None = None) -> tuple[dict, bool]:
    """Run a measurement in a fresh process; return its last JSON line and whether it finished."""
    try:
        result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout)
        finished, stdout = result.returncode == 0, result.stdout
        if not finished:
            sys.stderr.write(result.stderr)
    except subprocess.TimeoutExpired as e:
        finished, stdout = False, (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    return (json.loads(lines[-1]) if lines else {}), finished


def query_latency(engine: str, store: Path, name: str, cap: float) -> dict:
    """A named query's latency in kg or raw pyoxigraph, in a fresh process: {"ms": median, "runs": n}, or
    {"ms": None} when its first run took over `cap` seconds (the process is stopped then)."""
    process = subprocess.Popen([sys.executable, "-c", QUERY, engine, str(store), name], stdout=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [*map(lines.put, process.stdout), lines.put("")], daemon=True).start()

    def next_line(timeout: float | None) -> str | None:
        """The child's next line, "" once it has ended, None if it printed nothing within `timeout` seconds."""
        try:
            return lines.get(timeout=timeout)
        except queue.Empty:
            return None
    ready = next_line(OPEN_TIMEOUT_S)  # the store is open: the cap starts
    first = next_line(cap + 1) if ready else ready
    if ready is None or first is None or (first and json.loads(first)["first_s"] > cap):
        process.kill()
        process.wait()
        if ready is None:
            sys.exit(f"query {name}: the {engine} store did not open in {OPEN_TIMEOUT_S} s")
        return {"ms": None}
    last = next_line(None) if first else ""
    if process.wait() or not last:
        sys.exit(f"query {name} failed in {engine}")
    return json.loads(last)


def query_latencies(names: list[str], stores: dict[str, Path], cap: float) -> dict[str, dict[str, dict]]:
    """Each named query in each engine (kg, then raw pyoxigraph), query by query, so both see the same load."""
    measured: dict[str, dict[str, dict]] = {engine: {} for engine in stores}
    for name in names:
        for engine, store in stores.items():
            measured[engine][name] = query_latency(engine, store, name, cap)
    return measured


def ratios(kg_ms: dict[str, float | None], raw_ms: dict[str, float | None]) -> dict:
    """kg's latency over raw pyoxigraph's, per query and in summary; a query that did not finish in either is
    left out of the summary and listed."""
    each = {q: round(kg_ms[q] / raw_ms[q], 2) for q in kg_ms if kg_ms[q] is not None and raw_ms[q]}
    return {"each": each, "median": statistics.median(each.values()) if each else None,
            "min": min(each.values(), default=None), "max": max(each.values(), default=None),
            "did_not_finish": {"kg": [q for q, ms in kg_ms.items() if ms is None],
                               "raw": [q for q, ms in raw_ms.items() if ms is None]}}


def median_of(runs: list[dict], key: str) -> float:
    return round(statistics.median(r[key] for r in runs), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=SIZES, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rdflib-cap", type=float, default=300, help="Seconds rdflib may take in all.")
    parser.add_argument("--query-cap", type=float, default=60,
                        help="Seconds a named query's first run may take in kg or raw pyoxigraph before it is stopped.")
    parser.add_argument("--no-queries", dest="queries", action="store_false", help="Leave out the named queries.")
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "data")
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()

    work = args.data / args.size
    facts = work / "facts"
    if not facts.is_dir():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--triples", str(SIZES[args.size]),
                        "--out", str(facts)], check=True)
    runs = work / "runs"
    discard_earlier_runs(work)
    numbers = itertools.count(1)

    def fresh(name: str) -> Path:
        """A new directory under runs/: nothing is deleted while the benchmark measures (see INODE_REUSE_S)."""
        path = runs / f"{name}-{next(numbers)}"
        path.mkdir(parents=True)
        return path

    def build(where: Path, watch: str) -> dict:
        settle(facts)
        done = child(BUILD, str(facts), str(where / "store"), str(where / "exports"), watch)[0]
        while any((where / "exports").glob(".site.old-*")):  # a replaced site, deleted in the background
            time.sleep(0.5)
        return done

    # First builds (no store, no cached records, no earlier release), each in a directory of its own; then kg's
    # parts; then each build again (records cached, the release replaced) last, as each again deletes the
    # site it replaces: the builds after it make their files within INODE_REUSE_S of those deletions.
    firsts = [(where, build(where, "time")) for where in [fresh("build") for _ in range(args.repeat)]]
    watched = fresh("build")
    first = build(watched, "memory")
    kg_runs = []
    for _ in range(args.repeat):
        settle(facts)
        kg_runs.append(child(KG, str(facts), str(parts := fresh("parts")))[0])
    kg_builds = [{"build_s": f.get("build_s"), "rebuild_s": build(where, "time").get("build_s")} for where, f in firsts]
    again = build(watched, "memory")
    if not all(kg_runs) or not all(b["build_s"] and b["rebuild_s"] for b in kg_builds) or not first or not again:
        sys.exit("the kg measurement failed")
    nq = watched / "exports" / "graph.nq"
    raw_runs = []
    for _ in range(args.repeat):
        settle(nq)
        raw_runs.append(child(RAW, str(nq), str(raw := fresh("raw")))[0])  # each load into an empty store
    names = [q.stem for q in sorted((ROOT / "kg" / "queries").glob("*.rq"))] if args.queries else []  # as kg.query.named_queries
    latencies = query_latencies(names, {"kg": parts / "current", "raw": raw / "raw-store"}, args.query_cap)
    queries = "queries" if args.queries else "no-queries"
    rdflib, rdflib_finished = child(RDFLIB, str(nq), str(fresh("rdflib")), queries, timeout=args.rdflib_cap)

    kg = {"records": kg_runs[0]["records"], "triples": kg_runs[0]["triples"],
          **{k: median_of(kg_builds, k) for k in kg_builds[0]}, "pss_mb": first["pss_mb"], "rebuild_pss_mb": again["pss_mb"],
          "build_runs_s": [round(b["build_s"], 3) for b in kg_builds], "rebuild_runs_s": [round(b["rebuild_s"], 3) for b in kg_builds],
          **{k: median_of(kg_runs, k) for k in ("validate_s", "validate_cached_s", "unpickle_cached_s", "store_s", "exports_s", "rss_mb")},
          "formats_s": {f: round(statistics.median(r["formats_s"][f] for r in kg_runs), 3) for f in kg_runs[0]["formats_s"]},
          "queries_ms": {q: m["ms"] for q, m in latencies["kg"].items()}}
    raw = {**{k: median_of(raw_runs, k) for k in ("load_s", "dump_s", "rss_mb")},
           "queries_ms": {q: m["ms"] for q, m in latencies["raw"].items()}}
    raw["load_dump_s"] = round(raw["load_s"] + raw["dump_s"], 3)
    raw["load_dump_runs_s"] = [round(r["load_s"] + r["dump_s"], 3) for r in raw_runs]
    result = {"size": args.size, "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              "kg": kg, "pyoxigraph": raw, "rdflib": {**rdflib, "finished": rdflib_finished, "cap_s": args.rdflib_cap},
              "queries": {"cap_s": args.query_cap, "long_s": LONG_QUERY_S,
                          "runs": {q: {e: latencies[e][q].get("runs") for e in latencies} for q in names},
                          "kg_to_raw": ratios(kg["queries_ms"], raw["queries_ms"])}}
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"{args.size}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(report(result))


def report(r: dict) -> str:
    kg, raw, rdf = r["kg"], r["pyoxigraph"], r["rdflib"]
    unfinished = f"did not finish in {rdf['cap_s']:g} s"

    def rate(seconds: float) -> str:
        return f"{kg['records'] / seconds:,.0f} records/s"

    def rdflib_s(key: str) -> str:
        return f"{round(rdf[key], 3)} s" if key in rdf else unfinished
    lines = [f"## {r['size']}: {kg['records']} records, {kg['triples']} triples ({r['machine']})", "",
             "| step | kg | raw pyoxigraph | rdflib |", "| --- | --- | --- | --- |",
             f"| validate: first run / records cached | {kg['validate_s']} s ({rate(kg['validate_s'])}) / "
             f"{kg['validate_cached_s']} s ({rate(kg['validate_cached_s'])}) | | |",
             f"| cached records unpickled when first used | {kg['unpickle_cached_s']} s | | |",
             f"| load into the store | {kg['store_s']} s | {raw['load_s']} s | {rdflib_s('load_s')} |",
             f"| every export, graph page and site (kg) / N-Quads dump | {kg['exports_s']} s | {raw['dump_s']} s | {rdflib_s('dump_s')} |",
             f"| `kg build`: first / again (records cached) / load + dump | {kg['build_s']} s / {kg['rebuild_s']} s "
             f"({kg['build_s'] / raw['load_dump_s']:.1f}x / {kg['rebuild_s'] / raw['load_dump_s']:.1f}x) | {raw['load_dump_s']} s | |",
             f"| peak memory: `kg build` (PSS, workers included) / in-process RSS | {kg['pss_mb']} MB / {kg['rss_mb']} MB | "
             f"{raw['rss_mb']} MB | {str(rdf['rss_mb']) + ' MB' if 'rss_mb' in rdf else ''} |"]
    lines += [f"| — {name} | {round(s, 3)} s | | |" for name, s in kg["formats_s"].items()]
    capped = f"did not finish in {r['queries']['cap_s']:g} s"
    ratio = r["queries"]["kg_to_raw"]
    for name, ms in kg["queries_ms"].items():
        rdf_ms = rdf.get("queries_ms", {}).get(name)
        raw_ms = raw["queries_ms"][name]
        kg_cell = capped if ms is None else f"{ms} ms" + (f" ({ratio['each'][name]:.2f}x)" if name in ratio["each"] else "")
        lines.append(f"| query {name} | {kg_cell} | {capped if raw_ms is None else f'{raw_ms} ms'} | "
                     f"{f'{rdf_ms} ms' if rdf_ms is not None else unfinished} |")
    if kg["queries_ms"]:
        summary = (f"{len(ratio['each'])} of {len(kg['queries_ms'])} named queries finished in both: kg / raw pyoxigraph "
                   + (f"{ratio['min']:.2f}–{ratio['max']:.2f}x, median {ratio['median']:.2f}x" if ratio["each"] else "no ratio"))
        unfinished_queries = [f"{', '.join(names)} ({engine})" for engine, names in ratio["did_not_finish"].items() if names]
        lines += ["", summary + (f"; {capped}: {'; '.join(unfinished_queries)}" if unfinished_queries else "") + "."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
