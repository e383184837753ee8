from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from audit.context import Context
from audit.rule import Code, Limit, Msg, Outcome, PageData, PageRule, Score, Severity
from audit.text.content import BOILERPLATE_REGIONS
from audit.text.lang_names import in_language
from audit.text.spelling import SpellChecker, SpellingResult, WordHit, debian_package
from audit.typedyaml import at_least, checked
from spiders.items import PageItem

CODE_BLOCKS = frozenset({"pre", "code"})  # program text, not prose


def spelling_score(errors: int, words: int, penalty: float = 25.0,
                   min_words: int = 100) -> float:
    """100 − penalty × errors per 100 words, floor 0; a page shorter than ``min_words``
    is judged as if it had ``min_words`` words (one slip never sinks a short page)."""
    rate = 100.0 * errors / max(words, min_words, 1)
    return max(0.0, 100.0 - penalty * rate)


class Spelling(PageRule):
    """The page's text is free of spelling mistakes (Hunspell, offline, French and English).

    **Why it matters**: spelling mistakes cost trust — visitors leave, and Google's
    own questions for judging content quality ask whether it "has spelling or
    stylistic issues". A misspelt word is also a keyword the page no longer ranks
    for (« référencment »).

    **Bad**: « Les 6 pilliers du community management », « ils amenera leur public
    vers les medias sociaux ».

    **Good**: « Les 6 piliers du community management », « ils amèneront leur public
    vers les médias sociaux ».

    Checked: the title, the meta description and every text block except ``pre``
    (code); a navigation, header, footer or aside block is checked on the first page
    that shows it only, so that a typo in the menu is reported once, not on every
    page. Each paragraph in its own language: an English quote on a French page is
    checked in English. Not counted: ALL-CAPS words (acronyms), URLs, e-mail
    addresses, numbers and words glued to digits, the client's ``spelling.ignore_words``
    and ``spelling.word_list``, and English words in French text (anglicisms such as
    community, must have; listed only with ``report_foreign_words``) — except English
    spellings of French words without their accents (« medias », « e-reputation »),
    which are mistakes. Unknown words that always carry a capital (brands, names)
    are listed apart as possible proper nouns and cost nothing.

    **Score**: ``100 − penalty × errors per 100 words`` (penalty 25, floor 0): 1 error
    per 100 words → 75, 2 → 50, 4 or more → 0. The rate is taken over at least
    ``min_words`` (100) words, so on a short page each error costs at most 25 points;
    a page without a word to check is not scored. A page whose language has no
    dictionary is not checked and not scored; that, and paragraphs in such a language,
    are limits of the audit, not faults of the site: one line in the Summary's notes
    names the missing dictionary, its Debian package and the number of pages concerned
    (never a finding). The Summary notes which dictionaries ran.
    """

    id = "spelling"
    category = "seo"
    weight = 1.0
    title = Msg("Texte sans faute d’orthographe", "Text free of spelling mistakes")
    description = Msg(
        "Vérifie l’orthographe du titre, de la description et du texte de chaque page "
        "(Hunspell, français et anglais, paragraphe par paragraphe).",
        "Checks the spelling of each page's title, description and text "
        "(Hunspell, French and English, paragraph by paragraph).")
    codes = {
        "misspelling": Code(Severity.WARNING, Msg("Fautes d’orthographe",
                                                  "Spelling mistakes")),
        "proper-noun": Code(Severity.NOTICE, Msg("Mots inconnus avec majuscule (noms propres ?)",
                                                 "Unknown capitalised words (proper nouns?)")),
        "foreign-words": Code(Severity.NOTICE, Msg("Mots d’une autre langue",
                                                   "Words from another language")),
    }
    columns = {"spelling_errors": Msg("Fautes d’orthographe", "Spelling mistakes")}

    @dataclass(frozen=True)
    class Options:
        penalty: float = checked(at_least(0), default=25.0)  # points per error per 100 words
        min_words: int = checked(at_least(1), default=100)  # shorter pages: judged as this long
        max_listed: int = checked(at_least(1), default=10)  # words quoted in one finding
        per_paragraph: bool = True  # detect each paragraph's language (fr/en)
        report_foreign_words: bool = False  # list anglicisms found in French text

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Boilerplate blocks already checked this run (hashes): a menu is checked once.
        self._boilerplate_seen: set[int] = set()

    def check(self, page: PageItem, ctx: Context) -> Iterator[Outcome]:
        checker = ctx.service("spelling", lambda: self._open(ctx))
        lang = ctx.page_language(page)
        if not checker.available(lang):
            yield _no_dictionary(page.url, lang, checker.problems.get(lang, ""))
            yield Score(page.url, None)  # a missing dictionary says nothing of the page
            return
        result = checker.check(self._paragraphs(page), lang, self.options.per_paragraph)
        yield from self._findings(page.url, result, checker, ctx)
        if not result.words:
            yield Score(page.url, None)  # nothing to judge
            return
        yield PageData(page.url, "spelling_errors", result.errors)
        yield Score(page.url, spelling_score(result.errors, result.words,
                                             self.options.penalty, self.options.min_words))

    @staticmethod
    def _open(ctx: Context) -> SpellChecker:
        checker = SpellChecker.from_config(ctx.config.spelling, ctx.config.resolve)
        checker.on_close = lambda c: _note_engine(c, ctx)
        return checker

    def _paragraphs(self, page: PageItem) -> Iterator[str]:
        if page.title:
            yield page.title
        if page.meta_description:
            yield page.meta_description
        seen = self._boilerplate_seen
        for block in page.text_blocks:
            if block.tag in CODE_BLOCKS or block.hidden:  # hidden text: hidden-text's
                continue
            if block.region in BOILERPLATE_REGIONS:
                key = hash(block.text)
                if key in seen:
                    continue
                seen.add(key)
            yield block.text

    def _findings(self, url: str, result: SpellingResult, checker: SpellChecker,
                  ctx: Context) -> Iterator[Outcome]:
        if result.misspellings:
            rate = 100.0 * result.errors / max(result.words, 1)
            yield self.finding(url, "misspelling", Msg(
                "{n} faute(s) d’orthographe probable(s) sur {words} mots "
                "({rate} pour 100 mots) : {list}.",
                "{n} probable spelling mistake(s) in {words} words "
                "({rate} per 100 words): {list}.").format(
                    n=result.errors, words=result.words, rate=f"{rate:.1f}",
                    list=self._listing(result.misspellings)),
                evidence=self._evidence(result.misspellings, result.lang, checker, ctx))
        if result.proper_nouns:
            yield self.finding(url, "proper-noun", Msg(
                "{n} mot(s) inconnu(s) du dictionnaire, toujours avec une majuscule "
                "(noms propres, marques ?) : {list}. S’ils sont corrects, ajoutez-les à "
                "spelling.ignore_words.",
                "{n} word(s) unknown to the dictionary, always capitalised (proper nouns, "
                "brands?): {list}. If they are right, add them to spelling.ignore_words."
            ).format(n=len(merged(result.proper_nouns)),
                     list=self._listing(result.proper_nouns)),
                evidence=self._evidence(result.proper_nouns, result.lang, None, ctx))
        if result.foreign and self.options.report_foreign_words:
            yield self.finding(url, "foreign-words", Msg(
                "{n} mot(s) d’une autre langue que celle du paragraphe (anglicismes…) : "
                "{list}.",
                "{n} word(s) from another language than the paragraph's (anglicisms…): "
                "{list}.").format(n=len(merged(result.foreign)),
                                  list=self._listing(result.foreign)),
                evidence=self._evidence(result.foreign, result.lang, None, ctx))
        for lang in sorted(result.unchecked):
            yield _no_dictionary(url, lang, "")

    def _listing(self, hits: list[WordHit]) -> str:
        hits = merged(hits)
        shown = hits[: self.options.max_listed]
        text = ", ".join(h.word + (f" (×{h.count})" if h.count > 1 else "") for h in shown)
        return text + (f", … (+{len(hits) - len(shown)})" if len(hits) > len(shown) else "")

    def _evidence(self, hits: list[WordHit], page_lang: str, checker: SpellChecker | None,
                  ctx: Context) -> str:
        """One line per word: the word, its language when not the page's, its context,
        and Hunspell's suggestions when the client asked for them."""
        cfg = ctx.config.spelling
        lines = []
        for h in merged(hits)[: self.options.max_listed]:
            line = h.word + (f" [{h.lang}]" if h.lang != page_lang else "")
            line += f" — « {h.context} »"
            if checker is not None and cfg.suggestions and cfg.max_suggestions:
                found = checker.suggest(h.lang, h.word, cfg.max_suggestions)
                if found:
                    line += " → " + ", ".join(found)
            lines.append(line)
        return "\n".join(lines)


def _note_engine(checker: SpellChecker, ctx: Context) -> None:
    """One line on the Summary: the dictionaries that ran (the ones missing are limits,
    counted per page by the runner)."""
    if checker.dictionaries:
        ctx.note(Msg("Orthographe vérifiée avec {engine}.",
                     "Spelling checked with {engine}.").format(engine=checker.describe()))


def merged(hits: list[WordHit]) -> list[WordHit]:
    """One entry per word as people read it: the checker counts a word apart per dictionary
    (« utilitR » in a French and in an English paragraph), which listed it twice
    (« utilitR (×6), utilitR (×3) »). Case variants merge too; the first spelling, language
    and context are kept, the counts summed, the most frequent first."""
    out: dict[str, WordHit] = {}
    for h in hits:
        key = h.word.lower()
        first = out.get(key)
        out[key] = h if first is None else WordHit(first.word, first.lang,
                                                   first.count + h.count, first.context)
    return sorted(out.values(), key=lambda h: -h.count)


def _no_dictionary(url: str, lang: str, why: str) -> Limit:
    """Text in a language without a Hunspell dictionary: a limit of the audit."""
    where, pkg = in_language(lang), debian_package(lang)
    return Limit(f"no-dictionary:{lang}", Msg(
        f"Orthographe non vérifiée sur {{pages}} (texte {where.fr}) : pas de dictionnaire "
        f"Hunspell pour cette langue (paquet Debian {pkg}, ou un dossier "
        "spelling.dictionaries).",
        f"Spelling not checked on {{pages}} (text {where.en}): no Hunspell dictionary for "
        f"that language (Debian package {pkg}, or a spelling.dictionaries folder)."),
        url, detail=why)
