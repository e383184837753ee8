"""Cloaking check (hidden_text.check_cloaking): the real spider against local servers, one
that serves Googlebot other pages (SiteServer's bot_root) and one that does not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from audit import pipeline
from audit.config import load
from audit.demo.server import SiteServer
from audit.runner import read_pages
from spiders.items import PageItem
from spiders.render import chromium_path
from tests.conftest import write_config
from tests.rules.harness import run_rule

pytestmark = pytest.mark.crawl

HEAD = '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{t}</title></head>'
ACCUEIL = HEAD.format(t="Plomberie Martin, plombier à Paris") + """<body><main>
<h1>Plomberie Martin</h1><p>Dépannage, installation et rénovation de salles de bains dans
tout Paris, sept jours sur sept. Le devis est signé avant les travaux et le prix annoncé est
respecté. <a href="/tarifs.html">Nos tarifs</a> · <a href="/contact.html">Contact</a></p>
</main></body></html>"""
# What the cloaking server gives Googlebot for the home page: keyword stuffing and links.
ACCUEIL_BOT = HEAD.format(t="Plombier Paris pas cher, plombier Paris urgence") + """<body>
<main><h1>Plombier Paris pas cher</h1><p>Plombier Paris, plombier pas cher Paris, plombier
urgence Paris, dépannage plombier Paris, plombier Paris 11, plombier Paris 15, plombier Paris
20, meilleur plombier Paris, plombier Paris nuit et week-end, plombier Paris pas cher devis.</p>
<p><a href="/tarifs.html">Tarifs plombier Paris</a> · <a href="/contact.html">Contact</a></p>
</main></body></html>"""
TARIFS = HEAD.format(t="Tarifs – Plomberie Martin") + """<body><main><h1>Nos tarifs</h1>
<p>Déplacement offert dans Paris. Recherche de fuite : 90 euros. Remplacement d’un chauffe-eau
de 200 litres : à partir de 850 euros, pose et évacuation de l’ancien appareil comprises.</p>
<p>Tarifs valables jusqu’au {date}.</p></main></body></html>"""
CONTACT = HEAD.format(t="Contact – Plomberie Martin") + """<body><main><h1>Contact</h1>
<p>Appelez le 01 23 45 67 89, du lundi au samedi de 8 h à 19 h.</p></main></body></html>"""


def _site(root: Path, pages: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    for name, html in pages.items():
        (root / name).write_text(html, encoding="utf-8")
    return root


def _crawl(tmp: Path, site: Path, bot_root: Path | None, render: bool = False
           ) -> tuple[dict[str, PageItem], Any]:
    with SiteServer(site, bot_root=bot_root) as server:
        config = write_config(tmp / "c.yaml", server.origin + "/index.html",
                              "  use_sitemaps: false\n" + ("  render: true\n" if render else "")
                              + "hidden_text: {check_cloaking: true}\n")
        cfg = load(config)
        run_dir = pipeline.new_run_dir(cfg)
        pipeline.crawl(config, cfg, run_dir)
        pages = list(read_pages(run_dir / "pages.jsonl"))
        bot_requests = server.requests
    outcome = run_rule("cloaking", pages, tmp)
    return {p.url.rsplit("/", 1)[-1]: p for p in pages}, (outcome, bot_requests)


def test_googlebot_served_other_content_is_found(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", {"index.html": ACCUEIL, "contact.html": CONTACT,
                                     "tarifs.html": TARIFS.format(date="31 décembre")})
    # Googlebot gets a stuffed home page, and the price page with another date (a detail
    # that changes between two fetches on real sites too: under the threshold).
    bot = _site(tmp_path / "bot", {"index.html": ACCUEIL_BOT,
                                   "tarifs.html": TARIFS.format(date="30 novembre")})
    pages, (outcome, requests) = _crawl(tmp_path, site, bot)
    assert requests.count("/index.html") == 2  # the visitor's fetch and Googlebot's
    home = pages["index.html"].cloaking
    assert home["status"] == 200 and home["title"].startswith("Plombier Paris pas cher")
    assert home["only_bot"]["plombier"] >= 10 and "rénovation" in home["only_visitor"]
    assert pages["contact.html"].cloaking["only_bot_total"] == 0
    assert pages["tarifs.html"].cloaking["only_bot"] == {"30": 1, "novembre": 1}
    found = {(f.url.rsplit("/", 1)[-1], f.code) for f in outcome.findings}
    assert found == {("index.html", "cloaking")}
    finding = outcome.findings[0]
    assert "plombier ×" in finding.evidence.fr and "Seulement pour Googlebot" in finding.evidence.fr
    assert outcome.scores[pages["index.html"].url]["cloaking"] == 0
    assert outcome.scores[pages["tarifs.html"].url]["cloaking"] == 100


@pytest.mark.skipif(chromium_path() is None, reason="Chromium is not installed "
                    "(/usr/bin/chromium): apt-get install chromium")
def test_cloaking_found_in_rendered_mode_too(tmp_path: Path) -> None:
    """Both views rendered: a script that writes the same text for everybody is no
    difference; the stuffed page served to Googlebot still is."""
    script = ('<script>document.querySelector("main").insertAdjacentHTML("beforeend", '
              '"<p>Intervention garantie dans toute la capitale.</p>")</script>')
    site = _site(tmp_path / "site", {
        "index.html": ACCUEIL.replace("</body>", script + "</body>"), "contact.html": CONTACT,
        "tarifs.html": TARIFS.format(date="31 décembre")})
    bot = _site(tmp_path / "bot",
                {"index.html": ACCUEIL_BOT.replace("</body>", script + "</body>")})
    pages, (outcome, _) = _crawl(tmp_path, site, bot, render=True)
    assert all(p.rendered for p in pages.values())
    assert "toute la capitale" in pages["index.html"].text
    home = pages["index.html"].cloaking
    assert "capitale" not in home["only_bot"] and "capitale" not in home["only_visitor"]
    assert {(f.url.rsplit("/", 1)[-1], f.code) for f in outcome.findings} == {
        ("index.html", "cloaking")}


def test_same_page_for_everybody_raises_nothing(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", {"index.html": ACCUEIL, "contact.html": CONTACT,
                                     "tarifs.html": TARIFS.format(date="31 décembre")})
    pages, (outcome, requests) = _crawl(tmp_path, site, None)
    assert len(pages) == 3 and all(p.cloaking["only_bot_total"] == 0 for p in pages.values())
    assert all(p.cloaking["words"] == p.word_count for p in pages.values())
    assert requests.count("/contact.html") == 2
    assert outcome.findings == []


def test_without_the_option_no_second_request(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", {"index.html": ACCUEIL, "contact.html": CONTACT,
                                     "tarifs.html": TARIFS.format(date="31 décembre")})
    with SiteServer(site) as server:
        config = write_config(tmp_path / "c.yaml", server.origin + "/index.html",
                              "  use_sitemaps: false\n")
        cfg = load(config)
        run_dir = pipeline.new_run_dir(cfg)
        pipeline.crawl(config, cfg, run_dir)
        pages = list(read_pages(run_dir / "pages.jsonl"))
        assert server.requests.count("/index.html") == 1
    assert all(not p.cloaking for p in pages)
