"""The visibility engine (spiders/css.py, spiders/visibility.py) and the hidden-text fixtures.

- the cascade: specificity, source order, !important, style="", inheritance, media queries,
  custom properties, selectors a static page cannot match;
- values: colours in every syntax, WCAG contrast, lengths;
- text blocks and links: hidden text kept apart, out of the word count;
- tests/fixtures/hidden/: every spam page caught, no honest page warned (precision and
  recall printed, recorded in docs/hidden-text.md);
- speed: a class-heavy page with a Bootstrap-sized stylesheet (printed, loosely bounded).
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import tinycss2
import yaml

from audit.text.content import content_blocks
from spiders import css
from spiders.extract import fill_page, parse_html, stylesheets_to_fetch, text_blocks
from spiders.items import PageItem
from spiders.visibility import PageStyles, recognise, split_link_hidden, technique_of
from tests.rules.harness import SITE, run_rule

FIXTURES = Path(__file__).parent / "fixtures" / "hidden"
URL = SITE + "page.html"


def _page(html: str, sheets: dict[str, str] | None = None, url: str = URL) -> PageItem:
    page = PageItem(url=url, status=200, is_html=True)
    root = parse_html(html)
    assert root is not None
    fill_page(page, root, lambda u: u.startswith(SITE), sheets)
    return page


def _hidden(page: PageItem) -> dict[str, tuple[str, str]]:
    """Hidden text → (technique, context)."""
    return {b.text: (technique_of(b.hidden), b.hidden_context)
            for b in page.text_blocks if b.hidden}


def _visible(page: PageItem) -> list[str]:
    return [b.text for b in page.text_blocks if not b.hidden]


def _doc(style: str, body: str) -> str:
    return f"<html><head><style>{style}</style></head><body>{body}</body></html>"


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "rgba"), [
    ("#fff", (1, 1, 1, 1)), ("#ffffff", (1, 1, 1, 1)), ("#FFF", (1, 1, 1, 1)),
    ("#00000080", (0, 0, 0, 128 / 255)), ("rgb(255, 255, 255)", (1, 1, 1, 1)),
    ("rgba(0,0,0,.5)", (0, 0, 0, 0.5)), ("rgb(255 255 255 / 50%)", (1, 1, 1, 0.5)),
    ("white", (1, 1, 1, 1)), ("black", (0, 0, 0, 1)), ("transparent", (0, 0, 0, 0)),
    ("hsl(0 0% 100%)", (1, 1, 1, 1)), ("hsla(0, 0%, 0%, 1)", (0, 0, 0, 1)),
    ("oklch(100% 0 0)", (1, 1, 1, 1)), ("RebeccaPurple", (102 / 255, 51 / 255, 153 / 255, 1)),
])
def test_colours_in_every_syntax(text: str, rgba: tuple[float, ...]) -> None:
    got = css.color(tinycss2.parse_component_value_list(text))
    assert isinstance(got, tuple)
    assert got == pytest.approx(rgba, abs=0.01)


def test_colours_we_cannot_read_are_unknown() -> None:
    for text in ("color-mix(in srgb, red, blue)", "var(--x)", "12px", "red blue"):
        assert css.color(tinycss2.parse_component_value_list(text)) is None
    assert css.color(tinycss2.parse_component_value_list("currentColor")) == "currentcolor"


def test_wcag_contrast() -> None:
    white, black = (1.0, 1.0, 1.0), (0.0, 0.0, 0.0)
    assert css.contrast(white, black) == pytest.approx(21.0)
    assert css.contrast(white, white) == pytest.approx(1.0)
    grey = (0x76 / 255,) * 3  # #767676: the lightest grey passing WCAG AA on white
    assert css.contrast(grey, white) == pytest.approx(4.54, abs=0.02)
    assert css.contrast((0xf2 / 255,) * 3, (0xf5 / 255,) * 3) < 1.5


def test_lengths_and_calc() -> None:
    lc = css.LengthContext(font=20, root_font=16, vw=1000, vh=800, percent_of=200)

    def px(text: str) -> float | None:
        return css.length(css.significant(tinycss2.parse_component_value_list(text))[0], lc)

    assert px("-9999px") == -9999 and px("0") == 0 and px("2em") == 40 and px("1rem") == 16
    assert px("12pt") == 16 and px("10vw") == 100 and px("50%") == 100
    assert px("calc(1rem + 2px)") == 18 and px("calc(2 * 1em - 10px)") == 30
    assert px("clamp(1rem, 5vw, 3rem)") == 48 and px("max(1px, 2px)") == 2
    assert px("auto") is None and px("calc(100% - var(--x))") is None


def test_media_queries_per_viewport() -> None:
    def mask(text: str) -> int:
        return css.media_mask(tinycss2.parse_component_value_list(text))

    phone, desktop = 1 << 0, 1 << 6
    assert mask("") == css.ALL and mask("screen") == css.SCREEN and mask("print") == css.PRINT
    assert mask("all and (min-width: 768px)") & desktop and not mask("(min-width: 768px)") & phone
    assert mask("(max-width: 575.98px)") == phone
    assert mask("(width >= 992px)") == mask("(min-width: 992px)")
    assert mask("(768px <= width < 1200px)") & (1 << 4) and not mask("(768px <= width < 1200px)") \
        & desktop
    assert mask("not print") == css.SCREEN and mask("only screen and (max-width: 40em)") & phone
    assert mask("(prefers-color-scheme: dark)") == 0
    assert mask("(prefers-reduced-motion: no-preference)") == css.ALL
    assert mask("(hover: hover)") & desktop and not mask("(hover: hover)") & phone
    assert mask("speech") == 0 and mask("(made-up-feature: 1)") == 0
    assert mask("screen, print") == css.ALL


# ---------------------------------------------------------------------------
# The cascade
# ---------------------------------------------------------------------------

def test_specificity_and_source_order() -> None:
    style = ("#principal p { color: #fff } .contenu p { color: #222 } "
             "p.a { color: #fff } p.a { color: #333 }")
    page = _page(_doc(style, '<div id="principal" class="contenu"><p>par id</p></div>'
                             '<p class="a">ordre</p>'))
    assert _hidden(page) == {"par id": ("colour = background", "")}
    assert _visible(page) == ["ordre"]


def test_important_beats_specificity_and_inline() -> None:
    style = ("#principal .contenu p { color: #333 } .seo p { color: #fff !important } "
             ".b { display: none !important }")
    page = _page(_doc(style, '<div id="principal"><div class="contenu seo"><p>important</p>'
                             '</div></div><p class="b" style="display:block">inline perd</p>'
                             '<p class="b" style="display:block !important">inline gagne</p>'))
    assert set(_hidden(page)) == {"important", "inline perd"}
    assert _visible(page) == ["inline gagne"]


def test_inline_style_beats_any_selector() -> None:
    page = _page(_doc("#x { color: #000 }", '<p id="x" style="color: white">blanc</p>'))
    assert _hidden(page)["blanc"][0] == "colour = background"


def test_inheritance_of_colour_visibility_and_font_size() -> None:
    style = (".blanc { color: #fff } .cache { visibility: hidden } .montre { visibility: visible }"
             " .zero { font-size: 0 } .zero .rem { font-size: 1rem } .zero .em { font-size: 2em }")
    page = _page(_doc(style, '<div class="blanc"><ul><li><strong>hérité</strong></li></ul></div>'
                             '<div class="cache"><p>caché</p><p class="montre">remontré</p></div>'
                             '<div class="zero"><span class="rem">rem</span> '
                             '<span class="em">em de zéro</span></div>'))
    hidden = _hidden(page)
    assert hidden["hérité"][0] == "colour = background"
    assert hidden["caché"][0] == "visibility:hidden"
    assert hidden["em de zéro"][0] == "font-size:0"  # 2em of 0px is still 0
    assert "remontré" in _visible(page) and "rem" in _visible(page)


def test_display_none_and_opacity_apply_to_the_subtree() -> None:
    style = (".off { display: none } .off p { display: block } "
             ".pale { opacity: .2 } .pale .pale { opacity: .2 }")
    page = _page(_doc(style, '<div class="off"><p>sous display none</p></div>'
                             '<div class="pale"><p>un peu pâle</p><div class="pale">'
                             '<p>trop pâle</p></div></div>'))
    hidden = _hidden(page)
    assert hidden["sous display none"][0] == "display:none"
    assert hidden["trop pâle"][0] == "opacity:0"  # 0.2 × 0.2 = 0.04
    assert "un peu pâle" in _visible(page)


def test_background_is_the_nearest_ancestors() -> None:
    style = ("body { background: #fff } .sombre { background-color: #222 } .clair { color: #eee }"
             " .voile { background: rgba(0,0,0,.02) } .image { background: url(fond.jpg) }"
             " .sur { color: #232323 }")
    page = _page(_doc(style, '<div class="sombre"><p class="clair">lisible</p>'
                             '<p class="sur">sombre sur sombre</p></div>'
                             '<div class="voile"><p class="clair">clair sur blanc voilé</p></div>'
                             '<div class="image"><p class="clair">sur une image</p></div>'
                             '<p style="color:#fefefe">blanc cassé sur blanc par défaut</p>'))
    hidden = _hidden(page)
    assert set(hidden) == {"sombre sur sombre", "clair sur blanc voilé",
                           "blanc cassé sur blanc par défaut"}
    assert {"lisible", "sur une image"} <= set(_visible(page))
    block = next(b for b in page.text_blocks if b.text == "sombre sur sombre")
    assert "#232323 on #222222" in block.hidden and ".sombre { background-color: #222 }" in \
        block.hidden


def test_white_text_over_a_positioned_image_is_not_judged() -> None:
    style = (".hero { position: relative } .hero img { position: absolute; inset: 0 }"
             " .hero h1 { color: #fff } .cap { position: absolute; color: #fff }")
    page = _page(_doc(style, '<section class="hero"><img src="a.jpg" alt=""><h1>Titre</h1>'
                             '</section><figure><img src="b.jpg" alt=""><figcaption class="cap">'
                             'Légende</figcaption></figure>'))
    assert _hidden(page) == {}


def test_media_rules_print_screen_and_responsive() -> None:
    style = ("@media print { .a { display: none } } "
             "@media screen { .b { display: none } } "
             ".c { display: none } @media (min-width: 992px) { .c { display: block } } "
             ".d { display: none } @media print { .d { display: block } } "
             "@media (prefers-color-scheme: dark) { .e { color: #fff } }")
    page = _page(_doc(style, '<p class="a">pas à l’impression</p><p class="b">écran</p>'
                             '<p class="c">large seulement</p><p class="d">impression</p>'
                             '<p class="e">mode sombre</p>'))
    # Hidden on every screen but printed: print-only text, whichever way it is written.
    assert _hidden(page) == {"écran": ("display:none", "print"),
                             "impression": ("display:none", "print")}
    assert _visible(page) == ["pas à l’impression", "large seulement", "mode sombre"]


def test_dynamic_pseudo_classes_and_pseudo_elements_do_not_match() -> None:
    style = (".menu ul { display: none } .menu li:hover ul { display: block } "
             ".menu li:focus-within ul { display: block } .x::before { display: none } "
             ".y:not(:hover) { color: #fff } div:nth-child(2 of .z) { display: none }")
    page = _page(_doc(style, '<nav class="menu"><ul><li><a href="/a">A</a><ul><li>'
                             '<a href="/b">Sous-page</a></li></ul></li></ul></nav>'
                             '<p class="x">avant</p><p class="y">pas survolé</p>'))
    hidden = _hidden(page)
    assert hidden["Sous-page"] == ("display:none", "menu")
    assert hidden["pas survolé"][0] == "colour = background"  # :not(:hover) is true
    assert "avant" in _visible(page)


def test_custom_properties_with_fallbacks() -> None:
    style = (":root { --fond: #fff; --texte: var(--fond); --rgb: 255, 255, 255 }"
             " .a { color: var(--texte) } .b { color: var(--absent, #fff) }"
             " .c { color: rgba(var(--rgb), 1) } .d { color: #fff } .d { color: var(--absent) }")
    page = _page(_doc(style, '<p class="a">a</p><p class="b">b</p><p class="c">c</p>'
                             '<p class="d">d</p>'))
    assert set(_hidden(page)) == {"a", "b", "c"}
    assert _visible(page) == ["d"]  # invalid at computed-value time: inherits black


def test_shorthands() -> None:
    style = (".a { font: 0/0 a } .b { background: #222 url() } .b { background: #111 }"
             " .b p { color: #121212 } .c { margin: 0 0 0 -9999px } .d { overflow: hidden; "
             "height: 0 } .e { position: absolute; inset: -2000px auto auto 0 }")
    page = _page(_doc(style, '<p class="a">police nulle</p><div class="b"><p>noir</p></div>'
                             '<p class="c">marge</p><div class="d"><p>replié</p></div>'
                             '<p class="e">en haut</p>'))
    assert _hidden(page) == {"police nulle": ("font-size:0", ""),
                             "noir": ("colour = background", ""),
                             "marge": ("off-screen", ""), "replié": ("zero-size box", ""),
                             "en haut": ("off-screen", "")}


def test_hidden_attribute_details_dialog_template_noscript() -> None:
    page = _page('<html><body><div hidden>attribut</div><details><summary>Question</summary>'
                 'réponse libre<p>réponse</p></details><details open><summary>Q2</summary>'
                 '<p>ouverte</p></details><dialog><p>boîte</p></dialog><dialog open>'
                 '<p>boîte ouverte</p></dialog><template><p>modèle</p></template>'
                 '<noscript><p>sans js</p></noscript><script>var x;</script></body></html>')
    assert _hidden(page) == {"attribut": ("hidden attribute", ""),
                             "réponse libre": ("closed <details>", "details"),
                             "réponse": ("closed <details>", "details"),
                             "boîte": ("closed <dialog>", "modal")}
    assert _visible(page) == ["Question", "Q2", "ouverte", "boîte ouverte"]


def test_styles_in_noscript_and_template_do_not_apply() -> None:
    page = _page('<html><head><noscript><style>.js { display: none }</style>'
                 '<link rel="stylesheet" href="/nojs.css"></noscript></head><body>'
                 '<p class="js">filtrer les projets</p><template><style>p { color: #fff }</style>'
                 '</template></body></html>', {SITE + "nojs.css": "p { display: none }"})
    assert _visible(page) == ["filtrer les projets"] and page.stylesheets == []


def test_hidden_text_is_a_block_of_its_own_and_out_of_the_counts() -> None:
    page = _page(_doc(".kw { color: #fff }",
                      '<main><p>Nos plombiers <span class="kw">plombier</span> interviennent '
                      '<span class="kw">Paris</span> vite.</p></main>'))
    assert [(b.text, bool(b.hidden)) for b in page.text_blocks] == [
        ("Nos plombiers interviennent vite.", False), ("plombier Paris", True)]
    assert page.word_count == 4
    assert [b.text for b in content_blocks(page)] == ["Nos plombiers interviennent vite."]


def test_links_hidden_with_their_reason_and_pattern() -> None:
    page = _page(_doc(".sub { display: none }",
                      '<nav><ul><li><a href="/a">A</a><ul class="sub"><li><a href="/b">B</a>'
                      '</li></ul></li></ul></nav><div style="display:none">'
                      '<a href="https://casino.example/">casino</a></div>'
                      '<a href="https://x.example/"><img src="p.gif" width="1" height="1"></a>'))
    hidden = {link.url: split_link_hidden(link.hidden) for link in page.links}
    assert hidden[SITE + "a"] == ("", "")
    assert hidden[SITE + "b"] == ("display:none — .sub { display: none } (<style #1>:1)", "menu")
    assert hidden["https://casino.example/"][0].startswith("display:none — style=")
    assert hidden["https://x.example/"][0].startswith("1px image")


def test_linked_and_imported_stylesheets() -> None:
    html = ('<html><head><base href="/site/"><link rel="stylesheet" href="a.css">'
            '<link rel="stylesheet" href="print.css" media="print">'
            '<link rel="preload" as="style" href="late.css" onload="this.rel=\'stylesheet\'">'
            '<link rel="alternate stylesheet" href="alt.css"></head><body>'
            '<p class="x">x</p><p class="y">y</p><p class="z">z</p><p class="p">p</p>'
            '</body></html>')
    root = parse_html(html)
    assert root is not None
    fetched: dict[str, str] = {}
    assert stylesheets_to_fetch(root, URL, fetched) == [
        SITE + "site/a.css", SITE + "site/print.css", SITE + "site/late.css"]
    fetched = {SITE + "site/a.css": '@import url("b.css") screen; .x { display: none }',
               SITE + "site/print.css": ".p { display: none }",
               SITE + "site/late.css": ".z { visibility: hidden }"}
    assert stylesheets_to_fetch(root, URL, fetched) == [SITE + "site/b.css"]
    fetched[SITE + "site/b.css"] = ".y { opacity: 0 }"
    assert stylesheets_to_fetch(root, URL, fetched) == []
    page = _page(html, fetched)
    assert page.stylesheets == [SITE + "site/a.css", SITE + "site/print.css",
                                SITE + "site/late.css"]
    hidden = {b.text: b.hidden for b in page.text_blocks if b.hidden}
    assert hidden == {"x": "display:none — .x { display: none } (site/a.css:1)",
                      "y": "opacity:0 — .y { opacity: 0 } (site/b.css:1)",
                      "z": "visibility:hidden — .z { visibility: hidden } (site/late.css:1)"}


def test_a_sheet_is_compiled_once_per_text() -> None:
    text = ".seo { display: none } .a:hover { color: red }"
    assert css.compile_sheet(text) is css.compile_sheet(text)
    sheet = css.compile_sheet(text)
    assert [s.text for r in sheet.rules for s in r.selectors] == [".seo"]


@pytest.mark.parametrize("selector", [
    ".a", "p.a", ".a.b", "#x", "div .a", "div > .a", ".a > p", "ul li a", "nav > ul > li > a",
    ".a:not(.b)", "p:not(:hover)", "[data-x]", '[data-x="1"]', "[data-x^=fa]", "li:first-child",
    "li:last-child", ":root", "a[href]", "div.a > p.b span", ".b + p", ".a ~ p", ":is(.a, .b) p",
    "p:nth-child(2)", "html body div .a",
])
def test_python_matcher_agrees_with_xpath(selector: str) -> None:
    html = ('<html><body><div id="x" class="a"><p class="b">1<span>s</span></p><p>2</p>'
            '<ul><li><a href="/">l</a></li><li data-x="1">m</li><li data-x="fade">n</li></ul>'
            '</div><nav><ul><li><a class="a">k</a></li></ul></nav><div class="a b"><p>3</p>'
            '</div><p class="a">4</p><p>5</p></body></html>')
    root = parse_html(html)
    assert root is not None
    styles = PageStyles(root, URL, None)
    by_class: dict[str, list[Any]] = {}
    by_id: dict[str, list[Any]] = {}
    by_tag: dict[str, list[Any]] = {}
    for el in root.iter():
        by_tag.setdefault(el.tag, []).append(el)
        for c in (el.get("class") or "").split():
            by_class.setdefault(c, []).append(el)
        if el.get("id"):
            by_id.setdefault(el.get("id"), []).append(el)
    index = {"c": by_class, "i": by_id, "t": by_tag, "root": {"": [root]}}
    compiled = css.compile_selectors(tinycss2.parse_component_value_list(selector))
    from spiders.visibility import _select

    expected = set(root.cssselect(selector.replace(":not(:hover)", ""))) \
        if ":hover" in selector else set(root.cssselect(selector))
    assert len(compiled) == 1
    assert set(_select(compiled[0], index, root)) == expected, selector
    assert styles is not None


def test_hostile_nesting_with_styles() -> None:
    deep = '<div class="d">' * 1500 + "profond" + "</div>" * 1500
    page = _page(_doc(".d { color: #111 }", f"<p>début</p>{deep}"))
    assert "profond" in " ".join(_visible(page))


def test_text_blocks_of_a_fragment_still_read_inline_styles() -> None:
    root = parse_html('<div><p>un</p><p style="display:none">deux</p></div>')
    assert root is not None
    assert [(b.text, technique_of(b.hidden)) for b in text_blocks(root)] == [
        ("un", ""), ("deux", "display:none")]


# ---------------------------------------------------------------------------
# Context recognition (the honest patterns)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize(("html", "technique", "context"), [
    ('<span class="sr-only">x</span>', "display:none", "sr-only"),
    ('<span class="u-visually-hidden">x</span>', "display:none", "sr-only"),
    ('<a class="skip-link" href="#main">Aller au contenu</a>', "display:none", "skip-link"),
    ('<div id="cookie-notice">x</div>', "display:none", "cookie-banner"),
    ('<div role="dialog">x</div>', "display:none", "modal"),
    ('<div role="tabpanel">x</div>', "display:none", "tab"),
    ('<div class="faq-answer">x</div>', "display:none", "accordion"),
    ('<div class="swiper-slide">x</div>', "display:none", "carousel"),
    ('<ul class="sub-menu"><li><a href="/a">a</a></li></ul>', "display:none", "menu"),
    ('<ul class="sub-menu"><li>pas de lien</li></ul>', "display:none", ""),
    ('<div class="wow fadeInUp">x</div>', "visibility:hidden", "animation"),
    ('<div data-aos="fade-up">x</div>', "opacity:0", "animation"),
    ('<span aria-hidden="true">→</span>', "display:none", "decorative"),
    ('<div class="seo-text">x</div>', "display:none", ""),
])
def test_recognised_patterns(html: str, technique: str, context: str) -> None:
    root = parse_html(f"<html><body><main>{html}</main></body></html>")
    assert root is not None
    el = root.find("body/main")[0]
    assert recognise(el, technique, PageStyles(root, URL, None)) == context


# ---------------------------------------------------------------------------
# The fixture set: precision and recall
# ---------------------------------------------------------------------------

def _fixture_sheets(root: Any, url: str) -> dict[str, str]:
    """Fetch what the page links to from tests/fixtures/hidden/css/, as the crawler would."""
    fetched: dict[str, str] = {}
    for _ in range(5):
        wanted = stylesheets_to_fetch(root, url, fetched)
        if not wanted:
            break
        for u in wanted:
            path = FIXTURES / urlsplit(u).path.lstrip("/")
            fetched[u] = path.read_text(encoding="utf-8") if path.is_file() else ""
    return fetched


def _fixture_page(rel: str) -> PageItem:
    url = SITE + rel
    root = parse_html((FIXTURES / rel).read_bytes())
    assert root is not None
    page = PageItem(url=url, status=200, is_html=True, content_type="text/html; charset=utf-8")
    fill_page(page, root, lambda u: u.startswith(SITE), _fixture_sheets(root, url))
    return page


def test_fixture_set_precision_and_recall(tmp_path: Path) -> None:
    manifest = yaml.safe_load((FIXTURES / "manifest.yaml").read_text(encoding="utf-8"))
    entries = manifest["fixtures"]
    spam = [e for e in entries if e["verdict"] == "spam"]
    legit = [e for e in entries if e["verdict"] == "legit"]
    assert len(spam) >= 12 and len(legit) >= 12
    pages = [_fixture_page(e["file"]) for e in entries]
    outcome = run_rule("hidden-text", pages, tmp_path, config={"keywords": manifest["keywords"]})
    findings: dict[str, list[Any]] = {}
    for f in outcome.findings:
        findings.setdefault(f.url, []).append(f)

    rows = []
    problems = []
    for entry, page in zip(entries, pages, strict=True):
        got = findings.get(page.url, [])
        codes = sorted(f.code for f in got)
        severities = {str(f.severity) for f in got}
        verdict = "spam" if "error" in severities else "warning" if severities else "legit"
        rows.append((entry["file"], entry["verdict"], verdict, ",".join(codes) or "—"))
        if entry["verdict"] == "spam" and codes != sorted(entry["codes"]):
            problems.append(f"{entry['file']}: expected {entry['codes']}, got {codes}")
        if entry["verdict"] == "legit" and got:
            problems.append(f"{entry['file']}: honest page flagged {codes}: "
                            + " | ".join(f.message.en for f in got))
        reasons = {technique_of(b.hidden) for b in page.text_blocks if b.hidden} | {
            technique_of(link.hidden) for link in page.links if link.hidden}
        if entry.get("technique") and entry["technique"] not in reasons:
            problems.append(f"{entry['file']}: technique {entry['technique']!r} not in {reasons}")
        contexts = {b.hidden_context for b in page.text_blocks if b.hidden}
        if entry.get("context") and entry["context"] not in contexts:
            problems.append(f"{entry['file']}: context {entry['context']!r} not in {contexts}")
        for f in got:  # the evidence names the rule that hides the text
            assert " — " in (f.evidence.en if hasattr(f.evidence, "en") else f.evidence)

    caught = sum(1 for _file, want, got, _c in rows if want == "spam" and got == "spam")
    flagged = sum(1 for _file, _want, got, _c in rows if got != "legit")
    true_flags = sum(1 for _file, want, got, _c in rows if want == "spam" and got != "legit")
    precision = true_flags / flagged if flagged else 1.0
    recall = caught / len(spam)
    print(f"\nhidden-text fixtures: {len(spam)} spam, {len(legit)} legitimate")
    for file, want, got, codes in rows:
        print(f"  {file:48} expected {want:5}  got {got:7}  {codes}")
    print(f"precision {precision:.2f} ({true_flags}/{flagged}), recall {recall:.2f} "
          f"({caught}/{len(spam)})")
    assert not problems, "\n".join(problems)
    assert recall == 1.0 and precision == 1.0


# ---------------------------------------------------------------------------
# Speed
# ---------------------------------------------------------------------------

def bootstrap_like_sheet(target: int = 50_000, seed: int = 3) -> str:
    """A Bootstrap-sized sheet: the fixtures' Bootstrap extract, then utilities for every
    breakpoint, colour variants and components (hover states, ::before, :not())."""
    rng = random.Random(seed)
    out = [(FIXTURES / "css" / "bootstrap-lite.css").read_text(encoding="utf-8")]
    colours = {"primary": "#0d6efd", "secondary": "#6c757d", "success": "#198754",
               "info": "#0dcaf0", "warning": "#ffc107", "danger": "#dc3545",
               "light": "#f8f9fa", "dark": "#212529"}
    for name, c in colours.items():
        out.append(f".btn-{name}{{--bs-btn-color:#fff;--bs-btn-bg:{c};--bs-btn-hover-bg:{c}}}"
                   f".alert-{name}{{color:var(--bs-alert-color);background-color:#fff}}"
                   f".text-{name}{{color:{c}!important}}.border-{name}{{border-color:{c}}}"
                   f".link-{name}{{color:{c}!important}}.link-{name}:hover{{color:{c}cc}}")
    breakpoints = [("", 0), ("-sm", 576), ("-md", 768), ("-lg", 992), ("-xl", 1200)]
    components = ["card", "navbar", "list-group", "badge", "breadcrumb", "pagination", "toast"]
    while sum(map(len, out)) < target:
        for infix, width in breakpoints:
            block = [f".m{side}{infix}-{i}{{margin{prop}:{i * .25}rem!important}}"
                     for side, prop in (("", ""), ("t", "-top"), ("b", "-bottom"), ("s", "-left"))
                     for i in range(6)]
            block += [f".d{infix}-{d}{{display:{d}!important}}"
                      for d in ("none", "inline", "block", "grid", "flex")]
            block += [f".col{infix}-{n}{{flex:0 0 auto;width:{n / 12 * 100:.4f}%}}"
                      for n in range(1, 13)]
            body = "".join(block)
            out.append(f"@media (min-width:{width}px){{{body}}}" if width else body)
        for comp in components:
            out.append(f".{comp}{{position:relative;display:flex;color:var(--bs-{comp}-color)}}"
                       f".{comp}-body{{padding:1rem;color:var(--bs-{comp}-color)}}"
                       f".{comp} .{comp}-title:hover{{text-decoration:underline}}"
                       f".{comp}-item::before{{content:'';display:block}}"
                       f".{comp}:not(:last-child){{margin-bottom:{rng.randint(1, 4)}px}}"
                       f".{comp}-item+.{comp}-item{{border-top-width:0}}")
    return "\n".join(out)


def class_heavy_page(sections: int = 44, seed: int = 5) -> str:
    """A ~60 KB page marked up the Bootstrap way: dropdown menus, cards, an accordion."""
    rng = random.Random(seed)
    words = ["le", "plombier", "intervient", "rapidement", "pour", "réparer", "une", "fuite",
             "dans", "la", "salle", "de", "bains", "avant", "que", "l’eau", "abîme", "le",
             "plafond", "et", "nous", "établissons", "un", "devis", "clair"]

    def para(n: int = 45) -> str:
        return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."

    out = ['<!doctype html><html lang="fr"><head><title>Plombier à Paris</title>'
           '<link rel="stylesheet" href="/css/bootstrap.min.css"></head><body>'
           '<a class="visually-hidden-focusable" href="#main">Aller au contenu</a>'
           '<header class="navbar bg-dark"><nav class="container"><ul class="navbar-nav">']
    for i in range(8):
        out.append(f'<li class="nav-item dropdown"><a class="nav-link" href="/r{i}.html">Rubrique'
                   f' {i}</a><ul class="dropdown-menu">')
        out += [f'<li><a class="dropdown-item" href="/r{i}/p{j}.html">Page {j}</a></li>'
                for j in range(6)]
        out.append("</ul></li>")
    out.append('</ul></nav></header><main id="main" class="container"><h1>Plombier à Paris</h1>')
    for s in range(sections):
        out.append(f'<section class="row mb-4"><div class="col-md-8 col-12"><div class="card">'
                   f'<div class="card-body"><h2 class="card-title">Section {s}</h2>'
                   f'<p class="text-muted">{para()}</p><p>{para(30)} <a href="/s{s}.html" '
                   f'class="link-primary">En savoir plus<span class="visually-hidden"> sur la '
                   f'section {s}</span></a></p><ul class="list-group"><li class="list-group-item">'
                   f'{para(8)}</li><li class="list-group-item">{para(8)}</li></ul>'
                   f'<a href="/devis.html" class="btn btn-primary">Devis</a></div></div></div>'
                   f'<div class="col-md-4 d-none d-md-block"><img src="/i/{s}.jpg" alt="Photo {s}">'
                   f'</div></section>')
    out.append('<div class="accordion">')
    out += [f'<div class="accordion-item"><h3><button class="accordion-button collapsed" '
            f'data-bs-toggle="collapse" data-bs-target="#q{q}">Question {q} ?</button></h3>'
            f'<div id="q{q}" class="accordion-collapse collapse"><div class="accordion-body">'
            f'{para(40)}</div></div></div>' for q in range(6)]
    out.append('</div></main><footer class="bg-dark text-light"><p>Plomberie Martin</p></footer>'
               '</body></html>')
    return "".join(out)


def test_speed_on_a_class_heavy_page_with_a_bootstrap_sized_sheet() -> None:
    sheet = bootstrap_like_sheet()
    html = class_heavy_page()
    sheets = {SITE + "css/bootstrap.min.css": sheet}
    assert len(sheet) >= 50_000 and len(html.encode()) >= 55_000

    def one(with_css: bool) -> PageItem:
        return _page(html, sheets if with_css else None)

    start = time.process_time()
    css.compile_sheet(sheet)
    compile_ms = (time.process_time() - start) * 1000

    def per_page(with_css: bool, n: int = 10) -> float:
        one(with_css)
        best = float("inf")
        for _ in range(3):
            t = time.process_time()
            for _ in range(n):
                one(with_css)
            best = min(best, (time.process_time() - t) / n * 1000)
        return best

    plain, styled = per_page(False), per_page(True)
    page = one(True)
    print(f"\nstylesheet {len(sheet) // 1000} KB compiled once in {compile_ms:.0f} ms; page "
          f"{len(html.encode()) // 1000} KB: parse + extraction {plain:.1f} ms without the "
          f"sheet, {styled:.1f} ms with it ({styled - plain:+.1f} ms for the cascade); "
          f"{sum(1 for b in page.text_blocks if b.hidden)} hidden blocks")
    assert sum(1 for b in page.text_blocks if b.hidden_context == "menu") == 48
    assert styled < 400  # a loose bound: shared CI machines vary tenfold
