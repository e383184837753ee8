"""Pages of other sites the audit needs, fetched politely during the crawl.

Several features read pages that are not the client's: competitors' pages to compare
with (``duplicates.compare_with`` / ``compare_sitemaps``, kind ``compare``), the pages
that link to the client (``backlinks``, kind ``backlink``), the social profiles' RSS/Atom feeds
(``social.profiles.<network>.feed``, kind ``feed``: only the entries' dates are kept).
They share one queue and one
download slot (``EXTERNAL_SLOT``): one request at a time, a delay apart, robots.txt
always obeyed, links never followed, ahead of the site's own queue so that an external
request never holds more than one of the concurrent download places. Each kind has its
budget of URLs and its own output file in the run directory (PageItems, one per line).
"""

from __future__ import annotations

import contextlib
import json
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from audit.atomic import atomic_text
from spiders.encoding import decode_html
from spiders.extract import fill_page, parse_html
from spiders.feeds import feed_dates
from spiders.items import PageItem
from spiders.urls import normalise

if TYPE_CHECKING:
    from spiders.site import SiteSpider

EXTERNAL_SLOT = "seo-audit-external"  # download slot of every external request
MAX_EXTERNAL_SITEMAPS = 20
MAX_EXTERNAL_REDIRECTS = 5
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Kind:
    """One kind of external fetch: where its records go and how many URLs at most."""

    name: str  # compare | backlink | compare-sitemap (lists compare pages)
    file: str  # output file in the run directory ("" for sitemaps: nothing written)
    budget: int
    # Record the URL asked for (redirects followed, the final URL in redirect_to), so
    # that a record is found under the URL the config named (a referring page).
    keep_asked_url: bool = False
    mode: str = "page"  # page (a PageItem) | sitemap (lists compare pages) | feed (dates)
    own_site: bool = False  # may be on the client's own site (a blog's feed)


@dataclass
class _Entry:
    kind: str
    url: str
    found_on: str
    hops: int = 0
    asked: str = ""  # the URL first queued, before redirects


class ExternalFetcher:
    """The queue of external URLs of one crawl, fetched one at a time."""

    def __init__(self, spider: SiteSpider, run_dir: Path, kinds: list[Kind],
                 own_netlocs: set[str]):
        self.spider = spider
        self.run_dir = run_dir
        self.kinds = {k.name: k for k in kinds}
        self.own_netlocs = own_netlocs  # the site's origins: crawled, never external
        self.netlocs: set[str] = set()  # hosts met here (their robots.txt is not explored)
        self.queue: deque[_Entry] = deque()
        self.claimed: dict[str, set[str]] = {k.name: set() for k in kinds}
        self.written: dict[str, int] = {k.name: 0 for k in kinds}
        self._files = contextlib.ExitStack()
        self._out: dict[str, IO[str]] = {}
        # Resumed crawl: kinds whose file already holds records of the earlier process
        # (kept, the new ones appended).
        self.keep_earlier: set[str] = set()

    # -- resume (spiders/resume.py, SiteSpider._restore) --------------------------------

    def state(self) -> dict[str, Any]:
        """The live queue and sets, saved in Scrapy's spider state (JOBDIR) at close."""
        return {"queue": self.queue, "claimed": self.claimed, "netlocs": self.netlocs,
                "written": self.written}

    def restore(self, state: dict[str, Any]) -> None:
        """After a graceful stop: carry on where the earlier process stopped."""
        self.queue = state["queue"]
        self.claimed = state["claimed"]
        self.netlocs = state["netlocs"]
        self.written = state["written"]
        self.keep_earlier = set(self.kinds)

    def restart(self, compared: set[str]) -> None:
        """After a kill (no saved state): compared pages already written are kept and not
        fetched again; other kinds (referring pages, feeds: few) start over."""
        self.queue.clear()
        self.claimed = {k: set() for k in self.kinds}
        if "compare" in self.kinds:
            self.claimed["compare"] = set(compared)
            self.keep_earlier = {"compare"}

    @property
    def active(self) -> bool:
        return bool(self.kinds)

    def add(self, kind: str, url: str, found_on: str, hops: int = 0, first: bool = False,
            asked: str = "") -> None:
        """Queue a URL of ``kind`` (within its budget; redirect hops are not counted)."""
        spec = self.kinds[kind]
        if spec.mode == "sitemap":
            if url in self.claimed[kind] or len(self.claimed[kind]) >= spec.budget:
                return
            self.claimed[kind].add(url)
        else:
            # The site's own origin is crawled, not fetched as external; the same host on
            # another port is another site here (the demo's second site without 127.0.0.2).
            if not spec.own_site and urlsplit(url).netloc.lower() in self.own_netlocs:
                self.spider.logger.warning("%s is a page of the site: not fetched as "
                                           "external (%s)", url, kind)
                return
            key = canonicalize_url(url)
            claimed = self.claimed[kind]
            if key in claimed or (not hops and len(claimed) >= spec.budget):
                return
            claimed.add(key)
        netloc = urlsplit(url).netloc.lower()
        if netloc not in self.own_netlocs:  # the site's robots.txt stays the site's
            self.netlocs.add(netloc)
        entry = _Entry(kind, url, found_on, hops, asked or url)
        if first:
            self.queue.appendleft(entry)
        else:
            self.queue.append(entry)

    def next_request(self) -> scrapy.Request | None:
        if not self.queue:
            return None
        e = self.queue.popleft()
        meta = {"download_slot": EXTERNAL_SLOT, "autothrottle_dont_adjust_delay": True,
                "handle_httpstatus_all": True, "depth": 0, "found_on": e.found_on,
                "redirect_hops": e.hops, "external_kind": e.kind, "external_asked": e.asked}
        # Callbacks are the spider's own methods (which hand over to this object): a
        # request kept in the JOBDIR queue at a graceful stop must be picklable.
        callback = self.spider.external_sitemap if self.kinds[e.kind].mode == "sitemap" \
            else self.spider.external_page
        return scrapy.Request(e.url, callback=callback, errback=self.spider.external_failed,
                              meta=meta, priority=100, dont_filter=True)

    def _fetch_next(self) -> None:
        request = self.next_request()
        if request is not None:
            self.spider.crawler.engine.crawl(request)

    # -- answers -----------------------------------------------------------------------

    def _parse_page(self, response: Response) -> None:
        try:
            meta = response.meta
            kind = meta["external_kind"]
            hops = meta.get("redirect_hops", 0)
            location = response.headers.get(b"Location")
            target = ""
            if 300 <= response.status < 400 and location and hops < MAX_EXTERNAL_REDIRECTS:
                try:
                    target = normalise(urljoin(response.url, location.decode("latin-1")))
                except ValueError:  # not a URL: the answer is recorded as it came
                    target = ""
            if target:
                self.add(kind, target, meta.get("found_on", ""), hops + 1, first=True,
                         asked=meta.get("external_asked", ""))
                return
            if self.kinds[kind].mode == "feed":
                self._write_feed(kind, response)
                return
            item = self.spider._base_item(response)
            ctype = item.content_type.lower()
            item.is_html = isinstance(response, TextResponse) and (
                any(t in ctype for t in HTML_TYPES) or not ctype)
            if item.is_html and isinstance(response, TextResponse):
                root = parse_html(decode_html(item.content_type, response.body)[1])
                if root is not None:
                    host = urlsplit(response.url).hostname
                    fill_page(item, root, lambda u: urlsplit(u).hostname == host)
            self._write(kind, item, meta.get("external_asked", ""))
        finally:
            self._fetch_next()

    def _parse_sitemap(self, response: Response) -> None:
        try:
            if response.status != 200:
                self.spider.logger.info("external sitemap %s answered %s", response.url,
                                        response.status)
                return
            body = response.body
            if body[:2] == b"\x1f\x8b":
                try:
                    body = gunzip(body, max_size=self.spider.crawler.settings.getint(
                        "DOWNLOAD_MAXSIZE"))
                except (OSError, ValueError):
                    return
            try:
                sitemap = Sitemap(body)  # lxml with entity expansion and network access off
            except Exception as exc:  # lxml raises several types on garbage
                self.spider.logger.warning("external sitemap %s: not XML (%s)", response.url,
                                           exc)
                return
            kind = response.meta["external_kind"]
            for entry in sitemap:
                loc = (entry.get("loc") or "").strip()
                if not loc:
                    continue
                url = urljoin(response.url, loc)
                if sitemap.type == "sitemapindex":
                    self.add(kind, url, f"sitemap:{response.url}")
                elif sitemap.type == "urlset":
                    try:
                        self.add("compare", normalise(url), f"sitemap:{response.url}")
                    except ValueError:
                        continue
        finally:
            self._fetch_next()

    def _failed(self, failure: Failure) -> None:
        try:
            meta = failure.request.meta
            kind = meta.get("external_kind", "")
            if self.kinds[kind].mode == "sitemap":
                self.spider.logger.info("external sitemap not read: %s (%s)",
                                        failure.request.url, failure.value)
            elif self.kinds[kind].mode == "feed":
                item = self.spider._failed_item(failure)
                self._write_record(kind, {"url": meta.get("external_asked") or item.url,
                                          "network": meta.get("found_on", ""),
                                          "status": None, "error": item.error,
                                          "fetched_at": item.fetched_at, "dates": []})
            else:
                self._write(kind, self.spider._failed_item(failure),
                            meta.get("external_asked", ""))
        finally:
            self._fetch_next()

    # -- output ------------------------------------------------------------------------

    def _write(self, kind: str, item: PageItem, asked: str) -> None:
        spec = self.kinds[kind]
        if spec.keep_asked_url and asked and asked != item.url:
            item.redirect_to = item.url
            item.url = asked
        out = self._file(kind)
        out.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
        self.written[kind] += 1

    def _write_feed(self, kind: str, response: Response) -> None:
        """A feed's record: its entries' dates (never the posts themselves)."""
        meta = response.meta
        record: dict[str, Any] = {"url": meta.get("external_asked") or response.url,
                                  "final_url": response.url,
                                  "network": meta.get("found_on", ""),
                                  "status": response.status, "error": "", "format": "",
                                  "fetched_at": self.spider._base_item(response).fetched_at,
                                  "dates": []}
        if response.status != 200:
            record["error"] = f"HTTP {response.status}"
        else:
            try:
                record["format"], record["dates"] = feed_dates(response.body)
            except ValueError as exc:
                record["error"] = str(exc)[:300]
        self._write_record(kind, record)

    def _write_record(self, kind: str, record: dict[str, Any]) -> None:
        self._file(kind).write(json.dumps(record, ensure_ascii=False) + "\n")
        self.written[kind] += 1

    def _file(self, kind: str) -> IO[str]:
        if kind not in self._out:
            path = self.run_dir / self.kinds[kind].file
            earlier = path.read_text(encoding="utf-8") \
                if kind in self.keep_earlier and path.exists() else ""
            self._out[kind] = self._files.enter_context(atomic_text(path))
            self._out[kind].write(earlier)  # resumed: what the earlier process fetched
        return self._out[kind]

    def close(self) -> None:
        """Every kind's file is written, even empty: "nothing could be read" is a fact."""
        for name, spec in self.kinds.items():
            if spec.mode != "sitemap":
                self._file(name)
        self._files.close()

    def summary(self) -> dict[str, Any]:
        return {name: {"queued": len(self.claimed[name]), "written": self.written[name]}
                for name in self.kinds}


__all__ = ["EXTERNAL_SLOT", "ExternalFetcher", "Kind"]
