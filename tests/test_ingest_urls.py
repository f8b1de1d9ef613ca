"""The URL key that finds the same story under another address, and only the same story."""

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from kg.ingest.urls import canonical, unwrap

SEED = Path(__file__).parent / "fixtures" / "ingest" / "000_ada7c173de585412.txt"

SAME = [
    ("scheme and host case", "http://WWW.Example.COM/news/story", "https://www.example.com/news/story"),
    ("www", "https://www.example.com/news/story", "https://example.com/news/story"),
    ("trailing slash", "https://example.com/news/story/", "https://example.com/news/story"),
    ("utm parameters", "https://example.com/news/story?utm_source=x&utm_medium=social", "https://example.com/news/story"),
    ("click ids", "https://example.com/news/story?fbclid=abc&gclid=def&msclkid=g", "https://example.com/news/story"),
    ("fragment", "https://example.com/news/story#comments", "https://example.com/news/story"),
    ("default port", "https://example.com:443/news/story", "https://example.com/news/story"),
    ("kept parameters in any order", "https://example.com/?b=2&a=1", "https://example.com/?a=1&b=2"),
    ("?amp", "https://example.com/news/story?amp", "https://example.com/news/story"),
    ("?amp=1", "https://example.com/news/story?amp=1", "https://example.com/news/story"),
    ("/amp/ at the end", "https://example.com/news/story/amp/", "https://example.com/news/story"),
    ("/amp/ in front", "https://example.com/amp/news/story", "https://example.com/news/story"),
    ("/platform/amp/", "https://example.com/platform/amp/2020/8/14/story", "https://example.com/2020/8/14/story"),
    ("/google-amp/", "https://example.com/google-amp/news/story/", "https://example.com/news/story"),
    ("amp subdomain", "https://amp.example.com/news/story", "https://example.com/news/story"),
    (".amp.html", "https://example.com/news/story.amp.html", "https://example.com/news/story.html"),
    ("AMP CDN", "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/news/story?amp",
     "https://example.com/news/story"),
    ("AMP CDN over http", "https://example-com.cdn.ampproject.org/c/example.com/news/story", "http://example.com/news/story"),
    ("Wayback Machine", "http://web.archive.org/web/20200101000000/https://example.com/news/story/",
     "https://example.com/news/story"),
]

DIFFERENT = [
    ("another path", "https://example.com/news/story-1", "https://example.com/news/story-2"),
    ("another host", "https://example.com/news/story", "https://example.org/news/story"),
    ("a parameter that names the page", "https://example.com/?p=88774", "https://example.com/?p=88775"),
    ("a page and the home page", "https://example.com/?p=88774", "https://example.com/"),
    ("a segment containing amp", "https://example.com/news/amp-stadium", "https://example.com/news/stadium"),
]


@pytest.mark.parametrize("case, a, b", SAME, ids=[c[0] for c in SAME])
def test_variants_of_a_story_share_its_key(case, a, b):
    assert canonical(a) == canonical(b)


@pytest.mark.parametrize("case, a, b", DIFFERENT, ids=[c[0] for c in DIFFERENT])
def test_different_pages_keep_different_keys(case, a, b):
    assert canonical(a) != canonical(b)


def test_every_url_of_each_seed_story_has_one_key():
    """The seed gives each story as webUrl, ampWebUrl and cdnAmpWebUrl: three addresses, one story."""
    text = SEED.read_text()
    item = YAML(typ="safe").load(text.split("\n---\n")[0].removeprefix("---\n"))
    stories = [item, *item["related"]]
    keys = []
    for story in stories:
        urls = [story[k] for k in ("webUrl", "ampWebUrl", "cdnAmpWebUrl") if k in story]
        assert len({canonical(u) for u in urls}) == 1, urls
        keys.append(canonical(story["webUrl"]))
    assert len(set(keys)) == len(stories) == 4
    assert sum("ampWebUrl" in s for s in stories) == 3  # the variants are really there


def test_unwrap_gives_the_original_behind_an_archive_or_cdn_and_leaves_others():
    assert unwrap("https://web.archive.org/web/2020id_/example.com/a") == "http://example.com/a"
    assert unwrap("https://a-b.cdn.ampproject.org/c/s/a.b/x?y=1") == "https://a.b/x?y=1"
    assert unwrap("https://example.com/c/s/x") == "https://example.com/c/s/x"
