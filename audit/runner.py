"""The check stage: pages.jsonl → rules → findings.jsonl + page_results.jsonl.

One pass over the pages: each page is read, given to every page rule and to every
site rule's ``collect``, then let go. Site rules ``finish`` at the end. A rule
that raises becomes one ``rule-failed`` finding for that page (or the site) and
the run goes on, as Lighthouse does; a failed rule leaves no score.
"""

from __future__ import annotations

import gc
import json
import logging
import math
import time
import traceback
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from sys import intern
from typing import IO, Any

import numpy as np

from audit.atomic import atomic_text
from audit.config import ClientConfig, RuleSettings, rule_settings
from audit.context import Context, UrlInfo
from audit.rule import (
    RULE_FAILED,
    SEVERITY_SCORE,
    Finding,
    Limit,
    Msg,
    Outcome,
    PageData,
    PageRule,
    Row,
    Rule,
    Score,
    Severity,
    SiteRule,
    TableRow,
    pages_text,
)
from audit.rules import all_rules
from audit.site_hosts import site_hosts
from spiders.items import PageItem, SitemapEntry, page_from_dict

log = logging.getLogger(__name__)


class RunDirError(Exception):
    """The run directory lacks what this stage needs (crawl not finished, files missing)."""


def read_pages(path: Path, on_bad_line: Callable[[int, str], None] | None = None
               ) -> Iterator[PageItem]:
    """Stream PageItems from a pages.jsonl; a broken line is reported and skipped."""
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            yield from _parsed(line, number, on_bad_line)


def _parsed(line: str | bytes, number: int, on_bad_line: Callable[[int, str], None] | None
            ) -> Iterator[PageItem]:
    """The page of one pages.jsonl line (none for a blank line); a broken one reported."""
    if line.strip():
        try:
            text = line.decode("utf-8") if isinstance(line, bytes) else line
            yield page_from_dict(json.loads(text))
        except (ValueError, TypeError) as exc:  # UnicodeDecodeError is a ValueError
            if on_bad_line:
                on_bad_line(number, str(exc))


def build_rules(cfg: ClientConfig, settings: dict[str, RuleSettings] | None = None) -> list[Rule]:
    registry = all_rules()
    settings = settings if settings is not None else rule_settings(cfg, registry)
    rules: list[Rule] = []
    for rule_id, cls in registry.items():
        s = settings.get(rule_id) or RuleSettings(options=cls.Options())
        if s.enabled:
            rules.append(cls(options=s.options, severity=s.severity, weight=s.weight))
    return rules


@dataclass
class CheckSummary:
    pages: int = 0
    findings: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in Severity})
    rule_failures: int = 0
    bad_lines: int = 0
    seconds: float = 0.0
    rule_seconds: dict[str, float] = field(default_factory=dict)  # where the time goes


class _Limits:
    """The audit's limits (``Limit`` outcomes), counted per rule and key: how many pages,
    the first few of them, the first detail. Written to check.json → ``limits``."""

    EXAMPLES = 3

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], dict[str, Any]] = {}

    def add(self, rule_id: str, limit: Limit) -> None:
        entry = self.entries.get((rule_id, limit.key))
        if entry is None:
            entry = self.entries[(rule_id, limit.key)] = {
                "message": limit.message, "pages": 0, "examples": [], "detail": limit.detail,
                "last": None}
        if limit.url is None or limit.url == entry["last"]:
            return  # the run as a whole, or the same page again (one rule, one page)
        entry["last"] = limit.url
        entry["pages"] += 1
        if len(entry["examples"]) < self.EXAMPLES:
            entry["examples"].append(limit.url)
        if not entry["detail"] and limit.detail:
            entry["detail"] = limit.detail

    def to_list(self) -> list[dict[str, Any]]:
        out = []
        for (rule_id, key), e in self.entries.items():
            count = pages_text(e["pages"])
            msg: Msg = e["message"]
            out.append({"rule": rule_id, "key": key, "pages": e["pages"],
                        "message": {"fr": msg.fr.replace("{pages}", count),
                                    "en": msg.en.replace("{pages}", count)},
                        "detail": e["detail"], "examples": e["examples"]})
        return out


class _Scores:
    """Per page and rule: explicit scores, or the worst finding's default score.

    Kept for every page until the end, so kept small: per page, two arrays with a slot
    per rule (explicit score, worst finding's score; NaN when none) and a byte of flags
    per rule, rather than sets and dicts keyed by (url, rule) (≈ 4 KB a page)."""

    APPLIES, FAILED, WITHDRAWN = 1, 2, 4

    def __init__(self, rule_ids: Iterable[str] = ()) -> None:
        self.index: dict[str, int] = {}
        for rule_id in rule_ids:
            self.index.setdefault(rule_id, len(self.index))
        self.pages: dict[str, tuple[array[float], array[float], bytearray]] = {}
        self.site: dict[str, float] = {}
        self.data: dict[str, dict[str, Any]] = {}
        self._labels: dict[Msg, dict[str, str]] = {}

    def _slot(self, url: str, rule_id: str) -> tuple[array[float], array[float], bytearray, int]:
        i = self.index.setdefault(rule_id, len(self.index))
        page = self.pages.get(url)
        if page is None or len(page[2]) <= i:
            size = len(self.index)
            old = page or (array("d"), array("d"), bytearray())
            grow = size - len(old[2])
            page = (old[0] + array("d", [math.nan]) * grow, old[1] + array("d", [math.nan]) * grow,
                    old[2] + bytes(grow))
            self.pages[url] = page
        return page[0], page[1], page[2], i

    def mark(self, url: str, rule_id: str) -> None:
        _, _, flags, i = self._slot(url, rule_id)
        flags[i] |= self.APPLIES

    def finding(self, f: Finding) -> None:
        _, worst, flags, i = self._slot(f.url, f.rule)
        if f.code == RULE_FAILED:
            flags[i] |= self.FAILED
            return
        value = SEVERITY_SCORE[f.severity]
        if math.isnan(worst[i]) or value < worst[i]:
            worst[i] = value

    def score(self, rule_id: str, s: Score) -> None:
        if s.url is None:
            if s.value is None:
                self.site.pop(rule_id, None)
            else:
                self.site[rule_id] = max(0.0, min(100.0, float(s.value)))
            return
        explicit, _, flags, i = self._slot(s.url, rule_id)
        if s.value is None:
            explicit[i] = math.nan
            flags[i] = (flags[i] & ~self.APPLIES) | self.WITHDRAWN
            return
        explicit[i] = max(0.0, min(100.0, float(s.value)))
        flags[i] |= self.APPLIES

    def page_data(self, d: PageData) -> None:
        value: Any = d.value
        if isinstance(value, Msg):
            # Labels repeat from page to page (« standard », « facile »): one dict each.
            shared = self._labels.get(value)
            if shared is None:
                shared = value.to_dict()
                if len(self._labels) < 10_000:
                    self._labels[value] = shared
            value = shared
        self.data.setdefault(d.url, {})[d.key] = value

    def for_page(self, url: str) -> dict[str, float]:
        page = self.pages.get(url)
        if page is None:
            return {}
        explicit, worst, flags = page
        out = {}
        for rule_id in sorted(self.index):
            i = self.index[rule_id]
            if i >= len(flags) or flags[i] != self.APPLIES:  # not applied, failed, withdrawn
                continue
            value = explicit[i] if not math.isnan(explicit[i]) else \
                worst[i] if not math.isnan(worst[i]) else 100.0
            out[rule_id] = round(value, 1)
        return out


_SLICE_PAGES = 4096  # PageRank works on the links of this many pages at a time


class _Graph:
    """Internal link graph with interned URLs: inlinks and click depth from the start."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        # Targets as arrays of 4-byte ids rather than lists of 8-byte pointers: half the
        # graph's memory (~140 links a page, 14 million at 100,000 pages).
        self.edges: dict[int, array[int]] = {}
        self.redirects: dict[int, int] = {}

    def _id(self, url: str) -> int:
        return self.ids.setdefault(url, len(self.ids))

    def add(self, page: PageItem) -> None:
        src = self._id(page.url)
        if page.redirect_to:
            self.redirects[src] = self._id(page.redirect_to)
        if page.ok:
            targets = {self._id(link.url) for link in page.links if link.internal}
            targets.discard(src)
            self.edges[src] = array("i", targets)

    def metrics(self, start_urls: Iterable[str]) -> tuple[dict[str, int], dict[str, int]]:
        inlinks: dict[int, int] = {}
        for targets in self.edges.values():
            for t in targets:
                inlinks[t] = inlinks.get(t, 0) + 1
        depth: dict[int, int] = {}
        queue: deque[int] = deque()
        for url in start_urls:
            if url in self.ids:
                depth[self.ids[url]] = 0
                queue.append(self.ids[url])
        while queue:
            node = queue.popleft()
            nexts = list(self.edges.get(node, ()))
            if node in self.redirects:  # a redirect hop is not a click
                nexts_same = self.redirects[node]
                if nexts_same not in depth:
                    depth[nexts_same] = depth[node]
                    queue.appendleft(nexts_same)
            for t in nexts:
                if t not in depth:
                    depth[t] = depth[node] + 1
                    queue.append(t)
        names = {i: u for u, i in self.ids.items()}
        return ({names[i]: n for i, n in inlinks.items()}, {names[i]: d for i, d in depth.items()})

    def pagerank(self, damping: float = 0.85, iterations: int = 40) -> dict[str, float]:
        """Internal PageRank of the crawled pages, scaled so the strongest page is 100.

        Links to a redirect pass their share on to its target; pages without outlinks
        (and redirect chains ending outside) spread their rank evenly, as usual."""
        if not self.edges:
            return {}
        count = len(self.ids)
        # Where a link really leads: through recorded redirects (loops stop where they
        # close), as a table over every node id.
        final = np.arange(count, dtype=np.int32)
        for node in self.redirects:
            seen = set()
            current = node
            while current in self.redirects and current not in seen:
                seen.add(current)
                current = self.redirects[current]
            final[node] = current
        # Only pages that were crawled as HTML keep rank; redirects hand theirs on.
        pages = sorted(self.edges)
        size = len(pages)
        index = np.full(count, -1, dtype=np.int32)
        index[pages] = np.arange(size, dtype=np.int32)
        # Every link's target index, pages in order and each page's links in order, in
        # one int32 array filled a slice of pages at a time (lists of Python ints took
        # ~500 MB at the end of the check at 100,000 pages and 14 million links); a
        # page's links are found by its count of them, so no source array is needed.
        total = sum(len(targets) for targets in self.edges.values())
        dst = np.empty(total, dtype=np.int32)
        degree_count = np.zeros(size, dtype=np.int64)
        filled = 0
        for first in range(0, size, _SLICE_PAGES):
            chunk = pages[first:first + _SLICE_PAGES]
            targets = np.frombuffer(b"".join(self.edges[n].tobytes() for n in chunk),
                                    dtype=np.int32)
            mapped = index[final[targets]]
            kept = mapped >= 0
            n_kept = int(kept.sum())
            dst[filled:filled + n_kept] = mapped[kept]
            sources = np.repeat(np.arange(len(chunk)), [len(self.edges[n]) for n in chunk])
            degree_count[first:first + len(chunk)] = np.bincount(sources[kept],
                                                                 minlength=len(chunk))
            filled += n_kept
        dst = dst[:filled]
        offsets = np.concatenate(([0], np.cumsum(degree_count)))
        degree = degree_count.astype(np.float64)
        # Vectorised with the same floating-point operations in the same order as the
        # plain loop (np.add.at adds in array order, slice after slice; the dangling sum
        # stays sequential), so the ranks are identical to the last bit: 40 passes over
        # every link in Python took ~1 s at 1,000 pages, after the last page was checked.
        sinks = np.flatnonzero(degree == 0).tolist()
        rank_arr = np.full(size, 1.0 / size)
        for _ in range(iterations):
            nxt = np.full(size, (1.0 - damping) / size)
            with np.errstate(divide="ignore", invalid="ignore"):
                share = damping * rank_arr / degree  # sinks divide by 0: never used
            for first in range(0, size, _SLICE_PAGES):
                last = min(first + _SLICE_PAGES, size)
                np.add.at(nxt, dst[offsets[first]:offsets[last]],
                          np.repeat(share[first:last], degree_count[first:last]))
            dangling = 0.0
            for i in sinks:
                dangling += float(rank_arr[i])
            spread = damping * dangling / size
            rank_arr = nxt + spread
        rank = rank_arr.tolist()
        top = max(rank)
        names = {i: u for u, i in self.ids.items()}
        return {names[n]: round(100.0 * rank[i] / top, 1) for i, n in enumerate(pages)}


def _failure(rule: Rule, url: str, exc: BaseException) -> Finding:
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    detail = f"{type(exc).__name__}: {exc}"[:300]
    return Finding(rule.id, url, RULE_FAILED, Severity.ERROR,
                   Msg(f"La vérification « {rule.id} » a échoué : {detail}",
                       f"The check '{rule.id}' failed: {detail}"),
                   evidence=f"{detail}{where}")


def follow_pages(path: Path, done: Callable[[], bool], on_bad_line: Callable[[int, str], None]
                 | None = None, poll: float = 0.05) -> Iterator[PageItem]:
    """Stream PageItems from a pages.jsonl that the crawl is still writing: complete lines
    as they come, until ``done()`` says the crawl ended and the file is drained.

    Read as bytes and decoded line by line: a reader that reaches the end of the file in
    the middle of a record may stop inside a multi-byte character (« é » is two bytes),
    which a text-mode read would try to decode at once and fail on."""
    while not path.exists():
        if done():
            return
        time.sleep(poll)
    number = 0
    pending = b""
    with open(path, "rb") as fh:
        while True:
            chunk = fh.readline()
            if chunk:
                pending += chunk
                if not pending.endswith(b"\n"):
                    continue  # the writer's buffer cut the line: wait for its end
                line, pending = pending, b""
                number += 1
                yield from _parsed(line, number, on_bad_line)
                continue
            if done():
                rest = fh.read()  # written between the last read and the end of the crawl
                if not rest and not pending:
                    return
                pending += rest
                for line in pending.splitlines():
                    number += 1
                    yield from _parsed(line, number, on_bad_line)
                return
            time.sleep(poll)


def run_checks(run_dir: Path, cfg: ClientConfig, rules: list[Rule] | None = None,
               start_urls: list[str] | None = None,
               crawl_done: Callable[[], bool] | None = None) -> CheckSummary:
    """Check every page of ``run_dir``; write findings.jsonl, page_results.jsonl, check.json.

    ``crawl_done``: the crawl is still running and this says when it has ended; pages are
    checked as the crawl writes them (both cores busy), the crawl's side files (sitemaps,
    external pages) read once it is over."""
    pages_path = run_dir / "pages.jsonl"
    if crawl_done is None and not pages_path.exists():
        raise RunDirError(f"{pages_path}: no pages file (has the crawl run?)")
    began = time.monotonic()
    with _fewer_collections():
        return _run_checks(run_dir, cfg, pages_path, began, rules, start_urls, crawl_done)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """The check makes thousands of short-lived objects per page while it keeps growing
    site-wide state (link graph, keyword statistics, signatures): with the default
    thresholds the cyclic collector took ~10 % of the stage, mostly re-scanning that
    state. It runs less often here (cycles are rare; memory stays bounded)."""
    previous = gc.get_threshold()
    gc.set_threshold(10_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _run_checks(run_dir: Path, cfg: ClientConfig, pages_path: Path, began: float,
                rules: list[Rule] | None, start_urls: list[str] | None,
                crawl_done: Callable[[], bool] | None) -> CheckSummary:
    rules = rules if rules is not None else build_rules(cfg)
    page_rules = [r for r in rules if isinstance(r, PageRule)]
    site_rules = [r for r in rules if isinstance(r, SiteRule)]
    ctx = Context(cfg, report_lang=cfg.report.language)

    def side_files() -> None:
        """The crawl's side files. Read once every page is in (with the check overlapping
        the crawl they are complete only then); site rules use them in finish()."""
        sitemaps = run_dir / "sitemaps.jsonl"
        if sitemaps.exists():
            with open(sitemaps, encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        entry = json.loads(line)
                        ctx.sitemap_urls.add(entry["url"])
                        if entry.get("alternates"):
                            ctx.sitemap_hreflang.setdefault(entry["url"], []).extend(
                                entry["alternates"])
            ctx.sitemap_entries = lambda: read_sitemap_entries(sitemaps)
        external = run_dir / "external.jsonl"
        if external.exists():
            ctx.external_pages = lambda: read_pages(external)
        feeds = run_dir / "feeds.jsonl"
        if feeds.exists():
            with open(feeds, encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        record = json.loads(line)
                        ctx.feeds[record.get("network", "")] = record
        images = run_dir / "images.jsonl"
        if images.exists():
            with open(images, encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        record = json.loads(line)
                        ctx.og_images[record.get("url", "")] = record
        referring = run_dir / "backlinks.jsonl"
        if referring.exists():
            ctx.backlink_pages = lambda: read_pages(referring)

    summary = CheckSummary()
    scores = _Scores(r.id for r in rules)
    limits = _Limits()
    graph = _Graph()
    urls_in_order: list[str] = []
    shown: dict[str, tuple[str, int, str, float | None]] = {}

    def bad_line(number: int, why: str) -> None:
        summary.bad_lines += 1
        log.warning("%s:%d: unreadable page record skipped (%s)", pages_path, number, why)

    with atomic_text(run_dir / "findings.jsonl") as out, \
            atomic_text(run_dir / "tables.jsonl") as tables_out:

        def emit(rule: Rule, outcomes: Iterable[Outcome]) -> None:
            for o in outcomes:
                if isinstance(o, Score):
                    scores.score(rule.id, o)
                elif isinstance(o, PageData):
                    scores.page_data(o)
                elif isinstance(o, Row):
                    if o.table not in rule.tables:
                        raise KeyError(f"rule {rule.id} has no table {o.table!r}")
                    tables_out.write(json.dumps(
                        {"rule": rule.id, "table": o.table, "values": _plain(o.values)},
                        ensure_ascii=False) + "\n")
                elif isinstance(o, TableRow):
                    tables_out.write(json.dumps({"table": o.table, "rule": rule.id, **o.row},
                                                ensure_ascii=False) + "\n")
                elif isinstance(o, Limit):
                    limits.add(rule.id, o)
                else:
                    _write_finding(out, o, summary)
                    scores.finding(o)

        def guarded(rule: Rule, url: str, call: Callable[[], Iterable[Any] | None]) -> None:
            began_rule = time.perf_counter()
            failure: Exception | None = None
            try:
                result = call()
                outcomes = list(result) if result is not None else []
            except Exception as exc:  # a rule bug must not stop the audit
                failure, outcomes = exc, []
            finally:
                spent = time.perf_counter() - began_rule
                summary.rule_seconds[rule.id] = summary.rule_seconds.get(rule.id, 0.0) + spent
            try:
                emit(rule, outcomes)
            except OSError:  # a write refused (a full disk): the stage stops, not the rule
                raise
            except Exception as exc:  # an outcome the rule got wrong (no such table...)
                failure = failure or exc
            if failure is not None:
                log.error("rule %s failed on %s", rule.id, url or "the site",
                          exc_info=failure)
                f = _failure(rule, url, failure)
                _write_finding(out, f, summary)
                scores.finding(f)

        pages = (follow_pages(pages_path, crawl_done, bad_line) if crawl_done is not None
                 else read_pages(pages_path, bad_line))
        hosts = site_hosts(ctx)
        try:
            for rule in rules:
                guarded(rule, "", lambda r=rule: r.prepare(ctx))
            for page in pages:
                summary.pages += 1
                # One string per URL however many structures keep it (scores, link
                # graph, site rules' records): ~100 bytes a URL and a structure at scale.
                page.url = intern(page.url)
                for link in page.links:
                    if link.internal:
                        link.url = intern(link.url)
                urls_in_order.append(page.url)
                ctx.urls[page.url] = UrlInfo(page.status, page.error, page.redirect_to,
                                             page.is_html)
                # What the report shows of the page: it then never re-reads pages.jsonl.
                shown[page.url] = (page.title or "", page.word_count, intern(page.content_type),
                                   page.response_time)
                graph.add(page)
                hosts.observe(page, ctx)  # before the rules: which hosts are the site
                for rule in page_rules:
                    if rule.applies(page):
                        scores.mark(page.url, rule.id)
                        guarded(rule, page.url, lambda r=rule, p=page: r.check(p, ctx))
                for rule in site_rules:
                    if rule.applies(page):
                        if not rule.site_level:
                            scores.mark(page.url, rule.id)
                        guarded(rule, page.url, lambda r=rule, p=page: r.collect(p, ctx))
            side_files()
            for rule in site_rules:
                guarded(rule, "", lambda r=rule: r.finish(ctx))
        finally:
            ctx.close()  # engines, process pools: released even when the run fails

    inlinks, depth = graph.metrics(start_urls or cfg.site.start_urls)
    pagerank = graph.pagerank()
    with atomic_text(run_dir / "page_results.jsonl") as fh:
        for url in urls_in_order:
            info = ctx.urls[url]
            ok = info.is_html and info.status is not None and 200 <= info.status < 300
            title, words, ctype, rtime = shown[url]
            fh.write(json.dumps({"url": url, "ok": ok, "scores": scores.for_page(url),
                                 "status": info.status, "error": info.error,
                                 "redirect_to": info.redirect_to, "title": title,
                                 "word_count": words, "content_type": ctype,
                                 "response_time": rtime,
                                 "data": scores.data.get(url, {}),
                                 "inlinks": inlinks.get(url, 0), "depth": depth.get(url),
                                 "pagerank": pagerank.get(url)},
                                ensure_ascii=False) + "\n")
        fh.write(json.dumps({"site": scores.site}) + "\n")
    summary.seconds = round(time.monotonic() - began, 2)
    with atomic_text(run_dir / "check.json") as fh:
        json.dump({"status": "complete",
                   "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
                   "rules": [{"id": r.id, "weight": r.effective_weight} for r in rules],
                   "pages": summary.pages, "findings": summary.findings,
                   "rule_failures": summary.rule_failures, "bad_lines": summary.bad_lines,
                   "notes": [n.to_dict() for n in ctx.notes],
                   "limits": limits.to_list(),
                   "rule_seconds": {k: round(v, 3) for k, v in
                                    sorted(summary.rule_seconds.items(), key=lambda kv: -kv[1])},
                   "seconds": summary.seconds}, fh, indent=2)
    return summary


def read_sitemap_entries(path: Path) -> Iterator[SitemapEntry]:
    """The crawl's sitemaps.jsonl, one entry at a time (unreadable lines skipped)."""
    known = {f.name for f in fields(SitemapEntry)}  # newer files may carry more
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            try:
                record = json.loads(line)
                yield SitemapEntry(**{k: v for k, v in record.items() if k in known})
            except (ValueError, TypeError):
                continue


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """Row values as JSON: a Msg becomes {"fr", "en"}."""
    return {k: ({"fr": v.fr, "en": v.en} if isinstance(v, Msg) else v) for k, v in values.items()}


def _write_finding(out: IO[str], f: Finding, summary: CheckSummary) -> None:
    out.write(json.dumps(f.to_dict(), ensure_ascii=False) + "\n")
    if f.code == RULE_FAILED:
        summary.rule_failures += 1
    else:
        summary.findings[f.severity.value] += 1
