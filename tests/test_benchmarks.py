"""The benchmark scripts at a tiny size, so they keep working. Figures are not checked: benchmarks are not tests."""

import importlib.util
import json
import subprocess
import sys

from conftest import ROOT

spec = importlib.util.spec_from_file_location("benchmark_run", ROOT / "benchmarks" / "run.py")
benchmark = importlib.util.module_from_spec(spec)
spec.loader.exec_module(benchmark)


def test_benchmark_runs_at_a_tiny_size(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--size", "2k", "--repeat", "1",
                             "--rdflib-cap", "60", "--data", str(tmp_path / "data"), "--results", str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "2k.json").read_text())
    assert report["kg"]["records"] > 100 and report["kg"]["triples"] > 1000
    assert set(report["kg"]["queries_ms"]) == set(report["pyoxigraph"]["queries_ms"])
    assert "| query contracts-by-vendor |" in result.stdout
    ratios = report["queries"]["kg_to_raw"]
    assert set(ratios["each"]) == set(report["kg"]["queries_ms"]) and ratios["did_not_finish"] == {"kg": [], "raw": []}
    assert {runs["kg"] for runs in report["queries"]["runs"].values()} == {5}  # none takes 5 s at this size

    # A query stopped at the cap in one engine: no ratio for it, named in the summary.
    report["kg"]["queries_ms"]["search"] = None
    report["queries"]["kg_to_raw"] = benchmark.ratios(report["kg"]["queries_ms"], report["pyoxigraph"]["queries_ms"])
    text = benchmark.report(report)
    assert "| query search | did not finish in 60 s |" in text
    count = len(report["kg"]["queries_ms"])
    assert f"{count - 1} of {count} named queries finished in both" in text and "did not finish in 60 s: search (kg)." in text


def test_a_query_over_the_cap_does_not_finish(analytics_store):
    store = analytics_store / "current"
    assert benchmark.query_latency("kg", store, "bans", cap=0) == {"ms": None}
    measured = benchmark.query_latency("kg", store, "bans", cap=60)
    assert measured["ms"] > 0 and measured["runs"] == 5
