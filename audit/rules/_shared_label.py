"""The common part of the rules that want one label per page (duplicate-title,
duplicate-meta-description): group indexable pages by the label, one finding per group.

A page is compared when engines may index it under its own URL: not ``noindex``, and its
canonical names itself. A canonical naming the page's own path on another host (a copy
audited on 127.0.0.1 or a staging host whose canonicals name the production domain) counts
as naming itself when that host is one of the site's names (``site.aliases``, or the host
most pages' canonicals name: audit.site_hosts); that is known only once every page has
been seen, so such pages are decided in ``finish``.

When no page could be compared, the check could not run: no score (not a 100 that would
read "all unique"), and one line in the Summary's notes saying why — a limit of the
audit, not a finding against the client.
"""

from __future__ import annotations

from collections.abc import Iterator

from audit.context import Context
from audit.rule import Msg, Outcome, Score, SiteRule
from audit.site_hosts import own_path_on, site_hosts
from audit.text.duplicates import LabelGroups, is_noindex
from spiders.items import PageItem


class SharedLabelRule(SiteRule):
    """A site rule finding indexable pages that share a label; every page of a group
    scores 50 (a warning), the finding goes on the first page crawled."""

    # The note's subject when nothing could be compared.
    not_checked = Msg("Libellés en double non vérifiés", "Duplicate labels not checked")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.groups = LabelGroups()
        self.hosts: list[str] = []  # tag - 1 -> the other host a page's canonical names
        self.scored: list[tuple[str, int]] = []  # (url, tag) of every page compared

    def label(self, page: PageItem) -> str | None:
        raise NotImplementedError

    def message(self, pages: int, label: str) -> Msg:
        raise NotImplementedError

    def applies(self, page: PageItem) -> bool:
        if not page.ok or is_noindex(page):
            return False
        canonical = page.canonical
        return not canonical or canonical == page.url or bool(own_path_on(canonical, page.url))

    def collect(self, page: PageItem, ctx: Context) -> None:
        tag = 0
        canonical = page.canonical
        if canonical and canonical != page.url:  # its path on another host: decided at the end
            host = own_path_on(canonical, page.url)
            if host not in self.hosts:
                self.hosts.append(host)
            tag = self.hosts.index(host) + 1
        self.scored.append((page.url, tag))
        self.groups.add(page.url, self.label(page), tag)

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        hosts = site_hosts(ctx)
        site = {i + 1 for i, h in enumerate(self.hosts) if h in hosts.aliases
                or h == hosts.production}

        def keep(tag: int) -> bool:
            return tag == 0 or tag in site

        compared = [url for url, tag in self.scored if keep(tag)]
        if not compared and hosts.pages:  # pages to compare, none indexable as itself
            yield from self._not_run(ctx, hosts.pages)
            return
        if site:
            hosts.note_production(ctx)
        for url, tag in self.scored:
            if not keep(tag):
                yield Score(url, None)  # its canonical names another site: not compared
        for text, urls in self.groups.shared(keep):
            yield self.finding(urls[0], "duplicate", self.message(len(urls), text),
                               evidence=text, related=urls[1:])
            for url in urls:
                yield Score(url, 50.0)
        self.groups.clear()
        self.scored.clear()

    def _not_run(self, ctx: Context, pages: int) -> Iterator[Outcome]:
        """No page could be compared: no score, one note."""
        for url, _tag in self.scored:
            yield Score(url, None)
        self.groups.clear()
        self.scored.clear()
        ctx.note(Msg(
            "{w} : aucune des {n} pages n’est indexable sous sa propre adresse (noindex, ou "
            "balise canonical désignant une autre URL) ; pas de score pour cette règle.",
            "{w_en}: none of the {n} pages is indexable under its own address (noindex, or "
            "a canonical tag naming another URL); no score for this rule."
        ).format(w=self.not_checked.fr, w_en=self.not_checked.en, n=pages))
        yield Score(None, None)
