"""Merge the files of a distributed crawl's workers into one run directory's crawl output.

Each worker wrote ``pages-<worker>.jsonl``, ``sitemaps-<worker>.jsonl`` and, last,
``crawl-<worker>.json``. Once every worker is complete, ``pages.jsonl`` and
``sitemaps.jsonl`` are their concatenation and ``crawl.json`` (written last, as for a
single process) sums them up. A worker whose pages file has no summary is still running
or was killed: the merge refuses, so an unfinished crawl never looks complete.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from audit.atomic import atomic_text
from audit.runner import RunDirError

log = logging.getLogger(__name__)


def has_workers(run_dir: Path) -> bool:
    return any(run_dir.glob("crawl-*.json")) or any(run_dir.glob("pages-*.jsonl"))


def merge_workers(run_dir: Path) -> dict[str, Any]:
    """Write pages.jsonl, sitemaps.jsonl and crawl.json from the workers' files."""
    summaries: dict[str, dict[str, Any]] = {}
    for path in sorted(run_dir.glob("crawl-*.json")):
        try:
            summaries[path.stem.removeprefix("crawl-")] = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise RunDirError(f"{path}: unreadable worker summary ({exc})") from exc
    if not summaries:
        raise RunDirError(f"{run_dir}: no worker summary (crawl-<worker>.json): "
                          "the distributed crawl did not finish")
    missing = sorted(p.stem.removeprefix("pages-") for p in run_dir.glob("pages-*.jsonl")
                     if p.stem.removeprefix("pages-") not in summaries)
    unfinished = sorted(w for w, s in summaries.items() if s.get("status") != "complete")
    if missing or unfinished:
        raise RunDirError(f"{run_dir}: workers not finished: {', '.join(missing + unfinished)} "
                          "(still running, interrupted or killed)")
    urls: set[str] = set()
    dropped = errors = 0
    with atomic_text(run_dir / "pages.jsonl") as out:
        for worker in summaries:
            path = run_dir / f"pages-{worker}.jsonl"
            if not path.exists():
                continue
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    if not line.strip():
                        continue
                    page = json.loads(line)
                    if page["url"] in urls:  # never expected: claims are shared
                        dropped += 1
                        continue
                    urls.add(page["url"])
                    errors += bool(page.get("error") or (page.get("status") or 0) >= 400)
                    out.write(line if line.endswith("\n") else line + "\n")
    entries: set[str] = set()
    with atomic_text(run_dir / "sitemaps.jsonl") as out:
        for worker in summaries:
            path = run_dir / f"sitemaps-{worker}.jsonl"
            if path.exists():
                for line in path.read_text(encoding="utf-8").splitlines():
                    if line.strip() and line not in entries:
                        entries.add(line)
                        out.write(line + "\n")
    if dropped:
        log.warning("%s: %d pages recorded by two workers, kept once", run_dir, dropped)
    first = next(iter(summaries.values()))
    summary = {
        "status": "complete",
        "finish_reason": "finished",
        "config": first.get("config"),
        "client": first.get("client"),
        "start_urls": first.get("start_urls"),
        "hosts": sorted({h for s in summaries.values() for h in s.get("hosts", [])}),
        "finished_at": max(str(s.get("finished_at", "")) for s in summaries.values()),
        "seconds": max(float(s.get("seconds", 0)) for s in summaries.values()),
        "pages": len(urls),
        "errors": errors,
        "budget_reached": any(s.get("budget_reached") for s in summaries.values()),
        "external_pages": 0,
        "stylesheets": None,
        "crawl_id": first.get("crawl_id"),
        "workers": {w: {"pages": s.get("pages", 0), "seconds": s.get("seconds", 0)}
                    for w, s in summaries.items()},
        "duplicates_dropped": dropped,
    }
    with atomic_text(run_dir / "crawl.json") as fh:
        json.dump(summary, fh, indent=2, ensure_ascii=False)
    return summary
