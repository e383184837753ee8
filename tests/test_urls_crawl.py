"""URLs end to end: the real spider against fixture sites on 127.0.0.1, the real checks and
the real report.

- tests/fixtures/accents: links with spaces and accents (``href="Zoom sur stackoverflow"``,
  ``/animer-communauté/``): the link, the URL fetched and every rule's key are one string.
- tests/fixtures/alias: a staging copy whose links are absolute to its production domain
  (``http://www.client-exemple.fr/``, never resolved): without ``site.aliases`` the
  Summary says why one page was crawled; with it every page is crawled on 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from audit import pipeline
from audit.config import load
from audit.demo.server import SiteServer
from audit.report.build import build_report
from audit.rule import Finding
from audit.runner import build_rules, read_pages, run_checks
from tests.conftest import FIXTURES, write_config

pytestmark = pytest.mark.crawl

RULES = {"broken-link", "status-code", "orphan-page", "duplicate-title"}
PRODUCTION = "www.client-exemple.fr"


def _audit(tmp: Path, start_url: str, extra: str = "") -> dict[str, Any]:
    config = write_config(tmp / "client.yaml", start_url, extra)
    cfg = load(config)
    run_dir = pipeline.new_run_dir(cfg)
    pipeline.crawl(config, cfg, run_dir)
    run_checks(run_dir, cfg, [r for r in build_rules(cfg) if r.id in RULES])
    findings = [Finding.from_dict(json.loads(line)) for line in
                (run_dir / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    results = [json.loads(line) for line in
               (run_dir / "page_results.jsonl").read_text(encoding="utf-8").splitlines()]
    return {"findings": findings, "results": {r["url"]: r for r in results if "url" in r},
            "pages": {p.url: p for p in read_pages(run_dir / "pages.jsonl")},
            "sitemap": [json.loads(line)["url"] for line in
                        (run_dir / "sitemaps.jsonl").read_text(encoding="utf-8").splitlines()],
            "report": build_report(run_dir, cfg)}


# -- spaces and accents ----------------------------------------------------------------


@pytest.fixture(scope="module")
def accents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SiteServer, dict]]:
    with SiteServer(FIXTURES / "accents") as site:
        yield site, _audit(tmp_path_factory.mktemp("accents"), site.origin + "/")


def test_accented_and_spaced_urls_fetched_once_under_the_links_url(accents) -> None:
    site, run = accents
    o = site.origin
    statuses = {url.removeprefix(o): p.status for url, p in run["pages"].items()}
    assert statuses == {"/": 200, "/animer-communaut%C3%A9/": 200,
                        "/Zoom%20sur%20stackoverflow": 404}
    assert site.requests.count("/animer-communaut%C3%A9/") == 1
    home = run["pages"][o + "/"]
    assert {link.url for link in home.links} == {
        o + "/", o + "/animer-communaut%C3%A9/", o + "/Zoom%20sur%20stackoverflow"}
    assert run["sitemap"] == [o + "/", o + "/animer-communaut%C3%A9/"]


def test_broken_link_names_the_source_page_and_the_anchor(accents) -> None:
    site, run = accents
    o = site.origin
    broken = sorted((f.url, f.message.fr, f.related) for f in run["findings"]
                    if f.rule == "broken-link")
    target = o + "/Zoom%20sur%20stackoverflow"
    assert broken == [
        (o + "/", f"Lien cassé « Zoom sur Stack Overflow » vers {target} (HTTP 404).", [target]),
        (o + "/animer-communaut%C3%A9/",
         f"Lien cassé « Zoom sur Stack Overflow » vers {target} (HTTP 404).", [target]),
    ]


def test_accented_page_has_its_inlinks_and_click_depth(accents) -> None:
    site, run = accents
    page = run["results"][site.origin + "/animer-communaut%C3%A9/"]
    assert (page["inlinks"], page["depth"]) == (1, 1)  # from the home page (itself aside)
    assert run["results"][site.origin + "/Zoom%20sur%20stackoverflow"]["inlinks"] == 2
    assert not [f for f in run["findings"] if f.rule == "orphan-page"]


def test_one_broken_target_is_one_top_issue(accents) -> None:
    """The 404 and the two links to it: one row of the Summary's top issues (the links,
    which name the pages to fix), not a second one for the target's own status."""
    _, run = accents
    top = [(t.rule, t.code, t.pages) for t in run["report"].summary.top_issues]
    assert ("broken-link", "broken", 2) in top
    assert [t for t in top if t[0] == "status-code"] == []
    # The finding itself stays on the Findings sheet.
    assert [f.code for f in run["findings"] if f.rule == "status-code"] == ["client-error"]


# -- a staging copy whose links name the production domain -------------------------------


@pytest.fixture(scope="module")
def alias_site() -> Iterator[SiteServer]:
    with SiteServer(FIXTURES / "alias") as site:
        yield site


def test_without_aliases_one_page_and_a_note_naming_the_production_domain(
        alias_site: SiteServer, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING"):
        run = _audit(tmp_path, alias_site.origin + "/")
    assert list(run["pages"]) == [alias_site.origin + "/"]
    notes = [n.en for n in run["report"].summary.notes]
    hint = f"88 % of the start page's links go to {PRODUCTION}: if it is this site's " \
           "production domain, add it to site.aliases"
    assert [n for n in notes if n.startswith(hint)], notes
    french = [n.fr for n in run["report"].summary.notes]
    assert [n for n in french if n.startswith(
        f"88 % des liens de la page de départ mènent à {PRODUCTION}")], french
    assert hint in caplog.text  # said on the console during the run too


def test_with_aliases_every_page_crawled_on_the_audited_origin(alias_site: SiteServer,
                                                                tmp_path: Path) -> None:
    o = alias_site.origin
    run = _audit(tmp_path, o + "/", f"  aliases: [{PRODUCTION}]\n")
    statuses = {url.removeprefix(o): p.status for url, p in run["pages"].items()}
    assert statuses == {"/": 200, "/services/": 200, "/realisations/": 200,
                        "/contact.html": 200, "/ancienne-offre.html": 301}
    assert run["pages"][o + "/ancienne-offre.html"].redirect_to == o + "/services/"
    assert run["sitemap"] == [o + "/", o + "/services/", o + "/realisations/",
                              o + "/contact.html"]
    results = run["results"]
    # Each page links the menu (itself aside); the home page also the old offer.
    assert {url.removeprefix(o): (r["inlinks"], r["depth"]) for url, r in results.items()} == {
        "/": (3, 0), "/services/": (3, 1), "/realisations/": (3, 1), "/contact.html": (3, 1),
        "/ancienne-offre.html": (1, 1)}
    assert run["pages"][o + "/"].canonical == o + "/"
    # Canonicals name each page itself: titles compared, all different, scored.
    assert results[o + "/services/"]["scores"]["duplicate-title"] == 100
    assert not [n for n in run["report"].summary.notes if "site.aliases" in n.en]
    # The old offer's redirect is a redirects notice, not a broken link.
    assert not [f for f in run["findings"] if f.rule in ("orphan-page", "broken-link")]
