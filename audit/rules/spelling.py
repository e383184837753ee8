from __future__ import annotations

import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

from audit.context import Context
from audit.numbering import Numbering
from audit.rule import Code, Limit, Msg, Outcome, PageData, Score, Severity, SiteRule
from audit.text.content import BOILERPLATE_REGIONS, CODE_BLOCK_TAGS, prose
from audit.text.lang_names import in_language
from audit.text.spelling import (
    Kind,
    SpellChecker,
    SpellingResult,
    WordHit,
    debian_package,
    spelling_service,
    word_key,
)
from audit.typedyaml import at_least, checked
from spiders.items import PageItem


def spelling_score(errors: int, words: int, penalty: float = 25.0,
                   min_words: int = 100) -> float:
    """100 − penalty × errors per 100 words, floor 0; a page shorter than ``min_words``
    is judged as if it had ``min_words`` words (one slip never sinks a short page)."""
    rate = 100.0 * errors / max(words, min_words, 1)
    return max(0.0, 100.0 - penalty * rate)


class Spelling(SiteRule):
    """The page's text is free of spelling mistakes (Hunspell, offline, French and English).

    **Why it matters**: spelling mistakes cost trust — visitors leave, and Google's
    own questions for judging content quality ask whether it "has spelling or
    stylistic issues". A misspelt word is also a keyword the page no longer ranks
    for (« référencment »).

    **Bad**: « Les 6 pilliers du community management », « ils amenera leur public
    vers les medias sociaux ».

    **Good**: « Les 6 piliers du community management », « ils amèneront leur public
    vers les médias sociaux ».

    Checked: the title, the meta description and the prose of every text block — not
    ``<pre>`` listings nor inline ``<code>``, ``<kbd>``, ``<samp>``, ``<var>`` (file
    names, functions, commands are not words of the language); a navigation, header,
    footer or aside block is checked on the first page that shows it only, so that a
    typo in the menu is reported once, not on every page. Each paragraph in its own
    language: an English quote on a French page is checked in English, with the British
    and the American dictionaries (both spellings are right). Not counted: ALL-CAPS words
    (acronyms), URLs, e-mail addresses, numbers and words glued to digits, the client's
    ``spelling.ignore_words`` and ``spelling.word_list``, the words of the configured focus
    keywords, French words built with a productive prefix on a known word (réutilisateur,
    bivarié, multicritère), and English words in French text (anglicisms such as
    community, must have; listed only with ``report_foreign_words``) — except English
    spellings of French words without their accents (« medias », « e-reputation »),
    which are mistakes. Unknown words that always carry a capital (brands, names)
    are listed apart as possible proper nouns and cost nothing. A mistake is what a typo
    looks like: one edit from a known word (a letter dropped, doubled, swapped or
    mistyped, an accent wrong or missing: « continous », « systéme ») or two French words
    glued; an unknown word of 5 letters or more far from every known word (« matplotlib »)
    or a shorter one is a term to confirm (``unknown-word``, costing nothing).

    **Not accused**: words of the software trade (``spelling.trade_terms``, on by
    default: matplotlib, dtype, kubectl), words the site itself writes in its code
    listings (a function name quoted in prose), regular French derivations of known
    words (« paramétrable »), names written in lower case (to confirm), and lone words
    or tag lists with no sentence around them (to confirm, never typos). « schema » next
    to English words is English; « les medias sociaux » stays a mistake.

    **Site vocabulary**: a word the dictionaries do not know but the site uses on
    ``vocabulary_pages`` pages or more (3) is the site's vocabulary — a product name,
    a term of the trade (pseudonymisation, géocodage) — or a habit to fix once: it is
    listed once for the whole site, with its page count, to confirm (then add it to
    ``spelling.ignore_words``), and counted as an error on no page.

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
    why = Msg(
        "Les fautes d’orthographe coûtent la confiance : les visiteurs partent, et les "
        "questions que Google propose pour juger la qualité d’un contenu demandent s’il "
        "contient des fautes. Un mot mal écrit (« référencment ») est aussi un mot-clé pour "
        "lequel la page ne se classe plus.",
        "Spelling mistakes cost trust: visitors leave, and Google's own questions for judging "
        "content quality ask whether it has spelling issues. A misspelt word ('référencment') "
        "is also a keyword the page no longer ranks for.")
    fix = Msg(
        "Corrigez dans le CMS les fautes signalées (titre, description, texte) ; confirmez à "
        "votre consultant les mots inconnus qui sont justes (noms de produits, termes du "
        "métier) pour qu’ils rejoignent la liste des mots admis.",
        "Correct the reported mistakes in the CMS (title, description, text); confirm to your "
        "consultant the unknown words that are right (product names, trade terms) so that they "
        "join the list of accepted words.")
    codes = {
        "misspelling": Code(Severity.WARNING, Msg("Fautes d’orthographe",
                                                  "Spelling mistakes")),
        "proper-noun": Code(Severity.NOTICE, Msg("Mots inconnus avec majuscule (noms propres ?)",
                                                 "Unknown capitalised words (proper nouns?)")),
        "unknown-word": Code(Severity.NOTICE, Msg(
            "Mots inconnus du dictionnaire (termes, produits ?)",
            "Words unknown to the dictionary (terms, products?)")),
        "site-vocabulary": Code(Severity.NOTICE, Msg(
            "Vocabulaire du site inconnu du dictionnaire (à confirmer)",
            "Site vocabulary unknown to the dictionary (to confirm)")),
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
        # An unknown word on this many pages or more is the site's vocabulary: listed once.
        vocabulary_pages: int = checked(at_least(2), default=3)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Boilerplate blocks already checked this run (hashes): a menu is checked once.
        self._boilerplate_seen: set[int] = set()
        # Every unknown word of the site, numbered: (lang, grouping key).
        self._words: Numbering[tuple[str, str]] = Numbering()
        self._first: list[tuple[str, str, str]] = []  # per word: as written, context, url
        self._pages_of: array[int] = array("i")  # per word: pages it is unknown on
        self._records: list[_Record] = []
        self._home = ""  # the first page checked (the start URL): site findings go there
        # Words the site itself writes as code (<pre>, <code>…): identifiers, not typos.
        self._code_words: set[str] = set()

    def collect(self, page: PageItem, ctx: Context) -> Iterator[Outcome]:
        checker = spelling_service(ctx)
        self._home = self._home or page.url
        lang = ctx.page_language(page)
        if not checker.available(lang):
            yield _no_dictionary(page.url, lang, checker.problems.get(lang, ""))
            yield Score(page.url, None)  # a missing dictionary says nothing of the page
            return
        result = checker.check(self._paragraphs(page), lang, self.options.per_paragraph)
        self._code_words.update(code_words(page))
        yield from self._unchecked(page.url, result)
        if result.foreign and self.options.report_foreign_words:
            yield self._foreign(page.url, result, ctx)
        if not result.words:
            yield Score(page.url, None)  # nothing to judge
            return
        self._records.append(_Record(page.url, result.lang, result.words,
                                     self._number(result.misspellings, page.url),
                                     self._number(result.proper_nouns, page.url)))

    def _number(self, hits: list[WordHit], url: str) -> list[tuple[int, WordHit]]:
        out = []
        for h in hits:
            n = self._words.id((h.lang, word_key(h.word)))
            if n == len(self._first):
                self._first.append((h.word, h.context, url))
                self._pages_of.append(0)
            self._pages_of[n] += 1
            out.append((n, h))
        return out

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        checker = ctx.services.get("spelling")
        vocabulary = {n for n, pages in enumerate(self._pages_of)
                      if pages >= self.options.vocabulary_pages}
        # A word the site writes as code names that code in the prose (« linestyle »,
        # « events », « integration-test » of <phase>integration-test</phase>) — unless
        # it is a French word without its accents and no other language's (« scripts
        # d'enonces »: the identifier is ASCII, the sentence owes its accents).
        code = self._code_words

        def is_code(h: WordHit) -> bool:
            return all(part in code for part in word_key(h.word).split("-")) and (
                checker is None or not checker.unaccented(h.lang, h.word)
                or checker.classify(h.lang, h.word) is Kind.AMBIGUOUS)

        for r in self._records:
            unknown = [h for n, h in r.misspellings if n not in vocabulary and not is_code(h)]
            # A typo is one edit from a known word; far from all, it is a term to confirm.
            wrong: list[WordHit] = []
            terms: list[WordHit] = []
            for h in unknown:
                typo = not h.fragment and (checker is None
                                           or checker.near_miss(h.lang, h.word))
                (wrong if typo else terms).append(h)
            names = [h for n, h in r.proper_nouns if n not in vocabulary and not is_code(h)]
            errors = sum(h.count for h in wrong)
            if wrong:
                rate = 100.0 * errors / max(r.words, 1)
                yield self.finding(r.url, "misspelling", Msg(
                    "{n} faute(s) d’orthographe probable(s) sur {words} mots "
                    "({rate} pour 100 mots) : {list}.",
                    "{n} probable spelling mistake(s) in {words} words "
                    "({rate} per 100 words): {list}.").format(
                        n=errors, words=r.words, rate=f"{rate:.1f}", list=self._listing(wrong)),
                    evidence=self._evidence(wrong, r.lang, checker, ctx))
            yield from self._to_confirm(r, "unknown-word", terms, ctx, Msg(
                "{n} mot(s) inconnu(s) du dictionnaire et loin de tout mot connu (termes du "
                "métier, noms de produits, identifiants ?) : {list}. S’ils sont corrects, "
                "ajoutez-les à spelling.ignore_words.",
                "{n} word(s) unknown to the dictionary and far from any known word (terms of "
                "the trade, product names, identifiers?): {list}. If they are right, add them "
                "to spelling.ignore_words."))
            yield from self._to_confirm(r, "proper-noun", names, ctx, Msg(
                "{n} mot(s) inconnu(s) du dictionnaire, toujours avec une majuscule (noms "
                "propres, marques ?) : {list}. S’ils sont corrects, ajoutez-les à "
                "spelling.ignore_words.",
                "{n} word(s) unknown to the dictionary, always capitalised (proper nouns, "
                "brands?): {list}. If they are right, add them to spelling.ignore_words."))
            yield PageData(r.url, "spelling_errors", errors)
            yield Score(r.url, spelling_score(errors, r.words, self.options.penalty,
                                              self.options.min_words))
        if vocabulary:
            yield self._vocabulary(sorted(vocabulary, key=lambda n: (-self._pages_of[n],
                                                                     self._first[n][0].lower())))
        self._records.clear()
        self._code_words.clear()

    def _to_confirm(self, r: _Record, code: str, hits: list[WordHit], ctx: Context,
                    message: Msg) -> Iterator[Outcome]:
        """A list of words to confirm (costing nothing): ``message`` has {n} and {list}."""
        if hits:
            yield self.finding(r.url, code, message.format(n=len(merged(hits)),
                                                           list=self._listing(hits)),
                               evidence=self._evidence(hits, r.lang, None, ctx))

    def _vocabulary(self, words: list[int]) -> Outcome:
        shown = words[: max(self.options.max_listed, 30)]
        listing = ", ".join(f"{self._first[n][0]} ({self._pages_of[n]})" for n in shown)
        if len(words) > len(shown):
            listing += f", … (+{len(words) - len(shown)})"
        lines = [f"{self._first[n][0]} — « {self._first[n][1]} » — {self._pages_of[n]} "
                 f"page(s), {self._first[n][2]}" for n in shown]
        return self.site_finding(self._home, "site-vocabulary", Msg(
            "{n} mot(s) inconnu(s) du dictionnaire mais employé(s) sur plusieurs pages "
            "(vocabulaire du métier, noms de produits… ou faute d’habitude) : à confirmer une "
            "fois, puis à ajouter à spelling.ignore_words s’ils sont justes. Nombre de pages "
            "entre parenthèses : {list}.",
            "{n} word(s) unknown to the dictionary but used on several pages (terms of the "
            "trade, product names… or a habitual mistake): confirm them once, then add the "
            "right ones to spelling.ignore_words. Pages in brackets: {list}.").format(
                n=len(words), list=listing), evidence="\n".join(lines))

    def _paragraphs(self, page: PageItem) -> Iterator[str]:
        if page.title:
            yield page.title
        if page.meta_description:
            yield page.meta_description
        seen = self._boilerplate_seen
        for block in page.text_blocks:
            if block.hidden:  # hidden text: hidden-text's
                continue
            text = prose(block)
            if not text:
                continue
            if block.region in BOILERPLATE_REGIONS:
                key = hash(text)
                if key in seen:
                    continue
                seen.add(key)
            yield text

    def _unchecked(self, url: str, result: SpellingResult) -> Iterator[Outcome]:
        for lang in sorted(result.unchecked):
            yield _no_dictionary(url, lang, "")

    def _foreign(self, url: str, result: SpellingResult, ctx: Context) -> Outcome:
        return self.finding(url, "foreign-words", Msg(
            "{n} mot(s) d’une autre langue que celle du paragraphe (anglicismes…) : "
            "{list}.",
            "{n} word(s) from another language than the paragraph's (anglicisms…): "
            "{list}.").format(n=len(merged(result.foreign)),
                              list=self._listing(result.foreign)),
            evidence=self._evidence(result.foreign, result.lang, None, ctx))

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


_CODE_WORD = re.compile(r"[^\W\d_]{3,}")


def code_words(page: PageItem) -> set[str]:
    """The words of the page's code, lower case: runs of 3 letters or more in its visible
    ``<pre>`` listings and inline code (« linestyle » of ``plt.plot(x, linestyle='--')``,
    « kable » of ``knitr::kable()``). The same word in the prose names that code."""
    out: set[str] = set()
    for block in page.text_blocks:
        if block.hidden:
            continue
        if block.tag in CODE_BLOCK_TAGS:
            out.update(w.lower() for w in _CODE_WORD.findall(block.text))
        for fragment in block.code:
            out.update(w.lower() for w in _CODE_WORD.findall(fragment))
    return out


def merged(hits: list[WordHit]) -> list[WordHit]:
    """One entry per word as people read it: the checker counts a word apart per dictionary
    (« utilitR » in a French and in an English paragraph), which listed it twice
    (« utilitR (×6), utilitR (×3) »). Case and elided variants merge too (word_key, as the
    site vocabulary groups them); the first spelling, language
    and context are kept, the counts summed, the most frequent first."""
    out: dict[str, WordHit] = {}
    for h in hits:
        key = word_key(h.word)
        first = out.get(key)
        out[key] = h if first is None else WordHit(first.word, first.lang,
                                                   first.count + h.count, first.context,
                                                   first.fragment and h.fragment)
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


@dataclass(slots=True)
class _Record:
    """What finish() needs of a checked page: its unknown words, numbered site-wide."""

    url: str
    lang: str
    words: int
    misspellings: list[tuple[int, WordHit]]
    proper_nouns: list[tuple[int, WordHit]]
