from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from audit.context import Context
from audit.rule import Code, Msg, Outcome, PageRule, Severity
from audit.typedyaml import at_least, checked
from spiders.items import PageItem


class MetaDescription(PageRule):
    """The page has one meta description, long enough to sell the page and short enough to show.

    **Why it matters**: the description is not a ranking factor, but it is the snippet
    under the title in the results: a good one raises the click-through rate, which
    is what ranking is for. Missing, the engine picks a random sentence; past about
    160 characters it is cut off.

    **Bad**: no ``<meta name="description">``, or ``content="Bienvenue"``.

    **Good**: ``<meta name="description" content="Agence de référencement naturel à Lyon :
    audit, mots-clés, contenus et netlinking pour gagner des visites durables.">``
    (70–160 characters, the page's promise and keyword).
    """

    id = "meta-description"
    category = "seo"
    weight = 1.0
    title = Msg("Meta description présente et de bonne longueur",
                "Meta description present and well sized")
    description = Msg(
        "Vérifie que chaque page a une seule meta description, de 70 à 160 caractères.",
        "Checks that each page has exactly one meta description of 70 to 160 characters.")
    why = Msg(
        "La meta description ne compte pas pour le classement, mais c’est souvent l’extrait "
        "affiché sous le titre dans les résultats : bien écrite, elle fait cliquer. Absente, "
        "le moteur prend une phrase au hasard ; au-delà d’environ 160 caractères, elle est "
        "coupée.",
        "The meta description does not count for ranking, but it is often the snippet under "
        "the title in the results: well written, it earns clicks. Missing, the engine picks a "
        "random sentence; past about 160 characters it is cut off.")
    fix = Msg(
        "Mettez dans le <head> de chaque page une seule balise <meta name=\"description\"> de "
        "70 à 160 caractères, qui dit la promesse de la page et contient son mot-clé.",
        "Put one <meta name=\"description\"> of 70 to 160 characters in each page's <head>, "
        "stating the page's promise and carrying its keyword.")
    codes = {
        "missing": Code(Severity.WARNING, Msg("Meta description absente",
                                              "Missing meta description")),
        "empty": Code(Severity.WARNING, Msg("Meta description vide", "Empty meta description")),
        "too-short": Code(Severity.WARNING, Msg("Meta description trop courte",
                                                "Meta description too short")),
        "too-long": Code(Severity.WARNING, Msg("Meta description trop longue",
                                               "Meta description too long")),
        "multiple": Code(Severity.WARNING, Msg("Plusieurs meta descriptions",
                                               "Several meta descriptions")),
    }

    @dataclass(frozen=True)
    class Options:
        min_length: int = checked(at_least(1), default=70)
        max_length: int = checked(at_least(20), default=160)

    def check(self, page: PageItem, ctx: Context) -> Iterator[Outcome]:
        text = page.meta_description
        if text is None:
            yield self.finding(page.url, "missing", Msg(
                "La page n’a pas de meta description : le moteur choisira un extrait au hasard.",
                "The page has no meta description: the engine will pick a snippet itself."))
            return
        if not text:
            yield self.finding(page.url, "empty", Msg(
                "La meta description est vide.", "The meta description is empty."))
            return
        n = len(text)
        if n < self.options.min_length:
            yield self.finding(page.url, "too-short", Msg(
                "Meta description trop courte ({n} caractères, minimum {min}).",
                "Meta description too short ({n} characters, minimum {min}).").format(
                    n=n, min=self.options.min_length), evidence=text)
        elif n > self.options.max_length:
            yield self.finding(page.url, "too-long", Msg(
                "Meta description trop longue ({n} caractères, maximum {max}) : "
                "elle sera tronquée.",
                "Meta description too long ({n} characters, maximum {max}): "
                "it will be truncated.").format(n=n, max=self.options.max_length),
                evidence=text)
        if page.meta_description_count > 1:
            yield self.finding(page.url, "multiple", Msg(
                "{n} meta descriptions : une seule sera retenue.",
                "{n} meta descriptions: only one will be used.").format(
                    n=page.meta_description_count), evidence=text)
