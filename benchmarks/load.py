"""Load test for `kg serve`: concurrent clients on loopback, each running a series of named queries.

Starts its own server on a free 127.0.0.1 port and stops it. Bounded in count (clients x queries, each
capped) and in time (--max-seconds). Prints one JSON object: requests, errors, throughput, p50 and p99.

    python benchmarks/load.py --clients 50 --queries 20
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from kg.query import named_queries

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50, choices=range(1, 201), metavar="1..200")
    parser.add_argument("--queries", type=int, default=20, choices=range(1, 1001), metavar="1..1000")
    parser.add_argument("--facts", type=Path, default=ROOT / "kg" / "facts")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=300)
    args = parser.parse_args()

    # Named queries with their parameters left unbound: valid SPARQL that lists everything.
    texts = [q.text for q in named_queries().values()]
    store = ROOT / ".kg" / "load-store"
    server = subprocess.Popen([sys.executable, "-c", "from kg.cli import main; main()", "serve", "--port", "0",
                               "--facts", str(args.facts), "--store", str(store), "--workers", str(args.workers)],
                              stderr=subprocess.PIPE, text=True)
    try:
        url = server.stderr.readline().split()[1] + "sparql"
        threading.Thread(target=server.stderr.read, daemon=True).start()  # a full pipe would block the server
        deadline = time.monotonic() + args.max_seconds

        def client(n: int) -> list[tuple[float, bool]]:
            session, out = requests.Session(), []
            for i in range(args.queries):
                if time.monotonic() > deadline:
                    break
                started = time.perf_counter()
                try:
                    ok = session.post(url, data={"query": texts[(n + i) % len(texts)]},
                                      headers={"Accept": "application/sparql-results+json"}, timeout=60).ok
                except requests.RequestException:
                    ok = False
                out.append((time.perf_counter() - started, ok))
            return out

        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            results = [r for rs in pool.map(client, range(args.clients)) for r in rs]
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = sorted(t for t, _ in results)
    print(json.dumps({
        "clients": args.clients, "queries_per_client": args.queries, "workers": args.workers,
        "requests": len(results), "errors": sum(not ok for _, ok in results), "seconds": round(elapsed, 2),
        "throughput_per_s": round(len(results) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 1),
        "p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 1),
    }))


if __name__ == "__main__":
    main()
