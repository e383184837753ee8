"""The Excel report: sheets, values, colours, and that crawled text can never run as a formula."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet import _writer as ws_writer

from audit.report import workbook
from audit.report.cells import MAX_CELL_CHARS, clean, is_linkable, is_risky
from audit.report.json_report import write_json
from audit.report.model import PageRow, ReportData, RuleInfo, Summary, TopIssue
from audit.report.workbook import (
    AMBER,
    BAR_COLOURS,
    GREEN,
    GREY,
    RED,
    score_band,
    write_workbook,
)
from audit.rule import Finding, Msg, Severity

SITE = "https://www.clairvoyance.fr"
HOSTILE = [
    '=HYPERLINK("http://evil","x")',
    "+33 1 23 45 67 89",
    "-2+3",
    "@SUM(A1)",
    "\tfoo",
    "\r=1+1",
]


def _rules() -> list[RuleInfo]:
    return [
        RuleInfo("title-length", "seo",
                 Msg("Titre de longueur correcte", "Title of correct length"),
                 Msg("Vérifie que le titre fait entre 30 et 65 caractères.",
                     "Checks the title is 30 to 65 characters long."),
                 weight=2.0, score=71.4, pages_scored=3, findings=1),
        RuleInfo("meta-description", "seo", Msg("Méta-description présente",
                                                "Meta description present"),
                 Msg("Vérifie la présence d’une méta-description, unique sur la page, de 70 à "
                     "160 caractères : c’est le texte que Google affiche le plus souvent sous "
                     "le titre dans ses résultats, et il décide du clic.",
                     "Checks a meta description is present."),
                 weight=1.0, score=33.3, pages_scored=3, findings=2),
        RuleInfo("og-tags", "smo", Msg("Balises Open Graph", "Open Graph tags"),
                 Msg("Vérifie og:title et og:image.", "Checks og:title and og:image."),
                 weight=1.0, score=90.0, pages_scored=2, findings=0),
        RuleInfo("amp-link", "seo", Msg("Lien AMP", "AMP link"), Msg("Désactivée.", "Disabled."),
                 weight=1.0, enabled=False),
    ]


def _pages() -> list[PageRow]:
    return [
        PageRow(f"{SITE}/", 200, 92.5, {"title-length": 100.0, "meta-description": 100.0,
                                        "og-tags": 80.0},
                title="Agence Clairvoyance — Conseil en référencement", word_count=812, depth=0,
                content_type="text/html; charset=utf-8", response_time=0.184, inlinks=41),
        PageRow(f"{SITE}/tarifs.html", 200, 61.0, {"title-length": 50.0, "meta-description": 0.0},
                title="Tarifs de l’agence Clairvoyance : audits SEO, SEA et SMO pour PME en France",
                word_count=1204, depth=1, content_type="text/html", response_time=0.3216,
                inlinks=12),
        PageRow(f"{SITE}/ancienne-offre", 301, None, {}, depth=2,
                redirect_to=f"{SITE}/tarifs.html", content_type="text/html", inlinks=1),
        PageRow(f"{SITE}/contact.html", 200, 35.0, {"title-length": 0.0, "meta-description": 0.0,
                                                    "og-tags": 100.0},
                title=HOSTILE[0], word_count=96, depth=1, content_type="text/html",
                response_time=0.05, inlinks=40),
    ]


def _findings() -> list[Finding]:
    return [
        Finding("title-length", f"{SITE}/tarifs.html", "too-long", Severity.WARNING,
                Msg("Titre trop long (74 caractères)", "Title too long (74 characters)"),
                evidence="Tarifs de l’agence Clairvoyance : audits SEO, SEA et SMO pour PME…"),
        Finding("meta-description", f"{SITE}/tarifs.html", "missing", Severity.ERROR,
                Msg("Méta-description absente", "Missing meta description")),
        Finding("meta-description", f"{SITE}/contact.html", "duplicate", Severity.NOTICE,
                Msg("Méta-description dupliquée", "Duplicate meta description"),
                evidence="Contactez l’agence\x00\x07 Clairvoyance",
                related=[f"{SITE}/page-{i}.html" for i in range(8)]),
        *(Finding("title-length", f"{SITE}/contact.html", "too-short", Severity.ERROR,
                  Msg("Titre trop court", "Title too short"), evidence=text) for text in HOSTILE),
        Finding("social-profiles", f"{SITE}/", "too-few-networks", Severity.WARNING,
                Msg("Un seul réseau social", "One social network only"), site=True),
    ]


def make_data(lang: str = "fr", scores: dict[str, float | None] | None = None,
              pages: list[PageRow] | None = None) -> ReportData:
    summary = Summary(
        client="Agence Clairvoyance",
        generated_at="2025-05-12T09:30:00+00:00",
        tool_version="0.1.0",
        start_urls=[f"{SITE}/"],
        pages=4,
        html_pages=3,
        scores=scores if scores is not None else {"seo": 45.2, "sea": None, "smo": 79.4,
                                                  "sem": 79.6},
        weights={"seo": 0.6, "sea": 0.3, "smo": 0.1},
        weights_used={"seo": 0.857, "sea": 0.0, "smo": 0.143},
        findings={"error": 2, "warning": 1, "notice": 1},
        top_issues=[
            TopIssue("meta-description", "missing", Msg("Méta-description absente",
                                                         "Missing meta description"),
                     Severity.ERROR, 2, 20.0),
            TopIssue("title-length", "too-long", Msg("Titre trop long", "Title too long"),
                     Severity.WARNING, 1, 3.0),
        ],
        rule_failures=1,
        crawl_seconds=83.2,
        notes=[Msg("Aucune donnée SEA : pas de balise de suivi publicitaire détectée.",
                   "No SEA data: no advertising tag found.")],
    )
    rows = pages if pages is not None else _pages()
    return ReportData(lang=lang, summary=summary, rules=_rules(),
                      pages=lambda: iter(rows), findings=lambda: iter(_findings()))


@pytest.fixture
def fr_book(tmp_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(write_workbook(make_data("fr"), tmp_path / "audit.xlsx"))


def _header_index(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1] if c.value is not None}


def _rgb(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:].upper()


# ------------------------------------------------------------------- structure


def test_sheet_names_follow_the_language(tmp_path: Path) -> None:
    fr = openpyxl.load_workbook(write_workbook(make_data("fr"), tmp_path / "fr.xlsx"))
    en = openpyxl.load_workbook(write_workbook(make_data("en"), tmp_path / "en.xlsx"))
    assert fr.sheetnames == ["Synthèse", "Problèmes", "Pages", "Constats", "Règles"]
    assert en.sheetnames == ["Summary", "Issues", "Pages", "Findings", "Rules"]
    assert en["Findings"]["D1"].value == "Severity"
    assert {en["Findings"].cell(r, 4).value for r in range(2, 11)} == {"error", "warning",
                                                                       "notice"}


def test_frozen_panes_and_autofilter(fr_book) -> None:
    for name, rows in (("Pages", 5), ("Constats", 11), ("Règles", 5)):
        ws = fr_book[name]
        assert ws.freeze_panes == "B2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{rows}"


# ------------------------------------------------------------------- summary


def _summary_scores(ws) -> dict[str, object]:
    """The tile under each of the SEO / SEA / SMO / SEM headers."""
    for row in ws.iter_rows():
        heads = {c.value: c for c in row if c.value in ("SEO", "SEA", "SMO", "SEM")}
        if len(heads) == 4:
            return {k: ws.cell(c.row + 1, c.column) for k, c in heads.items()}
    raise AssertionError("no score tiles")


def _text_cells(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_summary_scores_are_coloured_by_threshold(fr_book) -> None:
    ws = fr_book["Synthèse"]
    assert ws["A1"].value == "Audit SEO / SEA / SMO — Agence Clairvoyance"
    tiles = _summary_scores(ws)
    assert tiles["SEO"].value == pytest.approx(45.2) and _rgb(tiles["SEO"]) == RED[0]
    assert tiles["SMO"].value == pytest.approx(79.4) and _rgb(tiles["SMO"]) == AMBER[0]
    # shown as 80 (format "0"), so green like any 80
    assert tiles["SEM"].value == pytest.approx(79.6) and _rgb(tiles["SEM"]) == GREEN[0]
    assert tiles["SEM"].number_format == "0"
    assert tiles["SEA"].value == "—" and _rgb(tiles["SEA"]) == GREY[0]
    assert ws.cell(tiles["SEA"].row + 1, tiles["SEA"].column).value == "pas de données"
    assert ws.cell(tiles["SEO"].row + 1, tiles["SEO"].column).value is None


def test_summary_content(fr_book) -> None:
    ws = fr_book["Synthèse"]
    values = {row[1].value: row[2] for row in ws.iter_rows(min_col=1, max_col=3)
              if isinstance(row[1].value, str)}
    assert values["Client"].value == "Agence Clairvoyance"
    assert values["Date de l’audit"].value == datetime(2025, 5, 12)
    assert values["Date de l’audit"].number_format == "DD/MM/YYYY"
    assert values["URL de départ"].hyperlink.target == f"{SITE}/"
    assert values["Pages explorées"].value == 4
    assert values["Pages HTML (réponse 2xx)"].value == 3
    # configured vs renormalised weights: SEA was left out
    configured = [ws.cell(values["Poids configuré"].row, c).value for c in (3, 4, 5)]
    used = [ws.cell(values["Poids appliqué"].row, c).value for c in (3, 4, 5)]
    assert configured == [0.6, 0.3, 0.1] and used == [0.857, 0.0, 0.143]
    assert values["Poids appliqué"].number_format == "0%"
    assert values["Erreurs"].value == 2 and values["Total"].value == 4

    texts = _text_cells(ws)
    assert any(t.startswith("⚠ 1 échec") for t in texts)
    assert "Aucune donnée SEA : pas de balise de suivi publicitaire détectée." in texts

    top = next(r for r in ws.iter_rows() if r[0].value == "N°")[0].row
    assert [c.value for c in ws[top]][:6] == ["N°", "Problème", "Règle", "Gravité", "Pages",
                                              "Poids (pages × gravité × règle)"]
    assert [c.value for c in ws[top + 1]][:6] == [1, "Méta-description absente",
                                                  "meta-description", "erreur", 2, 20]
    assert ws.cell(top + 2, 4).value == "avertissement"


def test_summary_chart_plots_only_scores_with_data(fr_book) -> None:
    ws = fr_book["Synthèse"]
    assert len(ws._charts) == 1
    chart = ws._charts[0]
    assert chart.y_axis.scaling.min == 0 and chart.y_axis.scaling.max == 100
    ref = chart.series[0].val.numRef.f  # e.g. 'Synthèse'!$AB$4:$AB$6
    cells = ws[ref.split("!")[1].replace("$", "")]
    assert [c[0].value for c in cells] == [45, 79, 80]  # SEA has no data; rounded as shown
    colours = [p.graphicalProperties.solidFill.srgbClr for p in chart.series[0].dPt]
    assert colours == [BAR_COLOURS["red"], BAR_COLOURS["amber"], BAR_COLOURS["green"]]


@pytest.mark.parametrize(("score", "band"), [
    (0.0, "red"), (49.4, "red"), (49.5, "amber"), (79.4, "amber"), (79.5, "green"),
    (80.0, "green"), (100.0, "green"), (None, None)])
def test_score_band_thresholds(score: float | None, band: str | None) -> None:
    assert score_band(score) == band


def test_no_chart_and_grey_tiles_without_any_score(tmp_path: Path) -> None:
    data = make_data("en", scores={"seo": None, "sea": None, "smo": None, "sem": None})
    ws = openpyxl.load_workbook(write_workbook(data, tmp_path / "a.xlsx"))["Summary"]
    assert not ws._charts
    assert {c.value for c in _summary_scores(ws).values()} == {"—"}
    assert "no data" in _text_cells(ws)


def test_no_warning_line_without_rule_failures(tmp_path: Path) -> None:
    data = make_data("en")
    data.summary.rule_failures = 0
    ws = openpyxl.load_workbook(write_workbook(data, tmp_path / "a.xlsx"))["Summary"]
    assert not [t for t in _text_cells(ws) if t.startswith("⚠")]


# ------------------------------------------------------------------- pages


def test_pages_rows_match_the_input(fr_book) -> None:
    ws = fr_book["Pages"]
    col = _header_index(ws)
    # enabled rules that scored pages, in order, between the score and the title, named
    # in the report's language
    assert [c.value for c in ws[1]][:7] == ["URL", "Statut", "Score",
                                            "Titre de longueur correcte",
                                            "Méta-description présente", "Balises Open Graph",
                                            "Titre"]
    assert "Lien AMP" not in col
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == 4
    tarifs = rows[1]
    assert tarifs[0].value == f"{SITE}/tarifs.html"
    assert tarifs[0].hyperlink.target == f"{SITE}/tarifs.html"
    assert tarifs[col["Statut"] - 1].value == 200
    assert tarifs[col["Score"] - 1].value == 61
    assert tarifs[col["Score"] - 1].number_format == "0"
    assert tarifs[col["Titre de longueur correcte"] - 1].value == 50
    assert tarifs[col["Méta-description présente"] - 1].value == 0  # a real zero, not empty
    assert tarifs[col["Balises Open Graph"] - 1].value is None  # rule did not apply
    assert tarifs[col["Mots"] - 1].value == 1204
    assert tarifs[col["Temps de réponse (TTFB, ms)"] - 1].value == pytest.approx(321.6)
    redirect = rows[2]
    assert redirect[col["Score"] - 1].value is None
    assert redirect[col["Redirigée vers"] - 1].value == f"{SITE}/tarifs.html"


def test_pages_scores_use_conditional_formatting(fr_book) -> None:
    ws = fr_book["Pages"]
    ranges = {str(cf.sqref): [r.formula[0] for r in cf.rules] for cf in ws.conditional_formatting}
    assert ranges["C2:F5"] == ["AND(ISNUMBER(C2),ROUND(C2,0)<50)",
                               "AND(ISNUMBER(C2),ROUND(C2,0)<80)", "ISNUMBER(C2)"]
    # no per-cell fill on the data
    assert ws["C3"].fill.fill_type is None


# ------------------------------------------------------------------- findings and rules


def test_findings_rows(fr_book) -> None:
    ws = fr_book["Constats"]
    assert [c.value for c in ws[1]] == ["URL", "Règle", "Problème", "Gravité", "Message",
                                        "Élément relevé", "URL liées"]
    first = [c.value for c in ws[2]]
    # The issue's name: the rule's label of the code (the code itself for an unknown rule).
    assert first[:5] == [f"{SITE}/tarifs.html", "title-length", "too-long", "avertissement",
                         "Titre trop long (74 caractères)"]
    assert ws["A2"].hyperlink.target == f"{SITE}/tarifs.html"
    assert ws["E2"].alignment.wrap_text
    related = ws["G4"].value.split("\n")
    assert related[:5] == [f"{SITE}/page-{i}.html" for i in range(5)]
    assert related[5] == "… (+3)"


def test_rules_sheet(fr_book) -> None:
    ws = fr_book["Règles"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert rows[0] == ["title-length", "SEO", "Titre de longueur correcte",
                       "Vérifie que le titre fait entre 30 et 65 caractères.", 2, "oui",
                       71.4, 3, 1]
    assert rows[3][0] == "amp-link" and rows[3][5] == "non" and rows[3][6] is None
    # A description on three lines gets the height of three lines, one line the default.
    assert ws.row_dimensions[3].height >= 3 * 15
    assert ws.row_dimensions[2].height is None


# ------------------------------------------------------------------- safety


def test_hostile_text_stays_inert(fr_book) -> None:
    pages, findings = fr_book["Pages"], fr_book["Constats"]
    title = pages.cell(5, _header_index(pages)["Titre"])
    evidence = [findings.cell(r, 6) for r in range(5, 5 + len(HOSTILE))]
    for cell, expected in [(title, HOSTILE[0]), *zip(evidence, HOSTILE, strict=True)]:
        assert cell.value == expected
        assert cell.data_type == "s"
        assert cell.quotePrefix
    # an ordinary text gets no quote prefix
    assert not findings["F2"].quotePrefix


def test_control_characters_are_stripped(fr_book) -> None:
    assert fr_book["Constats"]["F4"].value == "Contactez l’agence Clairvoyance"


def test_hostile_urls_are_never_links(tmp_path: Path) -> None:
    pages = [PageRow(url, 200, 50.0, {}) for url in (
        "javascript:alert(1)", '=HYPERLINK("http://evil","x")', f"{SITE}/" + "a" * 2100,
        f"{SITE}/café et thé.html")]
    wb = openpyxl.load_workbook(write_workbook(make_data(pages=pages), tmp_path / "a.xlsx"))
    ws = wb["Pages"]
    cells = [ws.cell(r, 1) for r in range(2, 6)]
    assert [c.value for c in cells] == [p.url for p in pages]
    assert all(c.data_type == "s" for c in cells)
    assert [c.hyperlink is not None for c in cells] == [False, False, False, True]
    assert cells[1].quotePrefix
    # Excel refuses link targets that are not URIs: spaces and accents are encoded
    assert cells[3].hyperlink.target == f"{SITE}/caf%C3%A9%20et%20th%C3%A9.html"


def test_links_are_capped_per_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "MAX_LINKS_PER_SHEET", 2)
    wb = openpyxl.load_workbook(write_workbook(make_data("en"), tmp_path / "a.xlsx"))
    assert [wb["Pages"].cell(r, 1).hyperlink is not None for r in range(2, 6)] == [
        True, True, False, False]
    notes = [t for t in _text_cells(wb["Summary"]) if "only the first" in t]
    assert notes == ["Pages sheet: only the first 2 URLs are clickable (Excel limits the "
                     "number of links per sheet).",
                     "Findings sheet: only the first 2 URLs are clickable (Excel limits the "
                     "number of links per sheet)."]


def test_sheets_refuse_bare_strings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A bare str would skip text_cell(): the sheet refuses it rather than risk a formula.
    monkeypatch.setattr(workbook, "score_value", lambda ws, value, style: "=1+1")
    target = tmp_path / "a.xlsx"
    with pytest.raises(TypeError, match="text_cell"):
        write_workbook(make_data(), target)
    assert not target.exists()


def test_cell_helpers() -> None:
    assert all(is_risky(t) for t in HOSTILE)
    assert not is_risky("Titre normal") and not is_risky("")
    assert clean("a\x00b\x1fc\td\ne") == "abc\td\ne"
    assert len(clean("x" * 40_000)) == MAX_CELL_CHARS
    assert len(clean("😀" * 20_000).encode("utf-16-le")) <= 2 * MAX_CELL_CHARS
    assert is_linkable("https://www.clairvoyance.fr/tarifs.html")
    assert not is_linkable("ftp://www.clairvoyance.fr/") and not is_linkable("https://")


# ------------------------------------------------------------------- atomicity and size


def test_failure_leaves_target_untouched_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "audit.xlsx"
    target.write_bytes(b"previous report")
    data = make_data()

    def broken_pages() -> Iterator[PageRow]:
        yield from _pages()
        raise RuntimeError("disk read failed")

    data.pages = broken_pages
    temp_files_before = list(ws_writer.ALL_TEMP_FILES)
    temp_paths_before = set(Path(tempfile.gettempdir()).glob("openpyxl.*"))
    with pytest.raises(RuntimeError, match="disk read failed"):
        write_workbook(data, target)
    assert target.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["audit.xlsx"]
    # nor openpyxl's own per-sheet temporary files
    assert temp_files_before == ws_writer.ALL_TEMP_FILES
    assert set(Path(tempfile.gettempdir()).glob("openpyxl.*")) == temp_paths_before


def test_five_thousand_pages(tmp_path: Path) -> None:
    pages = [PageRow(f"{SITE}/article-{i}.html", 200, float(i % 101),
                     {"title-length": 100.0, "og-tags": float(i % 3 * 50)},
                     title=f"Article {i}", word_count=i, depth=i % 5, response_time=0.1)
             for i in range(5_000)]
    path = write_workbook(make_data(pages=pages), tmp_path / "big.xlsx")
    rows = list(openpyxl.load_workbook(path, read_only=True)["Pages"].values)
    assert len(rows) == 5_001
    assert rows[-1][:3] == (f"{SITE}/article-4999.html", 200, 4999 % 101)


# ------------------------------------------------------------------- backlinks and SMO


def _with_backlinks_and_smo(lang: str) -> ReportData:
    from audit.report.model import BacklinkSummary, NetworkRow, SmoSummary

    data = make_data(lang)
    rows = [{"source": "https://www.annuaire-lyon.fr/agences.html",
             "domain": "www.annuaire-lyon.fr",
             "target": f"{SITE}/", "found_target": f"{SITE}/", "anchor": HOSTILE[0],
             "expected_anchor": "Agence Clairvoyance", "state": "anchor-changed", "live": True,
             "follow": True, "page_status": 200, "page_error": "", "origin": "ahrefs.csv"},
            {"source": "https://blog.partenaire.fr/archives.html", "domain": "blog.partenaire.fr",
             "target": f"{SITE}/", "found_target": "", "anchor": "", "expected_anchor": "",
             "state": "page-gone", "live": False, "follow": False, "page_status": 404,
             "page_error": "", "origin": "config"}]
    data.backlinks = lambda: iter(rows)
    data.summary.backlinks = BacklinkSummary(links=2, referring_domains=2, live=1, lost=1,
                                             follow_share=1.0, anchors=[(HOSTILE[0], 1)])
    data.summary.smo = SmoSummary([NetworkRow("linkedin", True, True, "export", "2025-05-02",
                                              4.3, True),
                                   NetworkRow("tiktok", False, True)], og_pages=3, og_complete=2)
    return data


def test_backlinks_sheet_and_summary_blocks(tmp_path: Path) -> None:
    en = openpyxl.load_workbook(write_workbook(_with_backlinks_and_smo("en"),
                                               tmp_path / "en.xlsx"))
    assert en.sheetnames == ["Summary", "Issues", "Pages", "Findings", "Backlinks", "Rules"]
    ws = en["Backlinks"]
    assert [c.value for c in ws[1]][:7] == ["Referring page", "Domain", "Expected target",
                                           "Link found to", "Anchor", "Expected anchor",
                                           "State"]
    assert ws["E2"].value == HOSTILE[0] and ws["E2"].data_type == "s" and ws["E2"].quotePrefix
    assert (ws["G2"].value, ws["G3"].value, ws["I3"].value) == (
        "Backlink anchor changed", "Referring page unreachable", 404)
    assert ws.auto_filter.ref == "A1:J3"
    cells = {c.value: c for row in en["Summary"].iter_rows() for c in row if c.value}
    for text in ("Social networks (SMO)", "Networks declared / linked", "tiktok (not declared)",
                 "active", "unknown", "Backlinks (links from other sites)", "Referring domains"):
        assert text in cells, text
    assert cells[HOSTILE[0]].data_type == "s" and cells[HOSTILE[0]].quotePrefix
    fr = openpyxl.load_workbook(write_workbook(_with_backlinks_and_smo("fr"),
                                               tmp_path / "fr.xlsx"))
    assert fr["Backlinks"]["A1"].value == "Page référente"
    assert fr["Backlinks"]["G2"].value == "Ancre du backlink modifiée"


def test_a_site_finding_says_whole_site(fr_book, tmp_path: Path) -> None:
    ws = fr_book["Constats"]
    (row,) = [r for r in ws.iter_rows(min_row=2) if r[1].value == "social-profiles"]
    assert row[0].value == f"Site entier — {SITE}/" and row[0].hyperlink is None
    path = write_json(make_data("en"), tmp_path / "audit.json")
    (found,) = [f for f in json.loads(path.read_text(encoding="utf-8"))["findings"]
                if f["rule"] == "social-profiles"]
    assert found["site"] is True


def test_print_setup_a4_landscape_and_readable(tmp_path: Path) -> None:
    pages = [PageRow(url=f"{SITE}/p{i}.html", status=200, score=80.0,
                     scores={f"rule-{r}": 100.0 for r in range(40)}) for i in range(3)]
    book = openpyxl.load_workbook(write_workbook(make_data("fr", pages=pages),
                                                 tmp_path / "wide.xlsx"))
    for ws in book.worksheets:
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    findings, wide = book["Constats"], book["Pages"]
    assert findings.print_title_rows == "$1:$1" and findings.sheet_properties.pageSetUpPr.fitToPage
    # 40 rule columns fitted to one page would print unreadably small: across pages at
    # 55 %, the header row and the URL column on every page.
    assert not wide.sheet_properties.pageSetUpPr.fitToPage and wide.page_setup.scale == 55
    assert wide.print_title_rows == "$1:$1" and wide.print_title_cols == "$A:$A"


def test_a_rule_that_scored_no_page_has_no_pages_column(tmp_path: Path) -> None:
    data = make_data("fr")
    data.rules.append(RuleInfo("social-profiles", "smo", Msg("Présence sur les réseaux sociaux",
                                                             "Social network presence"),
                               Msg("Compte les réseaux.", "Counts the networks."),
                               weight=2.0, score=50.0, pages_scored=0, findings=1))
    ws = openpyxl.load_workbook(write_workbook(data, tmp_path / "a.xlsx"))["Pages"]
    assert "Présence sur les réseaux sociaux" not in _header_index(ws)
