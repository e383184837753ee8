"""CPU per page of the two halves of the audit, each alone in this process: the crawl's
extraction (parse + ``fill_page``, no network, no Scrapy) on the synthetic site, and the
check stage (``run_checks``) on a run directory already crawled. Figures for
BENCHMARKS.md's "Where the time goes"; ``--profile`` prints the top functions.

    python -m tests.bench.bench_stages extract [--pages 200] [--rounds 5] [--profile]
    python -m tests.bench.bench_stages check RUN_DIR [CONFIG] [--profile]

CPU time (``time.process_time``), minimum and median of the rounds: on a shared machine
the minimum is the closest to the code's own cost. The extraction prints a digest of the
items it built, so that an optimisation can be shown to change nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from spiders.encoding import decode_html
from spiders.exporters import plain
from spiders.extract import fill_page, parse_html
from spiders.items import PageItem
from tests.bench.sitegen import CSS, SyntheticSite

ORIGIN = "http://127.0.0.1:8000"


def extract(pages: int, rounds: int) -> tuple[list[float], str]:
    site = SyntheticSite(max(pages, 1000))
    bodies = [site.page(i).replace(b"{host}", ORIGIN.removeprefix("http://").encode())
              for i in range(pages)]
    sheets = {ORIGIN + "/css/site.css": CSS}
    per_page: list[float] = []
    digest = ""
    for _ in range(rounds):
        h = hashlib.sha256()
        began = time.process_time()
        for i, body in enumerate(bodies):
            item = PageItem(url=ORIGIN + site.path(i), status=200,
                            content_type="text/html; charset=utf-8")
            root = parse_html(decode_html(item.content_type, body)[1])
            fill_page(item, root, lambda url: url.startswith(ORIGIN), stylesheets=sheets)
            h.update(json.dumps(plain(item), ensure_ascii=False, sort_keys=True).encode())
        per_page.append((time.process_time() - began) * 1000 / pages)
        digest = h.hexdigest()[:16]
    return per_page, digest


def check(run_dir: Path, config: Path) -> tuple[float, dict[str, float], str]:
    from audit.config import load
    from audit.runner import run_checks

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "run"
        shutil.copytree(run_dir, work, ignore=shutil.ignore_patterns(
            "findings.jsonl", "page_results.jsonl", "tables.jsonl", "check.json"))
        cfg = load(config)
        began = time.process_time()
        summary = run_checks(work, cfg)
        cpu = time.process_time() - began
        h = hashlib.sha256()
        for name in ("findings.jsonl", "page_results.jsonl", "tables.jsonl"):
            h.update((work / name).read_bytes())
    return cpu, summary.rule_seconds, h.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_stages")
    sub = parser.add_subparsers(dest="stage", required=True)
    p = sub.add_parser("extract", help="parse + fill_page on synthetic pages")
    p.add_argument("--pages", type=int, default=200)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--profile", action="store_true")
    p = sub.add_parser("check", help="run_checks on a crawled run directory")
    p.add_argument("run_dir", type=Path)
    p.add_argument("config", type=Path, nargs="?",
                   help="client config (default: the run's config.yaml)")
    p.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    if args.stage == "extract":
        per_page, digest = extract(args.pages, args.rounds)
        print(f"extraction: {min(per_page):.2f} ms/page CPU (min), "
              f"{statistics.median(per_page):.2f} (median of {len(per_page)}), "
              f"{args.pages} pages; digest {digest}")
    else:
        cpu, rules, digest = check(args.run_dir, args.config or args.run_dir / "config.yaml")
        with open(args.run_dir / "pages.jsonl", encoding="utf-8") as fh:
            pages = sum(1 for _ in fh)
        top = sorted(rules.items(), key=lambda kv: -kv[1])[:8]
        print(f"check: {cpu:.2f} s CPU, {1000 * cpu / max(pages, 1):.1f} ms/page, "
              f"{pages} pages; digest {digest}")
        print("  rules (wall): " + ", ".join(f"{k} {v:.2f} s" for k, v in top))
    if profiler:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
