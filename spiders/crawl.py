"""``python -m spiders.crawl CONFIG RUN_DIR``: the crawl stage as its own process.

The ``seo-audit`` command starts this in a child process: the audit side never
imports Scrapy, a batch of clients never hits Twisted's one-reactor-per-process
limit, and the crawl runs on its own core while the parent does other work.
Progress comes out on stdout as JSON lines; Scrapy's log goes to RUN_DIR/crawl.log.

Every crawl keeps Scrapy's job state in ``RUN_DIR/job`` (``JOBDIR``), so an interrupted
one can go on with ``--resume`` (spiders/resume.py). ``job/running`` exists while a
process works on it: still there at the next start, the process was killed and the
job state is not trusted. The job directory is removed once the crawl is complete.

``--redis URL --crawl-id ID --worker NAME`` makes the process one worker of a crawl
shared through Redis (spiders/distributed.py); it writes ``crawl-NAME.json`` instead.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import signal
import socket
import sys
import threading
import time
from pathlib import Path

GC_THRESHOLDS = (10_000, 50, 100)  # generation 0 every 10,000 allocations, not 700


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spiders.crawl")
    parser.add_argument("config")
    parser.add_argument("run_dir")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--no-progress", action="store_true")
    parser.add_argument("--resume", action="store_true",
                        help="continue the interrupted crawl of RUN_DIR")
    parser.add_argument("--redis", metavar="URL", help="share the crawl through this Redis")
    parser.add_argument("--crawl-id", help="the shared crawl's id (same for every worker)")
    parser.add_argument("--worker", help="this worker's name (its file names)")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="extra Scrapy setting")
    args = parser.parse_args(argv)

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "spiders.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from spiders.resume import RUNNING, trim_torn_line
    from spiders.site import SiteSpider

    # Every page makes thousands of short-lived objects (lxml proxies, items, requests):
    # the collector's default thresholds ran it ~10 % of the time, scanning again and
    # again the long-lived objects of Scrapy and Twisted. Those are frozen out of its
    # scans once imported; it runs less often (memory still bounded: cycles are rare).
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)

    run_dir = Path(args.run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    _die_with_parent()
    settings = get_project_settings()
    settings.set("LOG_LEVEL", args.log_level)
    settings.set("AUDIT_PROGRESS", not args.no_progress)
    for pair in args.set:
        name, _, value = pair.partition("=")
        settings.set(name, value, priority="cmdline")
    if args.redis:
        worker = args.worker or f"{socket.gethostname()}-{os.getpid()}"
        settings.set("LOG_FILE", str(run_dir / f"crawl-{worker}.log"))
        process = CrawlerProcess(settings)
        process.crawl(SiteSpider, config=args.config, run_dir=str(run_dir),
                      redis_url=args.redis, crawl_id=args.crawl_id or run_dir.name,
                      worker=worker)
        process.start()
        return 0 if (run_dir / f"crawl-{worker}.json").exists() else 1
    job = run_dir / "job"
    if not args.resume or (job / RUNNING).exists():
        shutil.rmtree(job, ignore_errors=True)  # a fresh crawl, or a killed one's queue
    if args.resume:
        for name in ("pages.jsonl", "sitemaps.jsonl"):
            trim_torn_line(run_dir / name)
    # Until this process writes a new one, the run does not look finished.
    (run_dir / "crawl.json").unlink(missing_ok=True)
    job.mkdir(parents=True, exist_ok=True)
    (job / RUNNING).touch()
    settings.set("JOBDIR", str(job))
    settings.set("LOG_FILE", str(run_dir / "crawl.log"))
    process = CrawlerProcess(settings)
    process.crawl(SiteSpider, config=args.config, run_dir=str(run_dir),
                  resume="1" if args.resume else "")
    process.start()
    try:
        status = json.loads((run_dir / "crawl.json").read_text(encoding="utf-8"))["status"]
    except (OSError, ValueError, KeyError):
        return 1  # no summary: the stop was not clean; the marker stays
    if status == "complete":
        shutil.rmtree(job, ignore_errors=True)
    else:  # stopped cleanly: Scrapy saved its queue and the spider's state
        (job / RUNNING).unlink(missing_ok=True)
    return 0


PARENT_ENV = "SEO_AUDIT_PARENT_PID"  # set by audit.pipeline for the children it starts


def _die_with_parent() -> None:
    """Stop like on Ctrl-C when the audit process that started this crawl dies (even by
    kill -9): an orphaned crawl would run to the end for nobody, and its complete
    crawl.json would hide that the check and report never ran. SIGTERM makes Scrapy stop
    cleanly: crawl.json says "interrupted" and ``run --resume`` continues."""
    expected = os.environ.get(PARENT_ENV)
    if not expected or not expected.isdigit():
        return  # started by hand or by Scrapyd: no parent to follow

    def watch() -> None:
        while os.getppid() == int(expected):
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
