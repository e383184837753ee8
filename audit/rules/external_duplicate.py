from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from audit.context import Context
from audit.rule import Code, Msg, Outcome, Score, Severity, SiteRule
from audit.text.duplicates import duplicate_index
from audit.text.maincontent import batch_main_texts
from audit.text.similarity import NearIndex, Signer, exact_hash, percent
from spiders.items import PageItem

MAX_RELATED = 20


class ExternalDuplicate(SiteRule):
    """The site's texts are not found on the other sites the consultant names.

    **Why it matters**: when the same text lives on two sites, engines show one of them
    — not always the original. A page copied from a competitor or a supplier brings
    nothing new and may be filtered out; a page of yours copied by a scraper or a
    directory can be outranked by the copy.

    **Bad**: a service page pasted from a manufacturer's catalogue; an article of the
    client republished word for word by a partner without a canonical link back.

    **Good**: texts written for the site; a syndication partner who republishes an
    article links to the original with ``rel="canonical"`` (or gets a summary only).

    The pages listed in ``duplicates.compare_with`` and in the sitemaps of
    ``duplicates.compare_sitemaps`` (at most ``duplicates.max_external_pages``) are
    fetched by the crawl, robots.txt obeyed. Every client page whose main text (see
    ``audit/text/maincontent.py``) is identical to one of them is an error, at
    ``duplicates.near_threshold`` estimated Jaccard similarity or more a warning; the
    finding names the closest external page and lists all of them in *related*. Without
    external pages configured (or when none could be read) the rule scores nothing.
    """

    id = "external-duplicate"
    category = "seo"
    weight = 2.0
    title = Msg("Contenu absent des sites comparés", "Content not found on compared sites")
    description = Msg(
        "Compare le contenu des pages avec celui des pages externes désignées (concurrents, "
        "partenaires).",
        "Compares the pages' content with the external pages named in the config "
        "(competitors, partners).")
    why = Msg(
        "Quand un même texte existe sur deux sites, les moteurs n’en montrent qu’un, pas "
        "toujours l’original : une page copiée d’un concurrent ou d’un fournisseur n’apporte "
        "rien et peut être filtrée, une page recopiée ailleurs peut être devancée par la "
        "copie.",
        "When one text lives on two sites, engines show one of them, not always the original: "
        "a page copied from a competitor or supplier brings nothing and may be filtered out; a "
        "page copied elsewhere can be outranked by the copy.")
    fix = Msg(
        "Réécrivez pour le site les textes repris d’ailleurs ; si un partenaire republie vos "
        "textes, demandez-lui une balise canonical vers l’original, ou seulement un résumé "
        "avec un lien.",
        "Rewrite for the site the texts taken from elsewhere; if a partner republishes your "
        "texts, ask for a canonical tag pointing to the original, or only a summary with a "
        "link.")
    codes = {
        "exact-copy": Code(Severity.ERROR, Msg("Contenu identique sur un autre site",
                                               "Identical content on another site")),
        "near-copy": Code(Severity.WARNING, Msg("Contenu quasi identique sur un autre site",
                                                "Nearly identical content on another site")),
    }

    def collect(self, page: PageItem, ctx: Context) -> None:
        duplicate_index(ctx).add(page)

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        svc = duplicate_index(ctx).finish()
        cfg = ctx.config.duplicates
        external, failed = self._external_pages(ctx)
        if cfg.external and ctx.external_pages is None:
            ctx.note(Msg(
                "Comparaison externe : aucune page externe dans cette exploration "
                "(explorez à nouveau le site après avoir renseigné duplicates.compare_with).",
                "External comparison: no external page in this crawl (crawl the site again "
                "after setting duplicates.compare_with)."))
        elif cfg.external and not external and not failed:
            ctx.note(Msg("Comparaison externe : aucune page externe à comparer n’a été trouvée.",
                         "External comparison: no external page to compare with was found."))
        elif failed:
            total = failed + len(external)
            ctx.note(Msg(
                f"Comparaison externe : {failed} page externe sur {total} n’a pas pu être lue "
                "(exclue par son robots.txt, ou en erreur)." if failed == 1 else
                f"Comparaison externe : {failed} pages externes sur {total} n’ont pas pu être "
                "lues (exclues par leur robots.txt, ou en erreur).",
                f"External comparison: {failed} of {total} external pages could not be read "
                "(excluded by their robots.txt, or in error)."))
        if not external:
            for url in svc.urls:
                yield Score(url, None)  # nothing to compare with: no score either way
            return

        # The external pages' main texts: regions, then each host's own repeated blocks.
        by_host: dict[str, list[PageItem]] = {}
        for page in external:
            by_host.setdefault(urlsplit(page.url).netloc, []).append(page)
        exact: dict[bytes, list[str]] = {}
        index = NearIndex(cfg.near_threshold)
        signer = Signer()
        ext_urls: list[str] = []
        for pages in by_host.values():
            texts = batch_main_texts(pages, cfg.boilerplate_share, cfg.boilerplate_min_pages)
            for page, tokens in zip(pages, texts, strict=True):
                if len(tokens) < cfg.min_words:
                    continue
                exact.setdefault(exact_hash(tokens), []).append(page.url)
                index.insert(len(ext_urls), signer.sign(tokens))
                ext_urls.append(page.url)

        hashes = {group: h for h, group in svc.group_of_hash.items()}
        for group in range(len(svc.leads)):
            matches: dict[str, int] = {url: 100 for url in exact.get(hashes[group], ())}
            for key, sim in index.query(svc.signature(group)):
                matches.setdefault(ext_urls[int(key)], percent(sim))  # type: ignore[call-overload]
            if not matches:
                continue
            ranked = sorted(matches.items(), key=lambda kv: (-kv[1], kv[0]))
            best, pct = ranked[0]
            code = "exact-copy" if pct == 100 else "near-copy"
            more = len(ranked) - 1
            for pid in svc.members(group):
                yield self.finding(svc.urls[pid], code, self._message(best, pct, more),
                                   evidence=Msg(
                                       "\n".join(f"{u} — {p} %" for u, p in ranked),
                                       "\n".join(f"{u} — {p}%" for u, p in ranked)),
                                   related=[u for u, _ in ranked[:MAX_RELATED]])
        for pid, url in enumerate(svc.urls):
            if not svc.compared(pid):
                yield Score(url, None)  # too short to judge

    @staticmethod
    def _external_pages(ctx: Context) -> tuple[list[PageItem], int]:
        """The external pages that answered with HTML (not pages of the site itself),
        and how many others could not be read."""
        if ctx.external_pages is None:
            return [], 0
        pages: list[PageItem] = []
        failed = 0
        for page in ctx.external_pages():
            if page.url in ctx.urls:
                continue  # a page of the site itself: duplicate-content compares those
            if page.ok:
                pages.append(page)
            else:
                failed += 1
        return pages, failed

    @staticmethod
    def _message(best: str, pct: int, more: int) -> Msg:
        if pct == 100:
            msg = Msg("Le contenu principal de cette page se retrouve à l’identique sur {u}.",
                      "This page's main content is found word for word on {u}.")
        else:
            msg = Msg("Le contenu principal de cette page se retrouve presque à l’identique "
                      "sur {u} ({p} % de similarité).",
                      "This page's main content is found almost word for word on {u} "
                      "({p}% similar).")
        msg = msg.format(u=best, p=pct)
        if more:
            msg = Msg(f"{msg.fr} Et sur {more} autre(s) page(s) externe(s) (voir les URL liées).",
                      f"{msg.en} Also on {more} other external page(s) (see the related URLs).")
        return Msg(f"{msg.fr} Si ce texte est le vôtre, demandez le retrait de la copie ou un "
                   "lien canonical vers votre page ; sinon, réécrivez-le.",
                   f"{msg.en} If the text is yours, ask for the copy to be removed or to "
                   "point to your page with a canonical link; otherwise rewrite it.")
