"""Duplicate content end to end: the real spider against real servers, then the real checks.

The client site (tests/fixtures/duplicates, on 127.0.0.1) puts every page on one template
written with plain <div>s; its planted duplicates are listed in its README.md. The
competitor (tests/fixtures/duplicates-competitor, on 127.0.0.2) copied one article, and
has another copy under a folder its robots.txt disallows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from audit import pipeline
from audit.config import load
from audit.demo.server import SiteServer
from audit.rule import Finding
from audit.runner import build_rules, read_pages, run_checks
from tests.conftest import FIXTURES, write_config

pytestmark = pytest.mark.crawl

DUPLICATE_RULES = {"duplicate-content", "duplicate-title", "duplicate-meta-description",
                   "external-duplicate"}


@pytest.fixture(scope="module")
def competitor() -> Iterator[SiteServer]:
    with SiteServer(FIXTURES / "duplicates-competitor", host="127.0.0.2") as server:
        yield server


@pytest.fixture(scope="module")
def client_site() -> Iterator[SiteServer]:
    with SiteServer(FIXTURES / "duplicates") as server:
        yield server


def _run(tmp: Path, site: SiteServer, compare_with: list[str], compare_sitemaps: list[str],
         site_extra: str = "", duplicates_extra: str = "") -> dict:
    config = write_config(tmp / "client.yaml", site.origin + "/",
                          f"{site_extra}duplicates:\n"
                          f"  compare_with: {json.dumps(compare_with)}\n"
                          f"  compare_sitemaps: {json.dumps(compare_sitemaps)}\n"
                          f"  external_delay: 0\n{duplicates_extra}")
    cfg = load(config)
    run_dir = pipeline.new_run_dir(cfg)
    pipeline.crawl(config, cfg, run_dir)
    rules = [r for r in build_rules(cfg) if r.id in DUPLICATE_RULES]
    run_checks(run_dir, cfg, rules)
    findings = [Finding.from_dict(json.loads(line)) for line in
                (run_dir / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    results = [json.loads(line) for line in
               (run_dir / "page_results.jsonl").read_text(encoding="utf-8").splitlines()]
    return {"findings": findings, "results": {r["url"]: r for r in results if "url" in r},
            "pages": {p.url: p for p in read_pages(run_dir / "pages.jsonl")},
            "external": {p.url: p for p in read_pages(run_dir / "external.jsonl")},
            "run_dir": run_dir}


@pytest.fixture(scope="module")
def audited(client_site: SiteServer, competitor: SiteServer,
            tmp_path_factory: pytest.TempPathFactory) -> dict:
    before = len(competitor.requests)
    c = competitor.origin
    out = _run(tmp_path_factory.mktemp("dup"), client_site, [c + "/blog/croissants.html"],
               [c + "/sitemap.xml"])
    out["competitor_requests"] = competitor.requests[before:]
    return out


def _paths(findings: list[Finding], rule: str, origin: str) -> set[tuple[str, str, tuple]]:
    return {(f.url.removeprefix(origin), f.code, tuple(u.removeprefix(origin) for u in f.related))
            for f in findings if f.rule == rule}


def test_internal_duplicates_found_and_nothing_else(audited: dict,
                                                    client_site: SiteServer) -> None:
    """Exact, near and canonical-handled duplicates are found; the eight distinct articles,
    which share a large template (menu, sidebar, footer in plain <div>s), pair with nothing."""
    o = client_site.origin
    assert _paths(audited["findings"], "duplicate-content", o) == {
        ("/recettes/pain-au-levain.html", "exact-duplicate",
         ("/anciennes-recettes/pain-au-levain.html",)),
        ("/recettes/brioche.html", "near-duplicate", ("/recettes/brioche-aux-quatre-brins.html",)),
        ("/imprimer/galette-des-rois.html", "handled", ("/recettes/galette-des-rois.html",)),
    }
    results = audited["results"]
    paired = {url.removeprefix(o) for url, r in results.items()
              if r.get("data", {}).get("near_duplicates")}
    assert paired == {"/recettes/pain-au-levain.html", "/anciennes-recettes/pain-au-levain.html",
                      "/recettes/brioche.html", "/recettes/brioche-aux-quatre-brins.html",
                      "/recettes/galette-des-rois.html", "/imprimer/galette-des-rois.html"}
    near = results[o + "/recettes/brioche-aux-quatre-brins.html"]
    assert near["scores"]["duplicate-content"] == 50
    assert near["data"]["closest_match"]["en"].startswith(o + "/recettes/brioche.html (9")
    assert results[o + "/anciennes-recettes/pain-au-levain.html"]["scores"][
        "duplicate-content"] == 0
    assert results[o + "/imprimer/galette-des-rois.html"]["scores"]["duplicate-content"] == 100
    # Too short to compare: not scored.
    assert "duplicate-content" not in results[o + "/contact.html"]["scores"]
    assert results[o + "/recettes/macarons.html"]["scores"]["duplicate-content"] == 100


def test_duplicate_titles(audited: dict, client_site: SiteServer) -> None:
    o = client_site.origin
    # The printable galette shares its title too, but its canonical sends engines elsewhere.
    assert _paths(audited["findings"], "duplicate-title", o) == {
        ("/recettes/pain-au-levain.html", "duplicate",
         ("/anciennes-recettes/pain-au-levain.html",))}
    assert not [f for f in audited["findings"] if f.rule == "duplicate-meta-description"]


def test_copy_on_the_competitor_site(audited: dict, client_site: SiteServer,
                                     competitor: SiteServer) -> None:
    o, c = client_site.origin, competitor.origin
    copies = [f for f in audited["findings"] if f.rule == "external-duplicate"]
    assert [(f.url, f.code, f.related) for f in copies] == [
        (o + "/recettes/croissants.html", "exact-copy", [c + "/blog/croissants.html"])]
    assert c + "/blog/croissants.html" in copies[0].message.fr
    scores = audited["results"]
    assert scores[o + "/recettes/croissants.html"]["scores"]["external-duplicate"] == 0
    assert scores[o + "/recettes/brioche.html"]["scores"]["external-duplicate"] == 100


def test_external_pages_fetched_politely(audited: dict, competitor: SiteServer) -> None:
    c = competitor.origin
    external = audited["external"]
    assert set(external) == {c + "/blog/croissants.html", c + "/", c + "/blog/pain-complet.html",
                             c + "/brouillons/copie.html"}
    # robots.txt first, the disallowed copy never requested, links never followed,
    # nothing fetched twice.
    requests = audited["competitor_requests"]
    assert requests[0] == "/robots.txt"
    assert "/brouillons/copie.html" not in requests
    assert external[c + "/brouillons/copie.html"].error == "robots.txt"
    assert "/blog/lien-jamais-suivi.html" not in requests
    assert len(requests) == len(set(requests))
    # External pages are not pages of the site, and are not counted as such.
    assert not [url for url in audited["pages"] if url.startswith(c)]
    crawl = json.loads((audited["run_dir"] / "crawl.json").read_text())
    assert crawl["pages"] == len(audited["pages"]) and crawl["external_pages"] == 4


def test_budget_and_other_sites_robots_when_the_client_ignores_its_own(
        competitor: SiteServer, tmp_path: Path) -> None:
    """``obey_robots: false`` concerns the client's site only: another site's robots.txt
    is still obeyed. External pages stop at max_external_pages, compare_with URLs first."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body><a href='/prive.html'>privé</a></body></html>")
    (site / "prive.html").write_text("<html><body><p>Réservé.</p></body></html>")
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /prive.html\n")
    c = competitor.origin
    before = len(competitor.requests)
    with SiteServer(site) as server:
        out = _run(tmp_path, server, [c + "/brouillons/copie.html", c + "/blog/croissants.html"],
                   [c + "/sitemap.xml"], site_extra="  obey_robots: false\n",
                   duplicates_extra="  max_external_pages: 2\n")
    assert out["pages"][server.origin + "/prive.html"].status == 200
    assert set(out["external"]) == {c + "/brouillons/copie.html", c + "/blog/croissants.html"}
    assert out["external"][c + "/brouillons/copie.html"].error == "robots.txt"
    requests = competitor.requests[before:]
    assert "/brouillons/copie.html" not in requests and "/blog/pain-complet.html" not in requests


def test_other_site_on_the_same_host_another_port(tmp_path: Path) -> None:
    """Where 127.0.0.2 is not available the demo serves its competitor on 127.0.0.1 on
    another port: the same host, another site, still compared as external."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html><body><p>Accueil.</p></body></html>")
    with SiteServer(site) as server, SiteServer(FIXTURES / "duplicates-competitor") as rival:
        out = _run(tmp_path, server, [rival.origin + "/blog/croissants.html",
                                      server.origin + "/"], [])
    assert set(out["external"]) == {rival.origin + "/blog/croissants.html"}
    assert out["external"][rival.origin + "/blog/croissants.html"].status == 200
    assert set(out["pages"]) == {server.origin + "/"}
