"""Machine-readable crawl progress: one JSON line per second on stdout.

The ``seo-audit`` command runs the crawl in a child process and turns these lines
into a live progress line (on a terminal) or periodic log lines (in cron).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class Progress:
    def __init__(self, crawler: Crawler, interval: float = 1.0):
        self.crawler = crawler
        self.interval = interval
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if not crawler.settings.getbool("AUDIT_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def snapshot(self) -> dict[str, Any]:
        stats = self.crawler.stats
        assert stats is not None
        get = stats.get_value
        enqueued = get("scheduler/enqueued", 0) or 0
        dequeued = get("scheduler/dequeued", 0) or 0
        elapsed = time.monotonic() - self.started
        crawled = get("audit/pages", 0) or 0
        return {"crawled": crawled, "queued": max(0, enqueued - dequeued),
                "errors": get("audit/errors", 0) or 0, "elapsed": round(elapsed, 1),
                "rate": round(crawled / elapsed, 1) if elapsed > 0 else 0.0}

    def emit(self, final: bool = False) -> None:
        line = self.snapshot()
        if final:
            line["done"] = True
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()

    def opened(self, spider: Any) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.emit)
        self.loop.start(self.interval, now=True)

    def closed(self, spider: Any, reason: str) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        self.emit(final=True)
