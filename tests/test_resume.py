"""Resume: a real crawl process, killed mid-way (SIGTERM, SIGKILL), then continued.

The site answers slowly (a delay per response) so that the kill lands mid-crawl. The
server's request log says what was fetched twice: after a SIGTERM nothing (Scrapy
finishes the requests in flight), after a SIGKILL only pages that were in flight at the
kill (requested, not yet written to pages.jsonl).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from audit import pipeline
from audit.config import load
from audit.demo.server import SiteServer
from spiders.resume import read_jsonl, trim_torn_line
from tests.conftest import ROOT

pytestmark = pytest.mark.crawl

PAGES = 40
CONCURRENCY = 2


class SlowSiteServer(SiteServer):
    """A SiteServer that waits ``delay`` seconds before each answer (logged on arrival)."""

    def __init__(self, root: Path, delay: float, **kwargs: Any):
        super().__init__(root, **kwargs)
        base = self.httpd.RequestHandlerClass

        def send_response(handler: Any, code: int, message: str | None = None) -> None:
            time.sleep(delay)
            base.send_response(handler, code, message)

        self.httpd.RequestHandlerClass = type("SlowHandler", (base,),
                                              {"send_response": send_response})


def make_site(root: Path) -> Path:
    """PAGES pages in a binary tree (page i links to 2i+1, 2i+2 and home), a sitemap
    listing a few, a redirect, a 404 link: every kind of record the spider writes."""
    root.mkdir()
    for i in range(PAGES):
        links = [f"/p{j}.html" for j in (2 * i + 1, 2 * i + 2) if j < PAGES] + ["/"]
        if i == 3:
            links += ["/moved.html", "/missing.html"]
        body = "".join(f"<a href='{u}'>lien {u}</a> " for u in links)
        name = "index.html" if i == 0 else f"p{i}.html"
        (root / name).write_text(
            f"<!DOCTYPE html><html lang='fr'><head><title>Page {i} de la boulangerie</title>"
            f"</head><body><h1>Page {i}</h1><p>Texte de la page {i}.</p>{body}</body></html>",
            encoding="utf-8")
    (root / "orphan.html").write_text("<html><body><h1>Orpheline</h1></body></html>")
    (root / "_redirects").write_text("/moved.html /p5.html 301\n")
    (root / "robots.txt").write_text("User-agent: *\nSitemap: {{origin}}/sitemap.xml\n")
    urls = "".join(f"<url><loc>{{{{origin}}}}/{n}</loc></url>"
                   for n in ("", "orphan.html", "p30.html", "p39.html"))
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{urls}</urlset>")
    return root


@pytest.fixture(scope="module")
def slow_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlowSiteServer]:
    root = make_site(tmp_path_factory.mktemp("slow") / "site")
    with SlowSiteServer(root, delay=0.15) as server:
        yield server


def _config(tmp: Path, server: SiteServer) -> Path:
    path = tmp / "client.yaml"
    path.write_text(f'client: "Boulangerie Martin"\nsite:\n  start_urls: ["{server.origin}/"]\n'
                    f"  concurrency: {CONCURRENCY}\n  delay: 0\noutput: {{dir: out}}\n",
                    encoding="utf-8")
    return path


def _comparable(run_dir: Path) -> dict[str, tuple]:
    """What a page record says about the site (not when or in which order it was met)."""
    pages = list(read_jsonl(run_dir / "pages.jsonl"))
    return {p["url"]: (p["status"], p["title"], p["redirect_to"], p["error"],
                       sorted(link["url"] for link in p["links"])) for p in pages}


@pytest.fixture(scope="module")
def straight(slow_site: SlowSiteServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("straight")
    config = _config(tmp, slow_site)
    cfg = load(config)
    run_dir = pipeline.new_run_dir(cfg)
    summary = pipeline.crawl(config, cfg, run_dir)
    assert summary["status"] == "complete"
    assert "job" not in {p.name for p in run_dir.iterdir()}, "job state removed when complete"
    return run_dir


def _interrupt(config: Path, run_dir: Path, server: SiteServer, sig: int,
               after: int) -> tuple[set[str], set[str]]:
    """Start the crawl process, send ``sig`` once ``after`` pages are written; return the
    page URLs written and those requested by then (both read once the process is gone)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    before = len(server.requests)
    child = subprocess.Popen([sys.executable, "-m", "spiders.crawl", str(config), str(run_dir),
                              "--no-progress"], env=env, cwd=ROOT)
    pages = run_dir / "pages.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if pages.exists() and pages.read_bytes().count(b"\n") >= after:
            break
        time.sleep(0.02)
    child.send_signal(sig)
    child.wait(timeout=60)
    time.sleep(0.3)  # answers the server was still sleeping on
    trim_torn_line(pages)
    written = {p["url"] for p in read_jsonl(pages)}
    requested = {server.origin + path for path in server.requests[before:]}
    return written, requested


def _resume_and_check(tmp: Path, server: SlowSiteServer, straight: Path, sig: int,
                      expect_state: bool) -> tuple[set[str], Counter]:
    config = _config(tmp, server)
    cfg = load(config)
    run_dir = pipeline.new_run_dir(cfg)
    start = len(server.requests)
    written, requested = _interrupt(config, run_dir, server, sig, after=8)
    total = len(_comparable(straight))
    assert 8 <= len(written) < total, "killed mid-crawl"
    assert pipeline.crawl_status(run_dir) != "complete"
    with pytest.raises(pipeline.RunDirError, match="resume"):
        pipeline.check(run_dir, cfg, {})  # an unfinished crawl is never checked
    assert (run_dir / "job" / "spider.state").exists() is expect_state
    assert (run_dir / "job" / "running").exists() is not expect_state

    summary = pipeline.crawl(config, cfg, run_dir, resume=True)

    assert summary["status"] == "complete" and summary["pages"] == total
    urls = [p["url"] for p in read_jsonl(run_dir / "pages.jsonl")]
    assert [u for u, n in Counter(urls).items() if n > 1] == [], "no page written twice"
    assert _comparable(run_dir) == _comparable(straight)
    entries = [(e["url"], e["sitemap"]) for e in read_jsonl(run_dir / "sitemaps.jsonl")]
    assert len(entries) == len(set(entries)) == 4
    fetched = Counter(server.origin + p for p in server.requests[start:]
                      if p.endswith((".html", "/")))
    in_flight = {u for u in requested - written if u.endswith((".html", "/"))}
    return in_flight, fetched


def test_sigterm_then_resume_fetches_nothing_twice(slow_site: SlowSiteServer, straight: Path,
                                                   tmp_path: Path) -> None:
    in_flight, fetched = _resume_and_check(tmp_path, slow_site, straight, signal.SIGTERM,
                                           expect_state=True)
    # A graceful stop finishes the requests in flight: every page was fetched once.
    assert in_flight == set()
    assert [u for u, n in fetched.items() if n > 1] == []


def test_sigkill_then_resume_refetches_only_pages_in_flight(
        slow_site: SlowSiteServer, straight: Path, tmp_path: Path) -> None:
    in_flight, fetched = _resume_and_check(tmp_path, slow_site, straight, signal.SIGKILL,
                                           expect_state=False)
    twice = {u for u, n in fetched.items() if n > 1}
    assert twice <= in_flight
    # In flight at a kill: the downloads under way (CONCURRENT_REQUESTS) and the answers
    # whose record was not written yet.
    assert len(in_flight) <= 2 * CONCURRENCY, in_flight


def test_resumed_run_reports_like_a_straight_run(slow_site: SlowSiteServer, straight: Path,
                                                 tmp_path: Path) -> None:
    config = _config(tmp_path, slow_site)
    cfg, settings = load(config), None
    from audit.config import rule_settings
    from audit.rules import all_rules

    settings = rule_settings(cfg, all_rules())
    run_dir = pipeline.new_run_dir(cfg)
    _interrupt(config, run_dir, slow_site, signal.SIGTERM, after=5)
    pipeline.crawl(config, cfg, run_dir, resume=True)
    reports = []
    for i, run in enumerate((straight, run_dir)):
        pipeline.check(run, cfg, settings)
        paths = pipeline.report(run, cfg, settings, tmp_path / f"out{i}")
        data = json.loads(paths.json.read_text(encoding="utf-8"))
        for page in data["pages"]:
            page.pop("response_time", None)
        reports.append(sorted(data["pages"], key=lambda p: p["url"]))
    assert reports[0] == reports[1]


def test_cli_resume(slow_site: SlowSiteServer, tmp_path: Path,
                    capsys: pytest.CaptureFixture[str]) -> None:
    from audit.cli import main

    config = _config(tmp_path, slow_site)
    cfg = load(config)
    run_dir = pipeline.new_run_dir(cfg)
    _interrupt(config, run_dir, slow_site, signal.SIGTERM, after=3)
    assert main(["-q", "check", str(run_dir)]) == 1  # refused: not complete
    assert main(["-q", "run", str(config), "--resume"]) == 0  # the last run, continued
    assert pipeline.crawl_status(run_dir) == "complete" and (run_dir / "check.json").exists()
    assert main(["-q", "crawl", str(config), "--resume"]) == 1  # nothing left to resume
    assert main(["-q", "crawl", str(config), "--resume", str(run_dir)]) == 1
    assert "nothing to resume" in capsys.readouterr().err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_external_pages_resumed(slow_site: SlowSiteServer, tmp_path: Path, sig: int) -> None:
    """The external-page queue (duplicates.compare_with) survives: every page is in
    external.jsonl once; after a SIGTERM none was fetched twice."""
    competitor_root = make_site(tmp_path / "competitor")
    with SlowSiteServer(competitor_root, delay=0.15, host="127.0.0.2") as competitor:
        compare = [f"{competitor.origin}/p{i}.html" for i in range(1, 13)]
        config = _config(tmp_path, slow_site)
        config.write_text(config.read_text() + "duplicates:\n"
                          f"  compare_with: {json.dumps(compare)}\n  external_delay: 0\n")
        cfg = load(config)
        run_dir = pipeline.new_run_dir(cfg)
        # Once a few external pages are done (they go one at a time, ahead of the site).
        _interrupt(config, run_dir, slow_site, sig, after=6)
        done_before = [p for p in competitor.requests if p.endswith(".html")]
        assert 0 < len(done_before) < len(compare), "interrupted mid-way through the queue"
        pipeline.crawl(config, cfg, run_dir, resume=True)
        fetched = Counter(p for p in competitor.requests if p.endswith(".html"))
    external = [p["url"] for p in read_jsonl(run_dir / "external.jsonl")]
    assert sorted(external) == sorted(compare)
    if sig == signal.SIGTERM:
        assert max(fetched.values()) == 1, fetched

