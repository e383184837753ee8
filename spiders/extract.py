"""Pure functions: an HTML document (lxml tree) → the fields of a PageItem.

No Scrapy here, so the functions are tested on plain strings and reused by any
fetcher. One parse per page: everything is read from the same tree.

Visibility comes from ``spiders.visibility`` (the cascade of the page's inline
styles, ``<style>`` blocks and, when the crawler passes them, its linked
stylesheets): hidden text is kept as TextBlocks with ``hidden`` set (and counted
out of ``word_count``), hidden links get ``Link.hidden``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree, html

from spiders import conversion, structured
from spiders.css import absolute_css_url
from spiders.items import Heading, Image, Link, PageItem, TextBlock
from spiders.rendered import Mark, RenderedStyles
from spiders.urls import normalise
from spiders.visibility import Computed, PageStyles, document_base, stylesheets_to_fetch

__all__ = ["clean", "count_words", "fill_page", "js_redirect", "parse_html", "parse_refresh",
           "strip_fragment", "stylesheets_to_fetch", "text_blocks", "visible_words"]

# Elements whose content is never page text (not even hidden text).
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "math",
                        "iframe", "object", "canvas", "select", "datalist", "option", "textarea"})
# Elements that start a new block of text (a paragraph, a list item, a cell...).
_BLOCKS = frozenset({"p", "div", "section", "article", "main", "header", "footer", "nav", "aside",
                     "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
                     "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption",
                     "blockquote", "pre", "figure", "figcaption", "form", "fieldset", "legend",
                     "address", "details", "summary", "body", "br", "hr", "label", "button",
                     "center", "hgroup", "menu", "dialog"})
# Inline elements whose text is code, not prose (TextBlock.code).
_CODE = frozenset({"code", "kbd", "samp", "var", "tt"})
_REGIONS = {"nav": "nav", "header": "header", "footer": "footer", "aside": "aside", "main": "main"}
_ROLE_REGIONS = {"navigation": "nav", "banner": "header", "contentinfo": "footer",
                 "complementary": "aside", "main": "main"}
_SPACE = re.compile(r"\s+")
# content="0; url=/accueil.html", "5;URL='x'", "0, x", "3": delay, then the target.
_REFRESH = re.compile(r"^\s*(\d+(?:\.\d*)?)\s*(?:[;,]\s*(?:url\s*=\s*)?(.*))?$",
                      re.IGNORECASE | re.DOTALL)
# A script sending the visitor elsewhere: window.location = "x", location.href = 'x',
# document.location.href="x", top.location = "x", location.replace("x"), location.assign('x').
_JS_LOCATION = re.compile(
    r"""(?:\b(?:window|document|self|top)\s*\.\s*)?\blocation\s*"""
    r"""(?:\.\s*href\s*=(?!=)|=(?!=)|\.\s*(?:replace|assign)\s*\()\s*"""
    r"""(["'`])([^"'`\n]{1,2000})\1""")
# Signs that the assignment waits for something (a click, a condition, a timer, a function
# called later): not a redirect every visitor meets.
_JS_CONDITIONAL = re.compile(
    r"\b(?:function|if|else|switch|case|addEventListener|setTimeout|setInterval|onclick|"
    r"onload|confirm|catch|while|for|return)\b|=>|\?|&&|\|\|")
_JS_MAX = 600  # characters: longer inline scripts are applications, not a redirect
_WORD = re.compile(r"[^\W\d_]+(?:[’'\-][^\W\d_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)


def clean(text: str | None) -> str:
    """Collapse white space (including non-breaking spaces) to single spaces."""
    if not text:
        return ""
    return _SPACE.sub(" ", text.replace("\xa0", " ")).strip()


def count_words(text: str) -> int:
    """Words as a reader counts them: l’identité and c’est-à-dire are one word each."""
    return len(_WORD.findall(text))


def visible_words(blocks: Iterable[TextBlock]) -> Counter[str]:
    """The words a visitor reads (hidden blocks left out), lower-case, with their counts."""
    return Counter(m.group().lower() for b in blocks if not b.hidden
                   for m in _WORD.finditer(b.text))


def parse_refresh(content: str) -> tuple[float, str] | None:
    """A meta refresh's ``content`` (or a Refresh header): (delay, target as written), the
    target "" when the page only reloads itself; None when it is not a refresh."""
    m = _REFRESH.match(content or "")
    if m is None:
        return None
    target = (m.group(2) or "").strip()
    if len(target) >= 2 and target[0] == target[-1] and target[0] in "'\"":
        target = target[1:-1].strip()
    elif target[:1] in "'\"":  # an opening quote never closed: browsers drop it
        target = target[1:].strip()
    return float(m.group(1)), target


def js_redirect(script: str) -> str | None:
    """The target of an inline script that sends every visitor elsewhere at once
    (``window.location.href = "/fr/"``, ``location.replace('https://…')``) as written;
    None when the script does not, or does it only on a condition, a click or a timer.
    Only short scripts count: a long one is an application, whose navigation is not a
    redirect of the page."""
    text = (script or "").strip()
    if not text or len(text) > _JS_MAX or "location" not in text:
        return None
    m = _JS_LOCATION.search(text)
    if m is None:
        return None
    code = _JS_COMMENTS.sub("", text)
    if _JS_CONDITIONAL.search(_JS_STRINGS.sub('""', code)):
        return None
    rest = text[m.end():].lstrip()
    if rest[:1] not in ("", ";", ")", "<"):  # "'/x' + q": the target is computed
        return None
    target = m.group(2).strip()
    if target.startswith(("#", "javascript:")) or "+" in target or "${" in target:
        return None
    return target


_JS_COMMENTS = re.compile(r"/\*.*?\*/|(?<![:\"'])//[^\n]*", re.DOTALL)
_JS_STRINGS = re.compile(r"""(["'`])(?:\\.|(?!\1).)*\1""", re.DOTALL)


def strip_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


# huge_tree: libxml2 otherwise drops everything nested deeper than 256 levels, which
# browsers (and engines) still show. Size is bounded by the crawl's DOWNLOAD_MAXSIZE,
# and the walk over the tree is iterative.
#
# Every element is an HtmlElement, looked up in C: lxml.html's default lookup calls a
# Python function for each element proxy created (form, input, label... subclasses that
# nothing here uses), ~5 % of the extraction's time.
_LOOKUP = etree.ElementDefaultClassLookup(
    element=html.HtmlElement, comment=html.HtmlComment, pi=html.HtmlProcessingInstruction,
    entity=html.HtmlEntity)


def _parser(encoding: str | None = None) -> html.HTMLParser:
    parser = html.HTMLParser(encoding=encoding, remove_comments=True, huge_tree=True)
    parser.set_element_class_lookup(_LOOKUP)
    return parser


_STR_PARSER = _parser()


def parse_html(body: bytes | str, encoding: str | None = None) -> html.HtmlElement | None:
    """Parse a document leniently; None when there is nothing to parse."""
    if isinstance(body, bytes):
        if not body.strip():
            return None
        parser = _parser(encoding)
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
    if href.startswith("/") and not href.startswith("//"):
        base = _origin_of(base)  # only the origin matters: menus resolve once per site
    return _resolve(base, href)


@lru_cache(maxsize=4096)
def _origin_of(base: str) -> str:
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}/"


@lru_cache(maxsize=131_072)  # the same hrefs recur on every page of a site
def _resolve(base: str, href: str) -> str | None:
    try:
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
        # As the crawl fetches it (spiders.urls.normalise): `href="Zoom sur x"` and the
        # page fetched at /Zoom%20sur%20x are one URL for every rule.
        return normalise(url)
    except ValueError:
        return None


def fill_page(page: PageItem, root: html.HtmlElement, is_internal: Callable[[str], bool],
              stylesheets: Mapping[str, str] | None = None, rendered: bool = False,
              on_site: Callable[[str], str] | None = None) -> None:
    """Fill the HTML fields of ``page`` from a parsed document.

    ``stylesheets``: absolute URL → CSS text of the linked stylesheets the crawler
    fetched (see :func:`stylesheets_to_fetch`); inline ``<style>`` blocks and
    ``style=""`` attributes are always read. A linked sheet missing from the mapping
    is simply not applied.

    ``rendered``: ``root`` is a DOM serialized by Chromium after ``render_hidden.js``
    marked the hidden text (``spiders.render``): visibility is the browser's verdict
    (:class:`spiders.rendered.RenderedStyles`), not the static cascade.

    Links, the canonical and hreflang URLs are normalised (:func:`spiders.urls.normalise`)
    and then given to ``on_site`` (:class:`spiders.urls.OnOrigin`: the site's aliases
    moved onto the audited origin) before ``is_internal`` judges them.
    """
    base = document_base(root, page.url)
    site_url = on_site or _same
    styles: PageStyles | RenderedStyles = (
        RenderedStyles(root, base) if rendered else PageStyles(root, base, stylesheets))

    declared = root.get("lang")
    if declared is None:
        declared = root.get("{http://www.w3.org/XML/1998/namespace}lang", root.get("xml:lang"))
    page.html_lang = None if declared is None else clean(declared)
    page.lang = (page.html_lang or "").lower()

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
        elif name == "googlebot":  # Google obeys both, the stricter winning
            page.meta_googlebot = ", ".join(filter(None, [page.meta_googlebot,
                                                          content.lower()]))
        elif prop.startswith("og:"):
            page.open_graph.setdefault(prop, content)
        elif name.startswith("twitter:") or prop.startswith("twitter:"):
            page.twitter.setdefault(name or prop, content)
        elif name and name not in page.meta:
            page.meta[name] = content
        equiv = (m.get("http-equiv") or "").strip().lower()
        if equiv == "content-language" and not page.lang:
            page.lang = content.lower()
        elif equiv == "refresh" and page.refresh_delay is None and not _in_noscript(m):
            refresh = parse_refresh(m.get("content") or "")
            if refresh is not None:
                page.refresh_delay, target = refresh
                page.refresh_url = site_url(_absolute(base, target) or "") if target else ""
    page.meta_description_count = len(descriptions)
    page.meta_description = descriptions[0] if descriptions else None

    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = _absolute(base, link.get("href"))
        if not href:
            continue
        href = site_url(href)
        if "canonical" in rel:
            # All of them: several canonicals that disagree are ignored by Google.
            page.canonicals.append(href)
            page.canonical_hrefs.append((link.get("href") or "").strip()[:500])
            if not page.canonical:
                page.canonical = href
        elif "alternate" in rel and link.get("hreflang"):
            page.hreflang.append({"lang": link.get("hreflang", "").strip(), "href": href,
                                  "source": "link"})
    if not page.canonical:
        page.canonical = page.canonical_header  # a canonical sent as an HTTP Link: header
    page.stylesheets = list(styles.linked)
    _fill_resources(page, root, base, stylesheets)

    page.headings = [
        Heading(int(_tag(h)[1]), clean(h.text_content()))
        for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")
    ]

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
    page.inline_style_count = styles.inline_style_count

    for script in root.iter("script"):
        kind = (script.get("type") or "").strip().lower()
        if kind in ("", "text/javascript", "application/javascript", "module") \
                and not script.get("src") and not page.js_redirect:
            target = js_redirect(script.text or "")
            url = _absolute(base, target) if target else None
            if url and url != page.url:
                page.js_redirect = site_url(url)
    page.json_ld, page.json_ld_errors = structured.json_ld(root)
    page.microdata = structured.microdata(root, base)
    page.rdfa = structured.rdfa(root, base)

    page.tracking = conversion.tracking_tags(root)
    page.forms = conversion.forms(root, base)
    page.buttons = conversion.buttons(root)
    page.contacts = conversion.contacts(root)

    body = root.find("body")
    # The walk computes every element's style; the links below read it.
    page.text_blocks = list(text_blocks(body if body is not None else root, styles))
    page.word_count = sum(count_words(b.text) for b in page.text_blocks if not b.hidden)

    for a in root.iter("a", "area"):
        url = _absolute(base, a.get("href"))
        if not url:
            continue
        moved = site_url(url)
        if moved != url:
            page.alias_links.append(url)
            url = moved
        text = clean(a.text_content()) if _tag(a) == "a" else clean(a.get("alt"))
        if not text:  # an image link: its alt text is the anchor
            alts = [clean(img.get("alt")) for img in a.iter("img")]
            text = " ".join(t for t in alts if t) or clean(a.get("aria-label") or a.get("title"))
        page.links.append(Link(url=url, text=text, rel=(a.get("rel") or "").lower().strip(),
                               internal=is_internal(url), tag=_tag(a),
                               hidden=styles.link_hidden(a), region=_region(a)))


def _region(el: etree._Element) -> str:
    """The page region an element sits in, as text_blocks tags its text: the nearest
    nav/header/footer/aside/main ancestor (or ARIA landmark role)."""
    for parent in el.iterancestors():
        tag = parent.tag
        region = _REGIONS.get(tag.lower()) if type(tag) is str else None
        if region is None:
            role = parent.get("role")
            region = _ROLE_REGIONS.get(role.strip().lower()) if role else None
        if region:
            return region
    return ""


def _in_noscript(el: etree._Element) -> bool:
    """Inside <noscript>: met only by visitors without JavaScript (a fallback)."""
    return any(_tag(p) == "noscript" for p in el.iterancestors())


_LINK_VALUE = re.compile(r"<([^>]*)>([^<]*)")


def link_header_canonical(values: Iterable[str], base: str,
                          on_site: Callable[[str], str] | None = None) -> str:
    """The URL of the first ``rel="canonical"`` in HTTP ``Link:`` header values
    (``<https://x.fr/a>; rel="canonical"``, several links per value allowed), resolved
    against ``base`` and normalised like a tag's; "" when there is none."""
    for target, params in link_header(values):
        if "canonical" in params.get("rel", "").lower().split():
            url = _absolute(base, target)
            if url:
                return (on_site or _same)(url)
    return ""


def _same(url: str) -> str:
    return url


# Elements loading a sub-resource (besides <link rel=stylesheet>, read by the cascade).
_RESOURCE_TAGS = ("script", "iframe", "frame", "embed", "object", "audio", "video", "source",
                  "track", "link", "img", "form")
_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", re.IGNORECASE)


def _explicit_http(value: str | None) -> bool:
    return bool(value) and value.strip()[:5].lower() == "http:"  # type: ignore[union-attr]


def _fill_resources(page: PageItem, root: html.HtmlElement, base: str,
                    sheets: Mapping[str, str] | None) -> None:
    """``scripts``, ``iframes``, ``media`` and ``fonts``: what a browser fetches to show
    the page, besides images and stylesheets (read elsewhere); and ``http_resources``, the
    sub-resources (those, images, stylesheets, form targets) written ``http://``."""
    found: dict[str, dict[str, None]] = {"scripts": {}, "iframes": {}, "media": {},
                                         "fonts": {}, "http": {}}
    # Most pages have no <noscript> nor <template>: then no element's ancestors are walked.
    inert_possible = next(root.iter("noscript", "template"), None) is not None

    def add(key: str, value: str | None, el: html.HtmlElement) -> None:
        if not value:
            return
        url = _absolute(base, value)
        if url and not (inert_possible and _inert(el)):
            if key:
                found[key][url] = None
            if _explicit_http(value):
                found["http"][url] = None

    for el in root.iter(*_RESOURCE_TAGS):
        tag = _tag(el)
        if tag == "script":
            add("scripts", el.get("src"), el)
        elif tag in ("iframe", "frame", "embed"):
            add("iframes", el.get("src"), el)
        elif tag == "object":
            add("iframes", el.get("data"), el)
        elif tag == "img":  # the images field is filled below: only whether written http://
            add("", el.get("src") or el.get("data-src"), el)
        elif tag == "form":
            add("", el.get("action"), el)
        elif tag == "link":
            rel = (el.get("rel") or "").lower().split()
            if "preload" in rel and (el.get("as") or "").strip().lower() == "font":
                add("fonts", el.get("href"), el)
            elif "stylesheet" in rel:
                add("", el.get("href"), el)
        elif tag == "source":  # <picture>'s sources are images (srcset), not media
            parent = el.getparent()
            if parent is not None and _tag(parent) in ("audio", "video"):
                add("media", el.get("src"), el)
        else:  # audio, video, track
            if tag == "video" and el.get("poster"):
                add("media", el.get("poster"), el)
            add("media", el.get("src"), el)
    css = [(style.text, base) for style in root.iter("style")
           if style.text and "@font-face" in style.text.lower()
           and not (inert_possible and _inert(style))]
    if sheets:
        css += [(text, sheet) for sheet in page.stylesheets if (text := sheets.get(sheet))]
    for text, sheet_base in css:
        for url, explicit in _font_urls(text, sheet_base):
            found["fonts"][url] = None
            if explicit:
                found["http"][url] = None
    page.scripts = list(found["scripts"])
    page.iframes = list(found["iframes"])
    page.media = list(found["media"])
    page.fonts = list(found["fonts"])
    page.http_resources = list(found["http"])


def _inert(el: etree._Element) -> bool:
    """Inside <template> (never loaded) or <noscript> (not loaded when scripts run)."""
    return any(_tag(a) in ("noscript", "template") for a in el.iterancestors())


@lru_cache(maxsize=512)  # a site's few stylesheets, read for every page
def _font_urls(css_text: str, base: str) -> tuple[tuple[str, bool], ...]:
    """The fonts a stylesheet's @font-face rules load: (absolute URL, written http://)."""
    if "@font-face" not in css_text.lower():
        return ()
    out: dict[str, bool] = {}
    for face in _FONT_FACE.finditer(css_text):
        for m in _CSS_URL.finditer(face.group(1)):
            url = absolute_css_url(base, m.group(2))
            if url:
                out[url] = out.get(url, False) or _explicit_http(m.group(2))
    return tuple(out.items())


def _in_svg(el: etree._Element) -> bool:
    return any(_tag(p) == "svg" for p in el.iterancestors())

def text_blocks(root: etree._Element, styles: PageStyles | RenderedStyles | None = None
                ) -> Iterator[TextBlock]:
    """Text split at block elements, each block tagged with its page region; text a
    visitor cannot see comes in blocks of its own, with ``hidden`` (technique and rule)
    and ``hidden_context`` (the honest pattern, when recognised) set.

    ``styles``: the page's cascade (:class:`spiders.visibility.PageStyles`); by default
    the inline styles and ``<style>`` blocks of the document ``root`` belongs to.
    Iterative (lxml's iterwalk), so a hostile page nested 100,000 levels deep cannot
    exhaust Python's recursion limit.
    """
    if styles is None:
        styles = PageStyles(root.getroottree().getroot())
    parent = root.getparent()
    outer = styles.computed(parent) if parent is not None else styles.initial()
    parts: list[tuple[str, Computed | Mark]] = []
    # One entry per open block element: (tag, region).
    stack: list[tuple[str, str]] = [(_tag(root) or "body", "")]
    regions: list[str] = []  # region of every open element, to restore on "end"
    comps: list[Computed | Mark] = [outer]  # computed style of every open element

    label = styles.label
    # Code-like inline elements: how many are open, and the texts met inside them since
    # the last flush (one string per outermost element).
    code_depth = 0
    code_parts: list[list[str]] = []

    def take_code() -> list[str]:
        texts = [t for t in (clean("".join(p)) for p in code_parts) if t]
        code_parts.clear()
        if code_depth:  # a block boundary inside a code element: it goes on in the next
            code_parts.append([])
        return texts

    def flush() -> Iterator[TextBlock]:
        if not parts:
            return
        tag, region = stack[-1]
        code = take_code() if code_parts else []
        if tag == "pre":  # code as a whole (audit.text.content.prose): not kept twice
            code = []
        labels = [label(comp) for _text, comp in parts]
        if not any(labels):  # all visible: the common case
            text = clean("".join([t for t, _c in parts]))
            parts.clear()
            if text:
                yield TextBlock(tag=tag, text=text, region=region, code=code)
            return
        # Visible text in one block; hidden text in one block per reason, in order.
        groups: dict[tuple[str, str] | None, list[str]] = {}
        last: dict[tuple[str, str] | None, int] = {}
        for i, ((text, _comp), key) in enumerate(zip(parts, labels, strict=True)):
            texts = groups.get(key)
            if texts is None:
                groups[key] = texts = []
            elif last[key] != i - 1:
                texts.append(" ")  # two hidden spans apart are two words apart
            texts.append(text)
            last[key] = i
        parts.clear()
        for key, texts in groups.items():
            text = clean("".join(texts))
            if not text:
                continue
            if key is None:
                yield TextBlock(tag=tag, text=text, region=region, code=code)
            else:
                yield TextBlock(tag=tag, text=text, region=region, hidden=key[0],
                                hidden_context=key[1])

    walker = etree.iterwalk(root, events=("start", "end"))
    skipped: set[int] = set()
    enter = styles.enter
    # The hot loop of the crawl (every element of every page): lxml attributes read once,
    # flush() entered only when there is text to flush.
    for event, el in walker:
        tag = el.tag
        tag = tag.lower() if type(tag) is str else ""
        if event == "start":
            region = regions[-1] if regions else ""
            if not tag or tag in _INVISIBLE:
                walker.skip_subtree()
                skipped.add(id(el))
                regions.append(region)
                comps.append(comps[-1])
                continue
            own = el.text
            if own or len(el) or tag == "a" or tag == "area":
                comp = enter(el, comps[-1])
            else:  # no text of its own, no children (img, br, an icon): nothing to compute
                comp = comps[-1]
            comps.append(comp)
            role = el.get("role")
            region = _REGIONS.get(tag) or (role and _ROLE_REGIONS.get(role.lower())) or region
            regions.append(region)
            if tag in _BLOCKS:
                if parts:
                    yield from flush()
                stack.append((tag, region))
            elif tag in _CODE:
                if not code_depth:
                    code_parts.append([])
                code_depth += 1
            if own and tag != "img":
                parts.append((own, comp.loose))
                if code_depth:
                    code_parts[-1].append(own)
        else:
            regions.pop()
            comps.pop()
            if skipped and id(el) in skipped:
                skipped.discard(id(el))
            elif tag in _BLOCKS:
                if parts:
                    yield from flush()
                stack.pop()
            elif tag in _CODE:
                code_depth -= 1
            tail = el.tail
            if tail and el is not root:
                parts.append((tail, comps[-1].loose))
                if code_depth:
                    code_parts[-1].append(tail)
    yield from flush()


_LINK_PARAM = re.compile(r';\s*([\w*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;,\s]*)')


def link_header(values: Iterable[str]) -> list[tuple[str, dict[str, str]]]:
    """An HTTP ``Link:`` header (RFC 8288) → (target as written, {param: value}) per link:
    ``<https://ex.fr/en/>; rel="alternate"; hreflang="en"`` → ("https://ex.fr/en/",
    {"rel": "alternate", "hreflang": "en"}). Parameter names lower-case."""
    out = []
    for value in values:
        for target, rest in _LINK_VALUE.findall(value or ""):
            params = {k.lower(): v.strip('"') for k, v in _LINK_PARAM.findall(rest)}
            out.append((target.strip(), params))
    return out


def header_hreflang(values: Iterable[str], base: str,
                    on_site: Callable[[str], str] | None = None) -> list[dict[str, str]]:
    """The alternate language versions an HTTP ``Link:`` header declares (the way a PDF, or
    a page whose template cannot change, gives its hreflang): {"lang", "href", "source"}."""
    out = []
    for target, params in link_header(values):
        rels = params.get("rel", "").lower().split()
        lang = params.get("hreflang", "").strip()
        href = _absolute(base, target)
        if "alternate" in rels and lang and href:
            out.append({"lang": lang, "href": (on_site or _same)(href), "source": "header"})
    return out


def sitemap_alternates(body: bytes) -> dict[str, list[dict[str, str]]]:
    """``<loc>`` → its ``<xhtml:link rel="alternate" hreflang href>`` in a urlset sitemap
    (Scrapy's Sitemap keeps the hrefs but drops the languages). Entities and the network
    stay off, as in Scrapy's reader."""
    if b"hreflang" not in body:
        return {}
    out: dict[str, list[dict[str, str]]] = {}
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             remove_comments=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return {}
    if root is None:
        return {}
    for url in root:
        if not isinstance(url.tag, str) or etree.QName(url).localname != "url":
            continue
        loc, links = "", []
        for el in url:
            if not isinstance(el.tag, str):
                continue
            name = etree.QName(el).localname
            if name == "loc":
                loc = (el.text or "").strip()
            elif name == "link" and "alternate" in (el.get("rel") or "").lower().split():
                lang, href = (el.get("hreflang") or "").strip(), (el.get("href") or "").strip()
                if lang and href:
                    links.append({"lang": lang, "href": href})
        if loc and links:
            out[loc] = links
    return out
