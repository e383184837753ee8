"""The report stage when writing fails (a full disk) or the history is corrupted: one
clear line, the previous report intact, nothing half-written (issue 20)."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from audit.cli import main
from tests.conftest import ROOT
from tests.test_faults import _run_dir

SITE = "https://www.boulangerie-martin.fr"
PAGES = 300


def _checked_run(tmp: Path) -> tuple[Path, Path]:
    """A crawled-and-checked run of a small synthetic site; its output folder."""
    _config, run_dir = _run_dir(tmp, PAGES)
    return run_dir, tmp / "out"


def _report(run_dir: Path, max_file_bytes: int | None = None,
            stage: str = "report") -> subprocess.CompletedProcess:
    def limit() -> None:  # in the child: files may not grow past the limit (EFBIG)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    return subprocess.run([sys.executable, "-m", "audit.cli", stage, str(run_dir), "-q"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          preexec_fn=limit if max_file_bytes else None)


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()
            and not p.name.startswith("history.sqlite")}


def _assert_clean_failure(done: subprocess.CompletedProcess, out: Path,
                          before: dict[str, bytes]) -> None:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "could not write the report" in lines[0], done.stderr
    assert "previous report is unchanged" in lines[0] and "seo-audit report" in lines[0]
    assert _files(out) == before  # the previous workbook and JSON, byte for byte
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


def _runs_in_history(out: Path) -> int:
    with closing(sqlite3.connect(out / "history.sqlite")) as db:
        return db.execute("SELECT count(*) FROM runs").fetchone()[0]


def test_files_that_cannot_grow_leave_the_previous_report(tmp_path: Path) -> None:
    """Any write failing (here: the file-size limit, EFBIG, on every file of the child)."""
    run_dir, out = _checked_run(tmp_path)
    assert _report(run_dir).returncode == 0
    before = _files(out)
    assert {Path(n).suffix for n in before} == {".xlsx", ".json"}
    # 100 KB: the history (≈ 45 KB) and the workbook (≈ 40 KB) can be written, the JSON
    # (≈ 160 KB) cannot: the new workbook must not land without its JSON.
    size = {Path(n).suffix: len(b) for n, b in before.items()}
    assert size[".xlsx"] < 100_000 < size[".json"]
    _assert_clean_failure(_report(run_dir, max_file_bytes=100_000), out, before)
    assert _runs_in_history(out) == 1  # the first report's run only
    assert _report(run_dir).returncode == 0  # space back: written again


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root; "
                    "test_files_that_cannot_grow_leave_the_previous_report covers the code")
def test_a_full_disk_leaves_the_previous_report(tmp_path: Path) -> None:
    """ENOSPC for real: the output folder on a 3 MB tmpfs, filled once a report is there."""
    run_dir, _out = _checked_run(tmp_path)
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)],
                      capture_output=True).returncode != 0:
        pytest.skip("mount -t tmpfs refused (a container without the capability)")
    try:
        crawl = json.loads((run_dir / "crawl.json").read_text())
        config = Path(crawl["config"])
        config.write_text(config.read_text().replace("output: {dir: out}",
                                                     f"output: {{dir: {disk}}}"))
        assert main(["report", str(run_dir), "-q"]) == 0
        before = _files(disk)
        filler = disk / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:  # everything left but a few KB
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        os.truncate(filler, max(0, filler.stat().st_size - 16_384))
        _assert_clean_failure(_report(run_dir), disk, before | {"filler": filler.read_bytes()})
        filler.unlink()  # (reading a WAL database needs a little space too)
        assert _runs_in_history(disk) == 1
        assert _report(run_dir).returncode == 0
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_corrupted_history_is_set_aside_and_the_report_written(tmp_path: Path) -> None:
    run_dir, out = _checked_run(tmp_path)
    (out / "history.sqlite").write_bytes(b"ceci n'est pas une base SQLite " * 200)
    done = _report(run_dir)
    assert done.returncode == 0, done.stderr
    assert len(list(out.glob("*.xlsx"))) == 1
    (aside,) = out.glob("history.sqlite.corrupt-*")
    assert aside.read_bytes().startswith(b"ceci n'est pas")  # kept, never deleted
    with closing(sqlite3.connect(out / "history.sqlite")) as db:  # a new one, this run in it
        assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    (report,) = out.glob("*.json")
    notes = json.dumps(json.loads(report.read_text(encoding="utf-8"))["summary"]["notes"],
                       ensure_ascii=False)
    assert "mis de côté" in notes  # the report's language (French)


def test_the_check_stage_refused_a_write_says_so_in_one_line(tmp_path: Path) -> None:
    run_dir, _out = _checked_run(tmp_path)
    before = {p.name: p.read_bytes() for p in run_dir.iterdir() if p.is_file()}
    done = _report(run_dir, max_file_bytes=20_000, stage="check")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "could not write" in lines[0] and "File too large" in lines[0]
    after = {p.name: p.read_bytes() for p in run_dir.iterdir() if p.is_file()}
    assert after == before  # the earlier check's files, byte for byte; no .part left


def test_a_torn_last_page_record_is_skipped_and_said_once(tmp_path: Path) -> None:
    """A run directory whose pages.jsonl ends in a half-written line: checked and
    reported, the torn record counted and named in the Summary's notes (a limit of the
    audit, not a finding)."""
    run_dir, out = _checked_run(tmp_path)
    pages = run_dir / "pages.jsonl"
    lines = pages.read_bytes().splitlines(keepends=True)
    pages.write_bytes(b"".join(lines[:-1]) + lines[-1][: len(lines[-1]) // 2])
    assert main(["check", str(run_dir), "-q"]) == 0
    check = json.loads((run_dir / "check.json").read_text(encoding="utf-8"))
    assert check["pages"] == PAGES - 1 and check["bad_lines"] == 1
    assert _report(run_dir).returncode == 0
    (report,) = out.glob("*.json")
    data = json.loads(report.read_text(encoding="utf-8"))
    notes = [n for n in data["summary"]["notes"] if "pages.jsonl" in n]
    assert len(notes) == 1 and notes[0].startswith("1 enregistrement")
    assert not [f for f in data["findings"] if "pages.jsonl" in json.dumps(f)]
