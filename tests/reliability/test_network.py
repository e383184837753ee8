"""Network faults: the crawl records each as a finding and ends in bounded time.

Timeouts, 5xx answers (retried: RETRY_TIMES = 2, so three attempts), connections
dropped mid-body, a slow server, and a start URL whose host does not resolve.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.crawling import Crawl, crawl
from tests.reliability.server import HostileServer, Reply, Req, html_page

pytestmark = pytest.mark.crawl

ATTEMPTS = 3  # RETRY_TIMES = 2 (spiders/settings.py) + the first try
LONG = "<title>Coupée</title><p>" + "contenu " * 1000 + "</p>"


def flaky(req: Req) -> Reply:
    return Reply(503, "<title>Indisponible</title>") if req.n < ATTEMPTS else \
        html_page("Revenue", "Instable")


ROUTES = {
    "/jamais": lambda r: Reply(hang=True),  # accepts, never answers
    "/instable": flaky,
    "/panne": lambda r: Reply(500, "<title>Erreur</title>"),
    "/coupee": lambda r: Reply(body=LONG, drop_after=300),
    "/coupee-sans-longueur": lambda r: Reply(body=LONG, drop_after=300, length=False),
    "/lente": lambda r: Reply(body="<title>Lente</title><p>" + "é" * 3000 + "</p>",
                              delay=0.3, trickle=0.02),  # well inside timeout: 1
}


@pytest.fixture(scope="module")
def site() -> Iterator[HostileServer]:
    routes = {"/": lambda r: html_page("Accueil", "Accueil", list(ROUTES)), **ROUTES}
    with HostileServer(routes) as server:
        yield server


@pytest.fixture(scope="module")
def crawled(site: HostileServer, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl(tmp_path_factory.mktemp("network"), site.origin + "/",
                 "  timeout: 1\n  use_sitemaps: false\n  obey_robots: false\n")


def test_crawl_completes_in_bounded_time(crawled: Crawl, site: HostileServer) -> None:
    assert crawled.summary["status"] == "complete"
    assert crawled.seconds < 30  # 3 attempts × 1 s timeout, in parallel with the rest
    assert set(crawled.pages) == {site.origin + p for p in ["/", *ROUTES]}


def test_timeout_retried_then_reported_unreachable(crawled: Crawl, site: HostileServer) -> None:
    page = crawled.page(site.origin, "/jamais")
    assert page.status is None and "TimeoutError" in page.error and "1.0 s" in page.error
    assert site.counts["/jamais"] == ATTEMPTS
    [finding] = [f for f in crawled.check() if f.url == page.url]
    assert (finding.rule, finding.code) == ("status-code", "unreachable")


def test_server_errors_retried(crawled: Crawl, site: HostileServer) -> None:
    flaky_page = crawled.page(site.origin, "/instable")
    assert flaky_page.status == 200 and flaky_page.title == "Instable"
    assert site.counts["/instable"] == ATTEMPTS
    assert crawled.page(site.origin, "/panne").status == 500
    assert site.counts["/panne"] == ATTEMPTS
    assert flaky_page.retries == ATTEMPTS - 1
    codes = {(f.url, f.code) for f in crawled.check()}
    assert (site.origin + "/panne", "server-error") in codes
    assert (site.origin + "/instable", "flaky") in codes  # an unstable server, a notice


def test_dropped_connection_reported(crawled: Crawl, site: HostileServer) -> None:
    page = crawled.page(site.origin, "/coupee")
    assert page.status is None and page.error.startswith("ResponseDataLossError: ")
    assert "Content-Length" in page.error
    assert site.counts["/coupee"] == ATTEMPTS
    assert any(f.url == page.url and f.code == "unreachable" for f in crawled.check())


def test_dropped_connection_without_length_keeps_what_came(crawled: Crawl,
                                                           site: HostileServer) -> None:
    # Without Content-Length the end of the connection is the end of the body (HTTP/1.0):
    # nobody can tell a cut; the page is what a browser shows, read without crashing.
    page = crawled.page(site.origin, "/coupee-sans-longueur")
    assert page.status == 200 and page.size == 300 and page.title == "Coupée"
    assert site.counts["/coupee-sans-longueur"] == 1


def test_slow_server_read_in_full(crawled: Crawl, site: HostileServer) -> None:
    page = crawled.page(site.origin, "/lente")
    assert page.status == 200 and page.text == "é" * 3000
    assert page.response_time is not None and page.response_time >= 0.3


def test_unresolvable_start_url_exits_1_with_a_clear_message(tmp_path: Path) -> None:
    config = tmp_path / "client.yaml"
    config.write_text('client: "Introuvable"\nsite:\n  start_urls: ["http://nonexistent.invalid/"]\n'
                      "  timeout: 2\noutput: {dir: out}\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "audit.cli", "run", str(config), "-q"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert "nonexistent.invalid" in run.stderr and "DNS" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
