"""Faults survived: a report stage killed while writing leaves nothing looking complete
(no workbook or JSON under its final name, no run in the history), and the same stage
run again completes. Real processes: `seo-audit report` in a child, killed for real."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from audit.cli import main
from audit.rules import all_rules
from spiders.items import Heading, Link, PageItem, TextBlock
from tests.conftest import ROOT

PAGES = 15_000  # enough for the report stage to take a second or two
SITE = "https://www.boulangerie-martin.fr"


def _run_dir(tmp: Path, pages: int = PAGES) -> tuple[Path, Path]:
    """A crawled-and-checked run of a synthetic site of ``pages`` pages (only cheap rules
    enabled): its config and run directory."""
    off = "\n".join(f"  {r}: {{enabled: false}}" for r in all_rules()
                    if r not in ("title", "h1", "status-code"))
    config = tmp / "c.yaml"
    config.write_text(f'client: "Boulangerie Martin"\nsite: {{start_urls: ["{SITE}/"]}}\n'
                      f"output: {{dir: out}}\nrules:\n{off}\n", encoding="utf-8")
    run_dir = tmp / "out" / "runs" / "boulangerie-martin" / "20261122-060000"
    run_dir.mkdir(parents=True)
    with open(run_dir / "pages.jsonl", "w", encoding="utf-8") as fh:
        for i in range(pages):
            page = PageItem(
                url=f"{SITE}/produits/{i}.html", status=200, is_html=True,
                content_type="text/html", title=f"Pain n°{i} – Boulangerie Martin" * (i % 3),
                headings=[Heading(1, f"Pain n°{i}")],
                links=[Link(f"{SITE}/produits/{(i + 1) % pages}.html", "suivant",
                            internal=True)],
                text_blocks=[TextBlock("p", "Un pain au levain cuit au feu de bois.")])
            fh.write(json.dumps(page.to_dict(), ensure_ascii=False) + "\n")
    (run_dir / "crawl.json").write_text(json.dumps({
        "status": "complete", "config": str(config), "finished_at": "2026-11-22T06:10:00+00:00",
        "pages": pages, "seconds": 60}), encoding="utf-8")
    assert main(["check", str(run_dir), "-q"]) == 0
    return config, run_dir


@pytest.fixture(scope="module")
def checked_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("checked")
    _run_dir(tmp)
    return tmp


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_report_killed_while_writing(checked_run: Path, tmp_path: Path,
                                     sig: signal.Signals) -> None:
    shutil.copytree(checked_run, tmp_path, dirs_exist_ok=True)
    (tmp_path / "c.yaml").touch()
    run_dir = next((tmp_path / "out" / "runs" / "boulangerie-martin").iterdir())
    crawl = json.loads((run_dir / "crawl.json").read_text())
    crawl["config"] = str(tmp_path / "c.yaml")  # this copy's config
    (run_dir / "crawl.json").write_text(json.dumps(crawl))
    out = tmp_path / "out"
    child = subprocess.Popen([sys.executable, "-m", "audit.cli", "report", str(run_dir), "-q"],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # Kill it once the workbook is being written (its temporary file exists).
    deadline = time.monotonic() + 120
    while not list(out.glob(".*.xlsx.*.part")):
        assert child.poll() is None, "the report ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    child.send_signal(sig)
    child.wait(timeout=60)
    assert not list(out.glob("*.xlsx")) and not list(out.glob("*.json"))
    leftovers = list(out.glob(".*.part"))
    if sig == signal.SIGTERM:  # unwound: temporary files removed too
        assert leftovers == []
    with sqlite3.connect(out / "history.sqlite") as db:
        assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 0

    assert main(["report", str(run_dir), "-q"]) == 0  # the same stage, again: complete
    (xlsx,) = out.glob("*.xlsx")
    assert xlsx.stat().st_size > 100_000
    with sqlite3.connect(out / "history.sqlite") as db:
        assert db.execute("SELECT count(*) FROM page_scores").fetchone()[0] == PAGES
