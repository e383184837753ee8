"""The backlinks a client expects: from the config, and from the consultant's CSV exports.

Shared by the crawl (which referring pages to fetch) and the ``backlinks`` rule (what to
look for on them), so both read the same list. Exports come from Google Search Console,
Bing Webmaster Tools, Ahrefs, Majestic or Semrush, in English or French, UTF-8 or UTF-16
(Excel), comma, semicolon or tab separated: their columns are recognised by header
name (see ``SOURCE_HEADERS`` and the README). A file we cannot read raises
:class:`BacklinkImportError` naming the file and line; callers go on without it.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from audit.config import ClientConfig


def fold(text: str) -> str:
    """Header names compared without case, accents, apostrophes, quotes or extra spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    for char in "'\"_-":
        plain = plain.replace(char, " " if char in "_-" else "")
    return " ".join(plain.lower().split())


# Header names of each column, as the tools write them (English and French interfaces).
SOURCE_HEADERS = (
    "Linking page", "Linking pages", "Page d’origine du lien", "Pages à l’origine du lien",
    "Page de provenance", "Referring page URL", "Referring page", "Referring URL",
    "URL de la page référente", "Page référente", "URL référente", "Source URL", "Source url",
    "URL source", "Source page", "Page source", "From URL",
)
TARGET_HEADERS = (
    "Target URL", "Target url", "Target page", "Target", "URL cible", "Page cible", "Cible",
    "Destination URL", "URL de destination", "Page de destination", "Linked page",
    "Page liée", "To URL",
)
ANCHOR_HEADERS = (
    "Anchor", "Anchor text", "Anchor Text", "Ancre", "Texte d’ancre", "Texte de l’ancre",
    "Texte d’ancrage", "Texte du lien", "Link text", "Ancrage",
)
_SOURCES = {fold(h) for h in SOURCE_HEADERS}
_TARGETS = {fold(h) for h in TARGET_HEADERS}
_ANCHORS = {fold(h) for h in ANCHOR_HEADERS}
HEADER_LINES = 5  # tools that put a title line above the header (Majestic's) are covered


@dataclass(frozen=True)
class ExpectedLink:
    """One link the client expects: from a referring page to the site."""

    source: str  # the referring page
    target: str = ""  # the page of the site it should point to ("" = any page of the site)
    anchor: str = ""  # the anchor text it should carry ("" = any)
    origin: str = "config"  # "config" or the import file's name


class BacklinkImportError(ValueError):
    """An export we cannot read: carries the file and line for the message."""

    def __init__(self, path: Path, line: int | None, message: str):
        self.path, self.line = path, line
        super().__init__(f"{path}{f':{line}' if line else ''}: {message}")


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if len(raw) > 3 and raw[1:2] == b"\x00" and raw[3:4] == b"\x00":
        return raw.decode("utf-16-le")  # UTF-16 without its BOM
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")  # Excel on a French Windows


def _http(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def read_import(path: Path) -> list[ExpectedLink]:
    """The links of one export. Raises BacklinkImportError with the file and line."""
    try:
        text = _decode(path.read_bytes())
    except OSError as exc:
        raise BacklinkImportError(path, None, exc.strerror or str(exc)) from None
    lines = text.splitlines()
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            "\n".join(lines[:20]), delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not any(any(c.strip() for c in row) for row in rows):
        raise BacklinkImportError(path, 1, "empty file")
    header_at, columns = None, (None, None, None)
    for i, row in enumerate(rows[:HEADER_LINES]):
        folded = [fold(c) for c in row]
        source = next((j for j, h in enumerate(folded) if h in _SOURCES), None)
        if source is not None:
            target = next((j for j, h in enumerate(folded) if h in _TARGETS), None)
            anchor = next((j for j, h in enumerate(folded) if h in _ANCHORS), None)
            header_at, columns = i, (source, target, anchor)
            break
    if header_at is None:
        got = next((row for row in rows if any(c.strip() for c in row)), [])
        raise BacklinkImportError(
            path, 1, "not a known backlinks export: no referring page column (expected "
            "e.g. 'Linking page', 'Source URL', 'Referring page URL', 'URL source'); got "
            + ", ".join(c[:30] for c in got[:8]))
    source, target, anchor = columns
    out: list[ExpectedLink] = []
    for number, row in enumerate(rows[header_at + 1:], header_at + 2):
        if not any(c.strip() for c in row):
            continue
        value = row[source].strip() if source < len(row) else ""
        if not _http(value):
            raise BacklinkImportError(path, number, f"not a page URL in the referring page "
                                                    f"column: {value[:60]!r}")
        to = row[target].strip() if target is not None and target < len(row) else ""
        if to and not _http(to):
            raise BacklinkImportError(path, number, f"not a URL in the target column: "
                                                    f"{to[:60]!r}")
        text_ = row[anchor].strip() if anchor is not None and anchor < len(row) else ""
        out.append(ExpectedLink(value, to, text_, path.name))
    return out


def expected_links(cfg: ClientConfig) -> tuple[list[ExpectedLink], list[BacklinkImportError]]:
    """Every expected link (config first, then imports, duplicates dropped) and the
    imports that could not be read."""
    links: list[ExpectedLink] = []
    for entry in cfg.backlinks.expected:
        if isinstance(entry, str):
            links.append(ExpectedLink(entry.strip()))
        else:
            links.append(ExpectedLink(entry["from"].strip(), (entry.get("to") or "").strip(),
                                      (entry.get("anchor") or "").strip()))
    errors: list[BacklinkImportError] = []
    for name in cfg.backlinks.imports:
        try:
            links.extend(read_import(cfg.resolve(name)))
        except BacklinkImportError as exc:
            errors.append(exc)
    # A page named without a target is covered by any entry naming its target: keeping
    # both would count the same link twice.
    targeted = {link.source for link in links if link.target}
    seen: set[tuple[str, str]] = set()
    unique = []
    for link in links:
        key = (link.source, link.target)
        if key not in seen and (link.target or link.source not in targeted):
            seen.add(key)
            unique.append(link)
    return unique, errors


def referring_pages(links: list[ExpectedLink], budget: int) -> list[str]:
    """The distinct referring pages to fetch, in order, at most ``budget``."""
    pages: dict[str, None] = {}
    for link in links:
        if link.source not in pages:
            if len(pages) >= budget:
                break
            pages[link.source] = None
    return list(pages)
