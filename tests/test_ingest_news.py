"""`kg ingest news`: the seed news items become Source records, each story once, whatever its URL variant."""

from pathlib import Path

from ruamel.yaml import YAML

INGEST = Path(__file__).parent / "fixtures" / "ingest"
FEED = INGEST / "000_ada7c173de585412.txt"
ARTICLE = INGEST / "004_2e8f1981e3666b60.txt"


def snapshot(facts: Path) -> dict[str, bytes]:
    return {str(p.relative_to(facts)): p.read_bytes() for p in sorted(facts.rglob("*.yaml"))}


def new_files(before: dict, facts: Path) -> dict[str, dict]:
    after = snapshot(facts)
    return {name: YAML(typ="safe").load(data) for name, data in after.items() if name not in before}


def test_a_feed_item_becomes_a_source_for_its_story_and_each_related_story(facts, kg):
    before = snapshot(facts)
    result = kg("ingest", "news", "--facts", facts, FEED)
    assert result.exit_code == 0, result.output
    written = new_files(before, facts)
    assert len(written) == 4
    by_url = {r["url"]: r for r in written.values()}
    story = by_url["https://www.businessinsider.com/ice-clearview-ai-sign-contract-facial-recognition-2020-8"]
    assert story["title"].startswith("ICE just signed a contract with Clearview AI, the controversial")
    assert (story["publisher"], story["published"], story["type"]) == ("Business Insider", "2020-08-14", "news")
    assert story["notes"].startswith("Excerpt: ICE is known to use facial recognition technology")
    assert {r["publisher"]: r["published"] for r in written.values()} == {
        "Business Insider": "2020-08-14", "CNET": "2020-08-11", "The Verge": "2020-08-14", "KTVZ": "2020-08-14"}
    assert "https://www.theverge.com/2020/8/14/21368930/clearview-ai-ice-contract-privacy-immigration" in by_url
    for name, record in written.items():
        assert name == f"source/{record['id']}.yaml"
        assert (facts / name).read_text().startswith("# yaml-language-server: $schema=../../../schemas/source.schema.json\n")
    assert "4 new record(s) (4 source), 0 already recorded, 0 row(s) rejected" in result.output
    assert f"{FEED}:3: new: source/{story['id']}" in result.output  # the line the story starts on
    assert kg("validate", "--facts", facts).exit_code == 0


def test_running_twice_writes_nothing_new(facts, kg):
    kg("ingest", "news", "--facts", facts, FEED)
    before = snapshot(facts)
    result = kg("ingest", "news", "--facts", facts, FEED)
    assert result.exit_code == 0
    assert snapshot(facts) == before
    assert "0 new record(s), 4 already recorded" in result.output
    assert result.output.count("(same story)") == 4


def test_dry_run_shows_the_records_and_writes_nothing(facts, kg):
    before = snapshot(facts)
    result = kg("ingest", "news", "--dry-run", "--facts", facts, FEED)
    assert result.exit_code == 0
    assert snapshot(facts) == before
    assert result.output.count("--- # would write ") == 4
    assert "url: https://www.cnet.com/news/in-china-facial-recognition-public-shaming-and-control-go-hand-in-hand/" in result.output
    assert "dry run, nothing written: 4 new record(s)" in result.output


def test_a_story_recorded_under_its_amp_cdn_url_is_found(facts, kg):
    (facts / "source" / "verge-story.yaml").write_text(
        "id: verge-story\ntype: news\ntitle: The Verge story\nurl: https://www-theverge-com.cdn.ampproject.org/c/s/"
        "www.theverge.com/platform/amp/2020/8/14/21368930/clearview-ai-ice-contract-privacy-immigration\n")
    before = snapshot(facts)
    result = kg("ingest", "news", "--facts", facts, FEED)
    assert "exists: source/verge-story (same story)" in result.output
    assert len(new_files(before, facts)) == 3


def test_a_story_listed_twice_in_one_run_is_written_once(facts, kg, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text('---\ntitle: "Same story, AMP address"\nwebUrl: "https://www.businessinsider.com/'
                     'ice-clearview-ai-sign-contract-facial-recognition-2020-8?amp&utm_source=feed"\n---\n')
    before = snapshot(facts)
    result = kg("ingest", "news", "--facts", facts, FEED, other)
    assert len(new_files(before, facts)) == 4
    assert f"{other.name}:2: exists: source/businessinsider-2020-ice-just-signed-contract-clearview-ai (same story, " \
           "written from an earlier row)" in result.output


def test_a_plain_text_article_is_rejected_without_its_url(facts, kg):
    before = snapshot(facts)
    result = kg("ingest", "news", "--facts", facts, ARTICLE)
    assert result.exit_code == 0
    assert f"{ARTICLE}:1: rejected: url: a plain-text article names no URL: give the original's with --url" in result.output
    assert snapshot(facts) == before


def test_a_plain_text_article_with_its_url_becomes_a_source_titled_by_its_first_line(facts, kg):
    before = snapshot(facts)
    result = kg("ingest", "news", "--facts", facts, "--url", "https://news.example.org/cbp-deal", ARTICLE)
    assert result.exit_code == 0, result.output
    [record] = new_files(before, facts).values()
    assert record["title"] == "US Customs and Border Protection Signs One-Year Clearview AI Facial Recognition Deal"
    assert (record["url"], record["type"]) == ("https://news.example.org/cbp-deal", "news")
    assert "publisher" not in record and "published" not in record  # the article does not say: left empty


def test_url_goes_with_one_file(facts, kg):
    result = kg("ingest", "news", "--facts", facts, "--url", "https://news.example.org/x", FEED, ARTICLE)
    assert result.exit_code == 2 and "give one FILE" in result.output


def test_a_story_missing_its_url_is_rejected_and_the_others_are_written(facts, kg, tmp_path):
    item = tmp_path / "item.txt"
    item.write_text('---\ntitle: "Main"\nwebUrl: "https://news.example.org/main"\npublishedDateTime: 2021-02-03T04:05:06Z\n'
                    'related:\n  - title: "First"\n    webUrl: "https://news.example.org/first"\n'
                    '  - title: "Second, with no URL"\n    excerpt: "text"\n'
                    '  - title: "Third"\n    webUrl: "https://news.example.org/third"\n    publishedDateTime: yesterday\n---\n')
    before = snapshot(facts)
    result = kg("ingest", "news", "--facts", facts, item)
    assert result.exit_code == 0
    assert f"{item.name}:8: rejected: related[1].webUrl: required, and missing or empty" in result.output
    assert f"{item.name}:10: rejected: related[2].publishedDateTime: 'yesterday' is not a date and time" in result.output
    assert sorted(r["title"] for r in new_files(before, facts).values()) == ["First", "Main"]


def test_broken_front_matter_is_an_error_with_file_and_line_and_nothing_is_written(facts, kg, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text('---\ntitle: "fine"\nwebUrl: [unclosed\n---\n')
    before = snapshot(facts)
    result = kg("ingest", "news", "--facts", facts, FEED, bad)
    assert result.exit_code == 1
    assert "bad.txt:4: YAML syntax error: did not find expected ',' or ']'" in result.output  # paths below the working directory are relative
    assert snapshot(facts) == before


def test_a_feed_item_with_windows_line_ends_reads_the_same(facts, kg, tmp_path):
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(FEED.read_bytes().replace(b"\n", b"\r\n"))
    result = kg("ingest", "news", "--dry-run", "--facts", facts, crlf)
    assert "4 new record(s) (4 source)" in result.output
