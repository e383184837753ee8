"""URLs as the crawl spells them (:func:`normalise`: one string for a link, the page it
leads to and every rule's comparison), and the key under which the crawl claims a URL
(:func:`crawl_key`): one fetch per page, whatever its session id.

Sites that keep sessions in the URL (PHP's trans_sid, Java's ``;jsessionid=``) give
every visit — and, with cookies off, every page the crawler fetches — fresh ids on all
their links: the same page under endless URLs, a crawl trap. Well-known session
parameters are left out of the key, so each page is fetched once (under the first URL
met); the URL itself (normalised, session id included) is fetched and reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string

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


# -- the one spelling of a URL -------------------------------------------------------------
#
# A link's URL, the URL fetched and the key every rule compares must be one string: a page
# linking ``href="Zoom sur stackoverflow"`` or ``/animer-communauté/`` is fetched by Scrapy
# percent-encoded (its Request applies w3lib's safe_url_string), so the link is recorded
# percent-encoded too. Nothing else is changed: the path's case and the query's order stay
# as written (crawl_key above, the claim, is what ignores those).


@lru_cache(maxsize=1 << 17)  # menus and footers: the same URLs on every page
def normalise(url: str) -> str:
    """``url`` as the crawl fetches and records it: percent-encoded as Scrapy's Request
    encodes it (spaces, accents in UTF-8; ``%C3%A9`` kept as is), scheme and host lower
    case, an IDN host in punycode, the fragment dropped, an empty path ``/``.

    Raises ValueError for what is not a URL (a bad port, a broken IPv6 host)."""
    parts = urlsplit(safe_url_string(url.strip()))
    parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def idna_host(host: str) -> str:
    """A host name as URLs carry it once normalised: lower case, punycode (bücher.de →
    xn--bcher-kva.de)."""
    return host_of(normalise(f"http://{host.strip()}/"))


def on_origin(url: str, origin: str) -> str:
    """``url``'s path and query on ``origin``'s scheme and host, without fragment."""
    parts, where = urlsplit(url), urlsplit(origin)
    return urlunsplit((where.scheme, where.netloc, parts.path or "/", parts.query, ""))


class OnOrigin:
    """URLs on the site's other names (``site.aliases``: its production domain, when a
    staging copy is audited) moved onto the audited origin: ``https://www.client.fr/a/b``
    → ``http://127.0.0.1:8000/a/b``, so they are crawled there and keyed as such.

    Called with normalised URLs; the identity when there are no aliases."""

    def __init__(self, aliases: Iterable[str], origin: str):
        self.aliases = frozenset(idna_host(h) for h in aliases if h.strip())
        self.origin = normalise(origin)

    def __bool__(self) -> bool:
        return bool(self.aliases)

    def listed_on_alias(self, url: str, base: str = "") -> str:
        """``url`` (relative to ``base``) normalised, when it names an alias; else ""."""
        if not self.aliases:
            return ""
        try:
            absolute = normalise(urljoin(base, url) if base else url)
        except ValueError:
            return ""
        return absolute if host_of(absolute) in self.aliases else ""

    def __call__(self, url: str) -> str:
        if not self.aliases:
            return url
        if host_of(url) not in self.aliases:
            return url
        return on_origin(url, self.origin)
