"""Validated records kept between runs, so that a record file that has not changed is not parsed again.

An entry is found by the file's path and stat (size, modification time), as make, git and mypy do, and holds
the file's digest and its validated record. A file modified shortly before the run that cached it may have
changed since without its modification time showing it; such a file is read again and its digest compared.
Only records that passed their own validation are kept. The checks across records (and the SHACL shapes) run
again unless the records are exactly those of the last run they passed (by kg.records.digest_all).

The cache is a pickle under the store root (.kg/, which kg itself writes): a file from anywhere else is not
a cache to load. Any change to the models, the loader, the checks or the RDF mapping and its shapes
invalidates it.
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pydantic

from kg import checks, models, rdf, records, shapes
from kg.records import digest

RACY_NS = 2_000_000_000  # coarser than any file system's modification-time granularity
_CODE = [Path(m.__file__) for m in (models, records, checks, rdf, shapes)]


def _version() -> str:
    code = b"".join(path.read_bytes() for path in _CODE)
    return digest(code + pydantic.VERSION.encode())


class Entry(NamedTuple):  # a tuple: quicker to unpickle than a class
    size: int
    mtime_ns: int
    digest: str
    pickled: bytes  # the validated record: unpickled when asked for (kg.records.Cached)


class RecordCache:
    """Entries by the record file's path relative to the facts directory."""

    def __init__(self, path: Path):
        self.path = path
        self.version = _version()
        self.entries: dict[str, Entry] = {}
        self.started_ns = time.time_ns()  # every file this run reads is read after this
        self.trusted_before_ns = 0  # a file last modified before this is unchanged if its stat is
        self.passed: dict[str, str] = {}  # check -> digest_all of the records that last passed it
        self.changed = False
        try:
            with path.open("rb") as f:
                saved = pickle.load(f)
            if saved["version"] == self.version:
                self.entries, self.trusted_before_ns = saved["entries"], saved["started_ns"] - RACY_NS
                self.passed = saved["passed"]
        except (OSError, pickle.UnpicklingError, EOFError, KeyError, TypeError, AttributeError, ImportError):
            pass  # no cache, or one this code cannot read: every file is parsed again

    def get(self, rel: str, stat: os.stat_result, read: Callable[[], bytes]) -> Entry | None:
        """The entry for an unchanged file; `read` gives its bytes when its stat alone cannot tell."""
        entry = self.entries.get(rel)
        if entry is None or entry.size != stat.st_size or entry.mtime_ns != stat.st_mtime_ns:
            return None
        if stat.st_mtime_ns < self.trusted_before_ns or digest(read()) == entry.digest:
            return entry
        return None

    def put(self, rel: str, stat: os.stat_result, digest: str, pickled: bytes) -> None:
        self.entries[rel] = Entry(stat.st_size, stat.st_mtime_ns, digest, pickled)
        self.changed = True

    def keep_only(self, rels: set[str]) -> None:
        """Forget files that are gone."""
        gone = self.entries.keys() - rels
        for rel in gone:
            del self.entries[rel]
        self.changed = self.changed or bool(gone)

    def passed_checks(self, name: str, together: str) -> None:
        if self.passed.get(name) != together:
            self.passed[name], self.changed = together, True

    def save(self) -> None:
        if not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        with tmp.open("wb") as f:
            pickle.dump({"version": self.version, "started_ns": self.started_ns, "entries": self.entries,
                         "passed": self.passed}, f,
                        protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)
        self.changed = False
