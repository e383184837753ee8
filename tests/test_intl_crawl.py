"""Languages and structured data end to end: the real spider against tests/fixtures/intl on
127.0.0.1, then the hreflang, html-lang, structured-data and social-profiles checks.

The fixture declares hreflang three ways (``<link>`` tags, the sitemap's ``xhtml:link``,
an HTTP ``Link:`` header on a PDF, sent through the server's ``_headers``), one broken
JSON-LD block next to a valid one, microdata and RDFa items, and ``xml:lang`` only on the
English page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from audit.demo.server import SiteServer
from tests.conftest import FIXTURES, crawl_and_check, write_config

pytestmark = pytest.mark.crawl

RULES = {"hreflang", "html-lang", "structured-data", "social-profiles"}


@pytest.fixture(scope="module")
def intl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    with SiteServer(FIXTURES / "intl") as site:
        tmp = tmp_path_factory.mktemp("intl")
        done = crawl_and_check(write_config(tmp / "client.yaml", site.origin + "/"), RULES)
        run_dir, findings = done.run_dir, done.findings
        results = [json.loads(line) for line in
                   (run_dir / "page_results.jsonl").read_text(encoding="utf-8").splitlines()]
        yield site.origin, {
            "pages": done.pages,
            "sitemap": [json.loads(line) for line in
                        (run_dir / "sitemaps.jsonl").read_text(encoding="utf-8").splitlines()],
            "findings": findings,
            "data": {r["url"]: r.get("data", {}) for r in results if "url" in r}}


def test_hreflang_read_from_tags_header_and_sitemap(intl) -> None:
    o, run = intl
    fr = run["pages"][o + "/fr/"]
    assert fr.hreflang == [
        {"lang": "fr-fr", "href": o + "/fr/", "source": "link"},
        {"lang": "en-UK", "href": o + "/en/", "source": "link"},
        {"lang": "x-default", "href": o + "/", "source": "link"}]
    pdf = run["pages"][o + "/tarifs.pdf"]
    assert not pdf.is_html and pdf.hreflang == [
        {"lang": "fr", "href": o + "/fr/", "source": "header"},
        {"lang": "en-UK", "href": o + "/en/prices.pdf", "source": "header"}]
    entry = next(e for e in run["sitemap"] if e["url"] == o + "/fr/")
    assert entry["alternates"] == [{"lang": "fr", "href": o + "/fr/"},
                                   {"lang": "en", "href": o + "/en/"}]


def test_html_lang_as_written(intl) -> None:
    o, run = intl
    assert run["pages"][o + "/fr/"].html_lang == "fr-FR"
    assert run["pages"][o + "/en/"].html_lang == "en"  # xml:lang
    assert run["pages"][o + "/"].html_lang is None


def test_structured_data_every_syntax_and_the_broken_block(intl) -> None:
    o, run = intl
    fr = run["pages"][o + "/fr/"]
    assert [b["@type"] for b in fr.json_ld] == ["LocalBusiness"]
    (error,) = fr.json_ld_errors
    assert error["block"] == 2 and error["line"] == 10 and "line 2" in error["error"]
    assert fr.microdata == [{"@type": "BreadcrumbList", "itemListElement": {
        "@type": "ListItem", "name": "Accueil", "position": "1"}}]
    assert fr.rdfa == [{"@type": "Product", "name": "Suspension Opale",
                        "offers": {"@type": "Offer", "price": "240", "priceCurrency": "EUR"}}]


def test_checks_on_the_crawled_site(intl) -> None:
    o, run = intl
    got = {(f.rule, f.code, f.url.removeprefix(o)) for f in run["findings"]}
    assert {("hreflang", "invalid-code", "/fr/"),  # en-UK
            ("hreflang", "no-return", "/fr/"),  # /en/ names no French version
            ("html-lang", "missing", "/"),
            ("structured-data", "json-ld-syntax", "/fr/"),
            ("structured-data", "missing-required", "/fr/"),  # LocalBusiness: address
            } <= got, got
    assert run["data"][o + "/fr/"]["hreflang"] == "fr-fr, en-UK, x-default, fr, en"
    assert run["data"][o + "/fr/"]["structured_data"] == \
        "LocalBusiness, BreadcrumbList, Product"
    # The LocalBusiness's sameAs is the site's Instagram profile: one network found.
    social = [f for f in run["findings"] if f.rule == "social-profiles"]
    assert [f.message.en for f in social] == [
        "Present on a single social network (Instagram): at least 2 advised, with regular "
        "posts."]
