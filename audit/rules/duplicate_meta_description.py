from __future__ import annotations

from audit.rule import Code, Msg, Severity
from audit.rules._shared_label import SharedLabelRule
from spiders.items import PageItem


class DuplicateMetaDescription(SharedLabelRule):
    """Every indexable page has a meta description of its own.

    **Why it matters**: the description is often the snippet under the search result,
    the text that earns the click. One description copied on several pages says nothing
    specific about any of them; engines tend to ignore it and build a snippet from the
    page, and results from the same site look alike.

    **Bad**: ``<meta name="description" content="Agence web à Lyon : SEO, SEA, réseaux
    sociaux.">`` on the home page, the services and every article.

    **Good**: each page summarises its own content in 70–160 characters: the price list
    its prices, the article its advice.

    Descriptions are compared without case and extra white space; empty or missing ones
    are the meta-description rule's business. Pages that send engines elsewhere
    (``noindex``, or a canonical naming another URL) are not compared; a canonical naming
    the page's own path on the site's production domain (``site.aliases``, or the host most
    pages' canonicals name, as on a staging copy) names the page itself. One finding per
    group, on the first page crawled, the others in *related*; every page of the group
    scores 50 (a warning). When no page could be compared, no score and a
    note in the Summary (a limit of the audit).
    """

    id = "duplicate-meta-description"
    category = "seo"
    weight = 1.0
    title = Msg("Meta descriptions uniques", "Unique meta descriptions")
    description = Msg(
        "Repère les pages indexables qui portent la même meta description.",
        "Finds indexable pages that carry the same meta description.")
    why = Msg(
        "Une même description copiée sur plusieurs pages ne dit rien de précis sur aucune : "
        "les moteurs l’ignorent souvent et composent eux-mêmes l’extrait, et les résultats du "
        "site se ressemblent tous.",
        "One description copied on several pages says nothing specific about any of them: "
        "engines often ignore it and build the snippet themselves, and the site's results all "
        "look alike.")
    fix = Msg(
        "Rédigez pour chaque page indexable sa propre meta description de 70 à 160 caractères, "
        "qui résume ce qu’elle seule propose (ses tarifs, son conseil…).",
        "Write each indexable page its own meta description of 70 to 160 characters, summing "
        "up what only that page offers (its prices, its advice…).")
    not_checked = Msg("Meta descriptions en double non vérifiées",
                      "Duplicate meta descriptions not checked")
    codes = {
        "duplicate": Code(Severity.WARNING, Msg("Meta description partagée par plusieurs pages",
                                                "Meta description shared by several pages")),
    }

    def label(self, page: PageItem) -> str | None:
        return page.meta_description

    def message(self, pages: int, label: str) -> Msg:
        return Msg(
            "{n} pages portent la même meta description : rédigez pour chacune un résumé "
            "de son propre contenu.",
            "{n} pages carry the same meta description: write for each one a summary of "
            "its own content.").format(n=pages)
