"""Decode an HTML body the way a French site's author meant it.

Scrapy guesses undeclared encodings with charset_normalizer, which reads a short
windows-1252 page as windows-1250 ("Śuvre" for "Œuvre"). Here: BOM, then the
Content-Type header, then ``<meta charset>``, then UTF-8 if the bytes are valid UTF-8,
else windows-1252 — the legacy encoding of Western European sites (and what browsers
use for "iso-8859-1"). A declared UTF-8 that the bytes contradict (a cp1252 page
behind a server-wide ``charset=utf-8``) is read as windows-1252 too.
"""

from __future__ import annotations

from w3lib.encoding import html_to_unicode, read_bom

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
    return encoding, text
