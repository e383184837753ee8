"""Crawl traps: endless calendars, session ids, redirect loops, self-referencing sitemaps.

The crawl must end, within its bounds (max_pages, max_depth), fetching each page once.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.crawling import Crawl, crawl
from tests.reliability.server import HostileServer, Reply, Req, html_page

pytestmark = pytest.mark.crawl

_ids = itertools.count(1000)


def _sid() -> str:
    return f"{next(_ids):x}a9f3"  # every answer hands out fresh ids, as with cookies off


def agenda(req: Req) -> Reply:
    month = int(req.query.get("mois", "0") or 0)
    return html_page(f"Agenda du mois {month}", f"Agenda {month}",
                     [f"/agenda?mois={month + 1}", f"/agenda?mois={month - 1}"])


def session_page(req: Req) -> Reply:
    return html_page("Page de session", req.path, [
        f"/session?PHPSESSID={_sid()}", f"/autre?PHPSESSID={_sid()}&tri=prix",
        f"/j;jsessionid={_sid()}", f"/k;jsessionid={_sid()}",
        f"/s?sid={_sid()}&page=1", f"/s?page=2&sid={_sid()}"])


def redirect(to: str, status: int = 301) -> Reply:
    return Reply(status, b"", headers={"Location": to})


def sitemap_index(*children: str) -> Reply:
    body = "".join(f"<sitemap><loc>{c}</loc></sitemap>" for c in children)
    return Reply(body='<?xml version="1.0"?><sitemapindex xmlns='
                      f'"http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>',
                 content_type="application/xml")


def urlset(urls: list[str]) -> bytes:
    body = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns='
            f'"http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>').encode()


TRAP_LINKS = ["/agenda?mois=1", f"/session?PHPSESSID={_sid()}", "/boucle-a", "/soi-meme",
              "/canonique", "/connexion"]


def trap_routes(origin: list[str]) -> dict:
    o = lambda: origin[0]  # noqa: E731 - the port is known once the server is up
    return {
        "/": lambda r: html_page("Accueil", "Accueil", TRAP_LINKS),
        "/robots.txt": lambda r: Reply(body=f"Sitemap: {o()}/sitemap-index.xml\n",
                                       content_type="text/plain"),
        "/agenda": agenda,
        "/session": session_page, "/autre": session_page, "/j": session_page,
        "/k": session_page, "/s": session_page,
        "/boucle-a": lambda r: redirect("/boucle-b"),
        "/boucle-b": lambda r: redirect("/boucle-a"),
        "/soi-meme": lambda r: redirect("/soi-meme", 302),
        "/canonique": lambda r: Reply(body=f"<link rel=canonical href='{o()}/canonique'>"
                                           "<title>Canonique</title><p>Soi.</p>"),
        # Old Java servers hand out the session id by redirecting to the same page.
        "/connexion": lambda r: (redirect(f"/connexion;jsessionid={_sid()}", 302)
                                 if ";" not in r.target else html_page("Connecté", "Connexion")),
        "/sitemap-index.xml": lambda r: sitemap_index(
            f"{o()}/sitemap-index.xml", f"{o()}/sitemap-enfant.xml", f"{o()}/sitemap-pages.xml"),
        "/sitemap-enfant.xml": lambda r: sitemap_index(f"{o()}/sitemap-index.xml"),
        "/sitemap-pages.xml": lambda r: Reply(body=urlset([f"{o()}/depuis-sitemap"]),
                                              content_type="application/xml"),
        "/depuis-sitemap": lambda r: html_page("Listée", "Listée"),
    }


@pytest.fixture(scope="module")
def trap_site() -> Iterator[HostileServer]:
    origin: list[str] = []
    with HostileServer(trap_routes(origin)) as server:
        origin.append(server.origin)
        yield server


@pytest.fixture(scope="module")
def trapped(trap_site: HostileServer, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl(tmp_path_factory.mktemp("traps"), trap_site.origin + "/",
                 "  max_depth: 6\n  max_pages: 500\n  fetch_stylesheets: false\n")


def test_trap_crawl_ends_and_fetches_each_url_once(trapped: Crawl, trap_site: HostileServer
                                                   ) -> None:
    assert trapped.summary["status"] == "complete" and not trapped.summary["budget_reached"]
    counts = Counter(trap_site.requests)
    assert max(counts.values()) == 1, counts.most_common(3)
    assert len(trap_site.requests) < 40, trap_site.requests


def test_infinite_calendar_bounded_by_depth(trapped: Crawl, trap_site: HostileServer) -> None:
    months = sorted(int(t.split("=")[1]) for t in trap_site.asked("/agenda"))
    assert months == list(range(-4, 7))  # mois=1 at depth 1 … mois=6 and mois=-4 at 6
    assert max(p.depth for p in trapped.pages.values()) <= 6


def test_session_ids_fetched_once_per_page(trapped: Crawl, trap_site: HostileServer) -> None:
    paths = Counter(t.split("?")[0].split(";")[0] for t in trap_site.requests)
    assert {p: paths[p] for p in ("/session", "/autre", "/j", "/k")} == dict.fromkeys(
        ("/session", "/autre", "/j", "/k"), 1)
    assert paths["/s"] == 2  # page=1 and page=2 are two pages; their sids are not
    # The page behind a redirect that only adds a session id is still read.
    connected = [p for u, p in trapped.pages.items() if ";jsessionid=" in u and "/connexion" in u]
    assert [p.title for p in connected] == ["Connexion"]


def test_redirect_loops_recorded_and_reported(trapped: Crawl, trap_site: HostileServer) -> None:
    o = trap_site.origin
    assert trapped.page(o, "/boucle-a").redirect_to == o + "/boucle-b"
    assert trapped.page(o, "/boucle-b").redirect_to == o + "/boucle-a"
    assert trapped.page(o, "/soi-meme").redirect_to == o + "/soi-meme"
    loops = {f.related[0] for f in trapped.check() if f.code == "redirect-loop"}
    assert loops == {o + "/boucle-a", o + "/soi-meme"}


def test_self_canonical_and_sitemap_cycles(trapped: Crawl, trap_site: HostileServer) -> None:
    o = trap_site.origin
    assert trapped.page(o, "/canonique").canonical == o + "/canonique"
    for sitemap in ("/sitemap-index.xml", "/sitemap-enfant.xml", "/sitemap-pages.xml"):
        assert trap_site.counts[sitemap] == 1
    assert trapped.page(o, "/depuis-sitemap").status == 200


def test_infinite_calendar_bounded_by_page_budget(tmp_path: Path) -> None:
    with HostileServer({"/": lambda r: html_page("Accueil", "Accueil", ["/agenda?mois=1"]),
                        "/agenda": agenda}) as site:
        result = crawl(tmp_path, site.origin + "/", "  max_pages: 30\n  use_sitemaps: false\n")
        assert len(result.pages) == 30 and result.summary["budget_reached"]
        assert result.summary["status"] == "complete"
        assert len(site.asked("/agenda")) == 29


def test_huge_sitemap_bounded_by_max_pages_in_little_memory(tmp_path: Path) -> None:
    origin: list[str] = []
    body: list[bytes] = []
    routes = {
        "/": lambda r: html_page("Accueil", "Accueil"),
        "/robots.txt": lambda r: Reply(body=f"Sitemap: {origin[0]}/sitemap.xml\n",
                                       content_type="text/plain"),
        "/sitemap.xml": lambda r: Reply(body=body[0], content_type="application/xml"),
    }
    with HostileServer(routes, default=lambda r: html_page("Produit", r.path)) as site:
        origin.append(site.origin)
        body.append(urlset([f"{site.origin}/produit/{i}" for i in range(60_000)]))
        result = crawl(tmp_path, site.origin + "/", "  max_pages: 50\n")
        assert len(result.sitemap_urls()) == 60_000  # all listed, for the orphan check
        assert len(result.pages) == 50 and result.summary["budget_reached"]
        assert len(site.asked("/produit/")) == 49
    print(f"huge sitemap: peak RSS {result.peak_rss_mb():.0f} MB, {result.seconds:.1f} s")
    assert result.peak_rss_mb() < 200, result.peak_rss_mb()
    assert result.seconds < 120  # ~20 s here: 60,000 sitemap entries go through the feed
