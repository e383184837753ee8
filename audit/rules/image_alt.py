from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from audit.context import Context
from audit.rule import Code, Msg, Outcome, PageRule, Score, Severity
from audit.typedyaml import at_least, checked
from spiders.items import PageItem

DECORATIVE_ROLES = {"presentation", "none"}


class ImageAlt(PageRule):
    """Every image carries an alt attribute: a description, or alt="" when decorative.

    **Why it matters**: image search and the engines' understanding of a page rely on
    the alt text, and it is what screen readers say (accessibility is part of page
    experience). An image that is the only content of a link gives that link its
    anchor text through its alt.

    **Bad**: ``<img src="equipe.jpg">``; ``<a href="/devis"><img src="btn.png" alt=""></a>``.

    **Good**: ``<img src="equipe.jpg" alt="L’équipe de l’agence dans ses bureaux de
    Lyon">``; a purely decorative flourish with ``alt=""``.

    The page score is the share of images that are described correctly.
    """

    id = "image-alt"
    category = "seo"
    weight = 1.0
    title = Msg("Images avec texte alternatif", "Images have alt text")
    description = Msg(
        "Vérifie que chaque image a un attribut alt (vide seulement si elle est décorative).",
        "Checks that every image has an alt attribute (empty only when decorative).")
    why = Msg(
        "La recherche d’images et la compréhension de la page par les moteurs s’appuient sur "
        "le texte alternatif (attribut alt), que lisent aussi les lecteurs d’écran ; pour une "
        "image seule dans un lien, c’est l’alt qui sert de texte au lien.",
        "Image search and the engines' understanding of the page rely on the alt text, which "
        "screen readers also read out; for an image alone in a link, the alt is the link's "
        "text.")
    fix = Msg(
        "Donnez à chaque image utile un alt court qui la décrit (« L’équipe de l’agence dans "
        "ses bureaux de Lyon »), mettez alt=\"\" aux images purement décoratives, et jamais un "
        "alt vide dans un lien.",
        "Give each meaningful image a short alt describing it ('The agency's team in its Lyon "
        "office'), alt=\"\" to purely decorative ones, and never an empty alt in a link.")
    codes = {
        "missing": Code(Severity.WARNING, Msg("Images sans attribut alt",
                                              "Images without an alt attribute")),
        "empty-in-link": Code(Severity.WARNING, Msg("Lien image sans texte alternatif",
                                                    "Image link without alt text")),
        "too-long": Code(Severity.NOTICE, Msg("Texte alternatif trop long", "Alt text too long")),
    }

    @dataclass(frozen=True)
    class Options:
        max_length: int = checked(at_least(20), default=125)
        max_listed: int = checked(at_least(1), default=10)  # image URLs quoted in the evidence

    def applies(self, page: PageItem) -> bool:
        return page.ok and bool(page.images)

    def check(self, page: PageItem, ctx: Context) -> Iterator[Outcome]:
        missing = [i.src for i in page.images if i.alt is None and i.role not in DECORATIVE_ROLES]
        empty_links = [i.src for i in page.images if i.in_link and i.alt == ""]
        too_long = [i for i in page.images if i.alt and len(i.alt) > self.options.max_length]
        total = len(page.images)
        if missing:
            yield self.finding(page.url, "missing", Msg(
                "{n} image(s) sur {total} sans attribut alt.",
                "{n} of {total} image(s) without an alt attribute.").format(
                    n=len(missing), total=total), evidence=self._listing(missing))
        if empty_links:
            yield self.finding(page.url, "empty-in-link", Msg(
                "{n} lien(s) dont la seule image a un alt vide : le lien n’a pas d’ancre.",
                "{n} link(s) whose only image has an empty alt: the link has no anchor text."
            ).format(n=len(empty_links)), evidence=self._listing(empty_links))
        if too_long:
            yield self.finding(page.url, "too-long", Msg(
                "{n} texte(s) alternatif(s) de plus de {max} caractères.",
                "{n} alt text(s) longer than {max} characters.").format(
                    n=len(too_long), max=self.options.max_length),
                evidence=self._listing([i.src for i in too_long]))
        bad = sum(1 for i in page.images
                  if (i.alt is None and i.role not in DECORATIVE_ROLES)
                  or (i.in_link and i.alt == ""))
        yield Score(page.url, 100.0 * (total - bad) / total)

    def _listing(self, srcs: list[str]) -> str:
        shown = srcs[: self.options.max_listed]
        more = len(srcs) - len(shown)
        return "\n".join(shown) + (f"\n… (+{more})" if more else "")
