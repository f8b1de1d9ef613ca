"""The static site: an index with search, a page per record, a timeline; browsable from disk or any static host.

Pages sit at paths derived from record IRIs (<base>contract/x -> contract/x.html,
beside contract/x.ttl and contract/x.jsonld); scripts and styles once under
assets/. Each file is written as it is rendered into a fresh directory, which
then replaces the old one in a rename: no reader sees half a site, and a
failure leaves the old one. Worker processes, forked once the catalog and
graph are built, render the pages while the caller writes the exports; a
record's .ttl and .jsonld are cut by the workers from graph.trig and
graph.jsonld, each as soon as the caller has written it.
"""

from __future__ import annotations

import functools
import gc
import json
import math
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import networkx as nx
from markupsafe import Markup, escape

from kg import export, jsonld, viewgraph, viz
from kg.catalog import ENTITY_KINDS, EVENT_DATES, FACT_KINDS, Catalog, Entry
from kg.models import KINDS
from kg.prose import Sentence, date, label, say_all, sentences

KIND_NAMES = {"agency": "Agencies", "vendor": "Vendors", "product": "Products", "jurisdiction": "Jurisdictions",
              "contract": "Contracts", "deployment": "Deployments", "legal-action": "Legal actions",
              "ban": "Bans and moratoria", "relationship": "Corporate ties", "source": "Sources"}
KIND_SINGULAR = {"agency": "Agency", "vendor": "Vendor", "product": "Product", "jurisdiction": "Jurisdiction",
                 "contract": "Contract", "deployment": "Deployment", "legal-action": "Legal action", "ban": "Ban",
                 "relationship": "Corporate tie", "source": "Source"}
EVENTS = {"signed": "signed", "start": "began", "end": "ended", "filed": "filed", "decided": "decided",
          "passed": "passed", "effective": "took effect", "expires": "expires", "date": "took place"}
TIMELINE_KINDS = ("contract", "deployment", "legal-action", "ban")
PAGE_NODES = 120  # a neighbourhood larger than this is drawn one link deep
WORKERS = 2  # processes rendering pages
CUT = {"graph.trig": "turtle", "graph.jsonld": "jsonld"}  # export file -> the Pages method cutting it into files
Ready = Callable[[str, Path], None]


def write(catalog: Catalog, out: Path, meanwhile: Callable[[Ready], object], graph_page: Path | None = None) -> list[str]:
    """Write the site to `out`, replacing what is there, and the page of the whole graph to `graph_page`
    (linking to the site beside it). `meanwhile` runs in this process while the workers render; it is handed
    `ready(name, path)`, to call once it has written graph.trig (each record's named graph becomes its .ttl)
    and graph.jsonld (each record's node becomes its .jsonld), which the workers then cut up. The paths
    written to the site, relative to `out`, sorted."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        whole = (graph_page, os.path.relpath(out, graph_page.parent) + "/") if graph_page else None
        written = _render(Pages(catalog, fresh, whole), meanwhile)
        os.chmod(fresh, 0o755)
        if out.exists():
            os.replace(out, out.with_name(f".{out.name}.old-{os.getpid()}"))
        os.replace(fresh, out)
        _delete_in_background(sorted(out.parent.glob(f".{out.name}.old-*")))  # and any a crash left
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return sorted(written)


def _delete_in_background(paths: list[Path]) -> None:
    """Deleting a replaced site of 250,000 files takes a minute: a process of its own does it, and lives on
    after `kg build` returns."""
    if paths:
        _deleting.append(subprocess.Popen(
            [sys.executable, "-c", "import shutil, sys\nfor p in sys.argv[1:]: shutil.rmtree(p, ignore_errors=True)",
             *map(str, paths)], start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL))


_deleting: list[subprocess.Popen] = []  # held, so that Python does not warn of a child still running


class Pages:
    """Renders the site's files and writes each into `root`."""

    def __init__(self, catalog: Catalog, root: Path, whole: tuple[Path, str] | None):
        self.catalog, self.root, self.whole_graph = catalog, root, whole  # the graph page, and the site from there
        self.graph = viewgraph.project(catalog)
        self.cited_by = _cited_by(catalog)
        say_all(catalog)  # if the caller has not
        env = viz.environment()
        env.auto_reload = False  # the templates do not change while the site is written
        env.filters["sentence"] = _sentence
        self.templates = {name: env.get_template(f"site/{name}")
                          for name in ("index.html", "timeline.html", "kind.html", "record.html", "header.html")}
        self.headers: dict[str, Markup] = {}  # by the pages' root: rendered once, not on each of 80,000 pages
        self.lines: dict[tuple[str, str, str], tuple] = {}  # see related and source

    def path(self, entry: Entry) -> str:
        """A record's files, without their extension: contract/x."""
        return viewgraph.page_path(self.catalog, entry.iri).removesuffix(".html")

    def put(self, name: str, content: bytes) -> str:
        """Write a new file: os.open rather than open, and no Path made, for the site's 250,000 small files at
        1M triples (open cost a third more)."""
        fd = os.open(f"{self.root}/{name}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            view = memoryview(content)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        return name

    def href(self, iri: str, root: str) -> str | None:
        """The link to a record's page from a page at `root` (../ deep), if the IRI is a record's."""
        return root + viewgraph.page_path(self.catalog, iri) if iri in self.catalog.entries else None

    def html(self, template: str, file: str, **values) -> str:
        root = "../" * file.count("/")
        if root not in self.headers:
            self.headers[root] = Markup(self.templates["header.html"].render(root=root, kind_names=KIND_NAMES))
        return self.put(file, self.templates[template].render(
            root=root, href=functools.partial(self.href, root=root), header=self.headers[root], kind_names=KIND_NAMES,
            kind_singular=KIND_SINGULAR, **values).encode("utf-8"))

    def assets(self) -> list[str]:
        (self.root / "assets").mkdir()
        files = {"assets/vis-network.min.js": viz.VIS_JS, "assets/graph.js": viz.TEMPLATES / "graph.js",
                 "assets/graph.css": viz.TEMPLATES / "graph.css", "assets/site.css": viz.TEMPLATES / "site" / "site.css",
                 "assets/site.js": viz.TEMPLATES / "site" / "site.js"}
        return [self.put(name, path.read_bytes()) for name, path in files.items()] + [
            self.put("context.jsonld", jsonld.context_file().encode())]

    def whole(self) -> list[str]:
        """The page of the whole graph, beside the site (not in it)."""
        if self.whole_graph:
            path, page_base = self.whole_graph
            export.write_atomic(path, viz.whole(self.catalog, page_base, self.graph))
        return []

    def indexes(self) -> list[str]:
        """The index with its search, the timeline, and a list per kind."""
        catalog = self.catalog
        counts = {kind: len(catalog.of_kind(kind)) for kind in KINDS}
        # w orders search hits of equal match: entities, then contracts and the like, then sources
        index = [{"l": label(e, catalog), "a": e.all("aliases"), "k": KIND_SINGULAR[e.kind], "p": viewgraph.page_path(catalog, e.iri),
                  "w": 0 if e.kind in ENTITY_KINDS else 1 if e.kind in FACT_KINDS else 2} for e in catalog.entries.values()]
        written = [self.html("index.html", "index.html", counts=counts, search=index),
                   self.html("timeline.html", "timeline.html", events=_timeline(catalog), kinds=TIMELINE_KINDS)]
        for kind in KINDS:
            entries = sorted(catalog.of_kind(kind), key=lambda e: (label(e, catalog).casefold(), e.iri))
            written.append(self.html("kind.html", f"{kind}/index.html", kind=kind, entries=[(e, label(e, catalog)) for e in entries]))
        return written

    def records(self, iris: list[str]) -> list[str]:
        """The records' pages. What the template shows is worked out here, and what many pages show (a
        source's line, a record's line in a list) once per process: at 1M triples, calls from the template
        took a third of its time."""
        written = []
        for iri in iris:
            entry, catalog = self.catalog.entries[iri], self.catalog
            path = self.path(entry)
            root = "../" * path.count("/")
            href = functools.partial(self.href, root=root)
            written.append(self.html(
                "record.html", f"{path}.html", entry=entry, name=label(entry, catalog), aliases=entry.all("aliases"),
                sentences=[_sentence(s, href) for s in sentences(entry, catalog)],
                read=_read(entry), related=[self.related(other, root) for other in _related(entry, self.graph, catalog)],
                sources=[(*self.source(c.source, root), c.quote) for c in entry.citations],
                cited_by=[(href(other.iri), other.name or other.id, quote) for other, quote in self.cited_by.get(iri, [])],
                graph=_neighbourhood(entry, self.graph, catalog, root), identifiers=_identifiers(entry)))
        return written

    def related(self, other: Entry, root: str) -> tuple[str | None, str, Markup]:
        """A record as a list of records naming an entity shows it: its page, its kind, its first sentence."""
        key = ("related", other.iri, root)
        if key not in self.lines:
            said = sentences(other, self.catalog)
            first = _sentence(said[0], functools.partial(self.href, root=root)) if said else escape(label(other, self.catalog))
            self.lines[key] = (self.href(other.iri, root), KIND_SINGULAR[other.kind], first)
        return self.lines[key]

    def source(self, iri: str, root: str) -> tuple[str | None, str | None, str, str | None]:
        """A cited source as a record's list of sources shows it: its URL, title, publisher and date, page."""
        key = ("source", iri, root)
        if key not in self.lines:
            url, title, publisher, published = viewgraph.source_row(self.catalog.entries[iri], self.catalog)
            self.lines[key] = (url, title, ", ".join(filter(None, [publisher, published])), self.href(iri, root))
        return self.lines[key]

    def turtle(self, graphs: Path) -> list[str]:
        """Each record's named graph in graph.trig as Turtle."""
        written = []
        for iri, text in _turtle_graphs(graphs):
            if entry := self.catalog.get(iri):
                written.append(self.put(f"{self.path(entry)}.ttl", text.encode()))
        return written

    def jsonld(self, document: Path) -> list[str]:
        """Each record's node of graph.jsonld as a document of its own."""
        written = []
        for iri, text in jsonld.node_texts(document):
            if entry := self.catalog.get(iri):
                path = self.path(entry)
                context = json.dumps("../" * path.count("/") + "context.jsonld")
                # as json.dumps({"@context": ..., **node}, indent=1) would write it
                written.append(self.put(f"{path}.jsonld", text.replace("{\n", f'{{\n "@context": {context},\n', 1).encode() + b"\n"))
        return written


_pages: Pages | None = None  # what forked workers render from


def _task(task: tuple[str, tuple]) -> list[str]:
    method, args = task
    return getattr(_pages, method)(*args)


def _render(pages: Pages, meanwhile: Callable[[Ready], object]) -> list[str]:
    global _pages
    entries = list(pages.catalog.entries.values())
    for directory in {pages.path(e).rpartition("/")[0] for e in entries} | set(KINDS):
        (pages.root / directory).mkdir(parents=True, exist_ok=True)
    written = pages.assets()
    iris = list(pages.catalog.entries)
    size = max(1, math.ceil(len(iris) / (WORKERS * 16)))  # small shares, so the workers finish together
    tasks = [("whole", ()), ("indexes", ())] + [("records", (iris[i:i + size],)) for i in range(0, len(iris), size)]
    pool = ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("fork"))
    try:
        _pages = pages
        gc.freeze()  # the workers' collector then leaves the shared objects (and their memory pages) alone
        try:
            done = [pool.submit(_task, task) for task in tasks]  # the first forks the workers
        finally:
            gc.unfreeze()
            _pages = None
        links: list[Path] = []
        to_cut = dict(CUT)

        def ready(name: str, path: Path) -> None:
            """Queue the cutting of an export file, once written: the workers take it when the pages are done,
            while this process writes the other exports (at 1M triples, the release took 46 s rather than 52 s)."""
            if name in to_cut:
                # a link of the workers' own: the export file may be renamed into place before they read it
                links.append(pages.root / f".{name}")
                os.link(path, links[-1])
                done.append(pool.submit(_task, (to_cut.pop(name), (links[-1],))))

        meanwhile(ready)
        if to_cut:
            raise ValueError(f"{' and '.join(to_cut)} not written to cut into the site's files")
        for names in done:
            written += names.result()
        for link in links:
            link.unlink()
    finally:  # on a failure, the tasks not yet started are dropped and the running ones finished, before the
        pool.shutdown(cancel_futures=True)  # caller removes the directory they write to
    return written


def _turtle_graphs(path: Path) -> Iterator[tuple[str, str]]:
    """Each named graph of a graph.trig as kg.export writes it (with PREFIXES), and its statements as Turtle
    would write them, cut from the text rather than parsed and written again: the prefixes, then the graph's
    lines a tab less deep. TriG writes a graph as "<iri> {", its statements a tab deep (literals escape their
    line breaks), then "}"."""
    head: list[str] = []
    graph: tuple[str, list[str]] | None = None
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if graph:
                if line == "}\n":
                    yield graph[0], "".join(head + graph[1])
                    graph = None
                else:
                    graph[1].append(line.removeprefix("\t"))
            elif line.startswith("@prefix "):
                head.append(line)
            elif line.startswith("<") and line.endswith("> {\n"):
                graph = line[1:-4], []
            else:
                raise ValueError(f"{path}: {line.strip()[:80]!r} is not a graph as kg.export writes graph.trig")
    if graph:
        raise ValueError(f"{path}: cut short in the graph {graph[0]}")


def _sentence(parts: Sentence, href: Callable[[str], str | None]) -> Markup:
    """A sentence as HTML: its text escaped, each record it names linked to its page."""
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(escape(part))
        elif link := href(part.iri):
            out.append(f'<a href="{escape(link)}">{escape(part.text)}</a>')
        else:
            out.append(escape(part.text))
    return Markup("".join(out))


def _related(entry: Entry, graph, catalog: Catalog) -> list[Entry]:
    """The records that link to an entity, by date."""
    if entry.kind not in ENTITY_KINDS or entry.iri not in graph:
        return []
    records = [catalog.get(n) for n in sorted(set(nx.all_neighbors(graph, entry.iri)))]
    return sorted(records, key=lambda e: (e.kind not in FACT_KINDS, (e.dates() or ["9999"])[0], e.iri))


def _read(entry: Entry) -> tuple[str, str | None, str | None] | None:
    """A source's link to read it: its URL, title and the URL of a copy it was read through."""
    return (entry.one("url"), entry.name, entry.one("via_url")) if entry.kind == "source" and entry.one("url") else None


def _cited_by(catalog: Catalog) -> dict[str, list[tuple[Entry, str | None]]]:
    out: dict[str, list] = {}
    for entry in catalog.entries.values():
        for citation in entry.citations:
            out.setdefault(citation.source, []).append((entry, citation.quote))
    return out


def _identifiers(entry: Entry) -> list[tuple[str, str]]:
    names = ("wikidata", "uei", "lei", "ori", "fips", "piid", "parent_piid", "award_key", "case_number")
    return [(name, value.rsplit("/", 1)[-1]) for name in names for value in entry.all(name)]


def _neighbourhood(entry: Entry, graph, catalog: Catalog, root: str) -> dict | None:
    if entry.iri not in graph:
        return None
    depth = 2 if entry.kind in ENTITY_KINDS else 1
    near = viewgraph.reach(graph, entry.iri, depth)
    if len(near) > PAGE_NODES and depth > 1:
        near = viewgraph.reach(graph, entry.iri, 1)
    return viewgraph.payload(graph, catalog, label(entry, catalog), root, focus=entry.iri, only=near)


def _timeline(catalog: Catalog) -> list[dict]:
    events = []
    for entry in catalog.entries.values():
        if entry.kind not in TIMELINE_KINDS:
            continue
        summary = sentences(entry, catalog)[0]
        for field in EVENT_DATES[entry.kind]:
            for value in sorted(set(entry.values.get(field, []))):
                events.append({"date": value, "shown": date(value), "event": EVENTS[field], "entry": entry,
                               "name": label(entry, catalog), "summary": summary})
    return sorted(events, key=lambda e: (e["date"], e["entry"].iri, e["event"]))
