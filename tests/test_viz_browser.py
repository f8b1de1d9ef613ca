"""The graph page, an entity page and the timeline in real headless Chromium (Debian's /usr/bin/chromium).

Each page: no console error, no request beyond its own files, and the markup in a record's name, alias,
title and quotes stays text (no dialog, no injected element).
"""

import os
from pathlib import Path

import pytest
from conftest import run_console
from test_viz import XSS, xss_world

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
DRAWN = 24  # the fixture world's records less its 3 sources, plus the vendor and contract of xss/


def _missing(what: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is not installed")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _missing("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("site")
    result = run_console("build", "--facts", xss_world(work / "facts"), "--out", work / "exports", cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "exports"


class Page:
    """A page opened with every request, console error, page error and dialog recorded."""

    def __init__(self, browser, path: Path, allowed: str):
        self.problems: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.on("request", lambda r: r.url.startswith(allowed) or self.problems.append(f"request: {r.url}"))
        self.page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(allowed) else route.abort())
        self.page.goto(path.as_uri())

    def drawn(self):
        self.page.wait_for_selector("body[data-rendered=yes]", timeout=30_000)
        return self

    def click_node(self, label: str) -> dict:
        """Click where vis-network draws the node of this label."""
        point = self.page.evaluate("""label => {
            const net = window.kgNetwork, ids = net.body.data.nodes.getIds();
            const id = ids.find(i => net.body.data.nodes.get(i).title.startsWith(label + " ("));
            net.moveTo({position: net.getPosition(id), scale: 1.5, animation: false});
            const box = document.getElementById("kg-graph").getBoundingClientRect();
            const p = net.canvasToDOM(net.getPosition(id));
            return {x: box.left + p.x, y: box.top + p.y};
        }""", label)
        self.page.mouse.click(point["x"], point["y"])
        return point

    def click_edge(self, source: str, target: str) -> None:
        """Click the middle of the arrow between two nodes, given by label."""
        point = self.page.evaluate("""([source, target]) => {
            const net = window.kgNetwork, nodes = net.body.data.nodes;
            const find = label => nodes.getIds().find(i => nodes.get(i).title.startsWith(label + " ("));
            const a = net.getPosition(find(source)), b = net.getPosition(find(target));
            const middle = {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2};
            net.moveTo({position: middle, scale: 1.5, animation: false});
            const box = document.getElementById("kg-graph").getBoundingClientRect(), p = net.canvasToDOM(middle);
            return {x: box.left + p.x, y: box.top + p.y};
        }""", [source, target])
        self.page.mouse.click(point["x"], point["y"])

    def assert_inert(self, scripts: int) -> None:
        counts = self.page.evaluate("""() => ({
            img: document.querySelectorAll("img").length,
            handlers: document.querySelectorAll("[onload], [onerror]").length,
            scripts: document.querySelectorAll("script").length})""")
        assert counts == {"img": 0, "handlers": 0, "scripts": scripts}, counts
        assert self.problems == []

    def close(self):
        self.page.close()


def test_whole_graph(browser, exports: Path):
    page = Page(browser, exports / "graph.html", allowed=(exports / "graph.html").as_uri()).drawn()
    p = page.page
    assert p.evaluate("window.kgNetwork.body.data.nodes.length") == DRAWN
    p.fill("#kg-search", "alphaville")  # an alias of City A
    assert p.inner_text("#kg-results").strip() == "City A"
    p.press("#kg-search", "Enter")
    assert p.inner_text("#kg-details h2") == "City A"

    page.click_node("Acme Face")
    assert p.inner_text("#kg-details h2") == "Acme Face"
    link = p.locator("#kg-details .kg-sources a").first
    assert (link.get_attribute("href"), link.get_attribute("target"), link.get_attribute("rel")) == (
        "https://news.example.org/story-1", "_blank", "noopener noreferrer")
    assert "Acme Face, a face recognition company" in p.inner_text("#kg-details blockquote")
    page_link = p.get_attribute("#kg-details a.kg-page", "href")
    assert page_link == "site/vendor/acme.html" and (exports / page_link).is_file()

    p.fill("#kg-search", "onerror")  # finds the vendor by its alias, and shows its name as text
    p.press("#kg-search", "Enter")
    assert p.inner_text("#kg-details h2") == XSS[0]
    assert XSS[1] in p.inner_text("#kg-details") and XSS[2] in p.inner_text("#kg-details blockquote")
    page.click_node(XSS[2])  # the contract titled with markup
    assert p.inner_text("#kg-details h2") == XSS[2]
    assert p.inner_text("#kg-details blockquote") == XSS[1]
    p.mouse.move(5, 5)
    point = page.click_node(XSS[0])
    p.mouse.move(point["x"] + 1, point["y"] + 1)  # hovering: vis-network's tooltip shows the name as text
    p.wait_for_selector("div.vis-tooltip", state="visible")
    assert p.inner_text("div.vis-tooltip") == f"{XSS[0]} (vendor)"
    page.assert_inert(scripts=3)

    page.click_edge("City A Police Department", "Acme Search licences for City A police")
    assert p.inner_text("#kg-details h2") == "Acme Search licences for City A police", "an arrow shows its contract"
    p.screenshot(path=str(exports.parent / "graph.png"))
    page.close()


def test_filters_by_kind_and_year(browser, exports: Path):
    page = Page(browser, exports / "graph.html", allowed=(exports / "graph.html").as_uri()).drawn()
    p = page.page
    p.locator("#kg-legend input[value=contract]").uncheck()
    assert p.evaluate("window.kgNetwork.body.data.nodes.length") == DRAWN - 4
    p.locator("#kg-legend input[value=contract]").check()
    p.fill("#kg-from", "2021")
    p.press("#kg-from", "Enter")
    p.locator("#kg-from").dispatch_event("change")
    shown = p.evaluate("window.kgNetwork.body.data.nodes.get().map(n => n.title)")
    # dated 2021 or later, or ending then: the XSS contract, the fine, Acme's contract (ends 2021), Beta's acquisition; and the entities beside them
    assert sorted(t.rsplit(" (", 1)[0] for t in shown) == sorted([
        XSS[2], "Data Regulator fines Acme Face", "Acme Search licences for City A police", "Acme Face acquired Beta Plates",
        XSS[0], "City A Police Department", "Acme Face", "Acme Search", "Data Regulator", "Beta Plates"])
    assert page.problems == []
    page.close()


def test_entity_page(browser, exports: Path):
    site = exports / "site"
    page = Page(browser, site / "vendor" / "xss-vendor.html", allowed=site.as_uri() + "/").drawn()
    p = page.page
    assert p.inner_text("h1") == XSS[0]
    assert p.title().startswith(XSS[0])
    assert XSS[1] in p.inner_text("main") and XSS[2] in p.inner_text(".sources blockquote")
    assert p.evaluate("window.kgNetwork.body.data.nodes.length") == 3  # the vendor, its contract, the agency
    page.click_node("City A Police Department")
    assert p.inner_text("#kg-details h2") == "City A Police Department"
    assert p.get_attribute("#kg-details .kg-sources a", "rel") == "noopener noreferrer"
    page.assert_inert(scripts=3)
    page.close()

    page = Page(browser, site / "contract" / "police-a-acme-2020.html", allowed=site.as_uri() + "/").drawn()
    p = page.page
    assert p.inner_text(".facts p") == ("City A Police Department contracted Acme Face for Acme Search, "
                                        "signed 1 February 2020, $50,000 obligated.")
    assert p.get_attribute(".facts a >> nth=1", "href") == "../vendor/acme.html"
    assert p.get_attribute(".sources a", "target") == "_blank" and p.get_attribute(".sources a", "rel") == "noopener noreferrer"
    page.close()


def test_index_search_and_timeline(browser, exports: Path):
    site = exports / "site"
    page = Page(browser, site / "index.html", allowed=site.as_uri() + "/")
    p = page.page
    p.fill("#site-search", "acme")
    assert p.locator("#site-results a").all_inner_texts()[:2] == ["Acme Face", "Acme Search"]
    p.fill("#site-search", "fb")  # an alias, exactly: the agency comes first
    assert p.locator("#site-results a").all_inner_texts()[0] == "Federal Bureau"
    p.fill("#site-search", "<img")
    assert p.locator("#site-results a").all_inner_texts() == [XSS[0]]
    page.assert_inert(scripts=2)
    page.close()

    page = Page(browser, site / "timeline.html", allowed=site.as_uri() + "/")
    p = page.page
    rows = p.locator("table.timeline tbody tr:visible")
    total = rows.count()
    assert p.locator("tr[data-kind=contract]", has_text=XSS[2]).count() == 1
    p.locator("#timeline-kinds input[value=contract]").uncheck()
    assert rows.count() == total - p.locator("tr[data-kind=contract]").count() and rows.count() > 0
    assert p.locator("tr[data-kind=contract]:visible").count() == 0
    page.assert_inert(scripts=1)
    p.screenshot(path=str(exports.parent / "timeline.png"), full_page=True)
    page.close()
