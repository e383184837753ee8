"""Site-wide duplicate detection, shared by the duplicate-* and external-duplicate rules.

:class:`DuplicateIndex` is a check-run service (``ctx.service``): every rule that needs it
feeds it the pages it collects (the same page once), and the first rule to finish
completes it. Per page it keeps a few numbers, the URL and, for one page of each distinct
main text, a MinHash signature — never the text (memory is O(pages), ≈ 2 KB a page).

- main text: :mod:`audit.text.maincontent` (regions, then the site's template blocks);
- exact duplicates: equal 128-bit hashes of the normalised main text (one *group*);
- near duplicates: one signature per group in a MinHash LSH index, queried before each
  insertion; every candidate is kept only if its estimated Jaccard similarity reaches
  ``duplicates.near_threshold``.
"""

from __future__ import annotations

import logging
import os
from array import array
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from audit import indexability
from audit.config import DuplicatesConfig
from audit.context import Context
from audit.site_hosts import site_hosts
from audit.text.maincontent import WINDOW, Block, TemplateModel, TemplateStats, page_blocks
from audit.text.similarity import NearIndex, Signer, exact_hash, hash64, label_key

if TYPE_CHECKING:  # datasketch imports scipy (~1.5 s): loaded when a page is signed
    from datasketch import LeanMinHash
from spiders.items import PageItem

log = logging.getLogger(__name__)

SERVICE = "duplicates"


def is_noindex(page: PageItem) -> bool:
    """The page asks Googlebot not to index it (meta robots or googlebot, X-Robots-Tag):
    one reading for the whole audit (audit.indexability)."""
    return indexability.is_noindex(page)


def canonical_elsewhere(page: PageItem) -> str:
    """The page's canonical URL when it names another page, else ""."""
    return page.canonical if page.canonical and page.canonical != page.url else ""


def indexable(page: PageItem) -> bool:
    """A page engines may index under its own URL (no noindex, no canonical elsewhere)."""
    return not is_noindex(page) and not canonical_elsewhere(page)


class DuplicateIndex:
    """Main-text fingerprints and signatures of the site's pages (see module docstring)."""

    def __init__(self, cfg: DuplicatesConfig, window: int = WINDOW, diagnose: bool = False):
        self.cfg = cfg
        # A page is decided once the window's pages are counted: at least enough pages for
        # a block to reach boilerplate_min_pages.
        self.window = max(window, cfg.boilerplate_min_pages)
        # diagnose: compare each page's cut with the final counts (memory per block of
        # every page; tests and benchmarks turn it on).
        self.model = TemplateModel(cfg.boilerplate_share, cfg.boilerplate_min_pages,
                                   diagnose=diagnose)
        self.signer = Signer()
        self.index = NearIndex(cfg.near_threshold)
        self.urls: list[str] = []
        self.canonicals: dict[int, str] = {}  # pages whose canonical names another URL
        self.noindex: set[int] = set()
        self.main_words = array("I")  # per page: words of main text
        self.group = array("i")  # per page: its exact group, -1 when not compared
        self.leads = array("i")  # per group: its first page
        self.extra: dict[int, list[int]] = {}  # group -> its other pages (exact duplicates)
        self.group_of_hash: dict[bytes, int] = {}
        self.near: list[tuple[int, int, float]] = []  # (group, group, similarity)
        self._pending: deque[tuple[int, list[Block]]] = deque()
        self.finished = False
        self.stats = TemplateStats()

    # -- streaming ------------------------------------------------------------------

    def add(self, page: PageItem) -> None:
        """Take one crawled page (HTML 2xx); the same page given twice is taken once."""
        if self.finished or not page.ok or (self.urls and self.urls[-1] == page.url):
            return
        pid = len(self.urls)
        self.urls.append(page.url)
        if canonical_elsewhere(page):
            self.canonicals[pid] = page.canonical
        if is_noindex(page):
            self.noindex.add(pid)
        self.main_words.append(0)
        self.group.append(-1)
        blocks = page_blocks(page)
        self.model.observe(blocks)
        self._pending.append((pid, blocks))
        if len(self._pending) > self.window:
            self._decide(*self._pending.popleft())

    def finish(self) -> DuplicateIndex:
        """Decide the pages still in the look-ahead window (with exact counts); idempotent."""
        if not self.finished:
            self.model.finish()
            while self._pending:
                self._decide(*self._pending.popleft())
            self.stats = self.model.confirm()
            self.finished = True
            s = self.stats
            log.info("duplicates: %d pages, %d template blocks, %d main words, %d template "
                     "words", s.pages, s.template_blocks, s.words_main, s.words_template)
            if s.pages_cut_differently is not None:
                log.info("duplicates: %d pages cut differently from the final counts (%d "
                         "words)", s.pages_cut_differently, s.words_cut_differently)
        return self

    def _decide(self, pid: int, blocks: list[Block]) -> None:
        kept = self.model.main_blocks(pid, blocks)
        tokens = " ".join(b.text for b in kept).split()
        self.main_words[pid] = len(tokens)
        if len(tokens) < self.cfg.min_words:
            return
        key = exact_hash(tokens)
        group = self.group_of_hash.get(key)
        if group is not None:
            self.group[pid] = group
            self.extra.setdefault(group, []).append(pid)
            return
        group = len(self.leads)
        self.group_of_hash[key] = group
        self.leads.append(pid)
        self.group[pid] = group
        signature = self.signer.sign(tokens)
        for other, sim in self.index.query(signature):
            self.near.append((int(other), group, sim))  # type: ignore[call-overload]
        self.index.insert(group, signature)

    # -- results ----------------------------------------------------------------------

    def compared(self, pid: int) -> bool:
        return self.group[pid] >= 0

    def members(self, group: int) -> list[int]:
        return [self.leads[group], *self.extra.get(group, ())]

    def signature(self, group: int) -> LeanMinHash:
        return self.index.signatures[group]

    def canonical_key(self, ctx: Context, pid: int) -> str:
        """Where the page sends its signals: its canonical (redirects followed), or itself
        (also when the canonical is its own address on the site's production domain:
        audit.site_hosts)."""
        target = self.canonicals.get(pid)
        if not target or site_hosts(ctx).same_page(self.urls[pid], target):
            return self.urls[pid]
        _, final, _ = ctx.final_status(target)
        return final or target

    def close(self) -> None:
        self.index = NearIndex(self.cfg.near_threshold)
        self.group_of_hash.clear()
        self.near.clear()


DIAGNOSE_ENV = "SEO_AUDIT_TEMPLATE_DIAGNOSE"  # "1": log pages cut differently (benchmarks)


def duplicate_index(ctx: Context) -> DuplicateIndex:
    return ctx.service(SERVICE, lambda: DuplicateIndex(
        ctx.config.duplicates, diagnose=os.environ.get(DIAGNOSE_ENV) == "1"))


class LabelGroups:
    """Pages grouped by a normalised label (title, meta description).

    Keeps a 64-bit hash per distinct label and the text only of labels shared by
    two pages or more. A page may come with a ``tag`` (an int: why its comparison is
    decided only at the end, e.g. its canonical names another host); ``shared(keep)``
    leaves out the tags ``keep`` refuses.
    """

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.tags = array("i")  # per page: its tag, 0 when none
        self.first: dict[int, int] = {}
        self.groups: dict[int, list[int]] = {}
        self.texts: dict[int, str] = {}

    def add(self, url: str, text: str | None, tag: int = 0) -> None:
        key_text = label_key(text or "")
        if not key_text:
            return
        key = hash64(key_text)
        pid = len(self.urls)
        self.urls.append(url)
        self.tags.append(tag)
        first = self.first.setdefault(key, pid)
        if first != pid:
            self.groups.setdefault(key, [first]).append(pid)
            self.texts.setdefault(key, text or "")

    def shared(self, keep: Callable[[int], bool] | None = None
               ) -> Iterator[tuple[str, list[str]]]:
        """(label as first met, URLs in crawl order) for every label on two pages or more
        (pages whose tag ``keep`` refuses left out)."""
        for key, pids in self.groups.items():
            if keep is not None:
                pids = [p for p in pids if keep(self.tags[p])]
                if len(pids) < 2:
                    continue
            yield self.texts[key], [self.urls[p] for p in pids]

    def clear(self) -> None:
        self.urls.clear()
        self.tags = array("i")
        self.first.clear()
        self.groups.clear()
        self.texts.clear()
