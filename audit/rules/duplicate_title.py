from __future__ import annotations

from audit.rule import Code, Msg, Severity
from audit.rules._shared_label import SharedLabelRule
from spiders.items import PageItem


class DuplicateTitle(SharedLabelRule):
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
    elsewhere (``noindex``, or a canonical naming another URL) are not compared; a
    canonical naming the page's own path on the site's production domain (``site.aliases``,
    or the host most pages' canonicals name, as on a staging copy) names the page itself.
    One finding per group of pages sharing a title, on the first page crawled, the others
    in *related*; every page of the group scores 50 (a warning). When no page could be
    compared, no score and a note in the Summary (a limit of the audit).
    """

    id = "duplicate-title"
    category = "seo"
    weight = 1.0
    title = Msg("Titres uniques", "Unique titles")
    description = Msg(
        "Repère les pages indexables qui portent le même titre (<title>).",
        "Finds indexable pages that carry the same title (<title>).")
    why = Msg(
        "Le titre est le lien bleu du résultat de recherche. Des pages au même titre semblent "
        "interchangeables : le moteur peut montrer la mauvaise, réécrire le titre ou les "
        "traiter comme des doublons, et l’internaute ne sait pas laquelle choisir.",
        "The title is the blue link of the search result. Pages sharing a title look "
        "interchangeable: the engine may show the wrong one, rewrite the title or treat them "
        "as duplicates, and searchers cannot tell them apart.")
    fix = Msg(
        "Donnez à chaque page indexable un <title> qui dit ce qu’elle seule propose, le sujet "
        "d’abord et la marque ensuite (« Tarifs du référencement | Votre marque »).",
        "Give each indexable page a <title> saying what only it offers, subject first and "
        "brand after ('SEO prices | Your brand').")
    not_checked = Msg("Titres en double non vérifiés", "Duplicate titles not checked")
    codes = {
        "duplicate": Code(Severity.WARNING, Msg("Titre partagé par plusieurs pages",
                                                "Title shared by several pages")),
    }

    def label(self, page: PageItem) -> str | None:
        return page.title

    def message(self, pages: int, label: str) -> Msg:
        return Msg(
            "{n} pages portent le même titre « {t} » : donnez à chacune un titre qui "
            "décrit ce qu’elle seule propose.",
            "{n} pages carry the same title '{t}': give each one a title describing "
            "what it alone offers.").format(n=pages, t=label)
