from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from audit.context import Context
from audit.indexability import REASONS, Indexability, indexability, is_nofollow, same_page_in
from audit.rule import Code, Msg, Outcome, PageData, Score, Severity, SiteRule, TableRow
from audit.typedyaml import at_least, checked
from spiders.items import PageItem

# The Summary's breakdown (tables.jsonl → audit.report.build): counts per reason.
TABLE = "indexability"


def _nofollow(rel: str) -> bool:
    return "nofollow" in rel.split()


class IndexabilityRule(SiteRule):
    """Which pages engines may index, why the others may not, and what links say of it.

    Every URL gets a Pages-sheet column « Indexable »: « oui », or « non » and why — a
    status other than 200, a redirect, ``noindex`` (meta robots or googlebot, or an
    ``X-Robots-Tag`` header for every crawler or for Googlebot; ``none`` counts), a
    robots.txt block, a canonical naming another URL (``audit/indexability.py``). The
    Summary counts pages per reason.

    **Why it matters**: a page engines may not index brings no visit, whatever its content;
    one reached only through pages that are themselves out of the index (or through
    ``nofollow`` links) gets little of the site's authority and is crawled rarely.
    ``rel="nofollow"`` on a link to one's own page throws away the authority it would
    pass.

    **Bad**: the only link to ``/services/audit-technique.html`` is on
    ``/technique/archives.html``, a page set to ``noindex``; the menu's link to
    ``/devis.html`` carries ``rel="nofollow"``.

    **Good**: every page meant for the index is linked from indexable pages, with plain
    links; pages kept out of the index are rarely linked.

    Findings: ``linked-from-non-indexable`` (warning) on an indexable page whose every
    internal link comes from non-indexable pages or is ``nofollow`` (start URLs and pages
    no page links to are left out: the latter are orphans, orphan-page's); ``nofollow-links``
    (warning) once per page with its count of internal nofollow links to indexable pages
    and examples (a nofollow link to a source file, a ``noindex`` login page or a URL
    robots.txt keeps out is a fair use);
    ``nofollow-page`` (notice) on a page whose robots directives say ``nofollow``;
    ``noindex-linked`` (notice) on a ``noindex`` page that at least ``noindex_min_inlinks``
    pages (10) link to — a legal notice linked from every footer is normal, a page linked
    from the whole site and kept out of the index deserves a look. A noindex page itself is
    no finding (it is usually meant). Pages that are not HTML pages answering 200 are not
    scored.
    """

    id = "indexability"
    category = "seo"
    weight = 2.0
    title = Msg("Pages indexables et bien reliées", "Indexable, well-linked pages")
    description = Msg(
        "Dit pour chaque URL si elle est indexable et sinon pourquoi (code HTTP, "
        "redirection, noindex, robots.txt, canonical) ; repère les pages reliées seulement "
        "par des pages non indexables et les liens internes en nofollow.",
        "Says for each URL whether it is indexable and if not why (status, redirect, "
        "noindex, robots.txt, canonical); finds pages linked only from non-indexable pages "
        "and internal nofollow links.")
    why = Msg(
        "Une page que les moteurs ne peuvent pas indexer n’apporte aucune visite. Une page "
        "reliée seulement depuis des pages hors de l’index, ou par des liens nofollow, reçoit "
        "peu d’autorité du site et est rarement explorée ; un nofollow vers sa propre page "
        "gaspille cette autorité.",
        "A page engines cannot index brings no visit. One linked only from pages out of the "
        "index, or through nofollow links, gets little of the site's authority and is crawled "
        "rarely; nofollow on a link to one's own page wastes that authority.")
    fix = Msg(
        "Reliez chaque page à indexer depuis des pages indexables, par des liens simples "
        "(retirez rel=\"nofollow\" des liens internes), et vérifiez que les pages en noindex "
        "ou nofollow très reliées doivent bien l’être.",
        "Link every page meant for the index from indexable pages with plain links (remove "
        "rel=\"nofollow\" from internal links), and check that heavily linked noindex or "
        "nofollow pages are meant to be.")
    codes = {
        "linked-from-non-indexable": Code(Severity.WARNING, Msg(
            "Page indexable reliée seulement par des pages non indexables",
            "Indexable page linked only from non-indexable pages")),
        "nofollow-links": Code(Severity.WARNING, Msg(
            "Liens internes en nofollow", "Internal nofollow links")),
        "nofollow-page": Code(Severity.NOTICE, Msg(
            "Page en nofollow : ses liens ne sont pas suivis",
            "Page set to nofollow: its links are not followed")),
        "noindex-linked": Code(Severity.NOTICE, Msg(
            "Page en noindex très reliée", "Noindex page with many internal links")),
    }
    columns = {"indexable": Msg("Indexable", "Indexable")}

    @dataclass(frozen=True)
    class Options:
        noindex_min_inlinks: int = checked(at_least(1), default=10)
        max_listed: int = checked(at_least(1), default=10)  # URLs quoted in related

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Per URL, in crawl order: its indexability (final unless pending, below).
        self.pages: dict[str, Indexability] = {}
        self.html_ok: set[str] = set()  # HTML pages answering 200
        self.nofollow_page: set[str] = set()
        # Pages whose canonical names another URL: perhaps their own path on the
        # production domain (audit.site_hosts), or a URL redirecting back to them, known at
        # finish only. Their followed links are kept until then.
        self.pending: dict[str, list[str]] = {}
        self.followed: set[str] = set()  # targets of followed links from indexable pages
        self.linkers: Counter[str] = Counter()  # target -> pages linking to it
        # target -> a few non-indexable pages (or nofollow links) leading to it
        self.weak_sources: dict[str, list[str]] = {}
        # pages with internal nofollow links: (page, count, their distinct targets)
        self.nofollow_links: list[tuple[str, int, list[str]]] = []

    def applies(self, page: PageItem) -> bool:
        return True  # every URL has its « Indexable » cell; only HTML 200 pages are scored

    def collect(self, page: PageItem, ctx: Context) -> None:
        url = page.url
        if url in self.pages:
            return  # a URL recorded twice is judged once
        state = indexability(page)
        self.pages[url] = state
        if not (page.is_html and page.status == 200):
            return
        self.html_ok.add(url)
        page_nofollow = is_nofollow(page)
        if page_nofollow:
            self.nofollow_page.add(url)
        # Canonicals are final at finish only (the production domain, redirects back to
        # the page): such a page's followed links are kept until then.
        maybe = state.reason == "canonicalised"
        if maybe:
            self.pending[url] = []
        targets: dict[str, bool] = {}  # target -> followed
        nofollow_seen: dict[str, None] = {}  # in page order
        nofollowed = 0
        for link in page.links:
            if not link.internal or link.url == url:
                continue
            followed = not (page_nofollow or _nofollow(link.rel))
            if _nofollow(link.rel) and link.url not in nofollow_seen:
                nofollow_seen[link.url] = None
                nofollowed += 1
            targets[link.url] = targets.get(link.url, False) or followed
        if nofollowed:
            self.nofollow_links.append((url, nofollowed, list(nofollow_seen)))
        for target, followed in targets.items():
            self.linkers[target] += 1
            if maybe:
                if followed:
                    self.pending[url].append(target)
                continue
            if followed and state.indexable:
                self.followed.add(target)
            elif target not in self.followed:
                sources = self.weak_sources.setdefault(target, [])
                if len(sources) < 3:
                    sources.append(url)

    def _indexable_target(self, url: str, ctx: Context) -> bool:
        _status, final, _hops = ctx.final_status(url)
        state = self.pages.get(final)
        return state is not None and state.indexable

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        same_page = same_page_in(ctx)
        for url, targets in self.pending.items():
            target = self.pages[url].detail
            if same_page(url, target):
                self.pages[url] = Indexability("indexable")
                self.followed.update(targets)
            else:
                for t in targets:
                    if t not in self.followed:
                        sources = self.weak_sources.setdefault(t, [])
                        if len(sources) < 3:
                            sources.append(url)
        # A redirect's target is reached through the links to the redirecting URL.
        for url in list(self.followed):
            _status, final, hops = ctx.final_status(url)
            if hops:
                self.followed.add(final)
        weak_final: dict[str, list[str]] = {}
        for url, sources in self.weak_sources.items():
            _status, final, hops = ctx.final_status(url)
            if hops:
                weak_final.setdefault(final, []).extend(sources)
                self.linkers[final] += self.linkers[url]
        for url, sources in weak_final.items():
            self.weak_sources.setdefault(url, []).extend(sources)
        starts = set(ctx.config.site.start_urls)
        reasons: Counter[str] = Counter()
        # A nofollow link only wastes authority on a page meant for the index: one to a
        # source file, a login page in noindex, a URL robots.txt keeps out is a fair use.
        nofollow: dict[str, list[str]] = {}
        for url, _n, targets in self.nofollow_links:
            wasted = [t for t in targets if self._indexable_target(t, ctx)]
            if wasted:
                nofollow[url] = wasted
        for url, state in self.pages.items():
            reasons[state.reason] += 1
            yield PageData(url, "indexable", state.column())
            if url not in self.html_ok:
                yield Score(url, None)
                continue
            if (state.indexable and url not in starts and url not in self.followed
                    and url in self.weak_sources):
                sources = self.weak_sources[url]
                yield self.finding(url, "linked-from-non-indexable", Msg(
                    "Page indexable reliée seulement par des pages non indexables (noindex, "
                    "canonical ailleurs, redirection) ou par des liens nofollow : elle reçoit "
                    "peu d’autorité et sera peu explorée. Reliez-la depuis une page indexable.",
                    "Indexable page linked only from non-indexable pages (noindex, canonical "
                    "elsewhere, redirect) or through nofollow links: it gets little authority "
                    "and will be crawled rarely. Link to it from an indexable page."),
                    evidence=", ".join(sources[:3]), related=sources[:self.options.max_listed])
            if url in nofollow:
                examples = nofollow[url][:self.options.max_listed]
                n = len(nofollow[url])
                yield self.finding(url, "nofollow-links", Msg(
                    "{n} lien(s) interne(s) en rel=\"nofollow\" : l’autorité qu’ils "
                    "transmettraient à vos propres pages est perdue. Retirez le nofollow des "
                    "liens vers le site.",
                    "{n} internal link(s) with rel=\"nofollow\": the authority they would pass "
                    "to your own pages is lost. Drop nofollow from links to the site.").format(
                        n=n),
                    evidence=examples[0], related=examples)
            if url in self.nofollow_page:
                yield self.finding(url, "nofollow-page", Msg(
                    "La page demande aux moteurs de ne suivre aucun de ses liens (nofollow) : "
                    "les pages qu’elle relie n’en reçoivent aucune autorité.",
                    "The page asks engines to follow none of its links (nofollow): the pages "
                    "it links to get no authority from it."),
                    evidence="nofollow")
            linked = self.linkers.get(url, 0)
            if state.reason == "noindex" and linked >= self.options.noindex_min_inlinks:
                yield self.finding(url, "noindex-linked", Msg(
                    "Page en noindex reliée depuis {n} pages : les moteurs explorent ces liens "
                    "pour une page qu’ils n’indexeront pas. Si elle doit être trouvée, retirez "
                    "le noindex ; sinon, reliez-la moins.",
                    "Noindex page linked from {n} pages: engines crawl these links to a page "
                    "they will not index. If it should be found, drop the noindex; otherwise "
                    "link to it less.").format(n=linked),
                    evidence=f"noindex ({state.detail})")
        yield TableRow(TABLE, {"reasons": {r: reasons[r] for r in REASONS if reasons[r]}})
        self.pages.clear()
        self.followed.clear()
        self.linkers.clear()
        self.weak_sources.clear()
        self.pending.clear()
