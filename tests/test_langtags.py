"""Language tags (audit/langtags.py) and the Link-header / sitemap readers of hreflang."""

from __future__ import annotations

import pytest

from audit.langtags import hreflang_problem, lang_problem, primary
from spiders.extract import header_hreflang, link_header, sitemap_alternates


@pytest.mark.parametrize(("value", "expected"), [
    ("fr", ("", "")), ("fr-FR", ("", "")), ("fr-fr", ("", "")), ("X-Default", ("", "")),
    ("zh-Hant-TW", ("", "")), ("be", ("", "")),  # Belarusian, not Belgium
    ("en-UK", ("unknown-region", "en-GB")), ("fr_FR", ("underscore", "fr-FR")),
    ("fra", ("three-letters", "fr")), ("french", ("language-name", "fr")),
    ("BE", ("", "")), ("FR", ("", "")),  # two letters are a language first (be, fr)
    ("US", ("region-only", "")), ("es-419", ("unknown-region", "")), ("", ("empty", "")),
])
def test_hreflang_codes(value: str, expected: tuple[str, str]) -> None:
    assert hreflang_problem(value) == expected


def test_html_lang_takes_any_bcp47_tag() -> None:
    assert lang_problem("fr-FR") == lang_problem("oci") == lang_problem("sr-Latn-RS") == ""
    assert lang_problem("fr_FR") == "underscore" and lang_problem("en-UK") == "unknown-region"
    assert primary("fr_FR") == primary("FR-be") == "fr"


def test_link_header_hreflang() -> None:
    value = ('<https://ex.fr/en/>; rel="alternate"; hreflang="en", '
             '</de/>; rel=alternate; hreflang=de, <https://ex.fr/>; rel="canonical"')
    assert link_header([value])[2] == ("https://ex.fr/", {"rel": "canonical"})
    assert header_hreflang([value], "https://ex.fr/page") == [
        {"lang": "en", "href": "https://ex.fr/en/", "source": "header"},
        {"lang": "de", "href": "https://ex.fr/de/", "source": "header"}]


def test_sitemap_alternates() -> None:
    body = b"""<?xml version="1.0"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
            xmlns:xhtml="http://www.w3.org/1999/xhtml">
      <url><loc>https://ex.fr/fr/</loc>
        <xhtml:link rel="alternate" hreflang="fr" href="https://ex.fr/fr/"/>
        <xhtml:link rel="alternate" hreflang="en" href="https://ex.fr/en/"/></url>
      <url><loc>https://ex.fr/contact</loc></url>
    </urlset>"""
    assert sitemap_alternates(body) == {"https://ex.fr/fr/": [
        {"lang": "fr", "href": "https://ex.fr/fr/"}, {"lang": "en", "href": "https://ex.fr/en/"}]}
    assert sitemap_alternates(b"<urlset><url><loc>x</loc></url></urlset>") == {}
