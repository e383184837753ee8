"""Measure the main-content extraction used for duplicates on the demo and the fixtures.

    .venv/bin/python -m tests.bench.measure_main_content [--threshold 0.9]

Not a test. Crawls the demo site (with its competitor) and the duplicates fixture site
(with its competitor) with the real spider, then compares every pair of pages (and every
page with every external page) with three definitions of a page's text:

- ``all``: every visible block;
- ``regions``: <main>, or the blocks outside nav/header/footer/aside;
- ``regions+template``: the shipped one (audit/text/maincontent.py): regions, then the
  site's template blocks.

Similarity is the exact Jaccard of word 3-shingles (no MinHash estimate, to measure the
text definition alone). For each definition: planted pairs found at the threshold
(recall), pairs found that were not planted (precision), and the most similar pair of
distinct pages (how far from the threshold the template pushes them).
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from pathlib import Path

from audit import pipeline
from audit.config import DuplicatesConfig, load
from audit.demo import competitor_server, demo_config_text, demo_site_root
from audit.demo.server import SiteServer
from audit.runner import read_pages
from audit.text.maincontent import batch_main_texts, region_blocks
from audit.text.similarity import shingle_hashes, words
from spiders.items import PageItem

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

DEMO_PLANTED = {("/tarifs.html", "/nos-tarifs.html"),
                ("/services/referencement-naturel.html",
                 "/services/referencement-naturel-villeurbanne.html"),
                ("/", "/index.html")}
DEMO_EXTERNAL = {("/blog/backlinks.html", "/blog/obtenir-des-backlinks.html")}
FIXTURE_PLANTED = {("/recettes/pain-au-levain.html", "/anciennes-recettes/pain-au-levain.html"),
                   ("/recettes/brioche.html", "/recettes/brioche-aux-quatre-brins.html"),
                   ("/recettes/galette-des-rois.html", "/imprimer/galette-des-rois.html")}
FIXTURE_EXTERNAL = {("/recettes/croissants.html", "/blog/croissants.html")}


def _crawl(tmp: Path, config_text: str) -> Path:
    config = tmp / "client.yaml"
    config.write_text(config_text, encoding="utf-8")
    cfg = load(config)
    run_dir = pipeline.new_run_dir(cfg, tmp / "out")
    pipeline.crawl(config, cfg, run_dir)
    return run_dir


def _texts(pages: list[PageItem], method: str, cfg: DuplicatesConfig) -> list[list[str]]:
    if method == "all":
        return [words(p.text) for p in pages]
    if method == "regions":
        return [words("\n".join(b.text for b in region_blocks(p))) for p in pages]
    return batch_main_texts(pages, cfg.boilerplate_share, cfg.boilerplate_min_pages)


def _jaccard(a: list[str], b: list[str]) -> float:
    sa, sb = set(shingle_hashes(a).tolist()), set(shingle_hashes(b).tolist())
    return len(sa & sb) / len(sa | sb) if sa or sb else 0.0


def measure(name: str, run_dir: Path, origin: str, planted: set, external_planted: set,
            threshold: float) -> None:
    cfg = DuplicatesConfig()
    pages = [p for p in read_pages(run_dir / "pages.jsonl") if p.ok]
    external = [p for p in read_pages(run_dir / "external.jsonl") if p.ok]

    def path(url: str) -> str:
        return "/" + url.split("/", 3)[3]

    print(f"\n## {name}: {len(pages)} HTML pages, {len(external)} external pages")
    print("| text | words/page | planted found | false pairs | closest distinct pair |")
    print("|---|---|---|---|---|")
    for method in ("all", "regions", "regions+template"):
        texts = _texts(pages, method, cfg)
        ext_texts = _texts(external, method, cfg) if external else []
        found, false, closest = 0, [], (0.0, "")
        for (i, a), (j, b) in itertools.combinations(enumerate(pages), 2):
            if min(len(texts[i]), len(texts[j])) < cfg.min_words:
                continue
            sim = _jaccard(texts[i], texts[j])
            pair = (path(a.url), path(b.url))
            is_planted = pair in planted or pair[::-1] in planted
            if is_planted:
                found += sim >= threshold
            elif sim >= threshold:
                false.append(pair)
            elif sim > closest[0]:
                closest = (sim, f"{pair[0]} ~ {pair[1]}")
        ext_found = 0
        for i, a in enumerate(pages):
            for j, e in enumerate(external):
                if min(len(texts[i]), len(ext_texts[j])) < cfg.min_words:
                    continue
                sim = _jaccard(texts[i], ext_texts[j])
                pair = (path(a.url), path(e.url))
                if pair in external_planted:
                    ext_found += sim >= threshold
                elif sim >= threshold:
                    false.append(pair)
                elif sim > closest[0]:
                    closest = (sim, f"{pair[0]} ~ external {pair[1]}")
        mean_words = sum(map(len, texts)) / len(texts)
        total = len(planted) + len(external_planted)
        print(f"| {method} | {mean_words:.0f} | {found + ext_found}/{total} | {len(false)} "
              f"{false[:3] if false else ''} | {closest[0]:.2f} ({closest[1]}) |")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with SiteServer(demo_site_root()) as site, competitor_server() as rival:
            (tmp / "demo").mkdir()
            run_dir = _crawl(tmp / "demo", demo_config_text(site.origin, tmp / "demo" / "out",
                                                            competitor=rival.origin))
        measure("demo site", run_dir, site.origin, DEMO_PLANTED, DEMO_EXTERNAL, args.threshold)
        with SiteServer(FIXTURES / "duplicates") as site, \
                SiteServer(FIXTURES / "duplicates-competitor", host="127.0.0.2") as rival:
            (tmp / "fixture").mkdir()
            c = rival.origin
            run_dir = _crawl(tmp / "fixture", (
                f'client: fixture\nsite: {{start_urls: ["{site.origin}/"]}}\n'
                f'duplicates: {{compare_with: ["{c}/blog/croissants.html"], '
                f'compare_sitemaps: ["{c}/sitemap.xml"], external_delay: 0}}\n'))
        measure("fixture site (tests/fixtures/duplicates)", run_dir, site.origin,
                FIXTURE_PLANTED, FIXTURE_EXTERNAL, args.threshold)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
