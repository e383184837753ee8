"""Spreadsheet injection, end to end: strings from crawled pages and imported files stay
text in every sheet of the workbook, whatever their first character.

A real crawl of tests/fixtures/hostile/ (titles, descriptions, h1, anchors and URLs that
start with = + - @ or a tab) and a Google Ads report whose keyword and campaign are
formulas, audited twice so that the Changes sheet exists too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from audit.cli import main
from audit.demo.server import SiteServer
from audit.report.cells import is_risky
from tests.conftest import FIXTURES, write_config

pytestmark = pytest.mark.crawl

REPORT = ("Mot clé\tCampagne\tImpr.\tClics\tCoût\tConv.\tURL finale\n"
          "=cmd|' /C calc'!A0\t@SUM(A1:A9)\t1 000\t10\t20,00\t0\t{origin}/\n"
          "+33 1 23 45 67 89\t-campagne\t0\t0\t0,00\t0\t{origin}/tab.html\n")


def test_no_formula_anywhere(tmp_path: Path) -> None:
    with SiteServer(FIXTURES / "hostile") as site:
        (tmp_path / "ads.tsv").write_bytes(REPORT.format(origin=site.origin).encode("utf-16"))
        config = write_config(tmp_path / "c.yaml", site.origin + "/",
                              '  use_sitemaps: false\nsea: {campaigns: [ads.tsv]}\n')
        assert main(["run", str(config), "-q"]) == 0
        assert main(["run", str(config), "-q"]) == 0  # a second run: the Changes sheet
    (xlsx,) = (tmp_path / "out").glob("*.xlsx")
    (js,) = (tmp_path / "out").glob("*.json")
    wb = load_workbook(xlsx)
    assert {"Évolution", "SEA", "SEA - pages"} <= set(wb.sheetnames)
    risky = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and is_risky(cell.value):
                    assert cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
                    risky.append((ws.title, cell.value))
    seen = {value for _, value in risky}
    # The hostile strings reached the workbook as text (not dropped, not evaluated).
    assert any(v.startswith('=HYPERLINK("https://pirate.example') for v in seen)
    assert "=cmd|' /C calc'!A0" in seen and "@SUM(A1:A9)" in seen and "-campagne" in seen
    assert {title for title, _ in risky} >= {"Pages", "SEA"}
    # The JSON keeps them exactly as found.
    report = json.loads(js.read_text(encoding="utf-8"))
    titles = {p["title"] for p in report["pages"]}
    assert any(t.startswith("=HYPERLINK(") for t in titles) and "-2+3 : le titre commence " \
        "par un moins" in titles
