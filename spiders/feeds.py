"""Post dates from an RSS or Atom feed (a YouTube channel, a Mastodon or Bluesky profile,
a blog), parsed safely.

The feed comes from another site: lxml parses it with entity expansion, DTD loading and
network access off (no XXE, no "billion laughs"), and without huge_tree (bounded depth
and text). Only the dates of the entries are kept.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from lxml import etree

MAX_ENTRIES = 1000  # a feed with more entries is cut here (the newest come first anyway)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _parse_date(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:  # Atom, dc:date, JSON-ish: ISO 8601
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:  # RSS 2.0: RFC 822 ("Sat, 07 Sep 2026 10:00:00 +0200")
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# Date elements of an entry, by preference: publication first, update last.
DATE_TAGS = ("published", "pubdate", "date", "issued", "created", "updated", "modified")


def feed_dates(body: bytes) -> tuple[str, list[str]]:
    """(format, ISO dates of the entries, newest first). Raises ValueError when the body
    is not an RSS, RDF or Atom feed."""
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not XML: {exc}") from None
    if root is None:
        raise ValueError("empty document")
    kind = _local(root.tag)
    if kind not in ("rss", "feed", "rdf"):
        raise ValueError(f"not a feed (root element <{kind}>)")
    entry_tag = "entry" if kind == "feed" else "item"
    dates: list[datetime] = []
    for i, element in enumerate(root.iter()):
        if i > 200_000 or len(dates) >= MAX_ENTRIES:
            break
        if _local(element.tag) != entry_tag:
            continue
        found: dict[str, datetime] = {}
        for child in element:
            name = _local(child.tag)
            if name in DATE_TAGS and name not in found:
                parsed = _parse_date(child.text or "")
                if parsed is not None:
                    found[name] = parsed
        best = next((found[t] for t in DATE_TAGS if t in found), None)
        if best is not None:
            dates.append(best)
    dates.sort(reverse=True)
    return ("atom" if kind == "feed" else kind), [
        d.astimezone(UTC).isoformat(timespec="seconds") for d in dates]
