"""Rendered mode (site.render: true): the real spider, Chromium, a real local server.

The hidden-text fixtures (tests/fixtures/hidden/) are crawled with render: true; every page
must reach the same hidden-text verdict as the static engine reads from its HTML and CSS
(tests/test_visibility.py), with the same techniques. A page built by a script shows what
only rendering sees: text and links inserted by JavaScript.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from audit import pipeline
from audit.config import load
from audit.demo.server import SiteServer
from audit.runner import read_pages
from spiders.extract import fill_page, parse_html
from spiders.items import PageItem
from spiders.render import chromium_path
from spiders.visibility import technique_of
from tests.conftest import FIXTURES, write_config
from tests.rules.harness import SITE, run_rule
from tests.test_visibility import _fixture_page

pytestmark = [
    pytest.mark.crawl,
    pytest.mark.skipif(chromium_path() is None,
                       reason="Chromium is not installed (/usr/bin/chromium): "
                              "apt-get install chromium, or `make system-deps` as root"),
]

HIDDEN = FIXTURES / "hidden"
MANIFEST = yaml.safe_load((HIDDEN / "manifest.yaml").read_text(encoding="utf-8"))

# A page whose hidden keyword block and hidden link are written by a script: invisible to
# the static reading of the HTML, found in the DOM Chromium builds.
SCRIPTED = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Plombier à Nantes : dépannage rapide | Plomberie Durand</title></head><body><main>
<h1>Plombier à Nantes</h1><p id="intro">Chargement…</p></main>
<script>
document.getElementById("intro").textContent =
  "Fuite, chauffe-eau, débouchage : nous intervenons dans l’heure à Nantes et alentour.";
const bloc = document.createElement("div");
bloc.style.cssText = "position:absolute; left:-10000px";
bloc.textContent = "plombier Nantes plombier pas cher Nantes plombier urgence Nantes "
  + "plombier Nantes dépannage plombier Nantes nuit";
document.querySelector("main").appendChild(bloc);
const lien = document.createElement("a");
lien.href = "/cache.html"; lien.textContent = "page cachée"; lien.style.display = "none";
document.querySelector("main").appendChild(lien);
</script></body></html>"""


def _verdicts(pages: list[PageItem], tmp: Path) -> dict[str, list[str]]:
    tmp.mkdir(exist_ok=True)
    outcome = run_rule("hidden-text", pages, tmp, config={"keywords": MANIFEST["keywords"]})
    out: dict[str, list[str]] = {p.url: [] for p in pages}
    for f in outcome.findings:
        out[f.url].append(f.code)
    return {url.removeprefix(SITE): sorted(codes) for url, codes in out.items()}


def _techniques(page: PageItem) -> set[str]:
    return {technique_of(b.hidden) for b in page.text_blocks if b.hidden} | {
        technique_of(link.hidden) for link in page.links if link.hidden}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, PageItem],
                                                              float]:
    tmp = tmp_path_factory.mktemp("render")
    site = tmp / "site"
    shutil.copytree(HIDDEN, site)
    (site / "script.html").write_text(SCRIPTED, encoding="utf-8")
    (site / "cache.html").write_text("<!DOCTYPE html><title>Cachée</title><p>Page.</p>",
                                     encoding="utf-8")
    files = [e["file"] for e in MANIFEST["fixtures"]]
    with SiteServer(site) as server:
        urls = [f"{server.origin}/{f}" for f in [*files, "script.html"]]
        config = write_config(tmp / "c.yaml", urls[0],
                              "  use_sitemaps: false\n  render: true\n  render_concurrency: 3\n")
        config.write_text(config.read_text().replace(
            f'start_urls: ["{urls[0]}"]', f"start_urls: {json.dumps(urls)}"))
        cfg = load(config)
        run_dir = pipeline.new_run_dir(cfg)
        started = time.monotonic()
        summary = pipeline.crawl(config, cfg, run_dir)
        seconds = time.monotonic() - started
        pages = {p.url.removeprefix(server.origin + "/"): p
                 for p in read_pages(run_dir / "pages.jsonl")}
    for rel, page in pages.items():  # as the static test serves them (keywords by path)
        page.url = SITE + rel
    return summary, pages, seconds


def test_rendered_verdicts_equal_static_ones(crawl, tmp_path: Path) -> None:
    summary, pages, seconds = crawl
    files = [e["file"] for e in MANIFEST["fixtures"]]
    assert all(pages[f].rendered and not pages[f].render_error for f in files)
    assert summary["render"]["rendered"] >= len(files) and summary["render"]["failed"] == 0
    static = _verdicts([_fixture_page(f) for f in files], tmp_path / "static")
    rendered = _verdicts([pages[f] for f in files], tmp_path / "rendered")
    differ = {f: (static[f], rendered[f]) for f in files if static[f] != rendered[f]}
    assert not differ, differ
    # Not vacuous: every spam fixture is caught in both modes, every honest one is quiet.
    for entry in MANIFEST["fixtures"]:
        want = sorted(entry["codes"]) if entry["verdict"] == "spam" else []
        assert rendered[entry["file"]] == want, entry["file"]
    n = sum(p.rendered for p in pages.values())
    print(f"\ncrawled {len(pages)} URLs, rendered {n} pages in {seconds:.1f} s "
          f"({n / seconds:.2f} rendered pages/s, render_concurrency 3)")


def test_rendered_techniques_equal_static_ones(crawl) -> None:
    _, pages, _ = crawl
    differ = {}
    for entry in MANIFEST["fixtures"]:
        f = entry["file"]
        got, want = _techniques(pages[f]), _techniques(_fixture_page(f))
        if got != want:
            differ[f] = (sorted(want), sorted(got))
        contexts = {b.hidden_context for b in pages[f].text_blocks if b.hidden}
        if entry.get("context"):
            assert entry["context"] in contexts, (f, contexts)
    assert not differ, differ
    # The browser's verdict names the element and says it is a computed style.
    blocks = [b for b in pages["spam/01-blanc-sur-blanc.html"].text_blocks if b.hidden]
    assert blocks and all("(computed style)" in b.hidden for b in blocks)
    colour = [b.hidden for b in blocks if technique_of(b.hidden) == "colour = background"]
    assert colour and "(#ffffff on #ffffff, contrast 1.00:1)" in colour[0]


def test_script_built_page_is_read_as_rendered(crawl, tmp_path: Path) -> None:
    _, pages, _ = crawl
    page = pages["script.html"]
    assert page.rendered
    visible = " ".join(b.text for b in page.text_blocks if not b.hidden)
    assert "nous intervenons dans l’heure" in visible and "Chargement" not in visible
    hidden = [b for b in page.text_blocks if b.hidden]
    assert [(technique_of(b.hidden), b.text.split()[0]) for b in hidden] == [
        ("off-screen", "plombier"), ("display:none", "page")]
    assert [(link.url.rsplit("/", 1)[-1], technique_of(link.hidden)) for link in page.links] \
        == [("cache.html", "display:none")]
    # The link a script wrote is followed like any other.
    assert "cache.html" in pages
    # The stuffed block is spam; one internal link of two words hidden alone is too little.
    assert _verdicts([page], tmp_path)["script.html"] == ["hidden-spam"]
    # Read statically, the same page hides nothing: only rendering sees it.
    static = PageItem(url=SITE + "script.html", status=200, is_html=True)
    root = parse_html(SCRIPTED)
    assert root is not None
    fill_page(static, root, lambda u: u.startswith(SITE))
    assert not any(b.hidden for b in static.text_blocks) and not static.links


def test_missing_chromium_falls_back_to_static(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(HIDDEN / "spam" / "02-display-none.html", site / "index.html")
    shutil.copytree(HIDDEN / "css", site / "css")
    with SiteServer(site) as server:
        config = write_config(tmp_path / "c.yaml", server.origin + "/",
                              "  use_sitemaps: false\n  render: true\n"
                              "  chromium: /nulle/part/chromium\n")
        cfg = load(config)
        run_dir = pipeline.new_run_dir(cfg)
        summary = pipeline.crawl(config, cfg, run_dir)
        pages = list(read_pages(run_dir / "pages.jsonl"))
    assert "Chromium not found (/nulle/part/chromium)" in summary["render"]["error"]
    assert pages and not pages[0].rendered
    assert {technique_of(b.hidden) for b in pages[0].text_blocks if b.hidden} == {"display:none"}


def test_demo_honest_patterns_same_when_rendered(tmp_path: Path) -> None:
    """The demo's /contact.html ("Done right" in DEFECTS.md): the same hidden blocks and
    honest patterns from Chromium's computed styles as from the static cascade."""
    from audit.demo import demo_site_root

    with SiteServer(demo_site_root()) as server:
        url = server.origin + "/contact.html"
        config = write_config(tmp_path / "c.yaml", url,
                              "  use_sitemaps: false\n  max_pages: 1\n  render: true\n")
        cfg = load(config)
        run_dir = pipeline.new_run_dir(cfg)
        pipeline.crawl(config, cfg, run_dir)
        rendered = next(p for p in read_pages(run_dir / "pages.jsonl") if p.url == url)
        config.write_text(config.read_text().replace("  render: true\n", ""))
        cfg = load(config)
        run_dir = pipeline.new_run_dir(cfg)
        pipeline.crawl(config, cfg, run_dir)
        static = next(p for p in read_pages(run_dir / "pages.jsonl") if p.url == url)
    assert rendered.rendered and not static.rendered

    def hidden(page: PageItem) -> list[tuple[str, str, str]]:
        return [(technique_of(b.hidden), b.hidden_context, b.text) for b in page.text_blocks
                if b.hidden]

    assert hidden(rendered) == hidden(static)
    assert {c for _, c, _ in hidden(rendered)} == {"skip-link", "sr-only", "menu", "details",
                                                   "cookie-banner"}
