"""Whether engines may index one page under its own URL, and if not, why.

Shared by the rules that must tell an indexable page from one that is not (indexability,
canonical, sitemaps, the duplicate and hreflang checks): one reading of ``noindex``, of
canonicals and of statuses for the whole audit.

- **Status**: only a ``200`` is indexable; a 3xx is ``redirect``, anything else (4xx, 5xx,
  another 2xx, no answer) ``status``; a URL robots.txt keeps the crawler from
  (``page.error == "robots.txt"``) is ``robots-txt`` (engines cannot read it either).
- **noindex**: the directives that apply to Googlebot — ``<meta name="robots">``,
  ``<meta name="googlebot">`` and ``X-Robots-Tag`` lines without a user agent or for
  ``googlebot`` (``X-Robots-Tag: otherbot: noindex`` does not concern Google);
  ``none`` means ``noindex, nofollow``.
- **Canonical**: a canonical (``<link rel="canonical">``, else the HTTP ``Link:``
  header) naming another URL, compared as the crawl spells URLs (``spiders.urls``). A
  canonical naming the page's own path on one of the site's other names (``site.aliases``,
  the production domain ``audit.site_hosts`` detects) names the page itself: pass
  ``same_page=site_hosts(ctx).same_page`` at ``finish`` to read it so. Several canonicals
  that disagree are ignored by Google (as if there were none): the page stays indexable
  and the ``canonical`` rule reports the conflict.
- **Not HTML**: a 200 answer that is not an HTML page (PDF, image) and carries no noindex
  nor canonical header: not a page the HTML rules judge (``not-html``).

The order of the checks is the order of what engines meet: no answer or a refusal first,
then the headers, then the page's own tags.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from audit.rule import Msg
from spiders.items import PageItem
from spiders.urls import host_of, normalise, on_origin

if TYPE_CHECKING:
    from audit.context import Context

REASONS: dict[str, Msg] = {
    "indexable": Msg("Indexable", "Indexable"),
    "status": Msg("Code HTTP autre que 200", "HTTP status other than 200"),
    "redirect": Msg("Redirigée", "Redirected"),
    "noindex": Msg("noindex", "noindex"),
    "robots-txt": Msg("Bloquée par robots.txt", "Blocked by robots.txt"),
    "canonicalised": Msg("Canonical vers une autre URL", "Canonicalised to another URL"),
    "not-html": Msg("Pas une page HTML", "Not an HTML page"),
}

# Directives that carry a value after a colon: ``unavailable_after: 2026-12-31``. Any other
# ``name:`` at the start of an X-Robots-Tag part names the user agent the rest applies to.
_VALUED = frozenset({"unavailable_after", "max-snippet", "max-image-preview",
                     "max-video-preview"})
_SPLIT = re.compile(r"[\s,;]+")
_BOTS = frozenset({"googlebot"})  # user agents whose directives the audit applies


def _meta_directives(content: str) -> set[str]:
    return {d for d in _SPLIT.split(content.lower()) if d}


@lru_cache(maxsize=1024)  # servers send the same header on every page
def header_directives(value: str) -> frozenset[str]:
    """The X-Robots-Tag directives that apply to Googlebot. ``value`` holds one header
    line per line (the crawl joins repeated headers with newlines); within a line, a
    ``name:`` that is not a directive names the user agent of the directives after it
    (``googlebot: noindex``, ``otherbot: noindex, nofollow``)."""
    found: set[str] = set()
    for line in value.lower().splitlines():
        agent = ""  # "" = every crawler
        for part in line.split(","):
            part = part.strip()
            if not part:
                continue
            name, colon, rest = part.partition(":")
            name = name.strip()
            if colon and name not in _VALUED and " " not in name:
                agent, part = name, rest.strip()
                if not part:
                    continue
            if agent and agent not in _BOTS:
                continue
            directive = part.split(":", 1)[0].strip()
            if directive:
                found.add(directive)
    return frozenset(found)


def directives(page: PageItem) -> dict[str, set[str]]:
    """Googlebot's directives by where they were found: ``meta robots``,
    ``meta googlebot``, ``X-Robots-Tag`` (only the places that have some)."""
    out: dict[str, set[str]] = {}
    for where, found in (("meta robots", _meta_directives(page.meta_robots)),
                         ("meta googlebot", _meta_directives(page.meta_googlebot)),
                         ("X-Robots-Tag", set(header_directives(page.x_robots_tag)))):
        if found:
            out[where] = found
    return out


def noindex_source(page: PageItem) -> str:
    """Where the page says ``noindex`` (or ``none``): "X-Robots-Tag", "meta robots",
    "meta googlebot", or "" when it does not."""
    found = directives(page)
    for where in ("X-Robots-Tag", "meta robots", "meta googlebot"):
        if found.get(where, set()) & {"noindex", "none"}:
            return where
    return ""


def is_noindex(page: PageItem) -> bool:
    return bool(noindex_source(page))


def is_nofollow(page: PageItem) -> bool:
    """The page asks engines not to follow any of its links (``nofollow`` or ``none``)."""
    return any(found & {"nofollow", "none"} for found in directives(page).values())


def _norm(url: str) -> str:
    try:
        return normalise(url)
    except ValueError:
        return url


def canonicals(page: PageItem) -> list[str]:
    """The distinct canonical URLs the page declares (its tags, then its ``Link:`` header),
    in order. Older crawls recorded only the first tag."""
    found = list(page.canonicals) or ([page.canonical] if page.canonical else [])
    if page.canonical_header:
        found.append(page.canonical_header)
    seen: dict[str, None] = {}
    for url in found:
        seen.setdefault(_norm(url), None)
    return list(seen)


SamePage = Callable[[str, str], bool]  # (page URL, canonical) -> names the page itself


def _same(page_url: str, canonical: str) -> bool:
    return _norm(canonical) == _norm(page_url)


def same_page_in(ctx: Context) -> SamePage:
    """At a site rule's ``finish``: whether a canonical names the page itself — the same
    URL, its own path on the site's other names (``audit.site_hosts``), or a URL that
    redirects back to it (``/guide`` → 301 ``/guide/``: a trailing slash forgotten)."""
    from audit.site_hosts import site_hosts  # site_hosts imports the config, not us

    hosts = site_hosts(ctx)

    def same(page_url: str, canonical: str) -> bool:
        if hosts.same_page(page_url, canonical):
            return True
        host = host_of(canonical)
        if host != host_of(page_url):
            if host not in hosts.aliases and host != hosts.production:
                return False
            canonical = on_origin(canonical, page_url)
        _status, final, hops = ctx.final_status(_norm(canonical))
        return bool(hops) and final == page_url

    return same


def canonical_target(page: PageItem, same_page: SamePage | None = None) -> str:
    """The URL the page's canonical sends engines to when it is another page, else "".
    Canonicals that disagree are ignored (Google does so), hence ""."""
    found = canonicals(page)
    if len(found) != 1:
        return ""
    target = found[0]
    return "" if (same_page or _same)(page.url, target) else target


def _lower_first(text: str) -> str:
    """« Redirigée » → « redirigée », but « HTTP… » stays."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


@dataclass(frozen=True, slots=True)
class Indexability:
    """A page's indexability: ``reason`` is one of :data:`REASONS`; ``detail`` says more
    (the status, where the noindex is, the canonical or redirect target)."""

    reason: str
    detail: str = ""

    @property
    def indexable(self) -> bool:
        return self.reason == "indexable"

    @property
    def label(self) -> Msg:
        return REASONS[self.reason]

    def column(self) -> Msg:
        """The Pages sheet's cell: « oui », or « non — why »."""
        if self.indexable:
            return Msg("oui", "yes")
        why = REASONS[self.reason]
        if self.reason == "noindex":
            why = Msg(f"noindex ({self.detail})", f"noindex ({self.detail})")
        elif self.reason in ("status", "redirect") and self.detail:
            why = Msg(f"{why.fr} ({self.detail})", f"{why.en} ({self.detail})")
        elif self.reason == "canonicalised":
            why = Msg("canonical vers une autre URL", "canonical to another URL")
        return Msg(f"non — {_lower_first(why.fr)}", f"no — {_lower_first(why.en)}")


def indexability(page: PageItem, same_page: SamePage | None = None) -> Indexability:
    """Whether ``page`` can be indexed under its own URL (see the module docstring)."""
    if page.error == "robots.txt":
        return Indexability("robots-txt")
    if page.status is None:
        return Indexability("status", page.error[:80] or "no answer")
    if 300 <= page.status < 400:
        return Indexability("redirect", f"{page.status} → {page.redirect_to}"
                            if page.redirect_to else str(page.status))
    if page.status != 200:
        return Indexability("status", str(page.status))
    where = noindex_source(page)
    if where:
        return Indexability("noindex", where)
    target = canonical_target(page, same_page)
    if target:
        return Indexability("canonicalised", target)
    if not page.is_html:
        return Indexability("not-html", page.content_type.split(";")[0].strip())
    return Indexability("indexable")
