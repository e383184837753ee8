"""Resuming an interrupted crawl: what was done, read back from the run directory.

Two ways back, chosen by what the interrupted process left:

- **Graceful stop** (Ctrl-C, SIGTERM: Scrapy finishes the requests in flight and
  closes). Scrapy's ``JOBDIR`` (``RUN_DIR/job``) holds the pending requests (disk
  queue) and ``spider.state``: the claimed URLs, the sitemaps read, the hosts brought
  into scope, the external-page queue. Nothing is fetched twice but robots.txt and the
  linked stylesheets (their cache is not persisted: a few small refetches).
- **Killed** (SIGKILL, power loss: ``job/running`` is still there). The disk queue is
  not consistent then, so the pending requests are rebuilt from the outputs
  themselves: every URL in ``pages.jsonl`` is done; the links of its HTML pages, the
  targets of its redirects and the sitemaps' URLs not done yet are queued again. The
  pages that were in flight at the kill (downloading, or downloaded but not yet
  written) are fetched again; the sitemaps are read again, their entries already in
  ``sitemaps.jsonl`` not written twice.

The feeds are written unbuffered (:class:`LineFileFeedStorage`), so a kill loses at most
the line being written, which :func:`trim_torn_line` removes before appending.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from scrapy.extensions.feedexport import FileFeedStorage
from w3lib.url import canonicalize_url

RUNNING = "running"  # marker in the job directory while a crawl process runs


class LineFileFeedStorage(FileFeedStorage):
    """File feeds without a user-space buffer: each item reaches the file (one write per
    line) as it is exported, so a killed crawl keeps every record it had produced."""

    def open(self, spider: Any) -> IO[bytes]:
        path = Path(self.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, self.write_mode, buffering=0)  # the feed exporter closes it


def trim_torn_line(path: Path) -> None:
    """Cut a last line left half-written by a killed process."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with open(path, "rb+") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        fh.seek(max(0, size - 1))
        if fh.read(1) == b"\n":
            return
        # Walk back to the previous newline (records are small next to the file).
        pos = size
        chunk = 65536
        while pos > 0:
            start = max(0, pos - chunk)
            fh.seek(start)
            data = fh.read(pos - start)
            nl = data.rfind(b"\n")
            if nl >= 0:
                fh.truncate(start + nl + 1)
                return
            pos = start
        fh.truncate(0)


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        return
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


@dataclass
class Done:
    """What the earlier processes of this run wrote."""

    pages: int = 0
    errors: int = 0
    keys: set[str] = field(default_factory=set)  # canonical URLs recorded in pages.jsonl
    # Rebuilt frontier (after a kill only): url, depth, found_on, extra meta.
    pending: list[tuple[str, int, str, dict[str, Any]]] = field(default_factory=list)
    hosts: set[str] = field(default_factory=set)  # hosts start URLs redirected to
    sitemap_entries: set[tuple[str, str]] = field(default_factory=set)  # (url, sitemap)
    external_keys: set[str] = field(default_factory=set)


def read_done(run_dir: Path, start_urls: list[str], max_depth: int,
              rebuild: bool) -> Done:
    """Read pages.jsonl (and, to rebuild the frontier, sitemaps.jsonl, external.jsonl)."""
    from urllib.parse import urlsplit

    done = Done()
    candidates: list[tuple[str, int, str, dict[str, Any]]] = []
    start_chain = set(start_urls)
    for page in read_jsonl(run_dir / "pages.jsonl"):
        done.pages += 1
        if page.get("error") or (page.get("status") or 0) >= 400:
            done.errors += 1
        url = page["url"]
        done.keys.add(canonicalize_url(url))
        if not rebuild:
            continue
        status = page.get("status") or 0
        depth = page.get("depth", 0)
        target = page.get("redirect_to") or ""
        if 300 <= status < 400 and target:
            start = url in start_chain
            if start:  # the site lives where its home page redirects to
                start_chain.add(target)
                host = (urlsplit(target).hostname or "").lower()
                if host and target.startswith(("http://", "https://")):
                    done.hosts.add(host)
            candidates.append((target, depth, url, {"start": start}))
        elif 200 <= status < 300 and page.get("is_html") and depth < max_depth:
            targets = [link["url"] for link in page.get("links", []) if link.get("internal")]
            targets += [u for u in [page.get("canonical") or "", page.get("refresh_url") or "",
                                    page.get("js_redirect") or ""]
                        + [h.get("href", "") for h in page.get("hreflang", [])] if u]
            candidates += [(t, depth + 1, url, {}) for t in targets]
    if rebuild:
        for entry in read_jsonl(run_dir / "sitemaps.jsonl"):
            done.sitemap_entries.add((entry["url"], entry["sitemap"]))
            candidates.append((entry["url"], 1, f"sitemap:{entry['sitemap']}",
                               {"priority": -50}))
        done.pending = [c for c in candidates if canonicalize_url(c[0]) not in done.keys]
        done.external_keys = {canonicalize_url(p["url"])
                              for p in read_jsonl(run_dir / "external.jsonl")}
    return done
