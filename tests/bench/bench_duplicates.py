"""Benchmark of duplicate detection: a synthetic French site through the real check stage.

    .venv/bin/python tests/bench/bench_duplicates.py [--pages 10000] [--seed 1]

Not a test (pytest collects ``test_*.py`` only). It writes a run directory with
``pages.jsonl`` (N pages of text blocks: a shared nav, header and footer, a template
written with plain <div>s, a call-to-action in <main> on every page, breadcrumbs and
section sidebars; half the pages on a theme with nav/header/footer/main regions, half on
an old theme without any, where only the repetition tells the template apart; planted
exact duplicates, near duplicates, canonical twins and a cluster of doorway pages;
shared titles and descriptions) and ``external.jsonl``
(200 pages of another site, some copying the client). Then, in a fresh process each:

- ``baseline``: the runner with no rule (reading and parsing pages.jsonl);
- ``duplicates``: the runner with duplicate-content, duplicate-title,
  duplicate-meta-description and external-duplicate.

It prints wall time and peak RSS of both, the difference, and the pairwise precision and
recall of the planted duplicates. The figures in BENCHMARKS.md come from this script.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://www.exemple-boutique.fr"
OTHER = "https://www.concurrent.fr"
RULES = ["duplicate-content", "duplicate-title", "duplicate-meta-description",
         "external-duplicate"]



def _words(text: str) -> list[str]:
    return text.split()


NOUNS = _words("client entreprise site page article produit service équipe projet marché stratégie "
         "contenu lecteur moteur résultat recherche campagne budget conseil méthode outil "
         "donnée rapport mois semaine année ville région boutique commande livraison prix "
         "qualité délai atelier formation question réponse exemple erreur solution idée "
         "réseau communauté message image vidéo texte titre lien balise catalogue offre")
VERBS = _words("améliore présente explique prépare construit analyse mesure compare choisit "
         "rédige publie vérifie corrige accompagne développe propose organise suit attire "
         "simplifie transforme renforce détaille partage optimise")
ADJECTIVES = _words("simple clair utile précis rapide durable local régional complet concret "
              "nouveau ancien principal régulier efficace moderne fiable naturel lisible "
              "important petit grand premier dernier mensuel gratuit")
LINKS = _words("et mais donc car puis ensuite enfin aussi souvent parfois toujours chaque "
         "pour avec sans dans sur sous entre depuis avant après")
CITIES = _words("Lyon Villeurbanne Vénissieux Bron Caluire Écully Oullins Meyzieu Rillieux Décines "
          "Vaulx-en-Velin Tassin Pierre-Bénite Saint-Priest Givors Neuville Genas Chassieu "
          "Mions Feyzin")
SECTIONS = _words("blog services produits conseils guides actualites boutique ressources "
            "tutoriels etudes-de-cas")


def sentence(rng: random.Random) -> str:
    n = rng.randint(8, 20)
    out = [f"{rng.choice(('Le', 'Un', 'Notre', 'Chaque', 'Ce'))} {rng.choice(NOUNS)}",
           rng.choice(VERBS)]
    while len(out) < n:
        out.append(rng.choice((rng.choice(NOUNS), rng.choice(ADJECTIVES), rng.choice(LINKS),
                               rng.choice(NOUNS))))
    return " ".join(out) + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


NAV = [{"tag": "a", "text": t, "region": "nav"} for t in
       ("Accueil", "Services", "Produits", "Blog", "Guides", "Boutique", "À propos", "Contact",
        "Devis gratuit", "Espace client")]
HEADER = [{"tag": "p", "text": "Exemple Boutique – conseils et produits pour les pros depuis 2009",
           "region": "header"}]
FOOTER = [{"tag": "p", "text": "Exemple Boutique SAS · 10 rue de la République · 69002 Lyon · "
                               "04 00 00 00 00 · mentions légales · confidentialité · CGV",
           "region": "footer"}]
# Written with <div>s: no region, only the repetition tells it from content.
DIV_TEMPLATE = [{"tag": "p", "text": "Livraison offerte dès 50 € d’achat, retours gratuits sous "
                                     "trente jours et paiement sécurisé par carte ou virement.",
                 "region": ""},
                {"tag": "p", "text": "Inscrivez-vous à notre lettre d’information : un conseil "
                                     "pratique par semaine, désinscription en un clic.",
                 "region": ""}]
CTA = {"tag": "p", "text": "Une question ? Nos conseillers vous répondent du lundi au vendredi, "
                           "de neuf heures à dix-huit heures.", "region": "main"}


def page_record(url: str, title: str, description: str, blocks: list[dict],
                canonical: str = "") -> dict:
    return {"url": url, "status": 200, "content_type": "text/html; charset=utf-8",
            "is_html": True, "title": title, "title_count": 1,
            "meta_description": description, "meta_description_count": 1,
            "canonical": canonical or url, "lang": "fr",
            "links": [{"url": f"{SITE}/{s}/", "text": s, "internal": True} for s in SECTIONS],
            "text_blocks": blocks,
            "word_count": sum(len(b["text"].split()) for b in blocks)}


def synthesise(n: int, seed: int, run_dir: Path) -> dict:
    """Write pages.jsonl and external.jsonl; return the planted pairs (ground truth)."""
    rng = random.Random(seed)
    sidebars = {s: [{"tag": "li", "text": f"{s.capitalize()} : {sentence(rng)}", "region": ""}
                    for _ in range(4)] for s in SECTIONS}
    truth: dict[str, set] = {"exact": set(), "near": set(), "handled": set(), "doorway": set(),
                             "external": set()}
    contents: list[tuple[str, list[dict]]] = []  # (url, main blocks) of original pages
    doorway_text = [paragraph(rng, 6) for _ in range(4)]
    with open(run_dir / "pages.jsonl", "w", encoding="utf-8") as out:
        for i in range(n):
            section = SECTIONS[i % len(SECTIONS)]
            url = f"{SITE}/{section}/page-{i}.html"
            title = f"{sentence(rng)[:55]} | Exemple"
            description = paragraph(rng, 2)[:155]
            canonical = ""
            kind = rng.random()
            if contents and kind < 0.02:  # exact duplicate of an earlier page
                src_url, main = rng.choice(contents)
                truth["exact"].add(frozenset((src_url, url)))
            elif contents and kind < 0.04:  # near duplicate: two words changed
                src_url, src = rng.choice(contents)
                main = [dict(b) for b in src]
                for _ in range(2):
                    block = rng.choice([b for b in main if len(b["text"].split()) > 20])
                    w = block["text"].split()
                    w[rng.randrange(len(w))] = rng.choice(ADJECTIVES)
                    block["text"] = " ".join(w)
                truth["near"].add(frozenset((src_url, url)))
            elif contents and kind < 0.05:  # a twin declaring the original as canonical
                src_url, main = rng.choice(contents)
                canonical = src_url
                truth["handled"].add(frozenset((src_url, url)))
            elif i % 500 == 7:  # doorway pages: one text per town, only the town changes
                city = CITIES[(i // 500) % len(CITIES)]
                main = [{"tag": "h1", "text": f"Nos services à {city}", "region": "main"}] + [
                    {"tag": "p", "text": t.replace("Le ", f"À {city}, le ", 1), "region": "main"}
                    for t in doorway_text]
                truth["doorway"].add(url)
            else:
                main = [{"tag": "h1", "text": title.split(" | ")[0], "region": "main"}] + [
                    {"tag": "p", "text": paragraph(rng, rng.randint(3, 6)), "region": "main"}
                    for _ in range(rng.randint(3, 7))]
                contents.append((url, main))
                if len(contents) > 2000:  # copies come from recent pages (bounded memory)
                    contents.pop(rng.randrange(len(contents)))
            if rng.random() < 0.03:
                title = "Exemple Boutique – conseils et produits"
            if rng.random() < 0.05:
                description = "Exemple Boutique : conseils, produits et services pour les pros."
            breadcrumb = {"tag": "p", "text": f"Accueil › {section.capitalize()}",
                          "region": "main"}
            blocks = (NAV + HEADER + [breadcrumb] + main + [CTA] + sidebars[section]
                      + DIV_TEMPLATE + FOOTER)
            if i % 2:  # the old theme: the same template in plain <div>s, no regions at all
                blocks = [{**b, "region": ""} for b in blocks]
            out.write(json.dumps(page_record(url, title, description, blocks, canonical),
                                 ensure_ascii=False) + "\n")
    with open(run_dir / "external.jsonl", "w", encoding="utf-8") as out:
        for j in range(200):
            url = f"{OTHER}/articles/{j}.html"
            if j % 20 == 0:
                src_url, main = rng.choice(contents)
                truth["external"].add((src_url, url))
            else:
                main = [{"tag": "p", "text": paragraph(rng, 5), "region": "main"}
                        for _ in range(4)]
            out.write(json.dumps(page_record(url, f"Article {j}", "", main),
                                 ensure_ascii=False) + "\n")
    return truth


def check(run_dir: Path, rules: list[str]) -> dict:
    """In this (fresh) process: run the check stage with ``rules``; time and peak RSS."""
    sys.path.insert(0, str(ROOT))
    from audit.config import loads
    from audit.runner import build_rules, run_checks

    stats: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            stats.append(record.getMessage())

    logging.getLogger("audit.text.duplicates").addHandler(Keep())
    logging.getLogger("audit.text.duplicates").setLevel(logging.INFO)
    cfg = loads(f'client: bench\nsite: {{start_urls: ["{SITE}/"]}}\n'
                f'duplicates: {{compare_with: ["{OTHER}/"]}}\n', run_dir / "bench.yaml")
    selected = [r for r in build_rules(cfg) if r.id in rules]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    summary = run_checks(run_dir, cfg, selected)
    seconds = time.perf_counter() - began
    return {"seconds": round(seconds, 2), "pages": summary.pages,
            "rss_before_mb": round(rss_before / 1024, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "findings": summary.findings, "log": stats}


def _child(run_dir: Path, rules: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, "--check", str(run_dir), "--rules",
                          ",".join(rules)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


class _Groups:
    """Union-find over URLs."""

    def __init__(self, pairs: set) -> None:
        self.parent: dict[str, str] = {}
        for pair in pairs:
            a, b = sorted(pair)
            self.parent[self.find(a)] = self.find(b)

    def find(self, x: str) -> str:
        while self.parent.get(x, x) != x:
            x = self.parent[x]
        return x

    def same(self, a: str, b: str) -> bool:
        return self.find(a) == self.find(b)


def score(run_dir: Path, truth: dict) -> dict:
    """Pairwise precision and recall of duplicate-content (every code: a copy placed in
    another section differs by its breadcrumb, so it is a near, not an exact, duplicate)
    and of external-duplicate, against the planted pairs."""
    reported: set = set()
    by_code: dict[str, int] = {}
    external: set = set()
    for line in (run_dir / "findings.jsonl").read_text(encoding="utf-8").splitlines():
        f = json.loads(line)
        if f["rule"] == "duplicate-content":
            by_code[f["code"]] = by_code.get(f["code"], 0) + 1
            reported.update(frozenset((f["url"], r)) for r in f["related"])
        elif f["rule"] == "external-duplicate":
            external.update((f["url"], r) for r in f["related"])
    doorways = sorted(truth["doorway"])
    planted = (truth["exact"] | truth["near"] | truth["handled"]
               | {frozenset((a, b)) for i, a in enumerate(doorways) for b in doorways[i + 1:]})
    planted_groups, reported_groups = _Groups(planted), _Groups(reported)
    good = sum(1 for p in reported if planted_groups.same(*p))
    found = sum(1 for p in planted if reported_groups.same(*p))
    ext_good = sum(1 for client, ext in external
                   if any(ext == e and planted_groups.same(client, src)
                          for src, e in truth["external"]))
    ext_found = sum(1 for src, ext in truth["external"]
                    if any(ext == e and planted_groups.same(c, src) for c, e in external))
    return {"duplicate-content": {"planted_pairs": len(planted), "reported_pairs": len(reported),
                                  "findings_by_code": by_code,
                                  "precision": round(good / len(reported), 4) if reported else None,
                                  "recall": round(found / len(planted), 4) if planted else None},
            "external-duplicate": {"planted_pairs": len(truth["external"]),
                                   "reported_pairs": len(external),
                                   "precision": round(ext_good / len(external), 4)
                                   if external else None,
                                   "recall": round(ext_found / len(truth["external"]), 4)}}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--check", help=argparse.SUPPRESS)
    parser.add_argument("--rules", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.check:  # the child process
        print(json.dumps(check(Path(args.check), [r for r in args.rules.split(",") if r])))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = Path(tmp)
        began = time.perf_counter()
        truth = synthesise(args.pages, args.seed, run_dir)
        size = (run_dir / "pages.jsonl").stat().st_size / 2**20
        print(f"synthesised {args.pages} pages ({size:.0f} MiB of pages.jsonl) in "
              f"{time.perf_counter() - began:.1f} s")
        base = _child(run_dir, [])
        dup = _child(run_dir, RULES)
        print(f"baseline (runner, no rule): {base['seconds']} s, "
              f"peak RSS {base['peak_rss_mb']} MiB")
        print(f"duplicate rules ({', '.join(RULES)}): {dup['seconds']} s, "
              f"peak RSS {dup['peak_rss_mb']} MiB (after imports {dup['rss_before_mb']} MiB)")
        print(f"cost of the duplicate rules: +{dup['seconds'] - base['seconds']:.2f} s, "
              f"+{dup['peak_rss_mb'] - base['peak_rss_mb']:.1f} MiB peak RSS")
        print(f"findings: {dup['findings']}")
        for line in dup["log"]:
            print(f"log: {line}")
        print(json.dumps(score(run_dir, truth), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
