"""The whole release `kg build` writes: the export files, the interactive graph page and the static site.

Everything is rendered before anything is written, so a failure to render leaves the last release in place;
each file is then renamed into place, so no file is ever half-written.
"""

from __future__ import annotations

from pathlib import Path

from kg import catalog as catalogs
from kg import export, site, viz


def write(release: export.Release, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)  # an unwritable directory fails now, not after the rendering
    catalog = catalogs.load(release.store, release.base)  # read once, for the graph page and the site
    graph_html = viz.whole(catalog, page_base="site/")
    site_files = site.render(release.store, catalog)
    written = export.write_release(release, out)
    export.write_atomic(out / "graph.html", graph_html)
    site.write(site_files, out / "site")
    return [*written, out / "graph.html", *(out / "site" / name for name in site_files)]
