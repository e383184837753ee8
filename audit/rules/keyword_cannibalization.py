from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterator
from sys import intern

from audit.context import Context
from audit.rule import Code, Msg, Outcome, Score, Severity, SiteRule
from audit.text.content import prose_blocks
from audit.text.keywords import STOP_TERMS, KeywordService, find_phrase, keyword_service
from audit.text.listing import listing_address
from audit.text.tokens import term, terms, words
from spiders.items import PageItem

NUMBER = re.compile(r"\d+")
TITLE_SEPARATORS = re.compile(r"\s[|–—·-]\s|\s:\s")
MIN_TITLE_LINKS = 4  # links with a title-like anchor (3 words or more) on a listing page
LISTING_ANCHOR_SHARE = 0.4  # of the prose words, in such anchors
MAX_ANCHORS_KEPT = 32

def _key(ts: list[str] | tuple[str, ...]) -> int:
    return hash(tuple(ts))


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
    warning; pages sharing only a detected topic a notice, and only when their titles say
    nearly the same (half their content words in common), and the notice names the query
    by all the words their titles share (« hadoop écosystème », not the one word detected).
    Pages in two languages (a page
    and its translation) never compete. One finding per group, on the
    page that looks strongest (pages linking to it, keyword in title and h1, length),
    named in the message, the others in *related*. Every page of a warning group scores
    50.

    **A section's keyword is not a conflict.** Pages that get one keyword from the same
    glob pattern of the client file (``"/publications/*": écoconception``) were given their
    section's theme together: they compete only with pages that chose the phrase
    separately (an exact path, another pattern, a detected focus).

    **Listing pages are not competitors.** A tag, category, archive, author or pagination
    page (``/tag/``, ``/tags/``, ``/category/``, ``/categories/``, ``/categorie/``,
    ``/archives/``, ``/author/``, ``/page/2``, ``?page=2``), a page whose prose is mostly
    links with title-like anchors (at least 4 of 3 words or more, 40 % of its words), and
    a page that links to another page of the group with that page's title as anchor while
    having less than half its words (a tag page and its one article) list the articles
    that compete: they are left out of the group, so a listing page is never paired with
    an article, never named the strongest, never the page to merge into.
    """

    id = "keyword-cannibalization"
    category = "seo"
    weight = 1.0
    title = Msg("Une page par mot-clé", "One page per keyword")
    description = Msg(
        "Repère les pages qui visent le même mot-clé et se font concurrence.",
        "Finds pages that target the same keyword and compete with each other.")
    why = Msg(
        "Quand plusieurs pages visent la même requête, le moteur doit choisir entre elles : "
        "les positions alternent, liens et contenus se dispersent, et souvent aucune ne se "
        "classe aussi bien qu’une seule page forte.",
        "When several pages target one query, the engine has to choose between them: rankings "
        "alternate, links and content are split, and often none ranks as well as one strong "
        "page would.")
    fix = Msg(
        "Réservez chaque mot-clé à une seule page (titre, h1, mot-clé visé) et donnez aux "
        "autres une intention différente, avec un lien vers elle ; ou fusionnez les pages et "
        "redirigez (301) celle qui disparaît.",
        "Keep each keyword for one page (title, h1, target keyword) and give the others a "
        "different intent, linking to it; or merge the pages and redirect (301) the one that "
        "goes.")
    codes = {
        "same-keyword": Code(Severity.WARNING, Msg("Pages en concurrence sur un mot-clé",
                                                   "Pages competing for a keyword")),
        "same-topic": Code(Severity.NOTICE, Msg("Pages au sujet détecté identique",
                                                "Pages with the same detected topic")),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.urls: list[str] = []
        self.listing: set[str] = set()  # listing pages, by address or by shape
        # Per page: hashes of the terms of its title, title head (before " | ") and h1 ...
        self.titles: dict[str, tuple[int, ...]] = {}
        # ... and of its title-like link anchors sharing a word with its title (few a page).
        self.anchors: dict[str, array[int]] = {}
        self.lang: dict[str, str] = {}  # per page: its language (fr, en...), interned
        self.title_words: dict[str, frozenset[str]] = {}  # per page: its title's content terms
        self.title_heads: dict[str, str] = {}  # per page: its title before « | », as written

    def collect(self, page: PageItem, ctx: Context) -> None:
        keyword_service(ctx).add(page)
        self.urls.append(page.url)
        self.lang[page.url] = intern(ctx.page_language(page))
        title = page.title or ""
        head = TITLE_SEPARATORS.split(title, maxsplit=1)[0]
        # The title's own words (the site's name after « · » or « | » left out) and numbers:
        # « BreizhCamp 2013 » is not « BreizhCamp 2014 ».
        self.title_heads[page.url] = head
        self.title_words[page.url] = frozenset(
            [t for t in terms(head) if t not in STOP_TERMS and len(t) >= 3]
            + NUMBER.findall(head))
        self.titles[page.url] = tuple({_key(terms(t)) for t in (title, head, *page.h(1))
                                       if t.strip()})
        own = {t for t in terms(title) + [t for h in page.h(1) for t in terms(h)]
               if t not in STOP_TERMS and len(t) >= 3}
        titled = anchor_words = 0
        kept = array("q")
        for link in page.links:
            if not link.internal or link.hidden or link.url == page.url:
                continue
            ts = terms(link.text)
            if len(ts) < 3:
                continue  # « Accueil », « Lire la suite »: not a title
            titled += 1
            anchor_words += len(ts)
            if own & set(ts) and len(kept) < MAX_ANCHORS_KEPT:
                kept.append(_key(ts))
        if kept:
            self.anchors[page.url] = kept
        prose_words = sum(len(words(text)) for _, text in prose_blocks(page))
        if listing_address(page.url) or (
                titled >= MIN_TITLE_LINKS
                and anchor_words >= LISTING_ANCHOR_SHARE * max(prose_words, 1)):
            self.listing.add(page.url)

    def _lists(self, a: str, b: str, words_of: dict[str, int]) -> bool:
        """Page ``a`` links to ``b`` with ``b``'s title as anchor and is much shorter: ``a``
        lists ``b`` (a tag page and its one article), it does not compete with it."""
        kept = self.anchors.get(a)
        if not kept or words_of[a] >= 0.5 * words_of[b]:
            return False
        return any(k in kept for k in self.titles.get(b, ()))

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        svc = keyword_service(ctx)
        # A page and its translation answer queries in two languages: grouped apart.
        groups: dict[tuple[tuple[str, ...], str], list[tuple[str, str, bool]]] = {}
        for url in self.urls:
            target = svc.target(url)
            if target is not None:
                phrase, label, configured = target
                groups.setdefault((phrase, self.lang[url]), []).append((url, label, configured))
        for (phrase, _lang), all_members in groups.items():
            if len(all_members) < 2:
                continue
            urls = [u for u, _, _ in all_members]
            words_of = {u: svc.facts[u].words for u in urls}
            listing = {u for u in urls if u in self.listing or any(
                self._lists(u, other, words_of) for other in urls if other != u)}
            members = [m for m in all_members if m[0] not in listing]
            if _sources(members, svc) < 2:
                continue
            configured = sum(1 for _, _, c in members if c)
            code = "same-keyword" if configured >= 2 else "same-topic"
            if code == "same-topic":
                # A detected topic alone is weak evidence: pages compete on it when their
                # titles say nearly the same (« BreizhCamp 2013 » and « BreizhCamp 2014 »
                # are two queries; « Référencement naturel à Lyon » and « Le référencement
                # naturel expliqué » one).
                members = [m for m in members if any(
                    _alike(self.title_words[m[0]], self.title_words[o[0]])
                    for o in members if o is not m)]
                if len(members) < 2:
                    continue

            def strength(url: str, phrase: tuple[str, ...] = phrase) -> float:
                facts = svc.facts[url]
                return (2.0 * svc.inlinks[url]
                        + 5.0 * (find_phrase(phrase, facts.title_terms) >= 0)
                        + 3.0 * (find_phrase(phrase, facts.h1_terms) >= 0)
                        + math.log1p(facts.words))

            ranked = sorted((u for u, _, _ in members), key=lambda u: (-strength(u), u))
            strongest, others = ranked[0], ranked[1:]
            label = next(lbl for u, lbl, c in members if c) if configured else \
                self._shared_topic(members[0][1], [u for u, _, _ in members])
            links = svc.inlinks[strongest]
            fr_links = "aucune page n’y renvoie" if not links else \
                "une page y renvoie" if links == 1 else f"{links} pages y renvoient"
            en_links = "no page links to it" if not links else \
                "one page links to it" if links == 1 else f"{links} pages link to it"
            yield self.finding(strongest, code, Msg(
                "{n} pages visent « {k} » ; la plus forte est {u} ({lf}). Donnez un autre "
                "mot-clé aux autres, ou fusionnez-les dans celle-ci (redirection 301).",
                "{n} pages target '{k}'; the strongest is {u} ({le}). Give the others "
                "another keyword, or merge them into this one (301 redirect).").format(
                    n=len(members), k=label, u=strongest, lf=fr_links, le=en_links),
                evidence="\n".join(ranked), related=others)
            if code == "same-keyword":
                for url in ranked:
                    yield Score(url, 50.0)
        self.urls.clear()
        self.listing.clear()
        self.titles.clear()
        self.anchors.clear()
        self.lang.clear()
        self.title_words.clear()
        self.title_heads.clear()

    def _shared_topic(self, label: str, urls: list[str]) -> str:
        """A detected topic named by all the words the pages' titles share (« hadoop
        écosystème » for « Hadoop et son écosystème » and « Hadoop écosystème bootstrap »),
        not by the one word detected: the query the pages compete for, as the titles say
        it. Spelt as the title that writes the detected topic (accents kept)."""
        common = frozenset.intersection(*(self.title_words[u] for u in urls))
        heads = [self.title_heads[u] for u in urls]
        head = next((h for h in heads if label.lower() in h.lower()), heads[0])
        seen: set[str] = set()
        shared = []
        for word in words(head):
            t = term(word)
            if t in common and t not in seen:
                seen.add(t)
                shared.append(word.lower())
        return " ".join(shared) if len(shared) > len(label.split()) else label


TITLE_LIKENESS = 0.5  # Jaccard of two titles' content terms: one query from here up


def _alike(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a and b) and len(a & b) >= TITLE_LIKENESS * len(a | b)


def _sources(members: list[tuple[str, str, bool]], svc: KeywordService) -> int:
    """How many independent choices put these pages on one phrase: each page of its own
    (an exact ``keywords:`` path, a detected focus), but the pages of one glob pattern
    (``"/publications/*": écoconception``) count once — the consultant gave a section its
    theme, the pages do not compete for it by that alone."""
    patterns = {svc.facts[u].configured_by for u, _, c in members if c}
    alone = sum(1 for u, _, c in members if not c or not svc.facts[u].configured_by)
    return alone + len(patterns - {""})
