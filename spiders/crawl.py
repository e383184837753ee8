"""``python -m spiders.crawl CONFIG RUN_DIR``: the crawl stage as its own process.

The ``seo-audit`` command starts this in a child process: the audit side never
imports Scrapy, a batch of clients never hits Twisted's one-reactor-per-process
limit, and the crawl runs on its own core while the parent does other work.
Progress comes out on stdout as JSON lines; Scrapy's log goes to RUN_DIR/crawl.log.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spiders.crawl")
    parser.add_argument("config")
    parser.add_argument("run_dir")
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--no-progress", action="store_true")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="extra Scrapy setting")
    args = parser.parse_args(argv)

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "spiders.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from spiders.site import SiteSpider

    run_dir = Path(args.run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    settings = get_project_settings()
    settings.set("LOG_FILE", str(run_dir / "crawl.log"))
    settings.set("LOG_LEVEL", args.log_level)
    settings.set("AUDIT_PROGRESS", not args.no_progress)
    for pair in args.set:
        name, _, value = pair.partition("=")
        settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(settings)
    process.crawl(SiteSpider, config=args.config, run_dir=str(run_dir))
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
