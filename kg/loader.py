"""Loads the N-Quads on stdin into the Oxigraph store at the path given: kg.store runs it as a process of its own.

Oxigraph's bulk load holds a call's whole input in memory, and more, so the quads are loaded in batches: at 1M
quads, the loader of `kg build` peaked at 760 MB loading them in one call, and at 250 MB in batches of 200,000
(proportional set size; loaded alone, 1,130 MB and 250 MB of RSS, in 10.5 s to 17 s either way on this VM).
A thread reads the next batches while one loads, so the writer is not kept waiting. Batches leave more files
in the store, which joins read: the store is compacted after (3 s at 1M quads; a join over all the quads took
12 s before, 7 s after, and 9 s to 10 s loaded in one call).
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Iterator
from itertools import islice

from pyoxigraph import RdfFormat, Store

BATCH = 200_000  # quads: N-Quads has one to a line


def load(path: str, lines: Iterator[bytes]) -> None:
    store = Store(path)
    batches: queue.Queue[bytes] = queue.Queue(maxsize=2)

    def read() -> None:
        while batch := b"".join(islice(lines, BATCH)):
            batches.put(batch)
        batches.put(b"")

    threading.Thread(target=read, daemon=True).start()  # daemon: a failed load does not wait for it
    while batch := batches.get():
        store.bulk_load(input=batch, format=RdfFormat.N_QUADS)
    store.optimize()


if __name__ == "__main__":
    load(sys.argv[1], iter(sys.stdin.buffer))
