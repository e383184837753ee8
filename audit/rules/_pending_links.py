"""The internal links a site rule judges once the crawl is over (broken-link, redirects).

Kept small (~140 links a page, 100,000 pages): a link is kept only while its target's
answer may still matter, filed under the target, and dropped as soon as the target is
known to be fine (``settle``). What remains at the end are the links to judge. Numbers,
not strings: URLs and anchors repeat (menus, footers).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from itertools import groupby
from operator import itemgetter

from audit.numbering import Numbering
from spiders.items import PageItem


class PendingLinks:
    def __init__(self) -> None:
        self._urls: Numbering[str] = Numbering()
        self._anchors: Numbering[str] = Numbering()
        self._sources: list[int] = []  # pages with links kept, in crawl order
        self._listed: set[int] = set()  # the same, as a set
        # target -> its links as (source's place in _sources, link's place on the page,
        # anchor) triples
        self._pending: dict[int, array[int]] = {}

    def settle(self, url: str) -> None:
        """``url`` is fine (answered 200...): links to it need no judging."""
        self._pending.pop(self._urls.ids.get(url, -1), None)

    def add(self, page: PageItem, keep: Callable[[str], bool]) -> None:
        """Keep the page's internal links (one per target, the first anchor) whose target
        ``keep`` says may need judging."""
        seen: dict[str, str] = {}
        for link in page.links:
            url = link.url
            if link.internal and url != page.url and url not in seen and keep(url):
                seen[url] = link.text
        if not seen:
            return
        page_id = self._urls.id(page.url)
        if page_id in self._listed:
            return  # a page recorded twice is judged once
        self._listed.add(page_id)
        source = len(self._sources)
        self._sources.append(page_id)
        for place, (url, text) in enumerate(seen.items()):
            target = self._urls.id(url)
            links = self._pending.get(target)
            if links is None:
                links = self._pending[target] = array("i")
            links.extend((source, place, self._anchors.id(text[:200])))

    def drain(self) -> Iterator[tuple[str, list[tuple[str, str]]]]:
        """The links still kept, in crawl order: (source page, [(target, anchor)...] as
        written on it); the store is emptied."""
        kept = sorted((links[i], links[i + 1], target, links[i + 2])
                      for target, links in self._pending.items()
                      for i in range(0, len(links), 3))
        self._pending.clear()
        for source_place, group in groupby(kept, key=itemgetter(0)):
            yield (self._urls.values[self._sources[source_place]],
                   [(self._urls.values[t], self._anchors.values[a]) for _, _, t, a in group])
        self._sources.clear()
        self._listed.clear()
