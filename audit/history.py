"""Run history per output folder (SQLite): scores, page scores and finding keys of every
reported run, and what changed since the previous run of the same client.

``<output>/history.sqlite`` holds every client reported into that folder. A run is
keyed by its run directory: reporting a run again replaces its rows. The current run is
recorded inside a transaction that the caller commits only once the workbook and JSON
are written, so a failed report leaves no trace in the history either.

Comparisons run in SQL (set differences on indexed keys), so a 100,000-page site does
not load two runs' findings into memory.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from audit.report.model import ReportData

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    client TEXT NOT NULL,          -- the config's slug
    run_dir TEXT NOT NULL UNIQUE,
    generated_at TEXT NOT NULL,    -- ISO-8601 UTC
    pages INTEGER, html_pages INTEGER,
    seo REAL, sea REAL, smo REAL, sem REAL,
    errors INTEGER, warnings INTEGER, notices INTEGER
);
CREATE INDEX IF NOT EXISTS runs_client ON runs (client, generated_at);
CREATE TABLE IF NOT EXISTS page_scores (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    url TEXT NOT NULL, status INTEGER, score REAL,
    PRIMARY KEY (run_id, url)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS findings (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    rule TEXT NOT NULL, code TEXT NOT NULL,
    url TEXT NOT NULL,             -- the key: a path on the site, //host/path elsewhere
    severity TEXT NOT NULL,
    shown TEXT,                    -- the URL as the run met it (NULL: the key is enough)
    PRIMARY KEY (run_id, rule, code, url)
) WITHOUT ROWID;
"""
# user_version 1: other hosts' URLs keyed without scheme and port (a referring site on
# http then https, a loopback server on a new port each run, is the same page).
SCHEMA_VERSION = 1
CATEGORIES = ("seo", "sea", "smo", "sem")
MAX_LISTED = 2000  # rows of each Changes section (the counts are exact)


@dataclass
class TrendPoint:
    generated_at: str
    scores: dict[str, float | None]


@dataclass
class Listing:
    """A capped list of rows and the exact count behind it."""

    rows: list[tuple] = field(default_factory=list)
    count: int = 0


@dataclass
class Changes:
    """What changed between the previous run of the client and this one."""

    previous_at: str
    scores: dict[str, tuple[float | None, float | None]]  # category -> (before, now)
    new_findings: Listing  # (rule, code, url, severity)
    fixed_findings: Listing  # (rule, code, url, severity)
    gone_findings: Listing  # (rule, code, url, severity): their page is not in this run
    pages_added: Listing  # (url, status, score)
    pages_removed: Listing  # (url, status, score)
    page_scores: Listing  # (url, before, now), biggest moves first


class History:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT).
        self.db = sqlite3.connect(path, timeout=60, isolation_level=None)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA journal_mode = WAL")  # readers never block the writer
        self.db.executescript(SCHEMA)
        self.origin = ""
        self._migrate()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return
        self.db.execute("BEGIN IMMEDIATE")
        columns = {r[1] for r in self.db.execute("PRAGMA table_info(findings)")}
        if "shown" not in columns:
            self.db.execute("ALTER TABLE findings ADD COLUMN shown TEXT")
        rows = self.db.execute("SELECT run_id, rule, code, url FROM findings "
                               "WHERE url LIKE '%://%'").fetchall()
        for run_id, rule, code, url in rows:
            self.db.execute("UPDATE OR IGNORE findings SET url = ?, shown = ? WHERE run_id = ? "
                            "AND rule = ? AND code = ? AND url = ?",
                            (_elsewhere(url), url, run_id, rule, code, url))
        self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    def has_run(self, run_dir: Path) -> bool:
        """The run's report was written (recorded in the same transaction)."""
        return self.db.execute("SELECT 1 FROM runs WHERE run_dir = ?",
                               (str(run_dir),)).fetchone() is not None

    @contextmanager
    def recording(self) -> Iterator[None]:
        """One transaction: committed if the block ends normally, else rolled back."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def record(self, client: str, run_dir: Path, data: ReportData, at: str,
               origin: str = "") -> int:
        """Store the run (replacing an earlier report of the same run dir) as of ``at``
        (ISO-8601: when its crawl ended); its id. URLs of ``origin`` (the site's) are
        stored as paths: the demo's port changes at every run, a staging host may
        differ from production."""
        self.origin = origin
        s = data.summary
        self.db.execute("DELETE FROM runs WHERE run_dir = ?", (str(run_dir),))
        cur = self.db.execute(
            "INSERT INTO runs (client, run_dir, generated_at, pages, html_pages, seo, sea, "
            "smo, sem, errors, warnings, notices) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (client, str(run_dir), at, s.pages, s.html_pages,
             *(s.scores.get(c) for c in CATEGORIES),
             *(s.findings.get(k, 0) for k in ("error", "warning", "notice"))))
        run_id = int(cur.lastrowid or 0)
        self.db.executemany(
            "INSERT OR REPLACE INTO page_scores VALUES (?,?,?,?)",
            ((run_id, self._key(p.url), p.status, p.score) for p in data.pages()))
        self.db.executemany(
            "INSERT OR IGNORE INTO findings VALUES (?,?,?,?,?,?)",
            ((run_id, f.rule, f.code, key, str(f.severity), None if key == f.url else f.url)
             for f in (data.finding_keys or data.findings)() if f.code != "rule-failed"
             for key in (self._key(f.url),)))
        return run_id

    def _key(self, url: str) -> str:
        if self.origin and url.startswith(self.origin) and \
                url[len(self.origin):len(self.origin) + 1] in ("", "/", "?"):
            return url[len(self.origin):] or "/"
        return _elsewhere(url) if "://" in url else url

    def _url(self, key: str) -> str:
        return self.origin + key if key.startswith("/") and not key.startswith("//") else key

    def previous(self, client: str, run_id: int) -> tuple[int, str] | None:
        row = self.db.execute(
            "SELECT id, generated_at FROM runs WHERE client = ? AND id != ? AND generated_at <= "
            "(SELECT generated_at FROM runs WHERE id = ?) ORDER BY generated_at DESC, id DESC "
            "LIMIT 1", (client, run_id, run_id)).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def _scores(self, run_id: int) -> dict[str, float | None]:
        row = self.db.execute(f"SELECT {', '.join(CATEGORIES)} FROM runs WHERE id = ?",
                              (run_id,)).fetchone()
        return dict(zip(CATEGORIES, row, strict=True)) if row else {}

    def _listing(self, sql: str, args: Iterable[object], url_at: int) -> Listing:
        rows = self.db.execute(sql, tuple(args)).fetchall()
        return Listing([tuple(self._url(v) if i == url_at else v for i, v in enumerate(r))
                        for r in rows[:MAX_LISTED]], len(rows))

    def changes(self, client: str, run_id: int) -> Changes | None:
        prev = self.previous(client, run_id)
        if prev is None:
            return None
        old, previous_at = prev
        before, now = self._scores(old), self._scores(run_id)
        diff = ("SELECT rule, code, coalesce(shown, url), severity FROM findings "
                "WHERE run_id = ? AND (rule, code, url) NOT IN (SELECT rule, code, url "
                "FROM findings WHERE run_id = ?) {pages} ORDER BY CASE severity "
                "WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, rule, code, url")
        # A finding of a page the new run no longer has is not fixed: it went with its page.
        on_site = "(url LIKE '/%' AND url NOT LIKE '//%')"
        kept = f"AND NOT ({on_site} AND url NOT IN (SELECT url FROM page_scores " \
               "WHERE run_id = ?))"
        gone = f"AND {on_site} AND url NOT IN (SELECT url FROM page_scores WHERE run_id = ?)"
        pages = ("SELECT url, status, score FROM page_scores WHERE run_id = ? AND url NOT IN "
                 "(SELECT url FROM page_scores WHERE run_id = ?) ORDER BY url")
        moved = ("SELECT a.url, a.score, b.score FROM page_scores a JOIN page_scores b "
                 "ON a.url = b.url WHERE a.run_id = ? AND b.run_id = ? AND "
                 "a.score IS NOT NULL AND b.score IS NOT NULL AND abs(a.score - b.score) >= 1 "
                 "ORDER BY abs(a.score - b.score) DESC, a.url")
        return Changes(
            previous_at=previous_at,
            scores={c: (before.get(c), now.get(c)) for c in CATEGORIES},
            new_findings=self._listing(diff.format(pages=""), (run_id, old), 2),
            fixed_findings=self._listing(diff.format(pages=kept), (old, run_id, run_id), 2),
            gone_findings=self._listing(diff.format(pages=gone), (old, run_id, run_id), 2),
            pages_added=self._listing(pages, (run_id, old), 0),
            pages_removed=self._listing(pages, (old, run_id), 0),
            page_scores=self._listing(moved, (old, run_id), 0),
        )

    def trend(self, client: str, limit: int = 12) -> list[TrendPoint]:
        rows = self.db.execute(
            f"SELECT generated_at, {', '.join(CATEGORIES)} FROM runs WHERE client = ? "
            "ORDER BY generated_at DESC, id DESC LIMIT ?", (client, limit)).fetchall()
        return [TrendPoint(r[0], dict(zip(CATEGORIES, r[1:], strict=True)))
                for r in reversed(rows)]


def _elsewhere(url: str) -> str:
    """The key of a URL on another host: ``//host/path?query``, without scheme or port."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return f"//{host}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


def history_path(output_dir: Path) -> Path:
    return output_dir / "history.sqlite"
