"""The end-to-end benchmark (`make bench`): our full audit against a peer's crawl, same site,
same run.

Serves a synthetic French site (tests/bench/sitegen.py) on 127.0.0.1, then, ``--repeat``
times in turn: runs ``seo-audit crawl``, ``check`` and ``report`` as separate processes
(wall time, CPU seconds and peak RSS of each, children included, via wait4), and
advertools' ``crawl()`` (crawl only, no rules) in its own virtual environment
(``.bench/advertools``, created on first use from PyPI). Prints per-stage figures, the
medians and the ratio of the two in each round, and with ``--write`` records them in
BENCHMARKS.md between markers.

    python -m tests.bench.bench_audit [--pages 1000] [--repeat 3] [--grammar] [--write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from audit.rules import all_rules
from tests.bench.sitegen import ROOT, SyntheticServer, SyntheticSite

PEER_VENV = ROOT / ".bench" / "advertools"
MARK_BEGIN = "<!-- bench_audit:begin -->"
MARK_END = "<!-- bench_audit:end -->"


@dataclass
class Stage:
    name: str
    wall: float
    cpu: float
    rss_mb: float


def measured(name: str, cmd: list[str], cwd: Path | None = None,
             env: dict[str, str] | None = None) -> Stage:
    """Run ``cmd``; its wall time, CPU (user + system, its children included) and peak RSS."""
    with tempfile.TemporaryFile() as out_fh, tempfile.TemporaryFile() as err_fh:
        began = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out_fh, stderr=err_fh)
        _, status, usage = os.wait4(proc.pid, 0)  # rusage of the child and its children
        wall = time.perf_counter() - began
        out_fh.seek(0)
        err_fh.seek(0)
        out = out_fh.read().decode(errors="replace")
        err = err_fh.read().decode(errors="replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"{name} failed ({proc.returncode}):\n{out[-2000:]}\n{err[-4000:]}")
    Stage.last_stdout = out  # type: ignore[attr-defined]
    return Stage(name, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def write_config(tmp: Path, origin: str, pages: int, grammar: bool) -> Path:
    off = [] if grammar else ["grammar"]
    rules = "".join(f"  {r}: {{enabled: false}}\n" for r in off)
    config = tmp / "banc.yaml"
    config.write_text(
        f'client: "Banc d\'essai"\nsite:\n  start_urls: ["{origin}/"]\n'
        f"  max_pages: {pages + 100}\n  concurrency: 16\n"
        f"output: {{dir: out}}\nkeywords: {{\"/conseils/*\": \"pain au levain\"}}\n"
        + (f"rules:\n{rules}" if rules else ""), encoding="utf-8")
    return config


def run_ours(config: Path, tmp: Path) -> list[Stage]:
    """The whole audit as users run it (`seo-audit run`: the check overlaps the crawl),
    then the report stage again on its own to time it."""
    exe = [sys.executable, "-m", "audit.cli"]
    whole = measured("audit", [*exe, "run", str(config), "-q"], cwd=ROOT)
    xlsx = Path(Stage.last_stdout.strip().splitlines()[0])  # type: ignore[attr-defined]
    runs = xlsx.parent / "runs"
    run_dir = max((p for p in runs.glob("*/*") if p.is_dir()), key=lambda p: p.name)
    crawl = json.loads((run_dir / "crawl.json").read_text())
    check = json.loads((run_dir / "check.json").read_text())
    report = measured("report", [*exe, "report", str(run_dir), "-q"], cwd=ROOT)
    Stage.pages = crawl["pages"]  # type: ignore[attr-defined]
    Stage.rule_seconds = check["rule_seconds"]  # type: ignore[attr-defined]
    return [whole, Stage("crawl (in the audit)", crawl["seconds"], 0, 0),
            Stage("check (overlapping)", check["seconds"], 0, 0), report]


def ensure_peer() -> Path:
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        print("installing advertools into .bench/advertools (first run only)...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "advertools"],
                       check=True)
    return python


def run_peer(python: Path, origin: str, pages: int, tmp: Path) -> Stage:
    out = tmp / "advertools.jl"
    out.unlink(missing_ok=True)
    # advertools' trap: allowed_domains takes hosts, not host:port.
    script = textwrap.dedent(f"""
        import advertools as adv
        adv.crawl({origin + '/'!r}, {str(out)!r}, follow_links=True,
                  allowed_domains=["127.0.0.1"],
                  custom_settings={{"LOG_LEVEL": "WARNING", "CONCURRENT_REQUESTS": 16,
                                    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
                                    "CLOSESPIDER_PAGECOUNT": {pages + 100}}})
    """)
    # advertools runs the `scrapy` command: its venv's bin must come first on PATH.
    env = {**os.environ, "PATH": f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    stage = measured("advertools crawl", [str(python), "-c", script], cwd=tmp, env=env)
    with open(out, encoding="utf-8") as fh:
        Stage.peer_pages = sum(1 for _ in fh)  # type: ignore[attr-defined]
    return stage


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_audit")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--grammar", action="store_true", help="include the grammar rule")
    parser.add_argument("--no-peer", action="store_true", help="skip advertools")
    parser.add_argument("--write", action="store_true", help="record in BENCHMARKS.md")
    args = parser.parse_args(argv)
    print(f"building {args.pages} pages...", flush=True)
    site = SyntheticSite(args.pages)
    peer = None if args.no_peer else ensure_peer()
    rounds: list[dict[str, Stage]] = []
    with SyntheticServer(site) as server, tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        config = write_config(tmp, server.origin, args.pages, args.grammar)
        for r in range(args.repeat):
            ours = run_ours(config, tmp / f"r{r}")
            row = {s.name: s for s in ours}
            if peer is not None:
                row["peer"] = run_peer(peer, server.origin, args.pages, tmp)
            rounds.append(row)
            total = row["audit"].wall
            line = "  ".join(f"{s.name} {s.wall:.1f}s/{s.cpu:.0f}cpu/{s.rss_mb:.0f}MB"
                             for s in row.values())
            print(f"round {r + 1}: {Stage.pages} pages, audit {total:.1f}s "  # type: ignore
                  f"({Stage.pages / total:.0f} pages/s)  {line}", flush=True)
    table = render(args, rounds)
    print(table)
    if args.write:
        record(table)
    return 0


def render(args: argparse.Namespace, rounds: list[dict[str, Stage]]) -> str:
    pages = Stage.pages  # type: ignore[attr-defined]

    def med(name: str, attr: str) -> float:
        return statistics.median(getattr(r[name], attr) for r in rounds)

    audit_walls = [r["audit"].wall for r in rounds]
    lines = [
        f"### {pages:,} pages{' (with grammar)' if args.grammar else ''}, "
        f"{date.today().isoformat()}",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; medians of {len(rounds)} rounds.",
        "",
        "| stage | wall (s) | pages/s | CPU (s) | peak RSS (MB) |",
        "|---|---|---|---|---|",
    ]
    audit = statistics.median(audit_walls)
    lines.append(f"| **whole audit** (`seo-audit run`) | **{audit:.1f}** | **{pages / audit:.0f}** "
                 f"| {med('audit', 'cpu'):.1f} | {med('audit', 'rss_mb'):.0f} |")
    for name in ("crawl (in the audit)", "check (overlapping)"):
        wall = med(name, "wall")
        lines.append(f"| {name} | {wall:.1f} | {pages / wall:.0f} | | |")
    wall = med("report", "wall")
    lines.append(f"| report (workbook + JSON, again on its own) | {wall:.1f} | {pages / wall:.0f} "
                 f"| {med('report', 'cpu'):.1f} | {med('report', 'rss_mb'):.0f} |")
    if "peer" in rounds[0]:
        peer_pages = Stage.peer_pages  # type: ignore[attr-defined]
        wall = med("peer", "wall")
        ratios = [r["peer"].wall / a for r, a in zip(rounds, audit_walls, strict=True)]
        lines.append(f"| advertools `crawl()` (crawl only, {peer_pages:,} pages) | {wall:.1f} | "
                     f"{peer_pages / wall:.0f} | {med('peer', 'cpu'):.1f} | "
                     f"{med('peer', 'rss_mb'):.0f} |")
        lines += ["", f"Ratio advertools time / our whole audit, per round: "
                      f"{', '.join(f'{x:.2f}' for x in ratios)} "
                      f"(median {statistics.median(ratios):.2f}; ≥ 1.0 means we are faster)."]
    slow = sorted(Stage.rule_seconds.items(), key=lambda kv: -kv[1])[:6]  # type: ignore
    lines += ["", "Slowest rules in the check stage (last round): "
              + ", ".join(f"{k} {v:.1f} s" for k, v in slow) + "."]
    enabled = len(all_rules()) - (0 if args.grammar else 1)
    lines.append(f"Rules run: {enabled} of {len(all_rules())}.")
    return "\n".join(lines)


def record(table: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8")
    block = f"{MARK_BEGIN}\n{table}\n{MARK_END}"
    if MARK_BEGIN in text:
        head, rest = text.split(MARK_BEGIN, 1)
        text = head + block + rest.split(MARK_END, 1)[1]
    else:
        text += "\n## Whole audit against a peer (`python -m tests.bench.bench_audit`)\n\n" \
                + block + "\n"
    path.write_text(text, encoding="utf-8")
    print(f"recorded in {path}")


if __name__ == "__main__":
    sys.exit(main())
