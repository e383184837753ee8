from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from audit.context import Context
from audit.indexability import Indexability, indexability
from audit.rule import Code, Limit, Msg, Outcome, Score, Severity, SiteRule
from audit.site_hosts import is_loopback, site_hosts
from audit.typedyaml import at_least, checked
from spiders.items import PageItem
from spiders.urls import host_of, on_origin

# What a listed URL that engines cannot index under its own address becomes.
_LISTED = {
    "redirect": ("redirect", Msg(
        "URL du sitemap redirigée ({d}) : listez l’URL finale.",
        "Sitemap URL redirected ({d}): list the final URL.")),
    "status": ("error", Msg(
        "URL du sitemap en erreur ({d}) : retirez-la du sitemap ou réparez la page.",
        "Sitemap URL in error ({d}): drop it from the sitemap or repair the page.")),
    "robots-txt": ("blocked", Msg(
        "URL du sitemap interdite par robots.txt : le sitemap demande de l’explorer, "
        "robots.txt l’interdit. Choisissez.",
        "Sitemap URL disallowed by robots.txt: the sitemap asks engines to crawl it, "
        "robots.txt forbids it. Choose.")),
    "noindex": ("noindex", Msg(
        "URL du sitemap en noindex ({d}) : le sitemap la propose à l’index, la page le "
        "refuse. Retirez-la du sitemap, ou retirez le noindex.",
        "Sitemap URL set to noindex ({d}): the sitemap offers it to the index, the page "
        "refuses. Drop it from the sitemap, or drop the noindex.")),
    "canonicalised": ("canonicalised", Msg(
        "URL du sitemap dont la canonical désigne une autre page ({d}) : listez la page "
        "canonique.",
        "Sitemap URL whose canonical names another page ({d}): list the canonical page.")),
}


def _lastmod(value: str) -> datetime | None:
    """A W3C datetime (``2026-03-12``, ``2026-03-12T10:20:00+02:00``), in UTC; None when
    unreadable."""
    text = value.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class Sitemaps(SiteRule):
    """The XML sitemap lists exactly the pages to index, with honest dates, and robots.txt
    names it.

    **Why it matters**: the sitemap is the list of pages the site asks engines to index.
    A listed URL that redirects, fails, is ``noindex`` or names another canonical wastes
    crawling and makes the whole file less trusted; an indexable page missing from it is
    found later, or never. ``lastmod`` helps engines recrawl what changed — only if it is
    true: a date in the future, or the same date on every URL (the build date), teaches
    them to ignore it. robots.txt's ``Sitemap:`` line is how every engine finds the file.

    **Bad**: ``sitemap.xml`` lists ``/offres.html`` (301 → ``/tarifs.html``) and
    ``/brouillon.html`` (``noindex``), omits ``/services/audit.html``; its 40 entries all
    carry ``<lastmod>2026-06-01</lastmod>``; robots.txt has no ``Sitemap:`` line.

    **Good**: every indexable page listed once, under its canonical URL answering 200,
    each with the date its content last changed; ``Sitemap: https://www.client.fr/
    sitemap.xml`` in robots.txt.

    Findings on the listed URL: ``redirect`` (warning), ``error`` (error: 4xx, 5xx, no
    answer), ``blocked`` (warning: robots.txt), ``noindex`` (error), ``canonicalised``
    (warning). ``missing`` (notice) on an indexable page the sitemap omits — only when the
    site has a sitemap whose URLs match the crawled ones (a local copy whose sitemap lists
    its production addresses under another path cannot be compared: a limit of the
    audit). Once per site: ``lastmod-future`` (warning, more than a day ahead),
    ``lastmod-identical`` (notice: at least ``min_identical`` entries, 10, all with one
    date), ``not-in-robots`` (notice: the sitemap was found at /sitemap.xml or configured
    in ``site.sitemaps``, robots.txt does not name it), ``other-host`` (warning: entries on
    another site, which engines ignore), ``no-sitemap`` (notice: none found). URLs never
    crawled (page budget) are not judged; a sitemap page no page links to is orphan-page's.
    """

    id = "sitemaps"
    category = "seo"
    weight = 1.0
    title = Msg("Sitemap XML fidèle", "Accurate XML sitemap")
    description = Msg(
        "Vérifie que le sitemap XML liste les pages indexables et seulement elles (200, sans "
        "redirection, noindex ni canonical ailleurs), avec des dates lastmod crédibles, et "
        "que robots.txt le déclare.",
        "Checks that the XML sitemap lists the indexable pages and only them (200, no "
        "redirect, noindex nor canonical elsewhere), with credible lastmod dates, and that "
        "robots.txt declares it.")
    codes = {
        "redirect": Code(Severity.WARNING, Msg("URL du sitemap redirigée",
                                               "Redirected URL in the sitemap")),
        "error": Code(Severity.ERROR, Msg("URL du sitemap en erreur",
                                          "Error URL in the sitemap")),
        "blocked": Code(Severity.WARNING, Msg("URL du sitemap bloquée par robots.txt",
                                              "Sitemap URL blocked by robots.txt")),
        "noindex": Code(Severity.ERROR, Msg("URL du sitemap en noindex",
                                            "Noindex URL in the sitemap")),
        "canonicalised": Code(Severity.WARNING, Msg(
            "URL du sitemap canonicalisée ailleurs", "Canonicalised URL in the sitemap")),
        "missing": Code(Severity.NOTICE, Msg("Page indexable absente du sitemap",
                                             "Indexable page missing from the sitemap")),
        "lastmod-future": Code(Severity.WARNING, Msg("Dates lastmod dans le futur",
                                                     "lastmod dates in the future")),
        "lastmod-identical": Code(Severity.NOTICE, Msg(
            "Même date lastmod sur toutes les URL", "The same lastmod on every URL")),
        "not-in-robots": Code(Severity.NOTICE, Msg("Sitemap non déclaré dans robots.txt",
                                                   "Sitemap not declared in robots.txt")),
        "other-host": Code(Severity.WARNING, Msg("Sitemap listant un autre site",
                                                 "Sitemap listing another site")),
        "no-sitemap": Code(Severity.NOTICE, Msg("Pas de sitemap XML", "No XML sitemap")),
    }

    @dataclass(frozen=True)
    class Options:
        min_identical: int = checked(at_least(2), default=10)
        max_listed: int = checked(at_least(1), default=10)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.pages: dict[str, Indexability] = {}  # every URL crawled, in crawl order

    def applies(self, page: PageItem) -> bool:
        return True  # listed URLs may be redirects or errors; only HTML 200 pages are scored

    def collect(self, page: PageItem, ctx: Context) -> None:
        self.pages.setdefault(page.url, indexability(page))

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        try:
            yield from self._judge(ctx)
        finally:
            self.pages.clear()

    def _judge(self, ctx: Context) -> Iterator[Outcome]:
        home = ctx.config.site.start_urls[0]
        scored = [u for u, s in self.pages.items()
                  if s.reason in ("indexable", "noindex", "canonicalised")]
        scored_set = set(scored)
        for url in self.pages:
            if url not in scored_set:
                yield Score(url, None)
        if ctx.sitemap_entries is None:
            if not ctx.config.site.use_sitemaps:
                yield Limit("not-read", Msg(
                    "Sitemap XML non lu (site.use_sitemaps: false) : sa cohérence avec le site "
                    "n’est pas vérifiée.",
                    "XML sitemap not read (site.use_sitemaps: false): its consistency with "
                    "the site is not checked."))
                for url in scored:
                    yield Score(url, None)
                return
            yield self.finding(home, "no-sitemap", Msg(
                "Aucun sitemap XML trouvé (ni dans robots.txt, ni à /sitemap.xml) : il aide "
                "les moteurs à trouver toutes les pages et à repérer celles qui changent.",
                "No XML sitemap found (neither in robots.txt nor at /sitemap.xml): it helps "
                "engines find every page and spot the ones that change."))
            return
        hosts = site_hosts(ctx)
        local = is_loopback(host_of(home))
        listed: dict[str, str] = {}  # URL on the audited site -> its sitemap file
        foreign: dict[str, list[str]] = {}  # sitemap file -> entries on another host
        lastmods: Counter[str] = Counter()
        dated = entries = 0
        future: list[tuple[str, str, str]] = []  # (url, lastmod, file)
        files: dict[str, str] = {}  # sitemap file -> how it was found
        soon = datetime.now(UTC) + timedelta(days=1)  # time zones, clocks
        for entry in ctx.sitemap_entries():
            files.setdefault(entry.sitemap, entry.via)
            entries += 1
            url, host = entry.url, host_of(entry.url)
            if hosts.is_site(host):
                if host in hosts.aliases or host == hosts.production:
                    url = on_origin(url, home)
            elif local:  # a local copy's sitemap names its production addresses
                url = on_origin(url, home)
            else:
                foreign.setdefault(entry.sitemap, []).append(entry.url)
                continue
            listed.setdefault(url, entry.sitemap)
            if entry.lastmod.strip():
                dated += 1
                lastmods[entry.lastmod.strip()] += 1
                moment = _lastmod(entry.lastmod)
                if moment is not None and moment > soon:
                    future.append((url, entry.lastmod.strip(), entry.sitemap))
        for file, urls in foreign.items():
            hosts_named = Counter(host_of(u) for u in urls)
            yield self.finding(file, "other-host", Msg(
                "Le sitemap liste {n} URL d’un autre site ({h}) : les moteurs ignorent les "
                "URL d’un autre hôte que celui du sitemap. Si {h} est ce site (domaine de "
                "production), déclarez-le dans site.aliases.",
                "The sitemap lists {n} URL(s) of another site ({h}): engines ignore URLs of "
                "another host than the sitemap's. If {h} is this site (its production "
                "domain), declare it in site.aliases.").format(
                    n=len(urls), h=", ".join(h for h, _ in hosts_named.most_common(3))),
                evidence=urls[0], related=urls[:self.options.max_listed])
        found = 0
        for url, file in listed.items():
            state = self.pages.get(url)
            if state is None:
                continue  # never crawled (page budget): unknown
            found += 1
            if state.reason == "canonicalised" and hosts.same_page(url, state.detail):
                continue
            judged = _LISTED.get(state.reason)
            if judged is None:
                continue
            code, message = judged
            yield self.finding(url, code, message.format(d=state.detail or state.reason),
                               evidence=f"{file} → {url}", related=[file])
        if listed and not found:
            yield Limit("no-match", Msg(
                "Aucune des {n} URL du sitemap n’a été trouvée parmi les pages explorées "
                "(autre chemin de base ?) : les pages absentes du sitemap ne sont pas "
                "recherchées.",
                "None of the sitemap's {n} URLs was found among the crawled pages (another "
                "base path?): pages missing from the sitemap are not looked for.").format(
                    n=len(listed)))
        elif listed:
            for url in scored:
                state = self.pages[url]
                if state.reason == "canonicalised" and hosts.same_page(url, state.detail):
                    state = Indexability("indexable")
                if state.indexable and url not in listed:
                    yield self.finding(url, "missing", Msg(
                        "Page indexable absente du sitemap : ajoutez-la pour que les moteurs "
                        "la trouvent et la réexplorent quand elle change.",
                        "Indexable page missing from the sitemap: add it so that engines find "
                        "it and crawl it again when it changes."))
        first_file = next(iter(files), home)
        if future:
            url, value, file = future[0]
            yield self.finding(file, "lastmod-future", Msg(
                "{n} date(s) lastmod dans le futur (ex. {v} pour {u}) : les moteurs cessent "
                "de croire les dates de ce sitemap.",
                "{n} lastmod date(s) in the future (e.g. {v} for {u}): engines stop trusting "
                "this sitemap's dates.").format(n=len(future), v=value, u=url),
                evidence=f"{url}: {value}",
                related=[u for u, _, _ in future[:self.options.max_listed]])
        if dated >= self.options.min_identical and len(lastmods) == 1 and dated == entries:
            value = next(iter(lastmods))
            yield self.finding(first_file, "lastmod-identical", Msg(
                "Les {n} URL du sitemap ont toutes la même date lastmod ({v}) : c’est la date "
                "de génération du fichier, pas celle des pages ; les moteurs l’ignorent. "
                "Indiquez la date de dernière modification de chaque page, ou aucune.",
                "The sitemap's {n} URLs all carry the same lastmod ({v}): the date the file "
                "was built, not the pages'; engines ignore it. Give each page's last change "
                "date, or none.").format(n=dated, v=value), evidence=value)
        undeclared = [f for f, via in files.items() if via in ("guessed", "config")]
        if undeclared:
            robots = on_origin("/robots.txt", undeclared[0])
            yield self.finding(robots, "not-in-robots", Msg(
                "robots.txt ne déclare pas le sitemap {s} : ajoutez la ligne « Sitemap: {s} » "
                "pour que tous les moteurs le trouvent.",
                "robots.txt does not declare the sitemap {s}: add the line 'Sitemap: {s}' so "
                "that every engine finds it.").format(s=undeclared[0]),
                evidence=", ".join(undeclared[:3]), related=undeclared[:self.options.max_listed])
