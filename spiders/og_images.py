"""The pages' share images (``og:image``), fetched once per URL to see that they load.

A network builds the share card by fetching the image itself: a 404, an HTML error page
or a file over Facebook's 8 MB limit means a card without an image. Each distinct URL is
fetched once per crawl (at most ``MAX_IMAGES``), bounded to 8 MB, redirects followed up
to 3 hops, robots.txt obeyed as for any other request; the answers go to the run's
``images.jsonl`` (url, status, content type, size, error), never the image itself.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from audit.atomic import atomic_text

MAX_IMAGES = 200  # distinct og:image URLs checked per crawl
MAX_BYTES = 8 * 1024 * 1024  # Facebook refuses share images over 8 MB
MAX_HOPS = 3


class OgImageChecker:
    def __init__(self, run_dir: Path, robots_meta: Callable[[str], dict[str, Any]],
                 failed_error: Callable[[Failure], str], now: Callable[[], str]):
        self.run_dir = run_dir
        self.robots_meta = robots_meta  # per URL: the site's choice, or robots obeyed
        self.failed_error = failed_error
        self.now = now
        self.seen: set[str] = set()
        self._files = contextlib.ExitStack()
        self._out: IO[str] | None = None

    def request_for(self, url: str, found_on: str) -> scrapy.Request | None:
        """The request checking ``url``, or None (seen already, budget spent, relative)."""
        if urlsplit(url).scheme not in ("http", "https") or url in self.seen \
                or len(self.seen) >= MAX_IMAGES:
            return None
        self.seen.add(url)
        return self._request(url, url, found_on, 0)

    def _request(self, url: str, asked: str, found_on: str, hops: int) -> scrapy.Request:
        meta = {"handle_httpstatus_all": True, "download_maxsize": MAX_BYTES,
                "og_image": asked, "found_on": found_on, "redirect_hops": hops,
                **self.robots_meta(url)}
        # Below the pages: an image check never delays the crawl of the site itself.
        return scrapy.Request(url, callback=self.parse, errback=self.failed, meta=meta,
                              priority=-20, dont_filter=True)

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        meta = response.meta
        location = response.headers.get(b"Location")
        hops = meta.get("redirect_hops", 0)
        if 300 <= response.status < 400 and location and hops < MAX_HOPS:
            target = urljoin(response.url, location.decode("latin-1"))
            yield self._request(target, meta["og_image"], meta.get("found_on", ""), hops + 1)
            return
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").strip()
        self._write({"url": meta["og_image"], "final_url": response.url,
                     "status": response.status, "content_type": ctype,
                     "size": len(response.body), "error": "",
                     "found_on": meta.get("found_on", ""), "fetched_at": self.now()})

    def failed(self, failure: Failure) -> None:
        meta = failure.request.meta
        self._write({"url": meta.get("og_image", failure.request.url),
                     "final_url": failure.request.url, "status": None, "content_type": "",
                     "size": 0, "error": self.failed_error(failure),
                     "found_on": meta.get("found_on", ""), "fetched_at": self.now()})

    def _write(self, record: dict[str, Any]) -> None:
        if self._out is None:
            self._out = self._files.enter_context(atomic_text(self.run_dir / "images.jsonl"))
        self._out.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self._files.close()
