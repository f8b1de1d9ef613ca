"""Names as keys for matching, and ids made from names."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from slugify import slugify

# Words that do not tell two organisations apart: "CLEARVIEW AI, INC." is "Clearview AI".
LEGAL_FORMS = {"inc", "incorporated", "llc", "corp", "corporation", "co", "company", "ltd", "limited",
               "lp", "llp", "plc", "gmbh", "ag", "sa", "the"}
STOPWORDS = ["a", "an", "the", "and", "of", "to", "in", "on", "for", "with", "at", "by", "from"]
GENERIC_LABELS = {"com", "org", "net", "gov", "edu", "co", "ac", "go", "or", "ne", "mil"}


def key(name: str) -> str:
    """A name folded for comparison: case, accents, punctuation, '&', and legal forms such as Inc. ignored."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ").replace(".", "")  # U.S. -> us, L.L.C. -> llc
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(w for w in words if w not in LEGAL_FORMS) or " ".join(words)


def slug(text: str, max_length: int = 60) -> str:
    """Lowercase words joined by hyphens, short words such as 'the' left out, the first `max_length` characters'
    worth of whole words."""
    quotes = [["’", ""], ["'", ""]]
    out = ""
    for word in (slugify(text, stopwords=STOPWORDS, replacements=quotes) or slugify(text, replacements=quotes)).split("-"):
        if out and len(out) + 1 + len(word) > max_length:
            break
        out = f"{out}-{word}" if out else word
    return out


def outlet(url: str) -> str:
    """The site's name in a URL, for ids: https://www.bbc.co.uk/news/x -> bbc."""
    labels = [label for label in (urlsplit(url).hostname or "").split(".") if label != "www"]
    while len(labels) > 1 and (labels[-1] in GENERIC_LABELS or len(labels[-1]) == 2):
        labels.pop()
    return slug(labels[-1] if labels else "source")
