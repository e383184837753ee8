"""How fast the grammar service checks French pages: ``python -m audit.text.grammar_bench``.

Builds ``--pages`` distinct pages of about ``--words`` words from real French text
(``*.txt`` files, by default ``../shared/corpus`` next to the repository): each page
is paragraphs of 2–5 sentences drawn at random (seeded) from the corpus, plus the
same tagline and footer on every page, as on a real site. Each worker count runs in
a fresh process (Grammalecte keeps word caches between calls: a second run in the
same process would look faster than a real audit). Reports milliseconds per
1,000-word page after start-up, the start-up itself, and the cache hit rate.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from audit.text.grammar import GrammarService, GrammarSettings
from audit.text.tokens import sentences

DEFAULT_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
TAGLINE = "Agence Clairvoyance, votre partenaire pour le référencement et les réseaux sociaux."
FOOTER = ("Agence Clairvoyance, 12 rue de la République, Lyon. Nous accompagnons les "
          "entreprises de la région depuis 2012, du diagnostic au suivi mensuel.")


def _paragraphs(pool: list[str], rng: random.Random, words: int) -> list[str]:
    out: list[str] = []
    count = 0
    while count < words:
        out.append(" ".join(rng.choice(pool) for _ in range(rng.randint(2, 5))))
        count += len(out[-1].split())
    return out


def build_pages(corpus: Path, pages: int, words: int, shared: float = 0.0) -> list[list[str]]:
    """``pages`` pages of about ``words`` words; a ``shared`` fraction of each page is
    the same paragraphs on every page (sidebars, calls to action), besides the tagline
    and footer."""
    pool = []
    for path in sorted(corpus.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            pool += [s for s in sentences(line) if len(s.split()) >= 4]
    if not pool:
        raise SystemExit(f"no French text in {corpus}")
    common = _paragraphs(pool, random.Random(-1), int(words * shared)) if shared else []
    own = words - len(TAGLINE.split()) - len(FOOTER.split()) - sum(len(p.split())
                                                                  for p in common)
    return [[TAGLINE, *_paragraphs(pool, random.Random(n), own), *common, FOOTER]
            for n in range(pages)]


def measure(pages: list[list[str]], workers: int) -> dict[str, float]:
    service = GrammarService(GrammarSettings(workers=workers))
    try:
        began = time.perf_counter()
        service.check([(p, "fr") for p in pages[0]])  # start-up: load, helpers, warm-up
        startup = time.perf_counter() - began
        words = 0
        began = time.perf_counter()
        for page in pages[1:]:
            service.check([(p, "fr") for p in page])
            words += sum(len(p.split()) for p in page)
        elapsed = time.perf_counter() - began
        stats = service.stats
        shared = sum(getattr(e, "parallel_pages", 0) for e in service.engines)
        return {"shared_pages": shared, "workers": workers, "pages": len(pages) - 1, "words": words,
                "ms_per_1000_words": 1000 * elapsed / words * 1000,
                "startup_s": startup, "hit_rate": stats.hit_rate,
                "words_checked_share": stats.words_checked / max(stats.words, 1)}
    finally:
        service.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--pages", type=int, default=51)  # the first one is start-up
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--shared", type=float, default=0.0,
                        help="fraction of each page repeated on every page")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each, alternated")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    pages = build_pages(args.corpus, args.pages, args.words, args.shared)
    if args.child:
        print(json.dumps(measure(pages, args.workers[0])))
        return 0
    runs: dict[int, list[dict[str, float]]] = {w: [] for w in args.workers}
    for _ in range(args.rounds):  # alternated: load from other processes hits both alike
        for workers in args.workers:
            done = subprocess.run(
                [sys.executable, "-m", "audit.text.grammar_bench", "--child", "--corpus",
                 str(args.corpus), "--pages", str(args.pages), "--words", str(args.words),
                 "--shared", str(args.shared), "--workers", str(workers)],
                capture_output=True, text=True, check=True)
            runs[workers].append(json.loads(done.stdout.strip().splitlines()[-1]))
    for workers, results in runs.items():
        ms = sorted(r["ms_per_1000_words"] for r in results)
        r = results[0]
        print(f"workers={workers}: {statistics.median(ms):.0f} ms per 1,000-word page "
              f"(median of {len(ms)}; {', '.join(f'{m:.0f}' for m in ms)}) over {r['pages']} "
              f"pages ({r['words']:.0f} words); start-up {r['startup_s']:.2f} s; cache hits "
              f"{r['hit_rate']:.0%} of paragraphs, {r['words_checked_share']:.0%} of words "
              f"checked; {r['shared_pages']:.0f} pages shared with helpers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
