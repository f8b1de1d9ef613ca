"""One key per story, whatever variant of its URL a feed gives: for finding duplicates, never written out."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from url_normalize import url_normalize

TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|gclsrc|dclid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|ref_src|cmpid|amp)$",
                      re.IGNORECASE)  # `amp` (?amp, ?amp=1) marks an AMP page
AMP_PATH = re.compile(r"/(platform/amp|google-amp|amp)(?=/|$)", re.IGNORECASE)
HOST_PREFIXES = ("www.", "amp.", "m.")
AMP_CDN = re.compile(r"^/[cv]/(s/)?(.+)$")  # <site>.cdn.ampproject.org/c/s/<host>/<path>; without s/, http
WAYBACK = re.compile(r"^/web/[0-9]+[a-z_]*/(.+)$")  # web.archive.org/web/<timestamp>/<url>


def unwrap(url: str) -> str:
    """The original URL behind an AMP CDN or Wayback Machine address; other URLs as they are."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if host.endswith(".cdn.ampproject.org") and (m := AMP_CDN.match(path)):
        return ("https://" if m[1] else "http://") + m[2]
    if host == "web.archive.org" and (m := WAYBACK.match(path)):
        inner = m[1]
        return inner if re.match(r"^https?://", inner) else "http://" + inner
    return url.strip()


def canonical(url: str) -> str:
    """The key two URLs of the same story share: scheme, host case and www, trailing slash, tracking
    parameters, fragments, and AMP variants (?amp, /amp/, /platform/amp/, /google-amp/, AMP CDN) ignored."""
    parts = urlsplit(url_normalize(unwrap(url)) or "")
    host = (parts.hostname or "").lower()
    for prefix in HOST_PREFIXES:
        host = host.removeprefix(prefix)
    path = re.sub(r"\.amp(\.html?)?$", r"\1", AMP_PATH.sub("", parts.path)).rstrip("/") or "/"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k))
    return urlunsplit(("https", host, path, urlencode(query), ""))
