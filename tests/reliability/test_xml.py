"""Hostile sitemaps: entity expansion, external entities, gzip bombs.

Sitemaps are parsed with entity expansion and network access off (Scrapy's Sitemap:
lxml iterparse, ``resolve_entities=False``), and decompressed within DOWNLOAD_MAXSIZE.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from audit import pipeline
from audit.config import load, rule_settings
from audit.rules import all_rules
from tests.reliability.crawling import Crawl, crawl
from tests.reliability.server import HostileServer, Reply, html_page

pytestmark = pytest.mark.crawl

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
EXPANDED_GB = 1


def _gzip_member(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    return c.compress(data) + c.flush()


@cache
def gzip_bomb() -> bytes:
    """About 1 MB of gzip that expands to 1 GB: 64 members of 16 MiB of spaces (gzip
    readers, Scrapy's included, read concatenated members as one stream)."""
    spaces = _gzip_member(b" " * (1 << 24))
    head = _gzip_member(f'<?xml version="1.0"?><urlset {NS}><url><loc>'.encode())
    return head + spaces * (64 * EXPANDED_GB)


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)]
    return (f'<?xml version="1.0"?><!DOCTYPE urlset [{"".join(entities)}]>'
            f"<urlset {NS}><url><loc>http://127.0.0.1/&lol9;</loc></url></urlset>").encode()


def xxe(origin: str) -> bytes:
    return (f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
            f'<!ENTITY net SYSTEM "{origin}/sonde-entite"><!ENTITY % dtd SYSTEM '
            f'"{origin}/sonde-dtd"> %dtd;]><urlset {NS}>'
            f"<url><loc>{origin}/fuite?&xxe;</loc></url><url><loc>{origin}/&net;</loc></url>"
            f"<url><loc>{origin}/apres-xxe</loc></url></urlset>").encode()


def sitemap_routes(origin: list[str]) -> dict:
    o = lambda: origin[0]  # noqa: E731 - the port is known once the server is up
    maps = ["/rires.xml", "/xxe.xml", "/bombe.xml.gz", "/bombe-encodee.xml", "/sain.xml"]
    return {
        "/": lambda r: html_page("Accueil", "Accueil"),
        "/robots.txt": lambda r: Reply(body="".join(f"Sitemap: {o()}{m}\n" for m in maps),
                                       content_type="text/plain"),
        "/rires.xml": lambda r: Reply(body=billion_laughs(), content_type="application/xml"),
        "/xxe.xml": lambda r: Reply(body=xxe(o()), content_type="application/xml"),
        "/bombe.xml.gz": lambda r: Reply(body=gzip_bomb(), content_type="application/x-gzip"),
        "/bombe-encodee.xml": lambda r: Reply(body=gzip_bomb(), content_type="application/xml",
                                              headers={"Content-Encoding": "gzip"}),
        "/sain.xml": lambda r: Reply(body=f"<urlset {NS}><url><loc>{o()}/page</loc></url>"
                                          "</urlset>".encode(), content_type="application/xml"),
        "/sonde-entite": lambda r: Reply(body="ENTITE-LUE", content_type="text/plain"),
        "/sonde-dtd": lambda r: Reply(body='<!ENTITY fuite "DTD-LUE">',
                                      content_type="application/xml-dtd"),
    }


@pytest.fixture(scope="module")
def site() -> Iterator[HostileServer]:
    origin: list[str] = []
    with HostileServer(sitemap_routes(origin),
                       default=lambda r: html_page("Page", r.path)) as server:
        origin.append(server.origin)
        gzip_bomb()  # built before the crawl's clock starts
        yield server


@pytest.fixture(scope="module")
def crawled(site: HostileServer, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl(tmp_path_factory.mktemp("xml"), site.origin + "/", "  timeout: 5\n")


def test_hostile_sitemaps_do_not_stop_the_crawl(crawled: Crawl, site: HostileServer) -> None:
    assert crawled.summary["status"] == "complete"
    assert crawled.seconds < 30
    assert crawled.page(site.origin, "/page").status == 200  # the healthy sitemap still counts
    assert crawled.page(site.origin, "/apres-xxe").status == 200


def test_no_entity_expanded_nor_external_entity_read(crawled: Crawl, site: HostileServer
                                                     ) -> None:
    urls = crawled.sitemap_urls()
    assert all(len(u) < 200 for u in urls), max(urls, key=len)[:300]
    assert not any("lollol" in u or "root:" in u or "LUE" in u for u in urls)
    pages = (crawled.run_dir / "pages.jsonl").read_text(encoding="utf-8")
    assert "root:x:" not in pages and "lollollol" not in pages
    assert site.counts["/sonde-entite"] == 0 and site.counts["/sonde-dtd"] == 0


def test_gzip_bombs_bounded(crawled: Crawl, site: HostileServer, tmp_path: Path) -> None:
    assert len(gzip_bomb()) < 2 * 1024 * 1024  # a small download...
    assert site.counts["/bombe.xml.gz"] >= 1 and site.counts["/bombe-encodee.xml"] >= 1
    # ...that never became 1 GB in the crawl process.
    assert crawled.peak_rss_mb() < 200, crawled.peak_rss_mb()
    # Stopped at DOWNLOAD_MAXSIZE, and said so in crawl.json.
    problems = {p["url"]: p["error"] for p in crawled.summary["sitemap_problems"]}
    assert set(problems) == {site.origin + "/bombe.xml.gz", site.origin + "/bombe-encodee.xml"}
    assert problems[site.origin + "/bombe.xml.gz"].startswith("bad gzip")
    assert "exceeded DOWNLOAD_MAXSIZE" in problems[site.origin + "/bombe-encodee.xml"]
    # ...and the Summary's notes tell the consultant.
    crawled.check()
    cfg = load(crawled.config)
    paths = pipeline.report(crawled.run_dir, cfg, rule_settings(cfg, all_rules()), tmp_path)
    notes = [n.fr for n in paths.data.summary.notes if n.fr.startswith("Plan de site illisible")]
    assert len(notes) == 1 and "/bombe" in notes[0] and "1 autre(s)" in notes[0], notes
