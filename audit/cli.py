"""``seo-audit``: run, demo, validate, and the three stages on their own.

Exit codes: 0 success (findings are not failures); 1 the run failed (start URL
unreachable, nothing crawled, a stage could not complete); 2 bad config or usage;
3 ``--fail-under`` given and the SEM score is lower.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from audit import __version__
from audit.config import ClientConfig, ConfigError, load, rule_settings
from audit.rules import all_rules
from audit.scoring import score_text

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNDER = 0, 1, 2, 3

log = logging.getLogger("seo-audit")


class ProgressLine:
    """A live line on a terminal; a plain log line every ``every`` seconds otherwise."""

    def __init__(self, stream: TextIO, quiet: bool, every: float = 10.0):
        self.stream = stream
        self.tty = stream.isatty()
        self.quiet = quiet
        self.every = every
        self.last = 0.0
        self.width = 0

    def __call__(self, event: dict[str, Any]) -> None:
        if self.quiet:
            return
        secs = int(event.get("elapsed", 0))
        text = (f"crawl: {event.get('crawled', 0)} pages, {event.get('queued', 0)} queued, "
                f"{event.get('errors', 0)} errors, {event.get('rate', 0):.1f} pages/s, "
                f"{secs // 60}:{secs % 60:02d}")
        if self.tty:
            pad = max(0, self.width - len(text))
            self.stream.write("\r" + text + " " * pad)
            self.width = len(text)
            if event.get("done"):
                self.stream.write("\n")
            self.stream.flush()
        elif event.get("done") or time.monotonic() - self.last >= self.every:
            self.last = time.monotonic()
            log.info("%s", text)


def _load_config(path: str) -> tuple[ClientConfig, dict]:
    """Everything a run needs from the config, checked before anything is crawled."""
    from audit.text.keywords import read_keywords_csv

    cfg = load(path)
    settings = rule_settings(cfg, all_rules())
    if cfg.keywords_file:
        read_keywords_csv(cfg.resolve(cfg.keywords_file))  # a bad file stops here (exit 2)
    return cfg, settings


def _run_one(config_path: Path, cfg: ClientConfig, settings: dict, out: Path | None,
             fail_under: float | None, args: argparse.Namespace) -> int:
    from audit import pipeline
    from audit.lock import LockHeld, client_lock

    began = time.monotonic()
    lock = (out or cfg.output_dir) / "runs" / cfg.slug / ".lock"
    resume = getattr(args, "resume", False)
    try:
        with client_lock(lock):
            try:
                run_dir, stage = (pipeline.latest_unfinished_run(cfg, out) if resume
                                  else (pipeline.new_run_dir(cfg, out), "crawl"))
            except pipeline.RunDirError as exc:
                log.error("%s", exc)
                return EXIT_FAILED
            with _run_log(run_dir / "audit.log"):
                log.info("audit of %s: %s (run directory %s%s)", cfg.client,
                         ", ".join(cfg.site.start_urls), run_dir,
                         f", resumed at the {stage}" if resume else "")
                try:
                    if stage != "crawl":  # the crawl is complete: only what is left
                        if stage == "check":
                            pipeline.check(run_dir, cfg, settings)
                        crawl = json.loads((run_dir / "crawl.json").read_text(encoding="utf-8"))
                    elif getattr(args, "redis", None):
                        crawl = pipeline.crawl_distributed(config_path, cfg, run_dir,
                                                           args.redis, args.workers,
                                                           verbose=args.verbose)
                        pipeline.check(run_dir, cfg, settings)
                    else:  # the check runs while the crawl goes on (both cores)
                        crawl = pipeline.crawl_and_check(
                            config_path, cfg, run_dir, settings,
                            progress=ProgressLine(sys.stderr, args.quiet),
                            verbose=args.verbose, resume=resume)
                    log.info("crawled and checked %s URLs (crawl %.1fs)", crawl.get("pages"),
                             crawl.get("seconds", 0))
                    paths = pipeline.report(run_dir, cfg, settings, out)
                except pipeline.CrawlFailed as exc:
                    log.error("%s: %s", cfg.client, exc)
                    return EXIT_FAILED
                except pipeline.RunDirError as exc:
                    log.error("%s", exc)
                    return EXIT_FAILED
                _print_result(paths, began)
                if cfg.output.keep:
                    for path in pipeline.prune(cfg, out, cfg.output.keep):
                        log.info("output.keep=%d: removed %s", cfg.output.keep, path)
    except LockHeld as exc:
        log.error("%s: %s", cfg.client, exc)
        return EXIT_FAILED
    return _fail_under(paths.data.summary.scores.get("sem"), fail_under)


class _ErrorCollector(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage().splitlines()[0][:300])


@contextlib.contextmanager
def _first_error() -> Iterator[list[str]]:
    """The error messages logged inside the block, in order (the first says why)."""
    messages: list[str] = []
    handler = _ErrorCollector(messages)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield messages
    finally:
        root.removeHandler(handler)


@contextlib.contextmanager
def _run_log(path: Path) -> Iterator[None]:
    """Everything the run logs also goes to the run directory's audit.log (cron runs have
    no terminal to read)."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(min(previous, logging.INFO) if previous else logging.INFO)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
        handler.close()


def _print_result(paths: Any, began: float) -> None:
    s = paths.data.summary
    scores = "  ".join(f"{k.upper()} {score_text(v)}"
                       for k, v in s.scores.items())
    log.info("%d URLs, %d HTML pages, %s findings; %s (%.1fs)", s.pages, s.html_pages,
             sum(s.findings.values()), scores, time.monotonic() - began)
    print(paths.xlsx)
    print(paths.json)


def _fail_under(sem: float | None, threshold: float | None) -> int:
    if threshold is not None and (sem is None or sem < threshold):
        log.warning("SEM score %s is under --fail-under %s", sem, threshold)
        return EXIT_UNDER
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else None
    if len(args.config) == 1:  # one client: a bad config is a usage error (exit 2)
        cfg, settings = _load_config(args.config[0])
        return _run_one(Path(args.config[0]), cfg, settings, out, args.fail_under, args)
    return _run_many([Path(c) for c in args.config], out, args)


def cmd_batch(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    if not folder.is_dir():
        log.error("%s: no such folder", folder)
        return EXIT_USAGE
    configs = [p for p in sorted(folder.glob("*.y*ml"))
               if p.suffix in (".yaml", ".yml") and not p.name.startswith(("_", "example"))]
    if not configs:
        log.error("%s: no client file (*.yaml; example.yaml and _*.yaml are skipped)", folder)
        return EXIT_USAGE
    return _run_many(configs, Path(args.out) if args.out else None, args)


def _run_many(configs: list[Path], out: Path | None, args: argparse.Namespace) -> int:
    """Each client in turn; one client's failure (even a bad config) does not stop the
    others. Exit 0 if all succeeded, 1 if any failed, else 3 if any is under
    --fail-under."""
    results: list[tuple[Path, int, str]] = []
    for path in configs:
        with _first_error() as why:
            try:
                cfg, settings = _load_config(str(path))
                code = _run_one(path, cfg, settings, out, args.fail_under, args)
            except ConfigError as exc:
                log.error("%s", exc)
                code = EXIT_FAILED
            except OSError as exc:
                if not _disk_error(exc):
                    raise
                log.error("%s: %s", path, _disk_error(exc))
                code = EXIT_FAILED
            except Exception:  # a bug on one client must not cost the others their audit
                log.exception("%s: the audit failed", path)
                code = EXIT_FAILED
        results.append((path, code, why[0] if code == EXIT_FAILED and why else ""))
    words = {EXIT_OK: "ok", EXIT_FAILED: "FAILED", EXIT_UNDER: "under --fail-under"}
    for path, code, reason in results:  # the summary says why, for a cron mail read alone
        log.warning("%s: %s%s", path, words.get(code, f"exit {code}"),
                    f" — {reason}" if reason else "")
    codes = {code for _, code, _ in results}
    if codes - {EXIT_OK, EXIT_UNDER}:
        return EXIT_FAILED
    return EXIT_UNDER if EXIT_UNDER in codes else EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    from audit.history import History, history_path

    cfg, _ = _load_config(args.config)
    path = history_path(Path(args.out) if args.out else cfg.output_dir)
    if not path.exists():
        print(f"{cfg.client}: no history yet ({path})")
        return EXIT_OK
    history = History(path)
    try:
        points = history.trend(cfg.slug, args.last)
    finally:
        history.close()
    print(f"{cfg.client} — {len(points)} run(s) ({path})")
    print(f"{'date':<20} {'SEM':>5} {'SEO':>5} {'SEA':>5} {'SMO':>5}  SEM trend")
    for p in points:
        cells = " ".join(f"{score_text(v):>5}"
                         for v in (p.scores.get(k) for k in ("sem", "seo", "sea", "smo")))
        sem = p.scores.get("sem")
        bar = "█" * round((sem or 0) / 5)
        print(f"{p.generated_at[:16].replace('T', ' '):<20} {cells}  {bar}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    cfg, settings = _load_config(args.config)
    enabled = sum(1 for s in settings.values() if s.enabled)
    print(f"{args.config}: OK — client '{cfg.client}', {len(cfg.site.start_urls)} start URL(s), "
          f"{enabled} rules enabled")
    return EXIT_OK


def cmd_crawl(args: argparse.Namespace) -> int:
    from audit import pipeline

    cfg, _ = _load_config(args.config)
    out = Path(args.out) if args.out else None
    resume = args.resume is not None
    try:
        if args.resume:  # --resume RUN_DIR
            run_dir = Path(args.resume)
            if not run_dir.is_dir():
                raise pipeline.RunDirError(f"{run_dir}: no such run directory")
            if pipeline.crawl_status(run_dir) == "complete":
                raise pipeline.RunDirError(f"{run_dir}: the crawl is complete: nothing to resume")
        elif resume:  # --resume alone: the client's last run
            run_dir, _stage = pipeline.latest_unfinished_run(cfg, out, stages=("crawl",))
        else:
            run_dir = Path(args.run_dir) if args.run_dir else pipeline.new_run_dir(cfg, out)
        if args.redis and args.worker:  # one worker of a crawl shared between machines
            return _crawl_worker(args, run_dir)
        if args.redis:
            pipeline.crawl_distributed(Path(args.config), cfg, run_dir, args.redis,
                                       args.workers, args.crawl_id, verbose=args.verbose)
        else:
            pipeline.crawl(Path(args.config), cfg, run_dir,
                           progress=ProgressLine(sys.stderr, args.quiet),
                           verbose=args.verbose, resume=resume)
    except pipeline.RunDirError as exc:
        log.error("%s", exc)
        return EXIT_FAILED
    except pipeline.CrawlFailed as exc:
        log.error("%s", exc)
        return EXIT_FAILED
    print(run_dir)
    return EXIT_OK


def _crawl_worker(args: argparse.Namespace, run_dir: Path) -> int:
    import subprocess

    from audit import pipeline

    if not args.crawl_id:
        log.error("--worker needs --crawl-id: the same id on every worker of the crawl")
        return EXIT_USAGE
    cmd = [sys.executable, "-m", "spiders.crawl", args.config, str(run_dir), "--no-progress",
           "--redis", args.redis, "--crawl-id", args.crawl_id, "--worker", args.worker]
    code = subprocess.call(cmd, env=pipeline._child_env())
    print(run_dir)
    return EXIT_OK if code == 0 else EXIT_FAILED


def cmd_merge(args: argparse.Namespace) -> int:
    from audit.merge import merge_workers
    from audit.runner import RunDirError

    try:
        summary = merge_workers(Path(args.run_dir))
    except RunDirError as exc:
        log.error("%s", exc)
        return EXIT_FAILED
    log.info("%d pages from %d workers", summary["pages"], len(summary["workers"]))
    print(args.run_dir)
    return EXIT_OK


def _run_dir_config(args: argparse.Namespace) -> tuple[Path, ClientConfig, dict]:
    from audit import pipeline

    run_dir = Path(args.run_dir)
    if not run_dir.is_dir():
        raise pipeline.RunDirError(f"{run_dir}: no such run directory")
    config_path = Path(args.config) if args.config else pipeline.config_of_run(run_dir)
    cfg, settings = _load_config(str(config_path))
    return run_dir, cfg, settings


def cmd_check(args: argparse.Namespace) -> int:
    from audit import pipeline

    try:
        run_dir, cfg, settings = _run_dir_config(args)
        pipeline.check(run_dir, cfg, settings)
    except pipeline.RunDirError as exc:
        log.error("%s", exc)
        return EXIT_FAILED
    print(run_dir)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from audit import pipeline

    began = time.monotonic()
    try:
        run_dir, cfg, settings = _run_dir_config(args)
        paths = pipeline.report(run_dir, cfg, settings, Path(args.out) if args.out else None,
                                lang=args.lang)
    except pipeline.RunDirError as exc:
        log.error("%s", exc)
        return EXIT_FAILED
    _print_result(paths, began)
    return _fail_under(paths.data.summary.scores.get("sem"), args.fail_under)


def cmd_demo(args: argparse.Namespace) -> int:
    from audit.demo import (
        competitor_server,
        demo_config_text,
        demo_googlebot_root,
        demo_site_root,
        write_demo_exports,
    )
    from audit.demo.server import SiteServer

    out = Path(args.out or "reports").resolve()
    # The demo's config and input files (exports of the client's accounts) stay next to
    # the reports, so that `seo-audit check|report RUN_DIR` works on the demo run later.
    inputs = out / "demo-inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    site = SiteServer(demo_site_root(), bot_root=demo_googlebot_root(), tls=True)
    with site as server, competitor_server(server.origin) as competitor:
        config_path = inputs / "demo.yaml"
        write_demo_exports(inputs, date.today(), server.origin)
        config_path.write_text(demo_config_text(server.origin, out, args.lang,
                                                competitor=competitor.origin, exports=True),
                               encoding="utf-8")
        log.info("demo site served at %s, its competitor at %s", server.origin,
                 competitor.origin)
        cfg, settings = _load_config(str(config_path))
        return _run_one(config_path, cfg, settings, out, args.fail_under, args)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _distributed_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--redis", metavar="URL",
                   help="split the crawl between processes through this Redis "
                   "(redis://host:6379/0; docs/scaling.md)")
    p.add_argument("--workers", type=_positive, default=2, metavar="N",
                   help="with --redis: crawler processes started here (default 2)")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="only errors")
    common.add_argument("-v", "--verbose", action="store_true", help="debug output")

    parser = argparse.ArgumentParser(
        prog="seo-audit", parents=[common],
        description="Crawl a client's site, check it (SEO, SEA, SMO) and write Excel + JSON.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=help, parents=[common])

    p = add("run", "crawl, check and report one client (or several, in turn)")
    p.add_argument("config", nargs="+", help="client YAML file(s)")
    p.add_argument("--out", help="output folder (default: output.dir of the config)")
    p.add_argument("--fail-under", type=float, metavar="SCORE",
                   help="exit 3 when the SEM score is below SCORE")
    p.add_argument("--resume", action="store_true",
                   help="continue the client's last interrupted run, then check and report")
    _distributed_options(p)
    p.set_defaults(func=cmd_run)

    p = add("batch", "audit every client of a folder in turn (cron)")
    p.add_argument("folder", help="folder of client YAML files (example.yaml, _*.yaml skipped)")
    p.add_argument("--out", help="output folder (default: output.dir of each config)")
    p.add_argument("--fail-under", type=float, metavar="SCORE",
                   help="exit 3 when a SEM score is below SCORE")
    p.set_defaults(func=cmd_batch)

    p = add("history", "print the scores of a client's past runs")
    p.add_argument("config")
    p.add_argument("--out", help="output folder (default: output.dir of the config)")
    p.add_argument("--last", type=int, default=20, help="how many runs (default 20)")
    p.set_defaults(func=cmd_history)

    p = add("demo", "audit the bundled demo site (offline)")
    p.add_argument("--out", help="output folder (default: reports/)")
    p.add_argument("--lang", choices=["fr", "en"], default="fr", help="report language")
    p.add_argument("--fail-under", type=float, metavar="SCORE", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_demo)

    p = add("validate", "check a config file without crawling")
    p.add_argument("config")
    p.set_defaults(func=cmd_validate)

    p = add("crawl", "crawl only; prints the run directory")
    p.add_argument("config")
    p.add_argument("--out", help="output folder (default: output.dir of the config)")
    p.add_argument("--run-dir", help="write into this run directory")
    p.add_argument("--resume", nargs="?", const="", metavar="RUN_DIR",
                   help="continue an interrupted crawl (default: the client's last run)")
    _distributed_options(p)
    p.add_argument("--crawl-id", help="with --redis: the shared crawl's id "
                   "(default: <client>-<run directory name>)")
    p.add_argument("--worker", help="with --redis and --crawl-id: run only this worker "
                   "(one machine of several; `seo-audit merge RUN_DIR` afterwards)")
    p.set_defaults(func=cmd_crawl)

    p = add("merge", "merge the files of a distributed crawl's workers (check does it too)")
    p.add_argument("run_dir")
    p.set_defaults(func=cmd_merge)

    for name, func, help in (("check", cmd_check, "run the rules on a crawled run directory"),
                             ("report", cmd_report, "write the workbook and JSON of a run")):
        p = add(name, help)
        p.add_argument("run_dir")
        p.add_argument("--config", help="config to use (default: the one the run was made with)")
        if name == "report":
            p.add_argument("--out", help="output folder (default: output.dir of the config)")
            p.add_argument("--fail-under", type=float, metavar="SCORE")
            p.add_argument("--lang", choices=("fr", "en"),
                           help="write it in this language (default: report.language of "
                                "the config); another language than the config's is named "
                                "<client>-<date>-<lang>")
        p.set_defaults(func=func)
    return parser


def _terminated(signum: int, frame: object) -> None:
    # SIGTERM (cron's timeout, systemd, kill) unwinds like Ctrl-C: temporary files are
    # removed, the history transaction rolled back, the crawl child stopped.
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if main_thread else None
    try:
        return _main(args)
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


def _main(args: argparse.Namespace) -> int:
    level = logging.ERROR if args.quiet else logging.DEBUG if args.verbose else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(message)s",
                        datefmt="%H:%M:%S", stream=sys.stderr, force=True)
    for handler in logging.getLogger().handlers:  # the terminal keeps the asked level when
        handler.setLevel(level)                   # a run's log file takes more (_run_log)
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"seo-audit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        if not _disk_error(exc):
            raise
        print(f"seo-audit: error: {_disk_error(exc)}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        # The crawl child stops cleanly on the same Ctrl-C and keeps its state.
        print("seo-audit: interrupted (a crawl can be continued with --resume)",
              file=sys.stderr)
        return 130


_DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES}


def _disk_error(exc: OSError) -> str | None:
    """One line for a write the machine refused (a full disk, a quota, a read-only or
    forbidden folder) — not a bug: no traceback. Every stage writes through temporary
    files renamed when complete, so what an earlier run wrote is intact."""
    if exc.errno not in _DISK_ERRORS:
        return None
    return (f"could not write {exc.filename or 'a file'}: {exc.strerror}; nothing written "
            "before is lost (files are replaced only when complete)")


if __name__ == "__main__":
    sys.exit(main())
