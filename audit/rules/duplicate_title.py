from __future__ import annotations

from collections.abc import Iterator

from audit.context import Context
from audit.rule import Code, Msg, Outcome, Score, Severity, SiteRule
from audit.text.duplicates import LabelGroups, indexable
from spiders.items import PageItem


class DuplicateTitle(SiteRule):
    """Every indexable page has a title of its own.

    **Why it matters**: the title is the blue link of the search result and the
    strongest on-page hint of what a page is about. Pages sharing one title look
    interchangeable: the engine may show the wrong one, rewrite the title itself, or
    treat the pages as duplicates; the visitor cannot tell the results apart.

    **Bad**: ``<title>Clairvoyance | Agence web</title>`` on the home page, the price
    list and every article of the blog.

    **Good**: ``<title>Tarifs SEO et Google Ads | Clairvoyance</title>`` on the price list,
    ``<title>Backlinks : obtenir des liens de qualité | Clairvoyance</title>`` on the
    article — each title says what only that page offers.

    Titles are compared without case and extra white space. Pages that send engines
    elsewhere (``noindex``, or a canonical naming another URL) are not compared. One
    finding per group of pages sharing a title, on the first page crawled, the others in
    *related*; every page of the group scores 50 (a warning).
    """

    id = "duplicate-title"
    category = "seo"
    weight = 1.0
    title = Msg("Titres uniques", "Unique titles")
    description = Msg(
        "Repère les pages indexables qui portent le même titre (<title>).",
        "Finds indexable pages that carry the same title (<title>).")
    codes = {
        "duplicate": Code(Severity.WARNING, Msg("Titre partagé par plusieurs pages",
                                                "Title shared by several pages")),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.groups = LabelGroups()

    def applies(self, page: PageItem) -> bool:
        return page.ok and indexable(page)

    def collect(self, page: PageItem, ctx: Context) -> None:
        self.groups.add(page.url, page.title)

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        for text, urls in self.groups.shared():
            yield self.finding(urls[0], "duplicate", Msg(
                "{n} pages portent le même titre « {t} » : donnez à chacune un titre qui "
                "décrit ce qu’elle seule propose.",
                "{n} pages carry the same title '{t}': give each one a title describing "
                "what it alone offers.").format(n=len(urls), t=text),
                evidence=text, related=urls[1:])
            for url in urls:
                yield Score(url, 50.0)
        self.groups.clear()
