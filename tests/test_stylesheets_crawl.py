"""Linked stylesheets fetched by the real spider, once per URL, during a real crawl.

The hidden-text fixture pages (tests/fixtures/hidden/) hide most of their text through
rules in linked sheets and @imports: crawled over HTTP, each page must come out with the
same hidden blocks as when its sheets are read from disk (tests/test_visibility.py), and
each sheet must be asked for once however many pages use it.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter

import pytest
import yaml

from audit import pipeline
from audit.config import load
from audit.demo.server import SiteServer
from audit.runner import read_pages
from spiders.visibility import technique_of
from tests.conftest import FIXTURES, write_config
from tests.test_visibility import _fixture_page

pytestmark = pytest.mark.crawl

HIDDEN = FIXTURES / "hidden"


def _hidden(page) -> set[tuple[str, str]]:
    return {(technique_of(b.hidden), b.text) for b in page.text_blocks if b.hidden}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("sheets")
    site = tmp / "site"
    shutil.copytree(HIDDEN, site)
    # A page whose sheets are gone or moved: one answers 404, one redirects to a real one.
    (site / "_redirects").write_text("/css/ancienne.css /css/artisan.css 301\n")
    (site / "feuilles.html").write_text(
        '<!DOCTYPE html><html lang="fr"><head><title>Feuilles de style</title>'
        '<link rel="stylesheet" href="/css/disparue.css">'
        '<link rel="stylesheet" href="/css/ancienne.css"></head><body><main>'
        '<p class="print-only">Plombier Paris, plombier pas cher, plombier Paris urgence.</p>'
        "</main></body></html>", encoding="utf-8")
    files = [e["file"] for e in yaml.safe_load(
        (HIDDEN / "manifest.yaml").read_text(encoding="utf-8"))["fixtures"]]
    with SiteServer(site) as server:
        urls = [f"{server.origin}/{f}" for f in [*files, "feuilles.html"]]
        config = write_config(tmp / "c.yaml", urls[0], "  use_sitemaps: false\n")
        config.write_text(config.read_text().replace(
            f'start_urls: ["{urls[0]}"]', f"start_urls: {json.dumps(urls)}"))
        cfg = load(config)
        run_dir = pipeline.new_run_dir(cfg)
        summary = pipeline.crawl(config, cfg, run_dir)
        pages = {p.url.removeprefix(server.origin + "/"): p
                 for p in read_pages(run_dir / "pages.jsonl")}
        return summary, pages, files, list(server.requests)


def test_crawled_pages_see_their_linked_sheets(crawl) -> None:
    _, pages, files, _ = crawl
    differ = [f for f in files if _hidden(pages[f]) != _hidden(_fixture_page(f))]
    assert not differ, differ
    # Not vacuous: the external sheets do hide text on the spam pages.
    assert tuple(
        t for t, _ in _hidden(pages["spam/01-blanc-sur-blanc.html"])) >= ("colour = background", )


def test_each_sheet_fetched_once(crawl) -> None:
    summary, _, _, requests = crawl
    counts = Counter(r for r in requests if r.endswith(".css"))
    # The server logs paths without the query: wordpress.css is linked as two URLs (one
    # with ?ver=6.4.2); artisan.css is fetched again when ancienne.css's redirect to it
    # comes before its own download ended (a moved sheet is not awaited, to never wait
    # in a circle).
    assert counts.pop("/css/wordpress.css") == 2 and counts.pop("/css/artisan.css") <= 2
    assert len(counts) >= 5 and max(counts.values()) == 1, counts
    # Readable sheet URLs: those left in counts but disparue.css (404; ancienne.css reads
    # as artisan.css), plus artisan.css and the two wordpress.css URLs.
    assert summary["stylesheets"]["fetched"] == len(counts) - 1 + 3


def test_unreadable_sheets_named_and_redirects_followed(crawl) -> None:
    summary, pages, _, _ = crawl
    sheets = summary["stylesheets"]
    unreadable = {url.rsplit("/", 1)[-1]: why for url, why in sheets["unreadable_urls"].items()}
    assert unreadable == {"disparue.css": "HTTP 404"}
    # ancienne.css → artisan.css, whose rules still apply to the page.
    page = pages["feuilles.html"]
    assert page.stylesheets[-1].endswith("/css/ancienne.css")
    assert {t for t, _ in _hidden(page)} == {"display:none"}
