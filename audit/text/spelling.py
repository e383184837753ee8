"""Offline spell checking with Hunspell: dictionaries, a word cache shared by every
page of a run, and the per-page analysis the ``spelling`` rule reports.

What counts as a word to check, and why:

- Skipped: ALL-CAPS tokens (SEO, SMO, headings set in capitals), single letters,
  URLs and e-mail addresses, numbers and any token touching a digit (web2, mp3,
  H2O, COVID-19), one of ``_ @ # / \\ = < > { } $ % & + *`` (code, handles,
  hashtags, paths) or a dot followed by a letter (wesaw.it, index.html), tokens in
  a non-Latin script, and whatever the caller leaves out (``pre`` blocks).
- Each paragraph is checked in its own language (:mod:`audit.text.language`), so an
  English quote on a French page is checked with the English dictionary.
- Hunspell's French dictionary accepts elisions and compounds with either
  apostrophe (l’identité, l'identité, qu’il, aujourd’hui, c’est-à-dire,
  e-réputation); apostrophes are still folded to ``'`` before the lookup because
  the English dictionary bundled with chunspell only knows the straight one.
- A word the paragraph's dictionary rejects but another language's dictionary
  knows is a *foreign word* (community, mobile-first, don't in French text): not
  an error. Unless the paragraph's dictionary knows it once accents are added:
  « medias » and « e-reputation » are English words but French misspellings of
  médias and e-réputation. A compound is as bad as its worst part (SEO-friendly).
  An English stem with a French ending (buggé, wrappé, loggant, packagé) is an
  anglicism too, unless an accented spelling is French (« developpé » → développé).
  Some English words are also French words written without their accents
  (« medias », « schema »): they are *ambiguous*, and their neighbours decide — next
  to another foreign word or an English stop word they are English (« read the
  schema »), otherwise a French misspelling (« les medias sociaux »).
- Words of the software trade (matplotlib, dtype, kubectl: ``terms/software.txt``,
  from cspell's dictionaries; ``spelling.trade_terms: false`` turns it off) are
  known words, unless they are French words without their accents.
- Typo suggestions are withheld where they would mislead: a regular French
  derivation of a known word (-able on an -er verb, -abilité, -ement), a name
  written in lower case (the capitalised form is known: reported to confirm), a
  word whose only candidates differ by case, two words glued together whose halves
  are English.
- A word standing alone, or in a short list of one- or two-word items separated by
  ``/ , ; | · •`` with no stop word (a tag list, a menu), is a *fragment*: without
  a sentence around it, it is reported as an unknown word to confirm, never as a
  typo.
- French capitals may go without their accent (Etablir, Ecrire, Ca), as French
  typography long allowed, and œ may be typed as two letters (noeud, voeux);
  web-marketing jargon and web brands that neither dictionary knows (référenceur,
  netlinking, LinkedIn, Shopify) are accepted.
- An unknown word is a *possible proper noun* when every occurrence on the page
  carries a capital letter (Wesaw, iPhone); a misspelling otherwise. A misspelt
  word that only ever starts a sentence is therefore reported as a possible
  proper noun: the consultant still sees it, at notice level.
- ``ignore_words`` and ``word_list`` entries match case-insensitively, with either
  apostrophe, and also after an elision (« d’Youseemii » → Youseemii).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from audit.rule import Msg
from audit.text import language
from audit.text.keywords import keyword_service
from audit.text.terms import software_terms
from audit.text.tokens import unelide

if TYPE_CHECKING:
    from audit.config import SpellingConfig
    from audit.context import Context

# Where Debian (hunspell-*, myspell-*) installs dictionaries, searched after the client's.
SYSTEM_DIRS = (Path("/usr/share/hunspell"), Path("/usr/share/myspell"),
               Path("/usr/share/myspell/dicts"))
# Preferred file names when a folder holds several variants of one language.
_PREFERRED = {"fr": ("fr_FR", "fr"), "en": ("en_US", "en_GB", "en")}
# Spellings of one language that are all correct: an English text may be British or
# American (colour, behaviour, organise), so a word either dictionary knows is right.
VARIANTS = {"en": ("en_US", "en_GB")}
_DEBIAN_PACKAGES = {"fr": "hunspell-fr", "en": "hunspell-en-us", "de": "hunspell-de-de",
                    "es": "hunspell-es", "it": "hunspell-it", "pt": "hunspell-pt-pt",
                    "nl": "hunspell-nl", "ca": "hunspell-ca", "br": "hunspell-br"}
_LANG_CODE = re.compile(r"[a-z]{2,3}")

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ\-][^\W\d_]+)*")
# Characters that make a touching token code, a handle, a path or a number.
_GLUE = r"_@#/\\=<>{}$%&+*"
# A word not touching a digit, a glue character or a dot followed by a letter
# (web2, fill_page, @handle, /chemin, wesaw.it, index.html), nor glued after a dash
# (« –as-parquetfile »: a command-line option typeset with an en dash): checked in one
# regex pass, atomic so that "web2" is skipped rather than shortened to "we".
_TOKEN = re.compile(rf"(?<![\w{_GLUE}'’ʼ\-\u2013\u2014])(?<!\w\.)(?>{_WORD.pattern})"
                    rf"(?![\w{_GLUE}\-])(?!\.\w)")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
# Invisible characters that split a word in two for the regex but not for the reader.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_INVISIBLE.update({0x2010: "-", 0x2011: "-"})  # hyphen, non-breaking hyphen
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\u2010\u2011]")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})
# Accents French writers drop (medias → médias): tried before calling a word foreign.
_ACCENTS = {"e": "éèêë", "a": "àâ", "i": "îï", "o": "ô", "u": "ùûü", "c": "ç",
            "E": "ÉÈÊ", "A": "ÀÂ", "I": "Î", "O": "Ô", "U": "Û", "C": "Ç"}
# French capitals traditionally go without accents (Etablir, Ecrire, Ca): tolerated.
_CAPITAL_ACCENTS = {"E": "ÉÈÊ", "A": "ÀÂ", "C": "Ç", "I": "Î", "O": "Ô", "U": "ÙÛ"}
# French web-marketing words and web brands in neither dictionary that every
# marketing site writes; accepted (any case) unless ``jargon=False``. Words either
# dictionary knows (newsletter, webinaire, crawler, Google...) need not be here;
# meta and email are, because the accent check would take them for « méta », « émail ».
_JARGON = """
référenceur référenceurs référenceuse référenceuses webmarketing netlinking netlinkeur
netlinkeurs netlinké netlinkée backlink backlinks linkbuilding linkbaiting ebook ebooks
webdesigner webdesigners vlogueur vlogueurs vlogueuse vlogueuses twitto twittos
retargeting remarketing omnicanal omnicanale omnicanaux omnicanales omnicanalité
crosscanal indexabilité crawlabilité crawlé crawlée crawlés crawlées tiktokeur tiktokeurs
tiktokeuse tiktokeuses streameur streameurs streameuse streameuses cyberacheteur
cyberacheteurs microdonnées canonicalisation nofollow dofollow noindex pagerank brandé
brandée brandés brandées benchmarker benchmarké viraliser meta metas email emails
hreflang favicon favicons pagespeed googlebot bingbot microdata serp serps webperf
linkedin shopify prestashop woocommerce tiktok pinterest snapchat whatsapp wix squarespace
webflow hootsuite canva semrush ahrefs matomo hubspot mailchimp bing qwant ecosia
trustpilot gmail bluesky vimeo dailymotion tumblr substack trello zapier sendinblue brevo
yandex magento joomla leboncoin cdiscount tripadvisor spotify deezer photoshop figma
"""
# Familiar French clippings in every dictionary of the language (Wiktionnaire, Robert)
# but not in Hunspell's, which holds most of them already (info, perso, appli, prod).
_CLIPPINGS = "dispo dispos dev devs préprod stat stats exam exams rédac récap capa capas pédago"
WEB_JARGON = frozenset(_JARGON.split()) | frozenset(_CLIPPINGS.split())
# French builds words with these prefixes faster than dictionaries follow (réutilisateur,
# bivarié, multicritère, sous-échantillon, cofinancement, préremplir): a word made of one
# of them and a word the dictionary knows is a word. English does the same (preprocess,
# reindex, multithreaded), glued or with a hyphen (éco-conçu, sous-échantillon). The rest
# must be long enough to be a word of its own.
_PREFIXES = {
    "fr": ("anti", "archi", "auto", "bi", "bio", "co", "contre", "cyber", "dé", "dés", "éco",
           "électro", "extra", "géo", "hydro", "hyper", "inter", "intra", "méga", "micro",
           "mini", "mono", "multi", "néo", "non", "omni", "para", "péri", "photo", "pluri",
           "poly", "post", "pré", "pro", "pseudo", "quasi", "re", "ré", "rétro", "semi",
           "sous", "sub", "super", "sur", "télé", "thermo", "trans", "tri", "ultra", "uni"),
    "en": ("anti", "auto", "bi", "co", "de", "inter", "micro", "mini", "multi", "non",
           "over", "post", "pre", "pseudo", "re", "semi", "sub", "super", "un", "under"),
}
_MIN_STEM = 4
# The letters an edit may bring in (near_miss): a typo swaps, drops, doubles or mistypes one.
_EDIT_LETTERS = {"fr": "abcdefghijklmnopqrstuvwxyzàâäéèêëîïôöùûüçœ",
                 "en": "abcdefghijklmnopqrstuvwxyz"}
# French endings put on English stems by French developers and marketers (buggé, wrappé,
# hacké, loggant, packagé, commité, badgeuse): the word is an anglicism, not a misspelling.
_FRENCH_ENDINGS = ("eraient", "eront", "erons", "erait", "erez", "era", "ées", "ée", "és",
                   "é", "antes", "ante", "ants", "ant", "er", "ez", "ons", "euses", "euse",
                   "eurs", "eur")
# Regular French derivations (ending, the base's endings): générable ← générer.
_DERIVATIONS = (("ables", ("er",)), ("able", ("er",)), ("abilités", ("able", "er")),
                ("abilité", ("able", "er")), ("ements", ("er",)), ("ement", ("er",)),
                ("ii", ("io",)))
_GLUED_MIN = 3  # letters of each of two glued words (« Principalementutilisé », « malgrès »)
_NEAR_MIN = 5  # shorter unknown words have neighbours everywhere (nb → nu, ne…): unjudged
_MAX_CACHE = 500_000  # entries per cache: far above any site's vocabulary


def debian_package(lang: str) -> str:
    """The Debian package that installs a Hunspell dictionary for ``lang``."""
    return _DEBIAN_PACKAGES.get(lang, f"hunspell-{lang}")


class Engine(Protocol):
    """What is used of a Hunspell object (chunspell's ``hunspell.Hunspell``)."""

    def spell(self, word: str) -> bool: ...

    def suggest(self, word: str) -> Sequence[str]: ...


@dataclass(frozen=True)
class Dictionary:
    """A Hunspell dictionary on disk: ``<folder>/<name>.aff`` and ``.dic``."""

    lang: str
    name: str  # fr_FR, en_US...
    folder: Path


def _bundled_dir() -> Path | None:
    """chunspell ships an en_US dictionary: the last resort for English."""
    try:
        import hunspell
    except ImportError:
        return None
    folder = Path(hunspell.__file__).parent / "dictionaries"
    return folder if folder.is_dir() else None


def find_dictionary(lang: str, folders: Iterable[Path]) -> Dictionary | None:
    """The first folder holding a dictionary for ``lang`` (fr → fr_FR.aff, fr.aff, fr_*.aff)."""
    if not _LANG_CODE.fullmatch(lang):
        return None
    preferred = _PREFERRED.get(lang, (f"{lang}_{lang.upper()}", lang))
    for folder in folders:
        if not folder.is_dir():
            continue
        names = [*preferred, *sorted(p.stem for p in folder.glob(f"{lang}[_-]*.aff"))]
        for name in names:
            if _has_files(folder, name):
                return Dictionary(lang, name, folder)
    return None


def _has_files(folder: Path, name: str) -> bool:
    """``folder`` holds the two files of the dictionary ``name`` (.aff and .dic)."""
    return (folder / f"{name}.aff").is_file() and (folder / f"{name}.dic").is_file()


def open_hunspell(d: Dictionary) -> Engine:
    import hunspell  # chunspell: imported here so that a missing wheel is one notice, not a crash

    return hunspell.Hunspell(d.name, hunspell_data_dir=str(d.folder))


def read_word_list(path: Path) -> list[str]:
    """One word per line; blank lines and ``#`` comments ignored."""
    out = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


class Kind(IntEnum):
    """How a word fares, worst last (a compound is as bad as its worst part)."""

    SKIP = -1  # not a word to check: ALL-CAPS, one letter, another script
    OK = 0
    FOREIGN = 1  # unknown in the paragraph's language, known in another
    # Known in another language, and the paragraph's word once accents are added
    # (« schema », « medias » in French): foreign among foreign words (« schema on read »),
    # a misspelling among the paragraph's own (« les medias sociaux »). check() decides.
    AMBIGUOUS = 2
    UNKNOWN = 3  # a misspelling, or a proper noun when always capitalised


@dataclass(frozen=True)
class WordHit:
    """One word reported on a page: its occurrences and where it first appears."""

    word: str  # as first written
    lang: str  # the dictionary that rejected it
    count: int
    context: str  # a few words around the first occurrence
    # Every occurrence in a fragment without a function word of its language (a tag list,
    # a name, a label: « gatling / jmeter / clif », « egens »): no sentence tells a typo
    # from a name there.
    fragment: bool = False


@dataclass
class SpellingResult:
    lang: str  # the page's language
    words: int = 0  # words checked: the denominator of the error rate
    words_by_lang: dict[str, int] = field(default_factory=dict)
    misspellings: list[WordHit] = field(default_factory=list)  # most frequent first
    proper_nouns: list[WordHit] = field(default_factory=list)
    foreign: list[WordHit] = field(default_factory=list)
    # language without a dictionary -> paragraphs left unchecked
    unchecked: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        """Misspelt occurrences (a word misspelt three times counts three)."""
        return sum(h.count for h in self.misspellings)

    @property
    def languages(self) -> list[str]:
        return list(self.words_by_lang)


@dataclass
class _Group:
    word: str
    lang: str
    kind: Kind
    text: str  # the paragraph of the first occurrence
    start: int
    end: int
    count: int = 0
    always_capitalised: bool = True
    always_fragment: bool = True


class SpellChecker:
    """Hunspell dictionaries, opened on first use, and caches shared by every page.

    One instance per run (``ctx.service("spelling", ...)``): a site repeats the same
    few thousand words on every page, so each (language, word) reaches Hunspell once.
    """

    def __init__(self, folders: Sequence[Path] = (), *, ignore_words: Iterable[str] = (),
                 system_dirs: bool = True, jargon: bool = True, trade_terms: bool = True,
                 open_dictionary: Callable[[Dictionary], Engine] = open_hunspell) -> None:
        extra: list[Path] = []
        if system_dirs:
            extra = list(SYSTEM_DIRS)
            bundled = _bundled_dir()
            if bundled is not None:
                extra.append(bundled)
        self.folders = [*folders, *extra]
        self.ignore = {_normalise(part).lower() for w in ignore_words for part in w.split()}
        if jargon:
            self.ignore |= WEB_JARGON
        # The software trade's terms (audit/text/terms): hbase, docstring, mixins, conda.
        self.terms: frozenset[str] = software_terms() if trade_terms else frozenset()
        self._open = open_dictionary
        self._engines: dict[str, Engine | None] = {}
        self._variants: dict[str, list[Engine]] = {}  # lang -> the other spellings' engines
        self.dictionaries: dict[str, Dictionary] = {}  # the ones opened
        self.variant_names: dict[str, list[str]] = {}  # lang -> other spellings opened
        self.problems: dict[str, str] = {}  # lang -> why it could not be opened
        self._known: dict[tuple[str, str], bool] = {}
        self._kinds: dict[str, dict[str, Kind]] = {}  # lang -> token as written -> Kind
        self._suggestions: dict[tuple[str, str], list[str]] = {}
        self._near: dict[tuple[str, str], bool] = {}
        # reported token -> (grouping key, has a capital): foreign words recur on every page
        self._facts: dict[str, tuple[str, bool]] = {}
        self.lookups = 0  # calls into Hunspell's spell(): what the cache saves
        self.pages = 0  # pages checked with check() (not mere word look-ups)
        # Called by close() before the dictionaries go: the rule notes the engine that ran.
        self.on_close: Callable[[SpellChecker], None] | None = None

    @classmethod
    def from_config(cls, cfg: SpellingConfig, resolve: Callable[[str], Path], *,
                    extra_words: Iterable[str] = (), system_dirs: bool = True,
                    jargon: bool = True,
                    open_dictionary: Callable[[Dictionary], Engine] = open_hunspell
                    ) -> SpellChecker:
        """From the client's ``spelling:`` section; paths resolved against the config
        file. The client's dictionary folder is searched before the system's.
        ``extra_words``: more words of the client's (its focus keywords)."""
        words = [*cfg.ignore_words, *extra_words]
        if cfg.word_list:
            words += read_word_list(resolve(cfg.word_list))  # missing: fail loudly
        folders = [resolve(cfg.dictionaries)] if cfg.dictionaries else []
        for folder in folders:
            if not folder.is_dir():  # a silent fallback would hide the client's dictionary
                raise NotADirectoryError(f"spelling.dictionaries: no folder {folder}")
        return cls(folders, ignore_words=words, system_dirs=system_dirs, jargon=jargon,
                   trade_terms=cfg.trade_terms, open_dictionary=open_dictionary)

    # -- dictionaries ---------------------------------------------------------------

    def engine(self, lang: str) -> Engine | None:
        if lang not in self._engines:
            self._engines[lang] = None
            d = find_dictionary(lang, self.folders)
            if d is None:
                searched = ", ".join(str(f) for f in self.folders) or "no folder"
                self.problems[lang] = f"no {lang} dictionary (.aff + .dic) in {searched}"
            else:
                try:
                    self._engines[lang] = self._open(d)
                    self.dictionaries[lang] = d
                except (ImportError, OSError, RuntimeError, UnicodeError) as exc:
                    self.problems[lang] = f"{d.folder / d.name}: {exc}"
                else:
                    self._open_variants(lang, d)
        return self._engines[lang]

    def _open_variants(self, lang: str, main: Dictionary) -> None:
        """The language's other correct spellings (en_GB beside en_US), where installed."""
        engines = []
        for name in VARIANTS.get(lang, ()):
            if name == main.name:
                continue
            folder = next((f for f in self.folders if _has_files(f, name)), None)
            if folder is None:
                continue
            try:
                engines.append(self._open(Dictionary(lang, name, folder)))
            except (ImportError, OSError, RuntimeError, UnicodeError):
                continue  # the main spelling still checks; only the variant is missing
            self.variant_names.setdefault(lang, []).append(name)
        self._variants[lang] = engines

    def available(self, lang: str) -> bool:
        return self.engine(lang) is not None

    def describe(self, langs: Iterable[str] | None = None) -> str:
        """The engine that ran, e.g. ``Hunspell fr_FR, en_US``."""
        chosen = self.dictionaries if langs is None else {
            lang: self.dictionaries[lang] for lang in langs if lang in self.dictionaries}
        names = ", ".join(" + ".join([d.name, *self.variant_names.get(lang, [])])
                          for lang, d in chosen.items())
        return f"Hunspell {names}" if names else "Hunspell (no dictionary)"

    # -- words ----------------------------------------------------------------------

    def known(self, lang: str, word: str) -> bool:
        """Whether ``lang``'s dictionary accepts ``word`` (cached; False without one)."""
        key = (lang, word)
        hit = self._known.get(key)
        if hit is None:
            engine = self.engine(lang)
            if engine is None:
                return False
            self.lookups += 1
            hit = False
            for e in (engine, *self._variants.get(lang, ())):
                try:
                    hit = bool(e.spell(word))
                except (UnicodeError, ValueError):  # not encodable in a Latin-1 dictionary
                    continue
                if hit:
                    break
            if len(self._known) >= _MAX_CACHE:
                self._known.clear()
            self._known[key] = hit
        return hit

    def suggest(self, lang: str, word: str, limit: int) -> list[str]:
        """Hunspell's suggestions (about 0.1 s a word: ask only for reported errors)."""
        key = (lang, _normalise(word))
        if key not in self._suggestions:
            engine = self.engine(lang)
            try:
                found = list(engine.suggest(key[1])) if engine is not None else []
            except (UnicodeError, ValueError):
                found = []
            self._suggestions[key] = found
        return self._suggestions[key][:limit]

    def classify(self, lang: str, word: str) -> Kind:
        """SKIP, OK, FOREIGN or UNKNOWN for one token of a ``lang`` paragraph (cached)."""
        cache = self._kinds.setdefault(lang, {})
        kind = cache.get(word)
        if kind is None:
            kind = self._classify_new(cache, lang, word)
        return kind

    def _classify_new(self, cache: dict[str, Kind], lang: str, word: str) -> Kind:
        if len(word) < 2 or word.isupper() or not _latin(word) or not _letters(word):
            kind = Kind.SKIP
        else:
            kind = self._judge(lang, _normalise(word))
        if len(cache) >= _MAX_CACHE:
            cache.clear()
        cache[word] = kind
        return kind

    def _ignored(self, word: str) -> bool:
        return bool(self.ignore) and word.lower() in self.ignore

    def _judge(self, lang: str, word: str) -> Kind:
        if self._ignored(word) or self.known(lang, word):
            return Kind.OK
        bare = unelide(word)  # d'Instagram → Instagram
        if bare != word and (self._ignored(bare) or self.known(lang, bare)):
            return Kind.OK
        accents = _CAPITAL_ACCENTS.get(bare[0]) if lang != "en" else None
        if accents and any(self.known(lang, a + bare[1:]) for a in accents):
            return Kind.OK
        # « noeud », « voeux », « coeur »: œ typed as two letters, as most keyboards do.
        if lang == "fr" and "oe" in bare.lower() and self.known(
                lang, bare.replace("oe", "œ").replace("Oe", "Œ").replace("OE", "Œ")):
            return Kind.OK
        if self._prefixed(lang, bare):
            return Kind.OK
        foreign = self._foreign(lang, bare)
        if foreign is not None:
            return foreign
        if self._term(lang, bare):  # after _foreign: « plugin » stays an English word
            return Kind.OK
        if lang == "en" and bare.lower().endswith("'s") and len(bare) > 4:
            return self.classify(lang, bare[:-2])  # gdb's, Python's
        if "-" in bare:  # SEO-friendly, mobile-first: judge the parts
            return max(Kind.OK, *(self.classify(lang, p) for p in bare.split("-")))
        return Kind.UNKNOWN

    def near_miss(self, lang: str, word: str) -> bool:
        """Whether an unknown ``word`` looks like a typo: one edit away from a word the
        dictionary knows (a letter dropped, doubled, swapped or mistyped, an accent wrong or
        missing, a capital missing: « continous », « systéme », « developpement »,
        « january »), the first letter kept as written (typos spare it), or accents off
        a known word (« ecosysteme »), or, in French, two known words glued
        (« Principalementutilisé »).
        A word far from every known word is more likely a term of the trade, a product or
        an identifier (« matplotlib », « linestyle »): reported to confirm, not as a
        mistake — the noisy-channel view of spelling correction. Cached per word."""
        bare = unelide(_normalise(word))
        key = (lang, bare)
        hit = self._near.get(key)
        if hit is None:
            first = _fold(bare[:1])
            hit = self._near[key] = len(bare) >= _NEAR_MIN and not self._derived(
                lang, bare) and not (bare.islower() and self.known(lang, bare.capitalize())) and (
                # Typos spare the first letter (it is written, and read, most surely):
                # « dtype » is not « type » mistyped, « continous » is « continuous ».
                # A word known only with a capital is a name written in lower case
                # (« linux », « achille »): a choice to confirm, not a typo (above).
                any(self.known(lang, c) for c in _edits(bare, _EDIT_LETTERS.get(
                    lang, _EDIT_LETTERS["en"])) if _fold(c[:1]) == first
                    and c.lower() != bare.lower())
                or any(self.known(lang, v) for v in _accent_variants(bare))  # ecosysteme
                or (lang == "fr" and self._glued(bare)))
        return hit

    def _glued(self, word: str) -> bool:
        """Two French words glued (« Principalementutilisé », « malgrès » = mal + grès, a
        typo of malgré), neither English — « usecase », « docstring », « barplot » are
        English compounds."""
        for i in range(_GLUED_MIN, len(word) - _GLUED_MIN + 1):
            head, tail = word[:i], word[i:]
            if self.known("fr", head) and self.known("fr", tail) and not (
                    self.known("en", head) or self.known("en", tail)):
                return True
        return False

    def _derived(self, lang: str, word: str) -> bool:
        """A French word built by a regular derivation on a known word, that dictionaries
        lag behind: -able on a verb (générable, hachable, cherchable), -abilité on an
        adjective in -able (compostabilité), -ement on a verb (réassignement), and the
        Italian plural -ii of a word in -o (scénarii). Not a typo; a term to confirm."""
        if lang != "fr":
            return False
        lower = word.lower()
        for ending, bases in _DERIVATIONS:
            stem = lower.removesuffix(ending)
            if stem != lower and len(stem) >= 3 and any(
                    self.known(lang, stem + b) or self._prefixed(lang, stem + b) for b in bases):
                return True
        return False

    def _prefixed(self, lang: str, word: str) -> bool:
        """A productive prefix and a known word: réutilisateur, bivarié, preprocess."""
        lower = word.lower()
        for prefix in _PREFIXES.get(lang, ()):
            rest = lower[len(prefix):].removeprefix("-")
            if lower.startswith(prefix) and len(rest) >= _MIN_STEM and "-" not in rest \
                    and self.known(lang, rest):
                # « reseau » is re + seau, and a misspelling of réseau: accents first.
                return lang == "en" or not any(self.known(lang, v)
                                               for v in _accent_variants(word))
        return False

    def _frenchified(self, word: str) -> bool:
        """An English word with a French ending (« buggé », « wrappant », « loggera »,
        « rooté »): stem as written, with its doubled consonant single, with an « e » back,
        or its « u » before « e » dropped (loggueur) — unless a French word of that stem,
        not English too, is one edit away (« difficultées » → difficultés, « illicité » →
        illicite: a French word misspelt, not an anglicism)."""
        lower = word.lower()
        for ending in _FRENCH_ENDINGS:
            stem = lower[: -len(ending)]
            if not lower.endswith(ending) or len(stem) < 3:
                continue
            stems = {stem, stem + "e", stem.removesuffix("u")}
            stems |= {s[:-1] for s in list(stems) if len(s) > 3 and s[-1] == s[-2]}
            if any(len(s) >= 3 and self.known("en", s) for s in stems):
                # (a neighbour English also knows is the English word: buggy, package)
                return not any(c.startswith(stem) and self.known("fr", c)
                               and not self.known("en", c)
                               for c in _edits(lower, _EDIT_LETTERS["fr"]))
        return False

    def _term(self, lang: str, word: str) -> bool:
        """A term of the software trade (« hbase », « docstrings », any case, a plural too)
        — unless, in French, it is a French word without its accents: libraries' word lists
        hold « numero » and « presents » too."""
        if not self.terms:
            return False
        lower = word.lower()
        if lower not in self.terms and not (lower.endswith("s") and lower[:-1] in self.terms):
            return False
        return not self.unaccented(lang, word)

    def unaccented(self, lang: str, word: str) -> bool:
        """A word of ``lang`` written without its accents (« numero », « enonces »), in a
        language that has accents (not English)."""
        return lang != "en" and any(self.known(lang, v) for v in _accent_variants(word))

    def _foreign(self, lang: str, word: str) -> Kind | None:
        """FOREIGN for a word of another language, AMBIGUOUS when it is also this language's
        word without its accents (« medias », « schema »), None otherwise."""
        if lang == "fr" and "en" in language.STOP_WORDS and self._frenchified(word) and not any(
                self.known(lang, v) for v in _accent_variants(word)):
            return Kind.FOREIGN  # « developpé » stays a misspelling of développé
        for other in language.STOP_WORDS:
            if other != lang and self.known(other, word):
                # English drops no accents; in other languages « medias » may be a
                # misspelling — but « the » is English, never « thé » without its accent.
                if (lang == "en" or language.is_stop_word(word, other)
                        or not any(self.known(lang, v) for v in _accent_variants(word))):
                    return Kind.FOREIGN
                return Kind.AMBIGUOUS
        return None

    # -- pages ----------------------------------------------------------------------

    def check(self, paragraphs: Iterable[str], lang: str,
              per_paragraph: bool = True) -> SpellingResult:
        """Check the paragraphs of one page written in ``lang``.

        With ``per_paragraph``, each paragraph long enough to tell is checked in its
        own language (French or English); paragraphs in a language without a
        dictionary are counted in ``unchecked``.
        """
        self.pages += 1
        result = SpellingResult(lang)
        groups: dict[tuple[str, str], _Group] = {}
        detect = per_paragraph and lang in language.STOP_WORDS
        candidates = tuple(language.STOP_WORDS)
        ok, skip, ambiguous = Kind.OK, Kind.SKIP, Kind.AMBIGUOUS
        for raw in paragraphs:
            text = _clean(raw)
            if "://" in text or "www." in text or "@" in text:
                text = _URL.sub(lambda m: " " * len(m.group()), text)  # keep offsets
            tokens = _TOKEN.findall(text)
            plang = language.detect_words(tokens, candidates, lang) if detect else lang
            if not self.available(plang):
                result.unchecked[plang] = result.unchecked.get(plang, 0) + 1
                continue
            cache = self._kinds.setdefault(plang, {})
            n = 0
            fragment: bool | None = None  # asked on the paragraph's first unknown word
            for i, word in enumerate(tokens):
                kind = cache.get(word)
                if kind is None:
                    kind = self._classify_new(cache, plang, word)
                if kind is ok:
                    n += 1
                elif kind is not skip:
                    n += 1
                    if kind is ambiguous:
                        kind = self._in_company(tokens, i, plang)
                    if fragment is None:
                        fragment = _fragment(text, tokens, plang)
                    self._count(groups, plang, kind, word, text, fragment)
            if n:
                result.words += n
                result.words_by_lang[plang] = result.words_by_lang.get(plang, 0) + n
        for g in sorted(groups.values(), key=lambda g: -g.count):
            hit = WordHit(g.word, g.lang, g.count, snippet(g.text, g.start, g.end),
                          g.always_fragment)
            if g.kind is Kind.FOREIGN:
                result.foreign.append(hit)
            elif g.always_capitalised:
                result.proper_nouns.append(hit)
            else:
                result.misspellings.append(hit)
        return result

    def _in_company(self, tokens: list[str], i: int, lang: str) -> Kind:
        """An AMBIGUOUS word among foreign words is foreign (« schema on read », « View
        more presentations from », « (replication factor) »); among the paragraph's own
        words, a misspelling (« les medias sociaux »): two words either side are asked."""
        for j in (i - 1, i + 1, i - 2, i + 2):
            if 0 <= j < len(tokens) and (
                    self.classify(lang, tokens[j]) is Kind.FOREIGN
                    or language.stop_word_of(tokens[j]) not in (None, lang)):  # more, from
                return Kind.FOREIGN
        return Kind.UNKNOWN

    def _count(self, groups: dict[tuple[str, str], _Group], lang: str, kind: Kind, word: str,
               text: str, fragment: bool = False) -> None:
        facts = self._facts.get(word)
        if facts is None:
            bare = unelide(_normalise(word))
            if len(self._facts) >= _MAX_CACHE:
                self._facts.clear()
            facts = self._facts[word] = (bare.lower(), _has_capital(bare))
        key = (lang, facts[0])  # l’email and email: one word
        g = groups.get(key)
        if g is None:
            start, end = _locate(text, word)
            g = groups[key] = _Group(word, lang, kind, text, start, end)
        g.count += 1
        if not facts[1]:
            g.always_capitalised = False
        if not fragment:
            g.always_fragment = False

    def close(self) -> None:
        if self.on_close is not None:
            self.on_close(self)
            self.on_close = None
        self._engines.clear()
        self._variants.clear()
        self._known.clear()
        self._kinds.clear()
        self._suggestions.clear()
        self._near.clear()
        self._facts.clear()


def spelling_service(ctx: Context) -> SpellChecker:
    """The run's one SpellChecker, shared by the spelling rule and the grammar rule's word
    judgements (one set of dictionaries in memory): the client's ``spelling:`` section and
    its focus keywords, words of the site (« pseudonymisation »). When it has checked pages,
    the Summary notes the dictionaries that ran (the missing ones are limits, counted per
    page by the runner)."""

    def opened() -> SpellChecker:
        checker = SpellChecker.from_config(ctx.config.spelling, ctx.config.resolve,
                                           extra_words=keyword_service(ctx).map.keywords())

        def note(c: SpellChecker) -> None:
            if c.pages and c.dictionaries:
                ctx.note(Msg("Orthographe vérifiée avec {engine}.",
                             "Spelling checked with {engine}.").format(engine=c.describe()))

        checker.on_close = note
        return checker

    return ctx.service("spelling", opened)


def word_key(word: str) -> str:
    """The form a word is grouped under across pages: l’Email, email → email."""
    return unelide(_normalise(word)).lower()


def _normalise(word: str) -> str:
    return word if word.isascii() else word.translate(_APOSTROPHES)


def _clean(text: str) -> str:
    if _INVISIBLE_RE.search(text):
        text = text.translate(_INVISIBLE)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)  # e + combining accent → é
    return text


_LIST_SEPARATORS = re.compile(r"[/,;|·•]")


def _fragment(text: str, tokens: list[str], lang: str) -> bool:
    """A paragraph that is no sentence: one word alone (a name, a tag: « egens ») or a list
    of one- or two-word items (« gatling / jmeter / clif / java »), no function word of
    its language in it. « Update autors » is a sentence, short as it is."""
    if any(language.is_stop_word(t, lang) for t in tokens):
        return False
    if len(tokens) == 1:
        return True
    items = [len(_TOKEN.findall(piece)) for piece in _LIST_SEPARATORS.split(text)]
    items = [n for n in items if n]
    return len(items) >= 3 and max(items) <= 2


def _has_capital(word: str) -> bool:
    return any(c.isupper() for c in word)


def _letters(word: str) -> bool:
    """No digit-like character (km², x²) hiding in what the regex took for letters."""
    return all(c.isalpha() or c in "'’ʼ-" for c in word)


def _latin(word: str) -> bool:
    return word.isascii() or all(ord(c) <= 0x24F or c in "’ʼ" for c in word)


def _locate(text: str, word: str) -> tuple[int, int]:
    """Where ``word`` first occurs in ``text`` as a whole token (for the snippet)."""
    m = re.search(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", text)
    return m.span() if m else (0, 0)


def _fold(text: str) -> str:
    """Lower case without accents: « É » and « e » are one first letter."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower())
                   if not unicodedata.combining(c))


def _edits(word: str, letters: str) -> Iterator[str]:
    """The strings one edit from ``word`` (Norvig's: delete, swap, replace, insert), and
    ``word`` capitalised or in lower case."""
    yield word.lower()
    yield word[:1].upper() + word[1:]
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            yield head + tail[1:]
            if len(tail) > 1:
                yield head + tail[1] + tail[0] + tail[2:]
            for c in letters:
                if c != tail[0]:
                    yield head + c + tail[1:]
        for c in letters:
            yield head + c + tail


def _accent_variants(word: str) -> Iterator[str]:
    """The word with one or two letters accented: medias → médias, reference → référence."""
    spots = [(i, _ACCENTS[c]) for i, c in enumerate(word) if c in _ACCENTS]
    chars = list(word)
    for i, alts in spots:
        for a in alts:
            yield word[:i] + a + word[i + 1:]
    if len(spots) > 6:  # 15+ pairs of 16 variants: not worth it for a rare long word
        return
    for (i, alts_i), (j, alts_j) in combinations(spots, 2):
        for a in alts_i:
            for b in alts_j:
                variant = chars.copy()
                variant[i], variant[j] = a, b
                yield "".join(variant)


def snippet(text: str, start: int, end: int, around: int = 5) -> str:
    """``around`` words either side of text[start:end], with … where cut."""
    head = text[:start].split(" ")
    tail = text[end:].split(" ")
    before = " ".join(head[-(around + 1):])  # the last piece is glued to the word: "(" or ""
    after = " ".join(tail[:around + 1])
    return ("…" if len(head) > around + 1 else "") + before + text[start:end] + after + (
        "…" if len(tail) > around + 1 else "")


__all__ = ["SYSTEM_DIRS", "WEB_JARGON", "Dictionary", "Engine", "Kind", "SpellChecker",
           "SpellingResult", "WordHit", "debian_package", "find_dictionary", "open_hunspell",
           "read_word_list", "snippet", "spelling_service", "word_key"]
