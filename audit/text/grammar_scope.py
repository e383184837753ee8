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
follows a flagged determiner, is one of these.

Then, for French, the **lexicon** (:class:`Lexicon`: Grammalecte's analyses of each word,
the English and French spelling dictionaries) judges what the engine assumed:
:func:`falsely_accused` drops what it shows to be right (acronyms, appositions, an
adjective agreeing across a bare complement, English nouns read as verbs, a loanword's
gender its writer keeps, « être fonction de »…), and :func:`reframed_by_lexicon`
restates an error whose fix lies elsewhere than the engine's (« Cassandra [est été]
conçu » → not « ait »: both words named, no one-sided fix). Every check is about a class
of words the lexicon tells apart, never a list of words. What is left is what a
proofreader would mark.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

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
    if issue.message_en or not issue.rule.startswith("gn_") \
            or flagged.lower() not in _DETERMINERS:
        return issue  # message_en: already restated (reframed_by_lexicon)
    # The word the engine names in its message (« “meilleur” est masculin »), else the next.
    named = [w for w in _NAMED.findall(issue.message) if w.lower() != flagged.lower()]
    following = _WORD.search(text, issue.end)
    other = named[0] if named else following.group() if following else ""
    if not other:
        return issue
    return Issue(issue.start, issue.end, issue.rule, _PAIR_FR.format(a=flagged, b=other), (),
                 issue.family, _PAIR_EN.format(a=flagged, b=other))


# -- the lexicon: what Grammalecte's dictionary says of a word ---------------------------

# Elided words stand for their full form: « d’ » is « de », « l’ » is « le ».
_ELIDED = {"d": "de", "l": "le", "qu": "que", "j": "je", "n": "ne", "s": "se", "c": "ce",
           "m": "me", "t": "te", "jusqu": "jusque", "lorsqu": "lorsque", "puisqu": "puisque"}
_FINITE = frozenset({"Ip", "Iq", "Is", "If", "K", "Sp", "Sq"})
_TOKEN = re.compile(r"[^\W\d_]+['’]|[^\W\d_]+(?:-[^\W\d_]+)*|[^\w\s'’-]")


def _never(_word: str) -> bool:
    return False


@dataclass
class Lexicon:
    """Word classes and agreement from a lexicon's analyses (Grammalecte's: « lié » →
    ``>lier/:V1__tnq__a:Q:A:1ŝ:m:s/*``), plus whether an English dictionary knows the word
    and whether the French one (the spelling rule's, without its trade lists) does."""

    morph: Callable[[str], Sequence[str]]
    english: Callable[[str], bool] = _never
    french: Callable[[str], bool] = _never
    _cache: dict[str, list[list[str]]] = field(default_factory=dict, repr=False)

    def analyses(self, word: str) -> list[list[str]]:
        """Each analysis as its tags: ``['V1__tnq__a', 'Q', 'A', '1ŝ', 'm', 's']``."""
        bare = word.rstrip("'’")
        bare = _ELIDED.get(bare.lower(), bare) if bare != word else bare
        found = self._cache.get(bare)
        if found is None:
            raw = list(self.morph(bare)) or (list(self.morph(bare.lower()))
                                             if bare[:1].isupper() else [])
            found = [re.split("[:;]", m.split("/")[1])[1:] for m in raw if m.count("/") >= 2]
            self._cache[bare] = found
        return found

    def _any(self, word: str, tag: str) -> bool:
        return any(tag in a for a in self.analyses(word))

    def noun(self, word: str) -> bool:
        return self._any(word, "N")

    def adjectival(self, word: str) -> bool:
        """An adjective or a participle: a word that agrees."""
        return self._any(word, "A") or self._any(word, "Q")

    def participle(self, word: str) -> bool:
        return self._any(word, "Q")

    def infinitive(self, word: str) -> bool:
        return self._any(word, "Y")

    def finite(self, word: str) -> bool:
        return any(_FINITE & set(a) for a in self.analyses(word))

    def preposition(self, word: str) -> bool:
        return self._any(word, "R") or word.lower() in ("du", "des")

    def contracted(self, word: str) -> bool:
        """A preposition the determiner contains: « au », « aux » (« du », « des » being
        the partitive determiners too)."""
        return self._any(word, "R")

    def simple_preposition(self, word: str) -> bool:
        """A grammatical preposition without a determiner in it: « de », « par », « en »."""
        return any("G" in a and "R" in a and "D" not in a for a in self.analyses(word))

    def determiner(self, word: str) -> bool:
        return self._any(word, "D")

    def adverb_only(self, word: str) -> bool:
        found = self.analyses(word)
        return bool(found) and all("W" in a for a in found)

    def of_lemma(self, word: str, lemma_tag: str) -> bool:
        """Whether an analysis is a form of the verb whose tag starts so (« V0e »: être)."""
        return any(a and a[0].startswith(lemma_tag) for a in self.analyses(word))

    def takes_etre(self, word: str) -> bool:
        """Whether its verb may be conjugated with être (« elle est partie »): the ninth
        letter of Grammalecte's verb tag (``V3_i____e_``: e, or z for both)."""
        return any(a and a[0].startswith("V") and len(a[0]) > 8 and a[0][8] in "ez"
                   for a in self.analyses(word))

    def forms(self, word: str) -> set[tuple[str, str]]:
        """(gender, number) of its noun, adjective and participle readings."""
        out = set()
        for a in self.analyses(word):
            if "N" in a or "A" in a or "Q" in a:
                gender = next((t for t in a if t in ("m", "f", "e")), "e")
                number = next((t for t in a if t in ("s", "p", "i")), "i")
                out.add((gender, number))
        return out

    def agree(self, a: str, b: str) -> bool:
        return any((g1 == g2 or "e" in (g1, g2)) and (n1 == n2 or "i" in (n1, n2))
                   for g1, n1 in self.forms(a) for g2, n2 in self.forms(b))

    def anglicism(self, word: str) -> bool:
        """English, and unknown to the French dictionary: « step », « data »."""
        return self.english(word) and not self.french(word)


@dataclass(frozen=True)
class _Tokens:
    """A paragraph's words (elided ones apart: « d’ », « l’ ») and punctuation marks."""

    text: str
    spans: list[tuple[int, int]]

    @classmethod
    def of(cls, text: str) -> _Tokens:
        return cls(text, [m.span() for m in _TOKEN.finditer(text)])

    def at(self, offset: int) -> int | None:
        for i, (a, b) in enumerate(self.spans):
            if a <= offset < b:
                return i
        return None

    def word(self, i: int) -> str:
        if 0 <= i < len(self.spans):
            a, b = self.spans[i]
            return self.text[a:b]
        return ""

    def is_word(self, i: int) -> bool:
        w = self.word(i)
        return bool(w) and w[0].isalpha()


# -- false accusations the lexicon shows ------------------------------------------------

# « dans Cassandra », « sous Windows »: one is inside a thing, never inside a person.
_INSIDE = frozenset({"dans", "sous"})
_CIVILITY = frozenset({"m", "mme", "mlle", "madame", "mademoiselle", "monsieur", "dr"})
_CLAUSE_START = frozenset({"que", "qu’", "qu'", "qui", "mais", "et", "car", "si", "quand",
                           "lorsque", "puisque", "donc", "or"})
_NEUTRAL = frozenset({"cela", "ça", "ce", "c’", "c'", "ceci"})


def _acronym(toks: _Tokens, k: int, issue: Issue) -> bool:
    """« le [CORS] » → COR, « un TU [ou] » read as the pronoun: an acronym in capitals has
    no gender, number or person."""
    word = toks.word(k)
    if len(word) >= 2 and word.isupper() and issue.rule.startswith(_AGREEMENT):
        return True
    before = toks.word(k - 1)
    return (len(before) >= 2 and before.isupper()
            and before.lower() in issue.rule.split("_"))


def _agrees_before_preposition(toks: _Tokens, k: int, lex: Lexicon) -> bool:
    """« requêtes par seconde [traitées] », « exigences en matière d’écoconception
    [applicables] »: after a bare prepositional complement (no determiner: a unit with
    its noun, « par seconde »), the adjective agrees with the noun it completes. With a
    determiner (« dans une structure [appelé] ») the phrase's own noun may be the one."""
    word = toks.word(k)
    if not lex.adjectival(word):
        return False
    i = k - 1
    while i >= 0 and lex.adverb_only(toks.word(i)):
        i -= 1
    for _hop in range(3):
        j = i - 1  # i: the noun the engine agreed with; j: right before it
        if j < 1 or not lex.simple_preposition(toks.word(j)) or not toks.is_word(j - 1):
            return False
        head = toks.word(j - 1)
        if not lex.analyses(head) or (lex.noun(head) and lex.agree(word, head)):
            return True  # unknown (« KWh d’électricité [économisés] »): cannot be judged
        i = j - 1
    return False


def _singular_unit(toks: _Tokens, k: int, issue: Issue, lex: Lexicon) -> bool:
    """« les référents [numérique] responsable » → numériques: two singular adjectives in a
    row make a noun phrase of their own (le numérique responsable) that completes the
    plural noun; the writer's singular, twice, is a choice, not a slip."""
    word, after = toks.word(k), toks.word(k + 1)
    if "pluriel" not in issue.message or not toks.is_word(k + 1) or lex.preposition(after) \
            or not any("A" in a and "Q" not in a for a in lex.analyses(word)) \
            or not lex.noun(toks.word(k - 1)):
        return False  # « les deux [paragraphe] précédent », « les [événement] sur »: nouns
    singular = [n for _g, n in lex.forms(word)]
    following = [n for a in lex.analyses(after) if "A" in a and "Q" not in a
                 for n in a if n in ("s", "p", "i")]
    return bool(singular) and set(singular) == {"s"} and bool(following) \
        and set(following) == {"s"} and lex.agree(word, after)


def _gender_claim(issue: Issue) -> bool:
    """Whether the engine's message is about gender (« … devrait être au féminin »)."""
    return any(w in issue.message for w in ("genre", "masculin", "féminin"))


def _apposition(toks: _Tokens, k: int, issue: Issue, lex: Lexicon) -> bool:
    """« une approche orientée [agent] », « des indicateurs [clés] », « la méthode
    [constructeur] », « le service [produits] »: a noun set after a noun (or « orienté »)
    qualifies it with its own gender, and a plural one its own number. A word the lexicon
    knows only as a noun; for gender, an agent noun in -eur or an invariable noun too."""
    word, before = toks.word(k), toks.word(k - 1)
    if lex.determiner(word) or lex.determiner(before):
        return False  # « un [collection] », « d’un [outils] »: a noun, not an apposition
    if not lex.noun(word) or not (lex.participle(before) or (
            lex.noun(before) and not lex.adjectival(before))):
        return False
    gender = _gender_claim(issue)
    plural = not gender and "nombre" in issue.message and all(
        n == "p" for _g, n in lex.forms(word))
    if not (gender or plural):
        return False
    if not lex.adjectival(word) or (plural and not any(
            "A" in a and "Q" not in a for a in lex.analyses(word))):
        return True
    return gender and (word.lower().endswith("eur")
                       or any("N" in a and "i" in a for a in lex.analyses(word)))


def _neutral_des_plus(toks: _Tokens, k: int, lex: Lexicon) -> bool:
    """« faire fonctionner le tout n’est pas des plus [trivial] »: after « des plus », the
    adjective stays singular when the subject is an infinitive or a neutral pronoun."""
    if (toks.word(k - 2).lower(), toks.word(k - 1).lower()) != ("des", "plus"):
        return False
    i = k - 3
    while i >= 0 and not lex.of_lemma(toks.word(i), "V0e"):  # back to « est »
        if not toks.is_word(i) or k - i > 8:
            return False
        i -= 1
    while i > 0 and toks.is_word(i - 1) and toks.word(i - 1).lower() not in _CLAUSE_START:
        i -= 1  # back to the clause's first word
    first = toks.word(i)
    return first.lower() in _NEUTRAL or lex.infinitive(first)


def _first_name_of_a_thing(toks: _Tokens, k: int, issue: Issue, lex: Lexicon,
                           page: str) -> bool:
    """« Cassandra est [optimisé] »: the gender of a first name is a person's; a database,
    a project, a product named so is no woman. A thing when the page says so — the name
    inside something (« dans Cassandra »), after a common noun (« une instance
    Cassandra ») or a determiner — and nothing here reads as a person's name (a surname,
    a civility: « Mme Julie Martin »)."""
    if not issue.rule.startswith(("gn_start_prn", "ppas_nom_propre")):
        return False
    for i in range(k - 1, max(-1, k - 5), -1):
        name = toks.word(i)
        if name[:1].isupper() and toks.is_word(i):
            if _capitalised(toks, i - 1, lex) or (_capitalised(toks, i + 1, lex) and i + 1 != k) \
                    or toks.word(i - 1).lower().rstrip(".") in _CIVILITY:
                return False  # Marie Dupont, Mme Martin: a person
            return _thing_on_page(name, page, lex)
    return False


def _capitalised(toks: _Tokens, i: int, lex: Lexicon) -> bool:
    """A capitalised name, not a common word opening the sentence (« Depuis Cassandra »)."""
    word = toks.word(i)
    if i < 0 or not toks.is_word(i) or not word[:1].isupper():
        return False
    return not (_starts_sentence(toks, i) and any(
        "M1" not in a and "M2" not in a for a in lex.analyses(word.lower())))


def _thing_on_page(name: str, page: str, lex: Lexicon) -> bool:
    for m in re.finditer(rf"([^\W\d_]+)\s+{re.escape(name)}\b", page):
        before = m.group(1)
        if before[:1].isupper():
            continue
        if before.lower() in _INSIDE or lex.determiner(before) or (
                lex.noun(before) and not lex.preposition(before) and not lex.finite(before)):
            return True
    return False


def _english_noun_read_as_verb(word: str, issue: Issue, lex: Lexicon) -> bool:
    """« le calcul des [ranges] » → rangées, « du [recorder] » → recordé: an English noun
    the French lexicon only knows as a verb form."""
    return ("verb" in issue.message and lex.english(word) and not lex.noun(word)
            and issue.rule.startswith("conf_"))


_FEMININE = frozenset({"la", "une", "cette", "ma", "ta", "sa", "toute", "toutes", "aucune",
                       "quelle", "quelles"})
_MASCULINE = frozenset({"le", "un", "ce", "cet", "mon", "ton", "son", "tout", "tous", "aucun",
                        "quel", "quels", "du", "au"})


def _anglicism_gender(toks: _Tokens, k: int, issue: Issue, lex: Lexicon, page: str) -> bool:
    """« la [step] … toutes les steps », « le pipe » (R's %>%): an English loanword whose
    gender the writer keeps, twice or more on the page, has the writer's gender (usage
    hesitates: la/le step), not a slip. One « le concentration » stays a slip."""
    if not _gender_claim(issue):
        return False
    det = toks.word(k).lower()
    markers = _FEMININE if det in _FEMININE else _MASCULINE if det in _MASCULINE else None
    noun = toks.word(k + 2) if toks.word(k + 1).lower() == "les" else toks.word(k + 1)
    if markers is None or not noun or not lex.english(noun):
        return False
    stem = re.escape(noun.rstrip("s").lower())
    uses = re.findall(rf"\b({'|'.join(markers)})(?:\s+les)?\s+{stem}s?\b", page.lower())
    return len(uses) >= 2 and not _cut_word(noun, page, markers is _FEMININE, lex)


def _cut_word(noun: str, page: str, feminine: bool, lex: Lexicon) -> bool:
    """« la document officielle » on a page that says « la documentation »: the noun is the
    start of a longer word of the writer's gender, cut short — a slip, not usage."""
    stem = noun.rstrip("s").lower()
    gender = "f" if feminine else "m"
    longer = set(re.findall(rf"\b{re.escape(stem)}\w{{3,}}", page.lower()))
    return any(g == gender for w in longer for g, _n in lex.forms(w) if lex.noun(w))


def _noun_attribute(word: str, issue: Issue, lex: Lexicon) -> bool:
    """« des tirs qui seront [fonction] du nombre »: a bare noun after « être » is a
    locution (être fonction de, être légion), invariable."""
    return issue.rule.startswith("ppas_") and lex.noun(word) and not lex.adjectival(word)


def _plural_noun_read_as_verb(word: str, issue: Issue, lex: Lexicon) -> bool:
    """« les versions [cibles] » → ciblent: a plural noun after a noun, not a verb."""
    return issue.rule.startswith("conj_") and any(
        "N" in a and ("p" in a or "i" in a) for a in lex.analyses(word))


def _pouvoir_infinitive(toks: _Tokens, k: int, issue: Issue, lex: Lexicon) -> bool:
    """« un caractère en trop [peut] provoquer une erreur » → peu: « peut » before an
    infinitive is the verb pouvoir."""
    return issue.rule.startswith("conf_peu_peut") and lex.infinitive(toks.word(k + 1)) \
        and lex.of_lemma(toks.word(k), "V3_it_xx")


_SECOND_PERSON = frozenset({"votre", "vos", "vous", "ton", "ta", "tes", "te", "toi", "t’", "t'"})
# Object pronouns that are never determiners (« le », « la », « les » are, mostly).
_PREVERBAL = frozenset({"me", "te", "se", "nous", "vous", "m’", "t’", "s’", "m'", "t'", "s'"})


def _described_not_ordered(toks: _Tokens, k: int, issue: Issue) -> bool:
    """« [Fournit] une visibilité des émissions » (a tool's description), « [Promeut] des
    solutions tierces » (a table cell): a verb in -t that opens a sentence with nobody
    addressed (no vous, votre, ton…) has an implied subject; it is no imperative."""
    if not issue.rule.startswith("imp_verbe") or not _starts_sentence(toks, k):
        return False
    sentence = []
    for i in range(k + 1, len(toks.spans)):
        if toks.word(i) in (".", "!", "?", "…"):
            break
        sentence.append(toks.word(i).lower())
    return not _SECOND_PERSON & set(sentence)


def _starts_sentence(toks: _Tokens, k: int) -> bool:
    return k == 0 or toks.word(k - 1) in (".", "!", "?", "…", ":", ";", "•", "–", "—")


def _participle_read_as_verb(toks: _Tokens, k: int, issue: Issue, lex: Lexicon) -> bool:
    """« quantité de données [consommées] » → consomment: a participle that agrees with
    the noun before it qualifies that noun; it is no conjugated verb."""
    word, before = toks.word(k), toks.word(k - 1)
    return issue.rule.startswith("conj_") and lex.participle(word) and not lex.finite(word) \
        and lex.noun(before) and lex.agree(word, before)


def _franglais_verb(toks: _Tokens, k: int, issue: Issue, lex: Lexicon) -> bool:
    """« un projet qui me [challenge] », « pour [se] login »: an English verb conjugated
    as French (franglais), after its object pronoun; the lexicon knows it only as a noun,
    and no French verb sounds like it (« je vous [renvoi] » is renvoie, a real slip)."""
    if not issue.rule.startswith("conf_"):
        return False
    flagged = toks.word(k).lower()
    pronoun, verb = (k, k + 1) if flagged in _PREVERBAL else (k - 1, k)
    word = toks.word(verb)
    return toks.word(pronoun).lower() in _PREVERBAL and lex.english(word) \
        and not lex.finite(word) and not lex.infinitive(word) \
        and not _near_verb(word, lex)


_LETTERS = "abcdefghijklmnopqrstuvwxyzéèêàâîôûç"


def _near_verb(word: str, lex: Lexicon) -> bool:
    """Whether a conjugated French verb is one letter away: « je vous [renvoi] »
    (renvoie), « s’[article] » (articule) are slips, not franglais."""
    w = word.lower()
    edits = {w[:i] + c + w[i:] for i in range(len(w) + 1) for c in _LETTERS}
    edits |= {w[:i] + w[i + 1:] for i in range(len(w))}
    edits |= {w[:i] + c + w[i + 1:] for i in range(len(w)) for c in _LETTERS}
    return any(lex.finite(e) for e in edits - {w})


_DISTRIBUTIVE = re.compile(r"de ([^\W\d_]+) en \1", re.IGNORECASE)


def _distributive(text: str, issue: Issue, lex: Lexicon) -> bool:
    """« des évènements qui se propagent [de parent en parent] » → de part en part: « de N
    en N » with one noun twice says « from one to the next » (de ville en ville)."""
    m = _DISTRIBUTIVE.fullmatch(text[issue.start:issue.end].strip())
    return m is not None and m.group(1).lower() != "part" and lex.noun(m.group(1))


def falsely_accused(text: str, issue: Issue, lex: Lexicon, page: str = "") -> bool:
    """Whether the lexicon shows ``issue`` to be wrong (the functions above); ``page``:
    the page's whole text (how the writer uses a word elsewhere), else the paragraph."""
    toks = _Tokens.of(text)
    k = toks.at(issue.start)
    if k is None:
        return False
    word = toks.word(k)
    agreement = issue.rule.startswith("gn_")
    if _acronym(toks, k, issue) or _anglicism_gender(toks, k, issue, lex, page or text):
        return True
    if agreement and (_agrees_before_preposition(toks, k, lex)
                      or _apposition(toks, k, issue, lex) or _neutral_des_plus(toks, k, lex)
                      or _singular_unit(toks, k, issue, lex)):
        return True
    if _first_name_of_a_thing(toks, k, issue, lex, page or text) \
            and _homophone_verb(word, lex) is None:
        return True
    if _described_not_ordered(toks, k, issue) or _participle_read_as_verb(toks, k, issue, lex) \
            or _franglais_verb(toks, k, issue, lex) or _distributive(text, issue, lex):
        return True
    return (_english_noun_read_as_verb(word, issue, lex) or _noun_attribute(word, issue, lex)
            or _plural_noun_read_as_verb(word, issue, lex)
            or _pouvoir_infinitive(toks, k, issue, lex))


# -- errors elsewhere than the engine's fix ---------------------------------------------

# « je me suis [dis] » → dit: a pronominal verb takes être, the participle is the fix.
_REFLEXIVE = frozenset({"me", "te", "se", "nous", "vous", "m’", "t’", "s’", "m'", "t'", "s'"})
_PAIR_FR = ("Accord à revoir entre « {a} » et « {b} » : corrigez celui des deux qui ne va "
            "pas avec le reste de la phrase.")
_PAIR_EN = ("« {a} » and « {b} » do not agree: fix whichever of the two does not fit "
            "the rest of the sentence.")


def _pair(issue: Issue, toks: _Tokens, first: int, last: int,
          suggestions: tuple[str, ...] = ()) -> Issue:
    """The two words in one bracket, the claim without a side (unless ``suggestions``)."""
    start, end = toks.spans[first][0], toks.spans[last][1]
    a, b = toks.word(first), toks.word(last)
    return Issue(start, end, issue.rule, _PAIR_FR.format(a=a, b=b), suggestions, issue.family,
                 _PAIR_EN.format(a=a, b=b))


def _homophone_verb(word: str, lex: Lexicon) -> str | None:
    """« l’écriture [réussi] sur un nœud » : a participle in -i/-u read for the present
    « réussit » it sounds like; that verb form, if the lexicon has it."""
    if not word.endswith(("i", "u")) or not lex.participle(word) or lex.finite(word):
        return None
    verb = word + "t"
    return verb if any("Ip" in a and "3s" in a for a in lex.analyses(verb)) else None


def _name_form(word: str) -> set[tuple[str, str]]:
    """A capitalised name is one thing (« Cassandra fourni »)."""
    return {("e", "s")} if word[:1].isupper() else set()


def _object_follows(toks: _Tokens, k: int, lex: Lexicon) -> bool:
    """What follows reads as the verb's object or complement (« fourni un schéma »,
    « réussi sur un nœud »), not as a participle's agent (« fourni par »)."""
    after = toks.word(k + 1)
    if lex.determiner(after) and not lex.preposition(after):
        return True
    return lex.preposition(after) and after.lower() not in ("par", "de", "d’", "d'", "des", "du")


def _passive_or_infinitive(modal: str, participle: str, lex: Lexicon) -> tuple[str, ...]:
    """« peuvent insérées » → « peuvent insérer » or « peuvent être insérées »."""
    lemmas = [m.split("/")[0].lstrip(">") for m in lex.morph(participle) if ":Q" in m]
    infinitive = lemmas[0] if lemmas else ""
    return tuple(s for s in (f"{modal} {infinitive}" if infinitive else "",
                             f"{modal} être {participle}") if s)


def _pronoun_without_auxiliary(toks: _Tokens, k: int, issue: Issue, lex: Lexicon) -> bool:
    """« plusieurs expérimentations on [été] effectuées » (ont), « qu’il [sont]
    disponibles » (ils): a participle right after a subject pronoun, or a plural verb
    whose attribute is plural after « il »: the pronoun is as likely the mistake."""
    pronoun = toks.word(k - 1).lower()
    if not issue.rule.startswith("conj_") or not any("Os" in a  # a subject pronoun
                                                     for a in lex.analyses(pronoun)):
        return False
    word = toks.word(k)
    if lex.participle(word) and not lex.finite(word):
        return True
    after = toks.word(k + 1)
    plural_verb = any(_FINITE & set(a) and any(t.startswith("3p") for t in a)  # 3p, 3p!
                      for a in lex.analyses(word))
    return pronoun in ("il", "elle", "on") and plural_verb and lex.adjectival(after) and any(
        n == "p" for _g, n in lex.forms(after))


def _split_compound(toks: _Tokens, k: int, lex: Lexicon) -> str | None:
    """« les [méta] données » → métas: the engine reads half a word cut in two
    (métadonnées); the whole word, if the lexicon knows it as a noun."""
    part, rest = toks.word(k), toks.word(k + 1)
    if len(part) > 6 or not toks.is_word(k + 1) or lex.finite(part) or not lex.noun(rest):
        return None  # « je me suis [dis] que » is no « disque »
    joined = part + rest
    return joined if lex.noun(joined) else None


def reframed_by_lexicon(text: str, issue: Issue, lex: Lexicon) -> Issue:
    """``issue`` restated when the engine's fix would make the sentence worse because
    the error lies elsewhere: « Cassandra [est] été conçu » → ait, « il [est] existe »,
    « peut [lié] » → peu, « ne peuvent [créés] » → créer."""
    toks = _Tokens.of(text)
    k = toks.at(issue.start)
    if k is None:
        return issue
    word, after, before = toks.word(k), toks.word(k + 1), toks.word(k - 1)
    rule = issue.rule
    if rule.startswith("conf_ait_") and lex.of_lemma(word, "V0e") and after == "été" \
            and before.lower() not in ("que", "qu’", "qu'"):
        return _pair(issue, toks, k, k + 1)  # « est été »: a été, sera…, not « ait »
    if rule.startswith("ppas_") and lex.of_lemma(before, "V0e") and lex.finite(word) \
            and not lex.participle(word) and not lex.takes_etre(word) \
            and toks.word(k - 2).lower() not in _REFLEXIVE:
        return _pair(issue, toks, k - 1, k)  # « il est existe »: « existé » needs avoir
    if rule.startswith("conf_peu_peut") and lex.participle(after) and not lex.finite(after):
        return _pair(issue, toks, k, k + 1, _passive_or_infinitive(word, after, lex))
    if rule.startswith(("infi_pouvoir", "infi_devoir")) and lex.participle(word) \
            and lex.finite(before) and lex.of_lemma(before, "V3"):
        return _pair(issue, toks, k - 1, k, _passive_or_infinitive(before, word, lex))
    if _pronoun_without_auxiliary(toks, k, issue, lex):
        return _pair(issue, toks, k - 1, k)
    if rule.startswith(("gn_", "ppas_")):
        compound = _split_compound(toks, k, lex)
        if compound:
            return Issue(toks.spans[k][0], toks.spans[k + 1][1], rule,
                         f"Mot coupé en deux : « {compound} » s’écrit en un mot.",
                         (compound,), issue.family,
                         f"A word cut in two: « {compound} » is one word.")
        verb = _homophone_verb(word, lex) if rule.startswith("gn_") else None
        subject = toks.word(k - 1)  # a present 3s needs a singular subject
        if verb and toks.is_word(k - 1) and _object_follows(toks, k, lex) and any(
                n in ("s", "i") for _g, n in lex.forms(subject) | _name_form(subject)):
            return _pair(issue, toks, k - 1, k, (verb, *issue.suggestions[:1]))
        if rule.startswith("gn_pfx_") and toks.is_word(k - 1) and lex.adjectival(word) \
                and not lex.noun(word):
            return _pair(issue, toks, k - 1, k)  # « trop de log [différents] »: log(s)?
        if rule.startswith("gn_") and lex.determiner(before) and not lex.contracted(before) \
                and lex.participle(word) and not lex.noun(word):
            return _determiner_pair(issue, toks, k - 1, k)  # « le projet des [décomposé] »
    return issue


def _determiner_pair(issue: Issue, toks: _Tokens, det: int, k: int) -> Issue:
    a, b = toks.word(det), toks.word(k)
    return Issue(toks.spans[det][0], toks.spans[det][1], issue.rule,
                 _PAIR_FR.format(a=a, b=b), (), issue.family, _PAIR_EN.format(a=a, b=b))


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip(" «“\"'(")
    return not before or before[-1] in ".!?…:;—–-•"


__all__ = ["Lexicon", "credible", "falsely_accused", "masked_spans", "reframed",
           "reframed_by_lexicon"]
