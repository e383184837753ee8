"""Reading the CSV/TSV files consultants export from other tools, whatever the dialect.

Exports differ by tool and by locale: UTF-8 with or without BOM, UTF-16 with tabs (Google
Ads' and Excel's "Unicode text"), cp1252 from Excel on a French Windows; comma,
semicolon or tab. Rows come back with the file line they start on, for error messages.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path


class TableError(ValueError):
    """A file we cannot use: carries the file and line for the message."""

    def __init__(self, path: Path, line: int | None, message: str):
        self.path, self.line, self.reason = path, line, message
        super().__init__(f"{path}{f':{line}' if line else ''}: {message}")


def fold(text: str) -> str:
    """A header as compared: accents and case dropped, _ and spaces collapsed."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = plain.replace("\u2019", "'").replace("_", " ")
    return " ".join(plain.lower().split())


def decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if len(raw) > 3 and raw[1:2] == b"\x00" and raw[3:4] == b"\x00":
        return raw.decode("utf-16-le")  # UTF-16 without its BOM
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most lines into the same number of cells (more than
    one): counting characters is fooled by French decimal commas in a ;-separated file."""
    sample = text.splitlines()[:50]
    best, best_key = ",", (0, 0)
    for d in ("\t", ";", ","):
        widths = [len(r) for r in csv.reader(sample, delimiter=d) if len(r) > 1]
        if not widths:
            continue
        mode = max(set(widths), key=widths.count)
        key = (widths.count(mode), mode)
        if key > best_key:
            best, best_key = d, key
    return best


def read_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every non-empty row. Raises TableError."""
    try:
        text = decode(path.read_bytes())
    except OSError as exc:
        raise TableError(path, None, exc.strerror or str(exc)) from None
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    line = 1
    try:
        for row in reader:
            if any(c.strip() for c in row):
                yield line, [c.strip() for c in row]
            line = reader.line_num + 1
    except csv.Error as exc:
        raise TableError(path, reader.line_num, f"not CSV: {exc}") from None
