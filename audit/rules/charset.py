from __future__ import annotations

from collections.abc import Iterator

from audit.context import Context
from audit.rule import Code, Msg, Outcome, PageRule, Score, Severity
from spiders.items import PageItem


class Charset(PageRule):
    """The page declares its character encoding, and the declaration is true.

    **Why it matters**: browsers and search engines read the bytes in the encoding the
    server (``Content-Type: text/html; charset=…``) or the page (``<meta charset>``)
    declares. A French page saved in windows-1252 but served as UTF-8 shows « � » for
    every accent; a UTF-8 page declared iso-8859-1 shows « Ã© » for « é » — in the
    browser and in the search result's title and snippet, where it costs clicks and
    trust. With no declaration at all, each browser guesses.

    **Bad**: an old page in windows-1252 behind a server sending
    ``Content-Type: text/html; charset=utf-8``; a page with accents and neither a
    header charset nor a ``<meta charset>``.

    **Good**: the file saved in UTF-8, ``<meta charset="utf-8">`` as the first element
    of ``<head>``, and the server agreeing (``AddDefaultCharset UTF-8``,
    ``charset utf-8;`` in nginx).

    The audit itself reads every page right whatever it declares (spiders/encoding.py),
    so the other rules are not thrown off; this rule reports what visitors would see.
    A contradicted declaration scores 0, a missing one 50.
    """

    id = "charset"
    category = "seo"
    weight = 1.0
    title = Msg("Encodage des caractères déclaré", "Character encoding declared")
    description = Msg(
        "Vérifie que la page déclare son encodage (en-tête HTTP ou <meta charset>) et que "
        "cette déclaration correspond à ses octets.",
        "Checks that the page declares its encoding (HTTP header or <meta charset>) and "
        "that the declaration matches its bytes.")
    why = Msg(
        "Si l’encodage déclaré est faux, les accents s’affichent en « Ã© » ou « � », dans le "
        "navigateur comme dans le titre et l’extrait des résultats de recherche, ce qui coûte "
        "des clics et la confiance ; sans déclaration, chaque navigateur devine.",
        "When the declared encoding is wrong, accents show as 'Ã©' or '�', in the browser and "
        "in the search result's title and snippet, which costs clicks and trust; with no "
        "declaration, each browser guesses.")
    fix = Msg(
        "Enregistrez les pages en UTF-8, placez <meta charset=\"utf-8\"> en premier dans le "
        "<head> et faites envoyer le même encodage par le serveur (AddDefaultCharset UTF-8 "
        "sous Apache, charset utf-8; sous nginx).",
        "Save the pages in UTF-8, put <meta charset=\"utf-8\"> first in the <head> and have "
        "the server send the same encoding (AddDefaultCharset UTF-8 in Apache, charset utf-8; "
        "in nginx).")
    codes = {
        "contradicted": Code(Severity.ERROR, Msg(
            "Encodage déclaré faux : accents illisibles",
            "Wrong encoding declared: garbled accents")),
        "undeclared": Code(Severity.WARNING, Msg(
            "Encodage des caractères non déclaré", "Character encoding not declared")),
    }

    def applies(self, page: PageItem) -> bool:
        return page.ok and bool(page.charset)  # pages crawled before this field: not judged

    def check(self, page: PageItem, ctx: Context) -> Iterator[Outcome]:
        if page.charset_problem == "contradicted":
            yield self.finding(page.url, "contradicted", Msg(
                "La page est déclarée en {d} mais écrite en {u} : les navigateurs et les "
                "moteurs affichent ses accents de travers. Enregistrez-la en UTF-8 et "
                "déclarez UTF-8.",
                "The page is declared {d} but written in {u}: browsers and engines show "
                "its accents garbled. Save it in UTF-8 and declare UTF-8.").format(
                    d=page.charset_declared, u=_name(page.charset)),
                evidence=Msg("déclaré : {d} ; octets : {u}", "declared: {d}; bytes: {u}").format(
                    d=page.charset_declared, u=_name(page.charset)))
            yield Score(page.url, 0.0)
        elif page.charset_problem == "undeclared":
            yield self.finding(page.url, "undeclared", Msg(
                "Ni l’en-tête HTTP ni la page ne déclarent d’encodage (lu en {u}) : chaque "
                "navigateur devine. Ajoutez <meta charset=\"utf-8\">.",
                "Neither the HTTP header nor the page declares an encoding (read as {u}): "
                "each browser guesses. Add <meta charset=\"utf-8\">.").format(
                    u=_name(page.charset)),
                evidence=f"Content-Type: {page.content_type or '—'}")
            yield Score(page.url, 50.0)
        else:
            yield Score(page.url, 100.0)


def _name(codec: str) -> str:
    """A codec name as people write it (cp1252 → windows-1252)."""
    return {"cp1252": "windows-1252", "utf-8": "UTF-8"}.get(codec, codec)
