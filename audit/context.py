"""What rules may read besides the page: the config, the language, the site so far.

Built once per check run by the runner. Heavy services (spell checkers, a
LanguageTool client) will hang off it, opened lazily and once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from audit.config import ClientConfig
from audit.rule import Msg
from spiders.items import PageItem, SitemapEntry

T = TypeVar("T")


@dataclass(slots=True)
class UrlInfo:
    """The compact record the runner keeps of every crawled URL (for site rules)."""

    status: int | None
    error: str
    redirect_to: str
    is_html: bool


@dataclass
class Context:
    config: ClientConfig
    report_lang: str = "fr"
    # url -> UrlInfo of every URL crawled so far; complete when SiteRule.finish runs.
    urls: dict[str, UrlInfo] = field(default_factory=dict)
    sitemap_urls: set[str] = field(default_factory=set)
    # url -> the alternate language versions its sitemap entry declares (xhtml:link):
    # [{"lang", "href"}]; only entries that declare some.
    sitemap_hreflang: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    # The sitemaps' entries (sitemaps.jsonl: url, sitemap file, lastmod, how the file was
    # found), streamed anew at each call; None when the crawl read no sitemap.
    sitemap_entries: Callable[[], Iterator[SitemapEntry]] | None = None
    services: dict[str, Any] = field(default_factory=dict)
    # Run-level remarks for the Summary (which engine ran, what was skipped), deduplicated.
    notes: list[Msg] = field(default_factory=list)
    # Side data of the crawl handed over by the runner (rules never read files): the
    # external pages fetched for comparison (external.jsonl), streamed anew at each call;
    # None when the crawl wrote none.
    external_pages: Callable[[], Iterator[PageItem]] | None = None
    # The referring pages of backlinks.* fetched by the crawl (backlinks.jsonl), each
    # under the URL the config or import named (redirect_to: where it led).
    backlink_pages: Callable[[], Iterator[PageItem]] | None = None
    # network -> what the crawl read of its feed (feeds.jsonl): url, status, error, the
    # entries' ISO dates newest first. Empty when no feed was fetched.
    feeds: dict[str, dict[str, Any]] = field(default_factory=dict)
    # og:image URL -> what fetching it gave (images.jsonl): status, content type, size,
    # error. Empty when the crawl checked none (an older run: images not judged).
    og_images: dict[str, dict[str, Any]] = field(default_factory=dict)
    _closing: list[Callable[[], None]] = field(default_factory=list, repr=False)

    def note(self, message: Msg) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def service(self, key: str, factory: Callable[[], T]) -> T:
        """A resource shared by rules, opened once per run (a spell checker, a grammar
        engine, site-wide statistics). Its ``close()``, if any, runs at the end."""
        if key not in self.services:
            self.services[key] = factory()
        return self.services[key]

    def at_close(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` when the check ends (e.g. to note which engines ran)."""
        self._closing.append(callback)

    def close(self) -> None:
        for callback in self._closing:
            callback()
        self._closing.clear()
        for svc in self.services.values():
            close = getattr(svc, "close", None)
            if callable(close):
                close()
        self.services.clear()

    def page_language(self, page: PageItem) -> str:
        """fr | en | ... : the configured language, else the page's <html lang>, else fr."""
        if self.config.language != "auto":
            return self.config.language
        lang = (page.lang or "").split("-")[0].strip().lower()
        return lang or "fr"

    def final_status(self, url: str, max_hops: int = 10) -> tuple[int | None, str, list[str]]:
        """Follow recorded redirects from ``url``: (final status, final url, chain of hops)."""
        chain: list[str] = []
        current = url
        while len(chain) <= max_hops:
            info = self.urls.get(current)
            if info is None:
                return None, current, chain
            if info.redirect_to and info.status and 300 <= info.status < 400:
                chain.append(current)
                if info.redirect_to in chain:
                    return info.status, info.redirect_to, chain  # a loop
                current = info.redirect_to
                continue
            return info.status, current, chain
        return None, current, chain
