"""One run at a time per client: a lock file in the client's runs folder.

The lock is an advisory ``flock`` on ``<output>/runs/<client>/.lock``: the kernel
releases it when the process ends, however it ends (crash, SIGKILL, reboot), so a lock
left by a dead run never blocks the next one — there is nothing stale to clean up.
The file also records who holds it (pid, host, start time) for the message the next
cron run prints.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class LockHeld(RuntimeError):
    """Another run of the same client is in progress."""

    def __init__(self, path: Path, holder: dict[str, object]):
        self.path, self.holder = path, holder
        who = ", ".join(f"{k} {v}" for k, v in holder.items()) or "unknown process"
        super().__init__(f"another audit of this client is running ({who}; lock {path})")


@contextmanager
def client_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockHeld(path, _holder(fd)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(),
            "since": datetime.now(UTC).isoformat(timespec="seconds")}).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(fd: int) -> dict[str, object]:
    try:
        data = json.loads(os.pread(fd, 4096, 0) or b"{}")
        return data if isinstance(data, dict) else {}
    except ValueError:
        return {}
