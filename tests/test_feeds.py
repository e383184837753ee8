"""RSS and Atom feeds read safely: dates only, no entity expansion, no network."""

from __future__ import annotations

import pytest

from audit.config import loads
from audit.typedyaml import ConfigError
from spiders.feeds import feed_dates


def test_rss_dates_newest_first_pubdate_and_dc_date() -> None:
    body = (b"<?xml version='1.0'?><rss version='2.0' "
            b"xmlns:dc='http://purl.org/dc/elements/1.1/'><channel><title>Fournil</title>"
            b"<item><title>Seigle</title><dc:date>2026-03-02T09:15:00+01:00</dc:date></item>"
            b"<item><title>Galette</title><pubDate>Tue, 06 Jan 2026 08:00:00 +0100</pubDate>"
            b"</item><item><title>Sans date</title></item></channel></rss>")
    kind, dates = feed_dates(body)
    assert kind == "rss"
    assert dates == ["2026-03-02T08:15:00+00:00", "2026-01-06T07:00:00+00:00"]


def test_atom_prefers_published_to_updated() -> None:
    body = ("<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>Vidéo</title>"
            "<updated>2026-05-10T10:00:00Z</updated><published>2026-05-01T10:00:00Z</published>"
            "</entry></feed>").encode()
    assert feed_dates(body) == ("atom", ["2026-05-01T10:00:00+00:00"])


def test_external_entities_are_not_read(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("2026-01-01T00:00:00Z", encoding="utf-8")
    body = (f"<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY xxe SYSTEM 'file://{secret}'>]>"
            "<rss><channel><item><title>x</title><pubDate>&xxe;</pubDate></item></channel>"
            "</rss>").encode()
    assert feed_dates(body) == ("rss", [])  # the file's date was never read


def test_entity_bombs_are_refused() -> None:
    laughs = "".join(f"<!ENTITY l{i} '{f'&l{i - 1};' * 10}'>" for i in range(1, 10))
    body = (f"<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY l0 'lol'>{laughs}]>"
            "<rss><channel><item><title>&l9;</title></item></channel></rss>").encode()
    with pytest.raises(ValueError, match="not XML"):
        feed_dates(body)


@pytest.mark.parametrize("body", [b"<html><body>Page</body></html>", b"pas du XML", b""])
def test_not_a_feed(body: bytes) -> None:
    with pytest.raises(ValueError):
        feed_dates(body)


def test_facebook_and_instagram_are_never_fetched() -> None:
    with pytest.raises(ConfigError, match=r"c\.yaml:5: social\.profiles\.facebook\.feed: "
                                          r"Facebook and Instagram pages are never fetched"):
        loads("client: t\nsite: {start_urls: ['https://www.exemple.fr/']}\nsocial:\n"
              "  profiles:\n    facebook: {url: 'https://www.facebook.com/x', feed: "
              "'https://www.facebook.com/x/posts'}\n", "c.yaml")
