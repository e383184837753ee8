"""One crawl split between two real crawler processes through a real redis-server.

The site answers slowly so that both workers take part; the server's request log says
each page was fetched once, and the merged run reports like a single-process run.
"""

from __future__ import annotations

import json
import socket
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from audit import pipeline
from audit.cli import main
from audit.config import load, rule_settings
from audit.merge import merge_workers
from audit.rules import all_rules
from spiders.resume import read_jsonl
from tests.test_resume import SlowSiteServer, make_site

pytestmark = pytest.mark.crawl

pytest.importorskip("scrapy_redis", reason="scrapy-redis: pip install -e '.[distributed]'")


@pytest.fixture(scope="module")
def slow_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SlowSiteServer]:
    root = make_site(tmp_path_factory.mktemp("dist") / "site")
    with SlowSiteServer(root, delay=0.1) as server:
        yield server


def _config(tmp: Path, server: SlowSiteServer) -> Path:
    path = tmp / "client.yaml"
    path.write_text(f'client: "Boulangerie Martin"\nsite:\n  start_urls: ["{server.origin}/"]\n'
                    "  concurrency: 2\n  delay: 0\noutput: {dir: out}\n", encoding="utf-8")
    return path


def _report_pages(run_dir: Path, config: Path, out: Path) -> list[dict]:
    cfg = load(config)
    settings = rule_settings(cfg, all_rules())
    pipeline.check(run_dir, cfg, settings)
    data = json.loads(pipeline.report(run_dir, cfg, settings, out).json.read_text())
    for page in data["pages"]:
        page.pop("response_time", None)
    return sorted(data["pages"], key=lambda p: p["url"])


def test_two_workers_split_one_crawl(redis_url: str, slow_site: SlowSiteServer,
                                     tmp_path: Path) -> None:
    config = _config(tmp_path, slow_site)
    cfg = load(config)

    single = pipeline.new_run_dir(cfg)
    pipeline.crawl(config, cfg, single)

    run_dir = pipeline.new_run_dir(cfg)
    before = len(slow_site.requests)
    summary = pipeline.crawl_distributed(config, cfg, run_dir, redis_url, workers=2)

    assert summary["status"] == "complete"
    per_worker = {w: [p["url"] for p in read_jsonl(run_dir / f"pages-{w}.jsonl")]
                  for w in ("w1", "w2")}
    assert all(per_worker.values()), f"both workers crawled: {per_worker}"
    fetched = Counter(p for p in slow_site.requests[before:] if p != "/robots.txt")
    assert [p for p, n in fetched.items() if n > 1] == [], "every page fetched once"
    merged = [p["url"] for p in read_jsonl(run_dir / "pages.jsonl")]
    assert len(merged) == len(set(merged)) == summary["pages"]
    single_urls = {p["url"] for p in read_jsonl(single / "pages.jsonl")}
    assert set(merged) == single_urls
    assert _report_pages(run_dir, config, tmp_path / "o1") == \
        _report_pages(single, config, tmp_path / "o2")


def test_page_budget_shared(redis_url: str, slow_site: SlowSiteServer, tmp_path: Path) -> None:
    config = _config(tmp_path, slow_site)
    config.write_text(config.read_text().replace("  delay: 0\n", "  delay: 0\n  max_pages: 7\n"))
    cfg = load(config)
    run_dir = pipeline.new_run_dir(cfg)
    summary = pipeline.crawl_distributed(config, cfg, run_dir, redis_url, workers=2)
    assert summary["pages"] == 7 and summary["budget_reached"] is True


def test_merge_refuses_unfinished_workers(tmp_path: Path) -> None:
    (tmp_path / "pages-w1.jsonl").write_text("")
    (tmp_path / "pages-w2.jsonl").write_text("")
    (tmp_path / "crawl-w1.json").write_text(json.dumps({"status": "complete"}))
    with pytest.raises(pipeline.RunDirError, match="workers not finished: w2"):
        merge_workers(tmp_path)
    assert main(["-q", "merge", str(tmp_path)]) == 1
    assert not (tmp_path / "crawl.json").exists() and not (tmp_path / "pages.jsonl").exists()
    (tmp_path / "crawl-w2.json").write_text(json.dumps({"status": "complete"}))
    assert main(["-q", "merge", str(tmp_path)]) == 0
    assert pipeline.crawl_status(tmp_path) == "complete"


def test_cli_run_with_redis(redis_url: str, slow_site: SlowSiteServer, tmp_path: Path) -> None:
    config = _config(tmp_path, slow_site)
    assert main(["-q", "run", str(config), "--redis", redis_url, "--workers", "2"]) == 0
    (run_dir,) = [p for p in (tmp_path / "out" / "runs" / "boulangerie-martin").iterdir()
                  if p.is_dir()]  # the lock file aside
    assert {p.name for p in run_dir.glob("crawl*.json")} == {
        "crawl.json", "crawl-w1.json", "crawl-w2.json"}
    assert (run_dir / "check.json").exists()


def test_start_redirect_host_shared_between_workers(redis_url: str, tmp_path: Path) -> None:
    from audit.demo.server import SiteServer

    www_root = make_site(tmp_path / "www")
    apex_root = tmp_path / "apex"
    apex_root.mkdir()
    with SlowSiteServer(www_root, delay=0.05, host="127.0.0.2") as www:
        (apex_root / "_redirects").write_text(f"/ {www.origin}/ 301\n")
        with SiteServer(apex_root) as apex:
            config = _config(tmp_path, apex)  # type: ignore[arg-type]
            cfg = load(config)
            run_dir = pipeline.new_run_dir(cfg)
            summary = pipeline.crawl_distributed(config, cfg, run_dir, redis_url, workers=2)
            fetched = Counter(p for p in www.requests if p != "/robots.txt")
            single = pipeline.new_run_dir(cfg)
            pipeline.crawl(config, cfg, single)
    pages = {p["url"]: p["status"] for p in read_jsonl(run_dir / "pages.jsonl")}
    assert "127.0.0.2" in summary["hosts"]
    assert pages[www.origin + "/p39.html"] == 200 and pages[www.origin + "/orphan.html"] == 200
    assert pages == {p["url"]: p["status"] for p in read_jsonl(single / "pages.jsonl")}
    assert max(fetched.values()) == 1, fetched


def test_unreachable_redis_fails_clearly(slow_site: SlowSiteServer, tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = _config(tmp_path, slow_site)
    cfg = load(config)
    with pytest.raises(pipeline.CrawlFailed, match=r"w1 \(exit 1: .*Error"):
        pipeline.crawl_distributed(config, cfg, pipeline.new_run_dir(cfg),
                                   f"redis://127.0.0.1:{port}/0", workers=1)
