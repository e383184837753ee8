from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from audit.context import Context
from audit.rule import Code, Msg, Outcome, Score, Severity, SiteRule
from audit.rules._pending_links import PendingLinks
from audit.typedyaml import at_least, checked
from spiders.items import PageItem


class BrokenLink(SiteRule):
    """Internal links lead to a working page: no 4xx/5xx, no redirect loop on the way.

    **Why it matters**: a broken link wastes the visitor's click and the authority the
    link would pass; engines that keep meeting dead ends crawl less.

    **Bad**: ``<a href="/blog/strategie-2019">`` on ten pages when that article now
    answers 404; a link into ``/a`` → 302 ``/b`` → 302 ``/a`` (the browser gives up).

    **Good**: every internal ``href`` points at a URL that answers 200.

    One finding per linking page and target, with the anchor text; the page score
    loses ``broken_penalty`` points per broken target. A redirect that ends on a 4xx/5xx
    is broken too. Links to a working redirect or chain are the ``redirects`` rule's
    (``link-to-redirect``, ``link-to-chain``); the redirect loop itself, and the 404 page
    itself, are reported on their URL by ``redirects`` and ``status-code``. Targets never
    fetched (page budget) or excluded by robots.txt are unknown, not broken.
    """

    id = "broken-link"
    category = "seo"
    weight = 2.0
    title = Msg("Liens internes valides", "Internal links work")
    description = Msg(
        "Vérifie que les liens internes mènent à une page qui répond (ni 4xx, ni 5xx, ni "
        "boucle de redirections).",
        "Checks that internal links lead to a page that answers (no 4xx, 5xx or redirect "
        "loop).")
    why = Msg(
        "Un lien cassé fait perdre au visiteur son clic et à la page visée l’autorité que le "
        "lien lui transmettrait ; un moteur qui rencontre souvent des impasses explore moins "
        "le site.",
        "A broken link wastes the visitor's click and the authority the link would pass; "
        "engines that keep meeting dead ends crawl the site less.")
    fix = Msg(
        "Corrigez chaque lien signalé pour qu’il vise directement l’adresse actuelle de la "
        "page (qui répond 200), ou supprimez-le si la page n’existe plus ; cassez les boucles "
        "de redirections.",
        "Point each reported link straight at the page's current address (answering 200), or "
        "remove it if the page is gone; break redirect loops.")
    codes = {
        "broken": Code(Severity.ERROR, Msg("Lien interne cassé", "Broken internal link")),
        "redirect-loop": Code(Severity.ERROR, Msg("Lien vers une boucle de redirections",
                                                  "Link into a redirect loop")),
    }

    @dataclass(frozen=True)
    class Options:
        broken_penalty: float = checked(at_least(0), default=25.0)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._links = PendingLinks()

    def collect(self, page: PageItem, ctx: Context) -> None:
        # This page answers 200 (the rule applies to such pages only): links to it are fine.
        self._links.settle(page.url)
        known = ctx.urls

        def unknown_yet(url: str) -> bool:  # answered 200 already: nothing to report
            info = known.get(url)
            return info is None or info.status is None or not 200 <= info.status < 300

        self._links.add(page, unknown_yet)

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        for source, links in self._links.drain():
            broken = 0
            for target, anchor in links:
                if target not in ctx.urls:
                    continue  # never fetched (page budget): unknown, not broken
                status, final, hops = ctx.final_status(target)
                shown_anchor = anchor or "—"
                if hops and final in hops:
                    broken += 1
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
                    yield self.finding(source, "broken", Msg(
                        "Lien cassé « {a} » vers {t} ({c}).",
                        "Broken link '{a}' to {t} ({c}).").format(a=shown_anchor, t=final, c=code),
                        evidence=f"{shown_anchor} → {target} ({code})",
                        related=[target] if final == target else [target, final])
            if broken:  # a page without findings keeps the default 100
                yield Score(source, max(0.0, 100.0 - broken * self.options.broken_penalty))
