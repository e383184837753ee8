"""Benchmark of the content rules on realistic French pages (not a test: `make bench`).

Builds N distinct pages of about 1,000 words from the real French articles in
../shared/corpus (shuffled paragraphs, a shared nav and footer as real sites have),
runs the check stage with the offline engines through the real runner, and prints
milliseconds per 1,000-word page for each rule (the runner's own per-rule timer).

    python -m tests.bench.bench_content [--pages 200] [--no-grammar]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from audit.config import loads
from audit.runner import build_rules, run_checks
from audit.text.tokens import words
from spiders.items import Heading, PageItem, TextBlock
from tests.bench.sitegen import paragraphs as sitegen_paragraphs

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
CONTENT_RULES = {"spelling", "readability", "keyword-focus", "keyword-cannibalization",
                 "grammar"}


def corpus_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted(CORPUS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(words(line)) >= 8:
                paragraphs.append(line.strip())
    if not paragraphs:
        # A checkout without ../shared (a fresh clone elsewhere): the demo site's French
        # paragraphs, fewer and more repetitive, so the figures are not comparable.
        print(f"no corpus in {CORPUS}: using the demo site's paragraphs", file=sys.stderr)
        paragraphs = [p for p in sitegen_paragraphs() if len(words(p)) >= 8]
    return paragraphs


def synthetic_pages(n: int, target_words: int = 1000, seed: int = 7) -> list[PageItem]:
    rng = random.Random(seed)
    paragraphs = corpus_paragraphs()
    nav = [TextBlock("li", t, "nav") for t in ("Accueil", "Nos services", "Blog", "Contact")]
    footer = [TextBlock("footer", "Agence Clairvoyance, 14 rue de la Charité, 69002 Lyon. "
                                  "Tous droits réservés.", "footer")]
    pages = []
    for i in range(n):
        body: list[TextBlock] = []
        count = 0
        while count < target_words:
            text = rng.choice(paragraphs)
            # A word swapped per page: paragraphs stay distinct, as on a real site.
            text = f"{text} Page {i}, partie {len(body)}."
            body.append(TextBlock("p", text, "main"))
            count += len(words(text))
        title = f"Article {i} : le community management en pratique"
        page = PageItem(url=f"http://127.0.0.1/article-{i}.html", status=200, is_html=True,
                        lang="fr", title=title, title_count=1,
                        meta_description="Le community manager anime la marque sur les "
                                         "réseaux sociaux, jour après jour, avec méthode.",
                        meta_description_count=1,
                        headings=[Heading(1, title)], text_blocks=[*nav, *body, *footer])
        page.word_count = sum(len(words(b.text)) for b in page.text_blocks)
        pages.append(page)
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bench_content")
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--no-grammar", action="store_true")
    args = parser.parse_args(argv)
    pages = synthetic_pages(args.pages)
    total_words = sum(p.word_count for p in pages)
    cfg = loads("client: Banc d'essai\nsite: {start_urls: ['http://127.0.0.1/']}\n")
    wanted = CONTENT_RULES - ({"grammar"} if args.no_grammar else set())
    rules = [r for r in build_rules(cfg) if r.id in wanted]
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = Path(tmp)
        with open(run_dir / "pages.jsonl", "w", encoding="utf-8") as fh:
            for p in pages:
                fh.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
        began = time.perf_counter()
        summary = run_checks(run_dir, cfg, rules)
        wall = time.perf_counter() - began
    per_kword = 1000.0 / (total_words / len(pages))  # scale to a 1,000-word page
    print(f"{len(pages)} pages, {total_words / len(pages):.0f} words per page, "
          f"check stage {wall:.1f} s wall")
    for rule_id, secs in sorted(summary.rule_seconds.items(), key=lambda kv: -kv[1]):
        print(f"  {rule_id:<26} {1000 * secs / len(pages) * per_kword:7.2f} ms per 1,000-word page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
