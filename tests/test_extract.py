"""Extraction from HTML: French text, blocks and regions, links, images, hostile markup."""

from __future__ import annotations

import pytest

from spiders.extract import (
    count_words,
    fill_page,
    js_redirect,
    parse_html,
    parse_refresh,
    text_blocks,
)
from spiders.items import PageItem

BASE = "https://www.clairvoyance.fr/blog/article.html"


def _page(html: str, url: str = BASE) -> PageItem:
    page = PageItem(url=url, status=200, is_html=True)
    root = parse_html(html)
    assert root is not None
    fill_page(page, root, lambda u: u.startswith("https://www.clairvoyance.fr/"))
    return page


def test_french_words_counted_as_a_reader_counts_them() -> None:
    assert count_words("l’identité numérique, c’est-à-dire aujourd’hui") == 4
    assert count_words("Qu'il s'agisse d'e-réputation ou de SMO : 2 réseaux, 12,5 %") == 9


def test_text_blocks_follow_block_elements_and_regions() -> None:
    page = _page("""<html lang="fr-FR"><body>
      <header><nav><ul><li><a href="/">Accueil</a></li><li>Blog</li></ul></nav></header>
      <main><h1>Le métier de <em>community manager</em></h1>
      <p>Le community manager est l’ambassadeur d’une marque<br>sur internet.</p>
      <script>var x = "pas du texte";</script><style>p{color:red}</style>
      <div hidden>texte caché par l’attribut hidden</div>
      <template><p>modèle</p></template></main>
      <aside>À lire aussi</aside><footer>Lyon</footer></body></html>""")
    blocks = [(b.region, b.tag, b.text) for b in page.text_blocks if not b.hidden]
    assert blocks == [
        ("nav", "li", "Accueil"), ("nav", "li", "Blog"),
        ("main", "h1", "Le métier de community manager"),
        ("main", "p", "Le community manager est l’ambassadeur d’une marque"),
        ("main", "p", "sur internet."),
        ("aside", "aside", "À lire aussi"), ("footer", "footer", "Lyon"),
    ]
    # Hidden text is kept for the hidden-text rule, apart and out of the word count.
    assert [(b.text, b.hidden) for b in page.text_blocks if b.hidden] == [
        ("texte caché par l’attribut hidden", "hidden attribute — <div hidden>")]
    assert page.lang == "fr-fr"
    assert page.word_count == 1 + 1 + 5 + 7 + 2 + 3 + 1


def test_links_resolved_with_rel_anchor_and_scope() -> None:
    page = _page("""<html><head><base href="https://www.clairvoyance.fr/"></head><body>
      <a href="tarifs.html#formules">Nos tarifs</a>
      <a href="https://twitter.com/share?url=x" rel="nofollow noopener">Partager</a>
      <a href="/devis.html"><img src="/img/devis.svg" alt="Demander un devis"></a>
      <a href="mailto:contact@clairvoyance.fr">Écrire</a> <a href="javascript:void(0)">JS</a>
      <a href="#haut">Haut</a> <a href="http://[::1">cassé</a></body></html>""")
    links = [(link.url, link.text, link.rel, link.internal) for link in page.links]
    assert links == [
        ("https://www.clairvoyance.fr/tarifs.html", "Nos tarifs", "", True),
        ("https://twitter.com/share?url=x", "Partager", "nofollow noopener", False),
        ("https://www.clairvoyance.fr/devis.html", "Demander un devis", "", True),
    ]


def test_images_alt_absent_empty_or_present() -> None:
    page = _page("""<html><body><img src="a.svg"><img src="b.svg" alt="">
      <img src="c.svg" alt=" Logo  de l’agence "><img data-src="/lazy.jpg" role="presentation">
      </body></html>""")
    assert [(i.src.rsplit("/", 1)[-1], i.alt, i.role) for i in page.images] == [
        ("a.svg", None, ""), ("b.svg", "", ""), ("c.svg", "Logo de l’agence", ""),
        ("lazy.jpg", None, "presentation")]


def test_head_fields() -> None:
    page = _page("""<html><head><title> Audit SEO  à Lyon </title><title>Deuxième</title>
      <meta name="description" content="Un audit complet.">
      <meta name="robots" content="NOINDEX, follow">
      <meta name="viewport" content="width=device-width">
      <meta property="og:title" content="Audit"><meta name="twitter:card" content="summary">
      <link rel="canonical" href="/blog/article.html">
      <link rel="alternate" hreflang="en" href="https://www.clairvoyance.fr/en/blog/article.html">
      <script type="application/ld+json">{"@type": "Article"}</script>
      <script type="application/ld+json">{ pas du json </script>
      </head><body><svg><title>icône</title></svg></body></html>""")
    assert page.title == "Audit SEO à Lyon" and page.title_count == 2
    assert page.meta_description == "Un audit complet." and page.meta_description_count == 1
    assert page.meta_robots == "noindex, follow"
    assert page.meta == {"viewport": "width=device-width"}
    assert page.open_graph == {"og:title": "Audit"} and page.twitter == {"twitter:card": "summary"}
    assert page.canonical == BASE
    assert page.hreflang == [{"lang": "en",
                              "href": "https://www.clairvoyance.fr/en/blog/article.html",
                              "source": "link"}]
    assert page.json_ld == [{"@type": "Article"}]


def test_hostile_markup_does_not_break_extraction() -> None:
    # libxml2 keeps up to ~2,000 levels (huge_tree); deeper content is dropped, never a crash.
    deep = "<div>" * 2_000 + "profond" + "</div>" * 2_000
    assert "profond" in _page(f"<html><body><p>début{deep}</body></html>").text
    abyss = "<div>" * 100_000 + "abîme" + "</div>" * 100_000
    assert _page(f"<html><body><p>début{abyss}</body></html>").text.startswith("début")
    assert parse_html(b"") is None and parse_html("   ") is None
    broken = _page("<html><body><p>paragraphe <b>non fermé<form><form><p>fin\x00\x01")
    assert "fin" in broken.text


def test_text_blocks_of_a_fragment() -> None:
    root = parse_html("<div><p>un</p>deux<p>trois</p></div>")
    assert root is not None
    assert [b.text for b in text_blocks(root)] == ["un", "deux", "trois"]


def test_conversion_signals() -> None:
    """Tracking tags (with their ids), consent, forms, buttons and contacts of a landing page."""
    html = """<html lang="fr"><head>
    <script async src="https://www.googletagmanager.com/gtag/js?id=AW-123456789"></script>
    <script>gtag('consent', 'default', {ad_storage: 'denied'});
      gtag('config', 'AW-123456789'); gtag('config', 'G-ABC123XYZ');</script>
    <script>!function(f,b,e,v){}(window, document,'script',
      'https://connect.facebook.net/fr_FR/fbevents.js'); fbq('init', '1234567890123');</script>
    <script type="text/javascript">_linkedin_partner_id = "4567";</script>
    <script src="https://static.axept.io/sdk.js"></script></head><body>
    <p>G-SHOCK et GTM-PAS-UNE-BALISE dans le texte ne sont pas des balises.</p>
    <form action="/merci.html" method="post"><input type="email" name="e"><textarea></textarea>
      <input type="hidden" name="jeton"><button type="submit">Demander un devis</button></form>
    <a href="tel:+33465712345">04 65 71 23 45</a> <a href="mailto:contact@exemple.fr">Écrire</a>
    <a class="wp-block-button__link" href="/rdv.html">Prendre rendez-vous</a>
    <div role="button">Réserver</div></body></html>"""
    page = _page(html)
    assert page.tracking == ["google-ads:AW-123456789", "ga4:G-ABC123XYZ", "consent-mode",
                             "meta-pixel:1234567890123", "linkedin-insight:4567", "cmp:axeptio"]
    (form,) = page.forms
    assert form.action.endswith("/merci.html") and form.method == "post"
    assert form.fields == ["email", "textarea"] and form.submit == "Demander un devis"
    assert page.buttons == ["Demander un devis", "Prendre rendez-vous", "Réserver"]
    assert page.contacts == ["tel:+33465712345", "mailto:contact@exemple.fr"]


def test_inline_code_is_recorded_apart_from_prose():
    from audit.text.content import prose

    doc = parse_html("<html><body><p>Lancez <code>pip install   scrapy</code> puis "
                     "<kbd>Ctrl</kbd>+<kbd>C</kbd> pour arrêter le serveur.</p>"
                     "<pre><code>def f():\n    return 1</code></pre>"
                     "<p>La fonction <code>read_csv()</code> renvoie un <var>tableau</var>."
                     "</p></body></html>")
    blocks = list(text_blocks(doc))
    assert [b.code for b in blocks] == [["pip install scrapy", "Ctrl", "C"], [],
                                        ["read_csv()", "tableau"]]
    assert [prose(b) for b in blocks] == ["Lancez puis + pour arrêter le serveur.", "",
                                          "La fonction renvoie un ."]


def test_a_short_code_fragment_is_cut_as_a_token_not_inside_words():
    from audit.text.content import prose
    from spiders.items import TextBlock

    block = TextBlock("p", "La fonction renvoie n pièces pour chaque valeur de p entière.",
                      code=["n", "p"])
    assert prose(block) == "La fonction renvoie pièces pour chaque valeur de entière."


def test_a_code_fragment_glued_to_a_word_is_still_cut():
    from audit.text.content import prose
    from spiders.items import TextBlock

    block = TextBlock("p", "Les directives v-else-if andv-else marchent ensemble.",
                      code=["v-else-if", "v-else"])
    assert prose(block) == "Les directives and marchent ensemble."


# -- redirects in the page (rule redirects) ----------------------------------------------


@pytest.mark.parametrize(("content", "expected"), [
    ("0; url=https://www.exemple.fr/accueil.html", (0.0, "https://www.exemple.fr/accueil.html")),
    ("5;URL='/tarifs.html'", (5.0, "/tarifs.html")),
    (' 0 ; url = "/fr/" ', (0.0, "/fr/")),
    ("3, /contact.html", (3.0, "/contact.html")),
    ("300", (300.0, "")),  # reloads itself: not a redirect
    ("url=/x", None),
    ("", None),
])
def test_parse_refresh(content: str, expected: tuple[float, str] | None) -> None:
    assert parse_refresh(content) == expected


@pytest.mark.parametrize(("script", "expected"), [
    ('window.location.href = "/fr/";', "/fr/"),
    ("location.replace('https://www.exemple.fr/offres.html')", "https://www.exemple.fr/offres.html"),
    ("document.location = '/accueil.html'; // ancien site", "/accueil.html"),
    ("top.location.assign(`/b.html`)", "/b.html"),
    ("if (navigator.language === 'en') { location.href = '/en/'; }", None),
    ("btn.addEventListener('click', function () { location.href = '/devis.html'; });", None),
    ("setTimeout(() => { window.location = '/x'; }, 3000);", None),
    ("location.href = '/recherche?q=' + encodeURIComponent(q);", None),
    ("var here = window.location.href;", None),
    ("location.hash = '#top';", None),
])
def test_js_redirect(script: str, expected: str | None) -> None:
    assert js_redirect(script) == expected


def test_meta_refresh_and_script_redirect_read_from_the_page() -> None:
    page = PageItem(url="https://www.exemple.fr/promo.html")
    root = parse_html(
        "<html><head><meta http-equiv='REFRESH' content='0;url=/offres.html'>"
        "<noscript><meta http-equiv='refresh' content='0;url=/sans-js.html'></noscript>"
        "<script src='/app.js'></script><script>window.location = '/offres.html';</script>"
        "</head><body><nav><a href='/'>Accueil</a></nav><aside><a href='/a'>A</a></aside>"
        "<div role='navigation'><a href='/b'>B</a></div><p><a href='/c'>C</a></p></body></html>")
    fill_page(page, root, lambda u: True)
    assert (page.refresh_delay, page.refresh_url) == (0.0, "https://www.exemple.fr/offres.html")
    assert page.js_redirect == "https://www.exemple.fr/offres.html"
    assert [link.region for link in page.links] == ["nav", "aside", "nav", ""]


def test_every_canonical_tag_kept_as_written_and_googlebot_meta() -> None:
    page = _page("""<html><head>
      <meta name="robots" content="index, follow">
      <meta name="GoogleBot" content="NoIndex">
      <link rel="canonical" href="/blog/article.html">
      <link rel="canonical" href="https://www.clairvoyance.fr/blog/autre.html">
      </head><body><p>Texte</p></body></html>""")
    assert page.meta_googlebot == "noindex"
    assert "googlebot" not in page.meta
    assert page.canonical == BASE
    assert page.canonicals == [BASE, "https://www.clairvoyance.fr/blog/autre.html"]
    assert page.canonical_hrefs == ["/blog/article.html",
                                    "https://www.clairvoyance.fr/blog/autre.html"]


def test_canonical_from_the_link_header() -> None:
    from spiders.extract import link_header_canonical
    values = ['<https://www.clairvoyance.fr/styles.css>; rel=preload; as=style, '
              '</guide.pdf>; rel="canonical"']
    assert link_header_canonical(values, BASE) == "https://www.clairvoyance.fr/guide.pdf"
    assert link_header_canonical(['<https://x.fr/a>; rel="alternate"; hreflang="en"'],
                                 BASE) == ""
    assert link_header_canonical([], BASE) == ""
    # The tag wins over the header for `canonical`; both are kept.
    page = PageItem(url=BASE, status=200, is_html=True,
                    canonical_header="https://www.clairvoyance.fr/x.html")
    root = parse_html("<html><head></head><body><p>Texte</p></body></html>")
    assert root is not None
    fill_page(page, root, lambda u: True)
    assert page.canonical == "https://www.clairvoyance.fr/x.html"
    assert page.canonicals == []


def test_sub_resources_a_browser_fetches() -> None:
    """scripts, iframes, media and fonts: absolute as written, once each, in order; nothing
    inside <template> or <noscript>, and <picture>'s sources are images, not media."""
    root = parse_html("""<html><head>
    <script src="/js/app.js"></script><script src="/js/app.js"></script><script>inline()</script>
    <link rel="preload" as="font" href="/polices/titre.woff2" crossorigin>
    <link rel="preload" as="image" href="/img/hero.jpg">
    <link rel="stylesheet" href="/css/site.css">
    <style>@font-face { font-family: T; src: url('texte.woff2') format('woff2'),
      url(data:font/woff2;base64,AAAA) }</style></head><body>
    <iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>
    <object data="/plans/acces.pdf"></object><embed src="/anim.swf">
    <video src="/v/visite.mp4" poster="/img/affiche.jpg"><track src="/v/sous-titres.vtt"></video>
    <audio><source src="/sons/podcast.mp3"></audio>
    <picture><source srcset="/img/a.webp"><img src="/img/a.jpg" alt="A"></picture>
    <template><script src="/js/jamais.js"></script></template>
    <noscript><iframe src="https://www.googletagmanager.com/ns.html"></iframe></noscript>
    </body></html>""")
    assert root is not None
    page = PageItem(url="https://www.exemple.fr/blog/article.html")
    sheets = {"https://www.exemple.fr/css/site.css":
              "@font-face { src: url(../polices/corps.woff2) } body { background: url(x.png) }"}
    fill_page(page, root, lambda u: True, stylesheets=sheets)
    site = "https://www.exemple.fr"
    assert page.scripts == [f"{site}/js/app.js"]
    assert page.iframes == ["https://www.youtube-nocookie.com/embed/x", f"{site}/plans/acces.pdf",
                            f"{site}/anim.swf"]
    assert page.media == [f"{site}/img/affiche.jpg", f"{site}/v/visite.mp4",
                          f"{site}/v/sous-titres.vtt", f"{site}/sons/podcast.mp3"]
    assert page.fonts == [f"{site}/polices/titre.woff2", f"{site}/blog/texte.woff2",
                          f"{site}/polices/corps.woff2"]
    assert page.http_resources == []


def test_resources_written_http_are_told_from_relative_ones() -> None:
    """On a copy served over http, relative and protocol-relative addresses resolve to
    http:// too; http_resources keeps only those written http:// (mixed content on the
    https twin)."""
    root = parse_html("""<html><head>
    <script src="//cdnjs.cloudflare.com/lib.js"></script><script src="HTTP://cdn.ex/a.js"></script>
    <link rel="stylesheet" href="http://fonts.ex/css"><link rel="stylesheet" href="/s.css">
    <style>@font-face { src: url(http://fonts.ex/f.woff2), url(/g.woff2) }</style></head>
    <body><img src="http://img.ex/a.png"><img data-src="/b.png"><img src="c.png">
    <form action="http://www.ex.fr/envoi"></form><video src="//v.ex/v.mp4"></video>
    <noscript><img src="http://pixel.ex/p.gif"></noscript></body></html>""")
    assert root is not None
    page = PageItem(url="http://127.0.0.1:8000/")
    fill_page(page, root, lambda u: True)
    assert page.scripts == ["http://cdnjs.cloudflare.com/lib.js", "http://cdn.ex/a.js"]
    assert page.http_resources == ["http://cdn.ex/a.js", "http://fonts.ex/css",
                                   "http://img.ex/a.png", "http://www.ex.fr/envoi",
                                   "http://fonts.ex/f.woff2"]


def test_links_to_an_alias_are_kept_as_written() -> None:
    """site.aliases: links to the production name are moved onto the audited copy, and
    kept as written in alias_links (their scheme tells whether production is on https)."""
    from spiders.urls import OnOrigin

    root = parse_html('<html><body><a href="https://www.client.fr/a">A</a>'
                      '<a href="http://www.client.fr/b">B</a><a href="/c">C</a>'
                      '<a href="https://ailleurs.fr/">Ailleurs</a></body></html>')
    assert root is not None
    page = PageItem(url="http://127.0.0.1:8000/")
    fill_page(page, root, lambda u: u.startswith("http://127.0.0.1:8000/"),
              on_site=OnOrigin(["www.client.fr"], "http://127.0.0.1:8000/"))
    assert [link.url for link in page.links] == [
        "http://127.0.0.1:8000/a", "http://127.0.0.1:8000/b", "http://127.0.0.1:8000/c",
        "https://ailleurs.fr/"]
    assert page.alias_links == ["https://www.client.fr/a", "http://www.client.fr/b"]
