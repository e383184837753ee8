"""The real spider, in its own process, against real HTTP servers on 127.0.0.1/127.0.0.2."""

from __future__ import annotations

import json
import socket
from collections import Counter
from pathlib import Path

import pytest

from audit import pipeline
from audit.config import load
from audit.demo.server import SiteServer
from audit.runner import read_pages
from spiders.items import PageItem
from tests.conftest import write_config

pytestmark = pytest.mark.crawl


def _crawl(tmp: Path, start_url: str, extra: str = "") -> tuple[dict, dict[str, PageItem], Path]:
    config = write_config(tmp / "client.yaml", start_url, extra)
    cfg = load(config)
    run_dir = pipeline.new_run_dir(cfg)
    events: list[dict] = []
    summary = pipeline.crawl(config, cfg, run_dir, progress=events.append)
    assert events and events[-1].get("done"), "the child reports progress, then done"
    pages = {p.url: p for p in read_pages(run_dir / "pages.jsonl")}
    return summary, pages, run_dir


@pytest.fixture(scope="module")
def crawled(bakery_site: SiteServer, tmp_path_factory: pytest.TempPathFactory):
    requests_before = len(bakery_site.requests)
    summary, pages, run_dir = _crawl(tmp_path_factory.mktemp("crawl"), bakery_site.origin + "/")
    return summary, pages, run_dir, bakery_site.requests[requests_before:]


def test_every_url_recorded_with_status(crawled, bakery_site: SiteServer) -> None:
    summary, pages, _, _ = crawled
    o = bakery_site.origin
    statuses = {url.removeprefix(o): p.status for url, p in pages.items()}
    assert statuses == {
        "/": 200, "/horaires.html": 200, "/blog/levain.html": 200, "/orphelin.html": 200,
        "/blog/recette-inexistante.html": 404, "/ancienne-carte.html": 301, "/carte.html": 301,
        "/tarifs.pdf": 200, "/prive/stock.html": None,
    }
    assert summary["status"] == "complete" and summary["pages"] == len(pages)


def test_redirects_recorded_hop_by_hop(crawled, bakery_site: SiteServer) -> None:
    _, pages, _, _ = crawled
    o = bakery_site.origin
    assert pages[o + "/ancienne-carte.html"].redirect_to == o + "/carte.html"
    assert pages[o + "/carte.html"].redirect_to == o + "/horaires.html"


def test_robots_txt_obeyed_and_reported(crawled, bakery_site: SiteServer) -> None:
    _, pages, _, requests = crawled
    assert pages[bakery_site.origin + "/prive/stock.html"].error == "robots.txt"
    assert "/prive/stock.html" not in requests


def test_each_url_fetched_once_and_other_sites_never(crawled, other_site: SiteServer) -> None:
    _, pages, _, requests = crawled
    counts = Counter(requests)
    assert max(counts.values()) == 1, counts
    assert other_site.requests == []
    home = next(p for p in pages.values() if p.depth == 0)
    external = [link for link in home.links if link.url.startswith(other_site.origin)]
    assert external and not external[0].internal


def test_share_images_fetched_once_each(crawled, bakery_site: SiteServer) -> None:
    """Two pages share /four.svg, the article's image was never uploaded."""
    _, _, run_dir, requests = crawled
    images = {r["url"].removeprefix(bakery_site.origin): r for r in
              map(json.loads, (run_dir / "images.jsonl").read_text().splitlines())}
    assert set(images) == {"/four.svg", "/img/levain-absent.jpg"}
    assert (images["/four.svg"]["status"], images["/four.svg"]["content_type"]) == (
        200, "image/svg+xml")
    assert images["/img/levain-absent.jpg"]["status"] == 404
    assert requests.count("/four.svg") == 1


def test_sitemap_read_and_orphan_crawled(crawled, bakery_site: SiteServer) -> None:
    _, pages, run_dir, _ = crawled
    o = bakery_site.origin
    entries = [json.loads(line) for line in (run_dir / "sitemaps.jsonl").read_text().splitlines()]
    assert {e["url"] for e in entries} == {o + "/", o + "/horaires.html", o + "/orphelin.html"}
    assert entries[0]["lastmod"] == "2026-10-01"
    assert pages[o + "/orphelin.html"].found_on.startswith("sitemap:")


def test_html_fields_extracted(crawled, bakery_site: SiteServer) -> None:
    _, pages, _, _ = crawled
    o = bakery_site.origin
    home = pages[o + "/"]
    assert home.is_html and home.lang == "fr"
    assert home.title == "Boulangerie Martin – pains au levain à Lyon"
    assert home.meta_description.startswith("La boulangerie Martin façonne")
    assert home.canonical == o + "/"
    assert home.open_graph == {"og:title": "Boulangerie Martin", "og:image": o + "/four.svg"}
    assert home.json_ld == [{"@type": "Organization", "name": "Boulangerie Martin"}]
    assert home.stylesheets == [o + "/style.css"]
    assert home.h(1) == ["Des pains au levain cuits chaque matin"]
    assert "c’est-à-dire sans levure ajoutée" in home.text
    assert {b.region for b in home.text_blocks} >= {"nav", "main", "footer"}
    anchors = {link.text for link in home.links}
    assert {"notre ancienne carte", "Le levain", "Instagram"} <= anchors
    assert home.response_time is not None and home.size > 500
    horaires = pages[o + "/horaires.html"]
    assert horaires.title is None and horaires.h(1) == ["Horaires", "Ouverture"]
    assert [i.alt for i in horaires.images] == [None]
    pdf = pages[o + "/tarifs.pdf"]
    assert not pdf.is_html and pdf.content_type.startswith("text/plain") and pdf.links == []


def test_page_budget(bakery_site: SiteServer, tmp_path: Path) -> None:
    summary, pages, _ = _crawl(tmp_path, bakery_site.origin + "/",
                               "  max_pages: 3\n  use_sitemaps: false\n")
    assert len(pages) == 3 and summary["budget_reached"] is True


def test_unreachable_start_url_fails_clearly(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(pipeline.CrawlFailed, match=f"127.0.0.1:{port}/.*(refused|Connection)"):
        _crawl(tmp_path, f"http://127.0.0.1:{port}/", "  use_sitemaps: false\n")


def test_start_url_redirect_to_another_host_brings_it_into_scope(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body><a href='/page.html'>page</a></body></html>")
    (site / "page.html").write_text("<html><body>Bonjour</body></html>")
    with SiteServer(site, host="127.0.0.2") as www:
        other = tmp_path / "apex"
        other.mkdir()
        (other / "_redirects").write_text(f"/ {www.origin}/ 301\n")
        with SiteServer(other) as apex:
            summary, pages, _ = _crawl(tmp_path, apex.origin + "/", "  use_sitemaps: false\n")
    assert pages[www.origin + "/page.html"].status == 200
    assert "127.0.0.2" in summary["hosts"]
