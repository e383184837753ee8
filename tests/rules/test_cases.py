"""The generic case runner: every tests/rules/cases/<rule-id>.yaml, case by case.

A case file::

    rule: title
    cases:
      - name: what the case shows
        options: {max_length: 60}        # the rule's options, validated like a config
        config: {keywords: {/: audit SEO}}  # other sections of the client config
        sitemap: [/, /tarifs.html]       # URLs listed in the site's XML sitemap, or
                                         # {url, lastmod, sitemap, via} entries
        sitemap_hreflang: {/fr/: [{lang: en, href: /en/}]}  # the entries' xhtml:link alternates
        files: {posts.csv: "Date\n{days_ago:3}\n"}  # files next to the config
        feeds: [{network: youtube, dates: ["{days_ago:3}"]}]  # the crawl's feeds.jsonl
        images: [{url: "https://…/a.png", status: 404}]  # the crawl's images.jsonl
        pages:                           # or a single `html:` / `page:` for one page at /
          - url: /tarifs.html
            html: "<html>...</html>"     # parsed by the real extractor
            status: 200                  # any PageItem field overrides
        expect:                          # every finding, as "code" (page /) or {url, code}
          - too-long
        scores: {/: 50}                  # optional: rule score per page URL (null: not scored)
        data: {/: {focus_keyword: seo}}  # optional: PageData values the page must carry
        messages:                        # optional: a finding's French or English message
          - {code: misspelling, url: /, contains: "reseau"}   # holds this text
        evidence:                        # optional: every finding of a page, its evidence
          - {contains: "[est été]", lang: en, url: /}   # holds this text (lang: both if unset)
        site_score: 50                   # optional: the score of a site-level rule (null: none)
        notes: ["site.aliases"]          # optional: words of the Summary's notes (English),
                                         # each in one note; [] for no note at all
        limits: [{key: no-engine:en, pages: 1}]  # optional: the audit's limits (check.json),
                                         # never findings; [] when there must be none
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import yaml

from audit.rule import Msg
from audit.rules import all_rules
from tests.rules.harness import SITE, make_page, run_rule

CASES_DIR = Path(__file__).parent / "cases"


def _load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            params.append(pytest.param(data["rule"], case, id=f"{path.stem}: {case['name']}"))
    return params


def _pages(case: dict[str, Any]) -> list[dict[str, Any]]:
    if "pages" in case:
        return case["pages"]
    if "html" in case:
        return [{"html": case["html"], **case.get("page", {})}]
    return [case["page"]]


def _dated(files: dict[str, str] | None) -> dict[str, str] | None:
    """``{days_ago:N}`` in a case file becomes the ISO date N days before today, so that
    activity cases do not rot as the calendar moves on."""
    if not files:
        return files
    today = date.today()
    return {name: re.sub(r"\{days_ago:(\d+)\}",
                         lambda m: (today - timedelta(days=int(m.group(1)))).isoformat(), text)
            for name, text in files.items()}


def _expected(case: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for item in case.get("expect") or []:
        if isinstance(item, str):
            out.append((SITE, item))
        else:
            out.append((urljoin(SITE, item["url"]), item["code"]))
    return sorted(out)


@pytest.mark.parametrize(("rule_id", "case"), _load_cases())
def test_case(rule_id: str, case: dict[str, Any], tmp_path: Path) -> None:
    site = (case.get("config") or {}).get("site")
    pages = [make_page(spec, site) for spec in _pages(case)]
    feeds = case.get("feeds")
    if feeds is not None:
        feeds = json.loads(_dated({"f": json.dumps(feeds)})["f"])  # type: ignore[index]
    outcome = run_rule(rule_id, pages, tmp_path, case.get("options"), case.get("config"),
                       case.get("sitemap"), _dated(case.get("files")), feeds,
                       case.get("images"), case.get("sitemap_hreflang"))
    got = sorted((f.url, f.code) for f in outcome.findings)
    assert got == _expected(case), [f.message.en for f in outcome.findings]
    for f in outcome.findings:
        assert f.message.fr and f.message.en and f.message.fr != f.message.en
    if "limits" in case:
        assert sorted((lim["key"], lim["pages"]) for lim in outcome.limits) == sorted(
            (lim["key"], lim["pages"]) for lim in case["limits"]), outcome.limits
    for lim in outcome.limits:
        fr, en = lim["message"]["fr"], lim["message"]["en"]
        assert fr and en and fr != en and "{pages}" not in fr + en
    if case.get("site_score", ...) is None:
        assert rule_id not in outcome.site_scores, outcome.site_scores
    elif "site_score" in case:
        assert outcome.site_scores.get(rule_id) == pytest.approx(case["site_score"], abs=0.1)
    if "notes" in case:
        english = [n["en"] for n in outcome.notes]
        assert bool(english) == bool(case["notes"]), english
        for words in case["notes"]:
            assert any(words in n for n in english), (words, english)
        for note in outcome.notes:
            assert note["fr"] and note["en"] and note["fr"] != note["en"]
    for url, expected in (case.get("data") or {}).items():
        assert outcome.data.get(urljoin(SITE, url), {}) | expected == outcome.data.get(
            urljoin(SITE, url), {}), outcome.data.get(urljoin(SITE, url))
    for m in case.get("messages") or []:
        url = urljoin(SITE, m.get("url", "/"))
        texts = [t for f in outcome.findings if f.code == m["code"] and f.url == url
                 for t in (f.message.fr, f.message.en)]
        assert any(m["contains"] in t for t in texts), texts
    for e in case.get("evidence") or []:  # {contains, lang (fr/en; default both), url}
        url = urljoin(SITE, e.get("url", "/"))
        texts = [f.evidence.get(lang) if isinstance(f.evidence, Msg) else f.evidence
                 for f in outcome.findings if f.url == url
                 for lang in ([e["lang"]] if "lang" in e else ["fr", "en"])]
        assert texts and all(e["contains"] in t for t in texts), (e["contains"], texts)
    for url, score in (case.get("scores") or {}).items():
        actual = outcome.scores[urljoin(SITE, url)].get(rule_id)
        assert actual == pytest.approx(score, abs=0.1) if score is not None else actual is None


def test_every_rule_has_a_case_file() -> None:
    files = {p.stem for p in CASES_DIR.glob("*.yaml")}
    missing = set(all_rules()) - files
    assert not missing, f"rules without tests/rules/cases/<id>.yaml: {sorted(missing)}"


@pytest.mark.parametrize("rule_id", sorted(all_rules()))
def test_case_file_has_passing_and_failing_cases(rule_id: str) -> None:
    data = yaml.safe_load((CASES_DIR / f"{rule_id}.yaml").read_text(encoding="utf-8"))
    assert data["rule"] == rule_id
    assert any(not c.get("expect") for c in data["cases"]), "needs a passing case"
    assert any(c.get("expect") for c in data["cases"]), "needs a failing case"
