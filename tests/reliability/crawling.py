"""Run the real pipeline stages (crawl in its child process, check, report) on a test site."""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audit import pipeline
from audit.config import load, rule_settings
from audit.rule import Finding
from audit.rules import all_rules
from audit.runner import read_pages
from spiders.items import PageItem


@dataclass
class Crawl:
    summary: dict[str, Any]
    pages: dict[str, PageItem]
    run_dir: Path
    config: Path
    seconds: float
    peak_kb: int = 0  # the crawl process's peak resident memory (VmHWM)

    def page(self, origin: str, path: str) -> PageItem:
        return self.pages[origin + path]

    def sitemap_urls(self) -> list[str]:
        path = self.run_dir / "sitemaps.jsonl"
        if not path.exists():
            return []
        with open(path, encoding="utf-8") as fh:
            return [json.loads(line)["url"] for line in fh]

    def peak_rss_mb(self) -> float:
        assert self.peak_kb, "the crawl process was never seen"
        return self.peak_kb / 1024

    def check(self) -> list[Finding]:
        cfg = load(self.config)
        pipeline.check(self.run_dir, cfg, rule_settings(cfg, all_rules()))
        text = (self.run_dir / "findings.jsonl").read_text(encoding="utf-8")
        return [Finding.from_dict(json.loads(line)) for line in text.splitlines()]


def crawl(tmp: Path, start_url: str, site: str = "", top: str = "") -> Crawl:
    """Crawl ``start_url`` with ``site`` (indented YAML lines of the site section) added."""
    config = tmp / "client.yaml"
    config.write_text(
        f'client: "Fiabilité"\nsite:\n  start_urls: ["{start_url}"]\n  concurrency: 4\n'
        f"{site}{top}output: {{dir: out}}\n", encoding="utf-8")
    cfg = load(config)
    run_dir = pipeline.new_run_dir(cfg)
    began = time.monotonic()
    watcher = _PeakMemory(str(run_dir))
    watcher.start()
    try:
        summary = pipeline.crawl(config, cfg, run_dir)
    finally:
        watcher.done.set()
        watcher.join()
    seconds = time.monotonic() - began
    pages = {p.url: p for p in read_pages(run_dir / "pages.jsonl")}
    return Crawl(summary, pages, run_dir, config, seconds, watcher.peak_kb)


class _PeakMemory(threading.Thread):
    """Polls /proc for the crawl child (its command line names the run directory) and
    keeps its VmHWM: the kernel's own high-water mark of the process's resident memory,
    reset at exec (unlike ru_maxrss, which a child inherits from its parent)."""

    def __init__(self, marker: str) -> None:
        super().__init__(daemon=True)
        self.marker = marker.encode()
        self.done = threading.Event()
        self.peak_kb = 0
        self.pid: str | None = None

    def run(self) -> None:
        while not self.done.wait(0.1):
            if self.pid is None:
                for proc in Path("/proc").glob("[0-9]*"):
                    try:
                        if self.marker in (proc / "cmdline").read_bytes():
                            self.pid = proc.name
                            break
                    except OSError:
                        continue
            if self.pid is not None:
                try:
                    status = Path(f"/proc/{self.pid}/status").read_text()
                except OSError:
                    continue
                found = re.search(r"VmHWM:\s+(\d+) kB", status)
                if found:
                    self.peak_kb = max(self.peak_kb, int(found.group(1)))
