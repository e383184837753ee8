"""Which text of a page a visitor cannot see, why, and which honest pattern it belongs to.

Pure functions over one lxml tree and the texts of its stylesheets (no Scrapy, no
network). Three layers, kept apart so that a rendered engine (computed styles read from
a browser) can later feed the same judge:

1. **Cascade** (:class:`PageStyles`): the stylesheets that apply to the page (linked,
   ``<style>``, ``@import``, in document order, with their media), matched against the
   tree once per page (an index of classes, ids and tags; selectors of a sheet compiled
   once per distinct text), then per element the winning declaration of each property
   by ``!important``, origin (user agent < author < ``style=""``), specificity and
   source order, for each reference viewport of :data:`spiders.css.VIEWPORTS`.
2. **Visibility** (:class:`VState`, :func:`text_hidden`): the computed values that
   decide whether text shows — inherited (colour, visibility, font size, text-indent)
   or applying to a whole subtree (display:none, opacity, clipping, off-screen
   positioning) — and the *technique* that hides text, with the exact rule causing it.
   Text is hidden only when hidden at every screen width: responsive variants are not
   hidden text.
3. **Context** (:func:`recognise`): the honest pattern the hidden element belongs to
   (screen-reader text, skip link, menu, tab, accordion, modal, cookie banner,
   carousel...), from its structure, roles, ARIA and common class names.

Judging intent (is it spam?) is not done here: ``audit/rules/hidden_text.py`` does it
from what this module writes into ``TextBlock.hidden`` / ``hidden_context`` and
``Link.hidden``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from spiders import css
from spiders.css import (
    FONT_KEYWORDS,
    N_VIEWPORTS,
    PRINT_INDEX,
    SCREEN_INDEXES,
    VIEWPORTS,
    Declaration,
    LengthContext,
)

# --- Techniques: the first words of TextBlock.hidden and Link.hidden ---------------------
DISPLAY_NONE = "display:none"
VISIBILITY_HIDDEN = "visibility:hidden"
CONTENT_VISIBILITY = "content-visibility:hidden"
HIDDEN_ATTRIBUTE = "hidden attribute"
CLOSED_DETAILS = "closed <details>"
CLOSED_DIALOG = "closed <dialog>"
POPOVER = "popover"
OPACITY_ZERO = "opacity:0"
FONT_ZERO = "font-size:0"
FONT_TINY = "tiny font"
OFF_SCREEN = "off-screen"
CLIPPED = "clipped"
ZERO_SIZE = "zero-size box"
SAME_COLOUR = "colour = background"
TRANSPARENT_TEXT = "transparent text"
ONE_PIXEL_IMAGE = "1px image"

# What an interface does to show content on demand (a menu opens, a tab is chosen).
UI_TECHNIQUES = frozenset({DISPLAY_NONE, VISIBILITY_HIDDEN, CONTENT_VISIBILITY, HIDDEN_ATTRIBUTE,
                           CLOSED_DETAILS, CLOSED_DIALOG, POPOVER})
# What keeps text in the page while no eye can read it (honest only as screen-reader
# text or image replacement).
DECEPTIVE_TECHNIQUES = frozenset({OPACITY_ZERO, FONT_ZERO, FONT_TINY, OFF_SCREEN, CLIPPED,
                                  ZERO_SIZE, SAME_COLOUR, TRANSPARENT_TEXT, ONE_PIXEL_IMAGE})

# --- Contexts: TextBlock.hidden_context, and the [context] suffix of Link.hidden ---------
SR_ONLY = "sr-only"
SKIP_LINK = "skip-link"
MENU = "menu"
TAB = "tab"
ACCORDION = "accordion"
DETAILS = "details"
MODAL = "modal"
COOKIE_BANNER = "cookie-banner"
CAROUSEL = "carousel"
TOOLTIP = "tooltip"
STATUS_MESSAGE = "status-message"
ANIMATION = "animation"
IMAGE_REPLACEMENT = "image-replacement"
DECORATIVE = "decorative"
PRINT_ONLY = "print"
# The theme's own furniture — footer, sidebar, table of contents, breadcrumb — that a
# layout hides on some pages or screens (`.no-sidebar .sidebar-links { display: none }`).
CHROME = "theme-chrome"
CONTEXTS = frozenset({SR_ONLY, SKIP_LINK, MENU, TAB, ACCORDION, DETAILS, MODAL, COOKIE_BANNER,
                      CAROUSEL, TOOLTIP, STATUS_MESSAGE, ANIMATION, IMAGE_REPLACEMENT, DECORATIVE,
                      PRINT_ONLY, POPOVER, CHROME})

MIN_CONTRAST = 1.5  # WCAG ratio below which text cannot be told from its background
MIN_FONT_PX = 2.0
OFF_SCREEN_PX = -999.0
MIN_OPACITY = 0.05


def technique_of(hidden: str) -> str:
    """The technique named at the start of a TextBlock.hidden / Link.hidden string."""
    return hidden.split(" — ", 1)[0].split(" (", 1)[0].split(" [", 1)[0].strip()


def split_link_hidden(hidden: str) -> tuple[str, str]:
    """Link.hidden is "<reason>" or "<reason> [<context>]": (reason, context)."""
    if hidden.endswith("]") and " [" in hidden:
        reason, _, context = hidden[:-1].rpartition(" [")
        if context in CONTEXTS:
            return reason, context
    return hidden, ""


# ---------------------------------------------------------------------------
# Sources, causes, states
# ---------------------------------------------------------------------------

def describe_element(el: Any) -> str:
    """<div#id.class1.class2>, short, for evidence."""
    tag = el.tag if isinstance(el.tag, str) else "?"
    out = tag
    ident = (el.get("id") or "").strip()
    if ident:
        out += "#" + ident[:40]
    classes = (el.get("class") or "").split()
    if classes:
        out += "." + ".".join(c[:40] for c in classes[:3])
    return f"<{out}>"


class Source:
    """Where a declaration comes from: a rule of a sheet (one Source for every element the
    rule matches), a style attribute or the browser's own sheet (``el`` then set)."""

    __slots__ = ("decl", "el", "label", "line", "origin", "selector")

    def __init__(self, decl: Declaration, origin: str, selector: str = "", label: str = "",
                 line: int = 0, el: Any = None):
        self.decl = decl
        self.origin = origin  # "author" | "inline" | "ua"
        self.selector = selector
        self.label = label
        self.line = line
        self.el = el

    def describe(self) -> str:
        if self.origin == "inline":
            return f'style="{self.decl.text}" on {describe_element(self.el)}'
        if self.origin == "ua":
            return describe_element(self.el)
        where = f"{self.label}:{self.line}" if self.line else self.label
        return f"{self.selector} {{ {self.decl.text} }} ({where})"


class Cause:
    """Why text is hidden: a technique, the rule that causes it, the element it is set on
    (None for what text inherits: colour, font size), and a context already known."""

    __slots__ = ("detail", "el", "extra", "hint", "source", "technique")

    def __init__(self, technique: str, source: Source | None, el: Any, detail: str = "",
                 extra: str = "", hint: str = ""):
        self.technique = technique
        self.source = source
        self.el = el
        self.detail = detail
        self.extra = extra
        self.hint = hint

    def describe(self) -> str:
        head = self.technique + (f" ({self.detail})" if self.detail else "")
        parts = [head]
        if self.source is not None:
            parts.append(self.source.describe())
        elif self.el is not None:
            described = describe_element(self.el)
            if self.technique == HIDDEN_ATTRIBUTE:
                described = described[:-1] + " hidden>"
            parts.append(described)
        if self.extra:
            parts.append(self.extra)
        return " — ".join(parts)


class VState:
    """The computed values that decide visibility, for one element and one viewport."""

    __slots__ = ("_text", "bg", "bg_image", "bg_src", "color", "color_src", "conceal", "custom",
                 "font", "font_src", "indent", "ir", "opacity", "root_font", "shadow", "vis")

    def __init__(self) -> None:
        self.conceal: Cause | None = None  # the whole subtree is hidden
        self.vis: Cause | None = None  # visibility:hidden (inherited, can be undone)
        self.color: css.RGBA | None = (0.0, 0.0, 0.0, 1.0)  # None: unknown
        self.color_src: Source | None = None
        self.bg: tuple[float, float, float] | None = (1.0, 1.0, 1.0)  # None: unknown
        self.bg_src: Source | None = None  # None with a known bg: the default white
        self.bg_image = False  # this element paints a background image
        self.font: float | None = 16.0  # px; None: unknown
        self.font_src: Source | None = None
        self.root_font = 16.0
        self.indent: Cause | None = None  # text-indent pushing text off-screen (inherited)
        self.shadow = False  # text-shadow draws the text even in the background colour
        self.opacity = 1.0
        self.custom: dict[str, Declaration] = {}
        # The element that set the text's colour or font size paints a background image:
        # hidden text there is image replacement (a logo drawn by CSS).
        self.ir = False
        self._text: Any = _UNSET

    def copy(self) -> VState:
        s = VState.__new__(VState)
        s.conceal = self.conceal
        s.vis = self.vis
        s.color = self.color
        s.color_src = self.color_src
        s.bg = self.bg
        s.bg_src = self.bg_src
        s.bg_image = self.bg_image
        s.font = self.font
        s.font_src = self.font_src
        s.root_font = self.root_font
        s.indent = self.indent
        s.shadow = self.shadow
        s.opacity = self.opacity
        s.custom = self.custom
        s.ir = self.ir
        s._text = _UNSET
        return s


_UNSET: Any = object()


def text_hidden(s: VState) -> Cause | None:
    """Why text with these computed values cannot be seen, or None."""
    if s._text is not _UNSET:
        return s._text
    s._text = _text_hidden(s)
    return s._text


def _text_hidden(s: VState) -> Cause | None:
    if s.conceal is not None:
        return s.conceal
    if s.vis is not None:
        return s.vis
    hint = IMAGE_REPLACEMENT if s.ir else ""
    if s.font is not None and s.font < MIN_FONT_PX:
        return Cause(FONT_ZERO if s.font == 0 else FONT_TINY, s.font_src, None,
                     "" if s.font == 0 else f"{s.font:.2g}px", hint=hint)
    if s.indent is not None:
        return s.indent
    c = s.color
    if c is None or s.shadow:
        return None
    if c[3] <= MIN_OPACITY:
        return Cause(TRANSPARENT_TEXT, s.color_src, None, hint=hint)
    if s.bg is None:
        return None
    fg = css.over(c, s.bg) if c[3] < 1 else c[:3]
    ratio = css.contrast(fg, s.bg)
    if ratio >= MIN_CONTRAST:
        return None
    bg = ("background: " + s.bg_src.describe()) if s.bg_src is not None else \
        "background: default white"
    return Cause(SAME_COLOUR, s.color_src, None,
                 f"{css.hex_color(fg)} on {css.hex_color(s.bg)}, contrast {ratio:.2f}:1", bg,
                 hint=hint)


class Hidden:
    """The verdict on text of one element: hidden at every screen width (cause taken at
    the phone width, as mobile-first indexing reads the page), maybe shown in print."""

    __slots__ = ("cause", "print_only")

    def __init__(self, cause: Cause, print_only: bool):
        self.cause = cause
        self.print_only = print_only


class Computed:
    """One element's states, one per viewport (shared by elements that declare nothing)."""

    __slots__ = ("_verdict", "label", "loose", "uniform", "vs")

    def __init__(self, vs: tuple[VState, ...]):
        self.vs = vs
        self.loose: Computed = self  # state of the element's own loose text nodes
        self.uniform = all(v is vs[0] for v in vs)  # the same state at every width
        self._verdict: Any = _UNSET
        self.label: Any = _UNSET  # (hidden, context) or None, once PageStyles.label ran

    def verdict(self) -> Hidden | None:
        if self._verdict is _UNSET:
            if self.uniform:
                cause = text_hidden(self.vs[0])
                self._verdict = None if cause is None else Hidden(cause, False)
            else:
                self._verdict = _verdict(self.vs)
        return self._verdict


def _verdict(vs: tuple[VState, ...]) -> Hidden | None:
    first: Cause | None = None
    for i in SCREEN_INDEXES:
        cause = text_hidden(vs[i])
        if cause is None:
            return None
        if first is None:
            first = cause
    assert first is not None
    return Hidden(first, text_hidden(vs[PRINT_INDEX]) is None)


# ---------------------------------------------------------------------------
# Stylesheets of a page
# ---------------------------------------------------------------------------

def document_base(root: Any, page_url: str) -> str:
    for el in root.iter("base"):
        href = el.get("href")
        if href:
            try:
                return urljoin(page_url, href.strip())
            except ValueError:
                return page_url
        break
    return page_url


def _is_stylesheet_link(el: Any) -> bool:
    rel = (el.get("rel") or "").lower().split()
    if el.get("disabled") is not None:
        return False
    if "stylesheet" in rel:
        return "alternate" not in rel
    # <link rel="preload" as="style" onload="this.rel='stylesheet'">: the loadCSS pattern.
    return "preload" in rel and (el.get("as") or "").lower() == "style" and \
        "stylesheet" in (el.get("onload") or "")


def _inert(el: Any) -> bool:
    """Inside <noscript> (not applied when scripts run, as in the browsers and search
    engines that render pages) or <template> (inert content)."""
    return any(a.tag in ("noscript", "template") for a in el.iterancestors())


def _link_media(el: Any) -> int:
    # media="print" onload="this.media='all'": the async-CSS pattern, a screen sheet.
    if "media" in (el.get("onload") or "") and (el.get("media") or "").strip() == "print":
        return css.ALL
    return css.media_attribute(el.get("media"))


def linked_stylesheets(root: Any, base: str) -> list[str]:
    """Absolute URLs of the stylesheets a page links to, in document order."""
    out: list[str] = []
    for el in root.iter("link"):
        if _is_stylesheet_link(el) and not _inert(el):
            url = css.absolute_css_url(base, el.get("href") or "")
            if url and url not in out:
                out.append(url)
    return out


def stylesheets_to_fetch(root: Any, page_url: str, fetched: Mapping[str, str]) -> list[str]:
    """The stylesheet URLs the page needs and ``fetched`` lacks: linked sheets, and the
    @import targets of the fetched ones (call again after fetching: imports nest)."""
    base = document_base(root, page_url)
    want: list[str] = []
    queue = linked_stylesheets(root, base)
    for el in root.iter("style"):
        if not _inert(el):
            queue += css.import_urls(el.text or "", base)
    seen: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        text = fetched.get(url)
        if text is None:
            want.append(url)
        else:
            queue += css.import_urls(text, url)
    return want


class _SheetUse:
    __slots__ = ("label", "mask", "sheet")

    def __init__(self, sheet: css.Sheet, label: str, mask: int):
        self.sheet = sheet
        self.label = label
        self.mask = mask


def _collect_sheets(root: Any, base: str, stylesheets: Mapping[str, str] | None
                    ) -> tuple[list[_SheetUse], list[str]]:
    uses: list[_SheetUse] = []
    missing: list[str] = []
    n_style = 0
    fetched = stylesheets or {}

    def add(text: str, label: str, url: str, mask: int, depth: int) -> None:
        if not mask:
            return
        sheet = css.compile_sheet(text)
        if depth < 5:
            for href, imask in sheet.imports:
                target = css.absolute_css_url(url, href)
                if target is None:
                    continue
                if target in fetched:
                    add(fetched[target], css.sheet_label(target), target, mask & imask, depth + 1)
                else:
                    missing.append(target)
        uses.append(_SheetUse(sheet, label, mask))

    for el in root.iter("link", "style"):
        if _inert(el):
            continue
        if el.tag == "style":
            n_style += 1
            kind = (el.get("type") or "text/css").strip().lower()
            if kind not in ("text/css", "") or el.get("disabled") is not None:
                continue
            if el.text and el.text.strip():
                add(el.text, f"<style #{n_style}>", base, css.media_attribute(el.get("media")), 0)
        elif _is_stylesheet_link(el):
            url = css.absolute_css_url(base, el.get("href") or "")
            if url is None:
                continue
            if url in fetched:
                add(fetched[url], css.sheet_label(url), url, _link_media(el), 0)
            else:
                missing.append(url)
    return uses, missing


# ---------------------------------------------------------------------------
# The cascade of a page
# ---------------------------------------------------------------------------

def _ua(css_text: str) -> Declaration:
    return css.inline_declarations(css_text)[0]


_UA_DISPLAY_NONE = _ua("display: none")
_UA_KEY = (0, 0, 0, (0, 0, 0), 0)
_INLINE_ORDER = 1 << 40

Entry = tuple[tuple[Any, ...], int, Declaration, Source]  # (priority, mask, decl, source)


class PageStyles:
    """The cascade of one page: built once, then queried element by element in
    document order (:meth:`enter`), as the text walk in ``spiders.extract`` does."""

    def __init__(self, root: Any, base: str = "", stylesheets: Mapping[str, str] | None = None):
        self.root = root
        self.base = base
        self.sheets, self.missing = _collect_sheets(root, base, stylesheets)
        self.linked = linked_stylesheets(root, base)
        self.memo: dict[Any, Computed] = {}
        self.matched: dict[Any, list[Entry]] = {}
        self._labels: dict[tuple[int, bool], tuple[str, str]] = {}
        self._contexts: dict[tuple[int, str], str] = {}
        self._toggles: dict[str, str] | None = None
        self.backdrops: set[Any] = set()
        self._shared: dict[tuple[Any, ...], tuple[Computed, bool]] = {}
        self._sorted: set[int] = set()
        self._match()

    # -- matching --------------------------------------------------------------------------

    def _match(self) -> None:
        by_class: dict[str, list[Any]] = {}
        by_id: dict[str, list[Any]] = {}
        by_tag: dict[str, list[Any]] = {}
        inline: list[tuple[Any, tuple[Declaration, ...]]] = []
        needed: set[str] = set()
        styled = 0
        if any(use.sheet.rules for use in self.sheets):
            elements: Any = self.root.iter()
        else:  # no stylesheet: only style="" attributes to read, no index to build
            elements = self.root.xpath("//*[@style]")
        for el in elements:
            tag = el.tag
            if type(tag) is not str:
                continue
            lst = by_tag.get(tag)
            if lst is None:
                by_tag[tag] = [el]
            else:
                lst.append(el)
            attrib = el.attrib
            if attrib:
                cls = attrib.get("class")
                if cls:
                    for c in cls.split():
                        lst = by_class.get(c)
                        if lst is None:
                            by_class[c] = [el]
                        else:
                            lst.append(el)
                ident = attrib.get("id")
                if ident:
                    lst = by_id.get(ident)
                    if lst is None:
                        by_id[ident] = [el]
                    else:
                        lst.append(el)
                style = attrib.get("style")
                if style:
                    styled += 1
                    decls = css.inline_declarations(style)
                    if decls:
                        inline.append((el, decls))
                        for d in decls:
                            needed |= d.refs
        self.inline_style_count = styled  # elements with a style="" attribute
        index = {"c": by_class, "i": by_id, "t": by_tag}
        for use in self.sheets:
            needed |= use.sheet.var_refs
        if needed:  # custom properties read through other custom properties
            refs: dict[str, set[str]] = {}
            for use in self.sheets:
                for name, r in use.sheet.custom_refs.items():
                    refs.setdefault(name, set()).update(r)
            todo = list(needed)
            while todo:
                for r in refs.get(todo.pop(), ()):
                    if r not in needed:
                        needed.add(r)
                        todo.append(r)
        matched = self.matched
        root = self.root
        index["root"] = {"": [root]}
        page_keys = [(kind, name) for kind in ("i", "c", "t", "root") for name in index[kind]]
        for si, use in enumerate(self.sheets):
            base_order = si << 24
            by_key = use.sheet.by_key
            if len(by_key) < len(page_keys):
                candidates = [item for k, items in by_key.items()
                              if k is None or k[1] in index[k[0]] for item in items]
            else:
                candidates = [item for k in (*page_keys, None) for item in by_key.get(k, ())]
            for rule, sel in candidates:
                mask = rule.mask & use.mask
                if not mask:
                    continue
                decls = rule.decls
                if rule.customs and needed:
                    customs = [d for d in rule.customs if d.prop in needed]
                    if customs:
                        decls = decls + customs
                if not decls:
                    continue
                if not all(name in index[kind] for kind, name in sel.required):
                    continue
                els = _select(sel, index, root)
                if not els:
                    continue
                # One Source per declaration and selector, shared by every element.
                order = base_order + rule.order
                for d in decls:
                    entry = ((int(d.important), 1, 0, sel.specificity, order), mask, d,
                             Source(d, "author", sel.text, use.label, rule.line))
                    for e in els:
                        lst = matched.get(e)
                        if lst is None:
                            matched[e] = [entry]
                        else:
                            lst.append(entry)
        # Elements matched by the same rules share one entry list, sorted once: the cascade
        # then recognises them by the list's identity.
        canon: dict[tuple[int, ...], list[Entry]] = {}
        for el, lst in matched.items():
            k = tuple(map(id, lst))
            shared = canon.get(k)
            if shared is None:
                canon[k] = lst
            else:
                matched[el] = shared
        for el, decls in inline:
            matched[el] = list(matched.get(el, ()))  # its own list: not shared
            for d in decls:
                key = (int(d.important), 1, 1, (0, 0, 0), _INLINE_ORDER)
                entry = (key, css.ALL, d, Source(d, "inline", el=el))
                lst = matched.get(el)
                if lst is None:
                    matched[el] = [entry]
                else:
                    lst.append(entry)
        self._find_backdrops(by_tag)
        # Where the browser's own stylesheet hides things (see _ua_entries).
        self.ua = set(root.xpath("//*[@hidden or @popover] | //dialog[not(@open)] | "
                                 "//details[not(@open)]/*[not(self::summary)]"))

    def _find_backdrops(self, by_tag: dict[str, list[Any]]) -> None:
        """Elements whose box holds an image or video laid out behind their text (a hero
        banner): the colour of their text cannot be judged against a background colour."""
        if not self.matched:
            return
        for tag in ("img", "picture", "video", "canvas", "iframe"):
            for media in self.root.iter(tag):
                el = media
                for _ in range(4):
                    if el is None:
                        break
                    if self._positioned(el):
                        parent = el.getparent()
                        if parent is not None:
                            self.backdrops.add(parent)
                        break
                    el = el.getparent()

    def _positioned(self, el: Any) -> bool:
        for _key, _mask, d, _src in self.matched.get(el, ()):
            if d.prop == "position" and css.keyword(d.value) in ("absolute", "fixed"):
                return True
        return False

    # -- computing -------------------------------------------------------------------------

    def initial(self) -> Computed:
        s = VState()
        return Computed(tuple(s for _ in range(N_VIEWPORTS)))

    def computed(self, el: Any) -> Computed:
        """The state of any element, computing its ancestors first when needed."""
        got = self.memo.get(el)
        if got is not None:
            return got
        chain = [el]
        for anc in el.iterancestors():
            if anc in self.memo:
                break
            chain.append(anc)
        parent_el = chain[-1].getparent()
        state = self.memo[parent_el] if parent_el is not None else self.initial()
        for e in reversed(chain):
            state = self.enter(e, state)
        return state

    def enter(self, el: Any, parent: Computed) -> Computed:
        """The state of ``el`` given its parent's (elements are entered top-down)."""
        entries = self.matched.get(el)
        shareable = True
        if el in self.ua:
            entries = _ua_entries(el) + (entries or [])
            shareable = False  # a list of its own: never a cache key
        if not entries and el not in self.backdrops:
            # A child of a closed <details> gets its own state: its text is not loose text.
            comp = Computed(parent.vs) if parent.loose is not parent else parent
        else:
            comp = self._compute(el, parent, entries or [], shareable)
        if el.tag == "details" and el.get("open") is None:
            # Text nodes directly inside a closed <details> (not in its <summary>) are hidden.
            loose = Computed(tuple(_conceal(s, Cause(CLOSED_DETAILS, None, el)) for s in comp.vs))
            comp = Computed(comp.vs)
            comp.loose = loose
        self.memo[el] = comp
        return comp

    def _compute(self, el: Any, parent: Computed, entries: list[Entry], shareable: bool
                 ) -> Computed:
        if not shareable:
            entries.sort(key=_priority, reverse=True)
        elif len(entries) > 1 and id(entries) not in self._sorted:
            entries.sort(key=_priority, reverse=True)  # lists shared by elements: sorted once
            self._sorted.add(id(entries))
        is_root = el is self.root
        backdrop = el in self.backdrops
        if not shareable:
            return self._compute_new(el, parent, entries, is_root, backdrop)
        # Siblings matched by the same rules under the same parent state get the same
        # state (40 cards, 40 card bodies...): computed once. When the element hides its
        # subtree itself, the causes name it: the others get a copy naming them.
        key = (id(parent), id(entries), is_root, backdrop)
        got = self._shared.get(key)
        if got is not None:
            if got[1]:
                return _rebind(got[0], parent, el)
            return got[0]
        comp = self._compute_new(el, parent, entries, is_root, backdrop)
        local = not all(_inherits_causes(st, parent.vs[i]) for i, st in enumerate(comp.vs))
        self._shared[key] = (comp, local)
        return comp

    def _compute_new(self, el: Any, parent: Computed, entries: list[Entry], is_root: bool,
                     backdrop: bool) -> Computed:
        uniform = all(e[1] == css.ALL for e in entries)
        if uniform and parent.uniform:  # the common case: one computation for all widths
            winners = _winners(entries, None)
            if _viewport_free(winners):
                pstate = parent.vs[0]
                st = _state(el, pstate, winners, VIEWPORTS[0], is_root, backdrop)
                if _same(st, pstate):
                    return parent if parent.loose is parent else Computed(parent.vs)
                return Computed((st,) * N_VIEWPORTS)
        done: dict[tuple[int, tuple[int, ...]], VState] = {}
        distinct: list[VState] = []
        states: list[VState] = []
        winners = _winners(entries, None) if uniform else {}
        wkey = tuple(id(w[0]) for w in winners.values())
        free = _viewport_free(winners)
        for i in range(N_VIEWPORTS):
            if not uniform:
                winners = _winners(entries, 1 << i)
                wkey = tuple(id(w[0]) for w in winners.values())
                free = _viewport_free(winners)
            pstate = parent.vs[i]
            key = (id(pstate), wkey)
            st = done.get(key) if free else None
            if st is None:
                st = _state(el, pstate, winners, VIEWPORTS[i], is_root, backdrop)
                # Same values, same object: descendants then share their states too.
                if _same(st, pstate):
                    st = pstate
                else:
                    for other in distinct:
                        if _same(st, other):
                            st = other
                            break
                    else:
                        distinct.append(st)
                done[key] = st
            states.append(st)
        if all(a is b for a, b in zip(states, parent.vs, strict=True)) and parent.loose is parent:
            return parent
        return Computed(tuple(states))

    # -- verdicts --------------------------------------------------------------------------

    def label(self, comp: Computed) -> tuple[str, str] | None:
        """(TextBlock.hidden, TextBlock.hidden_context) for text in ``comp``, or None."""
        if comp.label is not _UNSET:
            return comp.label  # type: ignore[no-any-return]
        comp.label = got = self._label(comp)
        return got

    def _label(self, comp: Computed) -> tuple[str, str] | None:
        verdict = comp.verdict()
        if verdict is None:
            return None
        key = (id(verdict.cause), verdict.print_only)
        got = self._labels.get(key)
        if got is None:
            cause = verdict.cause
            # Shown in print: print-only text, when hidden the way interfaces hide things
            # (white on white stays deceptive whatever the printer shows).
            print_only = verdict.print_only and cause.technique in UI_TECHNIQUES
            context = PRINT_ONLY if print_only else self.context(cause)
            got = (cause.describe(), context)
            self._labels[key] = got
        return got

    def context(self, cause: Cause) -> str:
        if cause.hint:
            return cause.hint
        el = cause.el
        if el is None:
            return ""
        key = (id(el), cause.technique)
        got = self._contexts.get(key)
        if got is None:
            got = recognise(el, cause.technique, self)
            self._contexts[key] = got
        return got

    def link_hidden(self, a: Any) -> str:
        """Link.hidden for an <a>/<area>: "" when a visitor can see and click it."""
        comp = self.memo.get(a)
        if comp is None:  # not walked: inside <noscript>, <template>, <svg>...
            return ""
        got = self.label(comp)
        if got is None:
            if a.tag == "a" and not (a.text_content() or "").strip():
                images = list(a.iter("img"))
                if images and all(_tiny_image(img) for img in images):
                    return f"{ONE_PIXEL_IMAGE} — {describe_element(images[0])}"
            return ""
        reason, context = got
        return f"{reason} [{context}]" if context else reason

    def toggles(self) -> dict[str, str]:
        """id → kind of control that shows it (tab, accordion, modal, menu, disclosure)."""
        if self._toggles is None:
            self._toggles = find_toggles(self.root)
        return self._toggles


_TOGGLERS = etree.XPath(  # compiled once, not per page
    "//*[@aria-controls or @data-target or @data-bs-target or @aria-haspopup "
    "or @data-toggle or @data-bs-toggle or @aria-expanded or @popovertarget or @onclick]")


def find_toggles(root: Any) -> dict[str, str]:
    """id → kind of control that shows it (tab, accordion, modal, menu, disclosure)."""
    out: dict[str, str] = {}
    for el in _TOGGLERS(root):
        toggle = (el.get("data-bs-toggle") or el.get("data-toggle") or "").lower()
        role = (el.get("role") or "").lower()
        if role == "tab" or toggle in ("tab", "pill", "list"):
            kind = TAB
        elif toggle == "collapse":
            kind = ACCORDION
        elif toggle == "modal":
            kind = MODAL
        elif toggle in ("dropdown", "offcanvas") or el.get("aria-haspopup") not in (None,
                                                                                  "false"):
            kind = MENU
        elif el.get("popovertarget"):
            kind = POPOVER
        else:
            kind = "disclosure"
        targets = (el.get("aria-controls") or "").split()
        onclick = el.get("onclick")
        if onclick:
            targets += [a or b for a, b in _ONCLICK_TARGET.findall(onclick)]
        for attr in ("data-bs-target", "data-target", "href", "popovertarget"):
            value = (el.get(attr) or "").strip()
            if attr == "popovertarget" and value:
                targets.append(value)
            elif value.startswith("#") and len(value) > 1:
                targets.append(value[1:])
        for t in targets:
            out.setdefault(t, kind)
    return out


def _select(sel: css.Selector, index: dict[str, dict[str, list[Any]]], root: Any) -> list[Any]:
    """The elements of the page a selector matches."""
    if sel.key is not None:
        candidates = index[sel.key[0]].get(sel.key[1], ())
        if sel.trivial:
            return candidates  # type: ignore[return-value]
        chain = sel.chain
        if chain is not None:
            if len(chain) == 1:
                compound = chain[0][1]
                return [e for e in candidates if compound.matches(e)]
            return css.chain_select(chain, candidates)
        xp = sel.xpath()  # self::..., one compound
        try:
            return [e for e in candidates if xp(e)]
        except (etree.XPathError, TypeError, ValueError):
            return []
    try:
        return [e for e in sel.xpath()(root) if isinstance(e, etree._Element)]
    except (etree.XPathError, TypeError, ValueError):
        return []


def _priority(entry: Entry) -> tuple[Any, ...]:
    return entry[0]


def _winners(entries: list[Entry], bit: int | None) -> dict[str, tuple[Declaration, Source]]:
    """The winning declaration of each property (entries sorted by priority, highest first)."""
    out: dict[str, tuple[Declaration, Source]] = {}
    for _key, mask, d, src in entries:
        if bit is not None and not mask & bit:
            continue
        if d.prop not in out:
            out[d.prop] = (d, src)
    return out


def _viewport_free(winners: dict[str, tuple[Declaration, Source]]) -> bool:
    """Whether the computed values cannot depend on the viewport size (no vw/vh units)."""
    for d, _src in winners.values():
        free = d.cache.get("viewport-free")
        if free is None:
            free = d.cache["viewport-free"] = not css.viewport_dependent(d.value)
        if not free:
            return False
    return True


def _rebind(comp: Computed, parent: Computed, el: Any) -> Computed:
    """A copy of another element's computed states whose own causes name ``el``."""
    done: dict[int, VState] = {}
    out: list[VState] = []
    for i, st in enumerate(comp.vs):
        got = done.get(id(st))
        if got is None:
            p = parent.vs[i]
            got = st
            if not _inherits_causes(st, p):
                got = st.copy()
                for attr in ("conceal", "vis", "indent"):
                    cause = getattr(st, attr)
                    if cause is not None and cause is not getattr(p, attr):
                        setattr(got, attr, Cause(cause.technique, cause.source, el, cause.detail,
                                                 cause.extra, cause.hint))
            done[id(st)] = got
        out.append(got)
    return Computed(tuple(out))


def _inherits_causes(st: VState, parent: VState) -> bool:
    """Whether a state names no cause of its own element (so other elements can share it)."""
    return st.conceal is parent.conceal and st.vis is parent.vis and st.indent is parent.indent


def _ua_entries(el: Any) -> list[Entry]:
    """The browser's own stylesheet, where it hides things."""
    tag = el.tag
    technique = None
    if el.get("hidden") is not None:
        technique = HIDDEN_ATTRIBUTE
    elif tag == "dialog" and el.get("open") is None:
        technique = CLOSED_DIALOG
    elif el.get("popover") is not None:
        technique = POPOVER
    else:
        p = el.getparent()
        if p is not None and p.tag == "details" and p.get("open") is None and tag != "summary":
            technique = CLOSED_DETAILS
            el = p
    if technique is None:
        return []
    src = Source(_UA_DISPLAY_NONE, "ua", technique, el=el)
    return [(_UA_KEY, css.ALL, _UA_DISPLAY_NONE, src)]


def _conceal(s: VState, cause: Cause) -> VState:
    if s.conceal is not None:
        return s
    out = s.copy()
    out.conceal = cause
    return out


_GLOBAL = frozenset({"inherit", "initial", "unset", "revert", "revert-layer"})
_UNRESOLVED: Any = object()


def _var_key(refs: frozenset[str], custom: dict[str, Declaration]) -> tuple[Any, ...]:
    """The custom property declarations a value reads, directly or through others."""
    out: list[Any] = []
    seen: set[str] = set()
    todo = list(refs)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        d = custom.get(name)
        out.append(d)
        if d is not None and d.refs:
            todo.extend(d.refs)
    return tuple(out)


def _resolve(d: Declaration, prop: str, custom: dict[str, Declaration]) -> Any:
    """A declaration's significant tokens for ``prop`` after var() and shorthand expansion
    (a tuple), a global keyword (str), or None when the shorthand does not set ``prop``.
    Cached on the declaration, per set of custom property values it reads."""
    key: Any = (prop, _var_key(d.refs, custom)) if d.refs else prop
    got = d.cache.get(key, _UNRESOLVED)
    if got is not _UNRESOLVED:
        return got
    tokens: Any = d.value
    result: Any
    if d.refs:

        def lookup(name: str) -> Any:
            c = custom.get(name)
            return None if c is None else c.value

        tokens = css.substitute_vars(tokens, lookup)
    if tokens is None:
        result = "unset"  # invalid at computed-value time
    else:
        if d.shorthand:
            tokens = css.expand(d.shorthand, prop, tokens)
        if tokens is None:
            result = None
        else:
            sig = tuple(css.significant(tokens))
            word = sig[0].lower_value if len(sig) == 1 and sig[0].type == "ident" else None
            result = sig
            if word in _GLOBAL:  # revert: the browser's value, as good as unset here
                result = "unset" if word.startswith("revert") else word
    d.cache[key] = result
    return result


def _color_of(d: Declaration, prop: str, custom: dict[str, Declaration]) -> Any:
    """The colour a declaration sets (RGBA, "currentcolor", None unknown), a global
    keyword (str other than currentcolor), or _UNRESOLVED when it does not set ``prop``."""
    key: Any = ("colour", prop, _var_key(d.refs, custom)) if d.refs else ("colour", prop)
    got = d.cache.get(key, _UNRESOLVED)
    if got is not _UNRESOLVED:
        return got
    tokens = _resolve(d, prop, custom)
    if tokens is None:
        result: Any = _UNRESOLVED
    elif isinstance(tokens, str):
        result = tokens
    else:
        result = css.color(tokens)
    d.cache[key] = result
    return result


def _word(tokens: Any) -> str | None:
    if isinstance(tokens, str):
        return tokens
    if tokens and len(tokens) == 1 and tokens[0].type == "ident":
        return tokens[0].lower_value
    return None


def _px(tokens: Any, lc: LengthContext) -> float | None:
    if isinstance(tokens, str) or not tokens or len(tokens) != 1:
        return None
    return css.length(tokens[0], lc)


def _same(a: VState, b: VState) -> bool:
    return (a is b) or (
        _same_cause(a.conceal, b.conceal) and _same_cause(a.vis, b.vis)
        and _same_cause(a.indent, b.indent) and a.color == b.color
        and a.color_src is b.color_src and a.bg == b.bg and a.bg_src is b.bg_src
        and a.bg_image == b.bg_image and a.font == b.font and a.font_src is b.font_src
        and a.root_font == b.root_font and a.shadow == b.shadow and a.opacity == b.opacity
        and (a.custom is b.custom or a.custom == b.custom))


def _same_cause(a: Cause | None, b: Cause | None) -> bool:
    if a is b:
        return True
    if a is None or b is None:
        return False
    return (a.technique == b.technique and a.source is b.source and a.el is b.el
            and a.detail == b.detail and a.extra == b.extra)


def _state(el: Any, p: VState, winners: dict[str, tuple[Declaration, Source]], vp: css.Viewport,
           is_root: bool, backdrop: bool) -> VState:
    """The computed values of ``el`` for one viewport, from its parent's and the winning
    declaration of each property."""
    s = p.copy()
    s.bg_image = False
    get = winners.get
    custom = p.custom
    if any(prop[:2] == "--" for prop in winners):
        custom = dict(custom)
        for prop, (d, _src) in winners.items():
            if prop[:2] == "--":
                custom[prop] = d
        s.custom = custom

    # font-size first: em lengths below depend on it.
    w = get("font-size")
    if w is not None:
        d, src = w
        tokens = _resolve(d, "font-size", custom)
        pf = p.font if p.font is not None else 16.0
        word = _word(tokens)
        if tokens is None or word in ("inherit", "unset"):
            pass
        elif word == "initial":
            s.font, s.font_src = 16.0, src
        else:
            if word in FONT_KEYWORDS:
                s.font = FONT_KEYWORDS[word]
            elif word == "smaller":
                s.font = pf / 1.2
            elif word == "larger":
                s.font = pf * 1.2
            else:
                lc = LengthContext(pf, p.root_font, vp.width, vp.height, percent_of=pf)
                s.font = _px(tokens, lc)
            s.font_src = src
    if is_root:
        s.root_font = s.font if s.font is not None else 16.0
    lc = LengthContext(s.font if s.font is not None else 16.0, s.root_font, vp.width, vp.height)

    def value(prop: str) -> tuple[Any, Source | None]:
        w = get(prop)
        if w is None:
            return None, None
        return _resolve(w[0], prop, custom), w[1]

    # -- inherited ---------------------------------------------------------------------
    w = get("visibility")
    if w is not None:
        word = _word(_resolve(w[0], "visibility", custom))
        if word in ("hidden", "collapse"):
            s.vis = Cause(VISIBILITY_HIDDEN, w[1], el)
        elif word in ("visible", "initial"):
            s.vis = None
    w = get("color")
    if w is not None:
        c = _color_of(w[0], "color", custom)
        if c == "initial":
            s.color, s.color_src = (0.0, 0.0, 0.0, 1.0), w[1]
        elif c in ("inherit", "unset", "currentcolor") or c is _UNRESOLVED:
            pass  # the parent's colour, inherited already
        else:
            s.color = c if not isinstance(c, str) else None
            s.color_src = w[1]
    w = get("text-shadow")
    if w is not None:
        word = _word(_resolve(w[0], "text-shadow", custom))
        if word not in ("inherit", "unset"):
            s.shadow = word not in ("none", "initial")
    overflow_x = _word(value("overflow-x")[0])
    overflow_y = _word(value("overflow-y")[0])
    clips = overflow_x in ("hidden", "clip") or overflow_y in ("hidden", "clip")
    w = get("text-indent")
    if w is not None:
        tokens = _resolve(w[0], "text-indent", custom)
        if tokens == "initial":
            s.indent = None
        elif tokens and not isinstance(tokens, str):
            s.indent = None
            first = tokens[0]
            if first.type == "percentage":
                if float(first.value) >= 100 and clips:
                    s.indent = Cause(OFF_SCREEN, w[1], el, "text-indent")
            else:
                amount = css.length(first, lc)
                if amount is not None and (amount <= OFF_SCREEN_PX
                                           or (amount >= -OFF_SCREEN_PX and clips)):
                    s.indent = Cause(OFF_SCREEN, w[1], el, "text-indent")

    # -- background (not inherited; text is read against the nearest one) ---------------
    w = get("background-image")
    if w is not None:
        tokens = _resolve(w[0], "background-image", custom)
        if tokens and _word(tokens) not in ("none", "initial", "unset", "inherit"):
            s.bg, s.bg_src, s.bg_image = None, w[1], True  # an image or a gradient
    own_opaque = False
    w = get("background-color")
    if w is not None and not s.bg_image:
        c = _color_of(w[0], "background-color", custom)
        if c == "currentcolor":
            c = s.color
        if isinstance(c, tuple):
            if c[3] >= 0.99:
                s.bg, s.bg_src = c[:3], w[1]
                own_opaque = True
            elif c[3] > 0.01:
                s.bg = css.over(c, p.bg) if p.bg is not None else None
                s.bg_src = w[1]
        elif c is None:
            s.bg = None  # a colour we cannot read
    positioned = _word(value("position")[0]) in ("absolute", "fixed")
    if (positioned or backdrop) and not own_opaque:
        s.bg = None  # laid over something we cannot see
    if get("color") or get("font-size") or get("text-indent"):
        s.ir = s.bg_image

    # -- the whole subtree ---------------------------------------------------------------
    if s.conceal is not None:
        return s
    w = get("display")
    if w is not None and _word(_resolve(w[0], "display", custom)) == "none":
        s.conceal = _display_cause(w[1], el)
        return s
    w = get("content-visibility")
    if w is not None and _word(_resolve(w[0], "content-visibility", custom)) == "hidden":
        s.conceal = Cause(CONTENT_VISIBILITY, w[1], el)
        return s
    w = get("opacity")
    if w is not None:
        tokens = _resolve(w[0], "opacity", custom)
        n = None if isinstance(tokens, str) or tokens is None else css.number(tokens)
        if n is not None:
            s.opacity = p.opacity * max(0.0, min(1.0, n))
            if s.opacity <= MIN_OPACITY:
                s.conceal = Cause(OPACITY_ZERO, w[1], el)
                return s
    if positioned:
        tokens, src = value("clip")
        if tokens and not isinstance(tokens, str) and css.is_tiny_clip(tokens):
            s.conceal = Cause(CLIPPED, src, el, "clip")
            return s
    tokens, src = value("clip-path")
    if tokens and not isinstance(tokens, str) and css.is_empty_clip_path(tokens):
        s.conceal = Cause(CLIPPED, src, el, "clip-path")
        return s
    if clips:
        tokens, wsrc = value("width")
        width = _px(tokens, lc)
        tokens, hsrc = value("height")
        height = _px(tokens, lc)
        tokens, msrc = value("max-height")
        max_height = _px(tokens, lc)
        if positioned and width is not None and height is not None and width <= 1 \
                and height <= 1:
            s.conceal = Cause(CLIPPED, wsrc, el, "1px box")
            return s
        for amount, size_src in ((height, hsrc), (max_height, msrc), (width, wsrc)):
            if amount is not None and amount <= 1:
                s.conceal = Cause(ZERO_SIZE, size_src, el)
                return s
    if positioned:
        for prop in ("left", "top"):
            tokens, src = value(prop)
            amount = _px(tokens, lc)
            if amount is not None and amount <= OFF_SCREEN_PX:
                s.conceal = Cause(OFF_SCREEN, src, el, prop)
                return s
    tokens, src = value("margin-left")
    amount = _px(tokens, lc)
    if amount is not None and amount <= OFF_SCREEN_PX:
        s.conceal = Cause(OFF_SCREEN, src, el, "margin-left")
        return s
    tokens, src = value("transform")
    if tokens and not isinstance(tokens, str):
        shift, zero = css.transform_offset(tokens, lc)
        if shift <= OFF_SCREEN_PX:
            s.conceal = Cause(OFF_SCREEN, src, el, "transform")
            return s
        if zero:
            s.conceal = Cause(ZERO_SIZE, src, el, "scale(0)")
            return s
    return s


def _display_cause(src: Source | None, el: Any) -> Cause:
    if src is not None and src.origin == "ua":
        return Cause(src.selector, None, src.el)  # the UA technique, on the element
    if el.get("hidden") is not None:  # [hidden] { display: none } of a CSS reset
        return Cause(HIDDEN_ATTRIBUTE, src, el)
    return Cause(DISPLAY_NONE, src, el)


def _tiny_image(img: Any) -> bool:
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) <= 1:
            return True
    return False


# ---------------------------------------------------------------------------
# Context: which honest pattern hidden text belongs to
# ---------------------------------------------------------------------------

_SPLIT = re.compile(r"[-_]+")
_SR_NAMES = ("sr-only", "visually-hidden", "visuallyhidden", "screen-reader", "screenreader",
             "element-invisible", "show-for-sr", "a11y-hidden", "assistive", "hidden-visually",
             "offscreen", "sr-text", "reader-text", "hide-visually", "u-hidden-visually",
             "accessible-hidden", "only-sr", "for-sr", "hidden-accessible", "a11y-text")
_SR_EXACT = frozenset({"vh", "sr", "a11y"})
_SKIP_TEXT = ("aller au contenu", "passer au contenu", "accéder au contenu",
              "aller à la navigation", "skip to", "skip navigation", "aller au menu",
              "accès direct", "contenu principal", "aller à la recherche", "main content")
_COOKIE = ("cookie", "consent", "gdpr", "rgpd", "tarteaucitron", "axeptio", "didomi", "onetrust",
           "cookiebot", "cmplz", "iubenda", "usercentrics", "klaro", "orejime", "quantcast",
           "cc-window", "cc-banner", "moove", "privacy-banner")
_WORDS: list[tuple[str, frozenset[str]]] = [
    (MODAL, frozenset({"modal", "popup", "popin", "lightbox", "overlay", "fancybox", "dialog",
                       "mfp", "featherlight", "newsletter-popup", "pop", "modale", "fenetre"})),
    (TAB, frozenset({"tab", "tabs", "tabpanel", "tabcontent", "tabpane", "onglet", "onglets",
                     "tab-pane", "tab-content"})),
    (CAROUSEL, frozenset({"carousel", "slide", "slides", "slider", "swiper", "slick", "splide",
                          "glide", "owl", "flickity", "keen", "embla", "bxslider", "diaporama",
                          "testimonial-slide", "carrousel", "caroussel"})),
    (MENU, frozenset({"menu", "submenu", "dropdown", "megamenu", "mega", "navbar", "nav",
                      "navigation", "offcanvas", "hamburger", "burger", "drawer", "flyout",
                      "sidenav", "menus", "subnav", "sous-menu", "sousmenu", "deroulant"})),
    (ACCORDION, frozenset({"accordion", "accordeon", "collapse", "collapsible", "faq", "faqs",
                           "expandable", "expander", "spoiler", "disclosure", "read-more",
                           "readmore", "more-text", "show-more", "see-more", "voir-plus",
                           "lire-la-suite", "toggle-content", "answer", "reponse", "depliant",
                           "repliable"})),
    (TOOLTIP, frozenset({"tooltip", "popover", "tippy", "tooltiptext", "infobulle"})),
    (STATUS_MESSAGE, frozenset({"invalid-feedback", "valid-feedback", "feedback", "error",
                                "errors", "success", "alert", "notice", "notification", "toast",
                                "message", "messages", "loader", "loading", "spinner",
                                "help-block", "wpcf7-response-output", "wpcf7-not-valid-tip",
                                "erreur", "validation"})),
    (ANIMATION, frozenset({"wow", "aos", "animate", "animated", "animation", "reveal", "fadein",
                           "fade-in", "fadeinup", "fade-up", "appear", "inview", "in-view", "sal",
                           "gsap", "scroll-reveal", "scrollreveal", "lazy-reveal"})),
]
_MENU_WORDS = dict(_WORDS)[MENU]
# Checked after every other pattern: a collapsed menu inside a sidebar is a menu.
_CHROME_WORDS = frozenset({"footer", "sidebar", "sidebars", "toc", "breadcrumb", "breadcrumbs",
                           "copyright", "masthead", "colophon", "related", "widget", "widgets",
                           "sphinxsidebar", "sidebarwrapper", "site-footer", "page-footer",
                           "pied", "piedpage", "fil-ariane", "ariane", "header", "topbar",
                           "banner", "aside", "relbar", "rellink", "prevnext", "pagination",
                           "edit-this-page", "last-updated", "share", "social", "meta"})
_CHROME_TAGS = frozenset({"footer", "header", "aside"})
# onclick="$('#hidden-item-2').toggle()" or getElementById('réponse'): a script toggle.
_ONCLICK_TARGET = re.compile(r"""#([\w-]+)|getElementById\(\s*['"]([^'"]+)['"]""")
_ROLES = {"dialog": MODAL, "alertdialog": MODAL, "tabpanel": TAB, "menu": MENU, "menubar": MENU,
          "navigation": MENU, "tooltip": TOOLTIP, "alert": STATUS_MESSAGE,
          "status": STATUS_MESSAGE, "log": STATUS_MESSAGE}
_ANIMATION_ATTRS = ("data-aos", "data-sal", "data-animate", "data-animation", "data-scroll",
                    "data-sr", "data-wow-delay", "data-wow-duration", "data-reveal")
_TOGGLE_KINDS = {TAB: TAB, ACCORDION: ACCORDION, MODAL: MODAL, MENU: MENU, POPOVER: POPOVER,
                 "disclosure": ACCORDION}
_IR_TECHNIQUES = frozenset({OFF_SCREEN, FONT_ZERO, FONT_TINY, TRANSPARENT_TEXT, SAME_COLOUR})


def _tokens(el: Any) -> tuple[set[str], list[str]]:
    """(words of the element's classes and id, the full lower-case names)."""
    names: list[str] = []
    words: set[str] = set()
    for attr in ("class", "id"):
        value = el.get(attr)
        if not value:
            continue
        for name in value.lower().split():
            name = name.rsplit(":", 1)[-1].replace("_", "-")
            names.append(name)
            words.add(name)
            words.update(w for w in _SPLIT.split(name) if w)
    return words, names


def _has_link(el: Any) -> bool:
    return any(a.get("href") for a in el.iter("a")) or next(el.iter("button"), None) is not None


def recognise(el: Any, technique: str, styles: PageStyles | None = None) -> str:
    """The honest pattern hidden text set off by ``el`` belongs to, or ""."""
    if technique == CLOSED_DETAILS:
        return DETAILS
    if technique == CLOSED_DIALOG:
        return MODAL
    if technique == POPOVER:
        return POPOVER
    skip = _skip_link(el)
    if skip:
        return SKIP_LINK
    if technique == CLIPPED:
        return SR_ONLY
    if technique in _IR_TECHNIQUES and styles is not None:
        for e in (el, el.getparent()):
            comp = styles.memo.get(e) if e is not None else None
            if comp is not None and comp.vs[0].bg_image:
                return IMAGE_REPLACEMENT
    # The toggles index (an XPath over the whole page) only matters for an element with
    # an id: built on first need, not for every hidden element.
    toggles = styles.toggles if styles is not None else dict
    chain = [el]
    for anc in el.iterancestors():
        if anc.tag in ("body", "html") or len(chain) > 4:
            break
        chain.append(anc)
    for depth, e in enumerate(chain):
        found = _element_context(e, technique, toggles, depth)
        if found:
            return found
    # A list inside a list item of a navigation: a submenu; anything in a <nav> with links.
    if _has_link(el):
        parent = el.getparent()
        if el.tag in ("ul", "ol") and parent is not None and parent.tag == "li":
            return MENU
        for anc in el.iterancestors():
            if anc.tag == "nav" or (anc.get("role") or "").lower() == "navigation":
                return MENU
            if anc.tag == "body":
                break
    for e in chain:
        if e.tag in _CHROME_TAGS or (e.get("role") or "").lower() in ("contentinfo", "banner",
                                                                       "complementary"):
            return CHROME
        words, _names = _tokens(e)
        if words & _CHROME_WORDS:
            return CHROME
    return ""


def _skip_link(el: Any) -> bool:
    anchors = [el] if el.tag == "a" else []
    anchors += [a for a in el.iter("a") if a is not el][:2]
    parent = el.getparent()
    if parent is not None and parent.tag == "a":
        anchors.append(parent)
    for a in anchors:
        href = (a.get("href") or "").strip()
        if not href.startswith("#") or len(href) < 2:
            continue
        words, _names = _tokens(a)
        if "skip" in words or "skiplink" in words or "evitement" in words:
            return True
        text = " ".join((a.text_content() or "").lower().split())
        if any(text.startswith(t) for t in _SKIP_TEXT):
            return True
    return False


def _element_context(e: Any, technique: str, toggles: Callable[[], dict[str, str]],
                     depth: int) -> str:
    words, names = _tokens(e)
    if any(n in _SR_EXACT or any(s in n for s in _SR_NAMES) for n in names):
        return SR_ONLY
    if any(any(c in n for c in _COOKIE) for n in names):
        return COOKIE_BANNER
    role = (e.get("role") or "").lower()
    if e.tag == "dialog" or (e.get("aria-modal") or "").lower() == "true":
        return MODAL
    if role in _ROLES and (_ROLES[role] != MENU or _has_link(e)):
        return _ROLES[role]
    ident = e.get("id")
    if ident and ident in toggles():
        kind = _TOGGLE_KINDS[toggles()[ident]]
        if kind == ACCORDION and words & _MENU_WORDS and _has_link(e):
            return MENU  # a navigation opened by a button
        return kind
    if e.get("popover") is not None:
        return POPOVER
    for context, vocabulary in _WORDS:
        if words & vocabulary:
            if context == MENU and not _has_link(e):
                continue
            if context == ANIMATION and technique == SAME_COLOUR:
                continue
            return context
    if any(e.get(a) is not None for a in _ANIMATION_ATTRS):
        return ANIMATION
    if e.tag == "nav" and _has_link(e):
        return MENU
    if (e.get("aria-hidden") or "").lower() == "true" and depth <= 1:
        return DECORATIVE
    return ""

