"""Decode an HTML body the way a French site's author meant it.

Scrapy guesses undeclared encodings with charset_normalizer, which reads a short
windows-1252 page as windows-1250 ("Śuvre" for "Œuvre"). Here: BOM, then the
Content-Type header, then ``<meta charset>``, then UTF-8 if the bytes are valid UTF-8,
else windows-1252 — the legacy encoding of Western European sites (and what browsers
use for "iso-8859-1"). A declared UTF-8 that the bytes contradict (a cp1252 page
behind a server-wide ``charset=utf-8``) is read as windows-1252 too, and UTF-8 bytes
declared as a single-byte charset are read as UTF-8. ``charset_problem`` tells the
report when a browser, which believes the declaration, would show the accents wrong.
"""

from __future__ import annotations

import re

from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

FALLBACK = "cp1252"


def _utf8_or_none(body: bytes) -> str | None:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "utf-8"


def _mostly_invalid_utf8(text: str) -> bool:
    """Broken bytes and (almost) no well-formed multi-byte character: not really UTF-8.
    A UTF-8 page with a few garbage bytes stays UTF-8 (cp1252 text rarely happens to
    form valid UTF-8 sequences)."""
    bad = text.count("\ufffd")
    good = sum(1 for c in text if c > "\x7f" and c != "\ufffd")
    return bad > 10 * good


def decode_html(content_type: str, body: bytes) -> tuple[str, str]:
    """(encoding used, text) of an HTML body."""
    encoding, text = html_to_unicode(content_type, body, default_encoding=FALLBACK,
                                     auto_detect_fun=_utf8_or_none)
    if (encoding == "utf-8" and "\ufffd" in text and read_bom(body)[0] is None
            and _mostly_invalid_utf8(text)):
        return FALLBACK, body.decode(FALLBACK, errors="replace")
    if encoding != "utf-8" and not body.isascii() and _utf8_or_none(body):
        # UTF-8 bytes declared as a single-byte charset (a server-wide iso-8859-1): read
        # as the author wrote them; the charset rule reports the contradiction.
        return "utf-8", body.decode("utf-8")
    return encoding, text


_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([^\s;"']+)""", re.IGNORECASE)


def declared_charset(content_type: str, body: bytes) -> str:
    """The charset the server or the page declares (header first, as browsers do), as
    written; "" when neither does."""
    found = _HEADER_CHARSET.search(content_type)
    header = found.group(1) if found else ""
    if header and http_content_type_encoding(content_type):
        return header
    return html_body_declared_encoding(body[:4096]) or header


def charset_problem(declared: str, body: bytes, used: str) -> str:
    """Why a browser may show this page's accents wrong: "contradicted" (the declared
    charset is not the one the bytes are in, e.g. windows-1252 text served as UTF-8:
    « Ã© » or « � » on screen), "undeclared" (non-ASCII text and no charset declared
    nor BOM: the browser guesses), or "" (fine). ``declared``: from declared_charset."""
    if read_bom(body)[0] is not None:
        return ""
    if declared:
        resolved = resolve_encoding(declared)
        if resolved is None:
            return ""  # an unknown name: the browser ignores it and guesses
        return "" if resolved == resolve_encoding(used) else "contradicted"
    return "undeclared" if not body.isascii() else ""
