"""The embedded Oxigraph store: built beside the current one, then swapped in atomically.

Layout under the store root (default .kg/, git-ignored):
    store-<fingerprint>/   an Oxigraph database, meta.json, and quads.nq (the quads it was loaded with)
    current -> store-...   a symlink, replaced in one rename
Commands open `current` read-only, and rebuild first when the fingerprint of
the facts (and of the code that maps them) no longer matches.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import Quad, RdfFormat, Store, serialize

from kg import models, rdf
from kg.rdf import dataset_quads
from kg.records import Loaded, digest_all
from kg.validate import validate

DEFAULT_ROOT = Path(".kg")
# The mapping code is part of the fingerprint: a change to it must rebuild the store.
_CODE = [Path(models.__file__), Path(rdf.__file__)]


@dataclass
class Opened:
    store: Store
    base: str
    path: Path
    rebuilt: bool


def fingerprint(records: list[Loaded], base: str) -> str:
    """Of the records' files (by their digests) and of the code that maps them."""
    digest = hashlib.sha256(base.encode())
    for path in _CODE:
        digest.update(path.read_bytes())
    digest.update(digest_all(records).encode())
    return digest.hexdigest()


def cache_file(root: Path) -> Path:
    """The validated records kept between runs (kg.cache), beside the store."""
    return root / "records.cache"


def open_store(facts: Path, root: Path = DEFAULT_ROOT, base: str = rdf.DEFAULT_BASE, rebuild: bool = False,
               records: list[Loaded] | None = None, while_loading: Callable[[Path | None], object] = lambda quads: None) -> Opened:
    """The store for these facts, rebuilt first if they changed (from `records` when the caller has
    validated them already); `while_loading` runs once the loader has the quads (or at once, when the store
    is not rebuilt), for work that does not need the store, given the file of those quads (loaded_quads).
    Raises InvalidRecords."""
    current = root / "current"
    records = records if records is not None else validate(facts, cache=cache_file(root))
    wanted = fingerprint(records, base)
    if not rebuild and _meta(current).get("fingerprint") == wanted:
        while_loading(loaded_quads(current.resolve()))
        return Opened(Store.read_only(str(current)), base, current.resolve(), rebuilt=False)
    path = build(records, root, base, wanted, while_loading)
    return Opened(Store.read_only(str(path)), base, path, rebuilt=True)


def build(records: list[Loaded], root: Path, base: str, wanted: str,
          while_loading: Callable[[Path | None], object] = lambda quads: None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"store-{wanted[:16]}-{os.getpid()}"
    shutil.rmtree(path, ignore_errors=True)
    _load(path, dataset_quads(records, base), while_loading)
    (path / "meta.json").write_text(json.dumps({"fingerprint": wanted, "base": base}))
    previous = (root / "current").resolve() if (root / "current").is_symlink() else None
    link = root / f".current-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(path.name)
    os.replace(link, root / "current")
    # Keep the store just replaced: a running `kg serve` may still open it. Older ones go.
    for old in root.glob("store-*"):
        if old not in (path, previous):
            shutil.rmtree(old, ignore_errors=True)
    return path


# Much of what Oxigraph's bulk load allocates stays with the process after: a process of its own (kg.loader)
# loads the quads, streamed to it as N-Quads. (A forked process could hang on a lock another thread held, such
# as one of RocksDB's when the caller has a store open.)
_LOADER = [sys.executable, "-m", "kg.loader"]


LOADED = "quads.nq"  # in a store's directory: the quads it was loaded with


def loaded_quads(path: Path) -> Path | None:
    """The quads the store at `path` was loaded with, as N-Quads, unsorted (None for a store an earlier kg
    built): graph.nq is sorted from them rather than from a dump of the store (2.1 s rather than 14.9 s at 1M
    triples)."""
    return path / LOADED if (path / LOADED).exists() else None


class _Tee:
    """Writes to each of `outs`."""

    def __init__(self, *outs: BinaryIO):
        self.outs = outs

    def write(self, data: bytes) -> int:
        for out in self.outs:
            out.write(data)
        return len(data)

    def flush(self) -> None:
        for out in self.outs:
            out.flush()


def _load(path: Path, quads: Iterable[Quad], meanwhile: Callable[[Path], object]) -> None:
    """Stream the quads to the loader, and to LOADED beside the store, then run `meanwhile` (given LOADED) while
    the loader writes the store (the loader's last batches and its compaction)."""
    path.mkdir(parents=True, exist_ok=True)
    # the loader's errors go to a file, not a pipe: a loader blocked writing to a pipe would block us
    with tempfile.TemporaryFile() as errors, (path / LOADED).open("wb") as copy:
        with subprocess.Popen([*_LOADER, str(path)], stdin=subprocess.PIPE, stderr=errors) as loader:
            try:
                serialize(quads, output=_Tee(loader.stdin, copy), format=RdfFormat.N_QUADS)
                loader.stdin.close()
                copy.close()
            except BrokenPipeError:  # the loader failed: its error follows
                pass
            else:
                meanwhile(path / LOADED)
        if loader.returncode:
            errors.seek(0)
            said = errors.read().decode(errors="replace").strip().splitlines() or [f"exit status {loader.returncode}"]
            raise RuntimeError(f"loading the store at {path} failed: {said[-1]}")  # the error, not its traceback


def _meta(current: Path) -> dict:
    try:
        return json.loads((current / "meta.json").read_text())
    except (OSError, ValueError):
        return {}
