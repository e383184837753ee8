"""The three stages, each reading what the previous one wrote in the run directory.

::

    crawl  : config ─▶ child process `python -m spiders.crawl` ─▶ pages.jsonl, sitemaps.jsonl,
                                                                  crawl.json (written last)
    check  : pages.jsonl ─▶ rules ─▶ findings.jsonl, page_results.jsonl, check.json
    report : run dir + config ─▶ <client>-<date>.xlsx and .json in the output folder

A run directory is ``<output>/runs/<client>/<YYYYmmdd-HHMMSS>/``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from audit.atomic import atomic_files
from audit.config import ClientConfig, RuleSettings
from audit.history import History, history_path
from audit.merge import has_workers, merge_workers
from audit.report.build import build_report
from audit.report.json_report import write_json
from audit.report.model import ReportData
from audit.report.workbook import write_workbook
from audit.rule import Msg
from audit.runner import RunDirError, build_rules, read_pages, run_checks

log = logging.getLogger(__name__)

Progress = Callable[[dict[str, Any]], None]


class CrawlFailed(Exception):
    """The crawl produced nothing to audit (start URL unreachable, nothing crawled)."""


class CrawlInterrupted(CrawlFailed):
    """The crawl stopped before the end (signal, killed process): it can be resumed."""

    def __init__(self, run_dir: Path, why: str):
        super().__init__(f"{run_dir}: the crawl was interrupted ({why}); continue it with "
                         f"`seo-audit crawl CONFIG --resume {run_dir}` (or `run CONFIG --resume`)")
        self.run_dir = run_dir


def crawl_status(run_dir: Path) -> str:
    """"complete", "interrupted", or "missing" (still running, killed, never started)."""
    try:
        return str(json.loads((run_dir / "crawl.json").read_text(encoding="utf-8"))["status"])
    except (OSError, ValueError, KeyError):
        return "missing"


STAGES = ("crawl", "check", "report")


def unfinished_stage(run_dir: Path, out_dir: Path) -> str | None:
    """The first stage of the run that did not finish, or None when its report is
    written: a crawl without a complete crawl.json, a check without check.json, a
    report not in the history (recorded in the transaction that writes the files)."""
    if crawl_status(run_dir) != "complete":
        return "crawl"
    if not (run_dir / "check.json").exists():
        return "check"
    path = history_path(out_dir)
    if not path.exists():
        return "report"
    try:
        history = History(path)
        try:
            return None if history.has_run(run_dir) else "report"
        finally:
            history.close()
    except sqlite3.DatabaseError:  # unreadable: the report stage sets it aside
        return "report"


def latest_unfinished_run(cfg: ClientConfig, out_dir: Path | None = None,
                          stages: tuple[str, ...] = STAGES) -> tuple[Path, str]:
    """The newest run directory of this client and its first unfinished stage, if that
    is one of ``stages`` (``crawl`` resumes only crawls; ``run`` resumes any stage: a
    parent killed after its crawl ended left the check and the report to do)."""
    out = out_dir or cfg.output_dir
    base = out / "runs" / cfg.slug
    runs = sorted((p for p in base.glob("*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
    if not runs:
        raise RunDirError(f"{base}: no run to resume")
    last = runs[-1]
    stage = unfinished_stage(last, out)
    if stage is None or stage not in stages:
        done = "crawl is complete" if stage else "run is complete, its report written"
        raise RunDirError(f"{last}: the last {done} ({cfg.client}): nothing to resume")
    return last, stage


def new_run_dir(cfg: ClientConfig, out_dir: Path | None = None) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    base = (out_dir or cfg.output_dir) / "runs" / cfg.slug
    run_dir = base / stamp
    n = 1
    while run_dir.exists():  # two runs in the same second
        n += 1
        run_dir = base / f"{stamp}-{n}"
    run_dir.mkdir(parents=True)
    return run_dir


def crawl_and_check(config_path: Path, cfg: ClientConfig, run_dir: Path,
                    settings: dict[str, RuleSettings], progress: Progress | None = None,
                    verbose: bool = False, resume: bool = False) -> dict[str, Any]:
    """The crawl (a child process, one core) and the check (this process, the other core)
    at the same time: pages are checked as the crawl writes them. Returns crawl.json;
    raises CrawlFailed, and then leaves no check result behind."""
    children: list[subprocess.Popen[str]] = []
    with ThreadPoolExecutor(1, thread_name_prefix="crawl") as pool:
        crawling = pool.submit(crawl, config_path, cfg, run_dir, progress, verbose,
                               resume, children.append)
        try:
            run_checks(run_dir, cfg, build_rules(cfg, settings), crawl_done=crawling.done)
        except BaseException:
            for child in children:  # interrupted or failed: stop the crawl too
                child.terminate()
            raise
        try:
            return crawling.result()
        except CrawlFailed:
            (run_dir / "check.json").unlink(missing_ok=True)  # nothing to report on
            raise


def crawl(config_path: Path, cfg: ClientConfig, run_dir: Path,
          progress: Progress | None = None, verbose: bool = False,
          resume: bool = False,
          started: Callable[[subprocess.Popen[str]], None] | None = None) -> dict[str, Any]:
    """Run the spider in a child process; return crawl.json. Raises CrawlFailed
    (CrawlInterrupted when it stopped early: ``resume=True`` continues it). ``started``
    is given the child process (to stop it from another thread)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    if not resume or not (run_dir / "config.yaml").exists():
        shutil.copyfile(config_path, run_dir / "config.yaml")  # what this run was made with
    cmd = [sys.executable, "-m", "spiders.crawl", str(config_path), str(run_dir),
           "--log-level", "DEBUG" if verbose else "INFO"] + (["--resume"] if resume else [])
    env = _child_env()
    stderr_path = run_dir / "crawl.stderr"
    with open(stderr_path, "a" if resume else "w", encoding="utf-8") as err:
        child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env)
        if started is not None:
            started(child)
        assert child.stdout is not None
        try:
            for line in child.stdout:
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                if progress:
                    progress(event)
        except BaseException:
            # Interrupted (Ctrl-C, SIGTERM): stop the crawl too; Scrapy closes its
            # files and writes crawl.json as "interrupted", never "complete".
            child.terminate()
            raise
        finally:
            code = child.wait()
    summary_path = run_dir / "crawl.json"
    if code < 0:  # killed by a signal
        raise CrawlInterrupted(run_dir, f"crawl process killed by signal {-code}")
    if code != 0 or not summary_path.exists():
        tail = stderr_path.read_text(encoding="utf-8", errors="replace").strip()[-2000:]
        raise CrawlFailed(f"the crawl process failed (exit {code}). {tail}".strip())
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    if summary.get("status") != "complete":
        raise CrawlInterrupted(run_dir, str(summary.get("finish_reason")))
    _check_crawl_outcome(cfg, run_dir, summary)
    return summary


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    # The child must import this very checkout of spiders/ and audit/.
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH", "")]))
    env["SEO_AUDIT_PARENT_PID"] = str(os.getpid())  # the crawl stops if this process dies
    return env


def crawl_distributed(config_path: Path, cfg: ClientConfig, run_dir: Path, redis_url: str,
                      workers: int, crawl_id: str | None = None,
                      verbose: bool = False) -> dict[str, Any]:
    """Crawl with ``workers`` local processes sharing the crawl through Redis, then merge
    their files (docs/scaling.md). Workers on other machines join with the same
    ``crawl_id`` (``seo-audit crawl --redis URL --crawl-id ID --worker NAME``)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(config_path, run_dir / "config.yaml")
    crawl_id = crawl_id or f"{cfg.slug}-{run_dir.name}"
    children = []
    for n in range(1, workers + 1):
        cmd = [sys.executable, "-m", "spiders.crawl", str(config_path), str(run_dir),
               "--log-level", "DEBUG" if verbose else "INFO", "--no-progress",
               "--redis", redis_url, "--crawl-id", crawl_id, "--worker", f"w{n}"]
        err = open(run_dir / f"crawl-w{n}.stderr", "w", encoding="utf-8")  # noqa: SIM115
        children.append((subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err,
                                          env=_child_env()), err))
    failed = []
    for n, (child, err) in enumerate(children, 1):
        code = child.wait()
        err.close()
        if code != 0:
            tail = (run_dir / f"crawl-w{n}.stderr").read_text(
                encoding="utf-8", errors="replace").strip().splitlines()[-1:]
            failed.append(f"w{n} (exit {code}{': ' + tail[0] if tail else ''})")
    if failed:
        raise CrawlFailed(f"{run_dir}: crawl workers failed: {'; '.join(failed)} "
                          "(see crawl-<worker>.stderr and .log)")
    try:
        summary = merge_workers(run_dir)
    except RunDirError as exc:
        raise CrawlFailed(str(exc)) from exc
    _check_crawl_outcome(cfg, run_dir, summary)
    return summary


def _check_crawl_outcome(cfg: ClientConfig, run_dir: Path, summary: dict[str, Any]) -> None:
    pages_path = run_dir / "pages.jsonl"
    if not pages_path.exists():
        raise CrawlFailed("nothing was crawled (no pages file)")
    start = set(cfg.site.start_urls)
    start_records = []
    any_ok = False
    for page in read_pages(pages_path):
        any_ok = any_ok or page.ok
        if page.url in start or page.url.rstrip("/") in {u.rstrip("/") for u in start}:
            start_records.append(page)
    if any_ok:
        return
    if start_records:
        first = start_records[0]
        why = first.error or f"HTTP {first.status}"
        raise CrawlFailed(f"start URL {first.url} gave no page to audit ({why})")
    raise CrawlFailed("nothing was crawled: no start URL could be fetched")


def check(run_dir: Path, cfg: ClientConfig, settings: dict[str, RuleSettings]) -> None:
    status = crawl_status(run_dir)
    if status == "missing" and has_workers(run_dir):  # a distributed crawl: merge first
        merge_workers(run_dir)
        status = crawl_status(run_dir)
    if status == "missing":
        raise RunDirError(f"{run_dir}: no crawl.json: the crawl did not finish "
                          "(still running, or killed: resume it with `seo-audit crawl CONFIG "
                          f"--resume {run_dir}`)")
    if status != "complete":
        raise RunDirError(f"{run_dir}: crawl.json: the crawl is {status}, not complete: "
                          f"resume it with `seo-audit crawl CONFIG --resume {run_dir}`")
    run_checks(run_dir, cfg, build_rules(cfg, settings))


@dataclass
class ReportPaths:
    xlsx: Path
    json: Path
    data: ReportData


class OutputError(RunDirError):
    """The report could not be written (disk full, read-only folder, a broken history):
    the previous report is intact and the run is not recorded."""


REPORT_LANGUAGES = ("fr", "en")


def report(run_dir: Path, cfg: ClientConfig, settings: dict[str, RuleSettings],
           out_dir: Path | None = None, lang: str | None = None) -> ReportPaths:
    """The workbook and JSON of a checked run. ``lang``: in this language instead of the
    config's (``report --lang en``), named ``<client>-<date>-<lang>`` beside the usual
    pair."""
    suffix = ""
    if lang and lang != cfg.report.language:
        cfg = replace(cfg, report=replace(cfg.report, language=lang))
        suffix = f"-{lang}"
    if not (run_dir / "check.json").exists():
        raise RunDirError(f"{run_dir}: no check.json: run the check stage first")
    data = build_report(run_dir, cfg, settings)
    out = out_dir or cfg.output_dir
    day = data.summary.generated_at[:10]
    base = out / f"{cfg.report_name}-{day}{suffix}"
    xlsx, js = base.with_suffix(".xlsx"), base.with_suffix(".json")
    try:
        history = open_history(out, data)
        try:
            # The workbook and the JSON land together, after the history's transaction
            # commits: a report that fails to be written (a full disk) leaves the previous
            # files as they were and no run in the history.
            with atomic_files(xlsx, js) as (xlsx_part, js_part), history.recording():
                run_id = history.record(cfg.slug, run_dir, data, _crawled_at(run_dir, data),
                                        _origin(cfg.site.start_urls[0]))
                data.changes = history.changes(cfg.slug, run_id)
                data.trend = history.trend(cfg.slug)
                write_workbook(data, xlsx_part)
                write_json(data, js_part)
        finally:
            history.close()
    except (OSError, sqlite3.Error) as exc:
        why = getattr(exc, "strerror", None) or str(exc)
        where = getattr(exc, "filename", None) or out
        raise OutputError(
            f"could not write the report of {cfg.client} in {out} ({where}: {why}); the "
            f"previous report is unchanged and this run is not in the history. Free some "
            f"space (or fix the folder) and write it again with `seo-audit report "
            f"{run_dir}`") from exc
    return ReportPaths(xlsx, js, data)


def open_history(out: Path, data: ReportData) -> History:
    """The client folder's history; a corrupted file is set aside (renamed, never
    deleted) and a new history started, with a note on the Summary: the report is still
    written, only the comparison with earlier runs is lost."""
    path = history_path(out)
    try:
        history = History(path)
        history.db.execute("SELECT count(*) FROM runs").fetchone()
        return history
    except sqlite3.DatabaseError as exc:
        if type(exc) is not sqlite3.DatabaseError:  # I/O, full disk, locked: not corruption
            raise
        aside = path.with_name(f"{path.name}.corrupt-{datetime.now(UTC):%Y%m%d-%H%M%S}")
        for suffix in ("", "-wal", "-shm"):
            part = path.with_name(path.name + suffix)
            if part.exists():
                part.rename(aside.with_name(aside.name + suffix))
        log.warning("%s is not a readable history (%s): set aside as %s; a new one starts",
                    path, exc, aside.name)
        data.summary.notes.append(Msg(
            f"L’historique des audits ({path.name}) était illisible ({exc}) : il a été mis "
            f"de côté ({aside.name}) et un nouveau commence. Pas de comparaison avec les "
            "audits précédents cette fois.",
            f"The audit history ({path.name}) was unreadable ({exc}): it was set aside "
            f"({aside.name}) and a new one starts. No comparison with earlier audits "
            "this time."))
        return History(path)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _crawled_at(run_dir: Path, data: ReportData) -> str:
    """When the run's crawl ended: its place in the history (a run reported again later
    keeps its place)."""
    try:
        return str(json.loads((run_dir / "crawl.json").read_text())["finished_at"])
    except (OSError, ValueError, KeyError):
        return data.summary.generated_at


def config_of_run(run_dir: Path) -> Path:
    """The config a run was made with: the original file if still there, else the copy."""
    try:
        original = Path(json.loads((run_dir / "crawl.json").read_text())["config"])
        if original.exists():
            return original
    except (OSError, ValueError, KeyError):
        pass
    snapshot = run_dir / "config.yaml"
    if snapshot.exists():
        return snapshot
    raise RunDirError(f"{run_dir}: cannot tell which config it was made with: pass --config")


def elapsed(since: float) -> str:
    seconds = int(time.monotonic() - since)
    return f"{seconds // 60}:{seconds % 60:02d}"


def prune(cfg: ClientConfig, out_dir: Path | None, keep: int) -> list[Path]:
    """Delete the client's runs beyond the ``keep`` newest, with their dated reports;
    the history keeps their scores. Returns what was deleted."""
    out = out_dir or cfg.output_dir
    runs = sorted((p for p in (out / "runs" / cfg.slug).glob("*") if p.is_dir()),
                  key=lambda p: p.name, reverse=True)
    deleted: list[Path] = []
    for old in runs[keep:]:
        shutil.rmtree(old, ignore_errors=True)
        deleted.append(old)
    # Reports are named <name>-<YYYY-MM-DD>[-<lang>]: keep the newest `keep` dates.
    stem = f"{cfg.report_name}-"
    reports: dict[str, list[Path]] = {}
    for p in out.glob(f"{stem}*"):
        rest = p.stem[len(stem):]
        if p.suffix in (".xlsx", ".json") and _is_day(rest[:10]) and \
                rest[10:] in ("", *(f"-{lang}" for lang in REPORT_LANGUAGES)):
            reports.setdefault(rest[:10], []).append(p)
    for day in sorted(reports, reverse=True)[keep:]:
        for path in sorted(reports[day]):
            path.unlink()
            deleted.append(path)
    return deleted


def _is_day(text: str) -> bool:
    try:
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return False
    return True
