"""Pure functions: an HTML document (lxml tree) → the fields of a PageItem.

No Scrapy here, so the functions are tested on plain strings and reused by any
fetcher. One parse per page: everything is read from the same tree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree, html

from spiders.items import Heading, Image, Link, PageItem, TextBlock

# Elements whose content is never visible text.
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "math",
                        "iframe", "object", "canvas", "select", "datalist", "option", "textarea"})
# Elements that start a new block of text (a paragraph, a list item, a cell...).
_BLOCKS = frozenset({"p", "div", "section", "article", "main", "header", "footer", "nav", "aside",
                     "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
                     "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption",
                     "blockquote", "pre", "figure", "figcaption", "form", "fieldset", "legend",
                     "address", "details", "summary", "body", "br", "hr", "label", "button",
                     "center", "hgroup", "menu", "dialog"})
_REGIONS = {"nav": "nav", "header": "header", "footer": "footer", "aside": "aside", "main": "main"}
_ROLE_REGIONS = {"navigation": "nav", "banner": "header", "contentinfo": "footer",
                 "complementary": "aside", "main": "main"}
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]+(?:[’'\-][^\W\d_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)


def clean(text: str | None) -> str:
    """Collapse white space (including non-breaking spaces) to single spaces."""
    if not text:
        return ""
    return _SPACE.sub(" ", text.replace("\xa0", " ")).strip()


def count_words(text: str) -> int:
    """Words as a reader counts them: l’identité and c’est-à-dire are one word each."""
    return sum(1 for _ in _WORD.finditer(text))


def strip_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


# huge_tree: libxml2 otherwise drops everything nested deeper than 256 levels, which
# browsers (and engines) still show. Size is bounded by the crawl's DOWNLOAD_MAXSIZE,
# and the walk over the tree is iterative.
_STR_PARSER = html.HTMLParser(remove_comments=True, huge_tree=True)


def parse_html(body: bytes | str, encoding: str | None = None) -> html.HtmlElement | None:
    """Parse a document leniently; None when there is nothing to parse."""
    if isinstance(body, bytes):
        if not body.strip():
            return None
        parser = html.HTMLParser(encoding=encoding, remove_comments=True, huge_tree=True)
        try:
            root = html.document_fromstring(body, parser=parser)
        except (etree.ParserError, ValueError):
            return None
    else:
        if not body.strip():
            return None
        try:
            root = html.document_fromstring(body, parser=_STR_PARSER)
        except (etree.ParserError, ValueError):
            return None
    return root


def _tag(el: etree._Element) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def _absolute(base: str, href: str | None) -> str | None:
    """Resolve an href against the base; None for non-web schemes (mailto:, javascript:...)."""
    if href is None:
        return None
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    try:
        url = urljoin(base, href)
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return strip_fragment(url)


def fill_page(page: PageItem, root: html.HtmlElement, is_internal: Callable[[str], bool]) -> None:
    """Fill the HTML fields of ``page`` from a parsed document."""
    base = page.url
    for el in root.iter("base"):
        href = el.get("href")
        if href:
            base = urljoin(page.url, href.strip())
        break

    page.lang = clean(root.get("lang") or root.get("xml:lang") or "").lower()

    titles = [clean(t.text_content()) for t in root.iter("title") if not _in_svg(t)]
    page.title_count = len(titles)
    page.title = titles[0] if titles else None

    descriptions: list[str] = []
    for m in root.iter("meta"):
        name = (m.get("name") or "").strip().lower()
        prop = (m.get("property") or "").strip().lower()
        content = clean(m.get("content"))
        if name == "description":
            descriptions.append(content)
        elif name == "robots":
            page.meta_robots = ", ".join(filter(None, [page.meta_robots, content.lower()]))
        elif prop.startswith("og:"):
            page.open_graph.setdefault(prop, content)
        elif name.startswith("twitter:") or prop.startswith("twitter:"):
            page.twitter.setdefault(name or prop, content)
        elif name and name not in page.meta:
            page.meta[name] = content
        if (m.get("http-equiv") or "").lower() == "content-language" and not page.lang:
            page.lang = content.lower()
    page.meta_description_count = len(descriptions)
    page.meta_description = descriptions[0] if descriptions else None

    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = _absolute(base, link.get("href"))
        if not href:
            continue
        if "canonical" in rel and not page.canonical:
            page.canonical = href
        elif "alternate" in rel and link.get("hreflang"):
            page.hreflang.append({"lang": link.get("hreflang", "").strip(), "href": href})
        elif "stylesheet" in rel:
            page.stylesheets.append(href)

    page.headings = [
        Heading(int(_tag(h)[1]), clean(h.text_content()))
        for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")
    ]

    for a in root.iter("a", "area"):
        url = _absolute(base, a.get("href"))
        if not url:
            continue
        text = clean(a.text_content()) if _tag(a) == "a" else clean(a.get("alt"))
        if not text:  # an image link: its alt text is the anchor
            alts = [clean(img.get("alt")) for img in a.iter("img")]
            text = " ".join(t for t in alts if t) or clean(a.get("aria-label") or a.get("title"))
        page.links.append(Link(url=url, text=text, rel=(a.get("rel") or "").lower().strip(),
                               internal=is_internal(url), tag=_tag(a)))

    for img in root.iter("img"):
        src = img.get("src") or img.get("data-src") or ""
        page.images.append(Image(
            src=_absolute(base, src) or src.strip()[:500],
            alt=None if img.get("alt") is None else clean(img.get("alt")),
            role=(img.get("role") or "").strip().lower(),
            in_link=any(_tag(p) == "a" for p in img.iterancestors()),
        ))

    for style in root.iter("style"):
        if style.text and style.text.strip():
            page.style_blocks.append(style.text)
    page.inline_style_count = sum(1 for _ in root.iter() if isinstance(_.tag, str)
                                  and _.get("style"))

    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            page.json_ld.append(json.loads(script.text or ""))
        except ValueError:
            continue

    body = root.find("body")
    page.text_blocks = list(text_blocks(body if body is not None else root))
    page.word_count = sum(count_words(b.text) for b in page.text_blocks)


def _in_svg(el: etree._Element) -> bool:
    return any(_tag(p) == "svg" for p in el.iterancestors())


def text_blocks(root: etree._Element) -> Iterator[TextBlock]:
    """Visible text, split at block elements, each block tagged with its page region.

    Iterative (lxml's iterwalk), so a hostile page nested 100,000 levels deep cannot
    exhaust Python's recursion limit.
    """
    parts: list[str] = []
    # One entry per open block element: (tag, region).
    stack: list[tuple[str, str]] = [(_tag(root) or "body", "")]
    regions: list[str] = []  # region of every open element, to restore on "end"

    def flush() -> Iterator[TextBlock]:
        text = clean("".join(parts))
        parts.clear()
        if text:
            tag, region = stack[-1]
            yield TextBlock(tag=tag, text=text, region=region)

    walker = etree.iterwalk(root, events=("start", "end"))
    skipped: set[int] = set()
    for event, el in walker:
        tag = _tag(el)
        if event == "start":
            region = regions[-1] if regions else ""
            if not tag or tag in _INVISIBLE or el.get("hidden") is not None:
                walker.skip_subtree()
                skipped.add(id(el))
                regions.append(region)
                continue
            role = (el.get("role") or "").lower()
            region = _REGIONS.get(tag) or _ROLE_REGIONS.get(role) or region
            regions.append(region)
            if tag in _BLOCKS:
                yield from flush()
                stack.append((tag, region))
            if el.text and tag != "img":
                parts.append(el.text)
        else:
            regions.pop()
            if id(el) in skipped:
                skipped.discard(id(el))
            elif tag in _BLOCKS:
                yield from flush()
                stack.pop()
            if el.tail and el is not root:
                parts.append(el.tail)
    yield from flush()
