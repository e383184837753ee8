from __future__ import annotations

import math
from collections.abc import Iterator

from audit.context import Context
from audit.rule import Code, Msg, Outcome, Score, Severity, SiteRule
from audit.text.keywords import find_phrase, keyword_service
from spiders.items import PageItem


class KeywordCannibalization(SiteRule):
    """No two pages of the site compete for the same keyword.

    **Why it matters**: when several pages target one query, the engine has to choose
    between them; rankings alternate, links and content are split between pages, and
    often neither ranks as well as one strong page would.

    **Bad**: ``/services/seo.html`` and ``/blog/qu-est-ce-que-le-seo.html`` both titled and
    configured for « référencement naturel Lyon ».

    **Good**: one page per intent (the service page for « référencement naturel Lyon »,
    the article for « qu’est-ce que le SEO »), linking to each other; or the two merged
    and one redirected.

    A page's target is its configured keyword, or else its detected focus when the page
    also puts that phrase in its title or h1. Pages sharing a configured keyword give a
    warning; pages sharing only a detected topic a notice. One finding per group, on the
    page that looks strongest (inlinks, keyword in title and h1, length), the others in
    *related*. Every page of a warning group scores 50.
    """

    id = "keyword-cannibalization"
    category = "seo"
    weight = 1.0
    title = Msg("Une page par mot-clé", "One page per keyword")
    description = Msg(
        "Repère les pages qui visent le même mot-clé et se font concurrence.",
        "Finds pages that target the same keyword and compete with each other.")
    codes = {
        "same-keyword": Code(Severity.WARNING, Msg("Pages en concurrence sur un mot-clé",
                                                   "Pages competing for a keyword")),
        "same-topic": Code(Severity.NOTICE, Msg("Pages au sujet détecté identique",
                                                "Pages with the same detected topic")),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.urls: list[str] = []

    def collect(self, page: PageItem, ctx: Context) -> None:
        keyword_service(ctx).add(page)
        self.urls.append(page.url)

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        svc = keyword_service(ctx)
        groups: dict[tuple[str, ...], list[tuple[str, str, bool]]] = {}
        for url in self.urls:
            target = svc.target(url)
            if target is not None:
                phrase, label, configured = target
                groups.setdefault(phrase, []).append((url, label, configured))
        for phrase, members in groups.items():
            if len(members) < 2:
                continue
            configured = sum(1 for _, _, c in members if c)
            code = "same-keyword" if configured >= 2 else "same-topic"

            def strength(url: str, phrase: tuple[str, ...] = phrase) -> float:
                facts = svc.facts[url]
                return (2.0 * svc.inlinks[url]
                        + 5.0 * (find_phrase(phrase, facts.title_terms) >= 0)
                        + 3.0 * (find_phrase(phrase, facts.h1_terms) >= 0)
                        + math.log1p(facts.words))

            ranked = sorted((u for u, _, _ in members), key=lambda u: (-strength(u), u))
            strongest, others = ranked[0], ranked[1:]
            label = next(lbl for u, lbl, c in members if c) if configured else members[0][1]
            yield self.finding(strongest, code, Msg(
                "{n} pages visent « {k} » ; la plus forte semble être celle-ci. "
                "Différenciez les autres ou fusionnez-les.",
                "{n} pages target '{k}'; this one looks strongest. "
                "Give the others another focus, or merge them.").format(
                    n=len(members), k=label), evidence="\n".join(ranked), related=others)
            if code == "same-keyword":
                for url in ranked:
                    yield Score(url, 50.0)
        self.urls.clear()
