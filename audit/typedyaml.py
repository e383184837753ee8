"""YAML → typed dataclasses, with errors that name the file, the line and the key.

PyYAML's ``compose`` keeps each node's position; we build plain Python values from
the node tree ourselves and remember where every key and value stood, so that a
validation error deep inside ``rules.title.max_length`` can still say
``configs/acme.yaml:42``. Duplicate keys are errors (PyYAML silently keeps the last).
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

KeyPath = tuple[str | int, ...]


class ConfigError(Exception):
    """A bad configuration: carries the file, line and dotted key for the message."""

    def __init__(self, file: str | Path, line: int | None, key: str, message: str):
        self.file = str(file)
        self.line = line
        self.key = key
        self.message = message
        where = f"{self.file}:{line}" if line else self.file
        super().__init__(f"{where}: {key + ': ' if key else ''}{message}")


@dataclasses.dataclass
class Document:
    """A parsed YAML file: the data and where each key path was written."""

    path: Path
    data: Any
    lines: dict[KeyPath, int]

    def line(self, keypath: KeyPath) -> int | None:
        # Fall back to the nearest parent that has a position.
        while keypath:
            if keypath in self.lines:
                return self.lines[keypath]
            keypath = keypath[:-1]
        return self.lines.get((), None)

    def error(self, keypath: KeyPath, message: str) -> ConfigError:
        return ConfigError(self.path, self.line(keypath), dotted(keypath), message)


def dotted(keypath: KeyPath) -> str:
    out = ""
    for part in keypath:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# A client file is a few kilobytes; long keyword lists belong in a CSV (keywords.file).
# Composing YAML costs ~4 s a megabyte: refuse before, not after, a minute of work.
MAX_FILE_BYTES = 2_000_000
# Values built from one document, aliases expanded: far above any real client file, far
# below what an alias bomb ("billion laughs": nine aliases of nine...) expands to.
MAX_VALUES = 200_000


def load_document(path: str | Path) -> Document:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ConfigError(path, None, "", f"file too large ({size / 1e6:.1f} MB; a client "
                              f"file is at most {MAX_FILE_BYTES / 1e6:g} MB — put long keyword "
                              "lists in a CSV named by keywords.file)")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, None, "", "file not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, None, "", f"not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise ConfigError(path, None, "", exc.strerror or str(exc)) from None
    return parse_document(text, path)


def parse_document(text: str, path: str | Path = "<string>") -> Document:
    path = Path(path)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ConfigError(path, line, "", f"invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(path, None, "", f"invalid YAML: {exc}") from None
    lines: dict[KeyPath, int] = {}
    if node is None:
        return Document(path, {}, {(): 1})
    data = _build(node, (), lines, path, [MAX_VALUES])
    return Document(path, data, lines)


_SCALAR = yaml.SafeLoader("")  # a constructor for scalar tags (int, float, bool, null...)


def _build(node: yaml.Node, keypath: KeyPath, lines: dict[KeyPath, int], path: Path,
           budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:  # an alias (*name) repeats its anchor's whole node each time it is used
        raise ConfigError(path, node.start_mark.line + 1, dotted(keypath),
                          f"more than {MAX_VALUES:,} values once YAML aliases (*name) are "
                          "expanded: refused (an alias bomb?)")
    lines.setdefault(keypath, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise ConfigError(path, key_node.start_mark.line + 1, dotted(keypath),
                                  "YAML merge keys (<<) are not supported")
            key = _build(key_node, (*keypath, "?"), {}, path, budget)
            if not isinstance(key, str | int | float | bool):
                raise ConfigError(path, key_node.start_mark.line + 1, dotted(keypath),
                                  "a mapping key must be a plain value")
            key = str(key)
            child = (*keypath, key)
            if key in out:
                raise ConfigError(path, key_node.start_mark.line + 1, dotted(child),
                                  "duplicate key")
            lines[child] = key_node.start_mark.line + 1
            out[key] = _build(value_node, child, lines, path, budget)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*keypath, i), lines, path, budget)
                for i, item in enumerate(node.value)]
    return _SCALAR.construct_object(node, deep=True)


# ---------------------------------------------------------------------------
# Typed conversion
# ---------------------------------------------------------------------------

Check = Callable[[Any], str | None]  # returns an error message, or None when fine


def checked(fn: Check, **kwargs: Any) -> Any:
    """A dataclass field with a value check: ``x: int = checked(at_least(1), default=8)``."""
    metadata = {"check": fn}
    return dataclasses.field(metadata=metadata, **kwargs)


def at_least(low: float) -> Check:
    return lambda v: None if v >= low else f"must be at least {low:g} (got {v})"


def between(low: float, high: float) -> Check:
    return lambda v: None if low <= v <= high else f"must be between {low:g} and {high:g} (got {v})"


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return " | ".join(repr(a) for a in typing.get_args(tp))
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(tp))
    if origin is list:
        return f"a list of {_type_name(typing.get_args(tp)[0])}"
    if origin is dict:
        return "a mapping"
    if dataclasses.is_dataclass(tp):
        return "a mapping"
    return {str: "text", int: "a whole number", float: "a number", bool: "true or false",
            type(None): "null"}.get(tp, getattr(tp, "__name__", str(tp)))


# No option, limit or budget of a client file is near 10¹⁵ (a page count, a price, a
# percentage): a 40-digit integer is a typo, and .inf/.nan would disable a check silently.
MAX_NUMBER = 10**15


def convert(doc: Document, tp: Any, value: Any, keypath: KeyPath) -> Any:
    """Convert ``value`` (plain YAML data) into ``tp``, raising ConfigError with position."""
    origin = typing.get_origin(tp)
    if tp is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        errors: list[tuple[Any, ConfigError]] = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return convert(doc, arg, value, keypath)
            except ConfigError as exc:
                errors.append((arg, exc))
        # A mapping given where "text or {url, feed}" is allowed: the mapping's own
        # error (an unknown key...) says more than "expected text or a mapping".
        for arg, exc in errors:
            if _same_shape(arg, value):
                raise exc
        raise doc.error(keypath, f"expected {_type_name(tp)}, got {_show(value)}")
    if origin is typing.Literal:
        choices = typing.get_args(tp)
        if value in choices:
            return value
        hint = did_you_mean(str(value), [str(c) for c in choices])
        raise doc.error(keypath, f"expected one of {_type_name(tp)}, got {_show(value)}{hint}")
    if origin is list:
        (item_tp,) = typing.get_args(tp)
        if isinstance(value, str | int | float) and not isinstance(value, bool) and item_tp is str:
            value = [str(value)]  # a single value where a list is expected: be kind
        if not isinstance(value, list):
            raise doc.error(keypath, f"expected {_type_name(tp)}, got {_show(value)}")
        return [convert(doc, item_tp, v, (*keypath, i)) for i, v in enumerate(value)]
    if origin is dict:
        _key_tp, value_tp = typing.get_args(tp)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise doc.error(keypath, f"expected a mapping, got {_show(value)}")
        return {k: convert(doc, value_tp, v, (*keypath, k)) for k, v in value.items()}
    if dataclasses.is_dataclass(tp):
        return build_dataclass(doc, tp, value, keypath)
    if tp is bool:
        if isinstance(value, bool):
            return value
    elif tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > MAX_NUMBER:
                raise doc.error(keypath, f"number too large ({_show(value)[:24]}…)")
            return value
    elif tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                raise doc.error(keypath, f"expected a finite number, got {_show(value)}")
            if abs(value) > MAX_NUMBER:
                raise doc.error(keypath, f"number too large ({_show(value)[:24]}…)")
            return float(value)
    elif tp is str:
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
    else:
        raise TypeError(f"unsupported config type {tp!r}")
    raise doc.error(keypath, f"expected {_type_name(tp)}, got {_show(value)}")


def build_dataclass(doc: Document, cls: Any, value: Any, keypath: KeyPath) -> Any:
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise doc.error(keypath, f"expected a mapping, got {_show(value)}")
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls) if f.init}
    for key in value:
        if key not in known:
            hint = did_you_mean(key, list(known))
            raise doc.error((*keypath, key), f"unknown key{hint}")
    kwargs = {}
    for name, fld in known.items():
        child = (*keypath, name)
        if name not in value:
            if fld.default is dataclasses.MISSING and fld.default_factory is dataclasses.MISSING:
                raise doc.error(keypath, f"missing required key '{name}'")
            continue
        converted = convert(doc, hints[name], value[name], child)
        checker = fld.metadata.get("check")
        if checker is not None and converted is not None:
            problem = checker(converted)
            if problem:
                raise doc.error(child, problem)
        kwargs[name] = converted
    try:
        return cls(**kwargs)
    except ValueError as exc:  # a check across fields (__post_init__): slow < very slow...
        raise doc.error(keypath, str(exc)) from None


def _same_shape(tp: Any, value: Any) -> bool:
    """Whether ``value`` is the kind of YAML node ``tp`` is built from (mapping, list)."""
    if isinstance(value, dict):
        return dataclasses.is_dataclass(tp) or typing.get_origin(tp) is dict
    if isinstance(value, list):
        return typing.get_origin(tp) is list
    return False


def _show(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def did_you_mean(word: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
