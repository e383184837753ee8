from __future__ import annotations

from collections.abc import Iterator

from audit.context import Context
from audit.rule import Code, Msg, Outcome, PageRule, Severity
from spiders.items import PageItem


class H1(PageRule):
    """The page has exactly one non-empty <h1> heading.

    **Why it matters**: the h1 tells visitors and engines what the page is about; it
    is the natural place for the page's focus keyword. No h1 leaves the topic to
    guesswork; several h1s blur which topic is the main one.

    **Bad**: a page whose biggest heading is a styled ``<div>``, or a logo and a
    headline both marked ``<h1>``.

    **Good**: ``<h1>Référencement naturel pour les PME lyonnaises</h1>`` once, then
    ``<h2>`` for the sections.
    """

    id = "h1"
    category = "seo"
    weight = 2.0
    title = Msg("Un seul titre h1", "Exactly one h1 heading")
    description = Msg("Vérifie que chaque page a un et un seul titre <h1>, non vide.",
                      "Checks that each page has one and only one non-empty <h1>.")
    why = Msg(
        "Le titre <h1> dit aux visiteurs et aux moteurs de quoi parle la page et accueille "
        "naturellement son mot-clé. Sans h1, le sujet est laissé à deviner ; avec plusieurs, "
        "on ne sait plus lequel est le principal.",
        "The <h1> heading tells visitors and engines what the page is about and is the natural "
        "place for its keyword. Without one the topic is left to guesswork; with several, the "
        "main one is unclear.")
    fix = Msg(
        "Balisez le grand titre visible de chaque page en un seul <h1> non vide qui annonce "
        "son sujet, et passez les autres titres (logo, sections) en <h2> ou en texte simple.",
        "Mark the visible main heading of each page as one non-empty <h1> stating its subject, "
        "and turn the other headings (logo, sections) into <h2> or plain text.")
    codes = {
        "missing": Code(Severity.WARNING, Msg("Titre h1 absent", "Missing h1")),
        "empty": Code(Severity.WARNING, Msg("Titre h1 vide", "Empty h1")),
        "multiple": Code(Severity.WARNING, Msg("Plusieurs titres h1", "Several h1 headings")),
    }

    def check(self, page: PageItem, ctx: Context) -> Iterator[Outcome]:
        h1s = page.h(1)
        if not h1s:
            yield self.finding(page.url, "missing", Msg(
                "La page n’a pas de titre <h1>.", "The page has no <h1> heading."))
            return
        if not any(h1s):
            yield self.finding(page.url, "empty", Msg(
                "Le titre <h1> est vide.", "The <h1> heading is empty."))
        if len(h1s) > 1:
            yield self.finding(page.url, "multiple", Msg(
                "{n} titres <h1> : le sujet principal de la page est flou.",
                "{n} <h1> headings: the main topic of the page is unclear.").format(n=len(h1s)),
                evidence=" | ".join(h1s))
