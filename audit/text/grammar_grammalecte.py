"""Grammalecte, the offline French grammar checker (Debian ``python3-grammalecte``).

Finding it: Debian installs it for the system Python, in /usr/lib/python3/dist-packages,
which a virtual environment does not see. Putting that whole folder on ``sys.path``
would let Debian's copies of other packages shadow the venv's, so only the
``grammalecte`` package folder is loaded, under its own name, from an import spec.
A normal ``import grammalecte`` is tried first (pip-installed, or a Python that sees
dist-packages); a configured folder (the package, or the folder holding it) wins.

What is asked of it: only the grammar engine (``gc_engine.parse``); its spell checker
is never run on the text, spelling being the ``spelling`` rule's job. The typography
option families (non-breaking spaces, typographic apostrophes, spaces, dashes,
capitals, units...) are off unless asked: on web pages they outnumber real errors
ten to one (151 missing non-breaking spaces against 16 agreement errors in the
shared corpus). So is style (``style``): the « Populaire » family (anglicisms, familiar
words: « code legacy ») and the typographic notes of the text preprocessor's ``p_*``
rules (« vs. » without its period) judge the writer's register, not their grammar.

:meth:`GrammalecteEngine.morph` gives the lexicon's analyses of a word (« lié » →
``>lier/:V1__tnq__a:Q:A:1ŝ:m:s/*``): what :mod:`audit.text.grammar_scope` reads to
tell a real error from a false accusation.

Speed: pure Python, 0.2–0.35 s per 1,000 words of web prose on one core here. The
paragraphs of a long page are shared between this process and helper processes,
each with its own Grammalecte, started on the first page long enough to need them.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import multiprocessing
import os
import re
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import ModuleType
from typing import Any

from audit.text.grammar_base import EngineError, Issue

log = logging.getLogger(__name__)

DEBIAN_PACKAGE = "python3-grammalecte"
# Where a system-wide Grammalecte lives when the running Python does not see it.
DEFAULT_LOCATIONS = (Path("/usr/lib/python3/dist-packages"),
                     Path("/usr/local/lib/python3/dist-packages"),
                     Path("/usr/share/grammalecte"))
# Grammalecte's typography options (its « Typographie » group), off unless asked.
TYPOGRAPHY_OPTIONS = frozenset({
    "typo", "apos", "eepi", "esp", "tab", "nbsp", "unit", "num", "nf", "liga", "mapos",
    "chim", "ocr", "virg", "poncfin", "maj", "minis"})
# Style: the « Populaire » family (bs), off unless asked; the preprocessor's notes
# (p_vs...) carry no option and are dropped by name.
STYLE_OPTIONS = frozenset({"bs"})
_STYLE_PREFIX = "p_"
# Graph rule ids read "g2__conj_ils__b1_a2_1": the rule is conj_ils, a2 its second action.
_GRAPH_RULE = re.compile(r"^g[a-z]*\d+__(.+)__b\d+_a(\d+)_\d+$")
# One rule acting twice within this many characters is one error: « Ils mange » is
# reported on the verb and on the subject.
_SAME_SPOT = 40
_MAX_SUGGESTIONS = 3
_WARM_UP = "Il faut se inscrire avant lundi."


def package_dir(location: Path) -> Path | None:
    """The ``grammalecte`` package folder at ``location`` or directly under it."""
    for candidate in (location / "grammalecte", location):
        if (candidate / "__init__.py").is_file() and (candidate / "fr" / "gc_engine.py").is_file():
            return candidate
    return None


def locate(location: str | Path | None = None) -> Path | None:
    """The package folder: in ``location`` if given, else in the system's usual places."""
    if location is not None:
        return package_dir(Path(location).expanduser())
    for folder in DEFAULT_LOCATIONS:
        found = package_dir(folder)
        if found is not None:
            return found
    return None


def _import_from(folder: Path) -> ModuleType:
    """Import grammalecte.fr from one package folder, without touching sys.path."""
    if "grammalecte" not in sys.modules:  # one Grammalecte per process: reuse a loaded one
        spec = importlib.util.spec_from_file_location(
            "grammalecte", folder / "__init__.py", submodule_search_locations=[str(folder)])
        if spec is None or spec.loader is None:
            raise EngineError(f"Grammalecte in {folder} cannot be imported")
        module = importlib.util.module_from_spec(spec)
        sys.modules["grammalecte"] = module  # its modules import each other by this name
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            sys.modules.pop("grammalecte", None)
            raise EngineError(f"Grammalecte in {folder} failed to import: {exc}") from exc
    try:
        return importlib.import_module("grammalecte.fr")
    except Exception as exc:
        raise EngineError(f"Grammalecte in {folder} failed to import: {exc}") from exc


def load_engine(location: str | Path | None = None) -> tuple[ModuleType, Path | None]:
    """Grammalecte's French engine, initialised, and the folder it came from (None when
    a plain import found it). Raises EngineError when it is missing or broken."""
    folder: Path | None = None
    if location is None:
        try:
            gce = importlib.import_module("grammalecte.fr")
        except ImportError:
            folder = locate(None)
            if folder is None:
                raise EngineError(
                    f"Grammalecte is not installed (Debian package {DEBIAN_PACKAGE})") from None
            gce = _import_from(folder)
    else:
        folder = locate(location)
        if folder is None:
            raise EngineError(f"no Grammalecte package in {location}")
        gce = _import_from(folder)
    if gce.getSpellChecker() is None:
        gce.load("Server")  # catches its own errors (prints them): check the outcome
        if gce.getSpellChecker() is None:
            raise EngineError("Grammalecte failed to initialise its lexicon")
    return gce, folder


def options_for(gce: ModuleType, typography: bool, style: bool = False) -> dict[str, bool]:
    options: dict[str, bool] = gce.getOptions()
    if not typography:
        options.update(dict.fromkeys(TYPOGRAPHY_OPTIONS & options.keys(), False))
    if not style:
        options.update(dict.fromkeys(STYLE_OPTIONS & options.keys(), False))
    return options


def to_issues(errors: Iterable[dict[str, Any]], typography: bool,
              style: bool = False) -> list[Issue]:
    """Grammalecte's error dicts → Issues, typography and style dropped unless asked,
    one issue per error (a rule's several actions on one spot merged)."""
    ranked: list[tuple[int, str, Issue]] = []
    for e in errors:
        rule_id = str(e.get("sRuleId", ""))
        m = _GRAPH_RULE.match(rule_id)
        name, action = (m.group(1), int(m.group(2))) if m else (rule_id, 0)
        family = str(e.get("sType", ""))
        # Some typography rules run under no option (num_grand_nombre_avec_espaces,
        # eepi_écriture_épicène_*): their name starts with the family all the same.
        if not typography and (family in TYPOGRAPHY_OPTIONS
                               or name.split("_", 1)[0] in TYPOGRAPHY_OPTIONS):
            continue
        if not style and (family in STYLE_OPTIONS or name.startswith(_STYLE_PREFIX)):
            continue
        issue = Issue(int(e["nStart"]), int(e["nEnd"]), name, str(e.get("sMessage", "")),
                      tuple(str(s) for s in (e.get("aSuggestions") or ())[:_MAX_SUGGESTIONS]),
                      family)
        ranked.append((action, str(e.get("sLineId", name)), issue))
    ranked.sort(key=lambda r: (r[0], r[2].start))  # first actions carry the main message
    kept: list[tuple[str, Issue]] = []
    for _, line, issue in ranked:
        if not any(line == k_line and abs(k.start - issue.start) <= _SAME_SPOT
                   for k_line, k in kept):
            kept.append((line, issue))
    # Two rules on touching or overlapping words are one mistake: « les clients [est]
    # [contents] » is flagged on the verb (conjugation) and on the adjective (agreement
    # with « est »).
    merged: list[Issue] = []
    for issue in sorted((issue for _, issue in kept), key=lambda i: (i.start, i.end)):
        if merged and issue.start - merged[-1].end <= 1 and issue.rule != merged[-1].rule:
            continue
        merged.append(issue)
    return merged


class GrammalecteChecker:
    """Grammalecte in this process, with fixed options."""

    def __init__(self, location: str | Path | None = None, typography: bool = False,
                 style: bool = False) -> None:
        self._gce, self.folder = load_engine(location)
        self._options = options_for(self._gce, typography, style)
        self._typography = typography
        self._style = style

    def check(self, text: str) -> list[Issue]:
        try:
            errors = self._gce.parse(text, "FR", dOptions=self._options)
        except Exception:  # a Grammalecte bug on one odd paragraph must not stop the run
            log.warning("Grammalecte failed on a paragraph: %.80r", text, exc_info=True)
            return []
        return to_issues(errors, self._typography, self._style)

    def morph(self, word: str) -> list[str]:
        """The lexicon's analyses of ``word`` (none when unknown)."""
        try:
            return list(self._gce.getSpellChecker().getMorph(word))
        except Exception:  # an odd token must not stop the run
            return []


# -- helper processes -------------------------------------------------------------

_worker: GrammalecteChecker | None = None


def _init_worker(location: str | None, typography: bool, style: bool = False) -> None:
    global _worker
    _worker = GrammalecteChecker(location, typography, style)
    _worker.check(_WARM_UP)  # compiles the rules now rather than on the first page


def _check_in_worker(texts: list[str]) -> list[list[Issue]]:
    if _worker is None:
        raise RuntimeError("Grammalecte worker not initialised")
    return [_worker.check(t) for t in texts]


def split_balanced(texts: Sequence[str], parts: int) -> list[list[int]]:
    """Indices of ``texts`` in ``parts`` groups of similar total length (longest first
    into the lightest group); empty groups dropped, the heaviest first."""
    n = max(1, parts)
    sizes = [0] * n
    members: list[list[int]] = [[] for _ in range(n)]
    for i in sorted(range(len(texts)), key=lambda i: -len(texts[i])):
        lightest = sizes.index(min(sizes))
        sizes[lightest] += len(texts[i])
        members[lightest].append(i)
    order = sorted(range(n), key=lambda g: -sizes[g])
    return [sorted(members[g]) for g in order if members[g]]


def default_workers() -> int:
    """Processes to check in: the cores this process may use, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


class GrammalecteEngine:
    """French grammar with Grammalecte, in this process and ``workers - 1`` helpers.

    A page's uncached paragraphs are checked here when they are few (under
    ``parallel_min_words`` words: a short page costs less than the round trip);
    otherwise they are split in ``workers`` groups of similar length, one checked
    here while helper processes check the others. Helpers start on the first long
    page (``spawn``: forking a process that runs threads is unsafe) and stop on
    ``close()``; if they die, checking goes on in this process.
    """

    name = "Grammalecte"
    languages = frozenset({"fr"})

    def __init__(self, location: str | Path | None = None, *, typography: bool = False,
                 style: bool = False, workers: int = 1, parallel_min_words: int = 150) -> None:
        self.location = location
        self.typography = typography
        self.style = style
        self.workers = max(1, workers)
        self.parallel_min_words = parallel_min_words
        self.failure: str | None = None
        self._checker: GrammalecteChecker | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._pool_broken = False
        self.parallel_pages = 0  # pages shared with helpers (for measurements)

    def supports(self, lang: str) -> bool:
        if lang != "fr":
            return False
        self._open()
        return True

    def _open(self) -> GrammalecteChecker:
        if self._checker is None:
            if self.failure:
                raise EngineError(self.failure)
            try:
                self._checker = GrammalecteChecker(self.location, self.typography,
                                                   self.style)
            except EngineError as exc:
                self.failure = str(exc)
                raise
        return self._checker

    def morph(self, word: str) -> list[str]:
        """The lexicon's analyses of a French word (raises EngineError if not installed)."""
        return self._open().morph(word)

    def check(self, texts: list[str], lang: str = "fr") -> list[list[Issue]]:
        checker = self._open()
        words = sum(len(t.split()) for t in texts)
        if self.workers > 1 and len(texts) > 1 and words >= self.parallel_min_words:
            pool = self._helpers()
            if pool is not None:
                return self._check_shared(pool, checker, texts)
        return [checker.check(t) for t in texts]

    def _helpers(self) -> ProcessPoolExecutor | None:
        if self._pool is None and not self._pool_broken:
            folder = self._checker.folder if self._checker else None
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers - 1, mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(str(folder) if folder else None, self.typography, self.style))
        return self._pool

    def _check_shared(self, pool: ProcessPoolExecutor, checker: GrammalecteChecker,
                      texts: list[str]) -> list[list[Issue]]:
        groups = split_balanced(texts, self.workers)
        results: list[list[Issue]] = [[] for _ in texts]
        futures: list[tuple[list[int], Future[list[list[Issue]]]]] = []
        try:
            for group in groups[1:]:
                futures.append((group, pool.submit(_check_in_worker, [texts[i] for i in group])))
        except (BrokenProcessPool, RuntimeError) as exc:
            self._helpers_failed(exc)
        for i in groups[0]:
            results[i] = checker.check(texts[i])
        submitted = {i for group, _ in futures for i in group}
        for group, future in futures:
            try:
                for i, issues in zip(group, future.result(), strict=True):
                    results[i] = issues
            except (BrokenProcessPool, OSError, RuntimeError, EngineError) as exc:
                self._helpers_failed(exc)
                for i in group:
                    results[i] = checker.check(texts[i])
        for group in groups[1:]:  # groups never submitted (pool broke while submitting)
            for i in group:
                if i not in submitted:
                    results[i] = checker.check(texts[i])
        self.parallel_pages += 1
        return results

    def _helpers_failed(self, exc: BaseException) -> None:
        if not self._pool_broken:
            log.warning("Grammalecte helper processes failed (%s): checking in one process",
                        exc)
        self._pool_broken = True
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


__all__ = ["DEBIAN_PACKAGE", "DEFAULT_LOCATIONS", "STYLE_OPTIONS", "TYPOGRAPHY_OPTIONS",
           "GrammalecteChecker", "GrammalecteEngine", "default_workers", "load_engine", "locate",
           "package_dir", "split_balanced", "to_issues"]
