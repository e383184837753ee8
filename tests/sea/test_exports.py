"""Campaign reports as Google Ads and Microsoft Ads write them, in French and English."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.sea.exports import parse_number, read_campaign_report
from audit.tabular import TableError

# Google Ads, interface in French, "CSV (Excel)": UTF-16 with tabs, two title lines,
# narrow no-break spaces as thousands separators, totals at the end.
GOOGLE_FR = (
    "Rapport sur les mots clés\n"
    "1 octobre 2026 - 31 octobre 2026\n"
    "État du mot clé\tMot clé\tType de correspondance\tCampagne\tGroupe d'annonces\t"
    "Code de la devise\tImpr.\tClics\tCTR\tCPC moy.\tCoût\tConversions\tURL finale\n"
    "Activé\tplombier paris\tExpression exacte\tDépannage Paris\tUrgences\tEUR\t"
    "12\u202f480\t1\u202f034\t8,29 %\t1,18\t1\u202f220,12\t41,5\thttps://www.exemple.fr/urgence\n"
    "Activé\t[débouchage canalisation]\tMot clé exact\tDépannage Paris\tDébouchage\tEUR\t"
    "0\t0\t--\t--\t0,00\t0,00\t https://www.exemple.fr/debouchage?utm_source=google\n"
    "Total : compte\t\t\t\t\t\t12\u202f480\t1\u202f034\t8,29 %\t1,18\t1\u202f220,12\t41,5\t\n"
)

# Microsoft Ads in English: UTF-8 with BOM, commas, thousands with commas.
MICROSOFT_EN = (
    "\ufeffKeyword,Campaign,Ad group,Impressions,Clicks,Spend,Conversions,Final URL\n"
    "emergency plumber,Paris,Emergency,\"1,250\",48,\"$1,104.50\",3,https://www.exemple.fr/en/\n"
)


def test_google_ads_french_utf16(tmp_path: Path) -> None:
    path = tmp_path / "mots-cles.csv"
    path.write_bytes(GOOGLE_FR.encode("utf-16"))
    rows = read_campaign_report(path)
    assert [r.keyword for r in rows] == ["plombier paris", "débouchage canalisation"]
    first = rows[0]
    assert (first.impressions, first.clicks, first.cost, first.conversions) == \
        (12480, 1034, pytest.approx(1220.12), pytest.approx(41.5))
    assert first.campaign == "Dépannage Paris" and first.ad_group == "Urgences"
    assert first.currency == "EUR" and first.source == "mots-cles.csv:4"
    assert rows[1].final_url.endswith("debouchage?utm_source=google")


def test_microsoft_ads_english(tmp_path: Path) -> None:
    path = tmp_path / "microsoft.csv"
    path.write_text(MICROSOFT_EN, encoding="utf-8")
    (row,) = read_campaign_report(path)
    assert (row.impressions, row.clicks, row.cost) == (1250, 48, pytest.approx(1104.5))
    assert row.currency == "USD"


def test_semicolon_french_excel_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("Mot clé;Impr.;Clics;Coût\nchaudière;1 200;36;54,30 €\n".encode("cp1252"))
    (row,) = read_campaign_report(path)
    assert row.keyword == "chaudière" and row.cost == pytest.approx(54.3)


def test_unrecognised_and_broken_files_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "autre.csv"
    path.write_text("Nom;Valeur\nbonjour;12\n", encoding="utf-8")
    with pytest.raises(TableError, match=r"autre\.csv: not a Google Ads"):
        read_campaign_report(path)
    path.write_text("Mot clé;Impr.;Coût\nchaudière;beaucoup;12,00\n", encoding="utf-8")
    with pytest.raises(TableError, match=r"autre\.csv:2: impressions: not a number"):
        read_campaign_report(path)


@pytest.mark.parametrize(("text", "comma", "value"), [
    ("1 234,56 €", True, 1234.56), ("1,234.56", False, 1234.56), ("1.234,56", True, 1234.56),
    ("12,5 %", True, 12.5), ("--", True, 0.0), ("1,250", False, 1250.0),
    ("EUR 3,10", True, 3.1), ("n'importe quoi", True, None)])
def test_numbers_in_both_locales(text: str, comma: bool, value: float | None) -> None:
    assert parse_number(text, comma) == (pytest.approx(value) if value is not None else None)
