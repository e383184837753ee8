"""Atomic writes: the target appears complete or not at all, with ordinary permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from audit.atomic import atomic_text


def test_complete_file_appears_with_umask_permissions(tmp_path: Path) -> None:
    target = tmp_path / "rapport.json"
    with atomic_text(target) as fh:
        fh.write("{}")
        assert not target.exists()
    assert target.read_text() == "{}"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_failure_leaves_previous_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "rapport.json"
    target.write_text("ancien")
    with pytest.raises(RuntimeError), atomic_text(target) as fh:
        fh.write("à moitié")
        raise RuntimeError("panne")
    assert target.read_text() == "ancien"
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.json"]
