"""How a page is served: the speed and weight thresholds two rules share (whether the
audited origin is a local copy is :func:`audit.site_hosts.is_local`).

``page-experience`` (every page) and ``sea-landing-page`` (the pages ads lead to) judge
the same measures against the same defaults, so that a page is never "slow" for one and
"fast" for the other:

- **time to first byte**, ``PageItem.response_time`` (Scrapy's ``download_latency``: from
  the request sent to the response's headers received, connection set-up included when
  the connection was new; the body's download excluded). Google's guidance
  (web.dev/articles/ttfb) rates a TTFB up to 0.8 s good and over 1.8 s poor;
- **HTML size**, ``PageItem.size`` (the body's bytes, uncompressed): Googlebot reads the
  first 2 MB of an HTML file for Search (what lies beyond is not indexed); over 500 KB
  the document alone weighs more than most whole mobile pages' HTML by far (HTTP Archive:
  a median of about 30 KB) and delays the first render.
"""

from __future__ import annotations

from spiders.items import PageItem

SLOW_TTFB_MS = 800  # web.dev: "good" up to 0.8 s
VERY_SLOW_TTFB_MS = 1800  # web.dev: "poor" over 1.8 s
HEAVY_HTML_KB = 500
GOOGLEBOT_HTML_KB = 2048  # Googlebot (Search) reads the first 2 MB of an HTML file


def ttfb_ms(page: PageItem) -> float | None:
    """The page's time to first byte in milliseconds; None when not measured."""
    if page.response_time is None or page.response_time <= 0:
        return None
    return page.response_time * 1000
