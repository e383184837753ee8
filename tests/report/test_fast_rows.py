"""The fast row writer writes the XML openpyxl would, byte for byte."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.packaging.relationship import RelationshipList
from openpyxl.styles import Alignment, Font
from openpyxl.xml.functions import fromstring, tostring

from audit.report import fast_rows
from audit.report.cells import link_cell, make_style, num_cell, strict_rows, text_cell

ROWS = [
    ("https://www.exemple.fr/tarifs.html", "Tarifs : référencement & réseaux <sociaux>", 87.5),
    ("https://www.exemple.fr/?q=a&b=c", "=HYPERLINK(\"http://malveillant.example\",\"x\")", 0),
    ("javascript:alert(1)", "  espaces autour  ", None),
    ("https://www.exemple.fr/contact", "ligne 1\r\nligne 2\ttabulée", 1e-7),
    ("https://www.exemple.fr/vide", "", True),
]


def _sheet(path: Path) -> bytes:
    wb = Workbook(write_only=True)
    ws = strict_rows(wb.create_sheet("Pages"))
    ws.column_dimensions["A"].width = 50
    ws.freeze_panes = "B2"
    bold = make_style(ws, font=Font(bold=True))
    wrap = make_style(ws, alignment=Alignment(wrap_text=True, vertical="top"))
    ws.append([text_cell(ws, "URL", bold), text_cell(ws, "Titre", bold),
               text_cell(ws, "Score", bold)])
    for i, (url, title, score) in enumerate(ROWS, 2):
        if i % 2:
            ws.row_dimensions[i].height = 30
        ws.append([link_cell(ws, url), text_cell(ws, title, wrap), num_cell(ws, score, bold)
                   if not isinstance(score, bool) else score, None, 42])
    ws.append([text_cell(ws, "date"), datetime(2026, 12, 1, 9, 30)])  # openpyxl's path
    ws.append([text_cell(ws, "après la date"), 3])
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        rels = z.read("xl/worksheets/_rels/sheet1.xml.rels")
        # The relationships as openpyxl's own RelationshipList writes them.
        assert rels == tostring(RelationshipList.from_tree(fromstring(rels)).to_tree())
        return z.read("xl/worksheets/sheet1.xml") + rels


def test_fast_rows_write_what_openpyxl_writes(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _sheet(tmp_path / "rapide.xlsx")
    monkeypatch.setattr(fast_rows, "_FAST_VALUES", frozenset())  # every row to openpyxl
    slow = _sheet(tmp_path / "lent.xlsx")
    assert b"<sheetData>" in fast and b"&lt;sociaux&gt;" in fast
    assert fast == slow
    wb = load_workbook(tmp_path / "rapide.xlsx")
    ws = wb["Pages"]
    assert ws["B2"].value == "Tarifs : référencement & réseaux <sociaux>"
    assert ws["B3"].data_type == "s" and ws["B3"].value.startswith("=HYPERLINK")
    assert ws["A2"].hyperlink.target == "https://www.exemple.fr/tarifs.html"
    assert ws.row_dimensions[3].height == 30
    assert ws["B8"].value == 3 or ws["A8"].value == "après la date"
