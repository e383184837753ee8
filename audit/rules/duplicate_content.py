from __future__ import annotations

from collections.abc import Callable, Iterator

from audit.context import Context
from audit.rule import Code, Msg, Outcome, PageData, Score, Severity, SiteRule
from audit.text.duplicates import DuplicateIndex, duplicate_index
from audit.text.listing import listing_address
from audit.text.similarity import percent
from spiders.items import PageItem

MAX_TWINS = 50  # related URLs listed on a handled duplicate


class DuplicateContent(SiteRule):
    """Each page's main text is its own: no exact or near copy elsewhere on the site.

    **Why it matters**: when several URLs carry the same text, the engine picks one to
    show and the others compete with it: links, clicks and crawl budget are split
    between copies, and the version that ranks may not be the one you want. Pages made
    from one text with a few words changed (a page per town, per colour) are treated as
    low-value doorway pages.

    **Bad**: ``/tarifs.html`` and ``/nos-tarifs.html`` publish the same price list;
    ``/referencement-lyon.html`` and ``/referencement-villeurbanne.html`` share 95 % of
    their text, only the town changes.

    **Good**: one URL per text; the other addresses redirect (301) to it, or declare it
    with ``<link rel="canonical">`` (a *handled* duplicate, reported as a notice); pages
    per town each say something specific about the town.

    The main text is the page without navigation, header, footer, asides and the site's
    template blocks (text repeated on many pages): see ``audit/text/maincontent.py``.
    Identical main texts are exact duplicates (error); near duplicates are found with
    MinHash signatures and an LSH index, each candidate confirmed by its estimated Jaccard
    similarity ≥ ``duplicates.near_threshold`` (warning). One finding per group, on the
    first page crawled, the others in *related*; every page of an exact group scores 0,
    of a near group 50. Pages whose main text is shorter than ``duplicates.min_words``
    are not compared (not scored). A group of listing pages (tag, category, author,
    archive, pagination by address: ``audit/text/listing.py``), with at most one other
    page, is a thin archive repeating what another page lists (a tag with one article,
    the archive of a blog's only author): a ``duplicate-listing`` notice advising noindex,
    no score lost.
    """

    id = "duplicate-content"
    category = "seo"
    weight = 2.0
    title = Msg("Contenu unique", "Unique content")
    description = Msg(
        "Repère les pages du site au contenu principal identique ou quasi identique.",
        "Finds pages of the site whose main content is identical or nearly identical.")
    why = Msg(
        "Quand plusieurs adresses portent le même texte, le moteur n’en montre qu’une, pas "
        "forcément la bonne, et liens et clics se partagent entre les copies ; des pages quasi "
        "identiques (une par ville) passent pour des pages satellites de faible valeur.",
        "When several addresses carry the same text, the engine shows only one, not always the "
        "right one, and links and clicks are split between copies; near-identical pages (one "
        "per town) pass for low-value doorway pages.")
    fix = Msg(
        "Gardez une seule adresse par texte : redirigez (301) les copies vers elle ou "
        "désignez-la par une balise canonical ; réécrivez les pages voisines (par ville, par "
        "produit) pour que chacune dise quelque chose de propre.",
        "Keep one address per text: redirect (301) the copies to it or name it with a "
        "canonical tag; rewrite sibling pages (per town, per product) so that each says "
        "something of its own.")
    codes = {
        "exact-duplicate": Code(Severity.ERROR, Msg("Contenu dupliqué à l’identique",
                                                    "Exact duplicate content")),
        "near-duplicate": Code(Severity.WARNING, Msg("Contenu quasi dupliqué",
                                                     "Near-duplicate content")),
        "duplicate-listing": Code(Severity.NOTICE, Msg(
            "Page de liste qui en répète une autre (archive mince)",
            "Listing page repeating another (thin archive)")),
        "handled": Code(Severity.NOTICE, Msg("Doublon traité (canonical ou noindex)",
                                             "Duplicate handled (canonical or noindex)")),
    }
    columns = {
        "closest_match": Msg("Contenu le plus proche", "Closest match"),
        "near_duplicates": Msg("Quasi-doublons", "Near duplicates"),
    }

    def prepare(self, ctx: Context) -> None:
        duplicate_index(ctx)  # imports datasketch and scipy: 1.5–2 s

    def collect(self, page: PageItem, ctx: Context) -> None:
        duplicate_index(ctx).add(page)

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        svc = duplicate_index(ctx).finish()
        urls = svc.urls
        keys = {pid: svc.canonical_key(ctx, pid) for pid in svc.canonicals if svc.compared(pid)}

        def key(pid: int) -> str:
            return keys.get(pid, urls[pid])

        def handled(a: int, b: int) -> bool:
            return a in svc.noindex or b in svc.noindex or key(a) == key(b)

        scores: dict[int, float] = {}
        handled_by: dict[int, list[tuple[int, int]]] = {}  # page -> [(twin, percent)]

        # Exact groups: the same normalised main text.
        for group in sorted(svc.extra):
            yield from self._exact(svc, svc.members(group), key, scores, handled_by)

        # Near duplicates, between exact groups (the group's first page stands for it).
        near_of: dict[int, list[tuple[int, int]]] = {}  # group -> [(group, percent)]
        parent: dict[int, int] = {}

        def find(x: int) -> int:
            while parent.get(x, x) != x:
                x = parent[x]
            return x

        pair_pct: dict[tuple[int, int], int] = {}
        for g1, g2, sim in svc.near:
            pct = percent(sim)
            near_of.setdefault(g1, []).append((g2, pct))
            near_of.setdefault(g2, []).append((g1, pct))
            a, b = svc.leads[g1], svc.leads[g2]
            if handled(a, b):
                for page, twin in ((a, b), (b, a)):
                    if page in svc.noindex or key(page) != urls[page]:
                        handled_by.setdefault(page, []).append((twin, pct))
                continue
            pair_pct[(a, b)] = pair_pct[(b, a)] = pct
            parent[find(a)] = find(b)
        near_best: dict[int, int] = {}
        for (a, _), pct in pair_pct.items():
            near_best[a] = max(near_best.get(a, 0), pct)
        components: dict[int, list[int]] = {}
        for page in near_best:
            components.setdefault(find(page), []).append(page)
        for pages in sorted(components.values(), key=min):
            pages.sort()
            yield from self._near(urls, pages, pair_pct, near_best, scores)

        for page, twins in sorted(handled_by.items()):
            twins.sort(key=lambda t: (-t[1], t[0]))
            twin, pct = twins[0]
            how = (Msg("la page est exclue de l’index (noindex)", "the page is set to noindex")
                   if page in svc.noindex else
                   Msg("sa balise canonical désigne {c}", "its canonical tag names {c}").format(
                       c=key(page)))
            yield self.finding(urls[page], "handled", Msg(
                f"Doublon de {urls[twin]} ({pct} % de similarité), traité : {how.fr}.",
                f"Duplicate of {urls[twin]} ({pct}% similar), handled: {how.en}."),
                evidence=_evidence(urls, twins), related=[urls[t] for t, _ in twins])

        # Scores and the Pages sheet's columns.
        for pid, url in enumerate(urls):
            group = svc.group[pid]
            if group < 0:
                yield Score(url, None)  # too short to judge: not compared
                continue
            if pid in scores:
                yield Score(url, scores[pid])
            members = svc.members(group) if group in svc.extra else [pid]
            count = len(members) - 1
            closest: tuple[int, int] | None = None  # (percent, page)
            if count:
                closest = (100, next(m for m in members if m != pid))
            for other, pct in near_of.get(group, ()):
                count += 1 + len(svc.extra.get(other, ()))
                if closest is None or pct > closest[0]:
                    closest = (pct, svc.leads[other])
            if closest is not None:
                pct, twin = closest
                yield PageData(url, "closest_match", Msg(f"{urls[twin]} ({pct} %)",
                                                         f"{urls[twin]} ({pct}%)"))
            yield PageData(url, "near_duplicates", count)

    def _exact(self, svc: DuplicateIndex, members: list[int], key: Callable[[int], str],
               scores: dict[int, float], handled_by: dict[int, list[tuple[int, int]]]
               ) -> Iterator[Outcome]:
        urls = svc.urls
        classes: dict[str, list[int]] = {}  # pages sending their signals to one URL
        for pid in members:
            if pid not in svc.noindex:
                classes.setdefault(key(pid), []).append(pid)
        # One page stands for each class: the page it points to, else its first page.
        heads = {k: next((p for p in ps if urls[p] == k), ps[0]) for k, ps in classes.items()}
        for pid in members:
            if pid in svc.noindex:
                twins = [t for t in members if t != pid][:MAX_TWINS]
            elif key(pid) != urls[pid]:
                same = classes[key(pid)]
                head = heads[key(pid)]
                twins = ([head] if head != pid else []) + [
                    t for t in same if t not in (pid, head)][:MAX_TWINS - 1]
            else:
                continue
            if twins:
                handled_by.setdefault(pid, []).extend((t, 100) for t in twins)
        if len(classes) < 2:
            return
        leads = sorted(heads.values())
        if _listings(urls, leads):
            yield self._listing(urls, leads, [100] * (len(leads) - 1))
            return
        for pid in leads:
            scores[pid] = 0.0
        lead, others = leads[0], leads[1:]
        if len(others) == 1:
            message = Msg(
                "Le contenu principal de cette page est identique à celui de {o} (100 %). "
                "Gardez une seule URL (redirection 301 des autres) ou désignez l’originale "
                "par une balise canonical.",
                "This page's main content is identical to that of {o} (100%). Keep one URL "
                "(301-redirect the others) or name the original with a canonical tag."
            ).format(o=urls[others[0]])
        else:
            message = Msg(
                "Le contenu principal de cette page est identique à celui de {n} autres pages "
                "(100 %, voir les URL liées). Gardez une seule URL (redirection 301 des "
                "autres) ou désignez l’originale par une balise canonical.",
                "This page's main content is identical to that of {n} other pages (100%, see "
                "the related URLs). Keep one URL (301-redirect the others) or name the "
                "original with a canonical tag.").format(n=len(others))
        yield self.finding(urls[lead], "exact-duplicate", message,
                           evidence=_evidence(urls, [(p, 100) for p in others]),
                           related=[urls[p] for p in others])

    def _near(self, urls: list[str], pages: list[int], pair_pct: dict[tuple[int, int], int],
              best: dict[int, int], scores: dict[int, float]) -> Iterator[Outcome]:
        lead, others = pages[0], pages[1:]
        shown = [(p, pair_pct.get((lead, p)) or best[p]) for p in others]
        if _listings(urls, pages):
            yield self._listing(urls, pages, [pct for _, pct in shown])
            return
        for pid in pages:
            scores[pid] = min(scores.get(pid, 50.0), 50.0)
        if len(others) == 1:
            message = Msg(
                "Le contenu principal de cette page est quasi identique à celui de {o} "
                "({p} % de similarité). Différenciez les deux textes, fusionnez les pages "
                "ou désignez l’originale par une balise canonical.",
                "This page's main content is nearly identical to that of {o} ({p}% "
                "similar). Make the two texts different, merge the pages or name the "
                "original with a canonical tag.").format(o=urls[others[0]], p=shown[0][1])
        else:
            low = min(p for _, p in shown)
            high = max(p for _, p in shown)
            message = Msg(
                "Le contenu principal de cette page est quasi identique à celui de {n} autres "
                "pages ({lo} à {hi} % de similarité, voir les URL liées). Différenciez les "
                "textes, fusionnez les pages ou désignez l’originale par une balise canonical.",
                "This page's main content is nearly identical to that of {n} other pages "
                "({lo}% to {hi}% similar, see the related URLs). Make the texts different, "
                "merge the pages or name the original with a canonical tag.").format(
                    n=len(others), lo=low, hi=high)
        yield self.finding(urls[lead], "near-duplicate", message,
                           evidence=_evidence(urls, shown), related=[urls[p] for p in others])


    def _listing(self, urls: list[str], pages: list[int], pcts: list[int]) -> Outcome:
        """Tag, author, archive pages listing the same posts as another page (a tag with
        one article, the archive of a blog's only author): not text to rewrite but an
        archive to keep out of the index. A notice; the pages keep their score."""
        listing = next((p for p in pages if listing_address(urls[p])), pages[0])
        others = [p for p in pages if p != listing]
        return self.finding(urls[listing], "duplicate-listing", Msg(
            "Cette page de liste (étiquette, auteur, archive) reprend ce que montre déjà "
            "{o} : une archive qui ne liste qu’un article, ou celle d’un auteur unique, "
            "n’apporte rien aux moteurs. Passez-la en noindex, ou supprimez cette archive.",
            "This listing page (tag, author, archive) repeats what {o} already shows: an "
            "archive listing one article, or that of a blog's only author, gives engines "
            "nothing. Set it to noindex, or drop that archive.").format(
                o=", ".join(urls[p] for p in others[:3])),
            evidence=_evidence(urls, list(zip(others, pcts, strict=False))),
            related=[urls[p] for p in others])


def _listings(urls: list[str], pages: list[int]) -> bool:
    """Every page of the group but one at most is a listing page by its address."""
    return sum(not listing_address(urls[p]) for p in pages) <= 1


def _evidence(urls: list[str], twins: list[tuple[int, int]]) -> Msg:
    return Msg("\n".join(f"{urls[t]} — {p} %" for t, p in twins),
               "\n".join(f"{urls[t]} — {p}%" for t, p in twins))
