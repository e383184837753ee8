"""One spelling of a URL (spiders/urls.py): what a link records is what Scrapy fetches."""

from __future__ import annotations

from pathlib import Path

import pytest
import scrapy

from audit.config import ConfigError, load
from spiders.extract import fill_page, parse_html
from spiders.items import PageItem
from spiders.urls import OnOrigin, normalise

ORIGIN = "http://127.0.0.1:8000"


@pytest.mark.parametrize(("written", "recorded"), [
    (ORIGIN + "/Zoom sur stackoverflow", ORIGIN + "/Zoom%20sur%20stackoverflow"),
    (ORIGIN + "/animer-communauté/", ORIGIN + "/animer-communaut%C3%A9/"),
    (ORIGIN + "/animer-communaut%C3%A9/", ORIGIN + "/animer-communaut%C3%A9/"),  # not %25C3%25A9
    (ORIGIN + "/animer-communauté/#programme", ORIGIN + "/animer-communaut%C3%A9/"),
    ("https://www.bücherstube.de/Übersicht", "https://www.xn--bcherstube-9db.de/%C3%9Cbersicht"),
    # The path's case and the query's order are kept (the claim's key ignores them).
    ("HTTP://WWW.Client.FR/Tarifs?b=2&a=1", "http://www.client.fr/Tarifs?b=2&a=1"),
    (ORIGIN, ORIGIN + "/"),
    (ORIGIN + "/recherche?q=pain de mie&tri=prix",
     ORIGIN + "/recherche?q=pain%20de%20mie&tri=prix"),
])
def test_normalise_spells_urls_as_scrapy_fetches_them(written: str, recorded: str) -> None:
    assert normalise(written) == recorded
    assert normalise(recorded) == recorded  # once is enough
    assert scrapy.Request(recorded).url == recorded  # the URL fetched is the URL recorded


def test_normalise_refuses_what_is_not_a_url() -> None:
    with pytest.raises(ValueError):
        normalise("http://127.0.0.1:port/")


def test_links_canonical_and_hreflang_recorded_as_fetched() -> None:
    html = """<html lang="fr"><head><title>Communauté</title>
      <link rel="canonical" href="/animer-communauté/">
      <link rel="alternate" hreflang="en" href="/en/grow a community/"></head>
      <body><p>Nos dossiers :
        <a href="Zoom sur stackoverflow">Zoom sur Stack Overflow</a>,
        <a href="/animer-communauté/">animer une communauté</a>,
        <a href="/animer-communaut%C3%A9/#programme">le programme</a>.</p></body></html>"""
    page = PageItem(url=ORIGIN + "/dossiers/")
    root = parse_html(html)
    assert root is not None
    fill_page(page, root, lambda u: u.startswith(ORIGIN))
    assert [link.url for link in page.links] == [
        ORIGIN + "/dossiers/Zoom%20sur%20stackoverflow", ORIGIN + "/animer-communaut%C3%A9/",
        ORIGIN + "/animer-communaut%C3%A9/"]
    assert page.canonical == ORIGIN + "/animer-communaut%C3%A9/"
    assert page.hreflang == [{"lang": "en", "href": ORIGIN + "/en/grow%20a%20community/",
                              "source": "link"}]


def test_aliases_move_urls_onto_the_audited_origin() -> None:
    on_site = OnOrigin(["www.client-exemple.fr", "Bücher.de"], ORIGIN + "/")
    assert on_site("https://www.client-exemple.fr/services/?ville=lyon") == \
        ORIGIN + "/services/?ville=lyon"
    assert on_site("http://xn--bcher-kva.de/") == ORIGIN + "/"
    assert on_site("https://www.autre-site.fr/") == "https://www.autre-site.fr/"
    html = """<html><body><a href="https://www.client-exemple.fr/nos-réalisations/">Nos
      réalisations</a> <a href="https://www.autre-site.fr/">un partenaire</a></body></html>"""
    page = PageItem(url=ORIGIN + "/")
    root = parse_html(html)
    assert root is not None
    fill_page(page, root, lambda u: u.startswith(ORIGIN), on_site=on_site)
    assert [(link.url, link.internal) for link in page.links] == [
        (ORIGIN + "/nos-r%C3%A9alisations/", True), ("https://www.autre-site.fr/", False)]


def _config(tmp_path: Path, aliases: str) -> Path:
    path = tmp_path / "client.yaml"
    path.write_text('client: "Client exemple"\nsite:\n'
                    '  start_urls: ["http://127.0.0.1:8000/Accueil é"]\n'
                    f"  aliases:\n{aliases}", encoding="utf-8")
    return path


def test_config_normalises_start_urls_and_aliases(tmp_path: Path) -> None:
    cfg = load(_config(tmp_path, "    - WWW.Client-Exemple.fr\n    - bücher.de\n"))
    assert cfg.site.start_urls == ["http://127.0.0.1:8000/Accueil%20%C3%A9"]
    assert cfg.site.aliases == ["www.client-exemple.fr", "xn--bcher-kva.de"]


@pytest.mark.parametrize(("aliases", "line", "why"), [
    ("    - www.client-exemple.fr\n    - https://www.client-exemple.fr/\n", 6, "host name"),
    ("    - 127.0.0.1\n", 5, "the audited site itself"),
    ("    - www.client.fr:443\n", 5, "host name"),
])
def test_config_refuses_bad_aliases_with_file_line_and_key(tmp_path: Path, aliases: str,
                                                           line: int, why: str) -> None:
    path = _config(tmp_path, aliases)
    with pytest.raises(ConfigError) as caught:
        load(path)
    error = caught.value
    assert (error.line, why in error.message) == (line, True), str(error)
    assert error.key.startswith("site.aliases[") and str(path) in str(error)
