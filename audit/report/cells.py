"""Cells that are safe to fill with text from the web, for write-only openpyxl sheets.

Everything a crawl brings back (URLs, titles, messages, evidence) is untrusted: a
title such as ``=HYPERLINK("http://evil","x")`` must reach the client as text, never
as a formula (CSV/formula injection). Each helper here returns a ``WriteOnlyCell``
whose type is forced to string, with the quotePrefix style on risky values so that
Excel keeps them as text even after a user edits the cell.

Styles are prepared once per workbook as ``StyleArray`` (see :func:`make_style`) and
shared by reference: setting font/fill/... on each of millions of cells is what makes
openpyxl slow.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Fill, Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from audit.report.fast_rows import LightCell, fast_rows

MAX_CELL_CHARS = 32_767  # Excel's limit, counted in UTF-16 code units
MAX_URL_CHARS = 2_000  # longer links are refused or truncated by Excel
# First characters that make Excel or LibreOffice read a typed value as a formula
# (tab and CR too: some importers strip them and then see what follows).
RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# openpyxl's ILLEGAL_CHARACTERS_RE plus what XML 1.0 forbids on top (lone surrogates,
# U+FFFE/U+FFFF), which would otherwise abort the save deep inside lxml.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HTTP = re.compile(r"https?://[^\s/]", re.IGNORECASE)
# Characters kept as they are in a hyperlink target; the rest is percent-encoded,
# because Excel reports the file as corrupt when a relationship target is not a URI.
_URI_SAFE = "/:?#[]@!$&'()*+,;=%~-._"


def clean(value: Any) -> str:
    """``value`` as text Excel accepts: control characters removed, cut to the cell limit."""
    text = value if isinstance(value, str) else str(value)
    text = _ILLEGAL.sub("", text)
    if len(text) > MAX_CELL_CHARS // 2:  # only then can astral characters push it over
        units = text.encode("utf-16-le")
        if len(units) > 2 * MAX_CELL_CHARS:
            text = units[: 2 * MAX_CELL_CHARS].decode("utf-16-le", errors="ignore")
    return text


def is_risky(text: str) -> bool:
    """Whether a spreadsheet could take ``text`` for a formula once a user edits the cell."""
    return text.startswith(RISKY_PREFIXES)


def is_linkable(url: str) -> bool:
    """Whether ``url`` may become a clickable hyperlink: http(s) only, of reasonable length."""
    return len(url) <= MAX_URL_CHARS and _HTTP.match(url) is not None


def make_style(ws: WriteOnlyWorksheet, *, font: Font | None = None, fill: Fill | None = None,
               alignment: Alignment | None = None, border: Border | None = None,
               number_format: str | None = None) -> StyleArray:
    """Register a cell style in ``ws``'s workbook once; give the result to the cell helpers."""
    probe = WriteOnlyCell(ws)
    if font is not None:
        probe.font = font
    if fill is not None:
        probe.fill = fill
    if alignment is not None:
        probe.alignment = alignment
    if border is not None:
        probe.border = border
    if number_format is not None:
        probe.number_format = number_format
    return probe._style if probe._style is not None else StyleArray()


_QUOTED: dict[int, tuple[StyleArray | None, StyleArray]] = {}  # style -> with quotePrefix


def _quoted(style: StyleArray | None) -> StyleArray:
    known = _QUOTED.get(id(style))
    if known is None or known[0] is not style:
        quoted = StyleArray(style if style is not None else StyleArray())
        quoted.quotePrefix = 1
        known = _QUOTED[id(style)] = (style, quoted)
    return known[1]


def text_cell(ws: WriteOnlyWorksheet, value: Any, style: StyleArray | None = None
              ) -> LightCell:
    """A cell that shows ``value`` as inert text, whatever it starts with."""
    text = clean(value)
    # Typed "s" here, bypassing openpyxl's type guessing, which turns "=..." into a
    # formula and "#N/A" into an error value. An empty string stays an empty cell (only
    # its style is kept).
    return LightCell(text or None, "s", _quoted(style) if is_risky(text) else style)


def link_cell(ws: WriteOnlyWorksheet, url: str, style: StyleArray | None = None,
              link_style: StyleArray | None = None, linked: bool = True) -> Cell:
    """A cell showing ``url`` as text, clickable when it is a plain http(s) URL.

    ``linked=False`` writes the text only (a sheet caps its hyperlink count).
    """
    text = clean(url)
    if not (linked and text == url and is_linkable(text)):
        return text_cell(ws, text, style)
    cell = text_cell(ws, text, link_style if link_style is not None else style)
    cell.link = quote(text, safe=_URI_SAFE)
    return cell


def score_value(ws: WriteOnlyWorksheet, value: float | None, style: StyleArray
                ) -> Cell | int | None:
    """A 0-100 score: a bare int when whole (the common 0/50/100 needs no number format,
    which spares a styled cell on the biggest sheet), else a cell styled with ``style``."""
    if value is None:
        return None
    if float(value).is_integer():
        return int(value)
    return num_cell(ws, value, style)


def num_cell(ws: WriteOnlyWorksheet, value: float | int | None,
             style: StyleArray | None = None) -> Cell | None:
    """A styled number cell, or None (an empty cell) when there is no value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return LightCell(value, "b", style)
    if isinstance(value, int | float):
        return LightCell(value, "n", style)
    cell = WriteOnlyCell(ws, value)  # dates: openpyxl's conversion
    if style is not None:
        cell._style = style
    return cell


def _as_appended(ws: WriteOnlyWorksheet, values: Iterable[Any], row_idx: int) -> Any:
    """Stand-in for ``WriteOnlyWorksheet._values_to_row`` (openpyxl 3.1), which turns
    each value into a cell first, trying every cell as a plain value (an exception
    carrying the cell's repr each time: half the cost of a big sheet). The row goes as
    it is to ``fast_rows``, which writes LightCells and numbers itself and refuses a
    bare string, so that no text can skip :func:`text_cell`."""
    return values if isinstance(values, list | tuple) else list(values)


def strict_rows(ws: WriteOnlyWorksheet) -> WriteOnlyWorksheet:
    """Make ``ws.append`` fast for rows of cells and refuse bare strings (see _as_appended).

    Relies on a private openpyxl method (pinned to 3.1.x in pyproject.toml); on a
    version without it the sheet keeps openpyxl's own, slower, path.
    """
    if hasattr(ws, "_values_to_row"):
        ws._values_to_row = types.MethodType(_as_appended, ws)  # type: ignore[method-assign]
        fast_rows(ws)
    return ws
