from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from audit.context import Context
from audit.numbering import Numbering
from audit.rule import Code, Msg, Outcome, Score, Severity, SiteRule
from audit.typedyaml import at_least, checked
from spiders.items import PageItem


class BrokenLink(SiteRule):
    """Internal links lead straight to a working page: no 4xx/5xx, no redirect on the way.

    **Why it matters**: a broken link wastes the visitor's click and the authority the
    link would pass; engines that keep meeting dead ends crawl less. Links to a
    redirect work but cost a hop each time (and lose a little of what they pass);
    chains and loops are worse.

    **Bad**: ``<a href="/blog/strategie-2019">`` on ten pages when that article now
    answers 404; a menu link to ``/offres`` → 301 ``/offres-2023`` → 301 ``/tarifs``.

    **Good**: every internal ``href`` points at the final URL that answers 200.

    One finding per linking page and target, with the anchor text; the page score
    loses ``broken_penalty`` points per broken target and ``chain_penalty`` per
    redirect chain.
    """

    id = "broken-link"
    category = "seo"
    weight = 2.0
    title = Msg("Liens internes valides", "Internal links work")
    description = Msg(
        "Vérifie que les liens internes mènent à une page qui répond 200, sans redirection.",
        "Checks that internal links lead to a page answering 200, without redirects.")
    codes = {
        "broken": Code(Severity.ERROR, Msg("Lien interne cassé", "Broken internal link")),
        "redirect-loop": Code(Severity.ERROR, Msg("Lien vers une boucle de redirections",
                                                  "Link into a redirect loop")),
        "redirect-chain": Code(Severity.WARNING, Msg("Lien vers une chaîne de redirections",
                                                     "Link to a redirect chain")),
        "redirect": Code(Severity.NOTICE, Msg("Lien vers une URL redirigée",
                                              "Link to a redirected URL")),
    }

    @dataclass(frozen=True)
    class Options:
        broken_penalty: float = checked(at_least(0), default=25.0)
        chain_penalty: float = checked(at_least(0), default=5.0)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Kept small (~140 links a page, 100,000 pages): a link is kept only while its
        # target's answer is unknown, filed under the target, and dropped as soon as the
        # target is crawled and answers 200. What remains at the end are the links to
        # redirects, errors and pages never fetched: the ones to judge. Numbers, not
        # strings: URLs and anchors repeat (menus, footers).
        self._urls: Numbering[str] = Numbering()
        self._anchors: Numbering[str] = Numbering()
        self._sources: list[int] = []  # pages with links kept, in crawl order
        self._listed: set[int] = set()  # the same, as a set
        # target -> its links as (source's place in _sources, link's place on the page,
        # anchor) triples
        self._pending: dict[int, array[int]] = {}

    def collect(self, page: PageItem, ctx: Context) -> None:
        # This page answers 200 (the rule applies to such pages only): links to it are fine.
        self._pending.pop(self._urls.ids.get(page.url, -1), None)
        seen: dict[str, str] = {}
        known = ctx.urls
        for link in page.links:
            url = link.url
            if link.internal and url != page.url and url not in seen:
                info = known.get(url)
                # Answered 200 already: nothing to report however the crawl goes on.
                if info is None or info.status is None or not 200 <= info.status < 300:
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

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        # The links still kept, back in crawl order: by page, then as written on it.
        kept = sorted((links[i], links[i + 1], target, links[i + 2])
                      for target, links in self._pending.items()
                      for i in range(0, len(links), 3))
        self._pending.clear()
        for source_place, group in groupby(kept, key=itemgetter(0)):
            source = self._urls.values[self._sources[source_place]]
            broken = chains = found = 0
            for _, _, target_id, anchor_id in group:
                target = self._urls.values[target_id]
                anchor = self._anchors.values[anchor_id]
                if target not in ctx.urls:
                    continue  # never fetched (page budget): unknown, not broken
                status, final, hops = ctx.final_status(target)
                shown_anchor = anchor or "—"
                if hops and final in hops:
                    broken += 1
                    found += 1
                    yield self.finding(source, "redirect-loop", Msg(
                        "Le lien « {a} » mène à une boucle de redirections.",
                        "The link '{a}' leads into a redirect loop.").format(a=shown_anchor),
                        evidence=" → ".join([*hops, final]), related=[target])
                    continue
                info = ctx.urls.get(final)
                failed = status is None and info is not None and info.error != "robots.txt"
                if failed or (status is not None and status >= 400):
                    broken += 1
                    code = f"HTTP {status}" if status else (info.error if info else "")
                    found += 1
                    yield self.finding(source, "broken", Msg(
                        "Lien cassé « {a} » vers {t} ({c}).",
                        "Broken link '{a}' to {t} ({c}).").format(a=shown_anchor, t=final, c=code),
                        evidence=f"{shown_anchor} → {target} ({code})",
                        related=[target] if final == target else [target, final])
                elif len(hops) >= 2:
                    chains += 1
                    found += 1
                    yield self.finding(source, "redirect-chain", Msg(
                        "Le lien « {a} » passe par {n} redirections avant {t}.",
                        "The link '{a}' goes through {n} redirects before {t}.").format(
                            a=shown_anchor, n=len(hops), t=final),
                        evidence=" → ".join([*hops, final]), related=[target])
                elif hops:
                    found += 1
                    yield self.finding(source, "redirect", Msg(
                        "Le lien « {a} » pointe vers une URL redirigée : visez {t}.",
                        "The link '{a}' points at a redirected URL: link to {t}.").format(
                            a=shown_anchor, t=final),
                        evidence=" → ".join([*hops, final]), related=[target])
            penalty = broken * self.options.broken_penalty + chains * self.options.chain_penalty
            if found:  # a page without findings keeps the default 100
                yield Score(source, max(0.0, 100.0 - penalty))
        self._sources.clear()
        self._listed.clear()

