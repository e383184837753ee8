"""Which language a paragraph is written in, offline and fast.

A French page quotes an English sentence, a bilingual page puts a translation
under the original: each paragraph is checked with its own dictionary. Counting
function words (articles, pronouns, prepositions, auxiliaries) is enough to tell
French from English on a paragraph of a sentence or more, costs one set lookup
per word and needs no model. Only words that belong to one language's list vote
("a", "on", "me", "or" are in both and say nothing).

:data:`STOP_WORDS` is also the stop-word list of keyword extraction: it holds
every word with and without its accents (``être`` and ``etre``), because web
text and search queries both drop accents.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

_FR = """
le la les l un une des du de d à au aux ce cet cette ces c ça ceci cela celui celle ceux celles
ci là qui que qu quoi dont où quel quelle quels quelles lequel laquelle lesquels lesquelles
auquel auxquels duquel desquels je j tu il elle on nous vous ils elles me m te t se s moi toi
soi lui leur leurs eux y en mon ma mes ton ta tes son sa ses notre nos votre vos et ou mais
donc or ni car si comme quand lorsque lorsqu puisque puisqu parce quoique quoiqu pour par sur
sous dans avec sans chez vers entre contre depuis pendant avant après selon malgré parmi
jusqu jusque dès envers hors sauf ne n pas plus moins très trop peu assez aussi autant bien
tout tous toute toutes même mêmes autre autres chaque quelque quelques quelqu plusieurs
certain certains certaine certaines aucun aucune nul nulle tel telle tels telles est sont
été être étais était étions étiez étaient sera seront serait seraient serai seras serez
serons soit soient suis es sommes êtes fut furent ai as a avons avez ont avais avait avions
aviez avaient aura auront aurait auraient eu eue eus avoir fait faire font faites fais peut
peuvent pouvoir pourrait peux pouvez pouvons doit doivent dois devez devons faut va vont vas
allez allons ici alors ainsi encore déjà toujours jamais souvent non oui tant afin cependant
pourtant toutefois puis enfin lors ensuite également notamment surtout beaucoup comment
pourquoi combien sinon tandis voici voilà chacun chacune rien personne dessus dessous
dedans dehors
"""

_EN = """
a an the this that these those i me my mine myself we us our ours ourselves you your yours
yourself yourselves he him his himself she her hers herself it its itself they them their
theirs themselves what which who whom whose when where why how all any both each few more
most other others some such no nor not only own same so than too very can cannot will just
should would could might must shall may am is are was were be been being have has had having
do does did doing done and but if or because as until while of at by for with about against
between into through during before after above below to from up down in out on off over
under again further then once here there s t don ll ve re d m isn aren wasn weren doesn didn
won wouldn shouldn couldn hasn haven hadn also many much every whether although though
however yet still even ever never always often get gets got make makes made one ones
something anything nothing everything someone anyone everyone somebody nobody another
either neither within without upon onto toward towards across along around behind beyond
since unless whereas whatever whenever wherever whichever whoever let lets
"""

# A paragraph shorter than this keeps the page's language: too few words to vote.
MIN_WORDS = 6


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _with_folded(words: Iterable[str]) -> frozenset[str]:
    base = set(words)
    return frozenset(base | {_fold(w) for w in base})


STOP_WORDS: dict[str, frozenset[str]] = {
    "fr": _with_folded(_FR.split()),
    "en": _with_folded(_EN.split()),
}

# word -> the one language whose list holds it (words in two lists do not vote).
_OWNER: dict[str, str] = {}
for _lang, _words in STOP_WORDS.items():
    for _w in _words:
        _others = (w for lang, w in STOP_WORDS.items() if lang != _lang)
        if not any(_w in o for o in _others):
            _OWNER[_w] = _lang
_OWNED: dict[str, frozenset[str]] = {
    lang: frozenset(w for w, owner in _OWNER.items() if owner == lang) for lang in STOP_WORDS}

_TOKEN = re.compile(r"[^\W\d_]+")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)


def detect(text: str, candidates: Sequence[str] = ("fr", "en"), default: str = "fr") -> str:
    """The language of one paragraph among ``candidates``; ``default`` (the page's
    language) when the paragraph is short or the vote is not clear.

    Switching away from the page language needs at least two distinctive function
    words, more than twice as many as the page language's, and one word in ten:
    a French paragraph quoting "must have" or "social media" stays French.
    """
    if "://" in text or "www." in text or "@" in text:  # a URL's path is not prose
        text = _URL.sub(" ", text)
    return detect_words(_TOKEN.findall(text.lower()), candidates, default)


def detect_words(words: Sequence[str], candidates: Sequence[str] = ("fr", "en"),
                 default: str = "fr") -> str:
    """:func:`detect` on a paragraph already split into words (any case); words
    with an apostrophe or a hyphen inside (l’identité, don't) do not vote."""
    if len(words) < MIN_WORDS:
        return default
    lowered = list(map(str.lower, words))
    # The common case, a paragraph in the page's language, costs one set scan in C.
    if all(_OWNED[c].isdisjoint(lowered) for c in candidates if c != default and c in _OWNED):
        return default
    owners = Counter(map(_OWNER.get, lowered))
    votes = {c: owners[c] for c in candidates}
    best = max(votes, key=votes.__getitem__, default=default)
    if best == default:
        return default
    top = votes[best]
    if top >= 2 and top > 2 * votes.get(default, 0) and top * 10 >= len(words):
        return best
    return default


def stop_word_of(word: str) -> str | None:
    """The one language whose function word ``word`` is (« from » → en, « dans » → fr),
    None for a word of no list or of several (« on », « a »)."""
    return _OWNER.get(word.lower())


def is_stop_word(word: str, lang: str) -> bool:
    """``word`` (any case, accents or not) is a function word of ``lang``."""
    return word.lower() in STOP_WORDS.get(lang, frozenset())


__all__ = ["MIN_WORDS", "STOP_WORDS", "detect", "detect_words", "is_stop_word", "stop_word_of"]
