"""A check that could not run is a limit of the audit: said once in the Summary's notes, no
finding against the client, and no score (never a 100 reading "all fine")."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from openpyxl import load_workbook

from audit.config import loads, rule_settings
from audit.report.build import build_report
from audit.report.workbook import write_workbook
from audit.rules import all_rules
from audit.runner import build_rules, run_checks
from tests.rules.harness import SITE, make_page

DOCS = "https://docs.clairvoyance.fr"


def _page(path: str, title: str, canonical: str, text: str) -> dict[str, str]:
    return {"url": path, "html": f"<html lang='fr'><head><title>{title}</title>"
            f"<link rel='canonical' href='{canonical}'></head><body><main><h1>{title}</h1>"
            f"<p>{text}</p></main></body></html>"}


def _report(tmp_path: Path, specs: list[dict[str, str]], lang: str = "fr"):
    data = {"client": "Documentation Clairvoyance", "site": {"start_urls": [SITE]},
            "report": {"language": lang}}
    cfg = loads(yaml.safe_dump(data, allow_unicode=True), tmp_path / "client.yaml")
    settings = rule_settings(cfg, all_rules())
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    with open(run_dir / "pages.jsonl", "w", encoding="utf-8") as fh:
        for spec in specs:
            fh.write(json.dumps(make_page(spec).to_dict(), ensure_ascii=False) + "\n")
    (run_dir / "crawl.json").write_text(json.dumps({"status": "complete", "seconds": 1}))
    rules = [r for r in build_rules(cfg, settings) if r.id in ("duplicate-title", "title")]
    run_checks(run_dir, cfg, rules, start_urls=[SITE])
    return build_report(run_dir, cfg, settings)


# Every page of this copy names a page of the production site at another path (the
# production site's pages were reorganised): none is indexable under its own address.
PAGES = [
    _page("/", "Documentation Clairvoyance", f"{DOCS}/accueil",
          "Bienvenue dans la documentation de l’outil d’audit."),
    _page("/installation/", "Installer l’outil", f"{DOCS}/guide/installation",
          "L’outil s’installe dans un environnement virtuel."),
    _page("/rapports/", "Installer l’outil", f"{DOCS}/guide/rapports",
          "Le classeur présente une synthèse, les pages et les constats."),
]


def test_a_check_that_could_not_run_is_a_note_and_no_score(tmp_path: Path) -> None:
    report = _report(tmp_path, PAGES)
    rule = next(r for r in report.rules if r.id == "duplicate-title")
    assert rule.enabled and rule.score is None and rule.pages_scored == 0
    assert rule.findings == 0  # not a finding against the client
    notes = [n.fr for n in report.summary.notes]
    limit = [n for n in notes if n.startswith("Titres en double non vérifiés")]
    assert limit == ["Titres en double non vérifiés : aucune des 3 pages n’est indexable sous "
                     "sa propre adresse (noindex, ou balise canonical désignant une autre URL) "
                     "; pas de score pour cette règle."]
    # The rules that ran still score; the SEO score is theirs, not lifted by a 100.
    title = next(r for r in report.rules if r.id == "title")
    assert title.score is not None and report.summary.scores["seo"] == title.score

    book = write_workbook(report, tmp_path / "audit.xlsx")
    wb = load_workbook(book, read_only=True)
    rows = {row[0]: row for row in wb["Règles"].iter_rows(values_only=True)}
    assert rows["duplicate-title"][6] == "— (non notée)"  # the site score cell: not 100
    summary = [c for row in wb["Synthèse"].iter_rows(values_only=True) for c in row if c]
    assert summary.count(limit[0]) == 1  # said once


def test_the_same_pages_compared_when_their_canonicals_name_their_own_path(
        tmp_path: Path) -> None:
    """The production domain named with each page's own path: compared, one duplicate."""
    pages = [_page(spec["url"], title, f"{DOCS}{spec['url']}", "Texte de la page.")
             for spec, title in zip(PAGES, ["Documentation Clairvoyance", "Installer l’outil",
                                            "Installer l’outil"], strict=True)]
    report = _report(tmp_path, pages, lang="en")
    rule = next(r for r in report.rules if r.id == "duplicate-title")
    assert (rule.score, rule.pages_scored, rule.findings) == (round(200 / 3, 1), 3, 1)
    notes = [n.en for n in report.summary.notes]
    assert not [n for n in notes if "not checked" in n]
    assert [n for n in notes if "docs.clairvoyance.fr" in n and "site.aliases" in n]
