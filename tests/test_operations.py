"""Operations: batches of clients, one run at a time per client, run history and what
changed, pruning old runs — through the real command, real crawls and real processes."""

from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from audit.cli import main
from audit.demo.server import SiteServer
from audit.lock import client_lock
from tests.conftest import FIXTURES, ROOT, write_config

pytestmark = pytest.mark.crawl


@pytest.fixture()
def bakery_copy(tmp_path: Path, other_site: SiteServer) -> Iterator[tuple[Path, SiteServer]]:
    """The bakery site served from a copy the test may edit between two runs."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "site", root)
    with SiteServer(root, replacements={"{{other}}": other_site.origin}) as server:
        yield root, server


def _report(out: Path) -> dict:
    (path,) = sorted(out.glob("*.json"))
    return json.loads(path.read_text(encoding="utf-8"))


def test_second_run_shows_what_changed(bakery_copy: tuple[Path, SiteServer],
                                       tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    root, server = bakery_copy
    config = write_config(tmp_path / "c.yaml", server.origin + "/")
    assert main(["run", str(config), "-q"]) == 0
    first = _report(tmp_path / "out")
    assert first["changes"] is None and len(first["trend"]) == 1

    # The baker gives the opening hours page a title and one h1, and adds a page.
    page = root / "horaires.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        '<head><meta charset="utf-8">',
        '<head><meta charset="utf-8"><title>Horaires d’ouverture de la boulangerie Martin</title>')
        .replace("<h1>Ouverture</h1>", "<h2>Ouverture</h2>")
        .replace("</body>", '<p><a href="/galettes.html">Nos galettes des rois</a></p></body>'),
        encoding="utf-8")
    (root / "galettes.html").write_text(
        "<!DOCTYPE html><html lang='fr'><head><title>Galettes des rois à la frangipane – "
        "Boulangerie Martin</title></head><body><h1>Galettes des rois</h1><p>En janvier, "
        "nos galettes à la frangipane sont cuites chaque matin.</p></body></html>",
        encoding="utf-8")
    assert main(["run", str(config), "-q"]) == 0
    second = _report(tmp_path / "out")
    changes = second["changes"]
    horaires = server.origin + "/horaires.html"
    fixed = {(r["rule"], r["code"], r["url"]) for r in changes["fixed_findings"]["rows"]}
    assert ("title", "missing", horaires) in fixed and ("h1", "multiple", horaires) in fixed
    assert [r["url"] for r in changes["pages_added"]["rows"]] == [server.origin + "/galettes.html"]
    assert changes["pages_removed"]["count"] == 0
    moved = {r["url"]: r for r in changes["page_scores"]["rows"]}
    assert moved[horaires]["now"] > moved[horaires]["before"]
    assert changes["scores"]["seo"]["now"] > changes["scores"]["seo"]["before"]
    assert len(second["trend"]) == 2

    (xlsx,) = (tmp_path / "out").glob("*.xlsx")  # same day: the same file, rewritten
    wb = load_workbook(xlsx)
    assert wb.sheetnames[:2] == ["Synthèse", "Évolution"]
    texts = [c.value for row in wb["Évolution"].iter_rows() for c in row if c.value]
    assert any(str(t).startswith("Constats corrigés (") for t in texts)
    # Rises drawn in an explicit green, falls in red: no palette colour ([Color10]) that
    # LibreOffice draws near-white.
    deltas = [c for row in wb["Évolution"].iter_rows(min_col=4, max_col=4) for c in row
              if isinstance(c.value, int | float) and c.value != 0]
    assert deltas and all("Color" not in c.number_format for c in deltas)
    assert {c.font.color.rgb[-6:] for c in deltas if c.value > 0} == {"006100"}
    assert wb["Synthèse"]._charts and len(wb["Synthèse"]._charts) == 2  # bars and trend

    capsys.readouterr()
    assert main(["history", str(config)]) == 0
    out = capsys.readouterr().out
    assert "2 run(s)" in out and out.count("█") > 0

    # Reporting the last run again replaces it in the history: still two runs.
    run_dir = max(p for p in (tmp_path / "out" / "runs" / "boulangerie-martin").iterdir()
                  if p.is_dir())
    assert main(["report", str(run_dir), "-q"]) == 0
    with sqlite3.connect(tmp_path / "out" / "history.sqlite") as db:
        assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 2


def test_batch_runs_every_client_and_summarises(bakery_site: SiteServer, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    clients = tmp_path / "configs"
    clients.mkdir()
    write_config(clients / "boulangerie.yaml", bakery_site.origin + "/")
    (clients / "cassee.yaml").write_text("client: Cassée\nsite: {start_urls: [pas-une-url]}\n",
                                         encoding="utf-8")
    shutil.copy(ROOT / "configs" / "example.yaml", clients / "example.yaml")  # skipped
    assert main(["batch", str(clients), "--out", str(tmp_path / "out"), "-q"]) == 1
    assert len(list((tmp_path / "out").glob("boulangerie-martin-*.xlsx"))) == 1
    # All succeed, one under the threshold: 3.
    (clients / "cassee.yaml").unlink()
    assert main(["batch", str(clients), "--out", str(tmp_path / "out"), "--fail-under", "99",
                 "-q"]) == 3


def test_one_run_at_a_time_and_a_dead_holder_does_not_block(bakery_site: SiteServer,
                                                            tmp_path: Path) -> None:
    config = write_config(tmp_path / "c.yaml", bakery_site.origin + "/")
    lock = tmp_path / "out" / "runs" / "boulangerie-martin" / ".lock"
    with client_lock(lock):
        assert main(["run", str(config), "-q"]) == 1  # refused while another run holds it
    assert not list((tmp_path / "out").glob("*.xlsx"))

    # A run killed with SIGKILL leaves the file behind, never the lock.
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from audit.lock import client_lock
        with client_lock(Path({str(lock)!r})):
            print("locked", flush=True)
            time.sleep(120)
        """)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    assert main(["run", str(config), "-q"]) == 1
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert json.loads(lock.read_text())["pid"] == holder.pid  # the file is still there
    assert main(["run", str(config), "-q"]) == 0
    assert (next(p for p in lock.parent.iterdir() if p.is_dir()) / "audit.log").stat().st_size


def test_output_keep_prunes_old_runs_and_reports(bakery_site: SiteServer, tmp_path: Path
                                                 ) -> None:
    config = write_config(tmp_path / "c.yaml", bakery_site.origin + "/",
                          "")
    config.write_text(config.read_text().replace("output: {dir: out}",
                                                 "output: {dir: out, keep: 2}"))
    out = tmp_path / "out"
    runs = out / "runs" / "boulangerie-martin"
    # Two older runs and their reports, as earlier days left them.
    for day, stamp in (("2026-11-20", "20261120-060000"), ("2026-11-21", "20261121-060000")):
        (runs / stamp).mkdir(parents=True)
        for suffix in (".xlsx", ".json"):
            (out / f"boulangerie-martin-{day}{suffix}").write_text("old")
    (out / "notes-du-consultant.xlsx").write_text("not ours")
    assert main(["run", str(config), "-q"]) == 0
    assert sorted(p.name for p in runs.iterdir() if p.is_dir())[0] == "20261121-060000"
    assert len([p for p in runs.iterdir() if p.is_dir()]) == 2
    assert not (out / "boulangerie-martin-2026-11-20.xlsx").exists()
    assert (out / "boulangerie-martin-2026-11-21.json").exists()
    assert (out / "notes-du-consultant.xlsx").exists()
