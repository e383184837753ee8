"""Write files so that a crash never leaves a half-written one looking complete."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` on success.

    On any exception the temporary file is removed and ``target`` is left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    # mkstemp makes the file private (0600); a report is an ordinary file: 0666 minus umask.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


@contextlib.contextmanager
def atomic_text(target: str | Path) -> Iterator[IO[str]]:
    """Open a text file for writing that appears at ``target`` only when complete."""
    with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        yield fh


@contextlib.contextmanager
def atomic_files(*targets: str | Path) -> Iterator[list[Path]]:
    """Temporary paths beside ``targets``, renamed over them together when the block
    succeeds: the workbook and the JSON of a report land as a pair or not at all (a full
    disk while writing the second leaves both previous files as they were)."""
    stack = contextlib.ExitStack()
    with stack:
        paths = [stack.enter_context(atomic_path(t)) for t in targets]
        yield paths
