from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from audit.context import Context
from audit.rule import Code, Msg, Outcome, PageRule, Severity
from audit.typedyaml import at_least, checked
from spiders.items import PageItem


class Title(PageRule):
    """The page has one <title>, of a length that shows whole in search results.

    **Why it matters**: the title is the blue link of the search result and one of
    the strongest on-page relevance signals. Missing, it lets the engine make one up;
    too long, it is cut (about 60 characters, ~580 px); too short, it wastes the
    space that would describe the page and carry its keyword.

    **Bad**: ``<title>Accueil</title>``, or no title at all, or
    ``<title>Agence SEO Lyon, référencement Lyon, SEO pas cher Lyon, agence web Lyon…</title>``.

    **Good**: ``<title>Référencement naturel à Lyon – Agence Clairvoyance</title>``:
    the page's keyword first, then the brand, 30–60 characters.
    """

    id = "title"
    category = "seo"
    weight = 3.0
    title = Msg("Balise title présente et de bonne longueur", "Title present and well sized")
    description = Msg(
        "Vérifie que chaque page a une seule balise <title>, de 30 à 60 caractères.",
        "Checks that each page has exactly one <title> of 30 to 60 characters.")
    codes = {
        "missing": Code(Severity.ERROR, Msg("Balise title absente", "Missing title")),
        "empty": Code(Severity.ERROR, Msg("Balise title vide", "Empty title")),
        "too-short": Code(Severity.WARNING, Msg("Titre trop court", "Title too short")),
        "too-long": Code(Severity.WARNING, Msg("Titre trop long", "Title too long")),
        "multiple": Code(Severity.WARNING, Msg("Plusieurs balises title", "Several titles")),
    }

    @dataclass(frozen=True)
    class Options:
        min_length: int = checked(at_least(1), default=30)
        max_length: int = checked(at_least(10), default=60)

    def check(self, page: PageItem, ctx: Context) -> Iterator[Outcome]:
        title = page.title
        if title is None:
            yield self.finding(page.url, "missing", Msg(
                "La page n’a pas de balise <title>.", "The page has no <title> element."))
            return
        if not title:
            yield self.finding(page.url, "empty", Msg(
                "La balise <title> est vide.", "The <title> element is empty."))
            return
        n = len(title)
        if n < self.options.min_length:
            yield self.finding(page.url, "too-short", Msg(
                "Titre trop court ({n} caractères, minimum {min}).",
                "Title too short ({n} characters, minimum {min}).").format(
                    n=n, min=self.options.min_length), evidence=title)
        elif n > self.options.max_length:
            yield self.finding(page.url, "too-long", Msg(
                "Titre trop long ({n} caractères, maximum {max}) : il sera tronqué.",
                "Title too long ({n} characters, maximum {max}): it will be truncated.").format(
                    n=n, max=self.options.max_length), evidence=title)
        if page.title_count > 1:
            yield self.finding(page.url, "multiple", Msg(
                "{n} balises <title> : les moteurs n’en retiennent qu’une.",
                "{n} <title> elements: search engines keep only one.").format(
                    n=page.title_count), evidence=title)
