"""Shared fixtures: real HTTP servers on loopback addresses serving fixture sites."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from audit import pipeline
from audit.config import load
from audit.demo.server import SiteServer
from audit.rule import Finding
from audit.runner import build_rules, read_pages, run_checks
from spiders.items import PageItem

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent
REDIS = shutil.which("redis-server")


@pytest.fixture(scope="module")
def other_site() -> Iterator[SiteServer]:
    """Another site, on another loopback address: must never be crawled."""
    with SiteServer(FIXTURES / "other", host="127.0.0.2") as server:
        yield server


@pytest.fixture(scope="module")
def bakery_site(other_site: SiteServer) -> Iterator[SiteServer]:
    """The fixture bakery site on 127.0.0.1; links to the other site as {{other}}."""
    with SiteServer(FIXTURES / "site", replacements={"{{other}}": other_site.origin}) as server:
        yield server


def write_config(path: Path, start_url: str, extra: str = "") -> Path:
    path.write_text(
        f'client: "Boulangerie Martin"\nsite:\n  start_urls: ["{start_url}"]\n'
        f"  concurrency: 4\n{extra}output: {{dir: out}}\n", encoding="utf-8")
    return path


@dataclass
class Audited:
    """A real crawl of a fixture site, checked by some rules."""

    run_dir: Path
    pages: dict[str, PageItem]  # by URL
    findings: list[Finding]


def crawl_and_check(config: Path, rules: Collection[str]) -> Audited:
    """Crawl with the real spider (its child process), then run only ``rules``."""
    cfg = load(config)
    run_dir = pipeline.new_run_dir(cfg)
    pipeline.crawl(config, cfg, run_dir)
    run_checks(run_dir, cfg, [r for r in build_rules(cfg) if r.id in rules])
    findings = [Finding.from_dict(json.loads(line)) for line in
                (run_dir / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    return Audited(run_dir, {p.url: p for p in read_pages(run_dir / "pages.jsonl")}, findings)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private redis-server on 127.0.0.1 (no persistence, a free port)."""
    if REDIS is None:
        pytest.skip("redis-server is not installed (make system-deps, or apt-get install "
                    "redis-server): the distributed-crawl tests need it")
    home = tmp_path_factory.mktemp("redis")
    port = _free_port()
    assert REDIS is not None
    proc = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(home)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("redis-server did not start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
