"""A parent killed while it crawls, a run whose check or report never ran: the crawl
stops with its parent and `run --resume` picks up at the first unfinished stage
(issue 20). The slow fixture site is tests/test_resume.py's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from audit import pipeline
from tests.conftest import ROOT
from tests.test_resume import PAGES, SlowSiteServer, _config, make_site

pytestmark = pytest.mark.crawl


@pytest.fixture(scope="module")
def slow_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlowSiteServer]:
    root = make_site(tmp_path_factory.mktemp("slow") / "site")
    with SlowSiteServer(root, delay=0.15) as server:
        yield server


def _wait(predicate: Any, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_a_killed_parent_stops_its_crawl_and_run_resume_finishes_the_audit(
        slow_site: SlowSiteServer, tmp_path: Path) -> None:
    """kill -9 of `seo-audit run` while it crawls: the crawl child stops too (it used to
    crawl on to the end for nobody), and `run --resume` crawls the rest, checks and
    reports."""
    from audit.cli import main

    config = _config(tmp_path, slow_site)
    parent = subprocess.Popen([sys.executable, "-m", "audit.cli", "-q", "run", str(config)],
                              env=dict(os.environ, PYTHONPATH=str(ROOT)), cwd=ROOT)
    runs = tmp_path / "out" / "runs" / "boulangerie-martin"

    def pages() -> int:
        found = list(runs.glob("*/pages.jsonl"))
        return found[0].read_bytes().count(b"\n") if found else 0

    assert _wait(lambda: pages() >= 3)
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=30)
    (run_dir,) = [p for p in runs.iterdir() if p.is_dir()]
    assert _wait(lambda: pipeline.crawl_status(run_dir) == "interrupted", timeout=20), \
        "the orphaned crawl did not stop"
    stopped_at = pages()
    time.sleep(1.5)
    assert pages() == stopped_at < PAGES  # nothing crawls on
    assert main(["-q", "run", str(config), "--resume"]) == 0
    assert pipeline.crawl_status(run_dir) == "complete" and (run_dir / "check.json").exists()
    assert len(list((tmp_path / "out").glob("boulangerie-martin-*.xlsx"))) == 1
    assert pipeline.unfinished_stage(run_dir, tmp_path / "out") is None


def test_run_resume_picks_up_at_the_check_or_the_report(
        slow_site: SlowSiteServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A crawl that ended while its parent was gone (or `seo-audit crawl` alone) leaves the
    check and the report to do: `run --resume` does them, without crawling again."""
    from audit.cli import main

    config = _config(tmp_path, slow_site)
    assert main(["-q", "crawl", str(config)]) == 0
    run_dir = Path(capsys.readouterr().out.strip().splitlines()[-1])
    out = tmp_path / "out"
    assert pipeline.unfinished_stage(run_dir, out) == "check"
    asked = len(slow_site.requests)
    assert main(["-q", "run", str(config), "--resume"]) == 0
    assert len(slow_site.requests) == asked  # nothing fetched again
    assert len(list(out.glob("boulangerie-martin-*.xlsx"))) == 1
    # The report alone: its files removed and the run forgotten by the history.
    for f in out.glob("boulangerie-martin-*"):
        f.unlink()
    (out / "history.sqlite").unlink()
    assert pipeline.unfinished_stage(run_dir, out) == "report"
    assert main(["-q", "run", str(config), "--resume"]) == 0
    assert len(list(out.glob("boulangerie-martin-*.xlsx"))) == 1
    assert main(["-q", "run", str(config), "--resume"]) == 1
    assert "nothing to resume" in capsys.readouterr().err
