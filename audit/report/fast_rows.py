"""Rows of big write-only sheets written as XML text, not as lxml elements.

openpyxl's write-only mode builds an lxml element (or three: ``c``, ``is``, ``t``) per
cell and serialises it: about 10 µs a cell, most of the report's time on a large site
(the Pages sheet of 100,000 pages has millions of cells). Here a row of text, number
and boolean cells is formatted as one string and written straight to the sheet's
temporary file, between lxml's own output (flushed first, so the order holds): the
same XML openpyxl writes, checked byte for byte in tests/report/test_fast_rows.py.
Rows with anything else (dates, formulas, comments) go through openpyxl's writer.

Relies on openpyxl's private ``WorksheetWriter`` (pinned to 3.1.x in pyproject.toml).
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.packaging.relationship import RelationshipList
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter, create_temporary_file
from openpyxl.xml.constants import PKG_REL_NS, REL_NS, SHEET_MAIN_NS
from openpyxl.xml.functions import fromstring, xmlfile

_NEEDS_ESCAPE = re.compile("[&<>\r]")


class LightCell:
    """What the sheets are made of: a value, its type forced by the helpers of cells.py
    (never guessed), a shared style, a link target. Light, because a big report makes
    millions; written here, and made openpyxl cells for the rare rows left to openpyxl."""

    __slots__ = ("_style", "_value", "column", "data_type", "link", "row")
    _comment = None

    def __init__(self, value: Any, data_type: str, style: StyleArray | None = None):
        self._value = value
        self.data_type = data_type
        self._style = style
        self.link: str | None = None  # hyperlink target
        self.column = self.row = 0

    @property
    def has_style(self) -> bool:
        return self._style is not None

    @property
    def value(self) -> Any:
        return self._value


# Types of appended values written here; the rest (dates, openpyxl cells) by openpyxl.
_FAST_VALUES: frozenset[type] = frozenset({LightCell, int, float, bool})


def _escape(text: str) -> str:
    """Text content escaped as lxml escapes it (``\\r`` too, so that it survives)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


_QUOTE = {'"': "&quot;"}


class _LinkRel:
    """A hyperlink relationship without openpyxl's validating descriptors."""

    __slots__ = ("Id", "Target")
    Type = f"{REL_NS}/hyperlink"
    TargetMode = "External"

    def __init__(self, target: str, rel_id: str):
        self.Target, self.Id = target, rel_id

    @property
    def id(self) -> str:
        return self.Id


class _FastRels(RelationshipList):
    """The sheet's relationships, hyperlinks among them as ``_LinkRel``; serialised as
    text and parsed once by lxml, instead of an element built per relationship."""

    def append(self, value: Any) -> None:
        if isinstance(value, _LinkRel):
            list.append(self, value)
        else:
            super().append(value)

    def to_tree(self) -> Any:
        items = []
        for rel in self:
            attrs = [f'{name}="{_attr(value)}"' for name, value in (
                ("Type", rel.Type), ("Target", rel.Target), ("TargetMode", rel.TargetMode),
                ("Id", rel.Id)) if value is not None]
            items.append(f"<Relationship {' '.join(attrs)}/>")
        return fromstring(f'<Relationships xmlns="{PKG_REL_NS}">{"".join(items)}</Relationships>')


def _attr(value: str) -> str:
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def to_cells(ws: WriteOnlyWorksheet, values: Iterable[Any], row_idx: int) -> Iterator[Cell]:
    """openpyxl cells of an appended row: LightCells converted, numbers and dates made
    cells, a bare string refused (no text may skip ``cells.text_cell``)."""
    for col_idx, value in enumerate(values, 1):
        if value is None:
            continue
        if type(value) is LightCell:
            cell = WriteOnlyCell(ws)
            cell._value, cell.data_type, cell._style = value._value, value.data_type, \
                value._style
            cell.column, cell.row = col_idx, row_idx
            if value.link:
                cell.hyperlink = value.link
        elif isinstance(value, Cell):
            cell = value
            cell.column, cell.row = col_idx, row_idx
        elif isinstance(value, str):
            raise TypeError("write text with text_cell(), never as a bare string")
        else:
            cell = WriteOnlyCell(ws, value)
            cell.column, cell.row = col_idx, row_idx
        yield cell


class FastRowWriter(WorksheetWriter):
    """A ``WorksheetWriter`` whose ``write_row`` writes plain rows as text."""

    def __init__(self, ws: WriteOnlyWorksheet):
        out = create_temporary_file()
        self._fh: BinaryIO = open(out, "wb")  # noqa: SIM115 - closed in close()
        self._flushed = False  # lxml's buffered output written out before our rows
        self._style_ids: dict[int, tuple[Any, str]] = {}  # id(StyleArray) -> (it, "s" id)
        self._links: list[tuple[str, str]] = []  # (cell reference, target) of our rows
        self._lxml: Any = None
        super().__init__(ws, out)
        self._rels = _FastRels()

    def get_stream(self) -> Any:
        # openpyxl's generator, on our file object instead of the path.
        with xmlfile(self._fh) as xf, xf.element("worksheet", xmlns=SHEET_MAIN_NS):
            self._lxml = xf
            try:
                while True:
                    el = yield
                    if el is True:
                        yield xf
                    elif el is None:
                        continue
                    else:
                        xf.write(el)
            except GeneratorExit:
                pass

    def write_row(self, xf: Any, row: Iterable[Any], row_idx: int) -> None:
        """Write one appended row: LightCells and bare numbers as text here; a row with
        anything else (a date, an openpyxl cell) through openpyxl."""
        links_before = len(self._links)
        parts = [f'<row r="{row_idx}"']
        dims = self.ws.row_dimensions.get(row_idx)
        if dims is not None:
            parts += [f' {k}="{v}"' for k, v in dims]  # numbers and flags only
        parts.append(">")
        for col, value in enumerate(row, 1):
            if value is None:
                continue
            kind_of = type(value)
            if kind_of is LightCell and LightCell in _FAST_VALUES:
                kind, style, value, link = (value.data_type, value._style, value._value,
                                            value.link)
            elif kind_of in _FAST_VALUES:
                kind, style, link = ("b" if kind_of is bool else "n"), None, None
            elif kind_of is str:
                raise TypeError("write text with text_cell(), never as a bare string")
            else:
                del self._links[links_before:]
                self._openpyxl_row(xf, row, row_idx)
                return
            if value is None and style is None:
                continue
            ref = f"{get_column_letter(col)}{row_idx}"
            head = f'<c r="{ref}" s="{self._style_id(style)}"' if style is not None \
                else f'<c r="{ref}"'
            if value is None or value == "":
                parts.append(f'{head} t="{"inlineStr" if kind == "s" else kind}"></c>')
            elif kind == "s":
                space = ' xml:space="preserve"' if value != value.strip() else ""
                if _NEEDS_ESCAPE.search(value):  # rare: the common text is copied as it is
                    value = _escape(value)
                parts.append(f'{head} t="inlineStr"><is><t{space}>{value}</t></is></c>')
            elif kind == "b":
                parts.append(f'{head} t="b"><v>{1 if value else 0}</v></c>')
            else:  # what openpyxl's safe_string writes, without its checks per call
                number = str(value) if type(value) is int and abs(value) < 10**15 \
                    else safe_string(value)
                parts.append(f'{head} t="n"><v>{number}</v></c>')
            if link:
                self._links.append((ref, link))
        parts.append("</row>")
        if not self._flushed:
            xf.flush()
            self._flushed = True
        self._fh.write("".join(parts).encode("ascii", "xmlcharrefreplace"))  # as lxml does

    def _openpyxl_row(self, xf: Any, row: Iterable[Any], row_idx: int) -> None:
        super().write_row(xf, list(to_cells(self.ws, row, row_idx)), row_idx)
        self._flushed = False

    def write_hyperlinks(self) -> None:
        # The links of rows openpyxl wrote (to_cells makes them, always with a target),
        # then ours, as text: one <hyperlink> and one relationship per link, the XML
        # openpyxl writes.
        links = [(link.ref, link.target) for link in self.ws._hyperlinks] + self._links
        if not links:
            return
        items = ["<hyperlinks>"]
        for ref, target in links:
            if target.startswith("#"):  # inside the workbook: a location, no relationship
                items.append(f'<hyperlink ref="{ref}" location="{escape(target[1:], _QUOTE)}"/>')
                continue
            rel = _LinkRel(target, f"rId{len(self._rels) + 1}")
            self._rels.append(rel)
            items.append(f'<hyperlink xmlns:r="{REL_NS}" ref="{ref}" r:id="{rel.Id}"/>')
        items.append("</hyperlinks>")
        self._lxml.flush()
        self._fh.write("".join(items).encode("ascii", "xmlcharrefreplace"))

    def _style_id(self, style: Any) -> str:
        # The styles are shared StyleArray objects (cells.make_style): look each up once.
        known = self._style_ids.get(id(style))
        if known is None or known[0] is not style:
            known = (style, str(self.ws.parent._cell_styles.add(style)))
            self._style_ids[id(style)] = known
        return known[1]

    def close(self) -> None:
        super().close()
        self._fh.close()


def fast_rows(ws: WriteOnlyWorksheet) -> WriteOnlyWorksheet:
    """Give ``ws`` the fast row writer. Created where openpyxl creates its own, at the
    first row, so that column widths, panes and filters set before are written."""

    def get_writer(self: WriteOnlyWorksheet) -> None:
        if self._writer is None:
            self._writer = FastRowWriter(self)
            self._writer.write_top()

    ws._get_writer = types.MethodType(get_writer, ws)  # type: ignore[method-assign]
    return ws
