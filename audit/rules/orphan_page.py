from __future__ import annotations

from collections.abc import Iterator

from audit.context import Context
from audit.indexability import canonical_target, is_noindex, same_page_in
from audit.rule import Code, Msg, Outcome, Score, Severity, SiteRule
from spiders.items import PageItem


class OrphanPage(SiteRule):
    """Every page listed in the XML sitemap is linked from at least one other page.

    **Why it matters**: engines discover and weigh pages through links. A page that only
    the sitemap knows (an "orphan") gets crawled rarely, receives no internal authority
    and no anchor text telling what it is about; visitors never reach it either.

    **Bad**: ``/offres/printemps.html`` listed in ``sitemap.xml`` but removed from the menu
    and never linked from an article.

    **Good**: every page worth a sitemap entry is reachable in a few clicks from the home
    page (menu, category page, related articles); pages that should not exist anymore are
    removed from the sitemap and redirected.

    Start URLs are never orphans. A listed page engines may not index (``noindex``, a
    canonical naming another page) is not called an orphan: it should leave the sitemap,
    not gain links, and the ``sitemaps`` rule says so. Orphan pages score 0 for this rule;
    other pages 100.
    """

    id = "orphan-page"
    category = "seo"
    weight = 1.0
    title = Msg("Pages du sitemap reliées au site", "Sitemap pages linked from the site")
    description = Msg(
        "Repère les pages présentes dans le sitemap XML vers lesquelles aucune page du site "
        "ne fait de lien.",
        "Finds pages listed in the XML sitemap that no page of the site links to.")
    why = Msg(
        "Les moteurs découvrent et pèsent les pages par les liens. Une page que seul le "
        "sitemap connaît (orpheline) est rarement explorée, ne reçoit ni autorité interne ni "
        "ancre qui dise son sujet, et les visiteurs ne la trouvent jamais.",
        "Engines find and weigh pages through links. A page only the sitemap knows (an orphan) "
        "is crawled rarely, gets no internal authority nor anchor text saying what it is "
        "about, and visitors never reach it.")
    fix = Msg(
        "Reliez chaque page orpheline depuis le menu, une page de catégorie ou des articles "
        "proches ; si elle ne doit plus exister, retirez-la du sitemap et redirigez-la (301).",
        "Link each orphan page from the menu, a category page or related articles; if it "
        "should no longer exist, remove it from the sitemap and redirect it (301).")
    codes = {
        "orphan": Code(Severity.WARNING, Msg("Page orpheline (seulement dans le sitemap)",
                                             "Orphan page (sitemap only)")),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.linked: set[str] = set()
        self.pages: list[str] = []
        # noindex pages ("") and pages whose canonical names another URL (that URL)
        self.not_indexable: dict[str, str] = {}

    def collect(self, page: PageItem, ctx: Context) -> None:
        self.pages.append(page.url)
        if is_noindex(page):
            self.not_indexable[page.url] = ""
        else:
            target = canonical_target(page)
            if target:
                self.not_indexable[page.url] = target  # unless it names the page itself
        for link in page.links:
            if link.internal and link.url != page.url:
                self.linked.add(link.url)  # interned by the runner

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        starts = set(ctx.config.site.start_urls)
        same_page = same_page_in(ctx)
        # A redirect's target counts as linked when the redirecting URL is linked.
        for url in list(self.linked):
            _status, final, hops = ctx.final_status(url)
            if hops:
                self.linked.add(final)
        for url in self.pages:
            if url in starts or url in self.linked:
                yield Score(url, 100.0)
            elif url in self.not_indexable and not (
                    self.not_indexable[url] and same_page(url, self.not_indexable[url])):
                yield Score(url, None)  # out of the index: the sitemaps rule's
            elif url in ctx.sitemap_urls:
                yield self.finding(url, "orphan", Msg(
                    "Page orpheline : listée dans le sitemap, mais aucune page du site n’y mène.",
                    "Orphan page: listed in the sitemap, but no page of the site links to it."))
                yield Score(url, 0.0)
            else:
                yield Score(url, None)  # neither linked nor in a sitemap: found otherwise
        self.linked.clear()
        self.pages.clear()
        self.not_indexable.clear()
