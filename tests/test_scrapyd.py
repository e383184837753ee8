"""The spider, unchanged, on a real Scrapyd: egg built by scrapyd-deploy, deployed and
scheduled through Scrapyd's HTTP API (addversion.json, schedule.json, listjobs.json)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from audit.demo.server import SiteServer
from spiders.resume import read_jsonl
from tests.conftest import ROOT, write_config

pytestmark = pytest.mark.crawl

requests = pytest.importorskip("requests", reason="dev extras: pip install -e '.[dev]'")
pytest.importorskip("scrapyd", reason="Scrapyd is in the dev extras: pip install -e '.[dev]'")
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_egg(tmp: Path) -> Path:
    """The project's egg, built as `scrapyd-deploy` builds it, from a copy of the project
    (scrapyd-deploy writes setup.py, build/ and *.egg-info where it runs)."""
    project = tmp / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("audit", "spiders"):
        shutil.copytree(ROOT / package, project / package, ignore=ignore)
    shutil.copy(ROOT / "scrapy.cfg", project / "scrapy.cfg")
    egg = tmp / "seo_audit.egg"
    subprocess.run([str(BIN / "scrapyd-deploy"), f"--build-egg={egg}"], cwd=project,
                   check=True, capture_output=True)
    return egg


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("scrapyd")
    port = _free_port()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\npoll_interval = 0.2\n"
        "max_proc = 2\neggs_dir = eggs\nlogs_dir = logs\ndbs_dir = dbs\nitems_dir =\n")
    log = open(home / "scrapyd.out", "w")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen([str(BIN / "scrapyd")], cwd=home, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(url + "/daemonstatus.json", timeout=1) as r:
                    if json.load(r)["status"] == "ok":
                        break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"Scrapyd did not start: {(home / 'scrapyd.out').read_text()}")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_spider_runs_on_scrapyd(scrapyd: str, bakery_site: SiteServer, tmp_path: Path) -> None:
    egg = build_egg(tmp_path)
    with open(egg, "rb") as fh:
        added = requests.post(scrapyd + "/addversion.json",
                              data={"project": "seo_audit", "version": "1"},
                              files={"egg": fh}, timeout=30).json()
    assert added["status"] == "ok" and added["spiders"] == 1, added
    config = write_config(tmp_path / "client.yaml", bakery_site.origin + "/")
    run_dir = tmp_path / "run"
    before = len(bakery_site.requests)
    # Extra fields become spider arguments (-a), `setting` fields Scrapy settings (-s).
    job = requests.post(scrapyd + "/schedule.json", timeout=30, data={
        "project": "seo_audit", "spider": "site", "config": str(config),
        "run_dir": str(run_dir), "setting": "LOG_LEVEL=INFO"}).json()
    assert job["status"] == "ok", job
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        jobs = requests.get(scrapyd + "/listjobs.json", params={"project": "seo_audit"},
                            timeout=30).json()
        if any(j["id"] == job["jobid"] for j in jobs["finished"]):
            break
        time.sleep(0.3)
    else:
        pytest.fail("the Scrapyd job did not finish")
    summary = json.loads((run_dir / "crawl.json").read_text())
    assert summary["status"] == "complete"
    pages = {p["url"]: p["status"] for p in read_jsonl(run_dir / "pages.jsonl")}
    o = bakery_site.origin
    assert pages[o + "/"] == 200 and pages[o + "/orphelin.html"] == 200
    assert pages[o + "/blog/recette-inexistante.html"] == 404
    assert len(pages) == summary["pages"] == 9
    counts = Counter(bakery_site.requests[before:])
    assert max(counts.values()) == 1, counts


def _schedule_and_wait(scrapyd: str, fields: list[dict[str, str]]) -> None:
    ids = []
    for extra in fields:
        job = requests.post(scrapyd + "/schedule.json", timeout=30,
                            data={"project": "seo_audit", "spider": "site", **extra}).json()
        assert job["status"] == "ok", job
        ids.append(job["jobid"])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        jobs = requests.get(scrapyd + "/listjobs.json", params={"project": "seo_audit"},
                            timeout=30).json()
        if set(ids) <= {j["id"] for j in jobs["finished"]}:
            return
        time.sleep(0.3)
    pytest.fail("the Scrapyd jobs did not finish")


def test_two_scrapyd_jobs_share_a_crawl_through_redis(scrapyd: str, redis_url: str,
                                                      bakery_site: SiteServer,
                                                      tmp_path: Path) -> None:
    pytest.importorskip("scrapy_redis", reason="scrapy-redis: pip install -e '.[distributed]'")
    from audit.merge import merge_workers

    egg = build_egg(tmp_path)
    with open(egg, "rb") as fh:
        requests.post(scrapyd + "/addversion.json", data={"project": "seo_audit",
                      "version": "2"}, files={"egg": fh}, timeout=30).raise_for_status()
    config = write_config(tmp_path / "client.yaml", bakery_site.origin + "/")
    run_dir = tmp_path / "run"
    before = len(bakery_site.requests)
    common = {"config": str(config), "run_dir": str(run_dir), "redis_url": redis_url,
              "crawl_id": "scrapyd-test"}
    _schedule_and_wait(scrapyd, [{**common, "worker": "a"}, {**common, "worker": "b"}])
    summary = merge_workers(run_dir)
    assert summary["status"] == "complete" and set(summary["workers"]) == {"a", "b"}
    pages = [p["url"] for p in read_jsonl(run_dir / "pages.jsonl")]
    assert len(pages) == len(set(pages)) == 9
    counts = Counter(p for p in bakery_site.requests[before:] if p != "/robots.txt")
    assert max(counts.values()) == 1, counts
