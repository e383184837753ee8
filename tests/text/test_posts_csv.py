"""Analytics exports: encodings, delimiters, French and ISO dates, clear errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from audit.text.posts_csv import ExportError, parse_date, read_post_dates


def test_utf16_tab_export_with_french_dates(tmp_path: Path) -> None:
    path = tmp_path / "instagram.csv"
    path.write_bytes("Date de publication\tType\tJ’aime\n03/11/2026 10:15\tReel\t140\n"
                     "28/10/2026\tPhoto\t87\n".encode("utf-16"))
    assert read_post_dates(path) == [date(2026, 11, 3), date(2026, 10, 28)]


def test_semicolon_cp1252_export(tmp_path: Path) -> None:
    path = tmp_path / "facebook.csv"
    path.write_bytes("Publié le;Portée\n2026-11-01T09:00:00+01:00;1 234\n".encode("cp1252"))
    assert read_post_dates(path) == [date(2026, 11, 1)]


def test_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "linkedin.csv"
    path.write_text("Date,Vues\n2026-11-02,10\nhier,12\n", encoding="utf-8")
    with pytest.raises(ExportError) as info:
        read_post_dates(path)
    assert info.value.line == 3 and str(path) in str(info.value)
    path.write_text("Texte,Vues\nBonjour,1\n", encoding="utf-8")
    with pytest.raises(ExportError, match="no date column"):
        read_post_dates(path)


def test_parse_date_forms() -> None:
    assert parse_date("2026-02-29") is None  # not a leap year
    assert parse_date("1762128000") == date(2025, 11, 3)
    assert parse_date("3.11.2026") == date(2026, 11, 3)
