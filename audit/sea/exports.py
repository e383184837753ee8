"""Google Ads and Microsoft Ads keyword / search-term reports, as consultants export them.

Recognised by their header names in English and French, accents and case ignored
(``HEADERS`` below; the README lists them for users). A keyword column and at least
one of impressions, clicks and cost are required; the
header may come after the title lines Google Ads writes first ("Rapport sur les mots
clés", the date range). Numbers in either locale: ``1 234,56 €``, ``1,234.56``,
``12,5 %``, ``--`` (none). "Total" rows are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from audit.tabular import TableError, fold, read_rows

HEADERS: dict[str, tuple[str, ...]] = {
    "keyword": ("keyword", "search keyword", "mot cle", "mot-cle",
                "mot cle du reseau de recherche"),
    "search_term": ("search term", "terme de recherche", "requete de recherche"),
    "match_type": ("match type", "keyword match type", "type de correspondance",
                   "type de correspondance du mot cle"),
    "campaign": ("campaign", "campaign name", "campagne", "nom de la campagne"),
    "ad_group": ("ad group", "ad group name", "groupe d'annonces", "groupe d annonces",
                 "nom du groupe d'annonces"),
    "impressions": ("impressions", "impr.", "impr"),
    "clicks": ("clicks", "clics"),
    "cost": ("cost", "spend", "cout", "depense", "depenses"),
    "conversions": ("conversions", "conv.", "conv"),
    "final_url": ("final url", "landing page", "url finale", "page de destination",
                  "url de destination"),
    "currency": ("currency code", "currency", "code de la devise", "devise"),
}
_FRENCH = {"mot cle", "mot-cle", "mot cle du reseau de recherche", "terme de recherche",
           "requete de recherche", "type de correspondance", "campagne", "nom de la campagne",
           "groupe d'annonces", "groupe d annonces", "nom du groupe d'annonces", "clics",
           "cout", "depense", "depenses", "url finale", "page de destination",
           "code de la devise", "devise"}
_LOOKUP = {h: key for key, names in HEADERS.items() for h in names}
_MEASURES = ("impressions", "clicks", "cost")
_NONE = {"", "--", "-", "—", "n/a", "nc", " --"}
_CURRENCY = re.compile(r"[€$£¥]|\b(?:EUR|USD|GBP|CHF|CAD)\b", re.I)


@dataclass
class AdKeyword:
    """One row of a keyword or search-term report."""

    keyword: str
    impressions: int = 0
    clicks: int = 0
    cost: float = 0.0
    conversions: float = 0.0
    match_type: str = ""
    campaign: str = ""
    ad_group: str = ""
    final_url: str = ""
    currency: str = ""
    source: str = ""  # file:line


def parse_number(text: str, decimal_comma: bool) -> float | None:
    """``1 234,56 €`` → 1234.56 (decimal_comma), ``1,234.56`` → 1234.56; None if not a number."""
    value = _CURRENCY.sub("", text).replace("%", "").strip()
    value = re.sub(r"[\s\u00a0\u202f']", "", value)
    if value.lower() in _NONE:
        return 0.0
    if "," in value and "." in value:  # the last one is the decimal mark
        value = (value.replace(".", "").replace(",", ".") if value.rfind(",") > value.rfind(".")
                 else value.replace(",", ""))
    elif "," in value:
        value = value.replace(",", ".") if decimal_comma else value.replace(",", "")
    try:
        return float(value)
    except ValueError:
        return None


def read_campaign_report(path: Path) -> list[AdKeyword]:
    """Every keyword row of the report. Raises TableError naming the file and line."""
    rows = read_rows(path)
    columns: dict[str, int] = {}
    decimal_comma = False
    header_line = 0
    for line, cells in rows:
        folded = [fold(c) for c in cells]
        found = {_LOOKUP[h]: i for i, h in reversed(list(enumerate(folded))) if h in _LOOKUP}
        if ("keyword" in found or "search_term" in found) and any(m in found for m in _MEASURES):
            columns, header_line = found, line
            decimal_comma = any(h in _FRENCH for h in folded)
            break
        if line >= 15:
            break
    if not columns:
        raise TableError(path, None, "not a Google Ads or Microsoft Ads keyword report: no "
                         "header with a keyword column (Keyword, Mot clé, Search term...) and "
                         "impressions, clicks or cost (Impr., Clics, Coût...)")
    key_col = columns.get("keyword", columns.get("search_term"))
    out: list[AdKeyword] = []
    for line, cells in rows:
        if key_col >= len(cells):
            continue
        keyword = cells[key_col]
        first = fold(cells[0]) if cells else ""
        if not keyword or first.startswith("total") or fold(keyword).startswith("total"):
            continue  # the report's total rows
        row = AdKeyword(keyword=keyword.strip("[]\"+ "), source=f"{path.name}:{line}")
        for key in ("impressions", "clicks", "cost", "conversions"):
            col = columns.get(key)
            if col is None or col >= len(cells):
                continue
            value = parse_number(cells[col], decimal_comma)
            if value is None:
                header = list(columns)[list(columns.values()).index(col)]
                raise TableError(path, line, f"{header}: not a number: {cells[col][:30]!r}")
            setattr(row, key, int(value) if key in ("impressions", "clicks") else value)
        for key in ("match_type", "campaign", "ad_group", "final_url", "currency"):
            col = columns.get(key)
            if col is not None and col < len(cells):
                setattr(row, key, cells[col])
        if not row.currency:
            cost_col = columns.get("cost")
            m = _CURRENCY.search(cells[cost_col]) if cost_col is not None and \
                cost_col < len(cells) else None
            row.currency = {"€": "EUR", "$": "USD", "£": "GBP"}.get(m.group(0), m.group(0)) \
                if m else ""
        out.append(row)
    if not out:
        raise TableError(path, header_line, "the report has a header but no keyword row")
    return out
