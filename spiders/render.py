"""Rendered mode (``site.render: true``): pages rendered in headless Chromium.

For pages built by JavaScript and for exact computed styles. Scrapy still downloads every
page (status, headers, redirects, robots.txt: one record per URL as in static mode); the
body it received is then handed to Chromium as the answer to the page's navigation (no
second download of the page), Chromium fetches the stylesheets and scripts itself (not
images, media or fonts: they do not decide what text shows), runs the scripts, and
``render_hidden.js`` marks the hidden text from computed styles and layout at the same
screen widths as the static engine (``spiders.css.VIEWPORTS``) and in print. The
serialized DOM then goes through the normal extraction (``fill_page(..., rendered=True)``).

Chromium is Debian's (``/usr/bin/chromium``), driven by Playwright (its wheel bundles the
driver; ``playwright install`` is never needed). One browser per crawl, started on the
first page and closed when the spider closes; at most ``site.render_concurrency`` pages
at a time, each in a context of its own (no cookies or storage shared between pages).
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from spiders.css import VIEWPORTS

CHROMIUM = "/usr/bin/chromium"
# The machine's network may be closed: without these, Chromium hangs on Google hosts
# (component updates, sync, QUIC probes) and a root user needs --no-sandbox.
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync")
@lru_cache(maxsize=1)
def _script() -> str:
    """render_hidden.js, read on first use through importlib.resources: the spider is
    imported from eggs too (Scrapyd), where modules live in a zip file."""
    return (resources.files("spiders") / "render_hidden.js").read_text(encoding="utf-8")
SKIPPED_RESOURCES = frozenset({"image", "media", "font"})
# After "load", scripts may still fetch content: wait for QUIET_S without a request in
# flight (timers that add content right after load run meanwhile), at most SETTLE_S.
QUIET_S = 0.2
SETTLE_S = 1.5
MAX_FAILURES_LISTED = 50


def chromium_path(configured: str = "") -> str | None:
    """The Chromium executable to use, or None when there is none (a configured path is
    the only one tried: a wrong path is said, not silently replaced)."""
    candidates = [configured] if configured else [CHROMIUM, shutil.which("chromium") or ""]
    return next((c for c in candidates if c and Path(c).is_file()), None)


async def _settle(in_flight: set[Any]) -> None:
    """Until no request has been in flight for QUIET_S (at most SETTLE_S: long polling
    never goes quiet)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_S
    quiet_since = loop.time()
    while loop.time() < deadline:
        if in_flight:
            quiet_since = loop.time()
        elif loop.time() - quiet_since >= QUIET_S:
            return
        await asyncio.sleep(0.05)


class RenderError(Exception):
    """A page could not be rendered (the crawl then reads its HTML statically)."""


class Renderer:
    """One headless Chromium for the crawl; :meth:`render` is safe to call concurrently."""

    def __init__(self, executable: str, concurrency: int = 3, timeout: float = 30.0,
                 user_agent: str | None = None):
        self.executable = executable
        self.concurrency = concurrency
        self.timeout_ms = timeout * 1000
        self.user_agent = user_agent
        self.rendered = 0
        self.restarts = 0
        self.failures: dict[str, str] = {}
        self._slots: asyncio.Semaphore | None = None
        self._start_lock: asyncio.Lock | None = None
        self._playwright: Any = None
        self._browser: Any = None
        self._closed = False

    async def _browser_ready(self) -> Any:
        if self._start_lock is None:  # created in the crawl's event loop
            self._start_lock = asyncio.Lock()
            self._slots = asyncio.Semaphore(self.concurrency)
        async with self._start_lock:
            if self._closed:
                raise RenderError("renderer closed")
            if self._browser is not None and not self._browser.is_connected():
                self.restarts += 1  # Chromium crashed (out of memory...): start another
                self._browser = None
            if self._browser is None:
                try:
                    from playwright.async_api import async_playwright
                except ImportError as exc:  # pragma: no cover - a dependency of the project
                    raise RenderError(f"playwright is not installed ({exc})") from exc
                if self._playwright is None:
                    self._playwright = await async_playwright().start()
                self._browser = await self._playwright.chromium.launch(
                    executable_path=self.executable, args=list(CHROMIUM_ARGS), headless=True,
                    timeout=self.timeout_ms)
        return self._browser

    async def render(self, url: str, body: str, status: int = 200,
                     headers: Mapping[str, str] | None = None) -> str:
        """The page's DOM after its scripts ran, hidden text marked (see module doc)."""
        try:
            browser = await self._browser_ready()
            assert self._slots is not None
            async with self._slots:
                html = await self._render(browser, url, body, status, dict(headers or {}))
        except RenderError as exc:
            self._fail(url, str(exc))
            raise
        except Exception as exc:  # Playwright's TimeoutError, a crashed page...
            message = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            self._fail(url, message[:300])
            raise RenderError(message[:300]) from exc
        self.rendered += 1
        return html

    async def _render(self, browser: Any, url: str, body: str, status: int,
                      headers: dict[str, str]) -> str:
        phone = VIEWPORTS[0]
        context = await browser.new_context(
            viewport={"width": phone.width, "height": phone.height},
            user_agent=self.user_agent, service_workers="block")
        try:
            page = await context.new_page()
            page.set_default_timeout(self.timeout_ms)
            served = False

            async def route(route: Any) -> None:
                nonlocal served
                request = route.request
                if request.is_navigation_request() and request.frame == page.main_frame:
                    if served:  # a script sending the page elsewhere: stay on this one
                        await route.abort()
                        return
                    served = True
                    await route.fulfill(status=status, headers=headers, body=body)
                elif request.resource_type in SKIPPED_RESOURCES:
                    await route.abort()
                else:
                    await route.continue_()

            await page.route("**/*", route)
            in_flight: set[Any] = set()
            page.on("request", lambda r: in_flight.add(r))
            page.on("requestfinished", lambda r: in_flight.discard(r))
            page.on("requestfailed", lambda r: in_flight.discard(r))
            await page.goto(url, wait_until="load")
            await _settle(in_flight)
            # Hidden at every screen width, the verdict of the first (phone) one.
            remaining = await page.evaluate(_script(), "start")
            for vp in VIEWPORTS[1:]:
                if not remaining:
                    break
                if vp.print:
                    continue
                await page.set_viewport_size({"width": vp.width, "height": vp.height})
                remaining = await page.evaluate(_script(), "again")
            if remaining:
                await page.emulate_media(media="print")
                await page.evaluate(_script(), "print")
            await page.evaluate(_script(), "mark")
            return str(await page.content())
        finally:
            await context.close()

    def _fail(self, url: str, reason: str) -> None:
        self.failures[url] = reason

    async def close(self) -> None:
        self._closed = True
        browser, playwright = self._browser, self._playwright
        self._browser = self._playwright = None
        if browser is not None:
            with contextlib.suppress(Exception):
                await browser.close()
        if playwright is not None:
            with contextlib.suppress(Exception):
                await playwright.stop()

    def summary(self) -> dict[str, Any]:
        return {"executable": self.executable, "rendered": self.rendered,
                "restarts": self.restarts, "failed": len(self.failures),
                "failed_urls": dict(list(self.failures.items())[:MAX_FAILURES_LISTED])}
