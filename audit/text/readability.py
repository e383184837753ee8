"""Flesch reading ease, per language, offline.

The formula and its per-language constants are textstat's (Kandel & Moles for
French: 207 − 1.015 × words/sentence − 73.6 × syllables/word; Flesch for English:
206.835 − 1.015 × ASL − 84.6 × ASW). The counts are ours: textstat's English
syllable counter calls ``nltk.download('cmudict')`` at run time (fails offline), and
its sentence splitter knows nothing of our text blocks. Syllables come from pyphen's
hyphenation dictionaries (shipped in the wheel), as textstat does for French.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path

import pyphen

from audit.text.tokens import sentences, words


@lru_cache(maxsize=1)
def lang_configs() -> dict[str, dict[str, float]]:
    """textstat's per-language Flesch constants. Read from textstat's constants module
    alone: importing textstat (its package __init__, nltk with it) takes 1.5–3 s, which
    the check stage would pay for one dictionary of numbers."""
    spec = importlib.util.find_spec("textstat")  # locates the package, runs nothing
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "backend" / "utils" / "constants.py"
        alone = importlib.util.spec_from_file_location("_textstat_constants", path)
        if path.is_file() and alone is not None and alone.loader is not None:
            module = importlib.util.module_from_spec(alone)
            try:
                alone.loader.exec_module(module)
                return dict(module.LANG_CONFIGS)
            except (ImportError, AttributeError, SyntaxError):
                break  # another layout of textstat: import it the usual way
    from textstat.backend.utils.constants import LANG_CONFIGS

    return dict(LANG_CONFIGS)

# (lower bound, French label, English label): the classic Flesch bands.
BANDS = [
    (90, "très facile", "very easy"),
    (80, "facile", "easy"),
    (70, "assez facile", "fairly easy"),
    (60, "standard", "standard"),
    (50, "assez difficile", "fairly difficult"),
    (30, "difficile", "difficult"),
    (float("-inf"), "très difficile", "very difficult"),
]


@dataclass(frozen=True)
class Readability:
    lang: str
    ease: float  # Flesch reading ease (higher is easier), not clamped
    words: int
    sentences: int
    syllables: int
    longest: str = ""  # the longest sentence, to quote as an example

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    def label(self, report_lang: str) -> str:
        for low, fr, en in BANDS:
            if self.ease >= low:
                return fr if report_lang == "fr" else en
        return ""


@lru_cache(maxsize=16)
def _hyphenator(lang: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=lang)


@lru_cache(maxsize=200_000)
def syllables(word: str, lang: str) -> int:
    """Syllables of one word: hyphenation points + 1 (cached: words recur across pages)."""
    parts = [p for p in word.replace("’", "-").replace("'", "-").split("-") if p]
    hyph = _hyphenator(lang)
    return sum(len(hyph.positions(p.lower())) + 1 for p in parts) or 1


def measure(text: str, lang: str) -> Readability | None:
    """Readability of prose in ``lang``; None when the language has no formula."""
    root = lang.split("-")[0].lower()
    cfg = lang_configs().get(root)
    if cfg is None:
        return None
    n_sentences = 0
    n_words = 0
    n_syllables = 0
    longest, longest_words = "", 0
    for sentence in sentences(text):
        ws = words(sentence)
        if not ws:
            continue
        if len(ws) > longest_words:
            longest, longest_words = sentence, len(ws)
        n_sentences += 1
        n_words += len(ws)
        n_syllables += sum(map(syllables, ws, repeat(root)))
    if not n_words:
        return Readability(root, 0.0, 0, 0, 0)
    ease = (cfg["fre_base"] - cfg["fre_sentence_length"] * n_words / n_sentences
            - cfg["fre_syll_per_word"] * n_syllables / n_words)
    return Readability(root, ease, n_words, n_sentences, n_syllables, longest[:500])
