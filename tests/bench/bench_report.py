"""The report stage at scale: the workbook and the JSON for 10,000 or 100,000 pages.

Crawling and checking 100,000 pages to time the workbook would take hours, so the
check stage's output is scaled instead: the demo site is audited once for real
(`seo-audit demo`), then its run directory is copied with every per-page record
(``page_results.jsonl``, ``findings.jsonl``, the landing-page table) repeated under
``/copie-K/`` paths until it holds N pages — real records, real findings and messages,
the demo's share of errors. The report's steps (reading and scoring, the workbook, the
JSON) then run on it in a process of their own: the time of each, and the process's
wall time, CPU and peak RSS (wait4), and the sizes written.

    python -m tests.bench.bench_report [--pages 100000] [--write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.bench.bench_audit import ROOT, Stage, measured

MARK_BEGIN = "<!-- bench_report:begin -->"
MARK_END = "<!-- bench_report:end -->"
SCALED = ("page_results.jsonl", "findings.jsonl")


# The report stage's three steps, timed in a process of their own (the history, a few
# SQL statements per page, is left out: it is not the workbook).
STAGES = """
import json, sys, time
from pathlib import Path
from audit.config import load, rule_settings
from audit.pipeline import config_of_run
from audit.report.build import build_report
from audit.report.json_report import write_json
from audit.report.workbook import write_workbook
from audit.rules import all_rules
run, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
cfg = load(config_of_run(run))
times = {}
began = time.perf_counter()
data = build_report(run, cfg, rule_settings(cfg, all_rules()))
times["build"] = time.perf_counter() - began
began = time.perf_counter()
write_workbook(data, out / "r.xlsx")
times["workbook"] = time.perf_counter() - began
began = time.perf_counter()
write_json(data, out / "r.json")
times["json"] = time.perf_counter() - began
print(json.dumps(times))
"""


def demo_run(tmp: Path) -> Path:
    """A real, checked run directory of the demo site."""
    measured("demo", [sys.executable, "-m", "audit.cli", "demo", "--out", str(tmp), "-q"],
             cwd=ROOT)
    (run_dir,) = [p for p in (tmp / "runs").glob("*/*") if p.is_dir()]
    return run_dir


def _moved(url: str, k: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/copie-{k}{parts.path}"))


def _moved_record(record: dict, k: int, origin: str) -> dict:
    """The record with every URL of the site moved under /copie-k/ (copy 0 stays)."""
    if k == 0:
        return record

    def move(value: object) -> object:
        if isinstance(value, str) and value.startswith(origin):
            return _moved(value, k)
        if isinstance(value, list):
            return [move(v) for v in value]
        if isinstance(value, dict):
            return {key: move(v) for key, v in value.items()}
        return value

    return move(record)  # type: ignore[return-value]


def scale(source: Path, target: Path, pages: int) -> int:
    """Copy ``source`` to ``target`` with its per-page records repeated to ``pages`` pages;
    the number of copies made."""
    shutil.copytree(source, target)
    with open(source / "page_results.jsonl", encoding="utf-8") as fh:
        results = [json.loads(line) for line in fh]
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(results[0]["url"]))
    copies = max(1, -(-pages // len(results)))
    for name in SCALED:
        with open(source / name, encoding="utf-8") as fh:
            records = [json.loads(line) for line in fh]
        with open(target / name, "w", encoding="utf-8") as out:
            for k in range(copies):
                for record in records:
                    out.write(json.dumps(_moved_record(record, k, origin),
                                         ensure_ascii=False) + "\n")
    check = json.loads((source / "check.json").read_text(encoding="utf-8"))
    check["pages"] = len(results) * copies
    check["findings"] = {s: n * copies for s, n in check["findings"].items()}
    (target / "check.json").write_text(json.dumps(check), encoding="utf-8")
    crawl = json.loads((source / "crawl.json").read_text(encoding="utf-8"))
    crawl["pages"] = len(results) * copies
    (target / "crawl.json").write_text(json.dumps(crawl), encoding="utf-8")
    return copies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_report")
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--write", action="store_true", help="record in BENCHMARKS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        source = demo_run(tmp / "demo")
        run_dir = tmp / "scaled" / "run"
        copies = scale(source, run_dir, args.pages)
        with open(run_dir / "page_results.jsonl", encoding="utf-8") as fh:
            pages = sum(1 for _ in fh)
        with open(run_dir / "findings.jsonl", encoding="utf-8") as fh:
            findings = sum(1 for _ in fh)
        print(f"{pages:,} pages, {findings:,} findings ({copies} copies of the demo run)",
              flush=True)
        out = tmp / "out"
        stage = measured("report", [sys.executable, "-c", STAGES, str(run_dir), str(out)],
                         cwd=ROOT)
        times = json.loads(Stage.last_stdout.strip().splitlines()[-1])  # type: ignore
        line = (f"| {pages:,} | {findings:,} | {times['build']:.1f} | {times['workbook']:.1f} "
                f"| {times['json']:.1f} | {stage.wall:.1f} | {stage.cpu:.1f} | "
                f"{stage.rss_mb:.0f} | {(out / 'r.xlsx').stat().st_size / 1e6:.1f} | "
                f"{(out / 'r.json').stat().st_size / 1e6:.1f} |")
    header = (f"Measured {date.today().isoformat()} on {platform.machine()}, "
              f"{os.cpu_count()} cores, Python {platform.python_version()}; times in "
              "seconds (wall), sizes in MB.\n\n"
              "| pages | findings | read and score | workbook | JSON | whole process | CPU "
              "| peak RSS | workbook size | JSON size |\n"
              "|---|---|---|---|---|---|---|---|---|---|\n")
    print(header + line)
    if args.write:
        record(line, header)
    return 0


def record(line: str, header: str) -> None:
    """Add the row to BENCHMARKS.md between the markers (one row per page count)."""
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8")
    begin, end = text.index(MARK_BEGIN) + len(MARK_BEGIN), text.index(MARK_END)
    rows = [r for r in text[begin:end].splitlines() if r.startswith("| ") and r[2].isdigit()]
    rows = [r for r in rows if r.split("|")[1] != line.split("|")[1]] + [line]
    rows.sort(key=lambda r: int(r.split("|")[1].strip().replace(",", "")))
    path.write_text(text[:begin] + "\n" + header + "\n".join(rows) + "\n" + text[end:],
                    encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
