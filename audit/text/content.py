"""Which text of a page is its content (as opposed to navigation and boilerplate)."""

from __future__ import annotations

import re

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


def code_spans(text: str, code: list[str]) -> list[tuple[int, int]]:
    """Where the code fragments stand in ``text``, in order, as whole tokens wherever they
    can be: the fragment « n » of « la variable n » is not the n of « fonction »."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for fragment in code:
        if not fragment:
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(fragment)}(?!\w)")
        # In order: a whole token after the previous fragment; the fragment glued to a word
        # in the page itself (« and<code>v-else</code> »: 3 characters or more, a shorter
        # one could be anybody's letters); a whole token anywhere.
        m = pattern.search(text, pos)
        at = m.start() if m else text.find(fragment, pos) if len(fragment) >= 3 else -1
        if at < 0:
            m = pattern.search(text)
            at = m.start() if m else -1
        if at < 0:  # cleaned apart from the block (white space): nothing to cut
            continue
        span = (at, at + len(fragment))
        spans.append(span)
        pos = max(pos, span[1])
    return spans


def prose(block: TextBlock) -> str:
    """The block's text without its code: "" for a ``<pre>`` listing, the inline code
    fragments (``TextBlock.code``: ``<code>``, ``<kbd>``...) cut out of the text, each
    leaving one space so that the words around it stay apart."""
    if block.tag in CODE_BLOCK_TAGS:
        return ""
    text = block.text
    code = block.code
    if not code:
        return text
    out: list[str] = []
    pos = 0
    for start, end in sorted(code_spans(text, code)):
        if start < pos:  # overlapping fragments: cut to the furthest end
            pos = max(pos, end)
            continue
        out += [text[pos:start], " "]
        pos = end
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
