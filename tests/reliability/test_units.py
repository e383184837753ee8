"""The two small helpers behind the crawl-level fixes, on plain values."""

from __future__ import annotations

import pytest

from spiders.encoding import decode_html
from spiders.urls import crawl_key

FRENCH = "Œuvres d’été « Noël » à l’œil"


@pytest.mark.parametrize(("ctype", "body", "encoding"), [
    ("text/html", FRENCH.encode("cp1252"), "cp1252"),  # nothing declared
    ("text/html; charset=utf-8", FRENCH.encode("cp1252"), "cp1252"),  # declared wrong
    ("text/html; charset=ISO-8859-1", FRENCH.encode("cp1252"), "cp1252"),  # as browsers do
    ("text/html", b"<meta charset=utf-8>" + FRENCH.encode("cp1252"), "cp1252"),
    ("text/html", FRENCH.encode(), "utf-8"),
    ("text/html; charset=windows-1252", b"\xef\xbb\xbf" + FRENCH.encode(), "utf-8"),  # BOM wins
])
def test_french_decoded(ctype: str, body: bytes, encoding: str) -> None:
    used, text = decode_html(ctype, body)
    assert used == encoding and text.endswith(FRENCH) and "\ufeff" not in text


def test_utf8_page_with_a_few_garbage_bytes_stays_utf8() -> None:
    body = ("é" * 5).encode() + b"\xff\xfe\x80"
    assert decode_html("text/html; charset=utf-8", body)[1].startswith("ééééé")


@pytest.mark.parametrize(("a", "b"), [
    ("http://s.fr/p?PHPSESSID=1", "http://s.fr/p?PHPSESSID=2"),
    ("http://s.fr/p;jsessionid=AB12?x=1", "http://s.fr/p;jsessionid=CD34?x=1"),
    ("http://s.fr/p?sid=1&page=2", "http://s.fr/p?page=2&sid=9"),
    ("http://s.fr/p?SessionID=1", "http://s.fr/p"),
])
def test_session_ids_share_one_key(a: str, b: str) -> None:
    assert crawl_key(a) == crawl_key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("http://s.fr/p?page=1", "http://s.fr/p?page=2"),
    ("http://s.fr/p?side=1", "http://s.fr/p?side=2"),  # only whole parameter names
    ("http://s.fr/a;jsessionid=1", "http://s.fr/b;jsessionid=1"),
])
def test_other_parameters_still_distinguish_pages(a: str, b: str) -> None:
    assert crawl_key(a) != crawl_key(b)
