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


# Blocks that are code as a whole: preformatted listings, sample output.
CODE_BLOCK_TAGS = frozenset({"pre"})


def prose(block: TextBlock) -> str:
    """The block's text without its code: "" for a ``<pre>`` listing, the inline code
    fragments (``TextBlock.code``: ``<code>``, ``<kbd>``...) cut out of the text, each
    leaving one space so that the words around it stay apart."""
    if block.tag in CODE_BLOCK_TAGS:
        return ""
    text = block.text
    code = getattr(block, "code", None)
    if not code:
        return text
    out: list[str] = []
    pos = 0
    for fragment in code:
        at = text.find(fragment, pos)
        if at < 0:  # cleaned apart from the block (white space): cut it wherever it is
            at = text.find(fragment)
            if at < 0:
                continue
        out.append(text[pos:at] if at >= pos else "")
        pos = max(pos, at + len(fragment))
        out.append(" ")
    out.append(text[pos:])
    return " ".join("".join(out).split())


def prose_blocks(page: PageItem) -> list[tuple[TextBlock, str]]:
    """The content blocks (:func:`content_blocks`) with their prose, those without any
    left out: what readability, keyword density, spelling and grammar should read."""
    out = []
    for b in content_blocks(page):
        text = prose(b)
        if text:
            out.append((b, text))
    return out
