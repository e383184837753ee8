"""audit.indexability: one reading of statuses, robots directives and canonicals."""

from __future__ import annotations

import pytest

from audit.indexability import (
    canonical_target,
    canonicals,
    header_directives,
    indexability,
    is_nofollow,
    noindex_source,
)
from spiders.items import PageItem

URL = "https://www.exemple.fr/offres/"


def page(**kw: object) -> PageItem:
    base: dict[str, object] = {"url": URL, "status": 200, "is_html": True,
                               "content_type": "text/html; charset=utf-8"}
    base.update(kw)
    return PageItem(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "expected"), [
    ("noindex", {"noindex"}),
    ("googlebot: noindex", {"noindex"}),
    ("otherbot: noindex, nofollow", set()),
    ("bingbot: noindex\ngooglebot: nofollow", {"nofollow"}),
    ("unavailable_after: 25 Jun 2030 15:00:00 PST", {"unavailable_after"}),
    ("NoIndex, NoFollow", {"noindex", "nofollow"}),
    ("", set()),
])
def test_x_robots_tag_read_for_googlebot(value: str, expected: set[str]) -> None:
    assert header_directives(value) == expected


@pytest.mark.parametrize(("kw", "reason", "detail"), [
    ({}, "indexable", ""),
    ({"status": None, "error": "robots.txt"}, "robots-txt", ""),
    ({"status": None, "error": "TimeoutError: took too long"}, "status",
     "TimeoutError: took too long"),
    ({"status": 301, "redirect_to": URL + "x"}, "redirect", f"301 → {URL}x"),
    ({"status": 404}, "status", "404"),
    ({"status": 503}, "status", "503"),
    ({"status": 204}, "status", "204"),
    ({"meta_robots": "noindex, follow"}, "noindex", "meta robots"),
    ({"meta_robots": "none"}, "noindex", "meta robots"),
    ({"meta_googlebot": "noindex"}, "noindex", "meta googlebot"),
    ({"x_robots_tag": "googlebot: noindex"}, "noindex", "X-Robots-Tag"),
    ({"x_robots_tag": "otherbot: noindex"}, "indexable", ""),
    ({"meta_robots": "index, follow"}, "indexable", ""),
    ({"canonical": URL + "autre/", "canonicals": [URL + "autre/"]}, "canonicalised",
     URL + "autre/"),
    ({"canonical": URL, "canonicals": [URL]}, "indexable", ""),
    ({"canonical": "https://www.EXEMPLE.fr/offres/", "canonicals": []}, "indexable", ""),
    # Older crawl: only the first tag recorded.
    ({"canonical": URL + "autre/"}, "canonicalised", URL + "autre/"),
    # Tags that disagree are ignored, as Google does.
    ({"canonical": URL + "a/", "canonicals": [URL + "a/", URL + "b/"]}, "indexable", ""),
    ({"canonical": URL + "a/", "canonicals": [URL + "a/"], "canonical_header": URL + "b/"},
     "indexable", ""),
    ({"is_html": False, "content_type": "application/pdf"}, "not-html", "application/pdf"),
    ({"is_html": False, "content_type": "application/pdf", "x_robots_tag": "noindex"},
     "noindex", "X-Robots-Tag"),
    ({"is_html": False, "content_type": "application/pdf", "canonical_header": URL},
     "not-html", "application/pdf"),
])
def test_reason(kw: dict[str, object], reason: str, detail: str) -> None:
    result = indexability(page(**kw))
    assert (result.reason, result.detail) == (reason, detail)
    assert result.indexable == (reason == "indexable")


def test_noindex_wins_over_canonical_and_header_over_meta() -> None:
    p = page(meta_robots="noindex", x_robots_tag="noindex", canonical=URL + "a/",
             canonicals=[URL + "a/"])
    assert indexability(p).reason == "noindex"
    assert noindex_source(p) == "X-Robots-Tag"


def test_same_page_reads_a_production_canonical_as_the_page_itself() -> None:
    p = page(url="http://127.0.0.1:8000/offres/", canonical=URL, canonicals=[URL])
    assert canonical_target(p) == URL
    assert canonical_target(p, lambda u, c: c == URL) == ""
    assert indexability(p, lambda u, c: c == URL).indexable


def test_canonicals_tags_then_header_distinct() -> None:
    p = page(canonical=URL, canonicals=[URL, URL], canonical_header=URL + "pdf")
    assert canonicals(p) == [URL, URL + "pdf"]


def test_nofollow_and_labels() -> None:
    assert is_nofollow(page(meta_robots="none"))
    assert is_nofollow(page(x_robots_tag="googlebot: nofollow"))
    assert not is_nofollow(page(x_robots_tag="otherbot: nofollow"))
    assert page().status == 200 and indexability(page()).column().fr == "oui"
    assert indexability(page(status=404)).column().fr == "non — code HTTP autre que 200 (404)"
    assert indexability(page(meta_robots="noindex")).column().en == "no — noindex (meta robots)"
