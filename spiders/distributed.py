"""One crawl split between several crawler processes through Redis (scrapy-redis).

``-a redis_url=redis://host:6379/0 -a crawl_id=ID -a worker=NAME`` turns it on (the
``seo-audit crawl --redis`` options, or Scrapyd's ``schedule.json`` fields). Every
worker of one crawl uses the same ``crawl_id``; its keys are ``seo-audit:<crawl_id>:*``:

- ``requests``: scrapy-redis's shared scheduler queue (``SCHEDULER_PERSIST``: a worker
  that finishes must not delete it under the others);
- ``claims``: the canonical URLs claimed; a Lua script checks the budget and adds
  atomically, so each URL is crawled by one worker and ``max_pages`` holds overall;
- ``sitemaps``, ``hosts``: the sitemap files read, the hosts brought into scope;
- ``pending``: claimed requests not yet finished (the page's record written and its
  links claimed). The crawl is over when it is 0 and the queue is empty: until then an
  idle worker waits for work (``DontCloseSpider``).

Each worker writes ``pages-<worker>.jsonl``, ``sitemaps-<worker>.jsonl`` and, last,
``crawl-<worker>.json``; ``seo-audit merge`` (automatic in ``check``) makes the run's
``pages.jsonl`` and ``crawl.json`` once every worker is complete.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

CLAIM = """
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('INCR', KEYS[2])
return 1
"""
CLAIMED = "seo_audit_claimed"  # request meta: release the claim once handled
HOSTS_REFRESH = 1.0  # seconds between reloads of the shared hosts on a scope miss


class SharedCrawl:
    def __init__(self, redis_url: str, crawl_id: str, worker: str):
        import redis  # a dependency of scrapy-redis (the [distributed] extra)

        self.redis = redis.Redis.from_url(redis_url, decode_responses=True)
        self.redis.ping()  # a wrong URL fails here, before anything is crawled
        self.url, self.crawl_id, self.worker = redis_url, crawl_id, worker
        self.prefix = f"seo-audit:{crawl_id}:"
        self._claim = self.redis.register_script(CLAIM)
        self._hosts_loaded = 0.0

    def key(self, name: str) -> str:
        return self.prefix + name

    def scrapy_settings(self) -> dict[str, Any]:
        return {
            "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
            "SCHEDULER_PERSIST": True,
            "SCHEDULER_QUEUE_KEY": self.key("requests"),
            "SCHEDULER_DUPEFILTER_KEY": self.key("dupefilter"),  # unused: dont_filter
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "REDIS_URL": self.url,
        }

    def claim(self, key: str, budget: int, name: str = "claims") -> bool:
        return bool(self._claim(keys=[self.key(name), self.key("pending")], args=[key, budget]))

    def release(self) -> None:
        self.redis.decr(self.key("pending"))

    def claimed(self) -> int:
        return int(self.redis.scard(self.key("claims")))

    def add_host(self, host: str) -> None:
        self.redis.sadd(self.key("hosts"), host)

    def hosts(self, force: bool = False) -> set[str] | None:
        """The shared hosts, at most once per HOSTS_REFRESH unless forced."""
        now = time.monotonic()
        if not force and now - self._hosts_loaded < HOSTS_REFRESH:
            return None
        self._hosts_loaded = now
        return set(self.redis.smembers(self.key("hosts")))

    def expire(self, seconds: int = 7 * 86400) -> None:
        """Let the crawl's keys go a while after its end (kept meanwhile to look into)."""
        for name in ("requests", "dupefilter", "claims", "sitemaps", "hosts", "pending"):
            self.redis.expire(self.key(name), seconds)

    def finished(self) -> bool:
        pending = int(self.redis.get(self.key("pending")) or 0)
        return pending <= 0 and not self.redis.zcard(self.key("requests"))


class ReleaseClaims:
    """Spider middleware: a claimed page is finished once its callback's output (the
    record, then the requests of its links, claimed first) has all been handed over."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReleaseClaims:
        return cls(crawler)

    def process_spider_input(self, response: Response) -> None:
        """A page on a host another worker brought into scope: take the shared hosts now,
        so that its links are judged internal (the periodic reload may not have come)."""
        spider = self.crawler.spider
        shared = getattr(spider, "shared", None)
        host = (urlsplit(response.url).hostname or "").lower()
        if shared is not None and host not in spider.hosts:
            spider.hosts |= shared.hosts(force=True) or set()

    def process_spider_output(self, response: Response,
                              result: Iterable[Any]) -> Iterable[Any]:
        try:
            yield from result
        finally:
            self._release(response.request)

    async def process_spider_output_async(self, response: Response,
                                          result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        try:
            async for out in result:
                yield out
        finally:
            self._release(response.request)

    def _release(self, request: Request | None) -> None:
        shared = getattr(self.crawler.spider, "shared", None)
        if shared is not None and request is not None and request.meta.get(CLAIMED):
            shared.release()
