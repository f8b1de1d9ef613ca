"""The whole release `kg build` writes: the export files, the interactive graph page and the static site.

The site's worker processes render the pages (and the graph page) while this process writes the exports;
each export file and the graph page is renamed into place, so none is ever half-written, and the site
is written into a fresh directory that replaces the old one whole. A record's .ttl and .jsonld in the
site are cut from graph.trig and graph.jsonld as the export wrote them, so nothing is rendered twice.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat, parse

from kg import catalog as catalogs
from kg import export, site
from kg.prose import say_all
from kg.records import Loaded
from kg.store import Opened, open_store


def catalog(quads: Path, base: str) -> catalogs.Catalog:
    """What the graph page and the site are drawn from: the quads the store was loaded with (kg.store.LOADED),
    read back by pyoxigraph's parser, which takes less time than making them again from the records."""
    made = catalogs.from_quads(parse(path=str(quads), format=RdfFormat.N_QUADS), base)
    say_all(made)  # here, while the store loads
    return made


def build_store(facts: Path, root: Path, base: str, records: list[Loaded]) -> tuple[Opened, catalogs.Catalog]:
    """The store rebuilt from the records, and the catalog made while the store's loader writes it. (Made from
    the quads as they streamed to the loader, it kept the loader waiting longer than reading them back takes:
    the store was ready 6 s later at 1M triples, in one run of each.)"""
    made = []
    opened = open_store(facts, root, base, rebuild=True, records=records,
                        while_loading=lambda quads: made.append(catalog(quads, base)))
    return opened, made[0]


def write(release: export.Release, catalog: catalogs.Catalog, out: Path) -> list[str]:
    """Write the release under `out`, its pages drawn from `catalog`; the paths written, relative to it."""
    out.mkdir(parents=True, exist_ok=True)  # an unwritable directory fails now, not after the rendering
    written: list[Path] = []

    def exports(ready: site.Ready) -> None:  # while the site's workers render pages
        written.extend(export.write_release(release, out, ready))

    site_files = site.write(catalog, out / "site", exports, out / "graph.html")
    return [*(str(path.relative_to(out)) for path in written), "graph.html", *(f"site/{name}" for name in site_files)]
