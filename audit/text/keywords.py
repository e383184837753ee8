"""Focus keywords: the client's map (config and CSV), phrase matching, and detection.

Matching works on *terms* (audit.text.tokens.term): case, accents, elisions (l’, d’,
qu’ with ' or ’) and plurals do not matter, so « réseaux sociaux » matches
« Réseau social » and « l’identité numérique » matches « identité numérique ».

Detection (pages without a configured keyword) scores candidate phrases — 1 to 3
terms, neither starting nor ending with a stop word — by TF-IDF against the rest of
the site (a phrase's IDF is that of its most common word), occurrences in the title,
h1 and h2 counted extra, longer phrases slightly preferred. It needs every
page's candidates before judging one: :class:`KeywordStats` keeps a compact top list
per page and is shared by the keyword rules through ``ctx.service``.
"""

from __future__ import annotations

import csv
import fnmatch
import heapq
import math
import re
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from audit.config import ClientConfig
from audit.context import Context
from audit.numbering import Numbering
from audit.text.language import STOP_WORDS
from audit.text.tokens import term, terms, unelide, words
from audit.typedyaml import ConfigError
from spiders.items import PageItem

STOP_TERMS = frozenset(t for words in STOP_WORDS.values() for w in words for t in terms(w))
CANDIDATES_PER_PAGE = 40  # kept per page for TF-IDF: enough to rank, small enough at 100k pages
TITLE_BOOST, H1_BOOST, H2_BOOST = 5.0, 4.0, 2.0


def phrase_terms(phrase: str) -> tuple[str, ...]:
    return tuple(terms(phrase))


def count_phrase(needle: Sequence[str], haystack: Sequence[str]) -> int:
    """Occurrences of a term sequence inside another (non-overlapping)."""
    n = len(needle)
    if not n or n > len(haystack):
        return 0
    count = i = 0
    first = needle[0]
    last = len(haystack) - n
    while i <= last:
        if haystack[i] == first and tuple(haystack[i:i + n]) == tuple(needle):
            count += 1
            i += n
        else:
            i += 1
    return count


def find_phrase(needle: Sequence[str], haystack: Sequence[str]) -> int:
    """Index of the first occurrence, -1 if absent."""
    n = len(needle)
    for i in range(len(haystack) - n + 1):
        if tuple(haystack[i:i + n]) == tuple(needle):
            return i
    return -1


# ---------------------------------------------------------------------------
# The client's keyword map
# ---------------------------------------------------------------------------

@dataclass
class KeywordMap:
    """URL → focus keyword from ``keywords:`` (path, glob or URL) and ``keywords_file``."""

    exact: dict[str, str] = field(default_factory=dict)  # full URL or path
    globs: list[tuple[str, str]] = field(default_factory=list)  # most specific first

    @classmethod
    def build(cls, mapping: dict[str, str], csv_path: Path | None = None) -> KeywordMap:
        km = cls()
        items = list(mapping.items())
        if csv_path is not None:
            items += read_keywords_csv(csv_path)
        for pattern, keyword in items:
            pattern = pattern.strip()
            if any(c in pattern for c in "*?["):
                km.globs.append((pattern, keyword))
            else:
                km.exact[_key(pattern)] = keyword
        # A longer pattern is more specific: /blog/seo-* wins over /blog/*.
        km.globs.sort(key=lambda g: -len(g[0].replace("*", "")))
        return km

    def __bool__(self) -> bool:
        return bool(self.exact or self.globs)

    def keywords(self) -> list[str]:
        """Every configured keyword, once each."""
        return list(dict.fromkeys([*self.exact.values(), *(k for _p, k in self.globs)]))

    def lookup(self, url: str) -> str | None:
        return self.source(url)[0]

    def source(self, url: str) -> tuple[str | None, str]:
        """(the page's keyword, the glob pattern that gave it: "" for an exact path or URL,
        or when there is none)."""
        parts = urlsplit(url)
        path = parts.path or "/"
        with_query = path + (f"?{parts.query}" if parts.query else "")
        for key in (_key(url), with_query, path):
            if key in self.exact:
                return self.exact[key], ""
        for pattern, keyword in self.globs:
            target = url if "://" in pattern else path
            if fnmatch.fnmatchcase(target, pattern):
                return keyword, pattern
        return None, ""


def _key(pattern: str) -> str:
    if "://" in pattern:
        parts = urlsplit(pattern)
        return f"{parts.scheme}://{parts.netloc.lower()}{parts.path or '/'}" + (
            f"?{parts.query}" if parts.query else "")
    return pattern if pattern.startswith("/") else "/" + pattern


def read_keywords_csv(path: Path) -> list[tuple[str, str]]:
    """``url,keyword`` rows (a header row is recognised and skipped; ; or , or tab)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(path, None, "keywords_file", "file not found") from None
    except UnicodeDecodeError:
        raise ConfigError(path, None, "keywords_file", "not UTF-8 text") from None
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[tuple[str, str]] = []
    for number, row in enumerate(csv.reader(text.splitlines(), dialect), 1):
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise ConfigError(path, number, "keywords_file",
                              f"expected 'url,keyword', got {','.join(row)[:80]!r}")
        head = row[0].strip().lower()
        if number == 1 and head in {"url", "page", "path", "adresse", "chemin"}:
            continue
        rows.append((row[0].strip(), row[1].strip()))
    return rows


# ---------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------

# A run of text between spaces: words, or code, hashes, colours, file names glued together.
_CHUNK = re.compile(r"\S+")
_EDGE_PUNCT = "«»“”\"'‘’()[]{}<>.,;:!?…*"
_CODE_MARKS = re.compile(r"[\d_@\\=<>{}()\[\];:#|^~$]|\.[^\W\d_]")
_TRIPLE = re.compile(r"(.)\1\1")  # « fffe »: no French or English word
# Hex digits without a digit among them (colours, hashes cut at their digits): « ebbec ».
_HEX_LETTERS = re.compile(r"[a-f]{4,}")
_HEX_WORDS = frozenset({  # French and English words written with a to f only
    "face", "fade", "efface", "cafe", "facade", "decade", "beef", "bead", "dead", "deed",
    "feed", "faced", "faded", "added", "accede", "deaf", "babe", "abbe", "ebbed", "bade",
    "cede", "ceded", "dab", "dabbed", "ace", "aced", "acca"})


def _not_a_word(word: str) -> bool:
    low = word.lower()
    return bool(_TRIPLE.search(low)) or (
        _HEX_LETTERS.fullmatch(low) is not None and low not in _HEX_WORDS)


def word_runs(text: str) -> Iterator[list[str]]:
    """The text's words in runs a keyword may span, code left out: a chunk holding digits,
    ``_``, ``#``, ``=``, brackets, a dot before a letter… (« #fffe0ebbec », « web2mrkt »,
    « index.html », « fill_page() ») is not a word and ends the run, as is a word with a
    letter three times in a row or made of hex digits only (« ebbec », not « face »).
    Single letters stay (they never start or end a keyword)."""
    run: list[str] = []
    for m in _CHUNK.finditer(text):
        chunk = m.group().strip(_EDGE_PUNCT)
        if not chunk:
            continue
        if _CODE_MARKS.search(chunk):
            if run:
                yield run
                run = []
            continue
        for w in words(chunk):
            if _not_a_word(w):
                if run:
                    yield run
                    run = []
                continue
            run.append(w)
    if run:
        yield run


def candidates(body: Iterable[str], title: str, h1: Iterable[str], h2: Iterable[str],
               max_n: int = 3) -> tuple[Counter[tuple[str, ...]], Mapping[tuple[str, ...], str]]:
    """Weighted counts of candidate phrases of 1 to ``max_n`` terms, and how each phrase
    is written on the page (« réseaux sociaux » for the key ('reseau', 'social'): each
    word as it is most often written, never its matching term)."""
    counts: dict[tuple[str, ...], float] = {}
    runs: list[list[str]] = []
    get = counts.get

    def add(text: str, weight: float) -> None:
        for toks in word_runs(text):
            runs.append(toks)
            ts = [term(t) for t in toks]
            # A phrase may hold stop words inside (« prix de vente »), not at its ends.
            edge = [t not in STOP_TERMS and len(t) >= 3 for t in ts]
            size = len(ts)
            for i in range(size):
                if not edge[i]:
                    continue
                for n in range(1, min(max_n, size - i) + 1):
                    if not edge[i + n - 1]:
                        continue
                    key = (ts[i],) if n == 1 else tuple(ts[i:i + n])
                    old = get(key)
                    counts[key] = weight if old is None else old + weight

    add(title, TITLE_BOOST)
    for h in h1:
        add(h, H1_BOOST)
    for h in h2:
        add(h, H2_BOOST)
    for block in body:
        add(block, 1.0)
    return Counter(counts), _Surfaces(counts, runs)


class _Surfaces(Mapping[tuple[str, ...], str]):
    """Phrase → how it is written on the page, built on demand (a page has thousands of
    candidate phrases and only its top few are ever shown): each term as the page most
    often writes it (« équipe » for 'equipe', whether the page also says « équipes » or
    « EQUIPE »), lower case, the elisions inside the phrase as its first occurrence
    writes them (« blog d’un développeur »)."""

    def __init__(self, counts: Mapping[tuple[str, ...], float], runs: list[list[str]]):
        self._counts = counts
        self._runs = runs
        self._written: dict[str, str] | None = None

    def _spellings(self) -> dict[str, str]:
        if self._written is None:
            seen: dict[str, Counter[str]] = {}
            for toks in self._runs:
                for tok in toks:
                    form = unelide(tok).lower()
                    seen.setdefault(term(tok), Counter())[form] += 1
            # most_common keeps first-met order among ties
            self._written = {t: c.most_common(1)[0][0] for t, c in seen.items()}
        return self._written

    def _elisions(self, key: tuple[str, ...]) -> list[str]:
        """The elided articles (« d’ », « l’ ») the first occurrence of ``key`` writes
        before each of its words, "" where none: « blog d’un développeur », not « blog un
        développeur »."""
        n = len(key)
        for toks in self._runs:
            ts = [term(t) for t in toks]
            for i in range(len(ts) - n + 1):
                if tuple(ts[i:i + n]) == key:
                    return [tok[: len(tok) - len(unelide(tok))].lower() if j else ""
                            for j, tok in enumerate(toks[i:i + n])]
        return [""] * n

    def __getitem__(self, key: tuple[str, ...]) -> str:
        if key not in self._counts:
            raise KeyError(key)
        written = self._spellings()
        elided = self._elisions(key) if len(key) > 1 else [""]
        return " ".join(e + written.get(t, t) for e, t in zip(elided, key, strict=True))

    def __contains__(self, key: object) -> bool:
        return key in self._counts

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)


@dataclass
class Focus:
    phrase: tuple[str, ...]
    label: str  # the phrase as written on the page, for display
    score: float
    runner_up: tuple[str, ...] | None = None
    runner_up_score: float = 0.0

    @property
    def clear(self) -> bool:
        """False when a different phrase competes closely (within 10 %)."""
        if self.runner_up is None or self.runner_up_score < 0.9 * self.score:
            return True
        a, b = set(self.phrase), set(self.runner_up)
        return a <= b or b <= a  # « référencement » vs « référencement naturel »: one topic


class KeywordStats:
    """Site-wide phrase statistics, fed page by page, judged at the end.

    Kept until the last page, so kept small: a page's top phrases as numbers into one
    table of the site's phrases (menus and topics repeat), and document frequencies of
    single terms only: a phrase's specificity is that of its least specific word, so the
    document frequency of longer phrases (millions of distinct ones on a large site) is
    never read."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[array[int], array[float]]] = {}
        self._phrases: Numbering[tuple[str, ...]] = Numbering()
        self._labels: list[str | None] = []  # by phrase number
        self.df: Counter[str] = Counter()
        self._focus: dict[str, Focus | None] | None = None

    def add(self, url: str, counts: Counter[tuple[str, ...]],
            surface: Mapping[tuple[str, ...], str]) -> None:
        if url in self.pages:
            return  # both keyword rules feed the same stats: count each page once
        self.df.update(key[0] for key in counts if len(key) == 1)
        # Prefer multi-word phrases slightly: they name a topic better than one word.
        # nsmallest is sorted(...)[:n], ties in insertion order included, without sorting
        # the thousands of candidates of a page.
        ranked = heapq.nsmallest(CANDIDATES_PER_PAGE, counts.items(),
                                 key=lambda kv: -kv[1] * (1 + 0.5 * (len(kv[0]) - 1)))
        ids = array("i")
        for phrase, _ in ranked:
            number = self._phrases.ids.get(phrase)
            if number is None:  # kept with its terms interned: pages share the strings
                number = self._phrases.id(tuple(sys.intern(t) for t in phrase))
                self._labels.append(None)
            if self._labels[number] is None and phrase in surface:
                self._labels[number] = surface[phrase]
            ids.append(number)
        # Weighted counts are sums of the small whole boosts: exact in 4-byte floats.
        self.pages[url] = (ids, array("f", (tf for _, tf in ranked)))
        self._focus = None

    def label(self, phrase: tuple[str, ...]) -> str:
        """How a phrase was first written on the site (its terms joined when unknown)."""
        number = self._phrases.ids.get(phrase)
        label = self._labels[number] if number is not None else None
        return label if label is not None else " ".join(phrase)

    def focus(self, url: str) -> Focus | None:
        if self._focus is None:
            self._focus = {}
        if url not in self._focus:
            self._focus[url] = self._compute(url)
        return self._focus[url]

    def _compute(self, url: str) -> Focus | None:
        top = self.pages.get(url)
        if not top or not top[0]:
            return None
        n_pages = len(self.pages)

        def idf(term_: str) -> float:
            return math.log((n_pages + 1) / (self.df[term_] + 1)) + 1.0

        scored = []
        for number, tf in zip(*top, strict=True):
            phrase = self._phrases.values[number]
            # A phrase is as specific as its least specific word: « naturel à Lyon » on a
            # site where every page says Lyon is weaker than « référencement naturel ».
            # (Candidates start and end with such a word; the phrase's own first term
            # stands in for any other phrase.)
            words = [t for t in phrase if t not in STOP_TERMS and len(t) >= 3] or phrase[:1]
            specificity = min(idf(t) for t in words)
            scored.append((tf * specificity * (1 + 0.5 * (len(phrase) - 1)), phrase))
        scored.sort(key=lambda x: (-x[0], x[1]))
        best_score, best = scored[0]
        runner = next(((s, p) for s, p in scored[1:] if not (set(p) <= set(best))), None)
        return Focus(best, self.label(best), best_score,
                     runner[1] if runner else None, runner[0] if runner else 0.0)


# ---------------------------------------------------------------------------
# The service shared by keyword-focus and keyword-cannibalization
# ---------------------------------------------------------------------------

@dataclass(slots=True)
class PageFacts:
    """What the keyword rules remember of a page once it is gone."""

    configured: tuple[str, ...] | None
    configured_label: str
    configured_by: str  # the glob pattern that gave the keyword ("" for an exact path)
    title_terms: tuple[str, ...]
    h1_terms: tuple[str, ...]
    words: int


class KeywordService:
    """The keyword map, the site-wide phrase statistics and per-page facts, fed once per page."""

    def __init__(self, keyword_map: KeywordMap) -> None:
        self.map = keyword_map
        self.stats = KeywordStats()
        self.facts: dict[str, PageFacts] = {}
        self.inlinks: Counter[str] = Counter()

    @classmethod
    def for_config(cls, cfg: ClientConfig) -> KeywordService:
        csv_path = cfg.resolve(cfg.keywords_file) if cfg.keywords_file else None
        return cls(KeywordMap.build(cfg.keywords, csv_path))

    def add(self, page: PageItem) -> PageFacts:
        if page.url in self.facts:
            return self.facts[page.url]
        from audit.text.content import prose_blocks

        # Prose only: code listings and inline code are no topic (nor « fffe ebbec »).
        body = [text for b, text in prose_blocks(page) if not b.tag.startswith("h")]
        counts, surface = candidates(body, page.title or "", page.h(1), page.h(2))
        self.stats.add(page.url, counts, surface)
        keyword, pattern = self.map.source(page.url)
        facts = PageFacts(
            configured=phrase_terms(keyword) if keyword else None,
            configured_label=keyword or "",
            configured_by=pattern,
            title_terms=tuple(terms(page.title or "")),
            h1_terms=tuple(t for h in page.h(1) for t in terms(h)),
            words=page.word_count,
        )
        self.facts[page.url] = facts
        self.inlinks.update({link.url for link in page.links if link.internal})
        return facts

    def target(self, url: str) -> tuple[tuple[str, ...], str, bool] | None:
        """The phrase a page targets: (terms, label, configured?). A detected focus counts
        only when the page also puts it in its title or h1."""
        facts = self.facts.get(url)
        if facts is None:
            return None
        if facts.configured:
            return facts.configured, facts.configured_label, True
        focus = self.stats.focus(url)
        if focus is None:
            return None
        if find_phrase(focus.phrase, facts.title_terms) < 0 and \
                find_phrase(focus.phrase, facts.h1_terms) < 0:
            return None
        return focus.phrase, focus.label, False


def keyword_service(ctx: Context) -> KeywordService:
    """The run's one KeywordService (both keyword rules share it)."""
    return ctx.service("keywords", lambda: KeywordService.for_config(ctx.config))
