"""Limits of the audit (a checker missing...) reach the Summary's notes once, with the number
of pages, and never the Findings sheet, the top issues or a score."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import yaml

from audit.config import loads
from audit.report.build import build_report
from audit.report.json_report import write_json
from audit.report.workbook import write_workbook
from tests.rules.harness import SITE, make_page, run_rule

ENGLISH = ("<html lang='en'><head><title>{t}</title></head><body><main><p>{t}: we read every "
           "page of your site and we check all of its links, one by one.</p></main>"
           "</body></html>")


def _audit(tmp_path: Path) -> tuple[Path, object]:
    pages = [make_page({"url": f"/en/{slug}.html", "html": ENGLISH.format(t=title)})
             for slug, title in (("audit", "Our audit"), ("team", "Our team"),
                                 ("prices", "Our prices"))]
    out = run_rule("grammar", pages, tmp_path)
    assert out.findings == []  # no grammar checker for English: nothing against the client
    assert [(lim["rule"], lim["key"], lim["pages"]) for lim in out.limits] == [
        ("grammar", "no-engine:en", 3)]
    assert all("grammar" not in s for s in out.scores.values())  # not scored, not 100
    run_dir = tmp_path / "run"
    (run_dir / "crawl.json").write_text(json.dumps({"status": "complete"}), encoding="utf-8")
    cfg = loads(yaml.safe_dump({"client": "Cas de test", "site": {"start_urls": [SITE]}}),
                tmp_path / "case.yaml")
    return run_dir, cfg


def test_a_missing_checker_is_one_note_with_the_page_count(tmp_path: Path) -> None:
    run_dir, cfg = _audit(tmp_path)
    check = json.loads((run_dir / "check.json").read_text(encoding="utf-8"))
    [limit] = check["limits"]
    assert limit["message"]["fr"].startswith(
        "Grammaire non vérifiée sur 3 pages (paragraphes en anglais) : aucun correcteur "
        "grammatical pour cette langue.")
    assert limit["message"]["en"].startswith("Grammar not checked on 3 pages (paragraphs in "
                                             "English)")
    assert limit["examples"] == [SITE + "en/audit.html", SITE + "en/team.html",
                                 SITE + "en/prices.html"]
    data = build_report(run_dir, cfg)  # type: ignore[arg-type]
    assert [n.fr for n in data.summary.notes].count(limit["message"]["fr"]) == 1
    assert data.summary.top_issues == []
    grammar = next(r for r in data.rules if r.id == "grammar")
    assert grammar.score is None and grammar.pages_scored == 0


def test_the_note_is_on_the_french_summary_sheet(tmp_path: Path) -> None:
    run_dir, cfg = _audit(tmp_path)
    book = openpyxl.load_workbook(write_workbook(build_report(run_dir, cfg),  # type: ignore
                                                 tmp_path / "audit.xlsx"))
    summary = [str(c.value) for row in book["Synthèse"].iter_rows() for c in row if c.value]
    notes = [t for t in summary if "non vérifiée" in t]
    assert len(notes) == 1, notes
    assert notes[0].startswith("Grammaire non vérifiée sur 3 pages (paragraphes en anglais)")
    assert "Indiquez un serveur LanguageTool" in notes[0]
    assert "Notes" in summary
    findings = list(book["Constats"].iter_rows(min_row=2, values_only=True))
    assert not [r for r in findings if any(v and "grammar" in str(v) for v in r)]
    rules = {r[0]: r for r in book["Règles"].iter_rows(min_row=2, values_only=True)}
    assert rules["grammar"][6] == "— (non notée)"
    report = json.loads(write_json(build_report(run_dir, cfg),  # type: ignore[arg-type]
                                   tmp_path / "audit.json").read_text(encoding="utf-8"))
    assert [(lim["key"], lim["pages"]) for lim in report["summary"]["limits"]] == [
        ("no-engine:en", 3)]
