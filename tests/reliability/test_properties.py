"""Property tests: arbitrary HTML and CSS never break extraction nor any rule.

Generated documents mix random tags (block, inline, void, table, form, svg, script),
attributes, inline styles, ``<style>`` blocks (selectors, media queries, !important,
custom properties, garbage) and text with French characters and control characters.
Extraction (parse_html + fill_page) must not raise; every rule, run through the real
runner, must not fail (a raising rule becomes a ``rule-failed`` finding), scores stay
within 0–100 and every finding carries a known rule id, a code its rule declares and a
valid severity. Example counts stay moderate: this runs in the default suite.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.config import loads, rule_settings
from audit.report.build import build_report
from audit.rule import RULE_FAILED, Finding, Severity
from audit.rules import all_rules
from audit.runner import build_rules, run_checks
from spiders.extract import fill_page, parse_html
from spiders.items import PageItem

pytestmark = pytest.mark.property

SITE = "https://www.exemple.fr/"
TAGS = ["div", "p", "span", "a", "b", "i", "em", "strong", "h1", "h2", "h3", "h6", "ul", "li",
        "ol", "table", "tr", "td", "th", "form", "input", "button", "label", "img", "br", "hr",
        "nav", "header", "footer", "main", "aside", "section", "article", "details", "summary",
        "svg", "title", "script", "style", "noscript", "template", "iframe", "select",
        "option", "textarea", "meta", "link", "html", "body", "head", "blink", "x-widget",
        "dialog", "pre", "code", "sup", "abbr", "figure", "figcaption", "center", "font"]
VOID = {"input", "img", "br", "hr", "meta", "link"}
# Letters a French page uses, typography, and what broken pages carry: control
# characters, a NUL, a lone surrogate, bidi marks, a BOM, non-characters.
ALPHABET = st.sampled_from([
    *"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèêëàâäîïôöùûüÿçœæÉÈÀÇŒÆ"
     "’'«»–—…   .,;:!?()[]{}<>&\"/\\#%@0123456789\t\n\r",
    "\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\ufeff",
    "\u200b", "\u202e", "\ufffd", "\uffff", "\U0001f600", "\udcff", "&eacute;", "&#0;",
    "&#x110000;", "&nbsp;", "]]>", "<!--", "-->", "<![CDATA["])
TEXT = st.lists(ALPHABET, max_size=40).map("".join)
WORDS = st.lists(st.sampled_from(
    ["référencement", "naturel", "l’été", "c’est-à-dire", "œuvre", "Noël", "café", "SEO",
     "audit", "aujourd’hui", "qu’il", "the", "website", "Lyon", "«", "»", "…", "123"]),
    max_size=30).map(" ".join)
COLOURS = st.sampled_from(["#fff", "#ffffff", "white", "#000", "black", "transparent", "red",
                           "rgb(255,255,255)", "rgba(0,0,0,0)", "hsl(0 0% 100%)", "inherit",
                           "currentColor", "var(--c)", "#zzz", "rgb(", "initial"])
DECLS = st.one_of(
    st.builds(lambda c: f"color:{c}", COLOURS),
    st.builds(lambda c: f"background:{c}", COLOURS),
    st.builds(lambda c: f"background-color:{c}", COLOURS),
    st.sampled_from([
        "display:none", "visibility:hidden", "font-size:0", "font-size:1px", "opacity:0",
        "position:absolute;left:-9999px", "text-indent:-9999px", "height:0;overflow:hidden",
        "clip:rect(0 0 0 0)", "clip-path:inset(50%)", "width:1px;height:1px",
        "display:block", "color:#fff !important", "--c:#fff", "transform:scale(0)",
        "line-height:0", "font:0/0 a", "z-index:-1", "position:fixed;top:-100vh",
        "display:", ":::", "color", "}", "{", "/*", "@media", "url(", "\\", "expression(x)"]),
    TEXT)
STYLE_ATTR = st.lists(DECLS, max_size=4).map(";".join)
SELECTORS = st.sampled_from([
    "*", "body", "p", ".x", "#y", "div > p", "a:hover", "p:not(.x)", ".x .y", "h1 + p",
    "li:nth-child(2n+1)", "[hidden]", "a[href^=http]", "::before", ":root", "p::first-line",
    ".sr-only", "nav ul", "..bad", "p:has(> a)", "#", "[", "p,", "*|*", ":is(.x, #y)"])
RULES_CSS = st.builds(lambda sel, decls: f"{sel}{{{decls}}}", SELECTORS, STYLE_ATTR)
STYLE_BLOCK = st.lists(st.one_of(
    RULES_CSS,
    st.builds(lambda r: f"@media screen and (min-width:1px){{{r}}}", RULES_CSS),
    st.builds(lambda r: f"@media print{{{r}}}", RULES_CSS),
    st.sampled_from(["@import url(x.css);", ":root{--c:#fff}", "@font-face{}", "@@@", "}}{{",
                     "@supports (display:grid){p{color:#fff}}", "/* unterminated"]),
    TEXT), max_size=5).map("\n".join)
ATTR_NAMES = ["class", "id", "href", "src", "alt", "rel", "lang", "role", "hidden",
              "aria-hidden", "content", "name", "property", "charset", "title", "type",
              "action", "http-equiv", "hreflang", "data-src", "tabindex", "aria-label"]
ATTR_VALUES = st.one_of(
    TEXT, st.sampled_from(["x", "y", "x y", "sr-only", "canonical", "stylesheet", "nofollow",
                           "/page", "page.html", "#top", "javascript:void(0)", "mailto:a@b.fr",
                           "tel:+33", "http://[::1", "https://www.exemple.fr/a?b=1#c", "//cdn",
                           "http://autre.fr/", "description", "robots", "noindex", "og:title",
                           "twitter:card", "fr", "en-GB", "main", "navigation", "true",
                           "application/ld+json", "text/css", "-1", "   "]))


def _attrs(draw: st.DrawFn, tag: str) -> str:
    out = []
    for name in draw(st.lists(st.sampled_from(ATTR_NAMES), max_size=4, unique=True)):
        out.append(f'{name}="{draw(ATTR_VALUES).replace(chr(34), "&quot;")}"')
    if draw(st.booleans()):
        out.append(f'style="{draw(STYLE_ATTR).replace(chr(34), "")}"')
    return "".join(" " + a for a in out)


@st.composite
def element(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = _attrs(draw, tag)
    if tag in VOID:
        return f"<{tag}{attrs}>"
    if tag == "style":
        return f"<style>{draw(STYLE_BLOCK)}</style>"
    if tag == "script":
        body = draw(st.one_of(TEXT, st.just('{"@type": "Organization", "name": "X"}')))
        return f"<script{attrs}>{body}</script>"
    children = []
    if depth < 4:
        children = draw(st.lists(st.one_of(TEXT, WORDS, element(depth + 1)), max_size=4))
    else:
        children = [draw(WORDS)]
    close = "" if draw(st.integers(0, 9)) == 0 else f"</{tag}>"  # some tags left open
    return f"<{tag}{attrs}>{''.join(children)}{close}"


@st.composite
def documents(draw: st.DrawFn) -> str:
    head = draw(st.lists(st.one_of(
        st.builds(lambda t: f"<title>{t}</title>", st.one_of(TEXT, WORDS)),
        st.builds(lambda t: f'<meta name="description" content="{t}">', WORDS),
        st.builds(lambda b: f"<style>{b}</style>", STYLE_BLOCK),
        st.just('<link rel="canonical" href="/">'),
        st.just('<meta property="og:image" content="img.png">')), max_size=4))
    body = draw(st.lists(element(), min_size=0, max_size=6))
    doctype = draw(st.sampled_from(["<!DOCTYPE html>", "", "<?xml version='1.0'?>", "\ufeff"]))
    return f"{doctype}<html lang=fr><head>{''.join(head)}</head><body>{''.join(body)}"


def _extract(html: str, url: str = SITE) -> PageItem:
    page = PageItem(url=url, status=200, content_type="text/html", is_html=True)
    root = parse_html(html)
    if root is not None:
        fill_page(page, root, lambda u: u.startswith(SITE))
    return page


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_extraction_never_raises(html: str) -> None:
    page = _extract(html)
    assert page.word_count >= 0
    assert all(b.text == b.text.strip() for b in page.text_blocks)
    json.dumps(page.to_dict(), ensure_ascii=False)  # what the feed exporter writes
    # The same document as bytes (the crawler's other path) parses too.
    root = parse_html(html.encode("utf-8", "surrogatepass"))
    if root is not None:
        fill_page(PageItem(url=SITE), root, lambda u: False)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents(), min_size=1, max_size=3), st.lists(st.sampled_from(
    [200, 200, 200, 404, 500, 301, None]), min_size=3, max_size=3))
def test_every_rule_survives_arbitrary_pages(docs: list[str], statuses: list[int | None]
                                             ) -> None:
    registry = all_rules()
    pages = []
    for i, html in enumerate(docs):
        page = _extract(html, f"{SITE}page-{i}" if i else SITE)
        page.status = statuses[i]
        if page.status is None:
            page.error = "TimeoutError: Getting took longer than 1.0 seconds."
        elif 300 <= page.status < 400:
            page.redirect_to = SITE
        pages.append(page)
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = Path(tmp)
        data = {"client": "Propriétés", "site": {"start_urls": [SITE]},
                "keywords": {"/": "référencement naturel", "/page-*": "audit SEO"}}
        cfg = loads(yaml.safe_dump(data, allow_unicode=True), run_dir / "c.yaml")
        settings_ = rule_settings(cfg, registry)
        with open(run_dir / "pages.jsonl", "w", encoding="utf-8") as fh:
            for page in pages:
                fh.write(json.dumps(page.to_dict(), ensure_ascii=False) + "\n")
        (run_dir / "crawl.json").write_text(json.dumps(
            {"status": "complete", "pages": len(pages), "seconds": 1}), encoding="utf-8")
        run_checks(run_dir, cfg, build_rules(cfg, settings_), start_urls=[SITE])
        findings = [Finding.from_dict(json.loads(line)) for line in
                    (run_dir / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
        for f in findings:
            assert f.code != RULE_FAILED, (f.rule, f.evidence)
            assert f.rule in registry, f.rule
            assert f.code in registry[f.rule].codes, (f.rule, f.code)
            assert isinstance(f.severity, Severity)
        for line in (run_dir / "page_results.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            for rule_id, score in (row.get("site") or row.get("scores") or {}).items():
                assert rule_id in registry and 0 <= score <= 100, (rule_id, score)
        report = build_report(run_dir, cfg, settings_)
        for value in report.summary.scores.values():
            assert value is None or 0 <= value <= 100
        for row in report.pages():
            assert row.score is None or 0 <= row.score <= 100
