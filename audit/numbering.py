"""Distinct values numbered in order of arrival: site-wide state kept as small ints."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class Numbering(Generic[T]):
    """Each distinct value gets the next number (0, 1, 2...); ``values[n]`` gives it back.

    Site rules keep numbers in arrays instead of strings and tuples in lists: URLs,
    anchors and phrases repeat from page to page (menus, footers, topics)."""

    def __init__(self) -> None:
        self.ids: dict[T, int] = {}
        self.values: list[T] = []

    def id(self, value: T) -> int:
        number = self.ids.get(value)
        if number is None:
            number = self.ids[value] = len(self.values)
            self.values.append(value)
        return number

    def __len__(self) -> int:
        return len(self.values)
