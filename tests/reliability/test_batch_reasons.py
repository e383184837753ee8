"""A batch says why each client failed, and IPv6 start URLs are audited (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.cli import main
from audit.demo.server import SiteServer
from tests.conftest import FIXTURES, write_config

pytestmark = pytest.mark.crawl


def test_an_ipv6_start_url_is_audited_and_failures_say_why(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    clients = tmp_path / "configs"
    clients.mkdir()
    with SiteServer(FIXTURES / "site", host="::1") as server:
        assert server.origin.startswith("http://[::1]:")
        write_config(clients / "a-boulangerie.yaml", server.origin + "/")
        write_config(clients / "b-port.yaml", "http://127.0.0.1:99999/")
        (clients / "c-cassee.yaml").write_text("client: Cassée\nsite: {start_urls: []}\n",
                                               encoding="utf-8")
        code = main(["batch", str(clients), "--out", str(tmp_path / "out")])
    assert code == 1
    # The summary: the last line of each client, "WARNING <config>: ok | FAILED — why".
    summary = {line.split(" WARNING ", 1)[1].split(":", 1)[0].rsplit("/", 1)[-1]: line
               for line in capfd.readouterr().err.splitlines()
               if f" WARNING {clients}/" in line}
    assert summary["a-boulangerie.yaml"].endswith(": ok")  # crawled over IPv6
    assert len(list((tmp_path / "out").glob("boulangerie-martin-*.xlsx"))) == 1
    port = summary["b-port.yaml"]
    assert "FAILED — " in port and "b-port.yaml:3" in port and "site.start_urls" in port
    assert "out of range" in port
    broken = summary["c-cassee.yaml"]
    assert "FAILED — " in broken and "c-cassee.yaml:2" in broken and "start_urls" in broken
