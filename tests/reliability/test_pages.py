"""Broken and foreign-encoded pages: the crawl records them, never crashes, reads French right.

One crawl of a hostile site (real spider, child process, real sockets), then the check
and report stages on what it recorded.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from audit import pipeline
from audit.config import load, rule_settings
from audit.rules import all_rules
from tests.reliability.crawling import Crawl, crawl
from tests.reliability.server import HostileServer, Reply, Req

pytestmark = pytest.mark.crawl

FRENCH = "Café « crème » : l’été, c’est l’œuvre de Noël"
TITLE = "Œuvres d’été – « Noël »"
LIMIT_MB = 0.1  # site.max_page_mb of the test (the smallest the config accepts)

MALFORMED = (b"<html><head><title>Malform\xc3\xa9e</title><body><div><p>Texte <b>gras <i>"
             b"italique</div><form action=/a><form action=/b><input name=q></form>"
             b"<table><tr><td>cellule<td>seule</table>\x00\x01\x1b\xff\xfe\x80 d\xe9chets "
             b"<a href='/cible'>lien non ferm\xc3\xa9<p>suite <scr<script>ipt>x</p>"
             b"<svg><title>svg</title><p>dans svg</svg></body></html></html><html>")


def _doc(charset_meta: str = "") -> str:
    return (f"<!DOCTYPE html><html lang='fr'><head>{charset_meta}<title>{TITLE}</title>"
            f"</head><body><h1>{FRENCH}</h1><p>{FRENCH}</p></body></html>")


def _cp1252(meta: str = "", ctype: str = "text/html") -> Reply:
    return Reply(body=_doc(meta).encode("cp1252"), content_type=ctype)


def _big(req: Req) -> Reply:
    return Reply(body=b"<html><body><p>" + b"lourd " * 40_000 + b"</p></body></html>",
                 length=req.path == "/lourde")


ENCODED = {
    "/cp1252-entete": lambda r: _cp1252(ctype="text/html; charset=windows-1252"),
    "/cp1252-meta": lambda r: _cp1252("<meta charset='windows-1252'>"),
    "/latin1-http-equiv": lambda r: _cp1252(
        "<meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'>"),
    "/cp1252-sans-declaration": lambda r: _cp1252(),
    "/faux-utf8-entete": lambda r: _cp1252(ctype="text/html; charset=utf-8"),
    "/faux-utf8-meta": lambda r: _cp1252("<meta charset='utf-8'>"),
    "/bom-utf8": lambda r: Reply(body=b"\xef\xbb\xbf" + _doc().encode(), content_type="text/html"),
    "/bom-contre-entete": lambda r: Reply(body=b"\xef\xbb\xbf" + _doc().encode(),
                                          content_type="text/html; charset=iso-8859-1"),
    "/utf8": lambda r: Reply(body=_doc().encode(), content_type="text/html; charset=utf-8"),
}
ROUTES = {
    "/malforme": lambda r: Reply(body=MALFORMED),
    "/cible": lambda r: Reply(body="<title>Cible</title><p>ok</p>"),
    "/vide": lambda r: Reply(body=b""),
    "/binaire": lambda r: Reply(body=random.Random(9).randbytes(60_000)),
    "/controle": lambda r: Reply(body="<title>Titre\x07\x0b avec\x00 contrôles</title>"
                                      "<p>texte\x01\x02 sale\x1f et \udcff</p>".encode(
                                          "utf-8", "surrogateescape")),
    "/lourde": _big,  # Content-Length announced: refused before the body
    "/lourde-sans-longueur": _big,  # no length: cut while downloading
    **ENCODED,
}


@pytest.fixture(scope="module")
def site() -> Iterator[HostileServer]:
    links = "".join(f"<a href='{p}'>{p}</a>" for p in ROUTES)
    routes = {"/": lambda r: Reply(body=f"<title>Accueil</title><p>{links}</p>"), **ROUTES}
    with HostileServer(routes) as server:
        yield server


@pytest.fixture(scope="module")
def crawled(site: HostileServer, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl(tmp_path_factory.mktemp("pages"), site.origin + "/",
                 f"  use_sitemaps: false\n  obey_robots: false\n  max_page_mb: {LIMIT_MB}\n")


def test_every_hostile_page_recorded_and_crawl_complete(crawled: Crawl, site: HostileServer
                                                        ) -> None:
    assert crawled.summary["status"] == "complete"
    for path in ROUTES:
        assert site.origin + path in crawled.pages, path


def test_malformed_html_still_extracted(crawled: Crawl, site: HostileServer) -> None:
    page = crawled.page(site.origin, "/malforme")
    assert page.is_html and page.title == "Malformée"
    assert "cellule" in page.text and "italique" in page.text
    assert any(link.url == site.origin + "/cible" for link in page.links)
    assert crawled.page(site.origin, "/cible").status == 200  # its link was followed
    assert "\x00" not in page.text


def test_empty_and_binary_bodies(crawled: Crawl, site: HostileServer) -> None:
    empty = crawled.page(site.origin, "/vide")
    assert empty.status == 200 and empty.size == 0 and empty.title is None
    binary = crawled.page(site.origin, "/binaire")
    assert binary.status == 200 and binary.size == 60_000 and not binary.error


def test_pages_over_the_size_limit_are_reported_with_the_limit(crawled: Crawl,
                                                               site: HostileServer) -> None:
    findings = crawled.check()
    for path in ("/lourde", "/lourde-sans-longueur"):
        page = crawled.page(site.origin, path)
        assert page.status is None and page.error.startswith("too-large"), page.error
        [finding] = [f for f in findings if f.url == page.url and f.rule == "status-code"]
        assert finding.code == "too-large"
        assert f"{LIMIT_MB} MB" in finding.message.en and "site.max_page_mb" in finding.message.en


@pytest.mark.parametrize("path", sorted(ENCODED))
def test_french_text_decoded_right(crawled: Crawl, site: HostileServer, path: str) -> None:
    page = crawled.page(site.origin, path)
    assert page.title == TITLE
    assert page.h(1) == [FRENCH]
    assert FRENCH in [b.text for b in page.text_blocks]
    # What a browser, trusting the declaration, would show: the charset rule's input.
    assert page.charset_problem == CHARSET_PROBLEM.get(path, ""), page.charset_declared


CHARSET_PROBLEM = {"/cp1252-sans-declaration": "undeclared",
                   "/faux-utf8-entete": "contradicted", "/faux-utf8-meta": "contradicted"}


def test_check_and_report_survive_the_hostile_site(crawled: Crawl, site: HostileServer,
                                                   tmp_path: Path) -> None:
    page = crawled.page(site.origin, "/controle")
    assert page.title and "contrôles" in page.title
    crawled.check()
    cfg = load(crawled.config)
    paths = pipeline.report(crawled.run_dir, cfg, rule_settings(cfg, all_rules()), tmp_path)
    assert paths.xlsx.stat().st_size > 0 and paths.json.stat().st_size > 0
    assert paths.data.summary.rule_failures == 0
