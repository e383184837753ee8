"""The site's linked stylesheets, fetched once per URL during the crawl and cached.

Hidden-text detection needs the styles a browser would apply, and most of them live in
linked stylesheets (``<link rel=stylesheet>``, and the ``@import`` rules inside them).
Every page of a site shares a handful of sheets, so each URL is fetched once, by the
first page that needs it; pages parsed meanwhile wait for that same download instead
of starting their own. A sheet that cannot be read (4xx/5xx, robots.txt, timeout, an
HTML error page) is cached as empty and named in ``crawl.json``: the pages are then
judged on the styles that could be read, never with an invented rule.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.http.request import NO_CALLBACK

from spiders.visibility import stylesheets_to_fetch

MAX_IMPORT_DEPTH = 4  # @import chains followed this deep
MAX_REDIRECTS = 3
MAX_FAILURES_LISTED = 50  # in crawl.json


class StylesheetCache:
    """URL → CSS text of the stylesheets fetched so far ("" when unreadable)."""

    def __init__(self, download: Callable[[scrapy.Request], Awaitable[Response]],
                 meta: Mapping[str, Any], max_sheets: int):
        self._download = download
        self._meta = dict(meta)
        self.max_sheets = max_sheets
        self.texts: dict[str, str] = {}
        self.failures: dict[str, str] = {}
        self._pending: dict[str, asyncio.Future[str]] = {}

    async def for_page(self, root: Any, page_url: str) -> Mapping[str, str]:
        """Fetch what the page needs that is not cached yet, then return the cache."""
        for _ in range(MAX_IMPORT_DEPTH + 1):
            want = stylesheets_to_fetch(root, page_url, self.texts)
            if not want:
                break
            await asyncio.gather(*(self._get(url) for url in want))
        return self.texts

    async def _get(self, url: str) -> str:
        if url in self.texts:
            return self.texts[url]
        pending = self._pending.get(url)
        if pending is None:
            if len(self._pending) >= self.max_sheets:  # one per URL ever started
                self.texts[url] = ""
                self._fail(url, f"over site.max_stylesheets ({self.max_sheets})")
                return ""
            pending = asyncio.ensure_future(self._fetch(url))
            self._pending[url] = pending
        return await asyncio.shield(pending)

    async def _fetch(self, url: str) -> str:
        text = ""
        target = url
        try:
            # Redirects are followed here (the crawl turns the middleware off to record
            # them as pages): a sheet moved to https or a CDN is still the page's style.
            for _ in range(MAX_REDIRECTS + 1):
                request = scrapy.Request(target, callback=NO_CALLBACK, dont_filter=True,
                                         meta={"handle_httpstatus_all": True, **self._meta})
                response = await self._download(request)
                location = response.headers.get(b"Location")
                if not (300 <= response.status < 400 and location):
                    text = self._css_text(url, response)
                    break
                target = urljoin(response.url, location.decode("latin-1"))
                if self.texts.get(target):  # moved to a sheet read already
                    text = self.texts[target]
                    break
            else:
                self._fail(url, "too many redirects")
        except Exception as exc:  # IgnoreRequest (robots.txt), timeouts, DNS...
            self._fail(url, f"{type(exc).__name__}: {exc}"[:200])
        self.texts[url] = text
        return text

    def _css_text(self, url: str, response: Response) -> str:
        if response.status != 200:
            self._fail(url, f"HTTP {response.status}")
            return ""
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        body = response.body
        if "html" in ctype or body[:200].lstrip().lower().startswith((b"<!doctype", b"<html")):
            self._fail(url, f"not CSS ({ctype or 'HTML'})")  # a soft 404 page
            return ""
        if isinstance(response, TextResponse):
            return response.text
        return body.decode("utf-8", "replace")  # CSS defaults to UTF-8

    def _fail(self, url: str, reason: str) -> None:
        self.failures[url] = reason

    def summary(self) -> dict[str, Any]:
        listed = dict(list(self.failures.items())[:MAX_FAILURES_LISTED])
        return {"fetched": sum(1 for t in self.texts.values() if t),
                "unreadable": len(self.failures), "unreadable_urls": listed}
