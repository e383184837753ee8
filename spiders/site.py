"""SiteSpider: crawls one client's site and records every URL it meets.

``scrapy crawl site -a config=configs/acme.yaml [-a run_dir=runs/acme/x]``

- Scope is by host (any port): Scrapy's ``allowed_domains`` drops entries with a
  port, so the spider filters links itself. A start URL that redirects to another
  host (example.fr → www.example.fr) brings that host into scope.
- Every URL becomes one PageItem, whatever its status: redirects are not followed
  by the middleware but recorded hop by hop (so chains and loops are visible),
  fetch errors and robots.txt exclusions are recorded too.
- Sitemaps (robots.txt ``Sitemap:`` lines, else /sitemap.xml) are read; their URLs
  are written to ``sitemaps.jsonl`` and crawled.
- Output goes through Scrapy's feed exports into the run directory; ``crawl.json``
  is written last and marks the crawl as complete.
- Pages of other sites the audit needs (competitors' pages to compare with, the pages
  that link to the client, the social profiles' feeds) are out of scope but explicitly
  allowed: spiders/external.py fetches them one at a time in their own download slot,
  robots.txt always obeyed, their links never followed, into ``external.jsonl``,
  ``backlinks.jsonl`` and ``feeds.jsonl``.
- Each page's ``og:image`` is fetched once per URL (spiders/og_images.py) into
  ``images.jsonl``: does the share image load?
- ``-a resume=1`` continues an interrupted crawl of the same run directory (feeds
  appended; the spider's state from ``spider.state``, or rebuilt from the outputs after
  a kill: see spiders/resume.py).
- ``-a redis_url=... -a crawl_id=... -a worker=...`` makes this process one worker of a
  crawl shared through Redis (spiders/distributed.py).
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.core.engine import ExecutionEngine
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, DownloadCancelledError, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from audit.atomic import atomic_text
from audit.backlinks import expected_links, referring_pages
from audit.config import ClientConfig, is_walled, load
from audit.sea.landing import landing_pages, read_campaigns
from spiders.distributed import CLAIMED, SharedCrawl
from spiders.encoding import charset_problem, declared_charset, decode_html
from spiders.external import EXTERNAL_SLOT, MAX_EXTERNAL_SITEMAPS, ExternalFetcher, Kind
from spiders.extract import (
    fill_page,
    header_hreflang,
    link_header_canonical,
    parse_html,
    parse_refresh,
    sitemap_alternates,
    strip_fragment,
    visible_words,
)
from spiders.items import PageItem, SitemapEntry
from spiders.og_images import OgImageChecker
from spiders.render import Renderer, RenderError, chromium_path
from spiders.resume import read_done
from spiders.stylesheets import StylesheetCache
from spiders.urls import OnOrigin, crawl_key, host_of, normalise

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_SITEMAPS = 200  # sitemap files read per crawl (an index pointing at itself stops here)
MAX_REDIRECTS = 10
CLOAKING_WORDS_KEPT = 50  # words only one view has, the most frequent, kept per page


# Twisted and Scrapy errors that come without a message: what they mean, for the report.
_WHY = {
    "ResponseDataLossError": "the connection closed before the announced Content-Length "
                             "was received",
    "ConnectionLost": "the connection was lost during the answer",
    "ConnectionDone": "the server closed the connection without answering",
}


def default_run_dir(cfg: ClientConfig) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return cfg.output_dir / "runs" / cfg.slug / stamp


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@lru_cache(maxsize=131_072)  # every page links to the same menus: ~100 lookups a page
def _header_text(value: bytes | None) -> str:
    """A header's value as text: UTF-8 when it is (servers send accented Locations so),
    else Latin-1 (HTTP's historical charset)."""
    if not value:
        return ""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(self, config: str | None = None, run_dir: str | None = None,
                 resume: str | bool = False, redis_url: str | None = None,
                 crawl_id: str | None = None, worker: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        if not config:
            raise ValueError("the site spider needs -a config=path/to/client.yaml")
        self.cfg = load(config)
        self.config_path = str(config)
        self.run_dir = Path(run_dir) if run_dir else default_run_dir(self.cfg)
        # Scrapy passes -a values as strings.
        self.resume = resume not in (False, None, "", "0", "false", "no")
        self.before = (0, 0)  # pages, errors written by the earlier processes of this run
        self.written_entries: set[tuple[str, str]] | None = None  # sitemap entries (resume)
        self.hosts: set[str] = set(self.cfg.allowed_hosts())
        # site.aliases (the production domain of a staging copy): their URLs are moved onto
        # the audited origin wherever the crawl meets them (links, canonical, hreflang,
        # redirects, sitemaps), so they are crawled here and keyed as such.
        self.on_site = OnOrigin(self.cfg.site.aliases, self.cfg.site.start_urls[0])
        self.seen: set[str] = set()
        self.seen_raw: set[str] = set()  # URLs as written that were claimed or refused
        self.sitemaps_seen: set[str] = set()
        # Sitemaps the site's robots.txt declares (read again on resume, like robots.txt):
        # each entry says whether its file was declared there (SitemapEntry.via).
        self.robots_sitemaps: set[str] = set()
        self.sitemap_problems: list[dict[str, str]] = []  # unreadable sitemaps, in crawl.json
        self.started = time.monotonic()
        # Client requests skip the robots middleware when the client said so; the
        # middleware stays on for external pages (robots.txt of other sites is obeyed).
        self.robots_meta = {} if self.cfg.site.obey_robots else {"dont_obey_robotstxt": True}
        self.stylesheets: StylesheetCache | None = None  # set in from_crawler
        self.renderer: Renderer | None = None  # site.render
        self.render_problem = ""
        if self.cfg.site.render:
            executable = chromium_path(self.cfg.site.chromium)
            if executable is None:
                # Said once, in crawl.json and the log; pages are then read statically.
                wanted = self.cfg.site.chromium or "/usr/bin/chromium"
                self.render_problem = f"Chromium not found ({wanted}): apt-get install chromium"
                self.logger.error("site.render: %s", self.render_problem)
            else:
                self.renderer = Renderer(executable, self.cfg.site.render_concurrency,
                                         self.cfg.site.timeout, self.cfg.site.user_agent)
        self.og_images = OgImageChecker(
            self.run_dir, lambda url: self.robots_meta if self.in_scope(url) else {},
            lambda failure: self._failed_item(failure).error, _now)
        self.shared: SharedCrawl | None = None
        self.worker = ""
        if redis_url:
            if not crawl_id:
                raise ValueError("a distributed crawl needs -a crawl_id=ID (same for all workers)")
            self.worker = worker or f"{socket.gethostname()}-{os.getpid()}"
            self.shared = SharedCrawl(redis_url, crawl_id, self.worker)
            for host in self.hosts:
                self.shared.add_host(host)
            if self.cfg.duplicates.external or self.cfg.backlinks.expected or \
                    self.cfg.backlinks.imports or self._feeds():
                self.logger.warning("pages of other sites (duplicates.compare_with, backlinks, "
                                    "feeds) are not fetched by a distributed crawl")
            self.resume = False  # Redis holds the shared state; no JOBDIR resume
        # Pages of other sites (competitors, referring pages, feeds): one queue, one at a
        # time; none in a distributed crawl (each worker would fetch them again).
        origins = {urlsplit(u).netloc.lower() for u in self.cfg.site.start_urls}
        self.backlink_import_errors: list[Exception] = []
        self._external_seeds: tuple[list[tuple[str, str]], list[str]] = ([], [])
        if self.shared is not None:
            self.external = ExternalFetcher(self, self.run_dir, [], origins)
        else:
            dup, links = self.cfg.duplicates, self.cfg.backlinks
            expected, self.backlink_import_errors = expected_links(self.cfg)
            for error in self.backlink_import_errors:
                self.logger.warning("backlinks import skipped: %s", error)
            referring = referring_pages(expected, links.max_pages)
            kinds = []
            if dup.external:
                kinds += [Kind("compare", "external.jsonl", dup.max_external_pages),
                          Kind("compare-sitemap", "", MAX_EXTERNAL_SITEMAPS, mode="sitemap")]
            if links.expected or links.imports:
                kinds.append(Kind("backlink", "backlinks.jsonl", links.max_pages,
                                  keep_asked_url=True))
            feeds = self._feeds()
            if feeds:
                kinds.append(Kind("feed", "feeds.jsonl", len(feeds), keep_asked_url=True,
                                  mode="feed", own_site=True))
            self.external = ExternalFetcher(self, self.run_dir, kinds, origins)
            self._external_seeds = (feeds, referring)
            self._seed_externals()

    def _seed_externals(self) -> None:
        feeds, referring = self._external_seeds
        dup = self.cfg.duplicates
        for network, url in feeds:
            self.external.add("feed", url, network)
        for url in dup.compare_with:
            self.external.add("compare", strip_fragment(url), "compare_with")
        for url in dup.compare_sitemaps:
            self.external.add("compare-sitemap", url, "compare_sitemaps")
        for url in referring:
            self.external.add("backlink", strip_fragment(url), "backlinks")

    # Callbacks of the external requests (spiders/external.py): spider methods, so that
    # a request saved in the JOBDIR queue can be pickled.
    def external_page(self, response: Response) -> None:
        self.external._parse_page(response)

    def external_sitemap(self, response: Response) -> None:
        self.external._parse_sitemap(response)

    def external_failed(self, failure: Failure) -> None:
        self.external._failed(failure)

    def _feeds(self) -> list[tuple[str, str]]:
        """(network, feed URL) of the social profiles; never Facebook's or Instagram's
        pages (the config refuses them too: blocked, and against their terms)."""
        out = []
        for network in self.cfg.social.profiles:
            profile = self.cfg.social.profile(network)
            if profile is not None and profile.feed and not is_walled(profile.feed):
                out.append((network, profile.feed))
        return out

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.run_dir.mkdir(parents=True, exist_ok=True)
        site = spider.cfg.site
        s = crawler.settings
        s.set("ROBOTSTXT_OBEY", site.obey_robots, priority="spider")
        s.set("USER_AGENT", site.user_agent, priority="spider")
        s.set("CONCURRENT_REQUESTS", site.concurrency, priority="spider")
        s.set("CONCURRENT_REQUESTS_PER_DOMAIN", site.concurrency, priority="spider")
        s.set("AUTOTHROTTLE_TARGET_CONCURRENCY", float(site.concurrency), priority="spider")
        s.set("DOWNLOAD_DELAY", site.delay, priority="spider")
        s.set("DOWNLOAD_TIMEOUT", site.timeout, priority="spider")
        s.set("DOWNLOAD_MAXSIZE", int(site.max_page_mb * 1024 * 1024), priority="spider")
        s.set("DEPTH_LIMIT", site.max_depth, priority="spider")
        if spider.external.active:
            s.set("ROBOTSTXT_OBEY", True, priority="spider")
            slots = dict(s.getdict("DOWNLOAD_SLOTS"))
            # One slot for every external kind: the most patient delay asked applies.
            delays = [spider.cfg.duplicates.external_delay] if spider.cfg.duplicates.external \
                else []
            if "backlink" in spider.external.kinds:
                delays.append(spider.cfg.backlinks.delay)
            if not delays:  # feeds only: a polite second between two networks' servers
                delays.append(1.0)
            slots[EXTERNAL_SLOT] = {"concurrency": 1, "delay": max(delays)}
            s.set("DOWNLOAD_SLOTS", slots, priority="spider")
        suffix = f"-{spider.worker}" if spider.shared else ""  # one file per worker
        s.set("FEEDS", {
            str(spider.run_dir / f"pages{suffix}.jsonl"): {
                "format": "pagelines", "encoding": "utf-8", "overwrite": not spider.resume,
                "item_classes": [PageItem]},
            str(spider.run_dir / f"sitemaps{suffix}.jsonl"): {
                "format": "pagelines", "encoding": "utf-8", "overwrite": not spider.resume,
                "item_classes": [SitemapEntry]},
        }, priority="spider")
        if site.fetch_stylesheets and site.max_stylesheets:
            # The engine exists once the crawl starts, after from_crawler.
            spider.stylesheets = StylesheetCache(
                lambda request: crawler.engine.download_async(request),
                spider.robots_meta, site.max_stylesheets)
        if spider.renderer is not None:
            crawler.signals.connect(spider._close_renderer, signal=signals.spider_closed)
        if spider.shared:
            for name, value in spider.shared.scrapy_settings().items():
                s.set(name, value, priority="spider")
            # Scrapy's own DEPTH_LIMIT would drop a claimed request silently (its claim
            # never released): the spider's max_depth check is the limit here.
            s.set("DEPTH_LIMIT", 0, priority="spider")
            middlewares = dict(s.getdict("SPIDER_MIDDLEWARES"))
            middlewares["spiders.distributed.ReleaseClaims"] = 950
            s.set("SPIDER_MIDDLEWARES", middlewares, priority="spider")
            # An idle worker looks for the others' new requests every 0.5 s, not 5 s.
            ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = 0.5
            crawler.signals.connect(spider._idle, signal=signals.spider_idle)
            crawler.signals.connect(spider._dropped, signal=signals.request_dropped)
        # After the feed exporters have closed their files (spider_closed), not before.
        crawler.signals.connect(spider.write_summary, signal=signals.engine_stopped)
        crawler.signals.connect(spider._robots_seen, signal=signals.response_received)
        return spider

    # -- scope -------------------------------------------------------------------------

    def in_scope(self, url: str) -> bool:
        host = host_of(url)
        if host in self.hosts:
            return True
        if any(h.startswith(".") and (host.endswith(h) or host == h[1:]) for h in self.hosts):
            return True
        shared_hosts = self.shared.hosts() if self.shared else None  # another worker's?
        if shared_hosts and not shared_hosts <= self.hosts:
            self.hosts |= shared_hosts
            return self.in_scope(url)
        return False

    def _claim(self, url: str, exact: bool = False) -> bool:
        """Reserve a URL for crawling: False if seen already or the page budget is spent.
        Session ids do not count (spiders/urls.py) unless ``exact``."""
        if not exact:
            if url in self.seen_raw:  # as written: skips canonicalising the menu each page
                return False
            self.seen_raw.add(url)
        key = canonicalize_url(url) if exact else crawl_key(url)
        if self.shared:
            return self.shared.claim(key, self.cfg.site.max_pages)
        if key in self.seen or len(self.seen) >= self.cfg.site.max_pages:
            return False
        self.seen.add(key)
        return True

    def site_url(self, url: str, base: str = "") -> str | None:
        """``url`` (relative to ``base``) as the crawl records it: normalised
        (spiders/urls.py) and moved onto the audited origin when on an alias; None when
        it is not a URL."""
        try:
            return self.on_site(normalise(urljoin(base, url) if base else url))
        except ValueError:
            return None

    def _request(self, url: str, depth: int, found_on: str, **meta: Any) -> scrapy.Request:
        meta = {"depth": depth, "found_on": found_on, "handle_httpstatus_all": True,
                **self.robots_meta, **meta}
        if self.shared:
            meta[CLAIMED] = True
        return scrapy.Request(url, callback=self.parse, errback=self.failed, meta=meta,
                              dont_filter=True)

    # -- start -------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        pending = self._restore()
        for url, depth, found_on, meta in pending:
            if self.in_scope(url) and self._claim(url):
                yield self._request(url, depth, found_on, **meta)
        for url in self.cfg.site.start_urls:
            url = normalise(url)
            if self._claim(url):
                yield self._request(url, 0, "", start=True)
        for url in self.cfg.site.start_urls:
            # The http:// address of an https site should redirect to it (rule redirects):
            # asked once, its links never followed.
            if url.startswith("https://"):
                plain = normalise("http://" + url[len("https://"):])
                if self._claim(plain, exact=True):
                    yield self._request(plain, 0, "", http_probe=True)
        for url in self._landing_pages():
            if self._claim(url):
                yield self._request(url, 0, "", landing=True)
        if self.cfg.site.use_sitemaps and self.cfg.site.obey_robots:
            # The robots middleware reads robots.txt before these go out: its Sitemap:
            # lines are known when they are parsed. Without it, parse_robots asks for them.
            for request in self._config_sitemaps():
                yield request
        if self.cfg.site.use_sitemaps and not self.cfg.site.obey_robots:
            # When robots.txt is obeyed, Scrapy's middleware fetches it and _robots_seen
            # reads the Sitemap: lines from that same response (one fetch, not two).
            for origin in sorted({_origin(u) for u in self.cfg.site.start_urls}):
                yield scrapy.Request(origin + "/robots.txt", callback=self.parse_robots,
                                     errback=self._robots_failed, priority=-100,
                                     meta={"dont_obey_robotstxt": True,
                                           "handle_httpstatus_all": True}, dont_filter=True)
        # After a graceful stop the external request in flight is in Scrapy's queue.
        first_external = None if self.state_restored else self.external.next_request()
        if first_external is not None:
            yield first_external

    # -- resume ------------------------------------------------------------------------

    state_restored = False

    def _restore(self) -> list[tuple[str, int, str, dict[str, Any]]]:
        """On resume, take the state back; return the requests to rebuild (after a kill).

        ``self.state`` is Scrapy's SpiderState (with a JOBDIR): saved when the spider
        closes, loaded before start(). It holds the live sets, so it is current when saved.
        """
        state: dict[str, Any] | None = getattr(self, "state", None)
        pending: list[tuple[str, int, str, dict[str, Any]]] = []
        if self.resume:
            graceful = bool(state and "seen" in state)
            site = self.cfg.site
            done = read_done(self.run_dir, site.start_urls, site.max_depth, rebuild=not graceful)
            self.before = (done.pages, done.errors)
            if graceful:
                assert state is not None
                self.state_restored = True
                self.seen, self.sitemaps_seen = state["seen"], state["sitemaps_seen"]
                self.hosts = state["hosts"]
                self.external.restore(state["external"])
            else:  # killed: Scrapy's queue is lost; rebuilt from what was written
                self.logger.info("resume without saved state: %d pages done, %d to fetch",
                                 done.pages, len(done.pending))
                self.seen = set(done.keys)
                self.hosts |= done.hosts
                self.written_entries = done.sitemap_entries
                # Compared pages already written are kept; referring pages and feeds (few)
                # are fetched again.
                self.external.restart(done.external_keys)
                self._seed_externals()
                pending = done.pending
        if state is not None:
            state.update(seen=self.seen, sitemaps_seen=self.sitemaps_seen, hosts=self.hosts,
                         external=self.external.state())
        return pending

    def _landing_pages(self) -> list[str]:
        """The paid-search landing pages of the site (sea.landing_pages and the final URLs
        of the campaign reports), fetched even when no page links to them. A report that
        cannot be read is skipped here: the check stage reports it."""
        if not (self.cfg.sea.landing_pages or self.cfg.sea.campaigns):
            return []
        pages = landing_pages(self.cfg, read_campaigns(self.cfg))
        urls = [self.site_url(url) for url in pages]
        return [url for url in urls if url and self.in_scope(url)]

    def _robots_seen(self, response: Response, request: scrapy.Request, spider: Any) -> None:
        """The robots middleware's own robots.txt response: read its sitemaps too."""
        if (spider is not self or request.callback is not NO_CALLBACK
                or not request.url.endswith("/robots.txt")
                or not self.cfg.site.use_sitemaps or not self.in_scope(request.url)
                or urlsplit(request.url).netloc.lower() in self.external.netlocs):
            return  # not the site's (an external page's robots.txt: obeyed, not explored)
        for sitemap_request in self.parse_robots(response):
            self.crawler.engine.crawl(sitemap_request)

    # -- sitemaps ----------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[Any]:
        urls: list[str] = []
        if response.status == 200 and isinstance(response, TextResponse):
            urls = list(sitemap_urls_from_robots(response.text, base_url=response.url))
        declared = [u for u in (self.site_url(url) for url in urls) if u]
        self.robots_sitemaps.update(declared)
        for url in declared:
            yield from self._sitemap_request(url, "robots.txt")
        if not self.cfg.site.obey_robots:
            yield from self._config_sitemaps()
        if not urls:  # the usual place, when robots.txt names none (or there is none)
            guessed = self.site_url(_origin(response.url) + "/sitemap.xml")
            if guessed:
                yield from self._sitemap_request(
                    guessed, "guessed" if response.status == 200 else "no-robots")

    def _config_sitemaps(self) -> Iterator[scrapy.Request]:
        """site.sitemaps: the client's sitemaps at other addresses."""
        for url in self.cfg.site.sitemaps:
            site_url = self.site_url(url)
            if site_url:
                yield from self._sitemap_request(site_url, "config")

    def _robots_failed(self, failure: Failure) -> None:
        """robots.txt could not be fetched (obey_robots off): the configured sitemaps are
        still read."""
        self._sitemap_failed(failure)
        for request in self._config_sitemaps():
            self.crawler.engine.crawl(request)

    def _sitemap_request(self, url: str, via: str) -> Iterator[scrapy.Request]:
        meta: dict[str, Any] = {"handle_httpstatus_all": True, "sitemap_via": via,
                                **self.robots_meta}
        if self.shared:
            if not self.shared.claim(url, MAX_SITEMAPS, "sitemaps"):
                return
            meta[CLAIMED] = True
        elif url in self.sitemaps_seen or len(self.sitemaps_seen) >= MAX_SITEMAPS:
            return
        self.sitemaps_seen.add(url)
        yield scrapy.Request(url, callback=self.parse_sitemap, errback=self._sitemap_failed,
                             priority=-100, dont_filter=True, meta=meta)

    def _sitemap_failed(self, failure: Failure) -> None:
        self._sitemap_problem(failure.request.url, str(failure.value) or failure.type.__name__)
        self._release(failure.request)

    def _sitemap_problem(self, url: str, why: str) -> None:
        """A sitemap (or robots.txt) that could not be read: logged and kept for crawl.json,
        so a gzip bomb or a broken file is not silently an empty sitemap."""
        self.logger.warning("sitemap not read: %s (%s)", url, why)
        if len(self.sitemap_problems) < 50:
            self.sitemap_problems.append({"url": url, "error": why[:300]})

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        if response.status != 200:
            self._sitemap_problem(response.url, f"HTTP {response.status}")
            return
        body = response.body
        if body[:2] == b"\x1f\x8b":  # gzip, bounded against gzip bombs
            try:
                body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            except (OSError, ValueError) as exc:
                self._sitemap_problem(response.url, f"bad gzip: {exc}")
                return
        try:
            sitemap = Sitemap(body)  # lxml with entity expansion and network access off
        except Exception as exc:  # lxml raises several types on garbage
            self._sitemap_problem(response.url, f"not XML: {exc}")
            return
        # How this file was found: declared in robots.txt (itself or the index that led
        # here), named by site.sitemaps, or guessed at /sitemap.xml.
        via = ("robots.txt" if response.url in self.robots_sitemaps
               else response.meta.get("sitemap_via", ""))
        if sitemap.type == "sitemapindex":
            for entry in sitemap:
                loc = self.site_url(entry.get("loc") or "", response.url)
                if loc:
                    yield from self._sitemap_request(loc, via)
            return
        if sitemap.type != "urlset":
            return
        alternates = sitemap_alternates(body)  # hreflang of the entries, by <loc>
        for entry in sitemap:
            loc = (entry.get("loc") or "").strip()
            url = self.site_url(loc, response.url) if loc else None
            if not url:
                continue
            langs = []
            for alt in alternates.get(loc, ()):
                href = self.site_url(alt["href"], response.url)
                if href:
                    langs.append({"lang": alt["lang"], "href": href})
            if self.written_entries is None or (url, response.url) not in self.written_entries:
                # Named on an alias (the production domain): what it says of the status
                # is about that host, not this copy (the sitemaps rule needs to know).
                listed = self.on_site.listed_on_alias(loc, response.url)
                yield SitemapEntry(url=url, sitemap=response.url,
                                   lastmod=entry.get("lastmod", ""), via=via, listed=listed,
                                   relative="://" not in loc, alternates=langs)
            for target in [url] + [alt["href"] for alt in langs]:
                if self.in_scope(target) and self._claim(target):
                    yield self._request(target, 1, f"sitemap:{response.url}", priority=-50)

    # -- pages -------------------------------------------------------------------------

    def _base_item(self, response: Response) -> PageItem:
        meta = response.meta
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").strip()
        links = [_header_text(v) for v in response.headers.getlist(b"Link")]
        return PageItem(
            url=meta.get("audit_url") or response.url,
            status=response.status,
            content_type=ctype,
            size=len(response.body),
            response_time=round(meta.get("download_latency", 0.0), 4),
            retries=meta.get("retry_times", 0),  # set by Scrapy's RetryMiddleware
            depth=meta.get("depth", 0),
            found_on=meta.get("found_on", ""),
            fetched_at=_now(),
            # Every header: servers send one per user agent (googlebot: …, otherbot: …).
            x_robots_tag="\n".join(v.decode("latin-1").strip()
                                   for v in response.headers.getlist(b"X-Robots-Tag")),
            canonical_header=link_header_canonical(links, response.url, self.on_site),
            # hreflang in an HTTP Link: header (any response, a PDF's too); the HTML's
            # <link> tags follow in fill_page.
            hreflang=header_hreflang(links, response.url, self.on_site),
        )

    async def parse(self, response: Response) -> AsyncIterator[Any]:
        item = self._base_item(response)
        self._count(item)
        meta = response.meta
        depth = meta.get("depth", 0)
        if 300 <= response.status < 400:
            location = _header_text(response.headers.get(b"Location"))
            target = self.site_url(location, response.url) if location else None
            if target:
                item.redirect_to = target
                yield item
                for request in self._follow_redirect(response, target, depth):
                    yield request
                return
            item.error = "redirect without Location header" if not location else \
                f"redirect to a bad Location: {location[:200]}"
            yield item
            return
        ctype = item.content_type.lower()
        item.is_html = any(t in ctype for t in HTML_TYPES) or (
            not ctype and response.body[:100].lstrip().lower().startswith((b"<!doctype", b"<html")))
        if not item.is_html or not isinstance(response, TextResponse):
            item.is_html = item.is_html and isinstance(response, TextResponse)
            item.canonical = item.canonical_header  # a PDF's canonical is a header
            yield item
            return
        await self._fill(item, response)
        if item.refresh_delay is None:  # a Refresh header acts as the meta tag does
            refresh = parse_refresh(_header_text(response.headers.get(b"Refresh")))
            if refresh is not None:
                item.refresh_delay, target = refresh
                item.refresh_url = (self.site_url(target, response.url) or "") if target else ""
        if self.cfg.hidden_text.check_cloaking and 200 <= response.status < 300:
            item.cloaking = await self._bot_view(item, response)
        yield item
        if not (200 <= response.status < 300) or meta.get("http_probe"):
            return
        image = self.og_images.request_for(item.open_graph.get("og:image", ""), item.url)
        if image is not None:
            yield image
        if depth >= self.cfg.site.max_depth:
            return
        # A meta refresh or script redirect leads somewhere as a link does (a meta-refresh
        # home page leads to the site): its target is crawled, on another host of a start
        # page's too (the site lives there).
        moved = [u for u in (item.refresh_url, item.js_redirect) if u and u != item.url]
        if meta.get("start"):
            for url in moved:
                self._adopt_host(url)
        targets = [link.url for link in item.links if link.internal]
        targets += [u for u in [item.canonical, *moved] + [h["href"] for h in item.hreflang]
                    if u and self.in_scope(u)]
        for url in targets:
            if self._claim(url):
                yield self._request(url, depth + 1, item.url)

    async def _fill(self, item: PageItem, response: TextResponse) -> None:
        """The HTML fields of the item: from Chromium's DOM (site.render) or the HTML."""
        # Decoded by our rules (spiders/encoding.py): a French page in windows-1252 without
        # a declaration, or declared UTF-8 wrongly, still reads right.
        item.charset, text = decode_html(item.content_type, response.body)
        item.charset_declared = declared_charset(item.content_type, response.body)
        item.charset_problem = charset_problem(item.charset_declared, response.body, item.charset)
        root = (await self._rendered(item, response, text) if self.renderer is not None
                else None)
        if root is not None:
            fill_page(item, root, self.in_scope, rendered=True, on_site=self.on_site)
            item.rendered = True
            return
        root = parse_html(text)
        if root is not None:
            sheets = None
            if self.stylesheets is not None:
                sheets = await self.stylesheets.for_page(root, response.url)
            fill_page(item, root, self.in_scope, stylesheets=sheets, on_site=self.on_site)

    async def _bot_view(self, item: PageItem, response: TextResponse) -> dict[str, Any]:
        """The page fetched again as Googlebot, read the same way (rendered or not), and
        the words only one of the two views shows (hidden_text.check_cloaking)."""
        request = scrapy.Request(
            response.url, callback=NO_CALLBACK, dont_filter=True,
            headers={"User-Agent": self.cfg.hidden_text.bot_user_agent},
            meta={"handle_httpstatus_all": True, **self.robots_meta})
        out: dict[str, Any] = {"status": None, "error": ""}
        try:  # downloader middlewares apply (robots.txt, retries, size limit)
            bot = await self.crawler.engine.download_async(request)
        except Exception as exc:  # IgnoreRequest (robots.txt), timeouts, DNS...
            robots = isinstance(exc, IgnoreRequest) and "robots" in str(exc).lower()
            out["error"] = "robots.txt" if robots else f"{type(exc).__name__}: {exc}"[:300]
            return out
        out["status"] = bot.status
        if 300 <= bot.status < 400:
            location = _header_text(bot.headers.get(b"Location"))
            out["redirect_to"] = (self.site_url(location, response.url) or location) \
                if location else ""
        if not (200 <= bot.status < 300 and isinstance(bot, TextResponse)):
            return out
        view = PageItem(url=item.url, status=bot.status)
        await self._fill(view, bot)
        mine, theirs = visible_words(item.text_blocks), visible_words(view.text_blocks)
        only_bot, only_visitor = theirs - mine, mine - theirs
        out.update(
            title=view.title, words=sum(theirs.values()), visitor_words=sum(mine.values()),
            only_bot=dict(only_bot.most_common(CLOAKING_WORDS_KEPT)),
            only_visitor=dict(only_visitor.most_common(CLOAKING_WORDS_KEPT)),
            only_bot_total=sum(only_bot.values()),
            only_visitor_total=sum(only_visitor.values()))
        return out

    async def _rendered(self, item: PageItem, response: TextResponse, text: str) -> Any:
        """The page's DOM as Chromium built it (hidden text marked), or None (static)."""
        if not (200 <= response.status < 300) or self.renderer is None:
            return None
        try:
            html = await self.renderer.render(
                response.url, text, response.status,
                {"content-type": "text/html; charset=utf-8"})  # the body goes as UTF-8 text
        except RenderError as exc:
            item.render_error = str(exc)
            self.logger.warning("not rendered, read statically: %s (%s)", response.url, exc)
            return None
        return parse_html(html)

    def _close_renderer(self) -> Deferred[None] | None:
        if self.renderer is None:
            return None
        return deferred_from_coro(self.renderer.close())

    def _follow_redirect(self, response: Response, target: str, depth: int) -> Iterator[Any]:
        meta = response.meta
        hops = meta.get("redirect_hops", 0) + 1
        if meta.get("start"):
            self._adopt_host(target)
        if hops > MAX_REDIRECTS or not self.in_scope(target):
            return
        # A redirect that only hands out a session id (/p → /p;jsessionid=1) leads to the
        # page itself: claimed by its exact URL, else the page would never be fetched.
        exact = crawl_key(target) == crawl_key(response.url)
        if self._claim(target, exact=exact):
            yield self._request(target, depth, response.url, redirect_hops=hops,
                                start=meta.get("start", False),
                                http_probe=meta.get("http_probe", False))

    def _adopt_host(self, target: str) -> None:
        """The site lives where its home page redirects to: bring that host into scope."""
        host = (urlsplit(target).hostname or "").lower()
        if host and target.startswith(("http://", "https://")):
            self.hosts.add(host)
            if self.shared:
                self.shared.add_host(host)

    def failed(self, failure: Failure) -> Iterator[PageItem]:
        request = getattr(failure, "request", None)
        if request is not None and request.meta.get("http_probe"):
            # An https site that does not answer on http:// at all is not at fault (the
            # redirects rule asks only whether http:// pages answer instead of redirecting).
            self._release(request)
            return
        item = self._failed_item(failure)
        self._count(item)
        yield item
        self._release(failure.request)

    # -- distributed (spiders/distributed.py) --------------------------------------------

    def _release(self, request: scrapy.Request) -> None:
        if self.shared and request.meta.get(CLAIMED):
            self.shared.release()

    def _dropped(self, request: scrapy.Request, spider: Any) -> None:
        if spider is self:
            self._release(request)

    def _idle(self, spider: Any) -> None:
        """The crawl is over when no worker holds a claimed request and the queue is empty."""
        if spider is self and self.shared and not self.shared.finished():
            raise DontCloseSpider

    @staticmethod
    def _failed_item(failure: Failure) -> PageItem:
        request = failure.request
        meta = request.meta
        item = PageItem(url=request.url, depth=meta.get("depth", 0),
                        found_on=meta.get("found_on", ""), fetched_at=_now())
        if failure.check(IgnoreRequest) and "robots" in str(failure.value).lower():
            item.error = "robots.txt"
        elif failure.check(IgnoreRequest):
            item.error = str(failure.value) or "ignored"
        else:
            why = failure.getErrorMessage() or _WHY.get(failure.type.__name__, "no detail")
            item.error = f"{failure.type.__name__}: {why}"[:500]
        if failure.check(DownloadCancelledError) and not str(failure.value):
            # Scrapy cancels a body without Content-Length silently once past DOWNLOAD_MAXSIZE.
            item.error = "too-large: body cut at the download max size"
        elif "maxsize" in item.error.lower() or "larger than" in item.error.lower():
            item.error = f"too-large: {item.error}"
        return item

    def _count(self, item: PageItem) -> None:
        stats = self.crawler.stats
        if stats is None:
            return
        stats.inc_value("audit/pages")
        if item.error or (item.status or 0) >= 400:
            stats.inc_value("audit/errors")

    # -- end ---------------------------------------------------------------------------

    def write_summary(self) -> None:
        self.external.close()
        self.og_images.close()
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        reason = stats.get("finish_reason", "unknown")
        summary = {
            "status": "complete" if reason == "finished" else "interrupted",
            "finish_reason": reason,
            "config": str(Path(self.config_path).resolve()),
            "client": self.cfg.client,
            "start_urls": self.cfg.site.start_urls,
            "hosts": sorted(self.hosts),
            "finished_at": _now(),
            "seconds": round(time.monotonic() - self.started, 2),
            "pages": self.before[0] + stats.get("audit/pages", 0),
            "errors": self.before[1] + stats.get("audit/errors", 0),
            "budget_reached": (self.shared.claimed() if self.shared else len(self.seen))
            >= self.cfg.site.max_pages,
            "external_pages": len(self.external.claimed.get("compare", ())),
            "external": self.external.summary(),
            "og_images": len(self.og_images.seen),
            "backlink_import_errors": [str(e) for e in self.backlink_import_errors],
            "sitemap_problems": self.sitemap_problems,
            "stylesheets": self.stylesheets.summary() if self.stylesheets else None,
            "render": self.renderer.summary() if self.renderer else (
                {"error": self.render_problem} if self.render_problem else None),
        }
        name = "crawl.json"
        if self.shared:  # merged into crawl.json once every worker is done
            summary.update(worker=self.worker, crawl_id=self.shared.crawl_id)
            if reason == "finished":
                self.shared.expire()
            name = f"crawl-{self.worker}.json"
        with atomic_text(self.run_dir / name) as fh:
            json.dump(summary, fh, indent=2, ensure_ascii=False)
