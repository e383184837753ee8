"""Word lists of trades that no language dictionary holds, shipped as package data.

``software.txt``: the software trade's terms, tools, companies and libraries (« hbase »,
« docstring », « mixins », « conda »), from the cspell dictionaries (MIT; ``build.py``
rebuilds it from pinned versions, see README.md). Loaded once per process, on first use.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def software_terms() -> frozenset[str]:
    """The software trade's words, in lower case."""
    text = files(__package__).joinpath("software.txt").read_text(encoding="utf-8")
    return frozenset(w for w in text.splitlines() if w and not w.startswith("#"))


__all__ = ["software_terms"]
