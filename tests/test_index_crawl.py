"""Indexability, canonicals and sitemaps end to end: the real spider against
tests/fixtures/technique (and tests/fixtures/accents) on 127.0.0.1, then the real rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from audit.demo.server import SiteServer
from audit.indexability import indexability
from audit.runner import read_sitemap_entries
from tests.conftest import FIXTURES, crawl_and_check, write_config

pytestmark = pytest.mark.crawl

RULES = {"indexability", "canonical", "sitemaps"}


def _audit(tmp: Path, start_url: str, extra: str = "") -> dict[str, Any]:
    done = crawl_and_check(write_config(tmp / "client.yaml", start_url, extra), RULES)
    return {"findings": {(f.rule, f.code, f.url.rsplit("/", 1)[-1]) for f in done.findings},
            "pages": done.pages,
            "entries": list(read_sitemap_entries(done.run_dir / "sitemaps.jsonl"))}


@pytest.fixture(scope="module")
def technique(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict]]:
    with SiteServer(FIXTURES / "technique") as site:
        yield site.origin, _audit(tmp_path_factory.mktemp("technique"), site.origin + "/",
                                  "  sitemaps: [/plans/extra.xml]\n")


def test_robots_directives_from_meta_and_every_header(technique) -> None:
    origin, run = technique
    bot = run["pages"][origin + "/bot.html"]
    assert bot.meta_googlebot == "noindex" and bot.meta_robots == "index, follow"
    assert bot.x_robots_tag.splitlines() == ["googlebot: nofollow", "otherbot: noindex"]
    assert indexability(bot).reason == "noindex" and indexability(bot).detail == "meta googlebot"
    assert ("indexability", "nofollow-page", "bot.html") in run["findings"]


def test_every_canonical_tag_and_the_link_header(technique) -> None:
    origin, run = technique
    double = run["pages"][origin + "/double.html"]
    assert double.canonicals == [origin + "/double.html", origin + "/"]
    assert double.canonical_hrefs == ["/double.html", origin + "/"]
    header = run["pages"][origin + "/entete.html"]
    assert header.canonical_header == header.canonical == origin + "/entete.html"
    pdf = run["pages"][origin + "/guide.pdf"]
    assert not pdf.is_html and pdf.canonical == pdf.canonical_header == origin + "/"
    assert pdf.x_robots_tag == "noindex" and indexability(pdf).reason == "noindex"
    found = run["findings"]
    assert {("canonical", "multiple", "double.html"),
            ("canonical", "relative", "double.html")} <= found
    assert not {f for f in found if f[0] == "canonical" and f[2] == "entete.html"}


def test_sitemaps_found_through_robots_index_and_config(technique) -> None:
    origin, run = technique
    via = {e.url.removeprefix(origin): e.via for e in run["entries"]}
    assert via == {"/": "robots.txt", "/bot.html": "robots.txt",
                   "/prive/page.html": "robots.txt", "/guide.pdf": "robots.txt",
                   "/double.html": "config"}
    found = run["findings"]
    assert {("sitemaps", "noindex", "bot.html"), ("sitemaps", "blocked", "page.html"),
            ("sitemaps", "noindex", "guide.pdf"), ("sitemaps", "lastmod-future", "extra.xml"),
            ("sitemaps", "not-in-robots", "robots.txt"),
            ("sitemaps", "missing", "entete.html")} <= found
    assert ("sitemaps", "missing", "double.html") not in found  # conflicting: listed anyway


def test_a_sitemap_guessed_at_its_usual_place(tmp_path: Path) -> None:
    """No robots.txt: /sitemap.xml is read; on this machine (a copy, perhaps, whose
    production has a robots.txt) its absence is not held against the site."""
    with SiteServer(FIXTURES / "accents") as site:
        run = _audit(tmp_path, site.origin + "/")
    assert run["entries"] and {e.via for e in run["entries"]} == {"no-robots"}
    assert ("sitemaps", "not-in-robots", "robots.txt") not in run["findings"]
