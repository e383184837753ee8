"""The run history's comparisons: a rerun with nothing changed shows no change, whatever
port or scheme another host answered on; findings of a page that disappeared are not
"fixed" (issue 17)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from audit.history import History

SITE = "https://www.boulangerie-martin.fr"


def _data(pages: list[str], findings: list[tuple[str, str, str]]) -> Any:
    """The part of ReportData the history reads."""
    summary = SimpleNamespace(pages=len(pages), html_pages=len(pages),
                              scores={"seo": 80.0, "sea": None, "smo": 50.0, "sem": 70.0},
                              findings={"error": len(findings)})
    return SimpleNamespace(
        summary=summary, finding_keys=None,
        pages=lambda: [SimpleNamespace(url=u, status=200, score=80.0) for u in pages],
        findings=lambda: [SimpleNamespace(rule=r, code=c, url=u, severity="warning")
                          for r, c, u in findings])


def _run(history: History, n: int, pages: list[str], findings: list[tuple[str, str, str]],
         tmp: Path) -> Any:
    with history.recording():
        run_id = history.record("boulangerie-martin", tmp / f"run{n}", _data(pages, findings),
                                f"2026-12-0{n}T06:00:00+00:00", SITE)
    return history.changes("boulangerie-martin", run_id)


def test_a_rerun_with_nothing_changed_shows_no_change(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite")
    pages = [f"{SITE}/", f"{SITE}/pains.html"]

    def findings(port: int, scheme: str) -> list[tuple[str, str, str]]:
        # A referring page of a backlink on a server whose port changes at every run,
        # once reached on http, once on https: the same page.
        return [("backlinks", "nofollow", f"{scheme}://127.0.0.2:{port}/partenaires.html"),
                ("title", "too-short", f"{SITE}/pains.html")]

    _run(history, 1, pages, findings(41001, "http"), tmp_path)
    changes = _run(history, 2, pages, findings(52002, "https"), tmp_path)
    assert changes.new_findings.count == 0 and changes.fixed_findings.count == 0
    assert changes.gone_findings.count == 0
    # A real change on the other host is still one.
    changes = _run(history, 3, pages, [
        *findings(52002, "https")[1:],
        ("backlinks", "nofollow", "https://127.0.0.2:52002/annuaire.html")], tmp_path)
    assert [r[2] for r in changes.new_findings.rows] == ["https://127.0.0.2:52002/annuaire.html"]
    assert [r[2] for r in changes.fixed_findings.rows] == [
        "https://127.0.0.2:52002/partenaires.html"]  # shown as the run met it
    history.close()


def test_findings_of_a_page_gone_are_not_fixed(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite")
    _run(history, 1, [f"{SITE}/", f"{SITE}/promo-noel.html"],
         [("title", "too-long", f"{SITE}/promo-noel.html"), ("h1", "missing", f"{SITE}/")],
         tmp_path)
    changes = _run(history, 2, [f"{SITE}/"], [], tmp_path)
    assert [r[:3] for r in changes.fixed_findings.rows] == [("h1", "missing", f"{SITE}/")]
    assert [r[:3] for r in changes.gone_findings.rows] == [
        ("title", "too-long", f"{SITE}/promo-noel.html")]
    assert changes.pages_removed.count == 1
    history.close()


def test_an_older_history_is_migrated_once(tmp_path: Path) -> None:
    """Rows written before other hosts were keyed without scheme and port match new ones."""
    path = tmp_path / "history.sqlite"
    with closing(sqlite3.connect(path)) as db:
        db.executescript("""
            CREATE TABLE runs (id INTEGER PRIMARY KEY, client TEXT NOT NULL,
                run_dir TEXT NOT NULL UNIQUE, generated_at TEXT NOT NULL, pages INTEGER,
                html_pages INTEGER, seo REAL, sea REAL, smo REAL, sem REAL, errors INTEGER,
                warnings INTEGER, notices INTEGER);
            CREATE TABLE page_scores (run_id INTEGER NOT NULL, url TEXT NOT NULL,
                status INTEGER, score REAL, PRIMARY KEY (run_id, url)) WITHOUT ROWID;
            CREATE TABLE findings (run_id INTEGER NOT NULL, rule TEXT NOT NULL,
                code TEXT NOT NULL, url TEXT NOT NULL, severity TEXT NOT NULL,
                PRIMARY KEY (run_id, rule, code, url)) WITHOUT ROWID;
            INSERT INTO runs VALUES (1, 'boulangerie-martin', '/old/run', '2026-11-01T06:00:00',
                1, 1, 80, NULL, 50, 70, 0, 1, 0);
            INSERT INTO page_scores VALUES (1, '/', 200, 80);
            INSERT INTO findings VALUES
                (1, 'backlinks', 'nofollow', 'http://127.0.0.2:41001/partenaires.html', 'warning');
        """)
        db.commit()
    history = History(path)
    changes = _run(history, 2, [f"{SITE}/"], [
        ("backlinks", "nofollow", "https://127.0.0.2:52002/partenaires.html")], tmp_path)
    assert changes.new_findings.count == 0 and changes.fixed_findings.count == 0
    history.close()
