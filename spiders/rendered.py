"""Visibility of a page rendered by Chromium: the browser's verdicts, read back from the DOM.

``spiders/render_hidden.js`` runs in the rendered page and marks each element whose text a
visitor cannot see with ``data-seo-audit-hidden`` (the technique), ``-detail``, ``-extra``
(the background the colour was compared with), ``-hint`` (image replacement), ``-print``
(shown when printed) and ``-by`` (the id of the element that hides it, which carries
``data-seo-audit-id``). :class:`RenderedStyles` answers the text walk of
``spiders.extract`` with those verdicts instead of the static cascade, and recognises the
honest pattern with the same code as the static engine (``visibility.recognise``), so the
hidden-text rule judges both the same way.

No browser and no Scrapy here: pure functions over the serialized rendered DOM.
"""

from __future__ import annotations

from typing import Any

from spiders.visibility import (
    ONE_PIXEL_IMAGE,
    PRINT_ONLY,
    UI_TECHNIQUES,
    _tiny_image,
    describe_element,
    find_toggles,
    linked_stylesheets,
    recognise,
)

ATTR = "data-seo-audit-"
# Says where a verdict comes from, in place of the static engine's "rule (file:line)".
COMPUTED = "(computed style)"


class Mark:
    """The rendered state of an element's own text (``label`` None: visible)."""

    __slots__ = ("label",)

    def __init__(self, label: tuple[str, str] | None):
        self.label = label

    @property
    def loose(self) -> Mark:  # the text walk reads the state of loose text nodes here
        return self


VISIBLE = Mark(None)


class RenderedStyles:
    """Duck-types the part of :class:`spiders.visibility.PageStyles` the text walk uses."""

    def __init__(self, root: Any, base: str = ""):
        self.root = root
        self.linked = linked_stylesheets(root, base)
        self.inline_style_count = len(root.xpath("//*[@style]"))
        self.memo: dict[Any, Any] = {}  # read by recognise() for static states: none here
        self._marks: dict[Any, Mark] = {}
        self._by_id = {el.get(ATTR + "id"): el for el in root.xpath(f"//*[@{ATTR}id]")}
        self._toggles: dict[str, str] | None = None

    def initial(self) -> Mark:
        return VISIBLE

    def computed(self, el: Any) -> Mark:
        return self._marks.get(el) or self.enter(el, VISIBLE)

    def enter(self, el: Any, parent: Mark) -> Mark:
        technique = el.get(ATTR + "hidden")
        mark = VISIBLE if not technique else Mark(self._label(el, technique))
        self._marks[el] = mark
        return mark

    def label(self, comp: Mark) -> tuple[str, str] | None:
        return comp.label

    def _label(self, el: Any, technique: str) -> tuple[str, str]:
        detail = el.get(ATTR + "detail") or ""
        by = self._by_id.get(el.get(ATTR + "by") or "")
        parts = [technique + (f" ({detail})" if detail else ""),
                 f"{el.get(ATTR + 'where') or describe_element(el)} {COMPUTED}"]
        extra = el.get(ATTR + "extra")
        if extra:
            parts.append(extra)
        reason = " — ".join(parts)
        if el.get(ATTR + "print") is not None and technique in UI_TECHNIQUES:
            return reason, PRINT_ONLY
        context = el.get(ATTR + "hint") or ""
        if not context and by is not None:
            context = recognise(by, technique, self)  # type: ignore[arg-type]
        return reason, context

    def link_hidden(self, a: Any) -> str:
        """Link.hidden, as ``PageStyles.link_hidden`` words it."""
        mark = self._marks.get(a)
        if mark is None:  # not walked: inside <noscript>, <template>, <svg>...
            return ""
        if mark.label is None:
            if a.tag == "a" and not (a.text_content() or "").strip():
                images = list(a.iter("img"))
                if images and all(_tiny_image(img) for img in images):
                    return f"{ONE_PIXEL_IMAGE} — {describe_element(images[0])}"
            return ""
        reason, context = mark.label
        return f"{reason} [{context}]" if context else reason

    def toggles(self) -> dict[str, str]:
        if self._toggles is None:
            self._toggles = find_toggles(self.root)
        return self._toggles
