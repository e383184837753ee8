"""The https and page-experience rules on a real crawl: the spider reads a page served over
https (the test server's TLS listener, a throw-away certificate) that loads its scripts,
stylesheet, iframe, video, font, image and form over http, and a page the server holds
back; the check then reports mixed content and http links, and the crawl records the
held-back page's time to first byte."""

from __future__ import annotations

import json

import pytest

from audit import pipeline
from audit.config import load, rule_settings
from audit.demo.server import SiteServer
from audit.rules import all_rules
from audit.runner import read_pages
from tests.conftest import write_config

pytestmark = pytest.mark.crawl

PAGES = {
    "index.html": """<!DOCTYPE html><html lang="fr"><head><title>Boulangerie Martin</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<h1>Boulangerie Martin</h1>
<a href="{{https_origin}}/espace-client.html">Votre espace client</a>
<a href="/commande-lente.html">Commander</a></body></html>""",
    "espace-client.html": """<!DOCTYPE html><html lang="fr"><head><title>Espace client</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{{origin}}/style.css">
<script src="{{origin}}/js/panier.js"></script>
<script src="/js/securise.js"></script>
<style>@font-face { font-family: Pain; src: url("{{origin}}/polices/pain.woff2"); }</style>
</head><body><h1>Espace client</h1>
<iframe src="http://www.youtube.com/embed/fournil" title="Le fournil"></iframe>
<video poster="{{origin}}/img/affiche.jpg"><source src="{{origin}}/video/fournil.mp4"></video>
<img src="{{origin}}/img/pains.png" alt="Nos pains">
<noscript><iframe src="{{origin}}/ns.html"></iframe></noscript>
<form action="{{origin}}/commande" method="post"><input type="email" name="courriel">
<button>Commander</button></form>
<a href="{{origin}}/">Accueil</a></body></html>""",
    "commande-lente.html": """<!DOCTYPE html><html lang="fr"><head><title>Commander</title>
</head><body><h1>Commander du pain</h1><p>Le serveur met du temps.</p></body></html>""",
    "style.css": "body { color: #222; }",
}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("https")
    site = tmp / "site"
    site.mkdir()
    for name, text in PAGES.items():
        (site / name).write_text(text, encoding="utf-8")
    (site / "_delays").write_text("/commande-lente.html 0.9\n", encoding="utf-8")
    with SiteServer(site, tls=True) as server:
        config = write_config(tmp / "c.yaml", server.origin + "/", "  use_sitemaps: false\n")
        cfg = load(config)
        run_dir = pipeline.new_run_dir(cfg)
        pipeline.crawl(config, cfg, run_dir)
        pipeline.check(run_dir, cfg, rule_settings(cfg, all_rules()))
        pages = {p.url: p for p in read_pages(run_dir / "pages.jsonl")}
        findings = [json.loads(line) for line in
                    (run_dir / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
        check = json.loads((run_dir / "check.json").read_text(encoding="utf-8"))
        return server.origin, server.https_origin, pages, findings, check


def test_the_https_page_resources_are_extracted(crawl) -> None:
    origin, https_origin, pages, _, _ = crawl
    page = pages[f"{https_origin}/espace-client.html"]
    assert page.status == 200 and page.is_html
    assert page.scripts == [f"{origin}/js/panier.js", f"{https_origin}/js/securise.js"]
    assert page.stylesheets == [f"{origin}/style.css"]
    assert page.iframes == ["http://www.youtube.com/embed/fournil"]
    assert page.media == [f"{origin}/img/affiche.jpg", f"{origin}/video/fournil.mp4"]
    assert page.fonts == [f"{origin}/polices/pain.woff2"]
    assert [i.src for i in page.images] == [f"{origin}/img/pains.png"]  # <noscript>: none


def test_mixed_content_and_http_links_reported_on_the_https_page(crawl) -> None:
    origin, https_origin, _, findings, check = crawl
    on_page = {f["code"]: f for f in findings if f["rule"] == "https"}
    assert set(on_page) == {"mixed-active", "mixed-passive", "insecure-form", "http-link"}
    assert {f["url"] for f in on_page.values()} == {f"{https_origin}/espace-client.html"}
    assert set(on_page["mixed-active"]["related"]) == {
        f"{origin}/js/panier.js", f"{origin}/style.css", "http://www.youtube.com/embed/fournil",
        f"{origin}/polices/pain.woff2"}
    assert set(on_page["mixed-passive"]["related"]) == {
        f"{origin}/img/pains.png", f"{origin}/img/affiche.jpg", f"{origin}/video/fournil.mp4"}
    assert on_page["http-link"]["related"] == [f"{origin}/"]
    # the local copy: HTTPS itself is a limit of the audit, said once
    keys = {(lim["rule"], lim["key"]) for lim in check["limits"]}
    assert ("https", "local-copy") in keys and ("page-experience", "local-timing") in keys


def test_response_time_is_the_first_byte_and_a_local_copy_is_not_timed(crawl) -> None:
    """The server holds the page back before its headers: the crawl's response_time (the
    time to first byte) shows it. On a local copy times are the audit machine's: the rule
    judges the viewport, not the time, and says so once."""
    origin, _, pages, findings, check = crawl
    slow = pages[f"{origin}/commande-lente.html"]
    assert slow.response_time is not None and slow.response_time >= 0.9
    assert pages[f"{origin}/"].response_time < 0.5
    codes = {(f["url"], f["code"]) for f in findings if f["rule"] == "page-experience"}
    assert codes == {(f"{origin}/commande-lente.html", "no-viewport")}
    timing = [lim for lim in check["limits"] if lim["key"] == "local-timing"]
    assert timing and timing[0]["pages"] == 3


def test_pages_of_schema_1_still_load() -> None:
    """Pages files of schema 1 (no scripts, iframes, media, fonts) still load."""
    from spiders.items import page_from_dict

    page = page_from_dict({"url": "https://www.exemple.fr/", "schema_version": 1,
                           "stylesheets": ["http://www.exemple.fr/a.css"]})
    assert page.scripts == [] and page.fonts == [] and page.stylesheets
