"""Which text of a page is its content (as opposed to navigation and boilerplate)."""

from __future__ import annotations

from spiders.items import PageItem, TextBlock

BOILERPLATE_REGIONS = frozenset({"nav", "header", "footer", "aside"})


def content_blocks(page: PageItem) -> list[TextBlock]:
    """Visible blocks outside navigation, header, footer and asides; all visible blocks if
    that leaves none (a page without semantic regions). Hidden text (``TextBlock.hidden``:
    display:none, white on white...) is never content, so keyword density and readability
    read what a visitor reads."""
    visible = [b for b in page.text_blocks if not b.hidden]
    blocks = [b for b in visible if b.region not in BOILERPLATE_REGIONS]
    return blocks or visible
