"""The `kg` command line: parse options, call the library, print. No logic of its own."""

from __future__ import annotations

import functools
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click
import networkx as nx
from pyoxigraph import QueryBoolean, QuerySolutions

from kg import conflicts as policy
from kg import diff as diffs
from kg import export, paths, rank, rows, schemas, timeline
from kg.graph import ENTITIES, EVENTS, project
from kg.lookup import RecordError, find
from kg.models import Technology
from kg.query import (
    QueryError,
    inline_bindings,
    named_queries,
    query_and_bindings,
    query_text,
    run,
)
from kg.rdf import DEFAULT_BASE
from kg.records import DEFAULT_FACTS, InvalidRecords, Loaded
from kg.results import FORMATS, GRAPH_FORMATS, FormatError, render
from kg.stats import coverage, format_coverage, format_summary, summary
from kg.store import DEFAULT_ROOT, Opened, cache_file, loaded_quads, open_store
from kg.validate import validate

if TYPE_CHECKING:
    from kg.ingest.batch import Batch

# The site, the server, the endpoint client and the importers are imported by the commands that use them:
# together they took about half a second off the start of every command.

EXPORTS = Path("exports")


def fails_cleanly(command):
    """Print the library's errors without a traceback, with the exit code they carry."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InvalidRecords as e:
            for problem in e.problems:
                click.echo(str(problem), err=True)
            files = len({p.path for p in e.problems})
            click.echo(f"{len(e.problems)} problem(s) in {files} file(s)", err=True)
            sys.exit(1)
        except QueryError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(e.exit_code)
        except (FormatError, RecordError, RuntimeError) as e:  # RuntimeError: Oxigraph, while evaluating lazily
            click.echo(f"error: {e}", err=True)
            sys.exit(1)
        except OSError as e:
            click.echo(f"error: {e.strerror or e}: {e.filename or ''}", err=True)
            sys.exit(1)

    return wrapper


def facts_option(command):
    return click.option("--facts", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_FACTS,
                        envvar="KG_FACTS", show_default="the project's kg/facts",
                        help="Directory of records, laid out as <kind>/<id>.yaml.")(command)


def store_root_option(command):
    return click.option("--store", "store_root", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_ROOT,
                        envvar="KG_STORE", show_default=True,
                        help="Where the Oxigraph store and the validated records are kept.")(command)


def store_options(command):
    command = store_root_option(command)
    command = click.option("--base", default=DEFAULT_BASE, envvar="KG_BASE", show_default=True,
                           help="Base of record IRIs: <base><kind>/<id>.")(command)
    return facts_option(command)


@click.group()
@click.version_option(package_name="surveillance-kg")
def main():
    """The surveillance-tech knowledge graph: sourced facts on who sells surveillance technology to whom."""


@main.command("validate")
@facts_option
@store_root_option
@click.option("--shacl/--no-shacl", default=True, show_default=True,
              help="Also check the records' RDF against schemas/shapes.ttl with pyshacl.")
@fails_cleanly
def validate_cmd(facts: Path, store_root: Path, shacl: bool):
    """Check every record; report ALL problems with file, line and field, and exit 1 if there are any.
    A record file unchanged since it last passed is not parsed again (see --store)."""
    records = validate(facts, shacl=shacl, cache=cache_file(store_root))
    per_kind = Counter(r.kind for r in records)
    click.echo(f"ok: {len(records)} records ({', '.join(f'{n} {k}' for k, n in sorted(per_kind.items()))})")


def release_option(command):
    return click.option("--release-date", metavar="YYYY-MM-DD",
                        help="Issue date of the release in void.ttl. Default: the latest date a source was published or read.")(command)


def _release(records: list[Loaded], opened: Opened, release_date: str | None) -> export.Release:
    return export.Release(records, opened.store, opened.base, release_date or export.release_date(records),
                          loaded_quads(opened.path))


@main.command()
@store_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=EXPORTS, show_default=True,
              help="Directory the exports are written to.")
@release_option
@fails_cleanly
def build(facts: Path, store_root: Path, base: str, out: Path, release_date: str | None):
    """Validate the facts, build the store, write every export, print a summary."""
    started = time.perf_counter()
    from kg import release as releases

    records = validate(facts, cache=cache_file(store_root))
    opened, catalog = releases.build_store(facts, store_root, base, records)
    release = _release(records, opened, release_date)
    written = releases.write(release, catalog, out)
    click.echo(format_summary(summary(release.store)))
    click.echo(f"wrote {len(written)} files to {out}/ in {time.perf_counter() - started:.2f} s")


@main.command("export")
@click.option("--format", "fmt", required=True, type=click.Choice([*export.FORMATS, "void", *GRAPH_FORMATS]),
              help="What to write: an export (csv:<kind> for one kind's table), or with --query an RDF format.")
@click.option("--output", "-o", default="-", show_default=True, help="File to write, or - for stdout.")
@click.option("--query", "query_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A CONSTRUCT or DESCRIBE query (.rq) whose result is written instead of the whole graph.")
@release_option
@store_options
@fails_cleanly
def export_cmd(fmt: str, output: str, query_file: Path | None, release_date: str | None,
               facts: Path, store_root: Path, base: str):
    """Write one export format on demand, or the graph a CONSTRUCT query returns."""
    if query_file:
        if fmt not in GRAPH_FORMATS:
            raise FormatError(f"a query's graph is written as {'|'.join(GRAPH_FORMATS)}, not {fmt}")
        opened = open_store(facts, store_root, base)
        result = run(opened.store, query_text(str(query_file)))
        if isinstance(result, (QuerySolutions, QueryBoolean)):
            raise FormatError("kg export --query needs a CONSTRUCT or DESCRIBE query; use kg query for SELECT and ASK")
        data = render(result, fmt)
    else:
        if fmt in GRAPH_FORMATS and fmt not in export.FORMATS:
            raise FormatError(f"{fmt} is for --query results; the whole graph exports as {', '.join(export.FORMATS)}")
        records = validate(facts, cache=cache_file(store_root))
        release = _release(records, open_store(facts, store_root, base, records=records), release_date)
        data = export.render_void(release) if fmt == "void" else export.FORMATS[fmt].render(release)
    if output == "-":
        click.echo(data, nl=False)
    else:
        export.write_atomic(Path(output), data)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on (0: any free port).")
@click.option("--timeout", default=30.0, show_default=True, help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", default=10_000, show_default=True, help="Rows (or triples) an answer holds at most.")
@click.option("--max-request-bytes", default=1_000_000, show_default=True, help="Larger requests answer 413.")
@click.option("--workers", default=2, show_default=True, help="Worker processes running queries in parallel.")
@click.option("--site", type=click.Path(file_okay=False, path_type=Path), default=EXPORTS / "site", show_default=True,
              help="The static site to serve under /site/ and for record pages, when it exists.")
@store_options
@fails_cleanly
def serve(host: str, port: int, timeout: float, max_rows: int, max_request_bytes: int, workers: int, site: Path,
          facts: Path, store_root: Path, base: str):
    """Serve a read-only SPARQL 1.1 endpoint at /sparql, a query page at /, and record pages at /id/<kind>/<id>."""
    from kg import server

    opened = open_store(facts, store_root, base)
    settings = server.Settings(opened.base, max_rows, max_request_bytes, site if site.is_dir() else None)
    server.serve(opened.path, settings, host, port, workers, timeout,
                 lambda url: click.echo(f"serving {url} (SPARQL at {url}sparql); Ctrl-C stops", err=True))


@main.command()
@click.option("--endpoint", required=True, metavar="URL", help="The store's SPARQL query endpoint.")
@click.option("--graph-store", metavar="URL", help="Its Graph Store Protocol endpoint. Default: the query endpoint.")
@store_options
@fails_cleanly
def push(endpoint: str, graph_store: str | None, facts: Path, store_root: Path, base: str):
    """Upload every record graph to a SPARQL store (Graph Store Protocol), replacing what an earlier push wrote.

    Basic auth credentials come from KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD.
    """
    from kg.remote import Endpoint

    opened = open_store(facts, store_root, base)
    written, deleted = Endpoint(endpoint, graph_store).push(opened.store, opened.base)
    click.echo(f"pushed {written} record graphs; deleted {deleted} graphs an earlier push left")


@main.command("viz")
@click.option("--entity", help="A record's id (or IRI): draw its neighbourhood.")
@click.option("--depth", default=2, show_default=True, type=click.IntRange(1, 6),
              help="With --entity: how many links away to draw (a contract is one link from its agency, its vendor two).")
@click.option("--query", "query_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A .rq file: draw a CONSTRUCT or DESCRIBE result, or the records a SELECT returns.")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write (self-contained, works offline).")
@store_options
@fails_cleanly
def viz_cmd(entity: str | None, depth: int, query_file: Path | None, output: Path, facts: Path, store_root: Path, base: str):
    """Write an interactive graph page: one record's neighbourhood, or a query's result."""
    if bool(entity) == bool(query_file):
        raise click.UsageError("give --entity ID or --query FILE.rq, not both")
    from kg import viz

    opened = open_store(facts, store_root, base)
    if entity:
        html = viz.entity(opened.store, opened.base, entity, depth)
    else:
        html = viz.query(opened.store, opened.base, query_text(str(query_file)), query_file.name)
    export.write_atomic(output, html)
    click.echo(f"wrote {output}")


@main.command("diff")
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def diff_cmd(old: Path, new: Path, as_json: bool):
    """Records added, removed and changed between two builds (directories with graph.nq, or RDF files)."""
    try:
        result = diffs.diff(old, new)
    except (ValueError, SyntaxError) as e:
        raise click.ClickException(str(e)) from None
    click.echo(json.dumps(result, indent=2) if as_json else diffs.as_text(result), nl=not as_json)


@main.command()
@store_options
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@fails_cleanly
def stats(facts: Path, store_root: Path, base: str, as_json: bool):
    """Records per kind, triples and sources, and coverage: records per kind and year, how many have two or
    more independent sources, how many quote them."""
    store = open_store(facts, store_root, base).store
    s, c = summary(store), coverage(store)
    click.echo(json.dumps(s | {"coverage": c}, indent=2) if as_json else f"{format_summary(s)}\n{format_coverage(c)}")


@main.command()
@click.argument("query", required=False)
@click.option("--named", "name", help="Run a named query from kg/queries (see `kg queries`).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A named query's parameter; an id (clearview-ai) or a full IRI for records. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Output format. Default: table for SELECT and ASK, turtle for CONSTRUCT and DESCRIBE.")
@click.option("--endpoint", metavar="URL", help="Query this SPARQL 1.1 endpoint instead of the local store.")
@store_options
@fails_cleanly
def query(query: str | None, name: str | None, params: tuple[str, ...], fmt: str | None, endpoint: str | None,
          facts: Path, store_root: Path, base: str):
    """Run SPARQL: QUERY is the text, a .rq file, or - for stdin; or --named NAME.

    SELECT and ASK print as a table or --format csv|tsv|json|xml (json: SPARQL
    1.1 results JSON); CONSTRUCT and DESCRIBE as turtle, ntriples, jsonld or rdfxml.
    The default graph is the union of all record graphs.
    """
    if bool(query) == bool(name):
        raise click.UsageError("give a QUERY (text, file or -) or --named NAME, not both")
    if query and params:
        raise click.UsageError("--param goes with --named")
    if endpoint:
        from kg.remote import Endpoint

        remote = Endpoint(endpoint)
        text, substitutions = query_and_bindings(query, name, params, remote.exists, base)
        result = remote.query(inline_bindings(text, substitutions or {}))
    else:
        opened = open_store(facts, store_root, base)
        text, substitutions = query_and_bindings(query, name, params, opened.store.contains_named_graph, opened.base)
        result = run(opened.store, text, substitutions)
    click.echo(render(result, fmt, base), nl=False)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def queries(as_json: bool):
    """List the named queries with their descriptions and parameters."""
    found = named_queries()
    if as_json:
        click.echo(json.dumps([{"name": q.name, "description": q.description,
                                "params": [vars(p) for p in q.params]} for q in found.values()], indent=2))
        return
    for q in found.values():
        click.echo(f"{q.name}\n    {q.description}")
        for p in q.params:
            click.echo(f"    --param {p.name}=<{p.type}>  {p.description}")


@main.command("schemas")
@click.option("--check", is_flag=True, help="Exit 1 if schemas/ differs from what the models give; write nothing.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=schemas.SCHEMA_DIR, show_default="schemas/")
def schemas_cmd(check: bool, out: Path):
    """Generate schemas/ (JSON Schema per kind, ontology.ttl) from the record models."""
    if check:
        stale = schemas.stale(out)
        if stale:
            click.echo(f"stale: {', '.join(stale)}; run `kg schemas`", err=True)
            sys.exit(1)
        click.echo("schemas are up to date")
        return
    for path in schemas.write(out):
        click.echo(f"wrote {path}")


def table_format(command):
    return click.option("--format", "fmt", type=click.Choice(rows.FORMATS), default="text", show_default=True,
                        help="text for a person; json or csv: the table, a row per step, entity, conflict or event.")(command)


def _graph(facts: Path, store_root: Path, base: str) -> nx.MultiDiGraph:
    opened = open_store(facts, store_root, base)
    return project(opened.store, opened.base)


@main.command("path")
@click.argument("start")
@click.argument("end")
@click.option("--max-hops", type=click.IntRange(min=1), default=6, show_default=True,
              help="Longest path to look for, in steps: each step is one record.")
@click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True,
              help="Most paths to give, when several are shortest.")
@table_format
@store_options
@fails_cleanly
def path_cmd(start: str, end: str, max_hops: int, limit: int, fmt: str, facts: Path, store_root: Path, base: str):
    """The shortest connections between two records, by id, name or alias: each step in words, with its date and sources."""
    graph = _graph(facts, store_root, base)
    found = paths.connections(graph, find(graph, start), find(graph, end), max_hops, limit)
    click.echo(rows.render(found, paths.Step, fmt, lambda steps: paths.as_text(steps, max_hops)), nl=False)


@main.command("rank")
@click.option("--kind", type=click.Choice(ENTITIES), help="Rank only entities of this kind. Default: every entity.")
@click.option("--by", type=click.Choice(list(rank.MEASURES)), default="degree", show_default=True,
              help="degree: records linked; betweenness: shortest paths through it; pagerank.")
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="How many to list.")
@table_format
@store_options
@fails_cleanly
def rank_cmd(kind: str | None, by: str, top: int, fmt: str, facts: Path, store_root: Path, base: str):
    """Entities ranked by how connected they are in the graph."""
    ranked = rank.rank(_graph(facts, store_root, base), by, kind, top)
    click.echo(rows.render(ranked, rank.Ranked, fmt, rank.as_text), nl=False)


@main.command("conflicts")
@click.option("--check", type=click.Choice(list(policy.CHECKS)), help="Run one check. Default: all.")
@table_format
@store_options
@fails_cleanly
def conflicts_cmd(check: str | None, fmt: str, facts: Path, store_root: Path, base: str):
    """Policy conflicts with the facts and sources behind them: contracts and deployments after a ban, contracts
    with vendors sued or fined over the same technology, contracts continuing after an export-control or
    sanctions listing. Each check is also a named query of the same name."""
    found = policy.conflicts(_graph(facts, store_root, base), check)
    click.echo(rows.render(found, policy.Conflict, fmt, policy.as_text), nl=False)


@main.command("timeline")
@click.option("--entity", help="Only the events of this record (id, name or alias) and of the records linked to it.")
@click.option("--kind", type=click.Choice([*EVENTS, *ENTITIES]), help="Only the events of records of this kind.")
@table_format
@store_options
@fails_cleanly
def timeline_cmd(entity: str | None, kind: str | None, fmt: str, facts: Path, store_root: Path, base: str):
    """Dated events in order: contracts signed, begun and ended; deployments; legal actions filed and decided;
    bans passed, in effect and expiring; corporate ties; vendors founded."""
    graph = _graph(facts, store_root, base)
    found = timeline.events(graph, find(graph, entity) if entity else None, kind)
    click.echo(rows.render(found, timeline.Event, fmt, timeline.as_text), nl=False)
@main.group()
def ingest():
    """Import records from news items, USAspending contract awards and the Atlas of Surveillance."""


def ingest_options(command):
    command = click.option("--dry-run", is_flag=True, help="Show the records it would write; write nothing.")(command)
    return facts_option(command)


def _finish(batch: Batch, dry_run: bool) -> None:
    files = batch.write(dry_run)
    for path, text in files.items() if dry_run else ():
        click.echo(f"--- # would write {path}\n{text}", nl=False)
    for outcome in batch.outcomes:
        click.echo(str(outcome))
    click.echo(("dry run, nothing written: " if dry_run else "") + batch.summary())


@ingest.command("news")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="The original URL of a plain-text article, which names none (one FILE only).")
@ingest_options
@fails_cleanly
def ingest_news(files: tuple[Path, ...], url: str | None, facts: Path, dry_run: bool):
    """Source records from news items: feed items with front matter (and their related stories), or
    plain-text articles. A story already recorded under any variant of its URL is reported, not written."""
    if url and len(files) > 1:
        raise click.UsageError("--url gives the address of one plain-text article: give one FILE")
    from kg.ingest import news
    from kg.ingest.batch import Batch

    batch = Batch.open(facts)
    news.ingest(batch, list(files), url)
    _finish(batch, dry_run)


@ingest.command("usaspending")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--technology", "technologies", multiple=True, required=True, type=click.Choice([t.value for t in Technology]),
              help="What the awards in FILE buy (USAspending does not say); repeatable.")
@ingest_options
@fails_cleanly
def ingest_usaspending(file: Path, technologies: tuple[str, ...], facts: Path, dry_run: bool):
    """Contract records from a USAspending contract award download (CSV), each with a Source for its award
    page. The awarding agency must be recorded; a recipient that matches no vendor becomes a new one."""
    from kg.ingest import usaspending
    from kg.ingest.batch import Batch

    batch = Batch.open(facts)
    usaspending.ingest(batch, file, list(technologies))
    _finish(batch, dry_run)


@ingest.command("atlas")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@ingest_options
@fails_cleanly
def ingest_atlas(file: Path, facts: Path, dry_run: bool):
    """Deployment records from an Atlas of Surveillance CSV, with the Agency, Jurisdiction and Vendor records
    they need and the rows' links as Sources. A changed header is an error."""
    from kg.ingest import atlas
    from kg.ingest.batch import Batch

    batch = Batch.open(facts)
    atlas.ingest(batch, file)
    _finish(batch, dry_run)
