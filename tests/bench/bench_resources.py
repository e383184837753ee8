"""Cost of the sub-resource pass of the extraction (scripts, iframes, media, fonts,
http_resources: issue 16's https rule) on real pages: the corpus of tests/realsites and
the demo site, parsed and extracted with and without it, interleaved runs.

    .venv/bin/python -m tests.bench.bench_resources [--repeat 6]

Not a test. Prints the median extraction time per page with and without the pass, and
the pass alone on pre-parsed trees. The figures in BENCHMARKS.md come from this script.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import spiders.extract as ex
from spiders.items import PageItem

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=6)
    args = parser.parse_args()
    files = sorted((ROOT / "tests" / "realsites" / "sites").rglob("*.html"))
    files += sorted((ROOT / "audit" / "demo" / "site").rglob("*.html"))
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    real = ex._fill_resources
    skip: Callable[..., None] = lambda *_: None  # noqa: E731

    def extract() -> float:
        began = time.perf_counter()
        for i, text in enumerate(texts):
            root = ex.parse_html(text)
            if root is not None:
                ex.fill_page(PageItem(url=f"https://www.exemple.fr/p{i}.html"), root,
                             lambda u: True)
        return time.perf_counter() - began

    extract()  # warm the URL caches
    with_pass, without = [], []
    for _ in range(args.repeat):
        ex._fill_resources = real
        with_pass.append(extract())
        ex._fill_resources = skip
        without.append(extract())
    ex._fill_resources = real
    roots = [r for r in (ex.parse_html(t) for t in texts) if r is not None]
    began = time.perf_counter()
    for i, root in enumerate(roots):
        url = f"https://www.exemple.fr/p{i}.html"
        real(PageItem(url=url), root, url, None)
    alone = time.perf_counter() - began
    n = len(texts)
    a, b = statistics.median(with_pass) / n * 1000, statistics.median(without) / n * 1000
    print(f"{n} pages: extraction {a:.2f} ms/page with the pass, {b:.2f} without "
          f"({(a - b) / b * 100:+.1f} %); the pass alone {alone / len(roots) * 1000:.3f} ms/page")


if __name__ == "__main__":
    main()
