"""The page's structured data as one list of schema.org items, whatever the syntax.

JSON-LD blocks (``@graph`` and top-level lists unfolded), microdata and RDFa items, all in
the JSON-LD shape the crawl records (spiders/structured.py). Read by the
``structured-data`` rule (types and properties) and ``social-profiles`` (``sameAs``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from audit.schema_types import PROFILE_FAMILIES, PROFILE_TYPES, family
from spiders.items import PageItem

SYNTAXES = {"json-ld": "JSON-LD", "microdata": "microdata", "rdfa": "RDFa"}


class Item(NamedTuple):
    syntax: str  # json-ld | microdata | rdfa
    block: int  # JSON-LD: rank of its <script> among the parsed blocks (1-based); else 0
    node: dict[str, Any]


def types_of(node: Any) -> list[str]:
    """The node's schema.org types, short (``https://schema.org/Product`` → ``Product``)."""
    if not isinstance(node, dict):
        return []
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw] if raw else []
    out = []
    for v in values:
        if isinstance(v, str) and v.strip():
            out.append(v.strip().rsplit("/", 1)[-1].removeprefix("schema:"))
    return out


def items(page: PageItem) -> Iterator[Item]:
    """The page's top-level items: each JSON-LD block's node(s), each microdata and RDFa
    item."""
    for rank, block in enumerate(page.json_ld, 1):
        stack = [block]
        while stack:
            node = stack.pop(0)
            if isinstance(node, list):
                stack[:0] = node
            elif isinstance(node, dict):
                graph = node.get("@graph")
                if isinstance(graph, list):
                    stack[:0] = graph
                elif isinstance(graph, dict):
                    stack.insert(0, graph)
                if types_of(node) or not isinstance(graph, list | dict):
                    yield Item("json-ld", rank, node)
    for syntax, found in (("microdata", page.microdata), ("rdfa", page.rdfa)):
        for node in found:
            if isinstance(node, dict):
                yield Item(syntax, 0, node)


def same_as(page: PageItem) -> Iterator[str]:
    """The ``sameAs`` URLs of the Organization / LocalBusiness / Person items of the page,
    nested ones included (an Article's publisher): the profiles the site declares."""
    stack: list[Any] = [i.node for i in items(page)]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        types = types_of(node)
        if any(family(t) in PROFILE_FAMILIES or t in PROFILE_TYPES for t in types):
            same = node.get("sameAs")
            for value in same if isinstance(same, list) else [same]:
                if isinstance(value, str) and value.strip():
                    yield value.strip()
                elif isinstance(value, dict) and isinstance(value.get("@id"), str):
                    yield value["@id"]
        stack.extend(v for k, v in node.items() if k != "sameAs" and isinstance(v, dict | list))


__all__ = ["SYNTAXES", "Item", "items", "same_as", "types_of"]
