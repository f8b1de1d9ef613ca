"""The whole release `kg build` writes: the export files, the interactive graph page and the static site.

Each export file and the graph page are renamed into place, so none is ever half-written; the site is
written into a fresh directory that replaces the old one whole. The site's .jsonld files are the nodes of
graph.jsonld as the export wrote it, so the document is rendered once.
"""

from __future__ import annotations

from pathlib import Path

from kg import catalog as catalogs
from kg import export, site, viz


def write(release: export.Release, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)  # an unwritable directory fails now, not after the rendering
    catalog = catalogs.load(release.store, release.base)  # read once, for the graph page and the site
    graph_html = viz.whole(catalog, page_base="site/")
    written = export.write_release(release, out)
    export.write_atomic(out / "graph.html", graph_html)
    site_files = site.write(release.store, catalog, (out / "graph.jsonld").read_bytes(), out / "site")
    return [*written, out / "graph.html", *(out / "site" / name for name in site_files)]
