from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from audit.context import Context
from audit.rule import Code, Msg, Outcome, Severity, SiteRule
from audit.typedyaml import at_least, between, checked
from spiders.items import Link, PageItem

# Anchors that say nothing of their target, folded (lower case, no accents, no
# punctuation): French and English.
GENERIC = frozenset("""
cliquez ici|cliquer ici|clique ici|cliquez|ici|par ici|en savoir plus|savoir plus|
pour en savoir plus|en savoir +|lire la suite|la suite|suite|lire plus|en lire plus|
lire l article|lire|plus|voir|voir plus|voir la suite|voir ici|plus d infos|plus d info|
plus d informations|plus d information|infos|details|en detail|decouvrir|je decouvre|
ce lien|lien|cette page|cet article|ce post|ce billet|article|billet|post|page|
acceder|visiter|telecharger|click here|click|here|read more|more|learn more|
continue reading|read|this link|link|this page|this post|this article|more info|
more information|see more|view more|find out more|visit|download
""".replace("\n", "").split("|")) - {""}
# Navigation between pages of a list: the same words for other targets by design
# (« Suivant », « Article précédent », « Older posts », page numbers, « Accueil »).
_PAGINATION = re.compile(
    r"^(?:(?:(?:l |la |le )?(?:article|billet|post|page|chapitre|lecon|section|entry|"
    r"articles|billets|posts|entries)s? )?(?:suivante?s?|precedente?s?|next|previous|prev|"
    r"older|newer|(?:plus )?(?:anciens|recents))(?: (?:article|billet|post|page|chapitre|"
    r"posts|entries|articles))?|premier|premiere|dernier|derniere|first|last|debut|fin|"
    r"retour|back|haut de page|retour en haut|back to top|top|accueil|home|"
    r"\d+|[ivxlc]+|.)$")
# A target that is not an HTML page (a feed, a download): another kind of link.
_NOT_PAGE = re.compile(r"\.(?:xml|rss|atom|json|zip|gz|tar|py|ipynb|r|rmd|pdf|docx?|xlsx?|"
                       r"pptx?|odt|csv|txt|png|jpe?g|gif|svg|webp|mp[34]|avi|mov)$",
                       re.IGNORECASE)
_CHROME = frozenset({"nav", "header", "footer", "aside"})


def fold(text: str) -> str:
    """Anchor text as compared: lower case, no accents, punctuation and arrows as spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w+]+", " ", plain).replace("_", " ").split())


def _target_key(url: str) -> str:
    """Two writings of one target are one target: scheme, final slash, index file."""
    parts = urlsplit(url)
    path = re.sub(r"/index\.(?:html?|php)$", "/", parts.path or "/").rstrip("/")
    return f"{parts.hostname}{path}?{parts.query}" if parts.query else f"{parts.hostname}{path}"


class AnchorText(SiteRule):
    """Link anchors say what the target page is about, and one anchor names one page.

    **Why it matters**: engines read the anchor text as a description of the page linked
    to; « cliquez ici » or « en savoir plus » tells them nothing (and screen-reader users,
    who list a page's links, neither). One anchor used for several internal pages makes
    those pages compete for its words.

    **Bad**: ``Pour nos tarifs, <a href="/tarifs.html">cliquez ici</a>``; « En savoir
    plus » under every service; « Audit SEO » linking to ``/services/audit-de-site.html``,
    ``/blog/audit-express.html`` and ``/lp/audit-seo-lyon.html``.

    **Good**: ``Consultez <a href="/tarifs.html">nos tarifs de référencement</a>``.

    ``generic-anchor``: internal and external links, visible ones (a hidden link is the
    hidden-text rule's), an image link judged on its alt; French and English phrases,
    case, accents and punctuation ignored (« En savoir + », « Lire la suite → »). A
    phrase written on ``min_pages`` pages or more (the theme's « Lire la suite » under
    every excerpt) is ONE notice for the site; otherwise one notice per page listing its
    anchors. ``same-anchor``: one anchor text leading to ``min_targets`` (3) different
    internal pages or more, among pages of one language (two pages under one anchor are
    often two pages on one topic: keyword-cannibalization's) — NOT counted: targets that
    are not HTML pages answering 2xx (feeds, downloads, broken links), menus, headers,
    footers and sidebars, links
    repeated on ``template_share`` of the pages or more, pagination and navigation
    (« Suivant », « Précédent », page numbers, « Accueil »), generic phrases (reported
    above), one target written two ways (final slash, ``index.html``). Notices: they do
    not lower the score.
    """

    id = "anchor-text"
    category = "seo"
    weight = 0.5
    title = Msg("Ancres de liens descriptives", "Descriptive link anchors")
    description = Msg(
        "Repère les ancres de liens qui ne disent rien de la page visée (« cliquez ici », "
        "« en savoir plus ») et les ancres identiques vers des pages différentes.",
        "Finds link anchors that say nothing of their target ('click here', 'read more') "
        "and identical anchors leading to different pages.")
    why = Msg(
        "Les moteurs lisent le texte d’un lien comme la description de la page visée : « "
        "cliquez ici » ou « en savoir plus » ne leur apprend rien, pas plus qu’aux "
        "utilisateurs de lecteurs d’écran. Une même ancre vers plusieurs pages met ces pages "
        "en concurrence sur ses mots.",
        "Engines read a link's text as a description of the page it leads to: 'click here' or "
        "'read more' tells them nothing, nor screen-reader users. One anchor used for several "
        "pages makes those pages compete for its words.")
    fix = Msg(
        "Écrivez dans le lien le sujet de la page visée (« nos tarifs de référencement » "
        "plutôt que « cliquez ici ») et réservez chaque texte d’ancre à une seule page "
        "interne.",
        "Put the target page's subject in the link text ('our SEO prices' rather than 'click "
        "here') and keep each anchor text for one internal page.")
    codes = {
        "generic-anchor": Code(Severity.NOTICE, Msg("Ancre de lien non descriptive",
                                                    "Non-descriptive anchor text")),
        "same-anchor": Code(Severity.NOTICE, Msg(
            "Même ancre pour des pages différentes",
            "Same anchor text for different pages")),
    }

    @dataclass(frozen=True)
    class Options:
        min_pages: int = checked(at_least(2), default=5)  # a generic phrase of the theme
        template_share: float = checked(between(0.0, 1.0), default=0.5)
        min_targets: int = checked(at_least(2), default=3)  # pages one anchor leads to
        max_listed: int = checked(at_least(1), default=10)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._pages = 0
        # folded phrase -> [(page, anchor as written, target)] in crawl order
        self._generic: dict[str, list[tuple[str, str, str]]] = {}
        # (language, folded anchor) -> target key -> (page, anchor, target), first seen
        self._anchors: dict[tuple[str, str], dict[str, tuple[str, str, str]]] = {}
        # (folded anchor, target key) -> pages carrying it (template links)
        self._repeats: dict[tuple[str, str], int] = {}

    def collect(self, page: PageItem, ctx: Context) -> None:
        self._pages += 1
        lang = (page.lang or "").split("-")[0]
        seen: set[tuple[str, str]] = set()
        for link in page.links:
            if link.hidden or not link.text:
                continue
            key = fold(link.text)
            if not key:
                continue
            if key in GENERIC:
                self._generic.setdefault(key, []).append((page.url, link.text, link.url))
                continue
            if self._compared(link, key) and not _NOT_PAGE.search(urlsplit(link.url).path):
                target = _target_key(link.url)
                if (key, target) not in seen:
                    seen.add((key, target))
                    self._repeats[(key, target)] = self._repeats.get((key, target), 0) + 1
                    targets = self._anchors.setdefault((lang, key), {})
                    if target not in targets and len(targets) < 50:
                        targets[target] = (page.url, link.text, link.url)

    @staticmethod
    def _compared(link: Link, key: str) -> bool:
        return (link.internal and link.region not in _CHROME and len(key) >= 3
                and not _PAGINATION.match(key) and not key.startswith(("http ", "www ")))

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        yield from self._generic_findings()
        yield from self._same_anchor_findings(ctx)
        self._generic.clear()
        self._anchors.clear()
        self._repeats.clear()

    def _generic_findings(self) -> Iterator[Outcome]:
        o = self.options
        per_page: dict[str, list[tuple[str, str]]] = {}
        for uses in self._generic.values():
            pages = list(dict.fromkeys(p for p, _t, _u in uses))
            if len(pages) >= o.min_pages:
                shown = uses[0][1]
                yield self.finding(pages[0], "generic-anchor", Msg(
                    "L’ancre « {a} » revient sur {n} pages ({k} liens) : elle ne dit rien de "
                    "la page visée. Écrite par un gabarit, faites-lui écrire le titre de la "
                    "page liée (« Lire la suite : <titre> ») ; écrite à la main, donnez à "
                    "chaque lien le sujet de sa page.",
                    "The anchor '{a}' is used on {n} pages ({k} links): it says nothing of the "
                    "target. Written by a template, make it write the linked page's title "
                    "('Read more: <title>'); written by hand, give each link its page's "
                    "topic.").format(a=shown, n=len(pages), k=len(uses)),
                    evidence=f"{shown} → {uses[0][2]}", related=pages[: o.max_listed])
                continue
            for page, text, target in uses:
                per_page.setdefault(page, []).append((text, target))
        for page, links in per_page.items():
            anchors = list(dict.fromkeys(t for t, _u in links))
            targets = list(dict.fromkeys(u for _t, u in links))
            yield self.finding(page, "generic-anchor", Msg(
                "{n} lien(s) à l’ancre non descriptive ({a}) : l’ancre dit aux moteurs de quoi "
                "parle la page visée. Écrivez-y son sujet (« nos tarifs de référencement »).",
                "{n} link(s) with a non-descriptive anchor ({ae}): the anchor tells engines "
                "what the target page is about. Write its topic there ('our SEO "
                "prices').").format(
                    n=len(links), a=", ".join(f"« {t} »" for t in anchors),
                    ae=", ".join(f"'{t}'" for t in anchors)),
                evidence="; ".join(f"{t} → {u}" for t, u in links[: o.max_listed]),
                related=targets[: o.max_listed])

    def _same_anchor_findings(self, ctx: Context) -> Iterator[Outcome]:
        o = self.options
        template = max(o.min_pages, o.template_share * self._pages)

        def page(url: str) -> bool:  # a page of the site that answers (a broken link aside)
            status, final, _hops = ctx.final_status(url)
            info = ctx.urls.get(final)
            return info is not None and info.is_html and status is not None \
                and 200 <= status < 300

        for (_lang, key), targets in self._anchors.items():
            kept = [use for target, use in targets.items()
                    if self._repeats.get((key, target), 0) < template and page(use[2])]
            # Two pages under one anchor are often two pages on one topic (the
            # cannibalization rule's); from three on, the anchor is a vague label.
            if len(kept) < o.min_targets:
                continue
            first_page, shown, _ = kept[0]
            yield self.finding(first_page, "same-anchor", Msg(
                "L’ancre « {a} » mène à {n} pages différentes : les moteurs ne savent pas "
                "laquelle elle décrit. Donnez à chaque lien l’ancre de sa page.",
                "The anchor '{a}' leads to {n} different pages: engines cannot tell which "
                "one it describes. Give each link its own page's anchor.").format(
                    a=shown, n=len(kept)),
                evidence="; ".join(f"{u} ← {p}" for p, _t, u in kept[: o.max_listed]),
                related=[u for _p, _t, u in kept[: o.max_listed]])
