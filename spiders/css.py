"""CSS for the visibility engine: stylesheets, values, media queries and selectors.

Parsing is tinycss2's (never regexes); selectors are parsed by cssselect and matched
either by a small right-to-left matcher (type, class, id and attribute compounds joined
by descendant or child combinators: most selectors of real sheets) or by the XPath
cssselect translates them to. A stylesheet is compiled once per distinct text
(:func:`compile_sheet` is cached): the site's stylesheet is the same on every page.

Only what decides whether text can be seen is kept: display, visibility, opacity,
font size, colours, background, text-indent, position and offsets, clip, size and
overflow, transform, text-shadow, plus the custom properties (``--x``) they use.

Media queries are evaluated for a set of reference :data:`VIEWPORTS` (phones to wide
screens, and print): a declaration carries the bit mask of the viewports it applies
to, so text hidden on phones but shown on desktops (responsive design) is not hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

import cssselect
import tinycss2
from cssselect.parser import (
    Attrib,
    Class,
    CombinedSelector,
    Element,
    Hash,
    Negation,
    Pseudo,
)
from cssselect.xpath import ExpressionError, HTMLTranslator
from lxml import etree
from tinycss2.color5 import parse_color as _tinycss2_color

# ---------------------------------------------------------------------------
# Viewports
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Viewport:
    name: str
    width: int
    height: int
    print: bool = False

    @property
    def fine_pointer(self) -> bool:  # a mouse: hover exists
        return self.width >= 1000 and not self.print


# One viewport inside every interval of the common breakpoints (Bootstrap 576/768/992/
# 1200/1400, Tailwind 640/768/1024/1280/1536, Foundation 640/1024/1200), and print.
VIEWPORTS: tuple[Viewport, ...] = (
    Viewport("phone", 360, 740), Viewport("phone-l", 600, 900), Viewport("tablet-s", 700, 1000),
    Viewport("tablet", 800, 1100), Viewport("laptop-s", 1000, 750),
    Viewport("laptop", 1150, 800), Viewport("desktop", 1300, 850), Viewport("wide", 1600, 900),
    Viewport("print", 794, 1123, print=True),
)
N_VIEWPORTS = len(VIEWPORTS)
ALL = (1 << N_VIEWPORTS) - 1
PRINT = sum(1 << i for i, v in enumerate(VIEWPORTS) if v.print)
SCREEN = ALL & ~PRINT
SCREEN_INDEXES = tuple(i for i, v in enumerate(VIEWPORTS) if not v.print)
PRINT_INDEX = next(i for i, v in enumerate(VIEWPORTS) if v.print)


def _mask(pred: Any) -> int:
    return sum(1 << i for i, v in enumerate(VIEWPORTS) if pred(v))


# ---------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------

_SKIP = ("whitespace", "comment")


def significant(tokens: Iterable[Any]) -> list[Any]:
    """Component values without white space and comments."""
    return [t for t in tokens if t.type not in _SKIP]


def split_commas(tokens: Iterable[Any]) -> list[list[Any]]:
    """Top-level comma-separated parts (a selector list, a media query list)."""
    parts: list[list[Any]] = [[]]
    for t in tokens:
        if t.type == "literal" and t.value == ",":
            parts.append([])
        else:
            parts[-1].append(t)
    return parts


def serialize(tokens: Iterable[Any]) -> str:
    return " ".join(tinycss2.serialize(list(tokens)).split())


def var_names(tokens: Iterable[Any]) -> set[str]:
    """Custom property names read by var() anywhere in a value."""
    out: set[str] = set()
    stack = list(tokens)
    while stack:
        t = stack.pop()
        if t.type == "function":
            args = t.arguments
            if t.lower_name == "var":
                first = significant(args)[:1]
                if first and first[0].type == "ident" and first[0].value.startswith("--"):
                    out.add(first[0].value)
            stack.extend(args)
        elif t.type in ("() block", "[] block", "{} block"):
            stack.extend(t.content)
    return out


def has_var(tokens: Iterable[Any]) -> bool:
    for t in tokens:
        if t.type == "function" and (t.lower_name == "var" or has_var(t.arguments)):
            return True
        if t.type in ("() block", "[] block") and has_var(t.content):
            return True
    return False


def substitute_vars(tokens: Sequence[Any], custom: Callable[[str], Sequence[Any] | None],
                    depth: int = 0) -> list[Any] | None:
    """Replace var(--x, fallback) by the custom property's tokens (``custom(name)``);
    None when a var() has neither a value nor a fallback (the declaration is then
    invalid at computed-value time)."""
    if depth > 8:
        return None
    out: list[Any] = []
    for t in tokens:
        if t.type == "function" and t.lower_name == "var":
            args = list(t.arguments)
            parts = split_commas(args)
            name_tokens = significant(parts[0])
            name = name_tokens[0].value if name_tokens and name_tokens[0].type == "ident" else ""
            value = custom(name)
            if value is None and len(parts) > 1:
                # The fallback is everything after the first comma, commas included.
                first_comma = next(i for i, a in enumerate(args)
                                   if a.type == "literal" and a.value == ",")
                value = args[first_comma + 1:]
            if value is None:
                return None
            sub = substitute_vars(value, custom, depth + 1)
            if sub is None:
                return None
            out.extend(sub)
        elif t.type == "function" and has_var(t.arguments):
            args = substitute_vars(t.arguments, custom, depth + 1)
            if args is None:
                return None
            out.append(tinycss2.ast.FunctionBlock(t.source_line, t.source_column, t.name, args))
        else:
            out.append(t)
    return out


# ---------------------------------------------------------------------------
# Values: lengths, colours
# ---------------------------------------------------------------------------

_ABSOLUTE = {"px": 1.0, "pt": 96 / 72, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54,
             "mm": 96 / 25.4, "q": 96 / 101.6}
FONT_KEYWORDS = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0,
                 "large": 18.0, "x-large": 24.0, "xx-large": 32.0, "xxx-large": 48.0}


class LengthContext:
    """What relative lengths are relative to (a plain class: built for every element)."""

    __slots__ = ("font", "percent_of", "root_font", "vh", "vw")

    def __init__(self, font: float = 16.0, root_font: float = 16.0, vw: float = 1280.0,
                 vh: float = 800.0, percent_of: float | None = None):
        self.font = font  # px of the element's font (em)
        self.root_font = root_font  # rem
        self.vw = vw
        self.vh = vh
        self.percent_of = percent_of  # what 100% is, when known


def length(token: Any, lc: LengthContext) -> float | None:
    """A length in px (0 without unit too), or None when not a length we can resolve."""
    kind = token.type
    if kind == "dimension":
        unit = token.lower_unit
        value = float(token.value)
        if unit in _ABSOLUTE:
            return value * _ABSOLUTE[unit]
        if unit == "em":
            return value * lc.font
        if unit == "rem":
            return value * lc.root_font
        if unit in ("ex", "ch"):
            return value * lc.font / 2
        if unit.endswith("vw"):
            return value * lc.vw / 100
        if unit.endswith("vh"):
            return value * lc.vh / 100
        if unit.endswith("vmin"):
            return value * min(lc.vw, lc.vh) / 100
        if unit.endswith("vmax"):
            return value * max(lc.vw, lc.vh) / 100
        return None
    if kind == "number" and token.value == 0:
        return 0.0
    if kind == "percentage" and lc.percent_of is not None:
        return float(token.value) * lc.percent_of / 100
    if kind == "function" and token.lower_name in ("calc", "-webkit-calc", "min", "max",
                                                    "clamp"):
        return _math(token, lc)
    return None


def _math(fn: Any, lc: LengthContext) -> float | None:
    name = fn.lower_name
    if name in ("calc", "-webkit-calc"):
        return _sum(significant(fn.arguments), lc)
    values = [_sum(significant(part), lc) for part in split_commas(fn.arguments)]
    if any(v is None for v in values) or not values:
        return None
    vals = [v for v in values if v is not None]
    if name == "min":
        return min(vals)
    if name == "max":
        return max(vals)
    if len(vals) == 3:  # clamp(min, preferred, max)
        return max(vals[0], min(vals[1], vals[2]))
    return None


def _sum(tokens: list[Any], lc: LengthContext) -> float | None:
    """calc(): terms joined by + and -, each a product of a length and numbers."""
    total = 0.0
    sign = 1.0
    term: list[Any] = []
    terms: list[tuple[float, list[Any]]] = []
    for t in tokens:
        if t.type == "literal" and t.value in "+-" and term:
            terms.append((sign, term))
            sign = 1.0 if t.value == "+" else -1.0
            term = []
        else:
            term.append(t)
    terms.append((sign, term))
    for sign, parts in terms:
        value = _product(parts, lc)
        if value is None:
            return None
        total += sign * value
    return total


def _product(parts: list[Any], lc: LengthContext) -> float | None:
    value: float | None = None
    factor = 1.0
    divide = False
    for t in parts:
        if t.type == "literal" and t.value in "*/":
            divide = t.value == "/"
            continue
        if t.type == "number":
            n = float(t.value)
            if divide:
                if n == 0:
                    return None
                factor /= n
            else:
                factor *= n
            divide = False
            continue
        if t.type == "() block":
            inner = _sum(significant(t.content), lc)
            if inner is None:
                return None
            value = inner if value is None else value * inner
            continue
        v = length(t, lc)
        if v is None:
            return None
        value = v if value is None else value * v
    if value is None:
        return factor if parts else None
    return value * factor


RGBA = tuple[float, float, float, float]  # 0..1 each, sRGB


def color(tokens: Sequence[Any]) -> RGBA | str | None:
    """A colour value: RGBA, "currentcolor", or None when not a colour we can read
    (color-mix(), system colours...)."""
    sig = significant(tokens)
    if len(sig) != 1:
        return None
    try:
        parsed = _tinycss2_color(sig[0])
    except (ValueError, TypeError, IndexError, AttributeError):
        return None
    if parsed is None:
        return None
    if isinstance(parsed, str):
        return "currentcolor"
    return to_srgb(parsed)


def to_srgb(c: Any) -> RGBA | None:
    space = c.space
    alpha = c.alpha
    try:
        if space == "srgb":
            r, g, b = (x or 0.0 for x in c.coordinates)
        elif space in ("hsl", "hwb"):
            r, g, b = c.to("srgb").coordinates
        elif space in ("oklab", "oklch", "xyz-d65", "xyz"):
            r, g, b = _xyz65_to_srgb(*c.to("xyz-d65").coordinates)
        elif space in ("lab", "lch", "xyz-d50"):
            r, g, b = _xyz65_to_srgb(*_d50_to_d65(*c.to("xyz-d50").coordinates))
        elif space == "srgb-linear":
            r, g, b = (_gamma(x or 0.0) for x in c.coordinates)
        else:  # display-p3 and other wide gamuts: close enough to sRGB for a contrast check
            r, g, b = (x or 0.0 for x in c.coordinates[:3])
    except (NotImplementedError, TypeError, ValueError):
        return None
    clip = lambda x: min(1.0, max(0.0, float(x)))  # noqa: E731
    return (clip(r), clip(g), clip(b), float(alpha))


def _gamma(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return 12.92 * x if x <= 0.0031308 else 1.055 * x ** (1 / 2.4) - 0.055


def _xyz65_to_srgb(x: float, y: float, z: float) -> tuple[float, float, float]:
    r = 3.2409699419 * x - 1.5373831776 * y - 0.4986107603 * z
    g = -0.9692436363 * x + 1.8759675015 * y + 0.0415550574 * z
    b = 0.0556300797 * x - 0.2039769589 * y + 1.0569715142 * z
    return _gamma(r), _gamma(g), _gamma(b)


def _d50_to_d65(x: float, y: float, z: float) -> tuple[float, float, float]:  # Bradford
    return (0.9554734527 * x - 0.0230985368 * y + 0.0632593086 * z,
            -0.0283697069 * x + 1.0099954580 * y + 0.0210413989 * z,
            0.0123140016 * x - 0.0205076964 * y + 1.3303659366 * z)


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: Sequence[float]) -> float:
    """WCAG relative luminance of an sRGB colour (0..1 channels)."""
    r, g, b = rgb[0], rgb[1], rgb[2]
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast(a: Sequence[float], b: Sequence[float]) -> float:
    """WCAG contrast ratio, 1 (same) to 21 (black on white)."""
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def over(top: RGBA, below: Sequence[float]) -> tuple[float, float, float]:
    """``top`` composited over an opaque colour."""
    a = top[3]
    return tuple(top[i] * a + below[i] * (1 - a) for i in range(3))  # type: ignore[return-value]


def hex_color(rgb: Sequence[float]) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb[:3])


# ---------------------------------------------------------------------------
# Media queries
# ---------------------------------------------------------------------------

_TYPES = {"all": ALL, "screen": SCREEN, "print": PRINT}
_HOVER = _mask(lambda v: v.fine_pointer)
_NO_HOVER = _mask(lambda v: not v.fine_pointer)
_COARSE = _mask(lambda v: not v.fine_pointer and not v.print)


def media_mask(tokens: Sequence[Any]) -> int:
    """The viewports a media query list applies to (empty list: all of them).

    Widths, heights, orientation and aspect ratio are evaluated per viewport; the
    user's preferences are the defaults (light scheme, motion allowed, no forced
    colours); queries we cannot evaluate match nothing.
    """
    sig = significant(tokens)
    if not sig:
        return ALL
    mask = 0
    for part in split_commas(sig):
        try:
            m = _query(significant(part))
        except (IndexError, AttributeError, TypeError, ValueError, ZeroDivisionError):
            m = None
        mask |= m or 0
    return mask


def media_attribute(value: str | None) -> int:
    if value is None or not value.strip():
        return ALL
    return media_mask(tinycss2.parse_component_value_list(value))


def _ident(t: Any) -> str | None:
    return t.lower_value if t.type == "ident" else None


def _query(tokens: list[Any]) -> int | None:
    if not tokens:
        return None
    i = 0
    negate = False
    first = _ident(tokens[0])
    if first in ("not", "only") and len(tokens) > 1 and tokens[1].type == "ident":
        negate = first == "not"
        i = 1
    kind = _ident(tokens[i])
    if kind is not None and kind not in ("not", "and", "or"):
        mask = _TYPES.get(kind, 0)
        rest = tokens[i + 1:]
        if rest:
            if _ident(rest[0]) != "and":
                return None
            cond = _condition(rest[1:])
            if cond is None:
                return None  # unknown stays unknown, even under "not"
            mask &= cond
        return (ALL & ~mask) if negate else mask
    return _condition(tokens)


def _condition(tokens: list[Any]) -> int | None:
    if not tokens:
        return None
    if _ident(tokens[0]) == "not":
        inner = _in_parens(tokens[1]) if len(tokens) == 2 else None
        return None if inner is None else ALL & ~inner
    values = [_in_parens(tokens[0])]
    ops = set()
    for j in range(1, len(tokens) - 1, 2):
        op = _ident(tokens[j])
        if op not in ("and", "or"):
            return None
        ops.add(op)
        values.append(_in_parens(tokens[j + 1]))
    if len(tokens) % 2 == 0 or len(ops) > 1:
        return None
    if ops == {"or"}:
        known = [v for v in values if v is not None]
        return None if not known else _or(known)
    if any(v == 0 for v in values):
        return 0
    if any(v is None for v in values):
        return None
    result = ALL
    for v in values:
        result &= v  # type: ignore[operator]
    return result


def _or(values: list[int]) -> int:
    out = 0
    for v in values:
        out |= v
    return out


def _in_parens(t: Any) -> int | None:
    if t.type == "function":  # unknown functional notation
        return None
    if t.type != "() block":
        return None
    content = significant(t.content)
    if not content:
        return None
    if content[0].type == "() block" or _ident(content[0]) == "not":
        return _condition(content)
    colon = next((k for k, c in enumerate(content) if c.type == "literal" and c.value == ":"),
                 None)
    if colon is not None:
        name = _ident(content[0])
        return None if name is None else _feature(name, content[colon + 1:])
    if len(content) == 1:
        name = _ident(content[0])
        return None if name is None else _feature(name, None)
    return _range(content)


_MEDIA_LC = LengthContext()


def _media_value(tokens: list[Any], name: str) -> float | None:
    if not tokens:
        return None
    if name.endswith("aspect-ratio"):
        nums = [float(t.value) for t in tokens if t.type == "number"]
        if len(nums) == 2 and nums[1]:
            return nums[0] / nums[1]
        return nums[0] if len(nums) == 1 else None
    if "resolution" in name or "pixel-ratio" in name:
        t = tokens[0]
        if t.type == "number":
            return float(t.value)
        if t.type == "dimension":
            unit = t.lower_unit
            return {"dppx": 1.0, "x": 1.0, "dpi": 1 / 96, "dpcm": 2.54 / 96}.get(unit, 0.0) * \
                float(t.value)
        return None
    if len(tokens) == 1:
        return length(tokens[0], _MEDIA_LC)
    return None


def _dimension(name: str, v: Viewport) -> float | None:
    if name in ("width", "device-width", "inline-size"):
        return float(v.width)
    if name in ("height", "device-height", "block-size"):
        return float(v.height)
    if name in ("aspect-ratio", "device-aspect-ratio"):
        return v.width / v.height
    if name in ("resolution", "device-pixel-ratio", "-webkit-device-pixel-ratio"):
        return 1.0
    return None


def _feature(name: str, value: list[Any] | None) -> int | None:
    prefix = ""
    base = name
    for p in ("min-", "max-", "-webkit-min-", "-webkit-max-", "min--moz-", "max--moz-"):
        if name.startswith(p):
            prefix = "min" if "min" in p else "max"
            base = name[len(p):]
            break
    if base.endswith("device-pixel-ratio"):
        base = "device-pixel-ratio"
    if _dimension(base, VIEWPORTS[0]) is not None:
        if value is None:
            return ALL
        target = _media_value(value, base)
        if target is None:
            return None
        out = 0
        for i, v in enumerate(VIEWPORTS):
            actual = _dimension(base, v)
            assert actual is not None
            ok = (actual >= target if prefix == "min" else actual <= target if prefix == "max"
                  else abs(actual - target) < 0.5)
            if ok:
                out |= 1 << i
        return out
    word = _ident(value[0]) if value else None
    if base == "orientation":
        if word == "portrait":
            return _mask(lambda v: v.height >= v.width)
        if word == "landscape":
            return _mask(lambda v: v.width > v.height)
        return None
    if base in ("hover", "any-hover"):
        return _HOVER if word in (None, "hover") else _NO_HOVER if word == "none" else None
    if base in ("pointer", "any-pointer"):
        return {"fine": _HOVER, "coarse": _COARSE, "none": PRINT, None: ALL & ~PRINT}.get(word)
    defaults = {  # what an ordinary visitor's browser reports
        "prefers-color-scheme": "light", "prefers-reduced-motion": "no-preference",
        "prefers-reduced-transparency": "no-preference", "prefers-reduced-data":
        "no-preference", "prefers-contrast": "no-preference", "forced-colors": "none",
        "inverted-colors": "none", "scripting": "enabled", "display-mode": "browser",
        "dynamic-range": "standard", "video-dynamic-range": "standard",
    }
    if base in defaults:
        if word is None:  # boolean context: true unless the default is a "none" value
            return 0 if defaults[base] in ("none", "no-preference") else ALL
        return ALL if word == defaults[base] else 0
    if base in ("color", "color-gamut"):
        return ALL if base == "color" or word == "srgb" else 0
    if base in ("monochrome", "grid"):
        return 0 if value is None else (ALL if _media_value(value, base) == 0 else 0)
    if base == "update":
        return {None: SCREEN, "fast": SCREEN, "none": PRINT}.get(word, 0)
    return None


_OPS = {"<", ">", "=", "<=", ">="}


def _range(content: list[Any]) -> int | None:
    """(width >= 768px), (400px < width <= 700px)."""
    items: list[Any] = []
    for t in content:
        if t.type == "literal" and t.value in "<>=":
            if items and isinstance(items[-1], str) and items[-1] in ("<", ">"):
                items[-1] += t.value
            else:
                items.append(t.value)
        else:
            items.append(t)
    name_at = next((k for k, t in enumerate(items) if not isinstance(t, str)
                    and _ident(t) is not None), None)
    if name_at is None or any(isinstance(t, str) and t not in _OPS for t in items):
        return None
    name = _ident(items[name_at])
    assert name is not None
    if _dimension(name, VIEWPORTS[0]) is None:
        return None
    comparisons: list[tuple[str, float, bool]] = []  # (op, value, value_on_left)
    if name_at == 2:
        v = _media_value([items[0]], name)
        if v is None:
            return None
        comparisons.append((items[1], v, True))
    elif name_at != 0:
        return None
    if len(items) == name_at + 3:
        v = _media_value([items[name_at + 2]], name)
        if v is None:
            return None
        comparisons.append((items[name_at + 1], v, False))
    elif len(items) != name_at + 1:
        return None
    if not comparisons:
        return None
    out = 0
    for i, vp in enumerate(VIEWPORTS):
        actual = _dimension(name, vp)
        assert actual is not None
        ok = True
        for op, value, left in comparisons:
            a, b = (value, actual) if left else (actual, value)
            ok = ok and {"<": a < b, ">": a > b, "=": a == b, "<=": a <= b, ">=": a >= b}[op]
        if ok:
            out |= 1 << i
    return out


# ---------------------------------------------------------------------------
# Selectors
# ---------------------------------------------------------------------------


class _Translator(HTMLTranslator):
    """cssselect's HTML translator, with a static page's view of dynamic pseudo-classes:
    :focus-within, :focus-visible, :popover-open, :user-invalid... never match (cssselect
    already treats :hover, :focus, :active, :target, :visited so); unknown functional
    pseudo-classes too."""

    def xpath_pseudo(self, pseudo: Pseudo) -> Any:
        method = getattr(self, "xpath_{}_pseudo".format(pseudo.ident.replace("-", "_")), None)
        if method is None:
            return self.pseudo_never_matches(self.xpath(pseudo.selector))
        return method(self.xpath(pseudo.selector))

    def xpath_function(self, function: Any) -> Any:
        method = getattr(self, "xpath_{}_function".format(function.name.replace("-", "_")),
                         None)
        if method is None:
            return self.pseudo_never_matches(self.xpath(function.selector))
        return method(self.xpath(function.selector), function)


_TRANSLATOR = _Translator()
# Pseudo-classes that describe an interaction or a state a static page never has.
NEVER = frozenset({"hover", "focus", "active", "visited", "target", "focus-within",
                   "focus-visible", "popover-open", "user-invalid", "user-valid", "open",
                   "modal", "fullscreen", "picture-in-picture", "playing", "paused",
                   "target-within", "current", "past", "future", "autofill",
                   "-webkit-autofill", "hover-within", "drop", "local-link"})


_PSEUDOS = frozenset({"root", "first-child", "last-child", "only-child", "link", "any-link"})


@dataclass(frozen=True, slots=True)
class Compound:
    """One compound selector the Python matcher handles: tag, ids, classes, attributes,
    a few structural pseudo-classes and :not() of such compounds."""

    tag: str | None
    ids: tuple[str, ...]
    classes: tuple[str, ...]
    attrs: tuple[tuple[str, str, str | None], ...] = ()  # (name, operator, value)
    pseudos: tuple[str, ...] = ()
    negations: tuple[Compound, ...] = ()

    def matches(self, el: Any) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.ids and (len(set(self.ids)) > 1 or el.get("id") != self.ids[0]):
            return False
        if self.classes:
            have = el.get("class")
            if not have:
                return False
            names = have.split()
            for c in self.classes:
                if c not in names:
                    return False
        for name, op, value in self.attrs:
            actual = el.get(name)
            if actual is None or not _attr_ok(actual, op, value or ""):
                return False
        for pseudo in self.pseudos:
            if not _pseudo_ok(el, pseudo):
                return False
        return all(not negation.matches(el) for negation in self.negations)


def _pseudo_ok(el: Any, pseudo: str) -> bool:
    if pseudo == "root":
        return el.getparent() is None
    if pseudo in ("link", "any-link"):
        return el.tag in ("a", "area", "link") and el.get("href") is not None
    if el.getparent() is None:
        return False
    first = last = True
    if pseudo in ("first-child", "only-child"):
        prev = el.getprevious()
        while prev is not None:
            if isinstance(prev.tag, str):
                first = False
                break
            prev = prev.getprevious()
    if pseudo in ("last-child", "only-child"):
        nxt = el.getnext()
        while nxt is not None:
            if isinstance(nxt.tag, str):
                last = False
                break
            nxt = nxt.getnext()
    return first and last


def _attr_ok(actual: str, op: str, value: str) -> bool:
    if op == "exists":
        return True
    if op == "=":
        return actual == value
    if op == "~=":
        return value in actual.split()
    if op == "|=":
        return actual == value or actual.startswith(value + "-")
    if op == "^=":
        return bool(value) and actual.startswith(value)
    if op == "$=":
        return bool(value) and actual.endswith(value)
    if op == "*=":
        return bool(value) and value in actual
    return False


@dataclass(slots=True)
class Selector:
    """One selector of a rule, compiled: what it needs, how to match it.

    Matching starts from the page's index (``key``: the rightmost compound's id, class
    or tag; ``("root", "")`` for :root): the Python matcher (``chain``) or, for what it
    does not handle, the XPath cssselect translates the selector to, evaluated on each
    candidate (one compound) or once on the whole document (``key`` None).
    """

    text: str
    specificity: tuple[int, int, int]
    required: frozenset[tuple[str, str]]  # ("c"|"i"|"t", name): must exist on the page
    key: tuple[str, str] | None  # index key of the rightmost compound, None: scan
    chain: tuple[tuple[str | None, Compound], ...] | None  # right to left, Python matcher
    xpath_source: str | None  # else XPath: "self::..." per candidate when key is set
    _xpath: Any = None
    trivial: bool = False  # the key alone decides (".menu"): every candidate matches

    def xpath(self) -> Any:
        if self._xpath is None and self.xpath_source is not None:
            self._xpath = etree.XPath(self.xpath_source, smart_strings=False)
        return self._xpath


def compile_selectors(prelude: Sequence[Any]) -> list[Selector]:
    """The selectors of a rule's prelude; the ones we cannot use are dropped: pseudo-
    elements (::before styles generated content, not the element), syntax cssselect
    does not know, states a static page is never in (:hover)."""
    out = []
    for part in split_commas(prelude):
        text = serialize(part)
        if not text:
            continue
        try:
            parsed = cssselect.parse(text)
        except cssselect.SelectorError:
            continue
        for sel in parsed:
            if sel.pseudo_element is not None:
                continue
            compiled = _compile(sel, text)
            if compiled is not None:
                out.append(compiled)
    return out


def _compile(sel: Any, text: str) -> Selector | None:
    node = sel.parsed_tree
    parts: list[tuple[str | None, Any]] = []
    while isinstance(node, CombinedSelector):
        parts.append((node.combinator, node.subselector))
        node = node.selector
    parts.append((None, node))
    chain: list[tuple[str | None, Compound | None]] = []
    required: set[tuple[str, str]] = set()
    simple = True
    key: tuple[str, str] | None = None
    for i, (combinator, compound) in enumerate(parts):
        c, keys, never, is_root = _compound(compound)
        if never:
            return None
        required |= keys
        if c is None or combinator not in (None, " ", ">"):
            simple = False
        chain.append((combinator, c))
        if i == 0:  # the rightmost compound: where matching starts
            ids = sorted(n for k, n in keys if k == "i")
            classes = sorted(n for k, n in keys if k == "c")
            tags = sorted(n for k, n in keys if k == "t")
            key = (("i", ids[0]) if ids else ("c", classes[-1]) if classes
                   else ("t", tags[0]) if tags else ("root", "") if is_root else None)
    spec = tuple(sel.specificity())
    if simple and key is not None:  # the Python matcher, from an index of the page
        python_chain = tuple((comb, c) for comb, c in chain if c is not None)
        only = python_chain[0][1]
        trivial = len(python_chain) == 1 and key[0] in ("c", "t") and not (
            only.ids or only.attrs or only.pseudos or only.negations) and (
            (key[0] == "c" and only.tag is None and len(set(only.classes)) == 1)
            or (key[0] == "t" and not only.classes))
        return Selector(text, spec, frozenset(required), key, python_chain, None,
                        trivial=trivial)
    one_compound = len(parts) == 1 and key is not None
    try:
        xpath_source = _TRANSLATOR.selector_to_xpath(
            sel, prefix="self::" if one_compound else "descendant-or-self::")
    except (ExpressionError, cssselect.SelectorError, TypeError, ValueError):
        return None
    return Selector(text, spec, frozenset(required), key if one_compound else None, None,
                    xpath_source)


def _compound(node: Any) -> tuple[Compound | None, set[tuple[str, str]], bool, bool]:
    """(Compound if the Python matcher handles it, required index keys, never matches,
    has :root)."""
    tag: str | None = None
    ids: list[str] = []
    classes: list[str] = []
    attrs: list[tuple[str, str, str | None]] = []
    pseudos: list[str] = []
    negations: list[Compound] = []
    keys: set[tuple[str, str]] = set()
    simple = True
    never = False
    is_root = False
    while True:
        if isinstance(node, Class):
            classes.append(node.class_name)
            keys.add(("c", node.class_name))
        elif isinstance(node, Hash):
            ids.append(node.id)
            keys.add(("i", node.id))
        elif isinstance(node, Attrib):
            value = node.value.value if node.value is not None else None
            if node.namespace or node.flag:
                simple = False
            else:
                attrs.append((node.attrib.lower(), node.operator, value))
        elif isinstance(node, Element):
            if node.element:
                tag = node.element.lower()
                keys.add(("t", tag))
            if node.namespace:
                simple = False
            break
        elif isinstance(node, Pseudo):
            if node.ident in NEVER:
                never = True
            elif node.ident in _PSEUDOS:
                pseudos.append(node.ident)
                is_root = is_root or node.ident == "root"
            else:
                simple = False
        elif isinstance(node, Negation):
            inner = node.subselector
            if isinstance(inner, Pseudo) and inner.ident in NEVER:
                pass  # :not(:focus): always true on a static page
            else:
                sub, _keys, sub_never, _root = _compound(inner)
                if sub_never:
                    pass
                elif sub is None or isinstance(inner, CombinedSelector):
                    simple = False
                else:
                    negations.append(sub)
        else:  # Function, Matching (:is), SpecificityAdjustment (:where), Relation (:has)
            simple = False
        node = getattr(node, "selector", None)
        if node is None:
            break
    compound = Compound(tag, tuple(ids), tuple(classes), tuple(attrs), tuple(pseudos),
                        tuple(negations)) if simple else None
    return compound, keys, never, is_root


def chain_matches(chain: tuple[tuple[str | None, Compound], ...], el: Any,
                  memo: dict[tuple[int, Any], bool] | None = None) -> bool:
    """Right-to-left matching of compounds joined by descendant (" ") and child (">")
    combinators, with backtracking.

    ``memo``: shared by the calls matching one selector against the elements of one page
    (see :func:`chain_select`), so that ``.pied a`` walks up from the 140 links of a page
    once per distinct ancestor, not once per link."""
    if not chain[0][1].matches(el):
        return False
    if len(chain) == 1:
        return True
    return _match_left(chain, 1, el, chain[0][0], memo)


def chain_select(chain: tuple[tuple[str | None, Compound], ...], candidates: Iterable[Any]
                 ) -> list[Any]:
    """The candidates a chain matches (:func:`chain_matches` with one memo for all)."""
    memo: dict[tuple[int, Any], bool] = {}
    return [e for e in candidates if chain_matches(chain, e, memo)]


def _match_left(chain: Any, i: int, el: Any, combinator: str | None,
                memo: dict[tuple[int, Any], bool] | None = None) -> bool:
    compound = chain[i][1]
    last = i + 1 == len(chain)
    if combinator == ">":
        parent = el.getparent()
        if parent is None or not compound.matches(parent):
            return False
        return last or _match_left(chain, i + 1, parent, chain[i][0], memo)
    if memo is None:
        memo = {}  # one element matched alone: the same walk, remembered for this call
    # memo[(i, node)]: node or one of its ancestors matches chain[i:]. Iterative: a page
    # nested 100,000 levels deep must not exhaust the recursion limit.
    path = []
    result = False
    node = el.getparent()
    while node is not None:
        got = memo.get((i, node))  # keyed by the element itself: it stays alive, ids too
        if got is not None:
            result = got
            break
        path.append(node)
        if compound.matches(node) and (last or _match_left(chain, i + 1, node, chain[i][0],
                                                           memo)):
            result = True
            break
        node = node.getparent()
    for n in path:
        memo[(i, n)] = result
    return result


# ---------------------------------------------------------------------------
# Declarations and stylesheets
# ---------------------------------------------------------------------------

# The longhands the engine reads; shorthands are mapped onto them below.
LONGHANDS = frozenset({
    "display", "visibility", "opacity", "font-size", "color", "background-color",
    "background-image", "text-indent", "position", "left", "top", "margin-left", "clip",
    "clip-path", "width", "height", "max-height", "overflow-x", "overflow-y", "transform",
    "content-visibility", "text-shadow"})
SHORTHANDS = {
    "font": ("font-size",),
    "background": ("background-color", "background-image"),
    "margin": ("margin-left",),
    "inset": ("top", "left"),
    "overflow": ("overflow-x", "overflow-y"),
    "-webkit-clip-path": ("clip-path",),
    "-webkit-transform": ("transform",),
    "-ms-transform": ("transform",),
}
INHERITED = frozenset({"color", "visibility", "font-size", "text-indent", "text-shadow"})


@dataclass(eq=False, slots=True)
class Declaration:
    prop: str  # a longhand of LONGHANDS, or a custom property (--x)
    value: tuple[Any, ...]  # tinycss2 component values, as written
    important: bool
    shorthand: str = ""  # the shorthand written, when the value must be expanded
    refs: frozenset[str] = frozenset()  # custom properties read by var()
    # Values resolved from this declaration (after var() and shorthand expansion), kept
    # for the next element and the next page: the engine's own memo, not data.
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    @property
    def text(self) -> str:
        name = self.shorthand or self.prop
        value = serialize(self.value)
        if len(value) > 80:
            value = value[:77] + "…"
        return f"{name}: {value}" + (" !important" if self.important else "")


def declarations(tokens: Sequence[Any]) -> list[Declaration]:
    """The declarations that matter here, from a block's (or a style attribute's) content."""
    out: list[Declaration] = []
    for d in tinycss2.parse_blocks_contents(tokens, skip_whitespace=True, skip_comments=True):
        if d.type != "declaration":
            continue
        name = d.lower_name
        value = tuple(t for t in d.value if t.type != "comment")
        # Strip white space at both ends (tinycss2 keeps it).
        while value and value[0].type == "whitespace":
            value = value[1:]
        while value and value[-1].type == "whitespace":
            value = value[:-1]
        if name.startswith("--"):
            out.append(Declaration(d.name, value, d.important, refs=frozenset(var_names(value))))
        elif name in LONGHANDS:
            out.append(Declaration(name, value, d.important, refs=frozenset(var_names(value))))
        elif name in SHORTHANDS:
            refs = frozenset(var_names(value))
            for longhand in SHORTHANDS[name]:
                out.append(Declaration(longhand, value, d.important, shorthand=name, refs=refs))
    return out


@lru_cache(maxsize=4096)
def inline_declarations(style: str) -> tuple[Declaration, ...]:
    """A style="" attribute, parsed once per distinct text."""
    return tuple(declarations(tinycss2.parse_component_value_list(style)))


@dataclass(slots=True)
class Rule:
    selectors: list[Selector]
    decls: list[Declaration]  # longhands that decide visibility
    customs: list[Declaration]  # custom properties, used only when a var() reads them
    line: int
    mask: int  # viewports the rule applies to
    order: int  # position in its sheet


@dataclass(slots=True)
class Sheet:
    """A compiled stylesheet: only the rules that can matter for visibility."""

    rules: list[Rule]
    imports: list[tuple[str, int]]  # (href as written, media mask) of @import rules
    var_refs: frozenset[str]  # custom properties read by the visibility declarations
    custom_refs: dict[str, frozenset[str]] = field(default_factory=dict)  # --a -> {--b}
    # Selectors by the index key of their rightmost compound (None: the whole document),
    # in source order: a page looks up only the keys it has.
    by_key: dict[tuple[str, str] | None, list[tuple[Rule, Selector]]] = field(
        default_factory=dict)


def compile_sheet(text: str) -> Sheet:
    """Compile a stylesheet's text; cached, so a site's sheet is compiled once per crawl."""
    return _compile_sheet(text)


@lru_cache(maxsize=256)
def _compile_sheet(text: str) -> Sheet:
    rules: list[Rule] = []
    imports: list[tuple[str, int]] = []
    parsed = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    _rules(parsed, ALL, rules, imports, top=True)
    var_refs: set[str] = set()
    custom_refs: dict[str, set[str]] = {}
    for r in rules:
        for d in r.decls:
            var_refs |= d.refs
        for d in r.customs:
            custom_refs.setdefault(d.prop, set()).update(d.refs)
    by_key: dict[tuple[str, str] | None, list[tuple[Rule, Selector]]] = {}
    for r in rules:
        for sel in r.selectors:
            by_key.setdefault(sel.key, []).append((r, sel))
    return Sheet(rules, imports, frozenset(var_refs),
                 {k: frozenset(v) for k, v in custom_refs.items()}, by_key)


def _rules(nodes: Iterable[Any], mask: int, out: list[Rule], imports: list[tuple[str, int]],
           top: bool = False) -> None:
    for node in nodes:
        if node.type == "qualified-rule":
            decls = declarations(node.content)
            if not decls:
                continue
            selectors = compile_selectors(node.prelude)
            if not selectors:
                continue
            customs = [d for d in decls if d.prop.startswith("--")]
            longhands = [d for d in decls if not d.prop.startswith("--")]
            out.append(Rule(selectors, longhands, customs, node.source_line, mask, len(out)))
        elif node.type == "at-rule":
            kw = node.lower_at_keyword
            if kw == "media" and node.content is not None:
                inner = mask & media_mask(node.prelude)
                if inner:
                    _rules(tinycss2.parse_rule_list(node.content, skip_comments=True,
                                                    skip_whitespace=True), inner, out, imports)
            elif kw in ("supports", "layer", "document", "-moz-document") and \
                    node.content is not None:
                # @supports: assume a current browser supports what is tested; @layer:
                # layer order is not modelled (source order stands).
                _rules(tinycss2.parse_rule_list(node.content, skip_comments=True,
                                                skip_whitespace=True), mask, out, imports)
            elif kw == "import" and top:
                prelude = significant(node.prelude)
                if not prelude:
                    continue
                first = prelude[0]
                href = None
                if first.type in ("string", "url"):
                    href = first.value
                elif first.type == "function" and first.lower_name == "url":
                    args = significant(first.arguments)
                    href = args[0].value if args and args[0].type == "string" else None
                if href is None:
                    continue
                rest = [t for t in prelude[1:]
                        if not (t.type == "function" and t.lower_name in ("layer", "supports"))
                        and not (t.type == "ident" and t.lower_value == "layer")]
                imports.append((href, mask & media_mask(rest)))
            # @font-face, @keyframes, @page, @container, @scope...: nothing visible here


def import_urls(text: str, sheet_url: str) -> list[str]:
    """Absolute URLs of a stylesheet's @import rules (for the crawler to fetch)."""
    urls = (absolute_css_url(sheet_url, href) for href, _ in compile_sheet(text).imports)
    return [u for u in urls if u]


def absolute_css_url(base: str, href: str) -> str | None:
    try:
        url = urljoin(base, href.strip())
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url.split("#", 1)[0]


def sheet_label(url: str) -> str:
    """A short name for evidence: the stylesheet's file name and its folder
    (css/style.css, astra/style.css), or the host for a sheet at the root."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    return "/".join(segments[-2:]) or parts.netloc or url


# ---------------------------------------------------------------------------
# Reading declaration values
# ---------------------------------------------------------------------------

def keyword(tokens: Sequence[Any]) -> str | None:
    sig = significant(tokens)
    if len(sig) == 1 and sig[0].type == "ident":
        return sig[0].lower_value
    return None


def expand(shorthand: str, prop: str, tokens: Sequence[Any]) -> list[Any] | None:
    """The tokens of one longhand inside a shorthand's value (None: not set by it)."""
    sig = significant(tokens)
    word = keyword(sig)
    if word in ("inherit", "initial", "unset", "revert", "revert-layer"):
        return list(sig)
    if shorthand == "font":
        for i, t in enumerate(sig):
            if t.type in ("dimension", "percentage") or (t.type == "number" and t.value == 0) \
                    or (t.type == "ident" and t.lower_value in FONT_KEYWORDS) or \
                    (t.type == "function" and t.lower_name in ("calc", "clamp", "min", "max")):
                # The size comes before "/line-height" and the family.
                if i + 1 < len(sig) and sig[i + 1].type == "literal" and sig[i + 1].value != "/":
                    continue
                return [t]
        return None
    if shorthand == "background":
        layers = split_commas(tokens)
        last = significant(layers[-1])
        if prop == "background-color":
            for t in last:
                c = color([t])
                if c is not None:
                    return [t]
            return [tinycss2.ast.IdentToken(0, 0, "transparent")]
        images = [t for layer in layers for t in significant(layer)
                  if (t.type == "url") or (t.type == "function" and (
                      t.lower_name in ("url", "image-set", "-webkit-image-set", "image",
                                       "element", "cross-fade")
                      or t.lower_name.endswith("gradient")))]
        return images[:1] or [tinycss2.ast.IdentToken(0, 0, "none")]
    if shorthand in ("margin", "inset"):
        n = len(sig)
        if not 1 <= n <= 4:
            return None
        if prop in ("margin-left", "left"):
            return [sig[{1: 0, 2: 1, 3: 1, 4: 3}[n]]]
        return [sig[0]]  # top
    if shorthand == "overflow":
        if not sig:
            return None
        return [sig[1]] if prop == "overflow-y" and len(sig) > 1 else [sig[0]]
    return list(sig)  # vendor-prefixed aliases


def iter_functions(tokens: Sequence[Any]) -> Iterator[Any]:
    for t in tokens:
        if t.type == "function":
            yield t


def is_tiny_clip(tokens: Sequence[Any]) -> bool:
    """clip: rect(0 0 0 0) / rect(1px, 1px, 1px, 1px): nothing of the box is shown."""
    sig = significant(tokens)
    if len(sig) != 1 or sig[0].type != "function" or sig[0].lower_name != "rect":
        return False
    values = [t for t in significant(sig[0].arguments) if t.type != "literal"]
    px = [length(t, _MEDIA_LC) for t in values]
    if len(px) != 4 or any(v is None for v in px):
        return False
    top, right, bottom, left = px  # type: ignore[misc]
    return (bottom - top) <= 1 and (right - left) <= 1  # type: ignore[operator]


def is_empty_clip_path(tokens: Sequence[Any]) -> bool:
    """clip-path: inset(50%) / inset(100%) / circle(0) / polygon(0 0, 0 0, 0 0)."""
    sig = significant(tokens)
    if len(sig) != 1 or sig[0].type != "function":
        return False
    fn = sig[0]
    args = [t for t in significant(fn.arguments) if t.type != "literal"]
    if fn.lower_name == "inset":
        first = args[0] if args else None
        if first is not None and first.type == "percentage":
            return float(first.value) >= 50
        return False
    if fn.lower_name in ("circle", "ellipse"):
        first = args[0] if args else None
        return first is not None and first.type in ("number", "dimension", "percentage") and \
            float(first.value) == 0
    if fn.lower_name == "polygon":
        nums = [t for t in args if t.type in ("number", "dimension", "percentage")]
        return bool(nums) and all(float(t.value) == 0 for t in nums)
    return False


def transform_offset(tokens: Sequence[Any], lc: LengthContext) -> tuple[float, bool]:
    """(most negative translation in px, scaled to nothing) of a transform value."""
    worst = 0.0
    zero = False
    for fn in iter_functions(significant(tokens)):
        name = fn.lower_name
        args = [t for t in significant(fn.arguments) if t.type != "literal"]
        if name in ("translate", "translatex", "translatey", "translate3d"):
            for t in args[:2]:
                v = length(t, lc)
                if v is not None:
                    worst = min(worst, v)
        elif name in ("scale", "scalex", "scaley", "scale3d"):
            nums = [float(t.value) for t in args if t.type == "number"]
            if nums and any(n == 0 for n in nums[:2]):
                zero = True
    return worst, zero


def viewport_dependent(tokens: Iterable[Any]) -> bool:
    """Whether a value uses viewport units (vw, vh...), so differs from width to width."""
    for t in tokens:
        if t.type == "dimension" and t.lower_unit.endswith(("vw", "vh", "vmin", "vmax", "vi",
                                                              "vb")):
            return True
        if t.type == "function" and viewport_dependent(t.arguments):
            return True
        if t.type == "() block" and viewport_dependent(t.content):
            return True
    return False


def number(tokens: Sequence[Any]) -> float | None:
    sig = significant(tokens)
    if len(sig) != 1:
        return None
    t = sig[0]
    if t.type == "number":
        return float(t.value)
    if t.type == "percentage":
        return float(t.value) / 100
    return None

