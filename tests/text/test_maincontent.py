"""Main content for similarity: regions, the site's template learnt as pages stream."""

from __future__ import annotations

import random

from audit.config import DuplicatesConfig
from audit.text.duplicates import DuplicateIndex
from audit.text.maincontent import TemplateModel, batch_main_texts, page_blocks, region_blocks
from spiders.items import PageItem, TextBlock

WORDS = [
    "pain", "levain", "farine", "four", "boulanger", "croûte", "mie", "seigle", "blé",
    "sel", "eau", "pâte", "beurre", "matin", "cuisson", "fournil", "brioche", "croissant",
    "galette", "sucre", "œuf", "lait", "crème", "amande", "vanille", "tarte", "chocolat",
    "caramel", "pomme", "fraise", "framboise", "citron", "noisette", "miel", "quartier"
]
TEMPLATE = [TextBlock("li", "Accueil"), TextBlock("li", "Nos pains"), TextBlock("li", "Contact"),
            TextBlock("p", "Boulangerie Martin, 12 rue Royale, 69001 Lyon, ouvert du mardi au "
                           "dimanche de sept heures à dix-neuf heures trente, livraison à vélo."),
            TextBlock("p", "Nos engagements : des farines locales issues de moulins de la région, "
                           "un levain naturel entretenu chaque jour, aucune pâte surgelée, des "
                           "emballages en papier recyclé et des invendus donnés chaque soir à une "
                           "association du quartier. Commandez la veille avant dix-huit heures et "
                           "retirez votre commande en boutique dès sept heures du matin, ou "
                           "faites-vous livrer par coursier à vélo dans le centre de Lyon. Suivez-"
                           "nous sur les réseaux pour découvrir chaque semaine le pain du moment.")]


def _sentence(rng: random.Random, n: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _page(url: str, blocks: list[TextBlock], **kw: object) -> PageItem:
    return PageItem(url=url, status=200, is_html=True, text_blocks=blocks, **kw)  # type: ignore[arg-type]


def _site(n: int, seed: int = 1, sentences: int = 4) -> list[PageItem]:
    """n distinct articles on one <div> template (no regions), plus planted duplicates."""
    rng = random.Random(seed)
    pages = []
    for i in range(n):
        article = [TextBlock("h1", f"Article {i}")] + [
            TextBlock("p", " ".join(_sentence(rng) for _ in range(sentences))) for _ in range(2)]
        pages.append(_page(f"https://b.fr/{i}.html", TEMPLATE[:3] + article + TEMPLATE[3:]))
    pages.append(_page("https://b.fr/copie-3.html", list(pages[3].text_blocks)))
    near = [TextBlock(b.tag, b.text.replace(b.text.split()[5], "zzz", 1))
            if b.tag == "p" and b is pages[7].text_blocks[4] else b for b in pages[7].text_blocks]
    pages.append(_page("https://b.fr/presque-7.html", near))
    return pages


def test_regions() -> None:
    page = _page("https://b.fr/", [TextBlock("li", "Accueil", "nav"),
                                   TextBlock("p", "Corps", "main"), TextBlock("p", "Bandeau"),
                                   TextBlock("p", "Pied", "footer")])
    assert [b.text for b in region_blocks(page)] == ["Corps"]  # <main> when the page has one
    page.text_blocks[1].region = ""
    assert [b.text for b in region_blocks(page)] == ["Corps", "Bandeau"]
    # The element is part of a block's identity; empty blocks are dropped.
    a, b = page_blocks(_page("https://b.fr/", [TextBlock("li", "Nos pains"),
                                               TextBlock("h1", "Nos pains"),
                                               TextBlock("p", " … ")]))
    assert a.text == b.text == "nos pains" and a.hash != b.hash


def test_template_found_and_exact_copies_do_not_count_twice() -> None:
    model = TemplateModel(share=0.5, min_pages=5, diagnose=True)
    site = _site(12)
    blocks = [page_blocks(p) for p in site]
    for _ in range(10):  # ten more copies of page 0: still one page for the counts
        blocks.append(page_blocks(site[0]))
    ids = [model.observe(b) for b in blocks]
    model.finish()
    kept = model.main_blocks(ids[0], blocks[0])
    assert kept[0].text == "article 0"
    assert not {b.hash for b in kept} & model.final  # type: ignore[operator]
    assert len(model.final or ()) == 5  # the five template blocks, nothing else
    stats = model.confirm()
    assert stats.distinct_pages == 13 and stats.pages_cut_differently == 0


def _pairs(index: DuplicateIndex) -> tuple[set, set]:
    urls = index.urls
    exact = {tuple(urls[p] for p in index.members(g)) for g in index.extra}
    near = {(urls[index.leads[a]], urls[index.leads[b]]) for a, b, _ in index.near}
    return exact, near


def test_streaming_window_finds_what_the_exact_pass_finds() -> None:
    """A 60-page site through a short look-ahead (raised to boilerplate_min_pages): the
    same duplicates as with the whole site at hand, no false pair."""
    cfg = DuplicatesConfig(min_words=20)
    results = []
    for window in (5, 1000):
        index = DuplicateIndex(cfg, window=window, diagnose=True)
        for page in _site(60, seed=4):
            index.add(page)
            index.add(page)  # a second rule giving the same page: taken once
        index.finish()
        results.append(_pairs(index))
        assert index.stats.pages_cut_differently == 0
        assert len(index.urls) == 62
    assert results[0] == results[1] == (
        {("https://b.fr/3.html", "https://b.fr/copie-3.html")},
        {("https://b.fr/7.html", "https://b.fr/presque-7.html")})


def test_without_template_removal_short_pages_would_pair() -> None:
    """The template is what makes distinct short pages look alike: kept in, pages pair up."""
    cfg = DuplicatesConfig(min_words=20, near_threshold=0.5, boilerplate_min_pages=1000)
    index = DuplicateIndex(cfg)
    for page in _site(12, sentences=1):
        index.add(page)
    index.finish()
    assert len(index.near) > 10
    index = DuplicateIndex(DuplicatesConfig(min_words=20, near_threshold=0.5))
    for page in _site(12, sentences=1):
        index.add(page)
    index.finish()
    assert _pairs(index)[1] == {("https://b.fr/7.html", "https://b.fr/presque-7.html")}


def test_batch_main_texts_of_external_pages() -> None:
    pages = _site(8)[:6]
    texts = batch_main_texts(pages, share=0.5, min_pages=5)
    assert texts[0][:2] == ["article", "0"]
    assert "boulangerie" not in texts[0]  # the other site's own template, learnt from its pages
    assert batch_main_texts(pages[:2], 0.5, 5)[0][0] == "accueil"  # too few pages to learn it


def test_exact_counts_merged_in_steps_equal_the_per_page_record(monkeypatch) -> None:
    """Without diagnose the model keeps only distinct hashes and counts, merged from a
    buffer: the same final template, the same cuts and word totals as the full record,
    even when the buffer is merged every few pages."""
    monkeypatch.setattr(TemplateModel, "_MERGE_AT", 20)
    site = _site(40, seed=3)
    site += [_page(f"https://b.fr/offre-{i}.html", [
        *TEMPLATE, TextBlock("h1", f"Offre {i}"), TextBlock("p", "Promo de printemps")])
        for i in range(15)]  # a block that becomes frequent late
    results = []
    for diagnose in (True, False):
        model = TemplateModel(share=0.2, min_pages=5, diagnose=diagnose)
        blocks = [page_blocks(p) for p in site]
        ids = [model.observe(b) for b in blocks]
        early = [[b.text for b in model.main_blocks(i, b)]
                 for i, b in zip(ids[:30], blocks[:30], strict=True)]
        model.finish()
        late = [[b.text for b in model.main_blocks(i, b)]
                for i, b in zip(ids[30:], blocks[30:], strict=True)]
        stats = model.confirm()
        results.append((model.final, early, late, stats.words_main, stats.words_template))
    assert results[0] == results[1]
    assert results[1][2][-1] == ["offre 14"]  # the promotion is template by the final counts
    assert len(results[1][0]) == 6  # the five template blocks and the promotion
