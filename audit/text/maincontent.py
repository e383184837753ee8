"""A page's main text for similarity: its content without navigation and site template.

Two layers, both working on the extractor's text blocks (``pages.jsonl`` holds blocks,
not HTML):

1. **Regions** — when the page marks its main content (``<main>``, ``role="main"``), only
   that is kept; otherwise blocks the extractor tagged ``nav``, ``header``, ``footer`` or
   ``aside`` (HTML5 elements or ARIA roles) are dropped.
2. **Site template** — a block (element name + normalised words) found on many pages of
   the site is template, wherever it sits (menus and footers written with plain
   ``<div>``, breadcrumbs, a section's sidebar, call-to-action boxes). The rule: a block
   is template when it is on at least ``boilerplate_share`` of the pages **and** on at
   least ``boilerplate_min_pages`` pages. Every block of a page counts (a menu is the same
   menu inside a ``<nav>`` on one theme and a bare ``<div>`` on another); only blocks of
   the content regions can be main text. Pages are counted once per distinct set of
   blocks, so that ten exact copies of one article do not turn it into "template".
   Why not trafilatura or jusText: they need the HTML (the crawl keeps text blocks), and
   judge one page at a time, whereas a site's template shows best across its pages.

Pages arrive once, in crawl order, so :class:`TemplateModel` learns block frequencies as
they stream: a count-min sketch (fixed 1 MiB) estimates how many pages carry each block,
and the caller decides a page's main text only once ``window`` more pages have been seen
(a bounded look-ahead). A block promoted to template stays template (every later page
is cut the same way). Alongside, the exact page count of every distinct block is kept
(12 bytes a distinct block of the site), so :meth:`TemplateModel.finish` knows the exact
template for the last window's pages; with ``diagnose``, :meth:`TemplateModel.confirm`
measures how many pages were cut differently from what the final counts say (0 on sites
no larger than the window: there, every page is decided with the final counts).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from audit.text.content import content_blocks
from audit.text.similarity import hash64, words
from spiders.items import PageItem, TextBlock

WINDOW = 500  # pages of look-ahead before a page's main text is decided


class Block(NamedTuple):
    hash: int  # of the element name and the normalised words
    text: str  # normalised words, space-separated
    words: int
    content: bool  # in the page's content regions (see region_blocks)


def region_blocks(page: PageItem) -> list[TextBlock]:
    """The page's ``<main>`` blocks when it marks one, else its blocks outside
    nav/header/footer/aside (all of them when that leaves none)."""
    main = [b for b in page.text_blocks if b.region == "main" and not b.hidden]
    return main or content_blocks(page)


def page_blocks(page: PageItem) -> list[Block]:
    """All the page's blocks, normalised (empty ones dropped), those of its content
    regions marked. Every block counts for the site's template (a menu is a menu, inside
    a <nav> on one page or a bare <div> on another); only content blocks can be main text."""
    content = {id(b) for b in region_blocks(page)}
    out = []
    for b in page.text_blocks:
        tokens = words(b.text)
        if tokens:
            text = " ".join(tokens)
            # The element counts: a menu item "Nos croissants" is template, the article's
            # <h1>Nos croissants</h1> is not.
            out.append(Block(hash64(f"{b.tag}\x00{text}"), text, len(tokens), id(b) in content))
    return out


class CountMinSketch:
    """Approximate counts of 64-bit keys in fixed memory (never under-counts)."""

    def __init__(self, width_bits: int = 16, depth: int = 4, seed: int = 20240611):
        rng = np.random.default_rng(seed)
        self.table = np.zeros((depth, 1 << width_bits), dtype=np.uint32)
        # Multiply-shift hashing: odd multipliers, top bits kept.
        self.mult = rng.integers(1, 1 << 63, size=depth, dtype=np.uint64) | np.uint64(1)
        self.shift = np.uint64(64 - width_bits)
        self.rows = np.arange(depth)[:, None]

    def _index(self, keys: np.ndarray) -> np.ndarray:
        return ((keys[None, :] * self.mult[:, None]) >> self.shift).astype(np.intp)

    def add(self, keys: np.ndarray) -> None:
        if keys.size:
            idx = self._index(keys)
            for row in range(self.table.shape[0]):
                np.add.at(self.table[row], idx[row], 1)

    def estimate(self, keys: np.ndarray) -> np.ndarray:
        if not keys.size:
            return np.empty(0, dtype=np.uint32)
        return self.table[self.rows, self._index(keys)].min(axis=0)


@dataclass
class TemplateStats:
    """How the streamed template decisions compare with the exact final counts."""

    pages: int = 0  # pages observed
    distinct_pages: int = 0  # pages counted (distinct block sets)
    template_blocks: int = 0  # distinct blocks that are template (final exact counts)
    pages_cut_differently: int | None = 0  # pages decided before the end that the final
    words_cut_differently: int | None = 0  # counts would cut otherwise, and the words
    # concerned (None: not measured, the model was not asked to diagnose)
    words_main: int = 0  # words kept as main text, over all pages
    words_template: int = 0  # words dropped as template, over all pages


class TemplateModel:
    """The site's repeated blocks, learnt as pages stream (see the module docstring).

    Exact counts for the end are kept as the site's distinct block hashes and their
    page counts (12 bytes a distinct block), merged from a buffer of recent hashes: a
    menu seen on 100,000 pages costs 12 bytes, not 800 KB. ``diagnose`` also keeps
    every page's block hashes so that :meth:`confirm` can compare each page's cut with
    the final counts (tests and benchmarks; ≈ 11 bytes per block of every page)."""

    _MERGE_AT = 1 << 20  # hashes buffered before they are merged into the exact counts

    def __init__(self, share: float, min_pages: int, cms_bits: int = 16,
                 diagnose: bool = False):
        self.share = share
        self.min_pages = min_pages
        self.diagnose = diagnose
        self.cms = CountMinSketch(width_bits=cms_bits)
        self.fingerprints: set[int] = set()
        self.counted_pages = 0
        self.pages = 0
        self.template: set[int] = set()  # sticky: promoted blocks stay template
        self.final: set[int] | None = None  # exact template set, after finish()
        # Exact page counts of the distinct blocks of counted pages: sorted keys and
        # their counts, plus the hashes of the pages counted since the last merge.
        self._keys = np.empty(0, dtype=np.uint64)
        self._counts = np.empty(0, dtype=np.int64)
        self._recent = array("Q")
        self.words_main = 0
        self.words_template = 0
        # diagnose: every observed page's distinct block hashes, their word counts and
        # whether they were cut.
        self._hashes = array("Q")
        self._words = array("H")
        self._cut = bytearray()
        self._decided = bytearray()  # per page: 1 decided before finish(), 2 after
        self._offsets = array("Q", [0])

    def threshold(self, pages: int | None = None) -> int:
        n = self.counted_pages if pages is None else pages
        return max(self.min_pages, math.ceil(self.share * n))

    @staticmethod
    def _distinct(blocks: Iterable[Block]) -> dict[int, int]:
        """Distinct blocks of a page -> their words in content regions."""
        out: dict[int, int] = {}
        for b in blocks:
            out[b.hash] = out.get(b.hash, 0) + (b.words if b.content else 0)
        return out

    def observe(self, blocks: list[Block]) -> int:
        """Count one page's blocks; returns the page's number (0, 1, ...)."""
        distinct = self._distinct(blocks)
        keys = sorted(distinct)
        fingerprint = hash64(",".join(map(str, keys)))
        if fingerprint not in self.fingerprints:
            self.fingerprints.add(fingerprint)
            self.counted_pages += 1
            self.cms.add(np.fromiter(keys, dtype=np.uint64, count=len(keys)))
            self._recent.extend(keys)
            if len(self._recent) >= self._MERGE_AT:
                self._merge()
        page = self.pages
        self.pages += 1
        if self.diagnose:
            self._hashes.extend(distinct)
            self._words.extend(min(w, 65535) for w in distinct.values())
            self._cut.extend(bytes(len(distinct)))
            self._offsets.append(len(self._hashes))
            self._decided.append(0)
        return page

    def _merge(self) -> None:
        """Fold the recent hashes into the exact counts (each counted page's blocks are
        distinct, so a hash's count is its number of counted pages)."""
        if not self._recent:
            return
        recent = np.frombuffer(self._recent, dtype=np.uint64)
        keys, inverse = np.unique(np.concatenate((self._keys, recent)), return_inverse=True)
        counts = np.zeros(len(keys), dtype=np.int64)
        np.add.at(counts, inverse[:len(self._keys)], self._counts)
        np.add.at(counts, inverse[len(self._keys):], 1)
        self._keys, self._counts = keys, counts
        self._recent = array("Q")

    def main_blocks(self, page: int, blocks: list[Block]) -> list[Block]:
        """Decide the page's main text: its blocks that are not template."""
        distinct = self._distinct(blocks)
        if self.final is not None:
            is_template = {h for h in distinct if h in self.template or h in self.final}
        else:
            keys = np.fromiter(distinct, dtype=np.uint64, count=len(distinct))
            counts = self.cms.estimate(keys)
            threshold = self.threshold()
            promoted = {int(h) for h, c in zip(keys, counts, strict=True) if c >= threshold}
            self.template |= promoted
            is_template = {h for h in distinct if h in self.template}
        for h, w in distinct.items():
            if h in is_template:
                self.words_template += min(w, 65535)
            else:
                self.words_main += min(w, 65535)
        if self.diagnose:
            for i in range(self._offsets[page], self._offsets[page + 1]):
                if self._hashes[i] in is_template:
                    self._cut[i] = 1
            self._decided[page] = 1 if self.final is None else 2
        return [b for b in blocks if b.content and b.hash not in is_template]

    def finish(self) -> None:
        """The exact template set, from the exact counts (pages counted once per
        distinct content)."""
        if self.final is not None:
            return
        self._merge()
        self.final = {int(h) for h in self._keys[self._counts >= self.threshold()]}
        self._keys = np.empty(0, dtype=np.uint64)
        self._counts = np.empty(0, dtype=np.int64)

    def confirm(self) -> TemplateStats:
        """How the decisions compare with the exact final template set (after finish);
        page by page only with ``diagnose`` (else ``pages_cut_differently`` and
        ``words_cut_differently`` are None: not measured)."""
        self.finish()
        assert self.final is not None
        stats = TemplateStats(pages=self.pages, distinct_pages=self.counted_pages,
                              template_blocks=len(self.final),
                              words_main=self.words_main, words_template=self.words_template)
        if not self.diagnose:
            stats.pages_cut_differently = stats.words_cut_differently = None
            return stats
        stats.pages_cut_differently = stats.words_cut_differently = 0
        for page in range(stats.pages):
            differs = 0
            for i in range(self._offsets[page], self._offsets[page + 1]):
                cut = self._cut[i] == 1
                if self._decided[page] and cut != (self._hashes[i] in self.final):
                    differs += self._words[i]
            if differs:
                stats.pages_cut_differently += 1
                stats.words_cut_differently += differs
        return stats


def batch_main_texts(pages: list[PageItem], share: float, min_pages: int) -> list[list[str]]:
    """Main words of a small set of pages of one site, with exact block counts
    (external pages: they are few and come as a whole)."""
    model = TemplateModel(share, min_pages, cms_bits=10)
    blocks = [page_blocks(p) for p in pages]
    ids = [model.observe(b) for b in blocks]
    model.finish()
    out = []
    for page_id, page_blocks_ in zip(ids, blocks, strict=True):
        kept = model.main_blocks(page_id, page_blocks_)
        out.append(" ".join(b.text for b in kept).split())
    return out
