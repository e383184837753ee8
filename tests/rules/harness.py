"""Run rules on pages described in YAML, through the real runner and scoring.

Pages are written to a temporary run directory as the crawl would write them and
checked by ``audit.runner.run_checks``: the cases exercise option validation,
failure isolation and default scores exactly as a real run does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml

from audit.config import loads, rule_settings
from audit.rule import Finding
from audit.rules import all_rules
from audit.runner import build_rules, run_checks
from spiders.encoding import charset_problem, declared_charset, decode_html
from spiders.extract import fill_page, parse_html
from spiders.items import PageItem
from spiders.urls import OnOrigin

SITE = "https://www.exemple.fr/"
_HOST = urlsplit(SITE).hostname


def _on_site(url: str) -> bool:
    return urlsplit(url).hostname == _HOST


def make_page(spec: dict[str, Any], site: dict[str, Any] | None = None) -> PageItem:
    """A PageItem from a case: ``url`` (relative to SITE), ``html``, other fields override.

    ``saved_as: cp1252`` writes the HTML in that encoding, read back like the crawl
    reads it (``content_type`` sets the header). ``external: true`` makes it a page of
    another site, fetched for comparison (its ``url`` is then absolute): it goes to the
    run's external.jsonl; ``referring: true`` a page linking to the site (backlinks.jsonl).
    ``site``: the case's ``config.site`` (start URL and aliases: the links' scope).
    """
    spec = dict(spec)
    url = urljoin(SITE, spec.pop("url", "/"))
    html = spec.pop("html", None)
    saved_as = spec.pop("saved_as", "utf-8")  # the bytes' encoding, read back as the crawl does
    page = PageItem(url=url, status=200,
                    content_type=spec.pop("content_type", "text/html; charset=utf-8"),
                    is_html=html is not None or spec.get("is_html", False))
    if html is not None:
        body = html.encode(saved_as)
        page.charset, text = decode_html(page.content_type, body)
        page.charset_declared = declared_charset(page.content_type, body)
        page.charset_problem = charset_problem(page.charset_declared, body, page.charset)
        root = parse_html(text)
        assert root is not None, f"case HTML for {url} did not parse"
        # The crawl's scope: by host, any scheme or port; site.aliases moved onto the origin.
        origin = ((site or {}).get("start_urls") or [SITE])[0]
        host = urlsplit(origin).hostname
        aliases = (site or {}).get("aliases") or []
        fill_page(page, root, lambda u: urlsplit(u).hostname == host,
                  on_site=OnOrigin(aliases, origin) if aliases else None)
    for key, value in spec.items():
        if key == "redirect_to":
            value = urljoin(SITE, value)
        setattr(page, key, value)
    return page


@dataclass
class Outcome:
    findings: list[Finding]
    scores: dict[str, dict[str, float]]  # url -> rule -> score
    site_scores: dict[str, float]
    data: dict[str, dict[str, Any]]  # url -> PageData key -> value (Msg as {"fr", "en"})
    notes: list[dict[str, str]]  # the run's notes for the Summary (check.json), {"fr", "en"}
    # The audit's limits as check.json has them: rule, key, pages, message {fr, en}...
    limits: list[dict[str, Any]] = field(default_factory=list)


def run_rule(rule_id: str, pages: list[PageItem], tmp: Path,
             options: dict[str, Any] | None = None,
             config: dict[str, Any] | None = None,
             sitemap: list[str] | None = None,
             files: dict[str, str] | None = None,
             feeds: list[dict[str, Any]] | None = None,
             images: list[dict[str, Any]] | None = None,
             sitemap_hreflang: dict[str, list[dict[str, str]]] | None = None) -> Outcome:
    """``options``: the rule's; ``config``: other top-level sections (keywords:, spelling:)."""
    data = {"client": "Cas de test", "site": {"start_urls": [SITE]}, **(config or {}),
            "rules": {rule_id: options or {}}}
    for name, content in (files or {}).items():  # files the config names (exports, lists)
        (tmp / name).write_text(content, encoding="utf-8")
    cfg = loads(yaml.safe_dump(data, allow_unicode=True), tmp / "case.yaml")
    settings = rule_settings(cfg, all_rules())
    rules = [r for r in build_rules(cfg, settings) if r.id == rule_id]
    run_dir = tmp / "run"
    run_dir.mkdir(exist_ok=True)
    # Pages marked ``external: true`` in a case are the crawl's external.jsonl (pages of
    # other sites fetched for comparison, duplicates.compare_with), not pages of the site.
    # Pages marked ``referring: true`` are the crawl's backlinks.jsonl (the referring
    # pages of backlinks.expected / imports).
    external = [p for p in pages if getattr(p, "external", False)]
    referring = [p for p in pages if getattr(p, "referring", False)]
    with open(run_dir / "pages.jsonl", "w", encoding="utf-8") as fh:
        for page in pages:
            if not getattr(page, "external", False) and not getattr(page, "referring", False):
                fh.write(json.dumps(page.to_dict(), ensure_ascii=False) + "\n")
    if referring:
        with open(run_dir / "backlinks.jsonl", "w", encoding="utf-8") as fh:
            for page in referring:
                fh.write(json.dumps(page.to_dict(), ensure_ascii=False) + "\n")
    if external:
        with open(run_dir / "external.jsonl", "w", encoding="utf-8") as fh:
            for page in external:
                fh.write(json.dumps(page.to_dict(), ensure_ascii=False) + "\n")
    if feeds is not None:  # what the crawl read of the profiles' feeds (feeds.jsonl)
        with open(run_dir / "feeds.jsonl", "w", encoding="utf-8") as fh:
            for record in feeds:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    if images is not None:  # what fetching the og:images gave (images.jsonl)
        with open(run_dir / "images.jsonl", "w", encoding="utf-8") as fh:
            for record in images:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    if sitemap is not None:
        with open(run_dir / "sitemaps.jsonl", "w", encoding="utf-8") as fh:
            for item in sitemap:  # a URL, or {url, sitemap, lastmod, via, relative}
                entry = {"sitemap": "sitemap.xml", "via": "robots.txt",
                         **(item if isinstance(item, dict) else {"url": item})}
                entry["url"] = urljoin(SITE, entry["url"])
                entry["sitemap"] = urljoin(SITE, entry["sitemap"])
                entry["alternates"] = [{"lang": a["lang"], "href": urljoin(SITE, a["href"])}
                                       for a in (sitemap_hreflang or {}).get(item if isinstance(
                                           item, str) else item["url"], [])]
                fh.write(json.dumps(entry) + "\n")
    run_checks(run_dir, cfg, rules, start_urls=[SITE])
    findings = [Finding.from_dict(json.loads(line))
                for line in (run_dir / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    scores: dict[str, dict[str, float]] = {}
    data: dict[str, dict[str, Any]] = {}
    site: dict[str, float] = {}
    for line in (run_dir / "page_results.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if "site" in row:
            site = row["site"]
        else:
            scores[row["url"]] = row["scores"]
            data[row["url"]] = row.get("data", {})
    check = json.loads((run_dir / "check.json").read_text(encoding="utf-8"))
    return Outcome(findings, scores, site, data, check["notes"], check.get("limits", []))
