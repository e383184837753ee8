"""The Excel workbook a consultant hands to the client: Summary, Pages, Findings, Rules.

openpyxl's write-only mode streams each sheet to its own temporary file, so a
100,000-page site never sits in memory and the sheets can be filled in any order: the
Summary (first tab) is filled last, once the other sheets know what they wrote. Every
text value goes through :mod:`audit.report.cells`, which keeps crawled content inert.
Colours on the big sheets come from conditional formatting, not per-cell fills, which
costs one rule per column range instead of one style per cell.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet import _writer as ws_writer
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.dimensions import RowDimension

from audit.atomic import atomic_path
from audit.indexability import REASONS
from audit.report.cells import (
    link_cell,
    make_style,
    num_cell,
    score_value,
    strict_rows,
    text_cell,
)
from audit.report.i18n import label
from audit.report.model import ReportData, RuleTable, Summary
from audit.rule import Finding, Severity
from audit.rules import all_rules

# Excel ignores hyperlinks beyond 65,530 per sheet (and may call the file damaged):
# past this many rows, URLs are written as plain text.
MAX_LINKS_PER_SHEET = 65_000
MAX_RELATED_SHOWN = 5  # related URLs listed in a finding before "… (+N)"
MAX_ROW_LINES = 12  # a finding row grows to show this many wrapped lines at most
LINE_HEIGHT = 15.0  # points per line of 11 pt text (Excel's default row height)

CATEGORIES = ("seo", "sea", "smo")
SCORE_KEYS = (*CATEGORIES, "sem")

# Excel's own "light fill with dark text" presets: familiar to anyone reading reports.
RED = ("FFC7CE", "9C0006")
AMBER = ("FFEB9C", "9C5700")
GREEN = ("C6EFCE", "006100")
GREY = ("EDEDED", "7F7F7F")
BLUE = ("DDEBF7", "1F4E78")
BAR_COLOURS = {"red": "F8696B", "amber": "FFC000", "green": "63BE7B"}
NAVY = "1F4E78"
FONT_NAME = "Calibri"  # the Office default; LibreOffice substitutes its metric twin Carlito
LINK_BLUE = "0563C1"
SEVERITY_COLOURS = {Severity.ERROR: RED, Severity.WARNING: AMBER, Severity.NOTICE: BLUE}


def score_band(score: float | None) -> str | None:
    """red below 50, amber from 50 to 79, green from 80; None without a score.

    Judged on the score as displayed (no decimals), so a 79.6 shown as 80 is green.
    """
    if score is None:
        return None
    shown = math.floor(score + 0.5)  # Excel's "0" format rounds half away from zero
    return "red" if shown < 50 else "amber" if shown < 80 else "green"


BAND_COLOURS = {"red": RED, "amber": AMBER, "green": GREEN}


def severity_label(severity: Severity | str, lang: str) -> str:
    return label(f"sev_{Severity(severity).value}", lang)


def write_workbook(data: ReportData, path: Path) -> Path:
    """Write the report workbook to ``path`` atomically; return ``path``.

    ``data.pages()`` and ``data.findings()`` are each iterated once. If anything fails,
    ``path`` keeps its previous content and no temporary file is left behind.
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        wb = Workbook(write_only=True)
        try:
            _fill(wb, data)
            wb.save(tmp)
        except BaseException:
            _discard_sheet_files(wb)
            raise
    return path


def _discard_sheet_files(wb: Workbook) -> None:
    """Remove the per-sheet temporary files openpyxl would otherwise keep until exit."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None or not isinstance(writer.out, str):
            continue
        for gen in (getattr(ws, "_rows", None), writer.xf, getattr(writer, "_fh", None)):
            with contextlib.suppress(Exception):
                if gen is not None:
                    gen.close()
        with contextlib.suppress(OSError):
            os.remove(writer.out)
        with contextlib.suppress(ValueError):
            ws_writer.ALL_TEMP_FILES.remove(writer.out)


# ---------------------------------------------------------------- styles


def _font(**kw: Any) -> Font:
    """A font with an explicit name: without one LibreOffice falls back to a serif face."""
    return Font(name=FONT_NAME, size=kw.pop("size", 11), **kw)


@dataclass
class _Styles:
    """Every cell style of the workbook, registered once (see cells.make_style)."""

    header: StyleArray
    header_rotated: StyleArray
    link: StyleArray
    link_top: StyleArray
    int0: StyleArray
    dec1: StyleArray
    dec2: StyleArray
    num0: StyleArray
    money_eur: StyleArray
    pct1: StyleArray
    top: StyleArray
    wrap_top: StyleArray
    centre_top: StyleArray
    # summary
    title: StyleArray
    section: StyleArray
    section_link: StyleArray
    info_label: StyleArray
    info_label_mid: StyleArray
    info_value: StyleArray
    info_date: StyleArray
    info_number: StyleArray
    info_pct: StyleArray
    score_head: StyleArray
    score_big: dict[str | None, StyleArray]
    score_note: StyleArray
    weight_pct: StyleArray
    weight_num: StyleArray
    weight_zero_pct: StyleArray
    note: StyleArray
    warning: StyleArray
    severity_label: dict[Severity, StyleArray]
    count: StyleArray
    count_total_label: StyleArray
    table_cell: StyleArray
    table_wrap: StyleArray
    table_centre: StyleArray
    table_number: StyleArray
    table_gain: StyleArray
    table_dec1: StyleArray
    table_pct: StyleArray
    table_delta: StyleArray
    table_delta_up: StyleArray
    table_delta_down: StyleArray
    table_severity: dict[Severity, StyleArray]
    table_date: StyleArray
    table_band: dict[str | None, StyleArray]  # green / amber / red, None: grey
    grey: StyleArray

    @classmethod
    def build(cls, ws: WriteOnlyWorksheet, lang: str) -> _Styles:
        def s(**kw: Any) -> StyleArray:
            return make_style(ws, **kw)

        thin = Side(style="thin", color="BFBFBF")
        row_line = Border(bottom=thin)
        boxed = Border(left=thin, right=thin, top=thin, bottom=thin)
        top = Alignment(vertical="top")
        centre = Alignment(horizontal="center", vertical="center")

        def solid(rgb: str) -> PatternFill:
            return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)

        header_font = _font(bold=True, color="FFFFFF")
        big = {
            band: s(font=_font(bold=True, size=22, color=fg), fill=solid(bg), alignment=centre,
                    border=boxed, number_format="0")
            for band, (bg, fg) in {**BAND_COLOURS, None: GREY}.items()
        }
        return cls(
            header=s(font=header_font, fill=solid(NAVY), border=boxed,
                     alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
            header_rotated=s(font=header_font, fill=solid(NAVY), border=boxed,
                             alignment=Alignment(horizontal="center", vertical="bottom",
                                                 text_rotation=90)),
            link=s(font=_font(color=LINK_BLUE, underline="single")),
            link_top=s(font=_font(color=LINK_BLUE, underline="single"), alignment=top),
            int0=s(number_format="0"),
            dec1=s(number_format="0.0"),
            dec2=s(number_format="#,##0.00"),
            num0=s(number_format="#,##0"),
            money_eur=s(number_format='#,##0.00\\ "€"'),
            pct1=s(number_format='0.0\\ "%"'),
            top=s(alignment=top),
            wrap_top=s(alignment=Alignment(vertical="top", wrap_text=True)),
            centre_top=s(alignment=Alignment(horizontal="center", vertical="top")),
            title=s(font=_font(bold=True, size=18, color=NAVY)),
            section=s(font=_font(bold=True, size=13, color=NAVY),
                      border=Border(bottom=Side(style="medium", color=NAVY))),
            section_link=s(font=_font(color=LINK_BLUE, underline="single"),
                           alignment=Alignment(horizontal="right", vertical="bottom"),
                           border=Border(bottom=Side(style="medium", color=NAVY))),
            info_label=s(font=_font(bold=True, color="404040")),
            info_label_mid=s(font=_font(bold=True, color="404040"),
                             alignment=Alignment(vertical="center")),
            info_value=s(alignment=Alignment(horizontal="left")),
            info_date=s(alignment=Alignment(horizontal="left"),
                        number_format=label("date_format", lang)),
            info_number=s(alignment=Alignment(horizontal="left"), number_format="#,##0"),
            info_pct=s(alignment=Alignment(horizontal="left"), number_format="0%"),
            score_head=s(font=_font(bold=True, size=12, color="FFFFFF"), fill=solid(NAVY),
                         alignment=centre, border=boxed),
            score_big=big,
            score_note=s(font=_font(italic=True, color=GREY[1]), alignment=centre),
            weight_pct=s(alignment=centre, number_format="0%"),
            weight_num=s(alignment=centre, number_format="General"),
            weight_zero_pct=s(font=_font(color=GREY[1]), alignment=centre, number_format="0%"),
            note=s(font=_font(italic=True, color="595959"),
                   alignment=Alignment(vertical="top", wrap_text=True)),
            warning=s(font=_font(bold=True, color=RED[1]), fill=solid(RED[0]),
                      alignment=Alignment(vertical="center", wrap_text=True)),
            severity_label={sev: s(font=_font(bold=True, color=fg), fill=solid(bg), border=boxed)
                            for sev, (bg, fg) in SEVERITY_COLOURS.items()},
            count=s(font=_font(bold=True), alignment=Alignment(horizontal="right"),
                    number_format="#,##0", border=boxed),
            count_total_label=s(font=_font(bold=True), border=boxed),
            table_cell=s(border=row_line, alignment=top),
            table_wrap=s(border=row_line, alignment=Alignment(vertical="top", wrap_text=True)),
            table_centre=s(border=row_line, alignment=Alignment(horizontal="center",
                                                                vertical="top")),
            table_number=s(border=row_line, alignment=top, number_format="#,##0"),
            table_dec1=s(border=row_line, alignment=top, number_format="0.0"),
            table_pct=s(border=row_line, alignment=top, number_format="0%"),
            # Explicit font colours: the number format's [Color10] is green in Excel but
            # near-white in LibreOffice's palette.
            table_delta=s(border=row_line, alignment=top, font=_font(bold=True),
                          number_format='"+"0.0;"−"0.0;0.0'),
            table_delta_up=s(border=row_line, alignment=top,
                             font=_font(bold=True, color=GREEN[1]),
                             number_format='"+"0.0;"−"0.0;0.0'),
            table_delta_down=s(border=row_line, alignment=top,
                               font=_font(bold=True, color=RED[1]),
                               number_format='"+"0.0;"−"0.0;0.0'),
            table_gain=s(border=row_line, alignment=top, number_format='"+"0.0',
                         font=_font(bold=True, color="2E7D32")),
            table_severity={sev: s(font=_font(bold=True, color=fg), fill=solid(bg),
                                   border=row_line,
                                   alignment=Alignment(horizontal="center", vertical="top"))
                            for sev, (bg, fg) in SEVERITY_COLOURS.items()},
            table_date=s(border=row_line, alignment=Alignment(horizontal="center",
                                                                vertical="top"),
                         number_format=label("date_format", lang)),
            table_band={band: s(font=_font(bold=True, color=fg), fill=solid(bg),
                                border=row_line,
                                alignment=Alignment(horizontal="center", vertical="top"))
                        for band, (bg, fg) in {**BAND_COLOURS, None: GREY}.items()},
            grey=s(font=_font(color=GREY[1])),
        )


# ---------------------------------------------------------------- helpers


@dataclass
class _Links:
    """Counts the hyperlinks of one sheet against Excel's limit."""

    sheet: str
    used: int = 0
    refused: int = 0

    def take(self) -> bool:
        if self.used < MAX_LINKS_PER_SHEET:
            self.used += 1
            return True
        self.refused += 1
        return False


def _text(ws: WriteOnlyWorksheet, value: str | None, style: StyleArray | None = None
          ) -> Cell | None:
    """A text cell, or nothing at all for an empty unstyled value (keeps the file small)."""
    if not value and style is None:
        return None
    return text_cell(ws, value or "", style)


def _setup_table(ws: WriteOnlyWorksheet, widths: Sequence[float], header_height: float | None
                 ) -> None:
    """What must be set before the first row is streamed: widths, frozen panes, print."""
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "B2"
    if header_height:
        ws.row_dimensions[1].height = header_height
    ws.print_title_rows = "1:1"
    _print_a4(ws)
    if sum(widths) > MAX_FIT_WIDTH:
        # Fitted to one page, 30 rule columns would print too small to read: the table
        # runs across pages at a readable scale, the URL column repeated on each.
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = PRINT_SCALE
        ws.print_title_cols = "A:A"


# A4 landscape holds ≈ 150 width units (Calibri 11 characters) at 100 %; fitted down to
# 50 % (small, still readable) about 300: wider tables print across pages at 55 %
# instead of in tiny type (the Pages sheet's 30-odd rule columns).
MAX_FIT_WIDTH = 300
PRINT_SCALE = 55
PAPER_A4 = "9"  # the paperSize code of A4 in SpreadsheetML


def _print_a4(ws: WriteOnlyWorksheet) -> None:
    """A4 landscape (French clients print on A4), one page wide, as many pages long as
    needed."""
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def _finish_table(ws: WriteOnlyWorksheet, ncols: int, last_row: int) -> None:
    ws.auto_filter.ref = f"A1:{get_column_letter(max(ncols, 1))}{max(last_row, 1)}"


def _solid_dxf(colours: tuple[str, str]) -> dict[str, Any]:
    bg, fg = colours
    return {"fill": PatternFill(fill_type="solid", start_color=bg, end_color=bg, bgColor=bg),
            "font": Font(color=fg)}


def _score_formatting(ws: WriteOnlyWorksheet, first_col: int, last_col: int, last_row: int
                      ) -> None:
    """Red / amber / green on a block of 0-100 scores; empty cells stay uncoloured."""
    if last_row < 2 or last_col < first_col:
        return
    a1 = f"{get_column_letter(first_col)}2"
    ref = f"{a1}:{get_column_letter(last_col)}{last_row}"
    # ISNUMBER: a blank cell (rule did not apply) would otherwise count as 0, i.e. red.
    shown = f"ROUND({a1},0)"  # as displayed, like score_band()
    for formula, colours in ((f"AND(ISNUMBER({a1}),{shown}<50)", RED),
                             (f"AND(ISNUMBER({a1}),{shown}<80)", AMBER),
                             (f"ISNUMBER({a1})", GREEN)):
        ws.conditional_formatting.add(ref, FormulaRule(
            formula=[formula], stopIfTrue=True, **_solid_dxf(colours)))


def _severity_formatting(ws: WriteOnlyWorksheet, col: int, last_row: int, lang: str) -> None:
    if last_row < 2:
        return
    a1 = f"{get_column_letter(col)}2"
    ref = f"{a1}:{get_column_letter(col)}{last_row}"
    for sev, colours in SEVERITY_COLOURS.items():
        ws.conditional_formatting.add(ref, FormulaRule(
            formula=[f'{a1}="{severity_label(sev, lang)}"'], stopIfTrue=True,
            **_solid_dxf(colours)))


# Widths of characters in Calibri 11 relative to "0" (Excel's column width unit): a row
# is sized from the text's estimated width, so short lines of narrow letters stay on one
# line and lines of capitals or "m"/"w" still get the room they need.
_NARROW = "iljft.,;:!'’|()[] I"
_WIDE = "mwMW@%ABCDEGHKNOQRUVXYZ"
# Narrow characters become \x01 and wide ones \x02 (control characters never reach a
# cell): two counts in C instead of a Python loop over every character.
_CLASSES = str.maketrans({**dict.fromkeys(_NARROW, "\x01"), **dict.fromkeys(_WIDE, "\x02")})


def _text_width(text: str) -> float:
    classed = text.translate(_CLASSES)
    narrow, wide = classed.count("\x01"), classed.count("\x02")
    return 0.9 * (len(text) - narrow - wide) + 0.5 * narrow + 1.35 * wide


def _fit_row(ws: WriteOnlyWorksheet, row: int, lines: int) -> None:
    """Give a row the height of ``lines`` wrapped lines (capped): neither Excel nor
    LibreOffice grows a row for wrapped text on opening, and in print it would overlap."""
    if lines > 1:
        ws.row_dimensions[row].height = LINE_HEIGHT * min(lines, MAX_ROW_LINES) + 2


def _lines(text: str, width: float) -> int:
    """Roughly how many lines ``text`` takes when wrapped in a column ``width`` wide."""
    usable = max(width - 1.0, 1.0)  # cell padding
    if len(text) * 1.35 <= usable and "\n" not in text:
        return 1  # fits even in the widest letters: no need to measure
    return sum(max(1, math.ceil(_text_width(part) / usable)) for part in text.split("\n"))


def _header(ws: WriteOnlyWorksheet, st: _Styles, titles: Iterable[str],
            rotated: Iterable[int] = ()) -> None:
    rotated = set(rotated)
    ws.append([text_cell(ws, t, st.header_rotated if i in rotated else st.header)
               for i, t in enumerate(titles)])


# ---------------------------------------------------------------- sheets


def _fill(wb: Workbook, data: ReportData) -> None:
    lang = data.lang
    summary_ws, issues_ws, pages_ws, findings_ws = (
        strict_rows(wb.create_sheet(label(key, lang)))
        for key in ("sheet_summary", "sheet_issues", "sheet_pages", "sheet_findings"))
    taken = {label(k, lang) for k in ("sheet_summary", "sheet_issues", "sheet_pages",
                                      "sheet_findings", "sheet_rules", "sheet_backlinks",
                                      "sheet_changes")}
    table_ws = []
    for t in data.tables:  # the rules' own sheets (SEA keywords...), before Rules
        name = t.table.title.get(lang)[:31]
        while name in taken:
            name = name[:28] + f" {len(taken)}"
        taken.add(name)
        table_ws.append((strict_rows(wb.create_sheet(name)), t))
    backlinks_ws = None
    if data.backlinks is not None:
        backlinks_ws = strict_rows(wb.create_sheet(label("sheet_backlinks", lang)))
    rules_ws = strict_rows(wb.create_sheet(label("sheet_rules", lang)))
    changes_ws = None
    if data.changes is not None:  # right after the Summary: what a returning client reads
        changes_ws = strict_rows(wb.create_sheet(label("sheet_changes", lang), 1))
    st = _Styles.build(summary_ws, lang)
    if changes_ws is not None:
        _write_changes(changes_ws, data, st)
    wb.properties.title = label("title", lang, client=data.summary.client).rstrip(" —")
    wb.properties.creator = f"seo-audit {data.summary.tool_version}".strip()

    _write_issues(issues_ws, data, st)
    links = [_write_pages(pages_ws, data, st), _write_findings(findings_ws, data, st)]
    links += [_write_table(ws, t, data.lang, st) for ws, t in table_ws]
    if backlinks_ws is not None:
        links.append(_write_backlinks(backlinks_ws, data, st))
    _write_rules(rules_ws, data, st)
    # French groups thousands with a narrow no-break space: 65 000, not 65,000.
    n = f"{MAX_LINKS_PER_SHEET:,}".replace(",", "\u202f" if lang == "fr" else ",")
    notes = [label("links_capped", lang, sheet=lk.sheet, n=n) for lk in links if lk.refused]
    _write_summary(summary_ws, data, st, notes)


def _write_issues(ws: WriteOnlyWorksheet, data: ReportData, st: _Styles) -> None:
    """Every kind of issue found, worst first, as SEO tools' issue overviews do: its name,
    category, severity, the pages affected and their share, why it matters, how to fix
    it, and a link to its first row on the Findings sheet."""
    lang = data.lang
    titles = [label(k, lang) for k in ("rank", "issue", "category", "severity", "pages",
                                       "share_html", "why", "how_to_fix", "see_findings")]
    widths = [6, 36, 10, 14, 9, 13, 60, 60, 18]
    _setup_table(ws, widths, 30)
    _header(ws, st, titles)
    findings_sheet = label("sheet_findings", lang).replace("'", "''")
    sev_text = {sev: severity_label(sev, lang) for sev in Severity}
    row_no = 1
    for n, issue in enumerate(data.issues, 1):
        why = issue.why.get(lang) if issue.why else ""
        fix = issue.fix.get(lang) if issue.fix else ""
        name = issue.label.get(lang)
        lines = max(_lines(why, widths[6]), _lines(fix, widths[7]), _lines(name, widths[1]))
        _fit_row(ws, row_no + 1, lines)
        see = text_cell(ws, label("findings_row", lang, n=issue.first_row), st.link_top)
        see.link = f"#'{findings_sheet}'!A{issue.first_row}"
        ws.append([
            num_cell(ws, n, st.table_number),
            text_cell(ws, name, st.table_wrap),
            text_cell(ws, issue.category.upper(), st.table_centre),
            text_cell(ws, sev_text[issue.severity], st.table_severity[issue.severity]),
            text_cell(ws, label("whole_site", lang), st.table_cell) if issue.site
            else num_cell(ws, issue.pages, st.table_number),
            num_cell(ws, issue.share, st.table_pct) if issue.share is not None
            else text_cell(ws, "", st.table_cell),
            text_cell(ws, why, st.table_wrap),
            text_cell(ws, fix, st.table_wrap),
            see,
        ])
        row_no += 1
    _finish_table(ws, len(titles), row_no)


def _write_pages(ws: WriteOnlyWorksheet, data: ReportData, st: _Styles) -> _Links:
    lang = data.lang
    # One column per rule that scored at least one page: a rule that judges the site as a
    # whole (social presence, campaigns) or applied to no page would be an empty column.
    shown_rules = [r for r in data.rules if r.enabled and r.pages_scored]
    rule_ids = [r.id for r in shown_rules]
    rule_titles = [r.title.get(lang) for r in shown_rules]  # in the report's language
    first_rule, last_rule = 4, 3 + len(rule_ids)
    data_keys = [key for key, _ in data.data_columns]
    titles = [label("url", lang), label("status", lang), label("score", lang), *rule_titles,
              label("page_title", lang), label("words", lang),
              *(header.get(lang) for _, header in data.data_columns),
              *(label(k, lang) for k in ("depth", "inlinks", "pagerank", "response_ms",
                                         "content_type", "redirect_to", "error"))]
    widths = [60, 8, 8, *([5.5] * len(rule_ids)), 50, 9, *([16] * len(data_keys)),
              11, 11, 12, 12, 24, 50, 30]
    # Rule titles are written vertically to keep 30+ rule columns narrow.
    longest = max((_text_width(t) for t in rule_titles), default=0)
    _setup_table(ws, widths, min(max(32.0, longest * 6.5 + 14), 300.0))  # never clipped
    _header(ws, st, titles, rotated=range(first_rule - 1, last_rule))

    links = _Links(label("sheet_pages", lang))
    row_no = 1
    for page in data.pages():
        scores = page.scores
        ms = None if page.response_time is None else page.response_time * 1000
        ws.append([
            link_cell(ws, page.url, link_style=st.link, linked=links.take()),
            page.status,
            num_cell(ws, page.score, st.int0),
            *(score_value(ws, scores.get(rid), st.int0) for rid in rule_ids),
            _text(ws, page.title),
            page.word_count,
            *(_data_cell(ws, page.data.get(key), st) for key in data_keys),
            page.depth,
            page.inlinks,
            num_cell(ws, page.pagerank, st.dec1),
            num_cell(ws, ms, st.int0),
            _text(ws, page.content_type),
            _text(ws, page.redirect_to),
            _text(ws, page.error),
        ])
        row_no += 1

    _finish_table(ws, len(titles), row_no)
    _score_formatting(ws, 3, last_rule, row_no)
    if row_no >= 2:  # HTTP errors stand out in the status column
        ref = f"B2:B{row_no}"
        ws.conditional_formatting.add(ref, FormulaRule(
            formula=["AND(ISNUMBER(B2),B2>=400)"], stopIfTrue=True, **_solid_dxf(RED)))
        ws.conditional_formatting.add(ref, FormulaRule(
            formula=["AND(ISNUMBER(B2),B2>=300)"], stopIfTrue=True, **_solid_dxf(AMBER)))
    return links


def _data_cell(ws: WriteOnlyWorksheet, value: Any, st: _Styles) -> Any:
    """A rule's PageData value: numbers as numbers, anything else as inert text."""
    if value is None or isinstance(value, bool):
        return None if value is None else _text(ws, str(value))
    if isinstance(value, int | float):
        return value if float(value).is_integer() else num_cell(ws, round(value, 1), st.dec1)
    return _text(ws, value)


def _related(urls: list[str], lang: str) -> str:
    shown = urls[:MAX_RELATED_SHOWN]
    text = "\n".join(shown)
    if len(urls) > len(shown):
        text += "\n" + label("more", lang, n=len(urls) - len(shown))
    return text


def _write_findings(ws: WriteOnlyWorksheet, data: ReportData, st: _Styles) -> _Links:
    lang = data.lang
    titles = [label(k, lang) for k in ("url", "rule", "issue", "severity", "message",
                                       "evidence", "related")]
    widths = [60, 22, 32, 15, 60, 50, 60]
    issue_names: dict[tuple[str, str], str] = {}
    _setup_table(ws, widths, 30)
    _header(ws, st, titles)
    links = _Links(label("sheet_findings", lang))
    sev_text = {sev: severity_label(sev, lang) for sev in Severity}
    site_wide = label("whole_site", lang)  # a finding of the site, filed under its home page
    # One shared dimension per height: building one per row costs more than the row itself.
    heights = {n: RowDimension(ws, ht=LINE_HEIGHT * n + 2) for n in range(2, MAX_ROW_LINES + 1)}
    row_no = 1
    f: Finding
    for f in data.findings():
        row_no += 1
        message = f.message.get(lang)
        evidence = f.evidence or ""
        related = _related(f.related, lang) if f.related else ""
        # Row heights are set here because neither Excel nor LibreOffice reliably grows a
        # row for wrapped text on opening a file.
        issue = issue_names.get((f.rule, f.code))
        if issue is None:
            issue = issue_names[(f.rule, f.code)] = _code_label(f.rule, f.code, lang)
        lines = max(_lines(message, widths[4]), _lines(evidence, widths[5]),
                    _lines(related, widths[6]), _lines(issue, widths[2]))
        if lines > 1:
            ws.row_dimensions[row_no] = heights[min(lines, MAX_ROW_LINES)]
        ws.append([
            text_cell(ws, f"{site_wide} — {f.url}", st.top) if f.site else
            link_cell(ws, f.url, st.top, link_style=st.link_top, linked=links.take()),
            text_cell(ws, f.rule, st.top),
            text_cell(ws, issue, st.wrap_top),
            text_cell(ws, sev_text.get(f.severity, str(f.severity)), st.centre_top),
            text_cell(ws, message, st.wrap_top),
            _text(ws, evidence, st.wrap_top),
            _text(ws, related, st.wrap_top),
        ])
        if lines > 1:  # already streamed: do not keep 100,000 dimension objects around
            del ws.row_dimensions[row_no]
    _finish_table(ws, len(titles), row_no)
    _severity_formatting(ws, 4, row_no, lang)
    return links


def _table_cell(ws: WriteOnlyWorksheet, value: Any, kind: str, currency: str,
                st: _Styles, links: _Links) -> Any:
    if value is None or value == "":
        return None
    if kind == "url":
        return link_cell(ws, str(value), link_style=st.link, linked=links.take())
    if kind in ("int", "number", "money", "percent") and isinstance(value, int | float) \
            and not isinstance(value, bool):
        if kind == "int":
            return num_cell(ws, int(value), st.num0)
        if kind == "percent":
            return num_cell(ws, round(value, 1), st.pct1)
        if kind == "money":
            style = st.money_eur if currency in ("", "EUR") else st.dec2
            return num_cell(ws, round(value, 2), style)
        return num_cell(ws, round(value, 2), st.dec2)
    return _text(ws, str(value))


def _write_table(ws: WriteOnlyWorksheet, t: RuleTable, lang: str, st: _Styles) -> _Links:
    """A rule's own sheet: one row per Row outcome, cells typed by their column kind."""
    columns = t.table.columns
    _setup_table(ws, [c.width for c in columns], 30)
    _header(ws, st, [c.header.get(lang) for c in columns])
    links = _Links(t.table.title.get(lang))
    for row in t.rows:
        currency = str(row.get("currency") or "")
        ws.append([_table_cell(ws, row.get(c.key), c.kind, currency, st, links)
                   for c in columns])
    _finish_table(ws, len(columns), len(t.rows) + 1)
    return links


def _write_changes(ws: WriteOnlyWorksheet, data: ReportData, st: _Styles) -> None:
    """Since the previous run: score deltas, new and fixed findings, pages added and
    removed, page scores that moved (each list capped, with its exact count)."""
    changes = data.changes
    assert changes is not None
    lang = data.lang
    for col, width in {"A": 60, "B": 24, "C": 34, "D": 14, "E": 12}.items():
        ws.column_dimensions[col].width = width
    ws.sheet_view.showGridLines = False
    _print_a4(ws)
    g = _Grid(ws)
    day = _parse_date(changes.previous_at)
    shown = day.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d") if day else \
        changes.previous_at
    g.line(text_cell(ws, label("changes_title", lang, date=shown), st.title), height=32)
    g.skip()

    def section(text: str) -> None:
        g.line(*(text_cell(ws, t, st.section) for t in (text, "", "", "", "")), height=22)

    section(label("sec_score_changes", lang))
    g.line(text_cell(ws, "", st.header),
           *(text_cell(ws, label(k, lang), st.header) for k in ("before", "now", "delta")),
           height=20)
    for cat, (before, now) in changes.scores.items():
        delta = None if before is None or now is None else round(now - before, 1)
        g.line(text_cell(ws, cat.upper(), st.table_cell),
               num_cell(ws, before, st.table_dec1), num_cell(ws, now, st.table_dec1),
               num_cell(ws, delta, _delta_style(st, delta)))
    links = _Links(label("sheet_changes", lang))

    def url(u: str) -> Any:
        return link_cell(ws, u, st.table_cell, link_style=st.link, linked=links.take())

    sev_text = {sev: severity_label(sev, lang) for sev in Severity}
    for key, listing in (("sec_new_findings", changes.new_findings),
                         ("sec_fixed_findings", changes.fixed_findings),
                         ("sec_gone_findings", changes.gone_findings)):
        g.skip()
        section(label(key, lang, n=listing.count))
        g.line(*(text_cell(ws, label(k, lang), st.header)
                 for k in ("url", "rule", "issue", "severity")), height=20)
        for rule, code, u, severity in listing.rows:
            issue = _code_label(rule, code, lang)
            sev = Severity(severity)
            g.line(url(u), text_cell(ws, rule, st.table_cell), text_cell(ws, issue, st.table_cell),
                   text_cell(ws, sev_text[sev], st.table_severity[sev]))
        _listing_end(g, ws, st, listing, lang)
    for key, listing in (("sec_pages_added", changes.pages_added),
                         ("sec_pages_removed", changes.pages_removed)):
        g.skip()
        section(label(key, lang, n=listing.count))
        g.line(*(text_cell(ws, label(k, lang), st.header) for k in ("url", "status", "score")),
               height=20)
        for u, status, score in listing.rows:
            g.line(url(u), num_cell(ws, status, st.table_number),
                   num_cell(ws, score, st.table_dec1))
        _listing_end(g, ws, st, listing, lang)
    g.skip()
    section(label("sec_page_scores", lang, n=changes.page_scores.count))
    g.line(*(text_cell(ws, label(k, lang), st.header) for k in ("url", "before", "now", "delta")),
           height=20)
    for u, before, now in changes.page_scores.rows:
        g.line(url(u), num_cell(ws, before, st.table_dec1), num_cell(ws, now, st.table_dec1),
               num_cell(ws, round(now - before, 1), _delta_style(st, now - before)))
    _listing_end(g, ws, st, changes.page_scores, lang)
    g.flush()


def _delta_style(st: _Styles, delta: float | None) -> StyleArray:
    if delta is None or round(delta, 1) == 0:
        return st.table_delta
    return st.table_delta_up if delta > 0 else st.table_delta_down


def _code_label(rule: str, code: str, lang: str) -> str:
    from audit.rules import all_rules

    cls = all_rules().get(rule)
    return cls.codes[code].label.get(lang) if cls and code in cls.codes else code


def _listing_end(g: _Grid, ws: WriteOnlyWorksheet, st: _Styles, listing: Any,
                 lang: str) -> None:
    if not listing.count:
        g.line(text_cell(ws, label("nothing", lang), st.note))
    elif listing.count > len(listing.rows):
        g.line(text_cell(ws, label("listed_first", lang, n=len(listing.rows)), st.note))


def _write_rules(ws: WriteOnlyWorksheet, data: ReportData, st: _Styles) -> None:
    lang = data.lang
    titles = [label(k, lang) for k in ("rule", "category", "rule_title", "description",
                                       "weight", "enabled", "site_score", "pages_scored",
                                       "findings")]
    widths = [26, 11, 40, 70, 8, 9, 12, 12, 11]
    _setup_table(ws, widths, 30)
    _header(ws, st, titles)
    row_no = 1
    for rule in data.rules:
        # A disabled rule is listed (the client sees what was not checked) but greyed.
        plain = st.top if rule.enabled else st.grey
        lines = max(_lines(rule.title.get(lang), widths[2]),
                    _lines(rule.description.get(lang), widths[3]))
        _fit_row(ws, row_no + 1, lines)
        ws.append([
            text_cell(ws, rule.id, plain),
            text_cell(ws, rule.category.upper(), plain),
            text_cell(ws, rule.title.get(lang), st.wrap_top),
            text_cell(ws, rule.description.get(lang), st.wrap_top),
            rule.weight,
            text_cell(ws, label("yes" if rule.enabled else "no", lang), plain),
            # An enabled rule that judged no page has no score: "—", never a silent 100.
            num_cell(ws, rule.score, st.int0) if rule.score is not None or not rule.enabled
            else text_cell(ws, label("not_scored", lang), st.table_centre),
            rule.pages_scored,
            rule.findings,
        ])
        row_no += 1
    _finish_table(ws, len(titles), row_no)
    _score_formatting(ws, 7, 7, row_no)


def _write_backlinks(ws: WriteOnlyWorksheet, data: ReportData, st: _Styles) -> _Links:
    """One row per expected backlink: where it should be, what was found, its state."""
    lang = data.lang
    titles = [label(k, lang) for k in ("referring_page", "domain", "expected_target",
                                       "found_target", "anchor", "expected_anchor", "bl_state",
                                       "follow", "page_status", "origin")]
    widths = [55, 24, 45, 45, 30, 30, 34, 11, 13, 20]
    _setup_table(ws, widths, 30)
    _header(ws, st, titles)
    codes = all_rules()["backlinks"].codes
    state_text = {code: c.label.get(lang) for code, c in codes.items()}
    state_text["live"] = label("bl_live_state", lang)
    state_text["not-checked"] = label("bl_not_checked_state", lang)
    links = _Links(label("sheet_backlinks", lang))
    row_no = 1
    assert data.backlinks is not None
    for row in data.backlinks():
        row_no += 1
        state = str(row.get("state", ""))
        page_status = row.get("page_status") or row.get("page_error") or None
        ws.append([
            link_cell(ws, str(row.get("source", "")), st.top, link_style=st.link_top,
                      linked=links.take()),
            _text(ws, str(row.get("domain", ""))),
            _text(ws, str(row.get("target", ""))),
            _text(ws, str(row.get("found_target", ""))),
            _text(ws, str(row.get("anchor", ""))),
            _text(ws, str(row.get("expected_anchor", ""))),
            text_cell(ws, state_text.get(state, state), st.top),
            text_cell(ws, label("yes" if row.get("follow") else "no", lang), st.centre_top),
            page_status if isinstance(page_status, int) else _text(ws, page_status),
            _text(ws, label("origin_config", lang) if row.get("origin") == "config"
                  else str(row.get("origin", ""))),
        ])
    _finish_table(ws, len(titles), row_no)
    if row_no >= 2:  # the state column coloured like the findings' severities
        ref = f"G2:G{row_no}"
        ws.conditional_formatting.add(ref, FormulaRule(
            formula=[f'G2="{state_text["live"]}"'], stopIfTrue=True, **_solid_dxf(GREEN)))
        for code, c in codes.items():
            ws.conditional_formatting.add(ref, FormulaRule(
                formula=[f'G2="{state_text[code]}"'], stopIfTrue=True,
                **_solid_dxf(SEVERITY_COLOURS[c.severity])))
    return links


# ---------------------------------------------------------------- summary


class _Grid:
    """The Summary laid out cell by cell, then streamed row by row (write-only needs order)."""

    def __init__(self, ws: WriteOnlyWorksheet):
        self.ws = ws
        self.cells: dict[int, dict[int, Cell | Any]] = {}
        self.row = 1

    def put(self, row: int, col: int, cell: Cell | Any) -> None:
        if cell is not None:
            self.cells.setdefault(row, {})[col] = cell

    def line(self, *cells: Cell | Any, col: int = 1, height: float | None = None) -> int:
        """Fill the current row from ``col`` on; return its number and move down."""
        row = self.row
        for i, cell in enumerate(cells):
            self.put(row, col + i, cell)
        if height:
            self.ws.row_dimensions[row].height = height
        self.row += 1
        return row

    def skip(self, n: int = 1) -> None:
        self.row += n

    def flush(self) -> None:
        last = max(self.cells, default=0)
        for r in range(1, last + 1):
            row = self.cells.get(r, {})
            self.ws.append([row.get(c) for c in range(1, max(row, default=0) + 1)])


# Summary columns: A rank/margin, B labels, C-F values and the four score tiles.
_SUMMARY_WIDTHS = {"A": 6, "B": 36, "C": 16, "D": 16, "E": 16, "F": 16, "G": 3}
_CHART_DATA_COL = 27  # AA:AB, hidden: a chart can only plot cells
_NOTE_WIDTH = 36 + 4 * 16  # notes are merged across B:F


def _parse_date(value: str) -> date | None:
    try:
        return datetime.fromisoformat(value.strip()).date()
    except (ValueError, AttributeError):
        return None


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    if h:
        return f"{h} h {m:02d} min"
    return f"{m} min {s:02d} s" if m else f"{s} s"


def _write_summary(ws: WriteOnlyWorksheet, data: ReportData, st: _Styles,
                   extra_notes: list[str]) -> None:
    lang = data.lang
    sm = data.summary
    for col, width in _SUMMARY_WIDTHS.items():
        ws.column_dimensions[col].width = width
    for col in (_CHART_DATA_COL, _CHART_DATA_COL + 1):
        ws.column_dimensions[get_column_letter(col)].hidden = True
    ws.sheet_view.showGridLines = False
    _print_a4(ws)

    g = _Grid(ws)
    title = label("title", lang, client=sm.client).rstrip(" —")
    g.line(text_cell(ws, title, st.title), height=32)
    g.skip()

    # Each block links to the sheet that details it (the last cell of its title row).
    sheets = {"sec_findings": "sheet_findings", "sec_top": "sheet_issues",
              "sec_fix_first": "sheet_issues", "sec_index": "sheet_pages"}
    if data.backlinks is not None:
        sheets["sec_backlinks"] = "sheet_backlinks"

    def section(key: str) -> None:
        cells = [text_cell(ws, label(key, lang), st.section),
                 *(text_cell(ws, "", st.section) for _ in range(5))]
        if key in sheets:
            name = label(sheets[key], lang)
            cells[-1] = text_cell(ws, f"→ {name}", st.section_link)
            cells[-1].link = "#'{}'!A1".format(name.replace("'", "''"))
        g.line(*cells, height=22)

    section("sec_overview")
    info_top = g.row

    def info(key: str, value: Cell | None) -> None:
        g.line(text_cell(ws, label(key, lang), st.info_label), value, col=2)

    info("client", text_cell(ws, sm.client, st.info_value))
    day = _parse_date(sm.generated_at)
    info("date", num_cell(ws, day, st.info_date) if day else text_cell(ws, sm.generated_at,
                                                                         st.info_value))
    for i, url in enumerate(sm.start_urls or [""]):
        cell = link_cell(ws, url, st.info_value, link_style=st.link)
        if i == 0:
            info("start_urls", cell)
        else:
            g.line(cell, col=3)
    info("pages_crawled", num_cell(ws, sm.pages, st.info_number))
    info("html_pages", num_cell(ws, sm.html_pages, st.info_number))
    if sm.crawl_seconds is not None:
        info("crawl_time", text_cell(ws, _duration(sm.crawl_seconds), st.info_value))
    if sm.tool_version:
        info("tool_version", text_cell(ws, sm.tool_version, st.info_value))
    g.skip()

    _summary_scores(g, sm, st, lang, section)
    g.skip()
    chart_anchor_row = info_top

    section("sec_findings")
    total = 0
    for sev in Severity:
        n = int(sm.findings.get(sev.value, 0))
        total += n
        g.line(text_cell(ws, label(f"count_{sev.value}", lang), st.severity_label[sev]),
               num_cell(ws, n, st.count), col=2)
    g.line(text_cell(ws, label("count_total", lang), st.count_total_label),
           num_cell(ws, total, st.count), col=2)
    if sm.rule_failures > 0:
        row = g.line(text_cell(ws, label("rule_failures", lang, n=sm.rule_failures), st.warning),
                     *(text_cell(ws, "", st.warning) for _ in range(4)), col=2, height=32)
        ws.merged_cells.add(f"B{row}:F{row}")
    g.skip()

    section("sec_top")
    g.line(*(text_cell(ws, label(k, lang), st.header)
             for k in ("rank", "issue", "rule", "severity", "pages", "impact")), height=30)
    for rank, issue in enumerate(sm.top_issues, 1):
        sev = Severity(issue.severity)
        text = issue.label.get(lang)
        lines = _lines(text, _SUMMARY_WIDTHS["B"])
        g.line(num_cell(ws, rank, st.table_centre),
               text_cell(ws, text, st.table_wrap),
               text_cell(ws, issue.rule, st.table_cell),
               text_cell(ws, severity_label(sev, lang), st.table_severity[sev]),
               num_cell(ws, issue.pages, st.table_number),
               num_cell(ws, round(issue.impact), st.table_number),
               height=LINE_HEIGHT * lines + 2 if lines > 1 else None)
    if not sm.top_issues:
        g.line(text_cell(ws, label("no_issues", lang), st.note), col=2)

    if sm.fix_first:
        g.skip()
        section("sec_fix_first")
        g.line(*(text_cell(ws, label(k, lang), st.header)
                 for k in ("cat_short", "issue", "rule", "severity", "pages", "gain")), height=20)
        for category in ("seo", "sea", "smo"):
            for i, action in enumerate(sm.fix_first.get(category, [])):
                sev = Severity(action.severity)
                text = action.label.get(lang)
                lines = _lines(text, _SUMMARY_WIDTHS["B"])
                g.line(text_cell(ws, category.upper() if i == 0 else "", st.table_centre),
                       text_cell(ws, text, st.table_wrap),
                       text_cell(ws, action.rule, st.table_cell),
                       text_cell(ws, severity_label(sev, lang), st.table_severity[sev]),
                       num_cell(ws, action.pages, st.table_number),
                       num_cell(ws, round(action.gain, 1), st.table_gain),
                       height=LINE_HEIGHT * lines + 2 if lines > 1 else None)
    if sm.statuses:
        g.skip()
        _summary_index(g, sm, st, lang, section)
    if sm.smo is not None:
        g.skip()
        _summary_smo(g, sm, st, lang, section)
    if sm.backlinks is not None:
        g.skip()
        _summary_backlinks(g, sm, st, lang, section)

    notes = [n.get(lang) for n in sm.notes] + extra_notes
    if notes:
        g.skip()
        section("sec_notes")
        for text in notes:
            lines = _lines(text, _NOTE_WIDTH)
            row = g.line(text_cell(ws, text, st.note),
                         *(text_cell(ws, "", st.note) for _ in range(4)),
                         col=2, height=LINE_HEIGHT * lines + 3)
            ws.merged_cells.add(f"B{row}:F{row}")

    _summary_chart(g, sm, lang, chart_anchor_row)
    _trend_chart(g, data, lang, chart_anchor_row)
    g.flush()


_TREND_DATA_COL = 30  # AD:AH, hidden: the trend chart's data
_TREND_COLOURS = {"sem": "1F3A5F", "seo": "2E7D32", "sea": "E07A3F", "smo": "7B5EA7"}


def _trend_chart(g: _Grid, data: ReportData, lang: str, anchor_row: int) -> None:
    """The scores of the client's last runs (from the history), under the bar chart."""
    points = data.trend
    if len(points) < 2:
        return
    ws = g.ws
    keys = [k for k in ("sem", "seo", "sea", "smo")
            if any(p.scores.get(k) is not None for p in points)]
    first = anchor_row
    g.put(first, _TREND_DATA_COL, text_cell(ws, ""))
    for j, key in enumerate(keys):
        g.put(first, _TREND_DATA_COL + 1 + j, text_cell(ws, key.upper()))
    for i, point in enumerate(points, 1):
        day = _parse_date(point.generated_at)
        shown = (day.strftime("%d/%m/%y" if lang == "fr" else "%Y-%m-%d") if day
                 else point.generated_at[:10])
        g.put(first + i, _TREND_DATA_COL, text_cell(ws, shown))
        for j, key in enumerate(keys):
            value = point.scores.get(key)
            g.put(first + i, _TREND_DATA_COL + 1 + j, None if value is None else round(value, 1))
    last = first + len(points)
    for col in range(_TREND_DATA_COL, _TREND_DATA_COL + 1 + len(keys)):
        ws.column_dimensions[get_column_letter(col)].hidden = True
    chart = LineChart()
    chart.title = label("trend_title", lang)
    chart.width, chart.height = 15.5, 8.0
    chart.visible_cells_only = False
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 20
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.add_data(Reference(ws, min_col=_TREND_DATA_COL + 1, max_col=_TREND_DATA_COL + len(keys),
                             min_row=first, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=_TREND_DATA_COL, min_row=first + 1, max_row=last))
    for key, series in zip(keys, chart.series, strict=True):
        series.graphicalProperties.line.solidFill = _TREND_COLOURS[key]
        series.graphicalProperties.line.width = 28575 if key == "sem" else 15875
        series.smooth = False
    ws.add_chart(chart, f"H{anchor_row + 18}")


def _summary_scores(g: _Grid, sm: Summary, st: _Styles, lang: str, section: Any) -> None:
    ws = g.ws
    section("sec_scores")
    g.line(*(text_cell(ws, key.upper(), st.score_head) for key in SCORE_KEYS), col=3, height=20)
    tiles = []
    notes = []
    for key in SCORE_KEYS:
        score = sm.scores.get(key)
        if score is None:
            tiles.append(text_cell(ws, "—", st.score_big[None]))
            notes.append(text_cell(ws, label("no_data", lang), st.score_note))
        else:
            tiles.append(num_cell(ws, score, st.score_big[score_band(score)]))
            notes.append(None)
    g.line(text_cell(ws, label("score_out_of", lang), st.info_label_mid), *tiles, col=2,
           height=46)
    g.line(None, *notes, col=2)

    def weights_row(key: str, weights: dict[str, float]) -> None:
        values = [float(weights.get(c, 0) or 0) for c in CATEGORIES]
        # Fractions summing to 1 read best as percentages; raw weights are shown as given.
        as_pct = math.isclose(sum(values), 1.0, abs_tol=1e-6)
        cells = [num_cell(ws, v, (st.weight_zero_pct if v == 0 else st.weight_pct) if as_pct
                          else st.weight_num) for v in values]
        g.line(text_cell(ws, label(key, lang), st.info_label), *cells, col=2)

    weights_row("weight_configured", sm.weights)
    weights_row("weight_used", sm.weights_used)
    note = label("weights_note", lang)
    row = g.line(text_cell(ws, note, st.note), *(text_cell(ws, "", st.note) for _ in range(4)),
                 col=2, height=LINE_HEIGHT * _lines(note, _NOTE_WIDTH) + 3)
    ws.merged_cells.add(f"B{row}:F{row}")


def _summary_index(g: _Grid, sm: Summary, st: _Styles, lang: str, section: Any) -> None:
    """URLs per answer class, then per indexability reason: count and share."""
    ws = g.ws
    section("sec_index")

    def block(head: str, rows: list[tuple[str, int]]) -> None:
        total = sum(n for _, n in rows) or 1
        g.line(*(text_cell(ws, label(k, lang), st.header)
                 for k in (head, "idx_urls", "idx_share")), col=2, height=20)
        for text, n in rows:
            g.line(text_cell(ws, text, st.table_cell), num_cell(ws, n, st.table_number),
                   num_cell(ws, round(n / total, 3), st.table_pct), col=2)

    block("idx_statuses", [(label(f"st_{k}", lang), n) for k, n in sm.statuses.items()])
    if sm.depths:  # how far from the home page the HTML pages are, in clicks
        g.skip()
        block("idx_depths", [(label(f"depth_{k}" if k in ("0", "5+", "none") else "depth_n",
                                    lang, n=k), n) for k, n in sm.depths.items()])
    if sm.indexability:
        g.skip()
        block("idx_reasons", [(REASONS[k].get(lang) if k in REASONS else k, n)
                              for k, n in sorted(sm.indexability.items(),
                                                 key=lambda kv: list(REASONS).index(kv[0])
                                                 if kv[0] in REASONS else 99)])


def _summary_smo(g: _Grid, sm: Summary, st: _Styles, lang: str, section: Any) -> None:
    """Networks declared and linked, their activity, and share-card completeness."""
    ws = g.ws
    smo = sm.smo
    assert smo is not None
    section("sec_smo")
    nets = smo.networks
    if nets:
        declared = sum(1 for n in nets if n.declared)
        linked = sum(1 for n in nets if n.linked)
        measured = [n for n in nets if n.active is not None]
        active = sum(1 for n in measured if n.active)
        g.line(text_cell(ws, label("smo_networks", lang), st.info_label),
               text_cell(ws, label("smo_of", lang, a=declared, b=linked), st.info_value), col=2)
        g.line(text_cell(ws, label("smo_active", lang), st.info_label),
               text_cell(ws, label("smo_of", lang, a=active, b=len(measured)), st.info_value),
               col=2)
    if smo.og_share is not None:
        g.line(text_cell(ws, label("smo_og", lang), st.info_label),
               num_cell(ws, smo.og_share, st.info_pct),
               text_cell(ws, label("smo_of", lang, a=smo.og_complete, b=smo.og_pages),
                         st.grey), col=2)
    if not nets:
        return
    g.line(*(text_cell(ws, label(k, lang), st.header)
             for k in ("network", "linked", "last_post", "per_month", "activity")),
           col=2, height=20)
    for n in nets:
        name = n.network if n.declared else label("not_declared", lang, n=n.network)
        day = _parse_date(n.last_post) if n.last_post else None
        state, band = (("act_unknown", None) if n.active is None else
                       ("act_active", "green") if n.active else ("act_inactive", "amber"))
        g.line(text_cell(ws, name, st.table_cell),
               text_cell(ws, label("yes" if n.linked else "no", lang), st.table_centre),
               num_cell(ws, day, st.table_date) if day else text_cell(ws, "—", st.table_centre),
               num_cell(ws, n.per_month, st.table_dec1) if n.per_month is not None
               else text_cell(ws, "—", st.table_centre),
               text_cell(ws, label(state, lang), st.table_band[band]), col=2)


def _summary_backlinks(g: _Grid, sm: Summary, st: _Styles, lang: str, section: Any) -> None:
    ws = g.ws
    bl = sm.backlinks
    assert bl is not None
    section("sec_backlinks")
    figures = [("bl_domains", bl.referring_domains), ("bl_links", bl.links),
               ("bl_live", bl.live), ("bl_lost", bl.lost)]
    if bl.not_checked:
        figures.append(("bl_not_checked", bl.not_checked))
    for key, value in figures:
        g.line(text_cell(ws, label(key, lang), st.info_label),
               num_cell(ws, value, st.info_number), col=2)
    share = (num_cell(ws, bl.follow_share, st.info_pct) if bl.follow_share is not None
             else text_cell(ws, "—", st.info_value))
    g.line(text_cell(ws, label("bl_follow_share", lang), st.info_label), share, col=2)
    for i, (anchor, n) in enumerate(bl.anchors):
        row = g.line(text_cell(ws, label("bl_anchors", lang) if i == 0 else "", st.info_label),
                     text_cell(ws, anchor, st.table_cell),
                     *(text_cell(ws, "", st.table_cell) for _ in range(2)),
                     num_cell(ws, n, st.table_number), col=2)
        ws.merged_cells.add(f"C{row}:E{row}")
    g.line(text_cell(ws, label("bl_see_sheet", lang), st.note), col=2)


def _summary_chart(g: _Grid, sm: Summary, lang: str, anchor_row: int) -> None:
    """Bars for the scores that have data, coloured like the tiles."""
    ws = g.ws
    plotted = [(key.upper(), float(score)) for key in SCORE_KEYS
               if (score := sm.scores.get(key)) is not None]
    if not plotted:
        return
    first = anchor_row
    for i, (name, score) in enumerate(plotted):
        g.put(first + i, _CHART_DATA_COL, text_cell(ws, name))
        # Rounded like the tiles: a bar labelled 79.6 next to a tile showing 80 would puzzle.
        g.put(first + i, _CHART_DATA_COL + 1, math.floor(score + 0.5))
    last = first + len(plotted) - 1

    chart = BarChart()
    chart.type = "col"
    chart.title = label("chart_title", lang)
    chart.legend = None
    chart.visible_cells_only = False  # the data columns are hidden
    chart.width, chart.height = 15.5, 8.0
    chart.gapWidth = 60
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 20
    chart.y_axis.number_format = "0"
    # openpyxl 3.1 marks axes deleted by default, which hides them in recent Excel.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.add_data(Reference(ws, min_col=_CHART_DATA_COL + 1, min_row=first, max_row=last))
    chart.set_categories(Reference(ws, min_col=_CHART_DATA_COL, min_row=first, max_row=last))
    series = chart.series[0]
    series.tx = SeriesLabel(v=label("score", lang))
    for i, (_, score) in enumerate(plotted):
        fill = GraphicalProperties(solidFill=BAR_COLOURS[score_band(score) or "green"])
        fill.line.noFill = True
        series.dPt.append(DataPoint(idx=i, spPr=fill))
    series.dLbls = DataLabelList()
    series.dLbls.showVal = True
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(series.dLbls, flag, False)
    ws.add_chart(chart, f"H{anchor_row}")
