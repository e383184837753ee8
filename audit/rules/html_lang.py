from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from audit.context import Context
from audit.langtags import lang_problem, primary
from audit.rule import Code, Msg, Outcome, Score, Severity, SiteRule
from audit.text.content import prose_blocks
from audit.text.lang_names import language_name
from audit.text.language import MIN_WORDS, stop_word_of
from audit.typedyaml import at_least, between, checked
from spiders.items import PageItem

# The languages the text can be told apart in (audit/text/language.py): a declaration of
# another language is never contradicted.
DETECTABLE = ("fr", "en")
MAX_LISTED = 10
_TOKEN = re.compile(r"[^\W\d_]+")


@dataclass(slots=True)
class _Seen:
    url: str
    declared: str | None  # <html lang> as written; None: no attribute
    problem: str  # "missing" | "invalid" | ""
    detected: str  # the language the text is written in, "" when not judged
    words: int  # words of the detected language
    judged: int  # words of paragraphs whose language was clear


def text_language(page: PageItem, min_words: int, min_share: float) -> tuple[str, int, int]:
    """(language, its words, words judged) of the page's prose: each paragraph of six
    words or more votes with its function words (« le », « dans » / "the", "with");
    the page is in a language when at least ``min_words`` words and ``min_share`` of
    the words judged are in it. ("", 0, judged) when the text is too short or mixed."""
    words = {lang: 0 for lang in DETECTABLE}
    for _block, text in prose_blocks(page):
        tokens = _TOKEN.findall(text.lower())
        if len(tokens) < MIN_WORDS:
            continue
        votes = {lang: 0 for lang in DETECTABLE}
        for token in tokens:
            owner = stop_word_of(token)
            if owner in votes:
                votes[owner] += 1
        best = max(votes, key=votes.__getitem__)
        other = max(v for lang, v in votes.items() if lang != best)
        # As audit.text.language.detect switches language: two distinctive words at
        # least, twice the other language's, one word in ten.
        if votes[best] >= 2 and votes[best] > 2 * other and votes[best] * 10 >= len(tokens):
            words[best] += len(tokens)
    judged = sum(words.values())
    best = max(words, key=words.__getitem__)
    if words[best] >= min_words and words[best] >= min_share * judged:
        return best, words[best], judged
    return "", 0, judged


class HtmlLang(SiteRule):
    """``<html lang>`` is present, valid, and names the language the page is written in.

    **Why it matters**: the declared language tells Bing and browsers what they read
    (Chrome offers to translate a French page declared English into French, for French
    visitors), screen readers pronounce the text with that language's voice, and
    spell-checkers and hyphenation follow it. Google reads the language from the text
    itself, so a wrong declaration mostly costs visitors and other engines; it is
    nevertheless one line of the template, quickly fixed.

    **Bad**: a French blog built from an English theme: ``<html lang="en">`` on every
    page; ``<html>`` without ``lang``; ``lang="fr_FR"`` (BCP 47 takes a hyphen).

    **Good**: ``<html lang="fr">`` (or ``fr-FR``), and ``lang="en"`` on the English
    pages of a bilingual site.

    The text's language is read from the prose of the content (code, menus and footers
    left out), paragraph by paragraph, with French and English function words
    (audit/text/language.py): a page is judged only with at least ``min_words`` words in
    one language and ``min_share`` of its judged words in it, so short or mixed pages are
    never accused; a declaration of a language other than French or English is never
    contradicted. When most pages share the same wrong declaration (``template_share`` of
    the pages with that declaration, at least ``template_min_pages``), the template is
    at fault: ONE finding for the site lists them. Every page concerned scores 50.
    """

    id = "html-lang"
    category = "seo"
    weight = 1.0
    title = Msg("Langue de la page déclarée (html lang)", "Page language declared (html lang)")
    description = Msg(
        "Vérifie l’attribut lang de <html> : présent, valide (BCP 47) et conforme à la langue "
        "du texte de la page.",
        "Checks the lang attribute of <html>: present, valid (BCP 47) and matching the "
        "language of the page's text.")
    why = Msg(
        "La langue déclarée dans <html lang> guide Bing, la traduction proposée par Chrome, la "
        "voix des lecteurs d’écran et la césure : fausse, elle fait proposer de traduire une "
        "page française en français. Google lit la langue dans le texte : l’enjeu est surtout "
        "pour les visiteurs.",
        "The language declared in <html lang> guides Bing, Chrome's translation offer, screen "
        "readers' voice and hyphenation: wrong, it makes Chrome offer to translate a French "
        "page into French. Google reads the language from the text: visitors pay most.")
    fix = Msg(
        "Dans le modèle (thème) du site, déclarez la vraie langue de chaque page : <html "
        "lang=\"fr\"> (ou fr-FR, avec un tiret, pas fr_FR), et lang=\"en\" sur les pages en "
        "anglais.",
        "In the site's template (theme), declare each page's real language: <html lang=\"fr\"> "
        "(or fr-FR, with a hyphen, not fr_FR), and lang=\"en\" on the English pages.")
    codes = {
        "missing": Code(Severity.WARNING, Msg("Langue non déclarée (html lang)",
                                              "Language not declared (html lang)")),
        "invalid": Code(Severity.WARNING, Msg("Code de langue invalide (html lang)",
                                              "Invalid language code (html lang)")),
        "mismatch": Code(Severity.WARNING, Msg("Langue déclarée différente du texte",
                                               "Declared language differs from the text")),
    }

    @dataclass(frozen=True)
    class Options:
        min_words: int = checked(at_least(20), default=80)  # words in one language to judge
        min_share: float = checked(between(0.5, 1.0), default=0.8)  # of the judged words
        template_share: float = checked(between(0.5, 1.0), default=0.8)
        template_min_pages: int = checked(at_least(2), default=3)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.seen: list[_Seen] = []

    def collect(self, page: PageItem, ctx: Context) -> None:
        declared = page.html_lang if page.schema_version >= 3 else (page.lang or None)
        value = (declared or "").strip()
        problem = "missing" if not value else "invalid" if lang_problem(value) else ""
        detected, words, judged = text_language(page, self.options.min_words,
                                                self.options.min_share)
        self.seen.append(_Seen(page.url, declared, problem, detected, words, judged))

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        # (code, declaration lower-case, detected) -> pages
        groups: dict[tuple[str, str, str], list[_Seen]] = {}
        same_declaration: dict[str, int] = {}  # declaration -> pages (judged, for mismatch)
        judged_declaration: dict[str, int] = {}
        for s in self.seen:
            key = (s.declared or "").strip().lower()
            same_declaration[key] = same_declaration.get(key, 0) + 1
            if s.detected:
                judged_declaration[key] = judged_declaration.get(key, 0) + 1
            code = s.problem or ("mismatch" if self._mismatch(s) else "")
            if code:
                groups.setdefault((code, key, s.detected if code == "mismatch" else ""),
                                  []).append(s)
            else:
                yield Score(s.url, 100.0)
        o = self.options
        for (code, key, _detected), pages in groups.items():
            among = judged_declaration[key] if code == "mismatch" else same_declaration[key]
            if len(pages) >= o.template_min_pages and len(pages) >= o.template_share * among:
                # Reported on the home page when it is one of them: the template's face.
                starts = set(ctx.config.site.start_urls)
                pages.sort(key=lambda s: s.url not in starts)
                yield self._template(code, pages, among)
            else:
                for s in pages:
                    yield self._one(code, s)
            for s in pages:
                yield Score(s.url, 50.0)
        self.seen.clear()

    @staticmethod
    def _mismatch(s: _Seen) -> bool:
        said = primary(s.declared or "")
        return bool(s.detected) and said in DETECTABLE and said != s.detected

    def _one(self, code: str, s: _Seen) -> Outcome:
        if code == "missing":
            hint = _hint(s.detected)
            return self.finding(s.url, code, Msg(
                f"La balise <html> ne déclare pas la langue de la page (attribut lang){hint.fr}.",
                f"The <html> tag does not declare the page's language (lang attribute)"
                f"{hint.en}."), evidence=_evidence(s))
        if code == "invalid":
            hint = _hint(s.detected)
            return self.finding(s.url, code, Msg(
                "Code de langue invalide : lang=\"{v}\" (attendu : un code BCP 47 comme « fr » "
                "ou « fr-FR »){h}.",
                "Invalid language code: lang=\"{v}\" (expected a BCP 47 tag such as 'fr' or "
                "'fr-FR'){h2}.").format(v=s.declared, h=hint.fr, h2=hint.en),
                evidence=_evidence(s))
        text, said = language_name(s.detected), language_name(primary(s.declared or ""))
        return self.finding(s.url, code, Msg(
            f"La page déclare lang=\"{s.declared}\" ({said.fr}) mais son texte est en "
            f"{text.fr} : déclarez lang=\"{s.detected}\".",
            f"The page declares lang=\"{s.declared}\" ({said.en}) but its text is in "
            f"{text.en}: declare lang=\"{s.detected}\"."), evidence=_evidence(s))

    def _template(self, code: str, pages: list[_Seen], among: int) -> Outcome:
        first = pages[0]
        n = len(pages)
        related = [s.url for s in pages[1:MAX_LISTED + 1]]
        evidence = Msg(f"{n} pages sur {among}", f"{n} pages out of {among}")
        if code == "missing":
            hint = _hint(first.detected)
            msg = Msg(
                f"Aucune des {n} pages ne déclare sa langue (<html> sans attribut lang) : "
                f"le gabarit du site est en cause, une correction suffit{hint.fr}.",
                f"None of the {n} pages declares its language (<html> without a lang "
                f"attribute): the site's template is at fault, one fix does it{hint.en}.")
        elif code == "invalid":
            hint = _hint(first.detected)
            msg = Msg(
                f"Les {n} pages déclarent un code de langue invalide, lang=\"{first.declared}\" "
                f"(attendu : un code BCP 47 comme « fr » ou « fr-FR ») : le gabarit du site "
                f"est en cause{hint.fr}.",
                f"The {n} pages declare an invalid language code, lang=\"{first.declared}\" "
                f"(expected a BCP 47 tag such as 'fr' or 'fr-FR'): the site's template is at "
                f"fault{hint.en}.")
        else:
            text = language_name(first.detected)
            said = language_name(primary(first.declared or ""))
            msg = Msg(
                f"{n} pages déclarent lang=\"{first.declared}\" ({said.fr}) alors que leur "
                f"texte est en {text.fr} : le gabarit du site est en cause, déclarez "
                f"lang=\"{first.detected}\" une fois pour toutes.",
                f"{n} pages declare lang=\"{first.declared}\" ({said.en}) while their text is "
                f"in {text.en}: the site's template is at fault, declare "
                f"lang=\"{first.detected}\" once for all.")
        return self.finding(first.url, code, msg, evidence=evidence, related=related)


def _hint(detected: str) -> Msg:
    if not detected:
        return Msg("", "")
    name = language_name(detected)
    return Msg(f" ; le texte est en {name.fr} : lang=\"{detected}\"",
               f"; the text is in {name.en}: lang=\"{detected}\"")


def _evidence(s: _Seen) -> Msg:
    declared = "—" if s.declared is None else f'lang="{s.declared}"'
    if not s.detected:
        return Msg(f"<html {declared}>", f"<html {declared}>")
    name = language_name(s.detected)
    return Msg(f"<html {declared}> · texte en {name.fr} : {s.words} mots sur {s.judged} jugés",
               f"<html {declared}> · text in {name.en}: {s.words} words of {s.judged} judged")
