"""News items -> Source records: one for the story, and one for each related story it lists.

Two formats: a feed item, YAML front matter between `---` lines (title, excerpt, publishedDateTime, webUrl,
provider, related stories); or a plain-text article, whose first line is its title and which names no URL
(the curator gives it).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml

from kg.ingest import names
from kg.ingest.batch import Batch, Rejected
from kg.records import InvalidRecords, Problem, YamlLoader, _shown, line_of, load_yaml

INPUTS = {"url": "webUrl", "title": "title", "publisher": "provider.name", "published": "publishedDateTime"}


def ingest(batch: Batch, files: list[Path], url: str | None = None) -> None:
    """Add a Source for every story in `files`; `url` is the address of a plain-text article."""
    for path in files:
        shown = _shown(path)
        try:
            text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError as e:
            line = e.object[:e.start].count(b"\n") + 1
            raise InvalidRecords([Problem(shown, line, "", f"not UTF-8 text: {e.reason}")]) from None
        if text.startswith("---\n"):
            _feed_item(batch, shown, text)
        else:
            _article(batch, shown, text, url)


def _front_matter(shown: str, text: str) -> tuple[dict, yaml.Node]:
    """The front matter's fields (date-times kept as written) and its node tree, for lines."""
    end = text.find("\n---\n", 3)
    if end < 0 and text.endswith("\n---"):
        end = len(text) - 4
    if end < 0:
        raise InvalidRecords([Problem(shown, 1, "", "front matter opened with --- is never closed")])
    try:
        data = load_yaml(text[4:end + 1])
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise InvalidRecords([Problem(shown, (mark.line if mark else 0) + 2, "", f"YAML syntax error: {e.problem}")]) from None
    if not isinstance(data, dict):
        raise InvalidRecords([Problem(shown, 2, "", "the front matter is not a mapping of fields")])
    return data, yaml.compose(text[4:end + 1], Loader=YamlLoader)


def _feed_item(batch: Batch, shown: str, text: str) -> None:
    data, tree = _front_matter(shown, text)
    related = data.get("related") or []
    stories: list[tuple[tuple, Any]] = [((), data)]
    if isinstance(related, list):
        stories += [(("related", i), story) for i, story in enumerate(related)]
    for loc, story in stories:
        line = line_of(tree, loc or ("title",)) + 1  # +1: the front matter starts on the file's second line
        prefix = f"related[{loc[1]}]." if loc else ""
        with batch.row(f"{shown}:{line}") as row:
            if not isinstance(story, dict):
                raise Rejected(prefix.rstrip("."), "a story is a mapping of fields")
            for required in ("title", "webUrl"):
                if not isinstance(story.get(required), str) or not story[required].strip():
                    raise Rejected(prefix + required, "required, and missing or empty")
            provider = story.get("provider") if isinstance(story.get("provider"), dict) else {}
            title, url = story["title"].strip(), story["webUrl"].strip()
            published = _date(story.get("publishedDateTime"), prefix + "publishedDateTime")
            excerpt = story.get("excerpt")
            fields = {"url": url, "title": title, "publisher": provider.get("name"), "published": published,
                      "type": "news", "notes": f"Excerpt: {excerpt.strip()}" if isinstance(excerpt, str) else None}
            site = names.outlet(f"https://{provider['domain']}" if provider.get("domain") else url)
            bases = [f"{site}-{published[:4]}-{names.slug(title, 50)}" if published else f"{site}-{names.slug(title, 50)}"]
            rid, new = row.source(bases, fields, {k: prefix + v for k, v in INPUTS.items()})
            if not new:
                row.exists("source", rid, "same story")


def _date(value: Any, field: str) -> str | None:
    """The date of a feed's date-time, in UTC, as YYYY-MM-DD."""
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        raise Rejected(field, f"{value!r} is not a date and time such as 2020-08-14T19:09:00Z") from None
    if moment.tzinfo:
        moment = moment.astimezone(datetime.UTC)
    return moment.date().isoformat()


def _article(batch: Batch, shown: str, text: str, url: str | None) -> None:
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    line = first + 1 if first is not None else 1
    with batch.row(f"{shown}:{line}") as row:
        if first is None:
            raise Rejected("title", "the article is empty")
        if not url:
            raise Rejected("url", "a plain-text article names no URL: give the original's with --url")
        title = lines[first].strip()
        rid, new = row.source([f"{names.outlet(url)}-{names.slug(title, 50)}"], {"url": url, "title": title, "type": "news"},
                              {"url": "--url", "title": "title"})
        if not new:
            row.exists("source", rid, "same story")
