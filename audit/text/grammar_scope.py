"""Which grammar errors an engine reports are about the page's prose, and credible.

Grammar engines read every token as a word of the paragraph's language. On real pages
that is often wrong, and each such error is a false accusation:

- **code** inside a sentence: « un ``data.frame`` », « la fonction ``floc(n, l)`` », « le
  modificateur ``once`` » — the text of inline ``<code>`` elements (``TextBlock.code``)
  and tokens that read as code (``read_csv()``, ``App.vue``, ``code_parametre``,
  ``maVariable``);
- **names**: « les projets [Vue] » (the framework, not the participle « vue »), « sujet
  [Métropole] » — a capitalised word inside a sentence is a name and agrees with nothing;
- **other languages**: « les [Progressive] Web Apps », « [une] String » — a word French
  does not know but English does, and whole English sentences inside a French paragraph;
- **capitals without accents**: « [A] partir des données » — French typography long
  allowed capitals without their accent, and the spelling check accepts them too;
- **mentions**: a short quotation names words, it does not use them (« les termes
  « reconditionné » », la partie "contenus", le principe « diviser pour régner »).

An error is dropped when the text it flags, or for an agreement rule the word that
follows a flagged determiner, is one of these. What is left is what a proofreader would
mark.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from audit.text import language
from audit.text.content import code_spans
from audit.text.grammar_base import Issue

# A token that reads as code: an inner dot, underscore, brackets, operators, camelCase.
_CODE_TOKEN = re.compile(
    r"[^\s«»“”\"']*(?:\w[._]\w|[()\[\]{}=<>/\\$#@|]|[a-z][A-Z])[^\s«»“”\"']*")
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")
# A short quotation is a mention (« les termes « reconditionné » », la partie "contenus",
# « diviser pour régner »): its words are named, they agree with nothing around them.
_QUOTED = re.compile(r"«\s*([^«»]{1,60}?)\s*»|“([^“”]{1,60}?)”|\"([^\"]{1,60}?)\"")
_MAX_QUOTED_WORDS = 6
# Agreement families: the flagged word is judged with its neighbour.
_AGREEMENT = ("gn_", "ppas_", "conf_start_nom")


def masked_spans(text: str, code: Sequence[str], lang: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that are not prose of ``lang``: code fragments, code-like tokens,
    short quotations, sentences in another language."""
    spans = code_spans(text, list(code))
    spans += [m.span() for m in _CODE_TOKEN.finditer(text)]
    spans += [m.span() for m in _QUOTED.finditer(text)
              if len(_WORD.findall(m.group())) <= _MAX_QUOTED_WORDS]
    if lang in language.STOP_WORDS:
        for m in _SENTENCE.finditer(text):
            words = _WORD.findall(m.group())
            if len(words) >= 3 and language.detect_words(
                    words, tuple(language.STOP_WORDS), lang) != lang:
                spans.append(m.span())
    return spans


def credible(text: str, issue: Issue, spans: Sequence[tuple[int, int]],
             foreign: Callable[[str], bool]) -> bool:
    """Whether ``issue`` flags the prose itself (see the module's docstring).
    ``foreign(word)``: the word is unknown in the paragraph's language but known in
    another."""
    start, end = issue.start, issue.end
    flagged = text[start:end].strip()
    targets = [(start, end)]
    agreement = issue.rule.startswith(_AGREEMENT) or issue.family in ("gn", "ppas")
    following = _WORD.search(text, end)
    if agreement and following is not None and following.start() - end <= 2:
        targets.append(following.span())  # « [une] String »: the noun the det. goes with
    for a, b in targets:
        if any(a < y and x < b for x, y in spans):
            return False
        word = text[a:b].strip()
        if not word:
            continue
        if word[0].isupper() and not word.isupper() and not _sentence_start(text, a):
            return False  # a name inside a sentence: « les projets [Vue] »
        if " " not in word and foreign(word):
            return False
    # « [A] partir de » : a capital without its accent, as French typography allows.
    return not (flagged == "A" and issue.rule.startswith("conf_à_a"))


# Determiners: when an agreement rule flags one, the engine assumes the noun is right and
# offers another determiner — « une bien [meilleur] intégration » would become « un ».
_DETERMINERS = frozenset({
    "le", "la", "les", "l", "un", "une", "des", "du", "au", "aux", "ce", "cet", "cette", "ces",
    "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre", "nos", "votre", "vos",
    "leur", "leurs", "quel", "quelle", "quels", "quelles", "aucun", "aucune"})


_NAMED = re.compile(r"[«“\"]\s*([^»”\"]{1,40}?)\s*[»”\"]")


def reframed(text: str, issue: Issue) -> Issue:
    """``issue`` as a claim the engine can back. An agreement error flagged on a
    determiner is sure (« une » and « meilleur » disagree) but its side is not: half the
    time the noun or the adjective is the word to fix (« une remonté » → remontée), so the
    error is named between the two words, without the engine's one-sided suggestion."""
    flagged = text[issue.start:issue.end].strip()
    if not issue.rule.startswith("gn_") or flagged.lower() not in _DETERMINERS:
        return issue
    # The word the engine names in its message (« “meilleur” est masculin »), else the next.
    named = [w for w in _NAMED.findall(issue.message) if w.lower() != flagged.lower()]
    following = _WORD.search(text, issue.end)
    other = named[0] if named else following.group() if following else ""
    if not other:
        return issue
    return Issue(issue.start, issue.end, issue.rule,
                 f"Accord à revoir entre « {flagged} » et « {other} » : corrigez celui des "
                 "deux qui ne va pas avec le reste de la phrase.", (), issue.family)


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip(" «“\"'(")
    return not before or before[-1] in ".!?…:;—–-•"


__all__ = ["credible", "masked_spans", "reframed"]
