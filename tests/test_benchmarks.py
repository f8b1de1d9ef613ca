"""The benchmark scripts at a tiny size, so they keep working. Figures are not checked: benchmarks are not tests."""

import json
import subprocess
import sys

from conftest import ROOT


def test_benchmark_runs_at_a_tiny_size(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--size", "2k", "--repeat", "1",
                             "--rdflib-cap", "60", "--data", str(tmp_path / "data"), "--results", str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "2k.json").read_text())
    assert report["kg"]["records"] > 100 and report["kg"]["triples"] > 1000
    assert set(report["kg"]["queries_ms"]) == set(report["pyoxigraph"]["queries_ms"])
    assert "| query contracts-by-vendor |" in result.stdout
