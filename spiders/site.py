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
- ``-a resume=1`` continues an interrupted crawl of the same run directory (feeds
  appended; the spider's state from ``spider.state``, or rebuilt from the outputs after
  a kill: see spiders/resume.py).
- ``-a redis_url=... -a crawl_id=... -a worker=...`` makes this process one worker of a
  crawl shared through Redis (spiders/distributed.py).
- External pages to compare with (``duplicates.compare_with``, and the URLs of the
  sitemaps in ``duplicates.compare_sitemaps``, at most ``duplicates.max_external_pages``)
  are out of scope but explicitly allowed: they are fetched one at a time, in their own
  download slot ``duplicates.external_delay`` seconds apart, robots.txt always obeyed,
  their links never followed, and written to ``external.jsonl`` (PageItems).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from collections import deque
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.core.engine import ExecutionEngine
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from audit.atomic import atomic_text
from audit.config import ClientConfig, load
from audit.sea.landing import landing_pages, read_campaigns
from spiders.distributed import CLAIMED, SharedCrawl
from spiders.extract import fill_page, parse_html, strip_fragment
from spiders.items import PageItem, SitemapEntry
from spiders.resume import read_done
from spiders.stylesheets import StylesheetCache

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_SITEMAPS = 200  # sitemap files read per crawl (an index pointing at itself stops here)
MAX_REDIRECTS = 10
EXTERNAL_SLOT = "seo-audit-external"  # download slot of every external request
MAX_EXTERNAL_SITEMAPS = 20
MAX_EXTERNAL_REDIRECTS = 5


def default_run_dir(cfg: ClientConfig) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return cfg.output_dir / "runs" / cfg.slug / stamp


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


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
        self.seen: set[str] = set()
        self.sitemaps_seen: set[str] = set()
        self.started = time.monotonic()
        # Client requests skip the robots middleware when the client said so; the
        # middleware stays on for external pages (robots.txt of other sites is obeyed).
        self.robots_meta = {} if self.cfg.site.obey_robots else {"dont_obey_robotstxt": True}
        # External pages to compare with: a queue fetched one request at a time.
        self.origins = {urlsplit(u).netloc.lower() for u in self.cfg.site.start_urls}
        self.external_netlocs: set[str] = set()
        self.external_queue: deque[tuple[str, str, str, int]] = deque()  # kind, url, from, hops
        self.external_claimed: set[str] = set()
        self.external_sitemaps: set[str] = set()
        self._external_files = contextlib.ExitStack()
        self._external_out: IO[str] | None = None
        self.stylesheets: StylesheetCache | None = None  # set in from_crawler
        self.shared: SharedCrawl | None = None
        self.worker = ""
        if redis_url:
            if not crawl_id:
                raise ValueError("a distributed crawl needs -a crawl_id=ID (same for all workers)")
            self.worker = worker or f"{socket.gethostname()}-{os.getpid()}"
            self.shared = SharedCrawl(redis_url, crawl_id, self.worker)
            for host in self.hosts:
                self.shared.add_host(host)
            if self.cfg.duplicates.external:
                self.logger.warning("duplicates.compare_with/compare_sitemaps: external pages "
                                    "are not fetched by a distributed crawl")
            self.resume = False  # Redis holds the shared state; no JOBDIR resume
        dup = self.cfg.duplicates if self.shared is None else None
        for url in dup.compare_with if dup else ():
            self._queue_external("page", strip_fragment(url), "compare_with")
        for url in dup.compare_sitemaps if dup else ():
            self._queue_external("sitemap", url, "compare_sitemaps")

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
        if spider.cfg.duplicates.external:
            s.set("ROBOTSTXT_OBEY", True, priority="spider")
            slots = dict(s.getdict("DOWNLOAD_SLOTS"))
            slots[EXTERNAL_SLOT] = {"concurrency": 1,
                                    "delay": spider.cfg.duplicates.external_delay}
            s.set("DOWNLOAD_SLOTS", slots, priority="spider")
        suffix = f"-{spider.worker}" if spider.shared else ""  # one file per worker
        s.set("FEEDS", {
            str(spider.run_dir / f"pages{suffix}.jsonl"): {
                "format": "jsonlines", "encoding": "utf-8", "overwrite": not spider.resume,
                "item_classes": [PageItem]},
            str(spider.run_dir / f"sitemaps{suffix}.jsonl"): {
                "format": "jsonlines", "encoding": "utf-8", "overwrite": not spider.resume,
                "item_classes": [SitemapEntry]},
        }, priority="spider")
        if site.fetch_stylesheets and site.max_stylesheets:
            # The engine exists once the crawl starts, after from_crawler.
            spider.stylesheets = StylesheetCache(
                lambda request: crawler.engine.download_async(request),
                spider.robots_meta, site.max_stylesheets)
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
        host = (urlsplit(url).hostname or "").lower()
        if host in self.hosts:
            return True
        if any(h.startswith(".") and (host.endswith(h) or host == h[1:]) for h in self.hosts):
            return True
        shared_hosts = self.shared.hosts() if self.shared else None  # another worker's?
        if shared_hosts and not shared_hosts <= self.hosts:
            self.hosts |= shared_hosts
            return self.in_scope(url)
        return False

    def _claim(self, url: str) -> bool:
        """Reserve a URL for crawling: False if seen already or the page budget is spent."""
        key = canonicalize_url(url)
        if self.shared:
            return self.shared.claim(key, self.cfg.site.max_pages)
        if key in self.seen or len(self.seen) >= self.cfg.site.max_pages:
            return False
        self.seen.add(key)
        return True

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
            url = strip_fragment(url)
            if self._claim(url):
                yield self._request(url, 0, "", start=True)
        for url in self._landing_pages():
            if self._claim(url):
                yield self._request(url, 0, "", landing=True)
        if self.cfg.site.use_sitemaps and not self.cfg.site.obey_robots:
            # When robots.txt is obeyed, Scrapy's middleware fetches it and _robots_seen
            # reads the Sitemap: lines from that same response (one fetch, not two).
            for origin in sorted({_origin(u) for u in self.cfg.site.start_urls}):
                yield scrapy.Request(origin + "/robots.txt", callback=self.parse_robots,
                                     errback=self._sitemap_failed, priority=-100,
                                     meta={"dont_obey_robotstxt": True,
                                           "handle_httpstatus_all": True}, dont_filter=True)
        # After a graceful stop the external request in flight is in Scrapy's queue.
        first_external = None if self.state_restored else self._next_external()
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
                self.external_queue = state["external_queue"]
                self.external_claimed = state["external_claimed"]
                self.external_sitemaps = state["external_sitemaps"]
                self.external_netlocs = state["external_netlocs"]
            else:  # killed: Scrapy's queue is lost; rebuilt from what was written
                self.logger.info("resume without saved state: %d pages done, %d to fetch",
                                 done.pages, len(done.pending))
                self.seen = set(done.keys)
                self.hosts |= done.hosts
                self.written_entries = done.sitemap_entries
                self.external_queue.clear()
                self.external_claimed = set(done.external_keys)
                self.external_sitemaps.clear()
                for url in self.cfg.duplicates.compare_with:
                    self._queue_external("page", strip_fragment(url), "compare_with")
                for url in self.cfg.duplicates.compare_sitemaps:
                    self._queue_external("sitemap", url, "compare_sitemaps")
                pending = done.pending
        if state is not None:
            state.update(seen=self.seen, sitemaps_seen=self.sitemaps_seen, hosts=self.hosts,
                         external_queue=self.external_queue,
                         external_claimed=self.external_claimed,
                         external_sitemaps=self.external_sitemaps,
                         external_netlocs=self.external_netlocs)
        return pending

    def _landing_pages(self) -> list[str]:
        """The paid-search landing pages of the site (sea.landing_pages and the final URLs
        of the campaign reports), fetched even when no page links to them. A report that
        cannot be read is skipped here: the check stage reports it."""
        if not (self.cfg.sea.landing_pages or self.cfg.sea.campaigns):
            return []
        pages = landing_pages(self.cfg, read_campaigns(self.cfg))
        return [url for url in pages if self.in_scope(url)]

    def _robots_seen(self, response: Response, request: scrapy.Request, spider: Any) -> None:
        """The robots middleware's own robots.txt response: read its sitemaps too."""
        if (spider is not self or request.callback is not NO_CALLBACK
                or not request.url.endswith("/robots.txt")
                or not self.cfg.site.use_sitemaps or not self.in_scope(request.url)
                or urlsplit(request.url).netloc.lower() in self.external_netlocs):
            return  # not the site's (an external page's robots.txt: obeyed, not explored)
        for sitemap_request in self.parse_robots(response):
            self.crawler.engine.crawl(sitemap_request)

    # -- sitemaps ----------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[Any]:
        urls: list[str] = []
        if response.status == 200 and isinstance(response, TextResponse):
            urls = list(sitemap_urls_from_robots(response.text, base_url=response.url))
        if not urls:
            urls = [_origin(response.url) + "/sitemap.xml"]
        for url in urls:
            yield from self._sitemap_request(url)

    def _sitemap_request(self, url: str) -> Iterator[scrapy.Request]:
        meta: dict[str, Any] = {"handle_httpstatus_all": True, **self.robots_meta}
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
        self.logger.info("sitemap not read: %s (%s)", failure.request.url, failure.value)
        self._release(failure.request)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        if response.status != 200:
            self.logger.info("sitemap %s answered %s", response.url, response.status)
            return
        body = response.body
        if body[:2] == b"\x1f\x8b":  # gzip, bounded against gzip bombs
            try:
                body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            except (OSError, ValueError) as exc:
                self.logger.warning("sitemap %s: bad gzip (%s)", response.url, exc)
                return
        try:
            sitemap = Sitemap(body)  # lxml with entity expansion and network access off
        except Exception as exc:  # lxml raises several types on garbage
            self.logger.warning("sitemap %s: not XML (%s)", response.url, exc)
            return
        if sitemap.type == "sitemapindex":
            for entry in sitemap:
                loc = entry.get("loc")
                if loc:
                    yield from self._sitemap_request(urljoin(response.url, loc))
            return
        if sitemap.type != "urlset":
            return
        for entry in sitemap:
            loc = entry.get("loc")
            if not loc:
                continue
            url = strip_fragment(urljoin(response.url, loc.strip()))
            if self.written_entries is None or (url, response.url) not in self.written_entries:
                yield SitemapEntry(url=url, sitemap=response.url,
                                   lastmod=entry.get("lastmod", ""))
            if self.in_scope(url) and self._claim(url):
                yield self._request(url, 1, f"sitemap:{response.url}", priority=-50)

    # -- pages -------------------------------------------------------------------------

    def _base_item(self, response: Response) -> PageItem:
        meta = response.meta
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").strip()
        return PageItem(
            url=meta.get("audit_url") or response.url,
            status=response.status,
            content_type=ctype,
            size=len(response.body),
            response_time=round(meta.get("download_latency", 0.0), 4),
            depth=meta.get("depth", 0),
            found_on=meta.get("found_on", ""),
            fetched_at=_now(),
            x_robots_tag=response.headers.get(b"X-Robots-Tag", b"").decode("latin-1"),
        )

    async def parse(self, response: Response) -> AsyncIterator[Any]:
        item = self._base_item(response)
        self._count(item)
        meta = response.meta
        depth = meta.get("depth", 0)
        if 300 <= response.status < 400:
            location = response.headers.get(b"Location")
            if location:
                target = strip_fragment(urljoin(response.url, location.decode("latin-1")))
                item.redirect_to = target
                yield item
                for request in self._follow_redirect(response, target, depth):
                    yield request
                return
            item.error = "redirect without Location header"
            yield item
            return
        ctype = item.content_type.lower()
        item.is_html = any(t in ctype for t in HTML_TYPES) or (
            not ctype and response.body[:100].lstrip().lower().startswith((b"<!doctype", b"<html")))
        if not item.is_html or not isinstance(response, TextResponse):
            item.is_html = item.is_html and isinstance(response, TextResponse)
            yield item
            return
        root = parse_html(response.text)
        if root is not None:
            sheets = None
            if self.stylesheets is not None:
                sheets = await self.stylesheets.for_page(root, response.url)
            fill_page(item, root, self.in_scope, stylesheets=sheets)
        yield item
        if not (200 <= response.status < 300) or depth >= self.cfg.site.max_depth:
            return
        targets = [link.url for link in item.links if link.internal]
        targets += [u for u in [item.canonical] + [h["href"] for h in item.hreflang]
                    if u and self.in_scope(u)]
        for url in targets:
            if self._claim(url):
                yield self._request(url, depth + 1, item.url)

    def _follow_redirect(self, response: Response, target: str, depth: int) -> Iterator[Any]:
        meta = response.meta
        hops = meta.get("redirect_hops", 0) + 1
        if meta.get("start"):
            # The site lives where its home page redirects to: bring that host into scope.
            host = (urlsplit(target).hostname or "").lower()
            if host and target.startswith(("http://", "https://")):
                self.hosts.add(host)
                if self.shared:
                    self.shared.add_host(host)
        if hops > MAX_REDIRECTS or not self.in_scope(target):
            return
        if self._claim(target):
            yield self._request(target, depth, response.url, redirect_hops=hops,
                                start=meta.get("start", False))

    def failed(self, failure: Failure) -> Iterator[PageItem]:
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
            item.error = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:500]
        if "maxsize" in item.error.lower() or "larger than" in item.error.lower():
            item.error = f"too-large: {item.error}"
        return item

    def _count(self, item: PageItem) -> None:
        stats = self.crawler.stats
        if stats is None:
            return
        stats.inc_value("audit/pages")
        if item.error or (item.status or 0) >= 400:
            stats.inc_value("audit/errors")

    # -- external pages (duplicates.compare_with / compare_sitemaps) ---------------------

    def _queue_external(self, kind: str, url: str, found_on: str, hops: int = 0,
                        first: bool = False) -> None:
        """Queue an external sitemap, or page (within max_external_pages), to fetch."""
        if kind == "sitemap":
            if url in self.external_sitemaps or len(self.external_sitemaps) >= \
                    MAX_EXTERNAL_SITEMAPS:
                return
            self.external_sitemaps.add(url)
        else:
            # The site's own origin is crawled, not compared; the same host on another port
            # is another site here (the demo's competitor when 127.0.0.2 is not available).
            if urlsplit(url).netloc.lower() in self.origins:
                self.logger.warning("%s is a page of the site: not compared as external", url)
                return
            key = canonicalize_url(url)
            budget = self.cfg.duplicates.max_external_pages
            if key in self.external_claimed or (not hops and len(self.external_claimed) >= budget):
                return
            self.external_claimed.add(key)
        self.external_netlocs.add(urlsplit(url).netloc.lower())
        entry = (kind, url, found_on, hops)
        if first:
            self.external_queue.appendleft(entry)
        else:
            self.external_queue.append(entry)

    def _next_external(self) -> scrapy.Request | None:
        if not self.external_queue:
            return None
        kind, url, found_on, hops = self.external_queue.popleft()
        meta = {"download_slot": EXTERNAL_SLOT, "autothrottle_dont_adjust_delay": True,
                "handle_httpstatus_all": True, "depth": 0, "found_on": found_on,
                "redirect_hops": hops}
        callback = self.parse_external_sitemap if kind == "sitemap" else self.parse_external
        # One at a time (each answer asks for the next) and ahead of the site's queue: an
        # external request never holds more than one of the concurrent download places.
        return scrapy.Request(url, callback=callback, errback=self.external_failed,
                              meta=meta, priority=100, dont_filter=True)

    def _fetch_next_external(self) -> None:
        request = self._next_external()
        if request is not None:
            self.crawler.engine.crawl(request)

    def parse_external(self, response: Response) -> None:
        try:
            meta = response.meta
            hops = meta.get("redirect_hops", 0)
            location = response.headers.get(b"Location")
            if 300 <= response.status < 400 and location and hops < MAX_EXTERNAL_REDIRECTS:
                target = strip_fragment(urljoin(response.url, location.decode("latin-1")))
                self._queue_external("page", target, meta.get("found_on", ""), hops + 1,
                                     first=True)
                return
            item = self._base_item(response)
            ctype = item.content_type.lower()
            item.is_html = isinstance(response, TextResponse) and (
                any(t in ctype for t in HTML_TYPES) or not ctype)
            if item.is_html and isinstance(response, TextResponse):
                root = parse_html(response.text)
                if root is not None:
                    host = urlsplit(response.url).hostname
                    fill_page(item, root, lambda u: urlsplit(u).hostname == host)
            self._write_external(item)
        finally:
            self._fetch_next_external()

    def parse_external_sitemap(self, response: Response) -> None:
        try:
            if response.status != 200:
                self.logger.info("external sitemap %s answered %s", response.url, response.status)
                return
            body = response.body
            if body[:2] == b"\x1f\x8b":
                try:
                    body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
                except (OSError, ValueError):
                    return
            try:
                sitemap = Sitemap(body)
            except Exception as exc:  # lxml raises several types on garbage
                self.logger.warning("external sitemap %s: not XML (%s)", response.url, exc)
                return
            for entry in sitemap:
                loc = (entry.get("loc") or "").strip()
                if not loc:
                    continue
                url = urljoin(response.url, loc)
                if sitemap.type == "sitemapindex":
                    self._queue_external("sitemap", url, f"sitemap:{response.url}")
                elif sitemap.type == "urlset":
                    self._queue_external("page", strip_fragment(url), f"sitemap:{response.url}")
        finally:
            self._fetch_next_external()

    def external_failed(self, failure: Failure) -> None:
        try:
            if failure.request.callback == self.parse_external_sitemap:
                self.logger.info("external sitemap not read: %s (%s)", failure.request.url,
                                 failure.value)
            else:
                self._write_external(self._failed_item(failure))
        finally:
            self._fetch_next_external()

    def _write_external(self, item: PageItem) -> None:
        out = self._external_file()
        if out is not None:
            out.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")

    def _external_file(self) -> IO[str] | None:
        if self._external_out is None and self.cfg.duplicates.external:
            path = self.run_dir / "external.jsonl"
            earlier = path.read_text(encoding="utf-8") if self.resume and path.exists() else ""
            self._external_out = self._external_files.enter_context(atomic_text(path))
            self._external_out.write(earlier)  # resumed: the pages fetched before, kept
        return self._external_out

    # -- end ---------------------------------------------------------------------------

    def write_summary(self) -> None:
        if self.shared is None:
            self._external_file()  # an empty external.jsonl: "nothing could be read"
        self._external_files.close()
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
            "external_pages": len(self.external_claimed),
            "stylesheets": self.stylesheets.summary() if self.stylesheets else None,
        }
        name = "crawl.json"
        if self.shared:  # merged into crawl.json once every worker is done
            summary.update(worker=self.worker, crawl_id=self.shared.crawl_id)
            if reason == "finished":
                self.shared.expire()
            name = f"crawl-{self.worker}.json"
        with atomic_text(self.run_dir / name) as fh:
            json.dump(summary, fh, indent=2, ensure_ascii=False)
