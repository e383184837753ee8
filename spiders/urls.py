"""The key under which the crawl claims a URL: one fetch per page, whatever its session id.

Sites that keep sessions in the URL (PHP's trans_sid, Java's ``;jsessionid=``) give
every visit — and, with cookies off, every page the crawler fetches — fresh ids on all
their links: the same page under endless URLs, a crawl trap. Well-known session
parameters are left out of the key, so each page is fetched once (under the first URL
met); the URL itself is fetched and reported as the site wrote it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Lower-case names; parameters of session-tracking frameworks, never of content.
SESSION_PARAMS = frozenset({
    "phpsessid", "jsessionid", "sid", "sessionid", "session_id", "sessid", "aspsessionid",
    "cfid", "cftoken", "oscsid", "zenid", "ps_session",
})
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sessionid|sid)=[^/?#;]*", re.IGNORECASE)


# Every session parameter name above contains one of these: most URLs are ruled out
# without being parsed (the session-id rule asks about every link of every page).
_SESSION_HINTS = ("sid", "sess", "cfid", "cftoken", "zenid")


def _may_carry_session(url: str) -> bool:
    lower = url.lower()
    return any(hint in lower for hint in _SESSION_HINTS)


def strip_session(url: str) -> str:
    """``url`` without ``;jsessionid=`` path parameters and session query parameters."""
    if not _may_carry_session(url):
        return url
    parts = urlsplit(url)
    path = _PATH_SESSION.sub("", parts.path)
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if k.lower() not in SESSION_PARAMS]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    return urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))


@lru_cache(maxsize=1 << 16)  # menus and footers repeat the same links on every page
def session_param(url: str) -> str | None:
    """The name of the session parameter ``url`` carries (``jsessionid``, ``PHPSESSID``…),
    as written, or None."""
    if not _may_carry_session(url):
        return None
    parts = urlsplit(url)
    found = _PATH_SESSION.search(parts.path)
    if found:
        return found.group(0)[1:].split("=", 1)[0]
    for key, _ in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in SESSION_PARAMS:
            return key
    return None


def crawl_key(url: str) -> str:
    return canonicalize_url(strip_session(url))
