from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import chain
from urllib.parse import urlsplit

from audit.context import Context
from audit.indexability import Indexability, indexability, same_page_in
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


_INDEXES = ("index.html", "index.htm", "index.php")


def _listed(url: str, listed: Mapping[str, object]) -> bool:
    """The page, or its folder's index spelt another way (``/guide/`` and
    ``/guide/index.html``: one file of a static host), is in the sitemap."""
    if url in listed:
        return True
    if url.endswith("/"):
        return any(url + name in listed for name in _INDEXES)
    folder, _, name = url.rpartition("/")
    return name in _INDEXES and folder + "/" in listed


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
    audit). Once per site: ``lastmod-future`` (warning, more than a day ahead); once per
    sitemap file: ``lastmod-identical`` (notice: at least ``min_identical`` entries, 10,
    all with one date); ``not-in-robots`` (notice: the sitemap was found at /sitemap.xml
    or configured in ``site.sitemaps``, robots.txt does not name it or there is none — not
    said of a copy without robots.txt, whose production may have one); ``other-host``
    (warning: entries on another site, which engines ignore); ``relative-loc`` (error:
    ``<loc>/page.html</loc>``, entries engines skip, not judged one by one); ``no-sitemap``
    (notice: none found). URLs never crawled (page budget) are not judged; a sitemap page no
    page links to is orphan-page's.
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
    why = Msg(
        "Le sitemap est la liste des pages que le site demande d’indexer : une URL redirigée, "
        "en erreur, en noindex ou canonicalisée ailleurs gaspille l’exploration et fait perdre "
        "confiance dans tout le fichier ; une page indexable absente est trouvée plus tard, ou "
        "jamais.",
        "The sitemap is the list of pages the site asks engines to index: a URL that "
        "redirects, fails, is noindex or canonicalised elsewhere wastes crawling and makes the "
        "whole file less trusted; an indexable page missing from it is found later, or never.")
    fix = Msg(
        "Listez dans sitemap.xml chaque page indexable une fois, sous son URL canonique "
        "absolue répondant 200, avec la vraie date de sa dernière modification (lastmod), et "
        "déclarez-le dans robots.txt (Sitemap: https://…/sitemap.xml).",
        "List each indexable page once in sitemap.xml, under its absolute canonical URL "
        "answering 200, with the real date it last changed (lastmod), and declare it in "
        "robots.txt (Sitemap: https://…/sitemap.xml).")
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
        "relative-loc": Code(Severity.ERROR, Msg("Adresses relatives dans le sitemap",
                                                 "Relative addresses in the sitemap")),
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
        if not ctx.config.site.use_sitemaps:
            yield Limit("not-read", Msg(
                "Sitemap XML non lu (site.use_sitemaps: false) : sa cohérence avec le site "
                "n’est pas vérifiée.",
                "XML sitemap not read (site.use_sitemaps: false): its consistency with the "
                "site is not checked."))
            for url in scored:
                yield Score(url, None)
            return
        stream = ctx.sitemap_entries() if ctx.sitemap_entries is not None else iter(())
        first = next(stream, None)
        if first is None:
            yield self.finding(home, "no-sitemap", Msg(
                "Aucun sitemap XML lisible trouvé (ni dans robots.txt, ni à /sitemap.xml) : il "
                "aide les moteurs à trouver toutes les pages et à repérer celles qui changent.",
                "No readable XML sitemap found (neither in robots.txt nor at /sitemap.xml): it "
                "helps engines find every page and spot the ones that change."))
            return
        hosts = site_hosts(ctx)
        same_page = same_page_in(ctx)
        local = is_loopback(host_of(home))
        # URL on the audited site -> its sitemap file, and whether the entry named another
        # host (the production domain this copy is audited for)
        listed: dict[str, tuple[str, bool]] = {}
        foreign: dict[str, list[str]] = {}  # sitemap file -> entries on another host
        # per sitemap file: its entries, and how many carry each lastmod
        lastmods: dict[str, Counter[str]] = {}
        entries: Counter[str] = Counter()
        future: list[tuple[str, str, str]] = []  # (url, lastmod, file)
        files: dict[str, str] = {}  # sitemap file -> how it was found
        soon = datetime.now(UTC) + timedelta(days=1)  # time zones, clocks
        relative: dict[str, list[str]] = {}  # sitemap file -> its relative <loc>s
        for entry in chain([first], stream):
            files.setdefault(entry.sitemap, entry.via)
            if entry.relative:  # engines skip it: not a listed URL for them
                relative.setdefault(entry.sitemap, []).append(entry.url)
                continue
            entries[entry.sitemap] += 1
            if entry.lastmod.strip():
                lastmods.setdefault(entry.sitemap, Counter())[entry.lastmod.strip()] += 1
            url, host = entry.url, host_of(entry.url)
            copied = bool(entry.listed)  # on an alias: moved onto this origin by the crawl
            if hosts.is_site(host):
                if host in hosts.aliases or host == hosts.production:
                    url, copied = on_origin(url, home), True
            elif local:  # a local copy's sitemap names its production addresses
                url, copied = on_origin(url, home), True
            else:
                foreign.setdefault(entry.sitemap, []).append(entry.url)
                continue
            listed.setdefault(url, (entry.sitemap, copied))
            moment = _lastmod(entry.lastmod)
            if moment is not None and moment > soon:
                future.append((url, entry.lastmod.strip(), entry.sitemap))
        for file, urls in relative.items():
            yield self.finding(file, "relative-loc", Msg(
                "Le sitemap donne {n} adresse(s) relatives (<loc>{u}</loc>) : le protocole "
                "exige des URL complètes, les moteurs ignorent ces entrées.",
                "The sitemap gives {n} relative address(es) (<loc>{u}</loc>): the protocol "
                "requires full URLs, engines ignore these entries.").format(
                    n=len(urls), u=urlsplit(urls[0]).path),
                evidence=urls[0], related=urls[:self.options.max_listed])
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
        elsewhere: list[str] = []  # production URLs this copy answers in error or redirects
        covered: set[str] = set()
        for url, (file, copied) in listed.items():
            state = self.pages.get(url)
            if state is None:
                continue  # never crawled (page budget): unknown
            found += 1
            if state.reason == "canonicalised" and same_page(url, state.detail):
                continue
            judged = _LISTED.get(state.reason)
            if judged is None:
                continue
            if copied and state.reason in ("status", "redirect"):
                # The sitemap names the production host: how this copy answers says
                # nothing of how production does (a page not copied, a server's habits).
                elsewhere.append(url)
                covered.add(ctx.final_status(url)[1])  # the page the copy serves for it
                continue
            code, message = judged
            yield self.finding(url, code, message.format(d=state.detail or state.reason),
                               evidence=f"{file} → {url}", related=[file])
        if elsewhere:
            yield Limit("copy-answers", Msg(
                "{n} URL du sitemap, qui désignent le domaine de production, répondent en "
                "erreur ou par une redirection sur cette copie : non signalées, le sitemap "
                "décrit la production (premier exemple : {u}).",
                "{n} sitemap URL(s), naming the production domain, answer with an error or a "
                "redirect on this copy: not reported, the sitemap describes production (first "
                "example: {u}).").format(n=len(elsewhere), u=elsewhere[0]))
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
                if state.reason == "canonicalised" and same_page(url, state.detail):
                    state = Indexability("indexable")
                if state.indexable and not _listed(url, listed) and url not in covered:
                    yield self.finding(url, "missing", Msg(
                        "Page indexable absente du sitemap : ajoutez-la pour que les moteurs "
                        "la trouvent et la réexplorent quand elle change.",
                        "Indexable page missing from the sitemap: add it so that engines find "
                        "it and crawl it again when it changes."))
        if future:
            url, value, file = future[0]
            yield self.finding(file, "lastmod-future", Msg(
                "{n} date(s) lastmod dans le futur (ex. {v} pour {u}) : les moteurs cessent "
                "de croire les dates de ce sitemap.",
                "{n} lastmod date(s) in the future (e.g. {v} for {u}): engines stop trusting "
                "this sitemap's dates.").format(n=len(future), v=value, u=url),
                evidence=f"{url}: {value}",
                related=[u for u, _, _ in future[:self.options.max_listed]])
        for file, dates in lastmods.items():
            dated = sum(dates.values())
            if dated < self.options.min_identical or len(dates) > 1 or dated < entries[file]:
                continue
            value = next(iter(dates))
            yield self.finding(file, "lastmod-identical", Msg(
                "Les {n} URL du sitemap ont toutes la même date lastmod ({v}) : c’est la date "
                "de génération du fichier, pas celle des pages ; les moteurs l’ignorent. "
                "Indiquez la date de dernière modification de chaque page, ou aucune.",
                "The sitemap's {n} URLs all carry the same lastmod ({v}): the date the file "
                "was built, not the pages'; engines ignore it. Give each page's last change "
                "date, or none.").format(n=dated, v=value), evidence=value)
        # A copy of production (on this machine, or whose sitemap names production) without
        # robots.txt says nothing of production's robots.txt: not judged then.
        copy = local or any(copied for _file, copied in listed.values())
        kinds = ("guessed", "config") if copy else ("guessed", "config", "no-robots")
        undeclared = [f for f, via in files.items() if via in kinds]
        if undeclared and (found or not listed):  # not for a sitemap of another base path
            robots = on_origin("/robots.txt", undeclared[0])
            if files[undeclared[0]] == "no-robots":
                yield self.finding(robots, "not-in-robots", Msg(
                    "Le site n’a pas de fichier robots.txt : créez-le avec la ligne « Sitemap: "
                    "{s} » pour que tous les moteurs trouvent le sitemap.",
                    "The site has no robots.txt: create one with the line 'Sitemap: {s}' so "
                    "that every engine finds the sitemap.").format(s=undeclared[0]),
                    evidence=", ".join(undeclared[:3]),
                    related=undeclared[:self.options.max_listed])
            else:
                yield self.finding(robots, "not-in-robots", Msg(
                    "robots.txt ne déclare pas le sitemap {s} : ajoutez la ligne « Sitemap: "
                    "{s} » pour que tous les moteurs le trouvent.",
                    "robots.txt does not declare the sitemap {s}: add the line 'Sitemap: {s}' "
                    "so that every engine finds it.").format(s=undeclared[0]),
                    evidence=", ".join(undeclared[:3]),
                    related=undeclared[:self.options.max_listed])
