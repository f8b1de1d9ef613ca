"""The graph projection, the sentences, and what `kg viz` and `kg build` write (the browser tests are in test_viz_browser)."""

import json
import os
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FIXTURES
from pyoxigraph import NamedNode, RdfFormat, Store, parse, serialize

from kg import catalog as catalogs
from kg import export, jsonld, site, viewgraph
from kg.prose import sentences
from kg.rdf import DEFAULT_BASE, PREFIXES, dataset_quads
from kg.validate import validate

XSS_FIXTURES = Path(__file__).parent / "fixtures" / "xss"
XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>']


def xss_world(dest: Path) -> Path:
    """The fixture world plus records whose name, alias, title and quotes are markup."""
    shutil.copytree(FIXTURES, dest)
    shutil.copytree(XSS_FIXTURES, dest, dirs_exist_ok=True)
    return dest


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    store = Store()
    store.extend(dataset_quads(validate(xss_world(tmp_path_factory.mktemp("w") / "facts")), DEFAULT_BASE))
    catalog = catalogs.load(store, DEFAULT_BASE)
    return store, catalog, viewgraph.project(catalog)


def text(parts) -> str:
    return "".join(p if isinstance(p, str) else p.text for p in parts)


def iri(kind: str, rid: str) -> str:
    return f"{DEFAULT_BASE}{kind}/{rid}"


def test_a_contract_reads_as_a_sentence(world):
    _, catalog, _ = world
    contract = catalog.get(iri("contract", "police-a-acme-2020"))
    assert [text(s) for s in sentences(contract, catalog)] == [
        "City A Police Department contracted Acme Face for Acme Search, signed 1 February 2020, $50,000 obligated.",
        "Runs from February 2020 to 2021."]
    linked = {p.iri for p in sentences(contract, catalog)[0] if not isinstance(p, str)}
    assert linked == {iri("agency", "police-a"), iri("vendor", "acme"), iri("product", "acme-search")}


def test_disputed_values_keep_each_source(world):
    _, catalog, _ = world
    first = text(sentences(catalog.get(iri("contract", "federal-office-acme-2018")), catalog)[0])
    assert first == ("Federal Office contracted Acme Face for face recognition, signed March 2018 (per Fixture story 1) or "
                     "2 April 2018 (per Fixture story 2), $224,000 total value (per Fixture story 1); "
                     "$274,000 total value (per Fixture story 2).")


def test_other_kinds_read_as_sentences(world):
    _, catalog, _ = world
    said = {rid: text(sentences(catalog.get(iri(kind, rid)), catalog)[0]) for kind, rid in [
        ("legal-action", "regulator-fines-acme"), ("ban", "city-b-moratorium"), ("ban", "state-y-repeal"),
        ("relationship", "acme-renamed"), ("deployment", "police-a-uses-beta")]}
    assert said == {
        "regulator-fines-acme": "Data Regulator fined Acme Face, filed January 2021, decided 30 June 2021: €1,000,000 fine.",
        "city-b-moratorium": "City B put a moratorium on police use of face recognition, in effect from 1 January 2019, until 1 January 2020.",
        "state-y-repeal": "State Y repealed State Y ban on face recognition by businesses, in effect from 1 July 2020.",
        "acme-renamed": "Acme Vision was renamed Acme Face (Acme Face), 2019.",
        "police-a-uses-beta": "City A Police Department uses license plate recognition from Beta Plates under Beta plate readers for City A police, since June 2018.",
    }


def test_the_path_agency_contract_vendor_is_labelled_and_dated(world):
    _, _, graph = world
    contract = iri("contract", "police-a-acme-2020")
    assert graph.get_edge_data(iri("agency", "police-a"), contract)[0]["label"] == "contracted Feb 2020"
    assert graph.get_edge_data(contract, iri("vendor", "acme"))[0]["label"] == "with"
    assert graph.get_edge_data(iri("agency", "regulator"), iri("legal-action", "regulator-fines-acme"))[0]["label"] == "fined Jun 2021"
    assert not any(n.endswith(("/source/s1", "/source/s2")) for n in graph), "sources are details, not nodes"


def test_neighbourhood_counts_links(world):
    _, catalog, graph = world
    one = viewgraph.neighbourhood(graph, catalog, "beta", 1)
    assert {n.rsplit("/", 1)[1] for n in one} == {"beta", "police-a-beta-2018", "police-a-uses-beta", "acme-acquires-beta"}
    two = viewgraph.neighbourhood(graph, catalog, "beta", 2)
    assert {"police-a", "acme"} <= {n.rsplit("/", 1)[1] for n in two}


def test_layout_is_the_same_every_time(world):
    _, catalog, graph = world

    def positions():
        return [(n["x"], n["y"]) for n in viewgraph.payload(graph, catalog, "all", None)["nodes"]]

    first = positions()
    assert first == positions() and len(first) == len(graph)
    assert len(set(first)) == len(first), "no two nodes on the same spot"


def test_drawing_some_nodes_of_a_graph_is_drawing_their_subgraph(world):
    _, catalog, graph = world
    near = viewgraph.reach(graph, viewgraph.resolve(catalog, "beta"), 2)
    assert 3 < len(near) < len(graph)
    assert viewgraph.payload(graph, catalog, "t", "", only=near) == viewgraph.payload(graph.subgraph(near).copy(), catalog, "t", "")


def test_a_select_draws_its_records_and_what_links_them(world):
    store, catalog, graph = world
    result = store.query("SELECT ?a ?v WHERE { VALUES (?a ?v) { (<%s> <%s>) } }" % (iri("agency", "police-a"), iri("vendor", "beta")))
    drawn = {n.rsplit("/", 1)[1] for n in viewgraph.from_query(graph, result)}
    assert drawn == {"police-a", "beta", "police-a-beta-2018", "police-a-uses-beta"}


def test_page_embeds_record_text_only_as_escaped_json(tmp_path, kg):
    facts = xss_world(tmp_path / "facts")
    assert kg("viz", "--facts", facts, "--entity", "xss-vendor", "-o", tmp_path / "out.html").exit_code == 0
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    for s in XSS:
        assert s not in html
    assert html.count("</script") == 3  # the data, vis-network and our script: nothing closes them early
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)[1])
    labels = {n["l"] for n in data["nodes"]}
    assert XSS[0] in labels and XSS[2] in labels


def test_tojson_writes_what_jinjas_tojson_writes():
    from jinja2.utils import htmlsafe_json_dumps

    from kg.viz import tojson

    value = {"z": [1, -2, None, True, False, 0.5], "a": XSS + ["it's & <b>", "ünïcödé 🙂", "line\u2028sep\n\t\"q\"\\"],
             "é": {"b": {}, "a": []}, "": ""}
    expected = htmlsafe_json_dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert tojson(value) == expected and "<" not in tojson(value) and "'" not in tojson(value)


class Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("src", "href"):
            if key in attrs:
                self.refs.append((tag, attrs[key], attrs))


def test_kg_viz_writes_only_the_given_file(tmp_path, kg, facts):
    result = kg("viz", "--facts", facts, "--entity", "acme", "--depth", "1", "-o", tmp_path / "deep" / "acme.html")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["acme.html"]
    assert not (tmp_path / "lib").exists(), "nothing written into the current directory (pyvis writes lib/)"
    refs = Refs()
    refs.feed((tmp_path / "deep" / "acme.html").read_text(encoding="utf-8"))
    assert refs.refs == [], "a standalone page loads nothing: scripts and styles are inline"


def test_kg_viz_query(tmp_path, kg, facts):
    construct = tmp_path / "c.rq"
    construct.write_text("PREFIX kg: <https://w3id.org/surveillance-kg/ontology#>\n"
                         "CONSTRUCT { ?a kg:boughtFrom ?v } WHERE { ?c kg:agency ?a ; kg:vendor ?v }")
    assert kg("viz", "--facts", facts, "--query", construct, "-o", tmp_path / "c.html").exit_code == 0
    data = json.loads(re.search(r'id="kg-data">(.*?)</script>', (tmp_path / "c.html").read_text(), re.S)[1])
    assert {e[2] for e in data["edges"]} == {"boughtFrom"}
    assert {n["l"] for n in data["nodes"]} == {"City A Police Department", "Federal Office", "Acme Face", "Beta Plates"}


@pytest.mark.parametrize("args, message", [
    (["--entity", "nobody"], "error: no record 'nobody'"),
    (["--entity", "s1"], "error: s1 is a source"),
    (["--query", "ask.rq"], "error: an ASK query gives no graph"),
])
def test_kg_viz_errors_are_clear_and_write_nothing(tmp_path, kg, facts, args, message):
    (tmp_path / "ask.rq").write_text("ASK { ?s ?p ?o }")
    result = kg("viz", "--facts", facts, *args, "-o", tmp_path / "out.html")
    assert result.exit_code == 1 and result.output.startswith(message), result.output
    assert not (tmp_path / "out.html").exists()


def write_site(store: Store, out: Path) -> dict[str, bytes]:
    """The site `kg build` writes, as relative path -> content."""
    graphs, document = out.with_name("graph.trig"), out.with_name("graph.jsonld")

    def exports(ready: site.Ready) -> None:
        graphs.write_bytes(export.FORMATS["trig"].render(export.Release([], store, DEFAULT_BASE, "2025-01-01")))
        ready("graph.trig", graphs)
        document.write_bytes(jsonld.document(store))
        ready("graph.jsonld", document)

    written = site.write(catalogs.load(store, DEFAULT_BASE), out, exports)
    assert written == sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    return {name: (out / name).read_bytes() for name in written}


def test_a_records_turtle_is_its_graph_cut_from_graph_trig_as_turtle_would_write_it(world, tmp_path):
    store, _, _ = world
    trig = tmp_path / "graph.trig"
    trig.write_bytes(export.FORMATS["trig"].render(export.Release([], store, DEFAULT_BASE, "2025-01-01")))
    graphs = dict(site._turtle_graphs(trig))
    assert sorted(graphs) == sorted(g.value for g in store.named_graphs())
    for name, text in graphs.items():
        quads = sorted(store.quads_for_pattern(None, None, None, NamedNode(name)), key=str)
        assert text.encode() == serialize([q.triple for q in quads], format=RdfFormat.TURTLE, prefixes=PREFIXES)
    trig.write_bytes(trig.read_bytes()[:-2])
    with pytest.raises(ValueError, match="cut short"):
        list(site._turtle_graphs(trig))


def test_site_pages_sit_at_their_iris_path_with_their_own_turtle_and_jsonld(world, tmp_path):
    store, catalog, _ = world
    files = write_site(store, tmp_path / "site")
    for entry in catalog.entries.values():
        assert {f"{entry.kind}/{entry.id}.{ext}" for ext in ("html", "ttl", "jsonld")} <= set(files)
    record = iri("contract", "police-a-acme-2020")
    stated = {q.triple for q in store.quads_for_pattern(None, None, None, NamedNode(record))}
    assert {q.triple for q in parse(files["contract/police-a-acme-2020.ttl"], format=RdfFormat.TURTLE)} == stated
    doc = json.loads(files["contract/police-a-acme-2020.jsonld"])
    assert doc["@context"] == "../context.jsonld"
    doc["@context"] = json.loads(files["context.jsonld"])["@context"]
    assert {q.triple for q in parse(json.dumps(doc).encode(), format=RdfFormat.JSON_LD)} == stated
    assert b"$50,000 obligated" in files["contract/police-a-acme-2020.html"]

    assert write_site(store, tmp_path / "site") == files  # replaces the old site whole
    for _ in range(100):  # and deletes it, in a process of its own
        if sorted(p.name for p in tmp_path.iterdir()) == ["graph.jsonld", "graph.trig", "site"]:
            break
        time.sleep(0.1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.jsonld", "graph.trig", "site"]


def test_a_site_that_fails_to_render_leaves_the_old_one_whole(world, tmp_path):
    store, catalog, _ = world
    files = write_site(store, tmp_path / "site")
    graphs, document = tmp_path / "graph.trig", tmp_path / "graph.jsonld"
    with pytest.raises(ValueError):  # graph.jsonld cut short: a worker splitting it fails
        site.write(catalog, tmp_path / "site", lambda ready: (
            store.dump(graphs, format=RdfFormat.TRIG), ready("graph.trig", graphs),
            document.write_bytes(jsonld.document(store)[:5000]), ready("graph.jsonld", document)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.jsonld", "graph.trig", "site"]
    assert {name: (tmp_path / "site" / name).read_bytes() for name in files} == files
    with pytest.raises(ValueError, match="graph.jsonld not written"):
        site.write(catalog, tmp_path / "site", lambda ready: ready("graph.trig", graphs))
    assert {name: (tmp_path / "site" / name).read_bytes() for name in files} == files


def test_the_site_cuts_an_export_file_renamed_as_soon_as_it_is_ready(world, tmp_path):
    """As kg build's exports do: each file renamed into place once all are written, maybe before a worker reads it."""
    store, _, _ = world
    files = write_site(store, tmp_path / "site")
    renamed = tmp_path / "renamed"
    renamed.mkdir()

    def exports(ready: site.Ready) -> None:
        for name in site.CUT:
            ready(name, tmp_path / name)
            os.replace(tmp_path / name, renamed / name)

    assert site.write(catalogs.load(store, DEFAULT_BASE), tmp_path / "again", exports) == sorted(files)
    assert {name: (tmp_path / "again" / name).read_bytes() for name in files} == files


def test_site_escapes_record_text(world, tmp_path):
    store, _, _ = world
    files = write_site(store, tmp_path / "site")
    for name in ("vendor/xss-vendor.html", "contract/police-a-xss-2021.html", "timeline.html", "index.html", "vendor/index.html"):
        html = files[name].decode()
        assert not any(s in html for s in XSS), name
