"""Post dates from a social network's analytics export (CSV), whatever its dialect.

Exports differ by network and by the consultant's locale: UTF-8 or UTF-16 (Excel),
comma, semicolon or tab, "Date" or "Date de publication" or "Published", ISO dates or
French dd/mm/yyyy. We only need one thing from them: the date of each post.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

# Header names of the publication date column, accent-folded and lower-case.
DATE_HEADERS = ("date de publication", "publication date", "published", "publie le",
                "date", "created", "created at", "created time", "heure de publication",
                "time", "horodatage", "timestamp", "post date", "date du post")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_FR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


class ExportError(ValueError):
    """An export we cannot read: carries the file and line for the message."""

    def __init__(self, path: Path, line: int | None, message: str):
        self.path, self.line = path, line
        super().__init__(f"{path}{f':{line}' if line else ''}: {message}")


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().replace("_", " ").split())


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")  # Excel on a French Windows


def parse_date(value: str) -> date | None:
    value = value.strip()
    if m := _ISO.match(value):
        y, mo, d = map(int, m.groups())
    elif m := _FR.match(value):
        d, mo, y = map(int, m.groups())  # French day first: 03/11/2026 is 3 November
    else:
        try:
            return datetime.fromtimestamp(float(value), UTC).date()  # a Unix timestamp
        except (ValueError, OverflowError, OSError):
            return None
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def read_post_dates(path: Path) -> list[date]:
    """Every post's date, newest first. Raises ExportError with file and line."""
    try:
        text = _decode(path.read_bytes())
    except OSError as exc:
        raise ExportError(path, None, exc.strerror or str(exc)) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    header = next(rows, None)
    if not header:
        raise ExportError(path, 1, "empty file")
    folded = [_fold(h) for h in header]
    column = next((folded.index(h) for h in DATE_HEADERS if h in folded), None)
    if column is None:
        raise ExportError(path, 1, "no date column (expected one of: Date, "
                                   "Date de publication, Published, Created...); got "
                                   + ", ".join(header[:8]))
    dates = []
    for number, row in enumerate(rows, 2):
        if not any(c.strip() for c in row):
            continue
        if column >= len(row):
            raise ExportError(path, number, f"no value in the '{header[column]}' column")
        parsed = parse_date(row[column])
        if parsed is None:
            raise ExportError(path, number, f"not a date: {row[column][:40]!r}")
        dates.append(parsed)
    return sorted(dates, reverse=True)
