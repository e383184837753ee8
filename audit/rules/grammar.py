from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from audit.context import Context
from audit.rule import (
    Code,
    Limit,
    Msg,
    Outcome,
    PageData,
    PageRule,
    Score,
    Severity,
    pages_text,
)
from audit.text import language
from audit.text.grammar import GrammarService, GrammarSettings, PageCheck, prose_paragraphs, snippet
from audit.text.grammar_base import Issue
from audit.text.grammar_grammalecte import DEBIAN_PACKAGE
from audit.text.grammar_scope import (
    Lexicon,
    credible,
    falsely_accused,
    masked_spans,
    reframed,
    reframed_by_lexicon,
)
from audit.text.lang_names import in_language
from audit.text.spelling import Kind, spelling_service
from audit.text.tokens import words
from audit.typedyaml import at_least, checked
from spiders.items import PageItem

# Engine names (PageData, English) → how the French report names them.
_ENGINE_FR = {"LanguageTool (server)": "LanguageTool (serveur)",
              "LanguageTool (public API)": "LanguageTool (API publique)"}


def grammar_score(errors: int, words: int, penalty: float = 20.0,
                  min_words: int = 100) -> float:
    """100 − penalty × errors per 100 words, floor 0; a page shorter than ``min_words``
    is judged as if it had ``min_words`` words (one slip never sinks a short page)."""
    rate = 100.0 * errors / max(words, min_words, 1)
    return max(0.0, 100.0 - penalty * rate)


def _excerpt(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"


def _engines(names: list[str]) -> Msg:
    return Msg(" + ".join(_ENGINE_FR.get(n, n) for n in names), " + ".join(names))


class Grammar(PageRule):
    """The page's text is free of grammar mistakes (agreement, conjugation, elision…).

    **Why it matters**: grammar mistakes cost trust the way spelling mistakes do —
    quality raters' guidelines count them among the signs of careless, low-quality
    content — and a visitor who stumbles on « les offres que nous avons proposé »
    doubts the rest of the page, the offer included.

    **Bad**: « Il faut se inscrire avant lundi », « les enfant sont partis »,
    « ils mange », « nous suivons les réseaux social ».

    **Good**: « Il faut s’inscrire avant lundi », « les enfants sont partis »,
    « ils mangent », « nous suivons les réseaux sociaux ».

    **Engines**: the consultant's LanguageTool when the client config names one
    (``languagetool.server_url``, an installed ``languagetool.home``, or
    ``languagetool.public_api: true``, throttled to its limits): every language it
    knows. Otherwise Grammalecte, offline, for French. If LanguageTool fails (server
    down, timeout, HTTP 5xx, no Java) the run falls back to Grammalecte. A fallback, or
    paragraphs in a language no engine checks, are limits of the audit, not faults of the
    site: one line each in the Summary's notes with the number of pages concerned, never
    a finding; a page with nothing checked is not scored (never a clean bill). The Pages
    sheet names the engine.

    **Checked**: each distinct paragraph of at least ``paragraph_min_words`` words
    (menus, buttons and labels are not sentences), not in ALL CAPS, not code, not in
    ``skip_regions`` (navigation); each in its own language (an English quote on a
    French page goes to an English engine). A paragraph repeated on every page (a
    footer) is checked once per run. Spelling is left to the ``spelling`` rule and
    typography (non-breaking spaces, typographic apostrophes, dashes, capitals) is
    off: on web pages it outnumbers real mistakes ten to one; ``typography: true``
    reports it. So is style (``style: true``): Grammalecte's « Populaire » family
    (« code legacy » → code hérité) and its typographic notes (« vs. » → vs) judge the
    writer's register, not their grammar. ``ignore_rules`` silences a rule id (shown in
    the evidence in brackets) or a family (Grammalecte's gn, conj, ppas…; LanguageTool's
    STYLE…).

    **Not accused** (French, from Grammalecte's lexicon and the spelling dictionaries;
    audit.text.grammar_scope): code, names, English words and sentences, short quotations,
    capitals without accents; acronyms in capitals (« le [CORS] » → COR, « un TU ou »); an
    adjective agreeing with the noun before a bare complement (« requêtes par seconde
    [traitées] »); a noun set after a noun (« une approche orientée [agent] », « la
    méthode [constructeur] », « le service [produits] »); « des plus » + singular after an
    infinitive subject; a first name's gender given to a thing (« Cassandra est
    [optimisé] », believed for a person: a surname or a civility); English nouns the
    lexicon reads as French verbs (« des [ranges] », « du [recorder] »); a loanword's
    gender its writer keeps on the page (« la step », « toutes les steps »); a noun after
    « être » (« seront [fonction] de »); plural nouns and participles read as verbs
    (« les versions [cibles] », « quantité de données [consommées] »); « peut » before an
    infinitive; a description read as an imperative (« [Fournit] une visibilité… »);
    franglais verbs after their pronoun (« qui me [challenge] »).

    **Restated**: when the engine's fix would make the sentence worse because the error
    lies elsewhere, both words are bracketed and named, without a one-sided fix:
    « Cassandra [est été] conçu » (not « ait »), « il [est existe] », « qu'[il sont]
    disponibles », « trop de [log différents] »; pouvoir + participle gets the
    infinitive and the passive (« ne [peuvent créés] » → peuvent créer / peuvent être
    créés), a participle sounding like a verb both (« l'écriture [réussi] sur » →
    réussit / réussie), a word cut in two its whole (« les [méta données] » →
    métadonnées).

    **Score**: ``100 − penalty × errors per 100 words`` (penalty 20, floor 0): 0.5
    error per 100 words → 90, 1 → 80, 2.5 → 50, 5 or more → 0. The rate is taken over
    at least ``min_words`` (100) words, so on a short page one error costs at most 20
    points. Engines have false positives: hence a gentler penalty than spelling's.
    """

    id = "grammar"
    category = "seo"
    weight = 1.0
    title = Msg("Texte sans faute de grammaire", "Text free of grammar mistakes")
    description = Msg(
        "Vérifie la grammaire du texte de chaque page (accords, conjugaisons, élisions…) "
        "avec Grammalecte hors ligne pour le français, ou le LanguageTool du consultant.",
        "Checks the grammar of each page's text (agreement, conjugation, elision…) "
        "with Grammalecte offline for French, or the consultant's LanguageTool.")
    why = Msg(
        "Les fautes de grammaire coûtent la confiance comme les fautes d’orthographe : les "
        "consignes des évaluateurs de qualité les comptent parmi les signes d’un contenu "
        "négligé, et le visiteur qui bute sur « les offres que nous avons proposé » doute du "
        "reste, offre comprise.",
        "Grammar mistakes cost trust the way spelling mistakes do: quality raters' guidelines "
        "count them among the signs of careless content, and a visitor who stumbles on one "
        "doubts the rest of the page, the offer included.")
    fix = Msg(
        "Corrigez dans le CMS les phrases signalées (accords, conjugaisons, élisions), en "
        "relisant chaque suggestion : un correcteur automatique peut se tromper.",
        "Correct the reported sentences (agreement, conjugation, elision) in the CMS, "
        "reviewing each suggestion: an automatic checker can be wrong.")
    codes = {
        "grammar-error": Code(Severity.WARNING, Msg("Fautes de grammaire",
                                                    "Grammar mistakes")),
    }
    columns = {
        "grammar_errors": Msg("Fautes de grammaire", "Grammar mistakes"),
        "grammar_engine": Msg("Correcteur grammatical", "Grammar checker"),
    }

    @dataclass(frozen=True)
    class Options:
        typography: bool = False  # also report typography (non-breaking spaces, apostrophes…)
        style: bool = False  # also report style: familiar words, anglicisms, « vs. »…
        penalty: float = checked(at_least(0), default=20.0)  # points per error per 100 words
        min_words: int = checked(at_least(1), default=100)  # shorter pages: judged as this long
        paragraph_min_words: int = checked(at_least(1), default=4)  # shorter blocks: not prose
        skip_regions: list[str] = field(default_factory=lambda: ["nav"])
        ignore_rules: list[str] = field(default_factory=list)  # rule ids or families
        max_listed: int = checked(at_least(1), default=5)  # errors quoted in the evidence
        per_paragraph: bool = True  # detect each paragraph's language (fr/en)
        workers: int = checked(at_least(0), default=0)  # French in parallel; 0: one per core
        grammalecte_path: str | None = None  # a Grammalecte folder if not the system's

    def _open(self, ctx: Context) -> GrammarService:
        self.pages_by_engine: Counter[str] = Counter()
        ctx.at_close(lambda: self._note_engines(ctx))
        return GrammarService(self.settings(ctx))

    def _note_engines(self, ctx: Context) -> None:
        """One line on the Summary: which engine checked how many pages (what was not
        checked is a Limit, counted by the runner)."""
        if self.pages_by_engine:
            by_engine = self.pages_by_engine.most_common()
            fr = ", ".join(f"{e} sur {pages_text(n)}" for e, n in by_engine)
            en = ", ".join(f"{e} on {pages_text(n)}" for e, n in by_engine)
            ctx.note(Msg(f"Grammaire vérifiée avec {fr}.", f"Grammar checked with {en}."))

    def check(self, page: PageItem, ctx: Context) -> Iterator[Outcome]:
        service = ctx.service("grammar", lambda: self._open(ctx))
        page_lang = ctx.page_language(page)
        visible = [b for b in page.text_blocks if not b.hidden]  # hidden: hidden-text's
        texts = prose_paragraphs(visible, min_words=self.options.paragraph_min_words,
                                 skip_regions=self.options.skip_regions)
        detect = self.options.per_paragraph and page_lang in language.STOP_WORDS
        candidates = tuple(language.STOP_WORDS)
        langs = [language.detect(t, candidates, page_lang) if detect else page_lang
                 for t in texts]
        result = service.check(list(zip(texts, langs, strict=True)))
        result.issues = self._credible(page, texts, langs, result.issues, ctx)
        engines = result.engines
        if result.fallbacks and engines:
            yield self._fallback(page.url, result, engines)
        for engine in set(e for e in result.engine_of if e):
            self.pages_by_engine[engine] += 1
        for lang in sorted(result.unchecked):
            skipped = [t for t, tl, e in zip(texts, langs, result.engine_of, strict=True)
                       if tl == lang and e is None]
            yield self._no_engine(page.url, lang, result, skipped)
        if not engines:
            yield Score(page.url, None)  # not scored: nothing was checked
            return
        checked_words = sum(len(words(t)) for t, e in zip(texts, result.engine_of, strict=True)
                            if e)
        errors = len(result.issues)
        if errors:
            rate = f"{100.0 * errors / max(checked_words, 1):.1f}"
            by = _engines(engines)  # named per language: Msg.format gives both one value
            yield self.finding(page.url, "grammar-error", Msg(
                f"{errors} faute(s) de grammaire probable(s) sur {checked_words} mots vérifiés "
                f"({rate.replace('.', ',')} pour 100 mots), selon {by.fr}.",
                f"{errors} probable grammar mistake(s) in {checked_words} words checked "
                f"({rate} per 100 words), according to {by.en}."),
                evidence=self._evidence(texts, langs, page_lang, result))
        yield PageData(page.url, "grammar_errors", errors)
        yield PageData(page.url, "grammar_engine", " + ".join(engines))
        yield Score(page.url, grammar_score(errors, checked_words, self.options.penalty,
                                            self.options.min_words))

    def _credible(self, page: PageItem, texts: list[str], langs: list[str],
                  issues: list[tuple[int, Issue]], ctx: Context) -> list[tuple[int, Issue]]:
        """The issues about the prose (audit.text.grammar_scope): not code, names, other
        languages' words and sentences, accentless capitals."""
        if not issues:
            return issues
        words = spelling_service(ctx)
        code = {" ".join(b.text.split()): b.code for b in page.text_blocks if b.code}
        spans: dict[int, list[tuple[int, int]]] = {}
        page_text = "\n".join(texts)
        kept = []
        for i, issue in issues:
            if i not in spans:
                spans[i] = masked_spans(texts[i], code.get(texts[i], ()), langs[i])
            lang = langs[i]
            if not credible(texts[i], issue, spans[i],
                            lambda w, lang=lang: words.classify(lang, w) is Kind.FOREIGN):
                continue
            lexicon = self._lexicon(ctx, lang)
            if lexicon is not None:
                if falsely_accused(texts[i], issue, lexicon, page_text):
                    continue
                issue = reframed_by_lexicon(texts[i], issue, lexicon)
            kept.append((i, reframed(texts[i], issue)))
        return kept

    def _lexicon(self, ctx: Context, lang: str) -> Lexicon | None:
        """The run's lexicon of ``lang`` (Grammalecte's for French), with the spelling
        dictionaries' English and French; None when there is none."""
        cache: dict[str, Lexicon | None] = ctx.service("grammar-lexicons", dict)
        if lang not in cache:
            morph = ctx.service("grammar", lambda: self._open(ctx)).morph(lang)
            words = spelling_service(ctx)
            cache[lang] = None if morph is None else Lexicon(
                morph, english=lambda w: words.known("en", w),
                french=lambda w: words.known(lang, w))
        return cache[lang]

    def settings(self, ctx: Context) -> GrammarSettings:
        """The service's settings: this rule's options and the client's ``languagetool:``."""
        lt = ctx.config.languagetool
        o = self.options
        return GrammarSettings(
            typography=o.typography, style=o.style, ignore_rules=frozenset(o.ignore_rules),
            grammalecte_path=ctx.config.resolve(o.grammalecte_path) if o.grammalecte_path
            else None,
            workers=o.workers, languagetool_url=lt.server_url,
            languagetool_home=ctx.config.resolve(lt.home) if lt.home else None,
            languagetool_public_api=lt.public_api, languagetool_timeout=lt.timeout)

    def _evidence(self, texts: list[str], langs: list[str], page_lang: str,
                  result: PageCheck) -> str | Msg:
        """One line per error: where (the error in brackets), why, the fix, the rule id.
        In both report languages when a message is this tool's (a restated claim)."""
        lines: dict[str, list[str]] = {"fr": [], "en": []}
        for i, issue in result.issues[: self.options.max_listed]:
            head = f"[{langs[i]}] " if langs[i] != page_lang else ""
            head += f"« {snippet(texts[i], issue.start, issue.end)} » — "
            tail = " → " + " / ".join(issue.suggestions) if issue.suggestions else ""
            tail += f" [{issue.rule}]"
            lines["fr"].append(head + issue.message + tail)
            lines["en"].append(head + (issue.message_en or issue.message) + tail)
        more = len(result.issues) - self.options.max_listed
        if more > 0:
            for found in lines.values():
                found.append(f"… (+{more})")
        fr, en = "\n".join(lines["fr"]), "\n".join(lines["en"])
        return fr if fr == en else Msg(fr, en)

    def _fallback(self, url: str, result: PageCheck, engines: list[str]) -> Outcome:
        failed = _engines(list(result.fallbacks))
        return Limit("engine-fallback:" + "+".join(sorted(result.fallbacks)), Msg(
            f"{failed.fr} indisponible sur {{pages}} : grammaire vérifiée avec "
            f"{_engines(engines).fr} à la place.",
            f"{failed.en} unavailable on {{pages}}: grammar checked with "
            f"{_engines(engines).en} instead."), url,
            detail="\n".join(f"{name}: {why}" for name, why in result.fallbacks.items()))

    def _no_engine(self, url: str, lang: str, result: PageCheck,
                   skipped: list[str]) -> Outcome:
        if result.fallbacks:
            hint = Msg("Le correcteur prévu a échoué : voir le détail.",
                       "The configured checker failed: see the evidence.")
        elif lang == "fr":
            hint = Msg(f"Installez le paquet Debian {DEBIAN_PACKAGE} ou indiquez un serveur "
                       "LanguageTool (languagetool.server_url).",
                       f"Install the Debian package {DEBIAN_PACKAGE} or set a LanguageTool "
                       "server (languagetool.server_url).")
        else:
            hint = Msg("Indiquez un serveur LanguageTool (languagetool.server_url).",
                       "Set a LanguageTool server (languagetool.server_url).")
        where = in_language(lang)
        return Limit(f"no-engine:{lang}", Msg(
            f"Grammaire non vérifiée sur {{pages}} (paragraphes {where.fr}) : aucun "
            f"correcteur grammatical pour cette langue. {hint.fr}",
            f"Grammar not checked on {{pages}} (paragraphs {where.en}): no grammar checker "
            f"for that language. {hint.en}"), url,
            detail="\n".join([f"{name}: {why}" for name, why in result.fallbacks.items()]
                              + [f"« {_excerpt(t)} »" for t in skipped[:2]]))
