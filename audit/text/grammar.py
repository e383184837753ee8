"""Grammar checking for the ``grammar`` rule: which engine checks which paragraph, a
site-wide paragraph cache, and the fallback when an engine fails.

Engines, in order of preference for a paragraph's language:

1. LanguageTool (:mod:`audit.text.grammar_languagetool`), when the client config
   names one: ``languagetool.server_url``, else ``languagetool.home``, else
   ``languagetool.public_api: true``. Any language the server knows.
2. Grammalecte (:mod:`audit.text.grammar_grammalecte`): offline, French only.

An engine that fails (not installed, no Java, server down, timeout, HTTP 5xx) is not
asked again during the run and every page it should have checked says so
(:attr:`PageCheck.fallbacks`); paragraphs in a language no engine checks are counted
in :attr:`PageCheck.unchecked`, never passed as error-free.

One :class:`GrammarService` per run (``ctx.service("grammar", ...)``) owns the
engines and a cache keyed by a hash of (engine, language, paragraph): navigation,
footers and calls to action repeat on every page and are checked once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from audit.text import grammar_languagetool
from audit.text.grammar_base import Engine, EngineError, Issue
from audit.text.grammar_grammalecte import GrammalecteEngine, default_workers
from audit.text.tokens import words
from spiders.items import TextBlock

CODE_BLOCKS = frozenset({"pre", "code"})  # program text, not prose
_MAX_CACHE = 200_000  # paragraphs: far above any site's distinct paragraphs


@dataclass(frozen=True)
class GrammarSettings:
    typography: bool = False  # report Grammalecte's typography / LanguageTool's TYPOGRAPHY
    style: bool = False  # report Grammalecte's « Populaire » style and p_* typographic notes
    ignore_rules: frozenset[str] = frozenset()  # rule ids or families never reported
    grammalecte_path: str | Path | None = None  # the package folder, or the one holding it
    workers: int = 1  # processes checking French in parallel (this one included)
    parallel_min_words: int = 150  # fewer uncached words on a page: no helpers
    languagetool_url: str | None = None
    languagetool_home: str | Path | None = None
    languagetool_public_api: bool = False
    languagetool_timeout: float = 30.0


@dataclass
class PageCheck:
    """What the engines found in one page's paragraphs."""

    engine_of: list[str | None]  # per paragraph: the engine that checked it (None: none)
    issues: list[tuple[int, Issue]] = field(default_factory=list)  # (paragraph, issue)
    fallbacks: dict[str, str] = field(default_factory=dict)  # engine skipped -> why
    unchecked: dict[str, int] = field(default_factory=dict)  # language -> paragraphs

    @property
    def engines(self) -> list[str]:
        """The engines that ran, in paragraph order."""
        return list(dict.fromkeys(e for e in self.engine_of if e))


@dataclass
class CacheStats:
    paragraphs: int = 0  # paragraph checks asked for
    hits: int = 0  # answered from the cache (or an identical paragraph on the same page)
    words: int = 0  # words in the paragraphs asked for
    words_checked: int = 0  # words actually sent to an engine

    @property
    def hit_rate(self) -> float:
        return self.hits / self.paragraphs if self.paragraphs else 0.0


def prose_paragraphs(blocks: Iterable[TextBlock], *, min_words: int = 4,
                     skip_regions: Iterable[str] = ()) -> list[str]:
    """The distinct paragraphs of a page worth a grammar check, whitespace normalised:
    not code, not in ``skip_regions``, at least ``min_words`` words (menu items,
    buttons, labels are not sentences), not set in capitals (headings and banners
    in ALL CAPS read as shouting, not prose, and trip agreement rules)."""
    skip = frozenset(skip_regions)
    seen: dict[str, None] = {}
    for block in blocks:
        if block.tag in CODE_BLOCKS or block.region in skip:
            continue
        text = " ".join(block.text.split())
        if text in seen or len(words(text)) < min_words:
            continue
        letters = [c for c in text if c.isalpha()]
        if not letters or sum(c.isupper() for c in letters) > 0.7 * len(letters):
            continue
        seen[text] = None
    return list(seen)


def _key(engine: str, lang: str, text: str) -> bytes:
    return hashlib.blake2b(f"{engine}\0{lang}\0{text}".encode(), digest_size=16).digest()


class GrammarService:
    """The engines of a run, opened on first use, and the paragraph cache."""

    def __init__(self, settings: GrammarSettings | None = None,
                 engines: Sequence[Engine] | None = None) -> None:
        self.settings = settings or GrammarSettings()
        self.engines: list[Engine] = list(engines) if engines is not None else \
            self._default_engines(self.settings)
        self._ignore = frozenset(r.lower() for r in self.settings.ignore_rules)
        self._cache: dict[bytes, tuple[Issue, ...]] = {}
        self.stats = CacheStats()

    @staticmethod
    def _default_engines(s: GrammarSettings) -> list[Engine]:
        engines: list[Engine] = []
        lt = grammar_languagetool.from_settings(
            s.languagetool_url, s.languagetool_home, s.languagetool_public_api,
            s.languagetool_timeout, s.typography)
        if lt is not None:
            engines.append(lt)
        workers = s.workers if s.workers > 0 else default_workers()
        engines.append(GrammalecteEngine(s.grammalecte_path, typography=s.typography,
                                         style=s.style, workers=workers,
                                         parallel_min_words=s.parallel_min_words))
        return engines

    def morph(self, lang: str) -> Callable[[str], list[str]] | None:
        """Word → its analyses in Grammalecte's lexicon, for ``lang`` paragraphs; None when
        no lexicon serves that language (then agreement claims are judged without it)."""
        for engine in self.engines:
            if isinstance(engine, GrammalecteEngine) and not engine.failure and lang == "fr":
                try:
                    engine.morph("")
                except EngineError:
                    return None
                return engine.morph
        return None

    def check(self, paragraphs: Sequence[tuple[str, str]]) -> PageCheck:
        """Check (text, language) paragraphs of one page, each language with the first
        engine that works for it."""
        result = PageCheck(engine_of=[None] * len(paragraphs))
        groups: dict[str, list[int]] = {}
        for i, (_, lang) in enumerate(paragraphs):
            groups.setdefault(lang, []).append(i)
        for lang, indices in groups.items():
            self._check_group(lang, indices, [paragraphs[i][0] for i in indices], result)
        result.issues.sort(key=lambda pair: (pair[0], pair[1].start))
        return result

    def _check_group(self, lang: str, indices: list[int], texts: list[str],
                     result: PageCheck) -> None:
        for engine in self.engines:
            if engine.failure:
                if engine.languages is None or lang in engine.languages:
                    result.fallbacks[engine.name] = engine.failure
                continue
            try:
                if not engine.supports(lang):
                    continue
                found = self._cached_check(engine, texts, lang)
            except EngineError as exc:
                engine.failure = engine.failure or str(exc)
                result.fallbacks[engine.name] = engine.failure
                continue
            for i, issues in zip(indices, found, strict=True):
                result.engine_of[i] = engine.name
                result.issues.extend((i, x) for x in issues if not self._ignored(x))
            return
        result.unchecked[lang] = result.unchecked.get(lang, 0) + len(indices)

    def _ignored(self, issue: Issue) -> bool:
        return bool(self._ignore) and (issue.rule.lower() in self._ignore
                                       or issue.family.lower() in self._ignore)

    def _cached_check(self, engine: Engine, texts: list[str], lang: str) -> list[list[Issue]]:
        keys = [_key(engine.name, lang, t) for t in texts]
        answers: dict[bytes, tuple[Issue, ...]] = {}
        todo: dict[bytes, str] = {}
        for k, t in zip(keys, texts, strict=True):
            cached = self._cache.get(k)
            if cached is not None:
                answers[k] = cached
            else:
                todo.setdefault(k, t)
        if todo:
            found = engine.check(list(todo.values()), lang)  # raises: nothing cached
            if len(self._cache) + len(todo) > _MAX_CACHE:
                self._cache.clear()
            for k, issues in zip(todo, found, strict=True):
                answers[k] = self._cache[k] = tuple(issues)
        self.stats.paragraphs += len(texts)
        self.stats.hits += len(texts) - len(todo)
        self.stats.words += sum(len(t.split()) for t in texts)
        self.stats.words_checked += sum(len(t.split()) for t in todo.values())
        return [list(answers[k]) for k in keys]

    def close(self) -> None:
        for engine in self.engines:
            engine.close()
        self._cache.clear()


def snippet(text: str, start: int, end: int, around: int = 40) -> str:
    """The error in brackets with up to ``around`` characters either side, cut at word
    boundaries, … where cut: « …il faut [se] inscrire avant lundi. »"""
    while end > start + 1 and text[end - 1].isspace():  # « [se ]inscrire » reads badly
        end -= 1
    before = text[max(0, start - around):start]
    after = text[end:end + around]
    if start - around > 0 and " " in before:
        before = "…" + before[before.index(" ") + 1:]
    if end + around < len(text) and " " in after:
        after = after[:after.rindex(" ")] + "…"
    return f"{before}[{text[start:end]}]{after}"


__all__ = ["CODE_BLOCKS", "CacheStats", "Engine", "EngineError", "GrammarService",
           "GrammarSettings", "Issue", "PageCheck", "prose_paragraphs", "snippet"]
