"""Words, sentences and normalised forms for French and English web text.

French pages write elisions with a straight (') or a curly (’) apostrophe —
l’identité, qu’il, aujourd’hui — and hyphenated compounds (c’est-à-dire,
e-réputation). A *token* keeps its surface form for spell checking; a *term* is
the normalised form used to match keywords: lower case, no accents, no elided
article, plural -s/-x folded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

APOSTROPHES = "'’ʼ`´"
# A word: letters, possibly joined by apostrophes or hyphens (l’identité, c’est-à-dire).
_WORD = re.compile(r"[^\W\d_]+(?:[’'ʼ\-][^\W\d_]+)*", re.UNICODE)
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”)\]]*\s+(?=[\"«“(\[]?[A-ZÀ-ÖØ-Þ0-9])")
# Elided words that attach to the next one: l’, d’, qu’, jusqu’, lorsqu’...
ELISIONS = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu",
                      "puisqu", "quoiqu", "presqu", "quelqu"})


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # as written
    start: int  # offset in the source string


def tokens(text: str) -> Iterator[Token]:
    """Word tokens, URLs and e-mail addresses left out."""
    if "@" in text or "://" in text or "www." in text:
        text = _URL.sub(lambda m: " " * len(m.group()), text)
    for m in _WORD.finditer(text):
        yield Token(m.group(), m.start())


def words(text: str) -> list[str]:
    """Word strings only: the fast path when offsets are not needed."""
    if "@" in text or "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    return _WORD.findall(text)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("œ", "oe") \
        .replace("æ", "ae")


def unelide(word: str) -> str:
    """l’identité → identité; qu’il → il; aujourd’hui stays (not an elision)."""
    for i, ch in enumerate(word):
        if ch in APOSTROPHES:
            head = word[:i].lower()
            if head in ELISIONS and i + 1 < len(word):
                return word[i + 1:]
            return word
    return word


def singular(term: str) -> str:
    """Fold plurals the same way on both sides of a match: mots → mot, réseaux → reseau,
    sociaux → social. Not a lemmatiser: consistency is what matching needs."""
    if len(term) <= 3:
        return term
    if term.endswith("aux") and not term.endswith("eaux"):
        return term[:-3] + "al"
    if term[-1] in "sx" and not term.endswith(("ss", "us", "is")):
        return term[:-1]
    return term


@lru_cache(maxsize=262_144)
def term(word: str) -> str:
    """The matching form of one word: unelided, lower case, accents off, singular.
    Cached: the same words recur on every page of a site."""
    plain = strip_accents(unelide(word).lower())
    for a in APOSTROPHES[1:]:
        plain = plain.replace(a, "'")
    return singular(plain)


def terms(text: str) -> list[str]:
    return [term(w) for w in words(text)]


def sentences(text: str) -> list[str]:
    """Split text into sentences at . ! ? … followed by a capital, and at every line break
    (a block of :func:`block_text`)."""
    return [s.strip() for line in text.split("\n") for s in _SENTENCE_END.split(line)
            if s.strip()]


def block_text(blocks: list[str]) -> str:
    """Join text blocks as prose, one a line: each block ends a sentence, whatever its
    punctuation and the case of the next one (« very simple scheme » then « diagonals in
    a dense array » are two)."""
    parts = []
    for b in blocks:
        b = " ".join(b.split())
        if not b:
            continue
        parts.append(b if b[-1] in ".!?…:;" else b + ".")
    return "\n".join(parts)
