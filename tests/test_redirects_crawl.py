"""Redirects end to end: the real spider against tests/fixtures/redirects on 127.0.0.1, the
real checks.

The home page is a meta refresh to /accueil.html (only that tag leads there: the crawl must
follow it like a link), /promo.html sends visitors to /offres.html by script (nothing else
links to /offres.html), /ancien-guide.html is a 302 to /guide.html, /boucle-a.html and
/boucle-b.html redirect to each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from audit.demo.server import SiteServer
from tests.conftest import FIXTURES, crawl_and_check, write_config

pytestmark = pytest.mark.crawl

RULES = {"redirects", "broken-link", "anchor-text", "url-format"}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    with SiteServer(FIXTURES / "redirects") as site:
        tmp = tmp_path_factory.mktemp("redirects")
        done = crawl_and_check(write_config(tmp / "client.yaml", site.origin + "/"), RULES)
        pages = {url.removeprefix(site.origin): p for url, p in done.pages.items()}
        yield site.origin, {"pages": pages, "findings": done.findings}


def _found(run: dict[str, Any], origin: str) -> set[tuple[str, str, str]]:
    return {(f.rule, f.code, f.url.removeprefix(origin)) for f in run["findings"]}


def test_meta_refresh_and_script_targets_are_crawled(run) -> None:
    origin, data = run
    pages = data["pages"]
    home = pages["/"]
    assert (home.refresh_delay, home.refresh_url) == (0.0, origin + "/accueil.html")
    assert not home.links and pages["/accueil.html"].found_on == origin + "/"
    assert pages["/promo.html"].js_redirect == origin + "/offres.html"
    # Reached only through the script: crawled all the same, found on the redirecting page.
    assert pages["/offres.html"].status == 200
    assert pages["/offres.html"].found_on == origin + "/promo.html"
    assert pages["/ancien-guide.html"].status == 302
    assert pages["/boucle-a.html"].redirect_to == origin + "/boucle-b.html"


def test_links_know_their_region(run) -> None:
    _, data = run
    regions = {link.url.rsplit("/", 1)[-1]: link.region
               for link in data["pages"]["/accueil.html"].links}
    assert regions["guide.html"] == "nav"
    assert regions["promo.html"] == "main"
    assert regions["Mentions_Legales.html"] == "footer"


def test_redirect_findings(run) -> None:
    origin, data = run
    found = _found(data, origin)
    assert {
        ("redirects", "meta-refresh", "/"),
        ("redirects", "js-redirect", "/promo.html"),
        ("redirects", "temporary", "/ancien-guide.html"),
        ("redirects", "loop", "/boucle-a.html"),
        ("redirects", "link-to-redirect", "/accueil.html"),  # /promo.html, /ancien-guide.html
        ("broken-link", "redirect-loop", "/accueil.html"),
        ("anchor-text", "generic-anchor", "/accueil.html"),
        ("url-format", "uppercase", "/Mentions_Legales.html"),
        ("url-format", "underscore", "/Mentions_Legales.html"),
    } <= found
    # The loop is reported once, on the first URL crawled; the link into it is broken-link's.
    assert ("redirects", "loop", "/boucle-b.html") not in found
    links = sorted(f.related[0].removeprefix(origin) for f in data["findings"]
                   if f.code == "link-to-redirect")
    assert links == ["/ancien-guide.html", "/promo.html"]
    temporary = next(f for f in data["findings"] if f.code == "temporary")
    assert temporary.related == [origin + "/accueil.html"]  # the page linking to it


def test_the_http_address_of_an_https_site_is_asked_once(tmp_path: Path) -> None:
    """An https start URL: the crawl also asks its http:// address, never follows its links,
    and the rule says when it answers 200 instead of redirecting. (The fixture server speaks
    plain HTTP only: the https start fails, the http:// home answers 200.)"""
    with SiteServer(FIXTURES / "redirects") as site:
        https = site.origin.replace("http://", "https://") + "/"
        done = crawl_and_check(write_config(tmp_path / "client.yaml", https), {"redirects"})
        pages = done.pages
        assert pages[site.origin + "/"].status == 200
        assert set(pages) == {site.origin + "/", https}  # its refresh target not followed
        assert site.requests.count("/") == 1
        assert [(f.code, f.url) for f in done.findings if f.code == "http-not-redirected"] == [
            ("http-not-redirected", site.origin + "/")]
