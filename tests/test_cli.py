"""The seo-audit command end to end: real crawl child process, real files, exit codes."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from openpyxl import load_workbook

from audit.cli import main
from audit.demo.server import SiteServer
from audit.rules import all_rules
from tests.conftest import ROOT, write_config

pytestmark = pytest.mark.crawl


def _outputs(out: Path) -> tuple[Path, Path]:
    xlsx = sorted(out.glob("*.xlsx"))
    js = sorted(out.glob("*.json"))
    assert len(xlsx) == 1 and len(js) == 1, (xlsx, js)
    return xlsx[0], js[0]


def test_validate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(ROOT / "configs" / "example.yaml")]) == 0
    assert "OK" in capsys.readouterr().out


def test_bad_config_exits_2_naming_file_line_key(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "client.yaml"
    bad.write_text("client: x\nsite:\n  start_urls: [https://a.fr/]\n  delai: 2\n")
    assert main(["run", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:4: site.delai: unknown key (did you mean 'delay'?)" in err
    assert not (tmp_path / "reports").exists()  # nothing crawled, nothing written


def test_bad_keywords_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mots-cles.csv").write_text("url,keyword\n/tarifs.html\n", encoding="utf-8")
    config = write_config(tmp_path / "c.yaml", "https://www.exemple.fr/",
                          extra="keywords_file: mots-cles.csv\n")
    assert main(["validate", str(config)]) == 2
    assert f"{tmp_path / 'mots-cles.csv'}:2: keywords_file" in capsys.readouterr().err


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["run"])
    assert info.value.code == 2


def test_unreachable_site_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = write_config(tmp_path / "c.yaml", f"http://127.0.0.1:{port}/")
    assert main(["run", str(config)]) == 1
    assert f"127.0.0.1:{port}" in capsys.readouterr().err
    assert not list((tmp_path / "out").glob("*.xlsx"))


def test_run_then_check_and_report_again(bakery_site: SiteServer, tmp_path: Path) -> None:
    config = write_config(tmp_path / "c.yaml", bakery_site.origin + "/")
    assert main(["run", str(config), "-q"]) == 0
    xlsx, js = _outputs(tmp_path / "out")
    report = json.loads(js.read_text(encoding="utf-8"))
    assert set(report) >= {"client", "generated_at", "tool_version", "summary", "pages",
                           "findings", "rules"}
    summary = report["summary"]
    assert summary["pages"] == len(report["pages"]) == 9
    # No SEA data: its weight (0.25) goes to the others, pro rata (SEO 0.5, SMO 0.25).
    scores = summary["scores"]
    assert scores["sea"] is None and scores["smo"] is not None  # SMO: open-graph per page
    assert summary["weights_used"] == {"seo": 0.667, "sea": 0.0, "smo": 0.333}
    assert scores["sem"] == pytest.approx((2 * scores["seo"] + scores["smo"]) / 3, abs=0.1)
    rules_hit = {f["rule"] for f in report["findings"]}
    assert {"title", "h1", "image-alt", "status-code", "broken-link"} <= rules_hit
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["Synthèse", "Problèmes", "Pages", "Constats", "Règles"]  # no backlinks

    # Fail-under: exit 3 when the SEM score is lower, 0 otherwise.
    run_dir = next(p for p in (tmp_path / "out" / "runs").glob("*/*") if p.is_dir())
    assert main(["report", str(run_dir), "--fail-under", "100", "-q"]) == 3
    assert main(["report", str(run_dir), "--fail-under", "1", "-q"]) == 0

    # The run checked the pages while the crawl wrote them; checking the finished crawl
    # gives the very same results.
    overlapped = [(run_dir / f).read_text() for f in ("findings.jsonl", "page_results.jsonl")]
    assert main(["check", str(run_dir), "-q"]) == 0
    assert [(run_dir / f).read_text() for f in ("findings.jsonl", "page_results.jsonl")] == \
        overlapped

    # New thresholds: check again without crawling; the title rule stops firing.
    config.write_text(config.read_text() + "rules:\n  title: {min_length: 1, max_length: 200}\n"
                      "  h1: {enabled: false}\n")
    assert main(["check", str(run_dir), "-q"]) == 0
    assert main(["report", str(run_dir), "-q"]) == 0
    again = json.loads(js.read_text(encoding="utf-8"))
    codes = {(f["rule"], f["code"]) for f in again["findings"]}
    assert ("title", "missing") in codes and ("title", "too-long") not in codes
    assert not any(f["rule"] == "h1" for f in again["findings"])
    assert "h1" not in again["pages"][0]["scores"]


def test_check_refuses_an_unfinished_crawl(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "pages.jsonl").write_text("")
    config = write_config(tmp_path / "c.yaml", "https://www.exemple.fr/")
    assert main(["check", str(run_dir), "--config", str(config)]) == 1
    assert "crawl did not finish" in capsys.readouterr().err


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--out", str(out), "-q"]) == 0
    xlsx, js = _outputs(out)
    return xlsx, json.loads(js.read_text(encoding="utf-8"))


def _defect_rows() -> list[tuple[str, set[str], set[str], set[str]]]:
    """DEFECTS.md's table: (row number, page paths, rule ids, finding codes)."""
    rows = []
    text = (ROOT / "audit" / "demo" / "site" / "DEFECTS.md").read_text(encoding="utf-8")
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if len(cells) != 4 or not cells[0].isdigit():
            continue
        number, page, rule, _ = cells
        paths = {p for p in re.findall(r"`([^`]+)`", page) if p.startswith("/")}
        rules = {r for r in re.findall(r"[a-z0-9][a-z0-9-]*[a-z0-9]", re.sub(r"`[^`]*`", "", rule))
                 if r in all_rules()}
        codes = set(re.findall(r"`([^`]+)`", rule))
        rows.append((number, paths, rules, codes))
    return rows


def test_demo_defects_table_is_true(demo_run: tuple[Path, dict]) -> None:
    """Every planted defect of DEFECTS.md is reported, on the page and with the codes
    the table says."""
    _, report = demo_run
    rows = _defect_rows()
    assert len(rows) >= 30
    problems = []
    for number, paths, rules, codes in rows:
        assert rules, f"row {number}: no rule id"
        for rule in rules:
            found = [f for f in report["findings"] if f["rule"] == rule and (not paths or any(
                urlsplit(u).path in paths for u in [f["url"], *f.get("related", [])]))]
            got = {f["code"] for f in found}
            if not found or not codes & set(all_rules()[rule].codes) <= got:
                problems.append(f"row {number}: {rule} {sorted(codes)} on {sorted(paths)}: "
                                f"got {sorted(got)}")
    assert not problems, "\n".join(problems)


def test_demo_run_can_be_reported_again(demo_run: tuple[Path, dict]) -> None:
    """The demo's config and inputs stay next to the reports: later stages still work."""
    xlsx, report = demo_run
    (run_dir,) = [p for p in (xlsx.parent / "runs").glob("*/*") if p.is_dir()]
    assert main(["report", str(run_dir), "-q"]) == 0
    fix = report["summary"]["fix_first"]
    assert set(fix) == {"seo", "sea", "smo"} and all(1 <= len(a) <= 3 for a in fix.values())
    assert fix["sea"][0]["code"] == "no-tracking"  # 3 landing pages without a tag


def test_demo_fires_every_rule(demo_run: tuple[Path, dict]) -> None:
    xlsx, report = demo_run
    assert report["summary"]["scores"]["sea"] is not None
    rows = report["tables"]["sea-campaign/keywords"]
    assert {r["keyword"] for r in rows} >= {"formation seo gratuite", "audit seo lyon"}
    fired = {f["rule"] for f in report["findings"]}
    assert fired == set(all_rules()), f"rules silent on the demo: {set(all_rules()) - fired}"
    assert report["summary"]["rule_failures"] == 0
    assert 10 <= report["summary"]["html_pages"] <= 60  # issue 16 added technical pages
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["Synthèse", "Problèmes", "Pages", "Constats", "SEA", "SEA - pages",
                             "Backlinks", "Règles"]
    assert wb["SEA"].max_row == len(rows) + 1
    landing = {r["url"].split("/", 3)[-1]: r
               for r in report["tables"]["sea-landing-page/landing_pages"]}
    assert landing["lp/audit-seo-lyon.html"]["score"] == 100
    assert landing["lp/audit-seo-lyon.html"]["tracking"] == "Google Ads, GA4"
    assert landing["offres.html"]["redirects"] == 2
    assert wb["Backlinks"].max_row == len(report["backlinks"]) + 1 == 4
    # The Summary's SMO block: networks declared and linked, activity, Open Graph.
    smo = report["summary"]["smo"]
    nets = {n["network"]: (n["declared"], n["linked"], n["active"]) for n in smo["networks"]}
    assert nets == {"linkedin": (True, True, True), "instagram": (True, True, False),
                    "youtube": (True, False, False)}  # its feed: last video in July
    # 42 pages scored (19 of them technique/, issue 16); 3 without tags, the spring offer’s
    # image is missing (rows 26, 47).
    assert (smo["og_pages"], smo["og_complete"]) == (42, 38)
    summary_cells = [c.value for row in wb["Synthèse"].iter_rows() for c in row]
    assert "Réseaux sociaux (SMO)" in summary_cells and "inactif" in summary_cells
    assert "Backlinks (liens depuis d’autres sites)" in summary_cells
    # Each og:image fetched once: only the one never uploaded is reported.
    broken = {urlsplit(f["url"]).path for f in report["findings"] if f["code"] == "broken-image"}
    assert broken == {"/offres/printemps-2026.html"}
    assert wb["Constats"].max_row == len(report["findings"]) + 1
    assert wb["Pages"].max_row == len(report["pages"]) + 1
    # Rules' own columns (PageData), headed in the report's language, values localised.
    header = [c.value for c in next(wb["Pages"].iter_rows(max_row=1))]
    assert {"Lisibilité (Flesch)", "Niveau de lecture", "Mot-clé principal"} <= set(header)
    col = header.index("Mot-clé principal")
    focus = [row[col].value for row in wb["Pages"].iter_rows(min_row=2)]
    assert any(v and v.endswith("(détecté)") for v in focus)


def test_demo_honest_hidden_patterns_raise_nothing(demo_run: tuple[Path, dict]) -> None:
    """DEFECTS.md "Done right": the skip link, screen-reader text, mobile menu, <details>
    FAQ and consent banner of /contact.html are hidden text, and no finding; cloaking is
    found on the one page served differently to Googlebot, on no other."""
    _, report = demo_run
    text = (ROOT / "audit" / "demo" / "site" / "contact.html").read_text(encoding="utf-8")
    for pattern in ('class="lien-evitement"', 'class="visually-hidden"', 'id="menu-mobile"',
                    "<details>", 'class="bandeau-cookies"'):
        assert pattern in text
    on_contact = {(f["rule"], f["code"]) for f in report["findings"]
                  if urlsplit(f["url"]).path == "/contact.html"}
    assert on_contact == {("meta-description", "too-short"), ("open-graph", "no-twitter-card")}
    cloaked = {urlsplit(f["url"]).path for f in report["findings"] if f["rule"] == "cloaking"}
    assert cloaked == {"/services/audit-de-site.html"}


def test_demo_summary_breaks_down_statuses_and_indexability(demo_run: tuple[Path, dict]) -> None:
    """The Summary's « Codes HTTP et indexabilité » block: URLs per answer class and per
    indexability reason, the same counts in the JSON report and the workbook."""
    xlsx, report = demo_run
    summary = report["summary"]
    statuses, reasons = summary["statuses"], summary["indexability"]
    assert set(statuses) <= {"2xx", "3xx", "4xx", "5xx", "none", "robots"}
    assert statuses["3xx"] >= 3 and statuses["4xx"] >= 1 and statuses["5xx"] == 1
    assert sum(statuses.values()) == summary["pages"] == sum(reasons.values())
    assert reasons["noindex"] >= 3 and reasons["canonicalised"] >= 6
    sheet = load_workbook(xlsx)["Synthèse"]
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    rows = {r[1]: r[2] for r in cells if len(r) > 2 and isinstance(r[1], str)}
    assert rows["3xx (redirection)"] == statuses["3xx"]
    assert rows["noindex"] == reasons["noindex"]
    assert rows["Canonical vers une autre URL"] == reasons["canonicalised"]


def test_demo_issues_sheet_lists_every_issue_and_links_to_its_findings(demo_run) -> None:
    """The Issues sheet: one row per kind of issue, worst first, why and how to fix in
    French, and a link to the first row of its findings on the Findings sheet."""
    xlsx, _report = demo_run
    wb = load_workbook(xlsx)
    issues, findings = wb["Problèmes"], wb["Constats"]
    header = [c.value for c in issues[1]]
    assert header == ["N°", "Problème", "Catégorie", "Gravité", "Pages", "% des pages HTML",
                      "Pourquoi c’est important", "Comment corriger", "Détail"]
    rows = list(issues.iter_rows(min_row=2))
    assert len(rows) >= 50
    ranks = {"erreur": 0, "avertissement": 1, "remarque": 2}
    assert [ranks[r[3].value] for r in rows] == sorted(ranks[r[3].value] for r in rows)
    codes = {(c.value) for c in findings["C"][1:]}  # the Issue column of Findings
    for r in rows:
        link = r[8].hyperlink
        assert link is not None and link.location.startswith("'Constats'!A")
        target = int(link.location.rsplit("A", 1)[1])
        assert findings.cell(target, 3).value == r[1].value  # the issue's first finding
        assert r[1].value in codes
    broken = next(r for r in rows if r[1].value == "Lien interne cassé")
    assert broken[4].value == 3 and 0 < broken[5].value < 1
    assert all(r[6].value and r[7].value for r in rows)  # why and how to fix, always
    assert "lien" in broken[7].value.lower()


def test_demo_summary_click_depth_and_links_to_the_sheets(demo_run) -> None:
    xlsx, report = demo_run
    depths = report["summary"]["depths"]
    assert sum(depths.values()) == report["summary"]["html_pages"]
    assert depths["0"] == 1 and depths["1"] >= 5  # the home page, then its menu
    ws = load_workbook(xlsx)["Synthèse"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Profondeur de clic (pages HTML)" in texts and "0 — page de départ" in texts
    links = {c.value: c.hyperlink.location for row in ws.iter_rows() for c in row
             if c.hyperlink is not None and c.hyperlink.location}
    assert links["→ Problèmes"] == "'Problèmes'!A1"
    assert links["→ Constats"] == "'Constats'!A1"
    assert links["→ Backlinks"] == "'Backlinks'!A1"
