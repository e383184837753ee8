"""Reading the browser's verdicts back (spiders/rendered.py), without a browser: the
data-seo-audit-* attributes render_hidden.js writes become TextBlock.hidden and
hidden_context, with the honest pattern recognised as in static mode."""

from __future__ import annotations

from spiders.extract import fill_page, parse_html
from spiders.items import PageItem

URL = "https://www.exemple.fr/page.html"

# A DOM as Chromium serializes it after render_hidden.js ran.
MARKED = """<!DOCTYPE html><html lang="fr"><head><title>Plombier à Paris</title></head><body>
<a class="skip" href="#contenu" data-seo-audit-id="1" data-seo-audit-hidden="off-screen"
   data-seo-audit-detail="left" data-seo-audit-by="1" data-seo-audit-where="&lt;a.skip&gt;"
   >Aller au contenu</a>
<main id="contenu"><h1>Plombier à Paris</h1>
<p>Dépannage rapide.<span style="color:#fff" data-seo-audit-hidden="colour = background"
 data-seo-audit-detail="#ffffff on #ffffff, contrast 1.00:1"
 data-seo-audit-extra="background: &lt;body&gt;">plombier Paris pas cher</span></p>
<div class="tab-pane" role="tabpanel" data-seo-audit-id="2">
<p data-seo-audit-hidden="display:none" data-seo-audit-by="2"
   data-seo-audit-where="&lt;div.tab-pane&gt;">Nos tarifs de dépannage.</p></div>
<p class="impression" data-seo-audit-id="3" data-seo-audit-hidden="display:none"
 data-seo-audit-by="3" data-seo-audit-print="">Imprimé le 22 novembre.</p>
<a href="https://casino.example/" data-seo-audit-id="4" data-seo-audit-hidden="display:none"
 data-seo-audit-by="4">casino</a>
</main></body></html>"""


def test_marks_become_hidden_blocks_with_their_context() -> None:
    root = parse_html(MARKED)
    assert root is not None
    page = PageItem(url=URL, status=200, is_html=True)
    fill_page(page, root, lambda u: u.startswith("https://www.exemple.fr/"), rendered=True)
    hidden = [(b.hidden, b.hidden_context, b.text) for b in page.text_blocks if b.hidden]
    assert hidden == [
        ("off-screen (left) — <a.skip> (computed style)", "skip-link", "Aller au contenu"),
        ("colour = background (#ffffff on #ffffff, contrast 1.00:1) — <span> (computed style)"
         " — background: <body>", "", "plombier Paris pas cher"),
        ("display:none — <div.tab-pane> (computed style)", "tab", "Nos tarifs de dépannage."),
        ("display:none — <p.impression> (computed style)", "print", "Imprimé le 22 novembre."),
        ("display:none — <a> (computed style)", "", "casino"),
    ]
    # Visible text only in the counts; the inline style="color:#fff" is not re-judged.
    assert page.word_count == 5  # Plombier à Paris, Dépannage rapide.
    assert [(link.url, link.hidden) for link in page.links] == [
        ("https://casino.example/", "display:none — <a> (computed style)")]
