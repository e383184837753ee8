"""Which text of a page is its content (as opposed to navigation and boilerplate)."""

from __future__ import annotations

from spiders.items import PageItem, TextBlock

BOILERPLATE_REGIONS = frozenset({"nav", "header", "footer", "aside"})


def content_blocks(page: PageItem) -> list[TextBlock]:
    """Blocks outside navigation, header, footer and asides; all blocks if that leaves none
    (a page without semantic regions)."""
    blocks = [b for b in page.text_blocks if b.region not in BOILERPLATE_REGIONS]
    return blocks or list(page.text_blocks)
