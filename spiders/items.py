"""The one contract between the crawl (spiders/) and the checks (audit/).

Plain dataclasses, no Scrapy import: the audit side reads ``pages.jsonl`` back into
these types with :func:`page_from_dict`, and Scrapy's feed exporter writes them
through itemadapter. A field added here must get a default so that older run
directories still load.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

# 2: Link.region, refresh_delay/refresh_url, js_redirect, meta_googlebot, canonicals,
# canonical_hrefs, canonical_header; 3: html_lang, hreflang "source", json_ld_errors,
# microdata, rdfa (older pages: those fields empty, and html_lang unknown: rules read
# ``lang`` instead); 4: scripts, iframes, media, fonts, http_resources, alias_links.
PAGE_SCHEMA_VERSION = 4


@dataclass
class Link:
    url: str  # absolute, fragment removed
    text: str = ""  # anchor text, or the alt of an image inside the link
    rel: str = ""  # rel attribute, lower-case, as written
    internal: bool = False  # in the crawl scope (same allowed host)
    tag: str = "a"  # a | area
    hidden: str = ""  # why a visitor cannot see or click it ("" = visible)
    # Where on the page: nav | header | footer | aside | main | "" (as TextBlock.region):
    # menus and footers repeated on every page are not the page's own links.
    region: str = ""


@dataclass
class Image:
    src: str
    alt: str | None = None  # None: no alt attribute at all; "": decorative (alt="")
    role: str = ""  # role="presentation"/"none" marks decorative images too
    in_link: bool = False


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class TextBlock:
    """A run of visible text between two block boundaries (p, li, h2, td...)."""

    tag: str  # the block element that holds the text
    text: str
    region: str = ""  # nav | header | footer | aside | main | "" (where on the page)
    # Why the text is invisible to a visitor ("" = visible): the technique and the CSS
    # rule or attribute that causes it, e.g. "color = background (#fff on #fff): .kw".
    hidden: str = ""
    # The honest pattern the hidden text belongs to, when recognised: sr-only, menu, tab,
    # accordion, details, modal, cookie-banner, skip-link... ("" = none recognised).
    hidden_context: str = ""
    # The texts of the block's code-like inline elements (code, kbd, samp, var, tt), in
    # order: identifiers, file names and commands are not prose (spelling, grammar,
    # readability and keywords leave them out). A <pre> block is code as a whole (tag).
    code: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str  # absolute URL the form posts to
    method: str = "get"
    fields: list[str] = field(default_factory=list)  # input types: email, tel, text, textarea...
    submit: str = ""  # the submit button's label


@dataclass
class PageItem:
    """Everything the crawl learnt about one URL, HTML page or not."""

    url: str
    status: int | None = None  # None when no HTTP answer (DNS, timeout, robots.txt)
    error: str = ""  # fetch error, or "robots.txt" when disallowed
    content_type: str = ""
    size: int = 0  # bytes of body received
    # Seconds from the request sent to the response's headers received (Scrapy's
    # download_latency): the time to first byte as the crawler saw it, connection set-up
    # included when the connection was new, the body's download excluded.
    response_time: float | None = None
    retries: int = 0  # failed attempts before this answer (timeout, 5xx, dropped connection)
    depth: int = 0
    redirect_to: str = ""  # for 3xx: the absolute Location target
    found_on: str = ""  # the first page that linked here ("" for a start URL)
    fetched_at: str = ""  # ISO-8601 UTC
    is_html: bool = False
    # --- HTML only ---
    charset: str = ""  # the encoding the page was read in (spiders/encoding.py)
    charset_declared: str = ""  # as the Content-Type header or the page declares it
    charset_problem: str = ""  # "" | "contradicted" | "undeclared" (encoding.charset_problem)
    lang: str = ""  # <html lang>, else <meta http-equiv="content-language">, lower-case
    html_lang: str | None = None  # <html lang> (or xml:lang) as written; None: no attribute
    title: str | None = None  # None: no <title>; "": an empty one
    title_count: int = 0
    meta_description: str | None = None
    meta_description_count: int = 0
    meta_robots: str = ""  # every <meta name="robots">, lower case, joined with ", "
    meta_googlebot: str = ""  # every <meta name="googlebot">, likewise
    # Every X-Robots-Tag header of the answer, one per line (any status, HTML or not).
    x_robots_tag: str = ""
    # The first <link rel="canonical">, else the Link: header's; normalised, aliases moved
    # onto the audited origin (spiders.urls), like every URL of the crawl.
    canonical: str = ""
    # <meta http-equiv="refresh" content="0; url=…"> (or a Refresh header): the delay in
    # seconds (None: no refresh) and the absolute target ("" = the page reloads itself).
    refresh_delay: float | None = None
    refresh_url: str = ""
    # The target of an inline script that sends every visitor elsewhere at once
    # (``window.location = "…"``, ``location.replace("…")``), absolute; "" = none.
    js_redirect: str = ""
    canonicals: list[str] = field(default_factory=list)  # every canonical tag's URL, in order
    canonical_hrefs: list[str] = field(default_factory=list)  # the same, href as written
    canonical_header: str = ""  # rel="canonical" of the HTTP Link: header (normalised)
    # Alternate language versions: {"lang", "href", "source"}, source "link" (<link
    # rel="alternate" hreflang>) or "header" (HTTP Link:); the sitemap's are SitemapEntry's.
    hreflang: list[dict[str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # other <meta name=...> (viewport, keywords)
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    text_blocks: list[TextBlock] = field(default_factory=list)
    word_count: int = 0
    stylesheets: list[str] = field(default_factory=list)  # absolute hrefs of linked CSS
    # Sub-resources the page loads, absolute URLs as written (no alias moved), in document
    # order, once each; none inside <template> or <noscript> (not loaded by a browser that
    # runs scripts). Mixed content (the https rule) reads them with images and stylesheets.
    scripts: list[str] = field(default_factory=list)  # <script src>
    # Embedded documents and plugins: <iframe src>, <frame src>, <embed src>, <object data>.
    iframes: list[str] = field(default_factory=list)
    # <audio src>, <video src>, their <source src> and <track src>, the video's poster.
    media: list[str] = field(default_factory=list)
    # Fonts: <link rel=preload as=font>, and @font-face src in the page's <style> blocks and
    # its linked stylesheets (when the crawl fetched them).
    fonts: list[str] = field(default_factory=list)
    # The sub-resources above, images, stylesheets and form targets whose address is written
    # with an explicit http:// (not relative nor protocol-relative, which follow the page's
    # scheme): what stays http on the https twin of a copy audited over http.
    http_resources: list[str] = field(default_factory=list)
    # The links to one of site.aliases as written, before they were moved onto the audited
    # origin (https://www.client.fr/a, recorded in links as http://127.0.0.1:8000/a), in
    # order: their scheme tells whether the public site is on https (the https rule).
    alias_links: list[str] = field(default_factory=list)
    style_blocks: list[str] = field(default_factory=list)  # contents of <style> elements
    inline_style_count: int = 0  # elements carrying a style="" attribute
    open_graph: dict[str, str] = field(default_factory=dict)  # og:* properties
    twitter: dict[str, str] = field(default_factory=dict)  # twitter:* names
    json_ld: list[Any] = field(default_factory=list)  # parsed JSON-LD blocks (invalid: skipped)
    # The JSON-LD blocks that do not parse: {"block" (rank), "line" (in the HTML), "error",
    # "excerpt"} (spiders/structured.py).
    json_ld_errors: list[dict[str, Any]] = field(default_factory=list)
    # Microdata and schema.org RDFa items, in the JSON-LD shape ({"@type": "Product", ...}).
    microdata: list[Any] = field(default_factory=list)
    rdfa: list[Any] = field(default_factory=list)
    # Conversion signals (spiders/conversion.py): "kind:id" tags, forms, buttons, tel:/mailto:
    tracking: list[str] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    buttons: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    # site.render: the fields above come from the DOM Chromium built (scripts run) and
    # hidden text from its computed styles; render_error says why a page fell back to
    # the static reading of the HTML.
    rendered: bool = False
    render_error: str = ""
    # hidden_text.check_cloaking: the page fetched again as Googlebot, its visible words
    # compared with this view (spiders.site): {"status", "error", "title", "words",
    # "visitor_words", "only_bot", "only_visitor" (word → count, the most frequent),
    # "only_bot_total", "only_visitor_total"}. Empty: not checked.
    cloaking: dict[str, Any] = field(default_factory=dict)
    schema_version: int = PAGE_SCHEMA_VERSION

    @property
    def ok(self) -> bool:
        """An HTML page answered 2xx: the pages content rules apply to."""
        return self.is_html and self.status is not None and 200 <= self.status < 300

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.text_blocks)

    def h(self, level: int) -> list[str]:
        return [h.text for h in self.headings if h.level == level]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SitemapEntry:
    """A URL listed in one of the site's XML sitemaps (side data for orphan checks)."""

    url: str
    sitemap: str
    lastmod: str = ""
    # How the sitemap file was found: "robots.txt" (declared there, or listed by an index
    # declared there), "config" (site.sitemaps), "guessed" (/sitemap.xml; robots.txt names
    # none), "no-robots" (/sitemap.xml; no robots.txt answered 200); "" older runs.
    via: str = ""
    # The URL as listed, when it named an alias (site.aliases) and ``url`` is its path on
    # the audited origin; "" otherwise.
    listed: str = ""
    # <loc> was not an absolute URL (/page.html): the protocol requires one, engines skip it.
    relative: bool = False
    # <xhtml:link rel="alternate" hreflang="…" href="…"> of the entry: {"lang", "href"}
    alternates: list[dict[str, str]] = field(default_factory=list)


_NESTED = {"headings": Heading, "links": Link, "images": Image, "text_blocks": TextBlock,
           "forms": Form}
_PAGE_FIELDS = {f.name for f in fields(PageItem)}


# Each nested class's field names: a record carrying exactly these (what the crawler
# writes) becomes its object without the generated __init__ (hundreds per page).
_NESTED_FIELDS = {cls: frozenset(f.name for f in fields(cls)) for cls in _NESTED.values()}


def _nested(cls: type, v: Any) -> Any:
    if not isinstance(v, dict):
        return v
    if v.keys() == _NESTED_FIELDS[cls]:  # the same attributes __init__ would set
        obj = object.__new__(cls)
        obj.__dict__ = v
        return obj
    return cls(**v)  # older or newer record: defaults, or the TypeError of a bad line


def page_from_dict(data: dict[str, Any]) -> PageItem:
    """Rebuild a PageItem from its JSON form; unknown keys (newer crawler) are ignored."""
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _PAGE_FIELDS:
            continue
        nested = _NESTED.get(key)
        if nested is not None and isinstance(value, list):
            value = [_nested(nested, v) for v in value]
        kwargs[key] = value
    return PageItem(**kwargs)
