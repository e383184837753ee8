"""Which hosts are this site: the audited ones, ``site.aliases``, and the production domain
that the pages' canonicals name when a staging or local copy is audited.

A check-run service (:func:`site_hosts`) the runner feeds every page, before the rules see
it. It keeps a few counters, never a list of pages:

- **Canonicals on another host.** A docs site audited on 127.0.0.1 (or a staging host) whose
  every page says ``<link rel="canonical" href="https://production.example/same/path">``
  names its production domain, not another page: when more than half of the HTML pages do
  so for one host, that host is taken as an alias of the site (as if in ``site.aliases``)
  and such a page is its own canonical. Rules that compare indexable pages ask
  :meth:`SiteHosts.same_page` at ``finish``, once every page has been counted.
- **The start page's links.** When most links of a start page go to one other host (a copy
  whose links are absolute to its production domain: the crawl then stops at one page),
  the run says so on the console and in the Summary's notes: add the host to
  ``site.aliases``.

The site's hosts are compared as the crawl records URLs (``spiders.urls``: lower case,
punycode).
"""

from __future__ import annotations

import logging
from collections import Counter
from ipaddress import ip_address
from urllib.parse import urlsplit

from audit.config import ClientConfig
from audit.context import Context
from audit.rule import Msg
from spiders.items import PageItem
from spiders.urls import host_of, on_origin

log = logging.getLogger(__name__)

SERVICE = "site-hosts"
HINT_SHARE = 0.5  # a start page sending more than this share of its links to one host...
HINT_MIN_LINKS = 3  # ...and at least this many: a hint that the host is the site's own


def own_path_on(canonical: str, page_url: str) -> str:
    """The host of ``canonical`` when it names ``page_url``'s own path and query on another
    host (its production domain, perhaps), else ""."""
    host = host_of(canonical)
    if not host or host == host_of(page_url):
        return ""
    return host if on_origin(canonical, page_url) == page_url else ""


def is_loopback(host: str) -> bool:
    """The consultant's own machine (127.0.0.1, ::1, localhost): a copy engines never see."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# Names that never reach the public Internet (RFC 6761, RFC 6762, RFC 8375).
_LOCAL_SUFFIXES = (".local", ".test", ".internal", ".home.arpa")


def is_local(url: str) -> bool:
    """The URL's host is this machine (:func:`is_loopback`) or a private network
    (192.168.x.x, 10.x, *.local…): a copy of the site, not the public one."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host:
        return False
    if is_loopback(host) or host.endswith(_LOCAL_SUFFIXES):
        return True
    try:
        address = ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_link_local


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}"


class SiteHosts:
    def __init__(self, cfg: ClientConfig):
        self.audited = set(cfg.allowed_hosts())
        self.aliases = set(cfg.site.aliases)
        self.start_urls = set(cfg.site.start_urls)
        self.pages = 0  # HTML pages answering 2xx
        # other host -> pages whose canonical is their own path on that host
        self.canonical_hosts: Counter[str] = Counter()
        # other host -> pages whose canonical names it, whatever the path
        self.canonical_any: Counter[str] = Counter()
        self.local = any(is_loopback(host_of(u)) for u in cfg.site.start_urls)
        self._hinted = False
        self._noted = False

    def _is_audited(self, host: str) -> bool:
        return host in self.audited or any(
            h.startswith(".") and (host.endswith(h) or host == h[1:]) for h in self.audited)

    def observe(self, page: PageItem, ctx: Context) -> None:
        """Count one crawled page (the runner calls it for every page, in crawl order)."""
        if not page.ok:
            return
        self.pages += 1
        canonical = page.canonical
        if canonical and canonical != page.url:
            host = own_path_on(canonical, page.url)
            if host and not self._is_audited(host):
                self.canonical_hosts[host] += 1
            other = host_of(canonical)
            if other and not self._is_audited(other):
                self.canonical_any[other] += 1
        start = page.url in self.start_urls or (  # or where a start URL redirects
            page.depth == 0 and page.found_on in self.start_urls)
        if start and not self._hinted:
            self._start_page_hint(page, ctx)

    def _start_page_hint(self, page: PageItem, ctx: Context) -> None:
        hosts = Counter(host_of(link.url) for link in page.links)
        if not hosts:
            return
        total = sum(hosts.values())
        others = [(n, h) for h, n in hosts.items()
                  if h and not self._is_audited(h) and h not in self.aliases]
        if not others:
            return
        count, host = max(others)
        if count < HINT_MIN_LINKS or count / total <= HINT_SHARE:
            return
        self._hinted = True
        share = _share(count, total)
        message = Msg(
            "{p} % des liens de la page de départ mènent à {h} : si c’est le domaine de "
            "production de ce site, ajoutez-le à site.aliases (ses liens seront alors "
            "explorés sur le site audité).",
            "{p} % of the start page's links go to {h}: if it is this site's production "
            "domain, add it to site.aliases (its links are then crawled on the audited "
            "site).").format(p=share, h=host)
        log.warning("%s", message.en)
        ctx.note(message)

    @property
    def production(self) -> str:
        """The other host that more than half of the pages name as their own canonical
        (the site's production domain), or "". A copy on the consultant's machine
        (127.0.0.1, localhost) is a copy of the host more than half of its canonicals
        name, whatever their paths (production may differ by a trailing slash)."""
        if not self.pages:
            return ""
        for counts in (self.canonical_hosts, self.canonical_any if self.local else Counter()):
            if counts:
                host, count = counts.most_common(1)[0]
                if count * 2 > self.pages:
                    return host
        return ""

    def is_site(self, host: str) -> bool:
        """``host`` is this site: audited, an alias, or the production domain the
        canonicals name (final at ``finish``)."""
        return self._is_audited(host) or host in self.aliases or (
            bool(host) and host == self.production)

    def same_page(self, page_url: str, canonical: str) -> bool:
        """``canonical`` names ``page_url`` itself: the same URL, or its path on one of the
        site's other names (site.aliases, the production domain). Final once every page
        has been observed (site rules' ``finish``)."""
        if not canonical or canonical == page_url:
            return True
        host = host_of(canonical)
        if host not in self.aliases and host != self.production:
            return False
        return on_origin(canonical, page_url) == page_url

    def note_production(self, ctx: Context) -> None:
        """Say once, in the Summary's notes, that the canonicals' host was taken as the
        site's own."""
        host = self.production
        if not host or self._noted:
            return
        self._noted = True
        if self.canonical_hosts[host] * 2 <= self.pages:  # a local copy's, other paths
            ctx.note(Msg(
                "Les balises canonical de {n} page(s) sur {t} désignent {h} : cette copie "
                "locale est lue comme une copie de {h} (à déclarer dans site.aliases).",
                "The canonical tags of {n} page(s) out of {t} name {h}: this local copy is "
                "read as a copy of {h} (declare it in site.aliases).").format(
                    n=self.canonical_any[host], t=self.pages, h=host))
            return
        ctx.note(Msg(
            "Les balises canonical de {n} page(s) sur {t} désignent la même adresse sur {h} : "
            "ce domaine est traité comme celui du site (à déclarer dans site.aliases).",
            "The canonical tags of {n} page(s) out of {t} name the same address on {h}: "
            "this domain is treated as the site's own (declare it in site.aliases).").format(
                n=self.canonical_hosts[host], t=self.pages, h=host))


def site_hosts(ctx: Context) -> SiteHosts:
    return ctx.service(SERVICE, lambda: SiteHosts(ctx.config))
