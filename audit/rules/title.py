from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from audit.context import Context
from audit.rule import Code, Msg, Outcome, PageRule, Severity
from audit.typedyaml import at_least, checked
from spiders.items import PageItem

# A title that is a file's name (« index.html », « document1.docx », « IMG_2034.jpg »):
# the page's tool wrote it, nobody chose it.
_FILE_NAME = re.compile(
    r"^[\w\-. ()]{1,80}\.(?:s?html?|php\d?|aspx?|jsp|cfm|docx?|odt|rtf|pdf|xlsx?|ods|pptx?|"
    r"odp|txt|md|jpe?g|png|gif|webp|svg|tiff?|bmp|heic|zip)$", re.IGNORECASE)
# Editors' and cameras' default names: « Untitled », « Sans titre », « Document1 »,
# « IMG_2034 », « DSC01234 ».
_DEFAULT_NAME = re.compile(
    r"^(?:untitled(?: document| page)?(?: \d+)?|sans titre(?: \d+)?|document sans titre|"
    r"page sans titre|nouveau document|nouvelle page|new page|new document|document ?\d+|"
    r"(?:img|dsc|dscn|dcim|pict|p)[_-]?\d{3,})$", re.IGNORECASE)


def is_file_name(title: str) -> bool:
    """The title is a file name or an editor's default (« index.html », « Untitled »)."""
    text = title.strip()
    return bool(_FILE_NAME.match(text) or _DEFAULT_NAME.match(text))


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

    A title that is a file name or an editor's default (« index.html »,
    « document1.docx », « IMG_2034.jpg », « Untitled », « Sans titre ») is
    ``file-name``: the tool wrote it, so its length is not judged apart. A title that only
    holds a file name among other words (« Télécharger tarifs.pdf ») is not one.
    """

    id = "title"
    category = "seo"
    weight = 3.0
    title = Msg("Balise title présente et de bonne longueur", "Title present and well sized")
    description = Msg(
        "Vérifie que chaque page a une seule balise <title>, de 30 à 60 caractères.",
        "Checks that each page has exactly one <title> of 30 to 60 characters.")
    why = Msg(
        "Le titre est le lien bleu du résultat de recherche et l’un des indices les plus forts "
        "du sujet de la page pour les moteurs. Absent, le moteur en invente un ; trop long "
        "(plus de 60 caractères environ), il est coupé ; trop court, il gaspille la place du "
        "mot-clé.",
        "The title is the blue link of the search result and one of the strongest signals of "
        "what the page is about. Missing, the engine makes one up; too long (over about 60 "
        "characters) it is cut; too short, it wastes the room for the keyword.")
    fix = Msg(
        "Donnez à chaque page une seule balise <title> de 30 à 60 caractères qui commence par "
        "le sujet de la page, puis la marque ; jamais un nom de fichier ni « Sans titre ».",
        "Give each page one <title> of 30 to 60 characters starting with the page's subject, "
        "then the brand; never a file name nor 'Untitled'.")
    codes = {
        "missing": Code(Severity.ERROR, Msg("Balise title absente", "Missing title")),
        "empty": Code(Severity.ERROR, Msg("Balise title vide", "Empty title")),
        "too-short": Code(Severity.WARNING, Msg("Titre trop court", "Title too short")),
        "too-long": Code(Severity.WARNING, Msg("Titre trop long", "Title too long")),
        "multiple": Code(Severity.WARNING, Msg("Plusieurs balises title", "Several titles")),
        "file-name": Code(Severity.WARNING, Msg("Titre = nom de fichier ou titre par défaut",
                                                "Title is a file name or a default")),
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
        if is_file_name(title):
            yield self.finding(page.url, "file-name", Msg(
                "Le titre « {t} » est un nom de fichier ou un titre par défaut : écrivez un "
                "titre qui dit le sujet de la page.",
                "The title '{t}' is a file name or a default title: write one that says what "
                "the page is about.").format(t=title), evidence=title)
        elif n < self.options.min_length:
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
