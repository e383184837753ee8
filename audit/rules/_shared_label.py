"""The common part of the rules that want one label per page (duplicate-title,
duplicate-meta-description): group indexable pages by the label, one finding per group."""

from __future__ import annotations

from collections.abc import Iterator

from audit.context import Context
from audit.rule import Msg, Outcome, Score, SiteRule
from audit.text.duplicates import LabelGroups, indexable
from spiders.items import PageItem


class SharedLabelRule(SiteRule):
    """A site rule finding indexable pages that share a label; every page of a group
    scores 50 (a warning), the finding goes on the first page crawled."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.groups = LabelGroups()

    def label(self, page: PageItem) -> str | None:
        raise NotImplementedError

    def message(self, pages: int, label: str) -> Msg:
        raise NotImplementedError

    def applies(self, page: PageItem) -> bool:
        return page.ok and indexable(page)

    def collect(self, page: PageItem, ctx: Context) -> None:
        self.groups.add(page.url, self.label(page))

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        for text, urls in self.groups.shared():
            yield self.finding(urls[0], "duplicate", self.message(len(urls), text),
                               evidence=text, related=urls[1:])
            for url in urls:
                yield Score(url, 50.0)
        self.groups.clear()
