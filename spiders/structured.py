"""Structured data of a page: JSON-LD blocks (with their syntax errors), microdata and RDFa.

JSON-LD is read here with the standard library, so that a broken block is reported with
its position (which ``<script>``, its line in the HTML, where the JSON breaks) instead of
being skipped in silence. Microdata and RDFa go through extruct (the well-kept extractor of
Scrapinghub/Zyte, W3C microdata and pyRdfa underneath), only on pages that carry their
attributes: RDFa parsing builds a graph and would otherwise run on every page's Open
Graph tags. Both come out in the JSON-LD shape the rules read (``{"@type": "Product",
"name": ..., "offers": {...}}``, schema.org prefixes removed).
"""

from __future__ import annotations

import json
import re
from typing import Any

from lxml import html

# Wrappers CMSs put around a JSON-LD block, which browsers and Google tolerate.
_WRAPPERS = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?://\s*\]\]>|\]\]>|-->)\s*$")
_SCHEMA = re.compile(r"^https?://schema\.org/")
MAX_ERRORS = 10  # broken blocks recorded per page
EXCERPT = 60  # characters of the block shown around a syntax error


def json_ld(root: html.HtmlElement) -> tuple[list[Any], list[dict[str, Any]]]:
    """The parsed JSON-LD blocks of the page, and one record per block that does not parse:
    ``{"block": 1-based rank among the page's JSON-LD scripts, "line": its line in the
    HTML, "error": the parser's message, "excerpt": the text around the error}``."""
    blocks: list[Any] = []
    errors: list[dict[str, Any]] = []
    rank = 0
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower().split(";")[0] != "application/ld+json":
            continue
        text = _WRAPPERS.sub("", script.text or "")
        if not text.strip():  # an empty placeholder: not a block
            continue
        rank += 1
        try:
            blocks.append(json.loads(text))
        except json.JSONDecodeError as exc:
            if len(errors) < MAX_ERRORS:
                start = max(0, exc.pos - EXCERPT // 2)
                excerpt = " ".join(text[start:exc.pos + EXCERPT // 2].split())
                errors.append({"block": rank, "line": script.sourceline or 0,
                               "error": f"{exc.msg} (line {exc.lineno}, column {exc.colno})",
                               "excerpt": excerpt})
        except ValueError as exc:  # recursion too deep, a number too long
            if len(errors) < MAX_ERRORS:
                errors.append({"block": rank, "line": script.sourceline or 0,
                               "error": str(exc)[:200], "excerpt": ""})
    return blocks, errors


def microdata(root: html.HtmlElement, base_url: str) -> list[Any]:
    """The page's top-level microdata items, JSON-LD shaped (``@type``, properties)."""
    if not root.xpath("boolean(//*[@itemscope])"):
        return []
    from extruct.uniform import _umicrodata_microformat
    from extruct.w3cmicrodata import MicrodataExtractor

    try:
        items = list(MicrodataExtractor().extract_items(root, base_url))
        return [_short_types(i) for i in _umicrodata_microformat(items, "http://schema.org")]
    except Exception:  # a malformed page must not lose the rest of the extraction
        return []


def rdfa(root: html.HtmlElement, base_url: str) -> list[Any]:
    """The page's schema.org RDFa items (``typeof`` + ``property``), JSON-LD shaped and
    nested as written; other vocabularies (Open Graph) are left out."""
    if not root.xpath("boolean(//*[@typeof])"):
        return []
    from extruct.rdfa import RDFaExtractor
    from extruct.utils import parse_xmldom_html

    try:
        dom = parse_xmldom_html(html.tostring(root, encoding="utf-8"), encoding="utf-8")
        graph = RDFaExtractor().extract_items(dom, base_url=base_url, expanded=True)
    except Exception:  # pyRdfa raises many kinds on odd markup
        return []
    return compact_rdfa(graph)


def compact_rdfa(graph: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """pyRdfa's expanded, flat JSON-LD graph → nested schema.org items."""
    nodes = {n.get("@id"): n for n in graph if isinstance(n, dict)}
    referenced = {v["@id"] for n in nodes.values() for values in n.values()
                  if isinstance(values, list) for v in values
                  if isinstance(v, dict) and "@id" in v and v["@id"] in nodes}

    def typed(node: dict[str, Any]) -> list[str]:
        return [_SCHEMA.sub("", t) for t in node.get("@type", []) if _SCHEMA.match(t)]

    def build(node: dict[str, Any], seen: frozenset[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        types = typed(node)
        if types:
            out["@type"] = types[0] if len(types) == 1 else types
        for key, values in node.items():
            if not _SCHEMA.match(key) or not isinstance(values, list):
                continue
            converted = []
            for v in values:
                if not isinstance(v, dict):
                    continue
                if "@value" in v:
                    converted.append(v["@value"])
                elif "@id" in v:
                    target = nodes.get(v["@id"])
                    if target is not None and v["@id"] not in seen:
                        converted.append(build(target, seen | {v["@id"]}))
                    else:
                        converted.append(v["@id"])
            if converted:
                out[_SCHEMA.sub("", key)] = converted[0] if len(converted) == 1 else converted
        return out

    return [build(n, frozenset({i})) for i, n in nodes.items()
            if typed(n) and i not in referenced]


def _short_types(item: Any) -> Any:
    """``https://schema.org/Product`` → ``Product``, at every level of an item."""
    if isinstance(item, list):
        return [_short_types(i) for i in item]
    if not isinstance(item, dict):
        return item
    out = {}
    for key, value in item.items():
        if key == "@context":
            continue
        if key == "@type":
            value = [_SCHEMA.sub("", t) for t in value] if isinstance(value, list) \
                else _SCHEMA.sub("", str(value))
            if isinstance(value, list) and len(value) == 1:
                value = value[0]
        out[key] = _short_types(value)
    return out


__all__ = ["compact_rdfa", "json_ld", "microdata", "rdfa"]
