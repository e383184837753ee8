"""Shared fixtures: real HTTP servers on loopback addresses serving fixture sites."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from audit.demo.server import SiteServer

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent


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
