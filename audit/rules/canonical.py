from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from audit.context import Context
from audit.indexability import canonicals, is_noindex
from audit.rule import Code, Limit, Msg, Outcome, PageData, Severity, SiteRule
from audit.site_hosts import is_loopback, site_hosts
from audit.typedyaml import at_least, between, checked
from spiders.items import PageItem
from spiders.urls import host_of, on_origin

SELF = Msg("elle-même", "self")
NONE = Msg("aucune", "none")


def _absolute(href: str) -> bool:
    return href.lower().startswith(("http://", "https://"))


class Canonical(SiteRule):
    """Each page names its canonical URL once, absolutely, and that URL is a page engines
    can index.

    **Why it matters**: ``<link rel="canonical">`` (or the HTTP ``Link: <…>;
    rel="canonical"`` header) tells engines which address to index when a page can be
    reached under several (parameters, http/https, trailing slash, copies). A canonical
    that points to a missing page, a redirect or a ``noindex`` page sends mixed signals:
    engines ignore it, or drop both pages. Several canonicals that disagree are all
    ignored by Google. A canonical naming another site asks engines to rank that site
    instead.

    **Bad**: ``<link rel="canonical" href="/tarifs">`` (relative) on ``/tarifs.html``,
    where ``/tarifs`` redirects to ``/tarifs.html``; two canonical tags naming two
    different URLs; a whole site whose canonicals name ``www.autre-site.fr``.

    **Good**: ``<link rel="canonical" href="https://www.client.fr/tarifs.html">``, on the
    page itself or on its copies, naming a page that answers 200 and is indexable.

    Findings: ``missing`` (notice) on an indexable HTML page without any canonical;
    ``relative`` (notice: valid, but copies of the site on another host then name
    themselves); ``multiple`` (warning) for tags that disagree; ``header-mismatch``
    (warning) for a tag and a ``Link:`` header that disagree; ``target-error`` (error) for
    a canonical to a 4xx/5xx or unreachable URL; ``target-redirect`` (warning);
    ``target-noindex`` (error); ``chain`` (warning) for a canonical to a page that names
    yet another canonical; ``other-host`` (warning) for a canonical to another site, or
    ONE ``site-other-host`` (error) on the start URL when more than ``site_share`` (50 %)
    of the pages name the same other host. Canonicals naming their own page on the site's
    production domain (``site.aliases``, or detected: ``audit/site_hosts.py``) name the
    page itself; when detected, one ``production-host`` notice says so — except for a copy
    on the consultant's machine (127.0.0.1, localhost), which is a copy by definition.
    Canonical targets never crawled (page budget) are not judged, nor by their status a
    target on the production domain (this copy's answer there is not production's). The
    Pages sheet has a « Canonical » column: « elle-même », the URL named, or « aucune ».
    """

    id = "canonical"
    category = "seo"
    weight = 2.0
    title = Msg("Balise canonical juste", "Sound canonical tags")
    description = Msg(
        "Vérifie la balise canonical de chaque page : présente, absolue, unique, et visant "
        "une page indexable (200, sans redirection ni noindex) du site.",
        "Checks each page's canonical: present, absolute, single, and naming an indexable "
        "page (200, no redirect nor noindex) of the site.")
    why = Msg(
        "La balise canonical indique aux moteurs quelle adresse indexer quand une page est "
        "accessible sous plusieurs. Si elle vise une page en erreur, redirigée, en noindex ou "
        "un autre site, ou si plusieurs se contredisent, les moteurs l’ignorent ou écartent "
        "les pages.",
        "The canonical tag tells engines which address to index when a page can be reached "
        "under several. If it names a broken, redirected or noindex page or another site, or "
        "several disagree, engines ignore it or drop the pages.")
    fix = Msg(
        "Mettez dans le <head> de chaque page une seule balise <link rel=\"canonical\"> en URL "
        "absolue (https://…), qui vise la page elle-même ou sa version principale sur ce site, "
        "répondant 200 et indexable.",
        "Put one <link rel=\"canonical\"> in each page's <head>, as an absolute URL "
        "(https://…), naming the page itself or its main version on this site, answering 200 "
        "and indexable.")
    codes = {
        "missing": Code(Severity.NOTICE, Msg("Pas de balise canonical",
                                             "No canonical tag")),
        "relative": Code(Severity.NOTICE, Msg("Canonical en URL relative",
                                              "Relative canonical URL")),
        "multiple": Code(Severity.WARNING, Msg("Plusieurs canonicals contradictoires",
                                               "Several conflicting canonicals")),
        "header-mismatch": Code(Severity.WARNING, Msg(
            "Canonical de l’en-tête HTTP différente de la balise",
            "HTTP header canonical differs from the tag")),
        "target-error": Code(Severity.ERROR, Msg("Canonical vers une page en erreur",
                                                 "Canonical to an error page")),
        "target-redirect": Code(Severity.WARNING, Msg("Canonical vers une URL redirigée",
                                                      "Canonical to a redirected URL")),
        "target-noindex": Code(Severity.ERROR, Msg("Canonical vers une page en noindex",
                                                   "Canonical to a noindex page")),
        "chain": Code(Severity.WARNING, Msg("Chaîne de canonicals",
                                            "Canonical chain")),
        "other-host": Code(Severity.WARNING, Msg("Canonical vers un autre site",
                                                 "Canonical to another site")),
        "site-other-host": Code(Severity.ERROR, Msg(
            "Les canonicals du site désignent un autre domaine",
            "The site's canonicals name another domain")),
        "production-host": Code(Severity.NOTICE, Msg(
            "Canonicals vers le domaine de production",
            "Canonicals to the production domain")),
    }
    columns = {"canonical": Msg("Canonical", "Canonical")}

    @dataclass(frozen=True)
    class Options:
        # Share of the HTML pages naming one other host above which it is one site-level
        # finding rather than one per page.
        site_share: float = checked(between(0, 1), default=0.5)
        max_listed: int = checked(at_least(1), default=10)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.pages: list[str] = []  # HTML pages answering 200, in crawl order
        self.declared: dict[str, str] = {}  # page -> its one canonical, when not itself
        self.noindex: set[str] = set()
        self.early: list[Outcome] = []  # what one page alone shows, reported at finish
        self.missing: list[str] = []  # indexable pages without a canonical
        self.column: dict[str, Msg | str] = {}

    def applies(self, page: PageItem) -> bool:
        # HTML pages answering 200, and other 200 answers with a canonical header (a PDF).
        return page.status == 200 and (page.is_html or bool(page.canonical_header))

    def collect(self, page: PageItem, ctx: Context) -> None:
        url = page.url
        if url in self.column:
            return
        self.pages.append(url)
        if is_noindex(page):
            self.noindex.add(url)
        found = canonicals(page)
        tags = list(dict.fromkeys(page.canonicals)) or (
            [page.canonical] if page.canonical and page.canonical != page.canonical_header
            else [])
        if not found:
            self.column[url] = NONE
            if page.is_html and url not in self.noindex:
                self.missing.append(url)  # findings made at finish: Msgs are not small
            return
        relative = [h for h in page.canonical_hrefs if h and not _absolute(h)]
        if relative:
            self.early.append(self.finding(url, "relative", Msg(
                "Canonical en URL relative (« {h} ») : valable, mais une copie du site sur "
                "une autre adresse (préproduction, http) se désigne alors elle-même. "
                "Écrivez l’URL complète.",
                "Relative canonical URL ('{h}'): valid, but a copy of the site at another "
                "address (staging, http) then names itself. Write the full URL.").format(
                    h=relative[0]), evidence=relative[0]))
        if len(tags) > 1:
            self.early.append(self.finding(url, "multiple", Msg(
                "{n} balises canonical désignent des URL différentes : Google les ignore "
                "toutes. Gardez-en une seule.",
                "{n} canonical tags name different URLs: Google ignores them all. Keep only "
                "one.").format(n=len(tags)), evidence=" | ".join(tags), related=tags))
        header = page.canonical_header
        if header and tags and any(t != header for t in tags):
            self.early.append(self.finding(url, "header-mismatch", Msg(
                "L’en-tête HTTP Link désigne {h} comme canonical, la balise {t} : signaux "
                "contradictoires, ignorés par Google.",
                "The HTTP Link header names {h} as canonical, the tag {t}: conflicting "
                "signals, which Google ignores.").format(h=header, t=tags[0]),
                evidence=f"Link: {header} | <link>: {tags[0]}", related=[header, *tags]))
        if len(found) > 1:
            self.column[url] = Msg(f"contradictoires ({len(found)})",
                                   f"conflicting ({len(found)})")
            return
        target = found[0]
        if target == url:
            self.column[url] = SELF
        else:
            self.column[url] = target
            self.declared[url] = target

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        yield from self.early
        for url in self.missing:
            yield self.finding(url, "missing", Msg(
                "Pas de balise canonical : si la page est joignable sous plusieurs adresses "
                "(paramètres, http/https, barre finale), les moteurs choisissent seuls. "
                "Ajoutez <link rel=\"canonical\" href=\"{u}\">.",
                "No canonical tag: if the page can be reached under several addresses "
                "(parameters, http/https, trailing slash), engines choose alone. Add "
                "<link rel=\"canonical\" href=\"{u}\">.").format(u=url))
        hosts = site_hosts(ctx)
        hosts.note_production(ctx)
        home = ctx.config.site.start_urls[0]
        resolved: dict[str, str] = {}  # page -> its canonical on the audited origin
        other: dict[str, str] = {}  # page -> another site's canonical
        production = 0
        for url, target in self.declared.items():
            if hosts.same_page(url, target):
                self.column[url] = SELF
                production += 1
                continue
            host = host_of(target)
            if host and host != host_of(url) and not hosts.is_site(host):
                other[url] = target
                continue
            # The production domain (or an alias) is the site: its path on this origin.
            resolved[url] = (on_origin(target, url)
                             if host in hosts.aliases or host == hosts.production else target)
        by_host = Counter(host_of(t) for t in other.values())
        total = len(self.pages) or 1
        site_wide = {h for h, n in by_host.items() if n / total > self.options.site_share}
        local = is_loopback(host_of(home))
        for host in sorted(site_wide):
            pages = [u for u, t in other.items() if host_of(t) == host]
            if local:
                # A copy on the consultant's machine naming one other host everywhere: its
                # production site (under another base path, perhaps). Said, not accused.
                ctx.note(Msg(
                    "Les canonicals de {n} pages sur {t} désignent {h} : lu comme le site de "
                    "production de cette copie locale ; leurs cibles ne sont pas vérifiées.",
                    "The canonicals of {n} pages out of {t} name {h}: read as the production "
                    "site of this local copy; their targets are not checked.").format(
                        n=len(pages), t=len(self.pages), h=host))
                continue
            yield self.finding(home, "site-other-host", Msg(
                "Les canonicals de {n} pages sur {t} désignent {h} : le site demande aux "
                "moteurs d’indexer {h} à sa place. Si ce site est une copie de {h} "
                "(préproduction), c’est voulu — fermez-la alors aux moteurs (noindex ou mot "
                "de passe) ; sinon, corrigez les canonicals : ces pages ne peuvent pas se "
                "positionner.",
                "The canonicals of {n} pages out of {t} name {h}: the site asks engines to "
                "index {h} instead. If this site is a copy of {h} (staging), that is meant — "
                "then close it to engines (noindex or password); otherwise fix the "
                "canonicals: these pages cannot rank.").format(
                    n=len(pages), t=len(self.pages), h=host),
                evidence=f"{pages[0]} → {other[pages[0]]}",
                related=pages[:self.options.max_listed])
        for url, target in other.items():
            host = host_of(target)
            if host in site_wide:
                continue
            yield self.finding(url, "other-host", Msg(
                "La canonical désigne une page d’un autre site ({h}) : les moteurs "
                "indexeront celle-ci à la place de la vôtre.",
                "The canonical names a page of another site ({h}): engines will index that "
                "one instead of yours.").format(h=host), evidence=target, related=[target])
        if production and hosts.production and not local:
            yield self.finding(home, "production-host", Msg(
                "Les canonicals de {n} pages désignent leur propre adresse sur {h} : ce site "
                "est lu comme une copie de {h}, que les moteurs indexeront à sa place. "
                "Normal pour une préproduction (à fermer aux moteurs) ; à corriger si ce "
                "site doit se positionner lui-même.",
                "The canonicals of {n} pages name their own address on {h}: this site reads "
                "as a copy of {h}, which engines will index instead. Normal for a staging "
                "copy (to be closed to engines); to fix if this site must rank on its "
                "own.").format(n=production, h=hosts.production),
                evidence=hosts.production)
        copies: list[str] = []
        for url, target in resolved.items():
            copied = host_of(self.declared[url]) != host_of(url)
            yield from self._judge(url, target, resolved, ctx, copies if copied else None)
        if copies:
            yield Limit("copy-answers", Msg(
                "{n} canonical(s) désignent le domaine de production, où cette copie répond en "
                "erreur ou par une redirection : non signalées, la canonical décrit la "
                "production (premier exemple : {u}).",
                "{n} canonical(s) name the production domain, where this copy answers with an "
                "error or a redirect: not reported, the canonical describes production (first "
                "example: {u}).").format(n=len(copies), u=copies[0]))
        for url, value in self.column.items():
            yield PageData(url, "canonical", value)
        self.pages.clear()
        self.declared.clear()
        self.early.clear()
        self.missing.clear()
        self.column.clear()

    def _judge(self, url: str, target: str, resolved: dict[str, str], ctx: Context,
               copies: list[str] | None) -> Iterator[Outcome]:
        """``copies``: the canonical names the production domain (``target`` is its path
        here); how this copy answers there says nothing of production: listed, not
        judged."""
        info = ctx.urls.get(target)
        if info is None:
            return  # never crawled (page budget, out of scope): unknown
        status, final, hops = ctx.final_status(target)
        if copies is not None and (hops or status is None or status >= 400):
            copies.append(url)
            return
        if hops:
            yield self.finding(url, "target-redirect", Msg(
                "La canonical désigne {t}, qui redirige vers {f} : nommez directement "
                "l’URL finale.",
                "The canonical names {t}, which redirects to {f}: name the final URL "
                "directly.").format(t=target, f=final),
                evidence=" → ".join([*hops, final]), related=[target])
            return
        if status is None or status >= 400:
            why = f"HTTP {status}" if status else (info.error or "no answer")
            yield self.finding(url, "target-error", Msg(
                "La canonical désigne {t}, qui répond {c} : les moteurs l’ignorent, ou "
                "retirent les deux pages de l’index.",
                "The canonical names {t}, which answers {c}: engines ignore it, or drop "
                "both pages from the index.").format(t=target, c=why),
                evidence=f"{target} ({why})", related=[target])
            return
        if target in self.noindex:
            yield self.finding(url, "target-noindex", Msg(
                "La canonical désigne {t}, une page en noindex : signaux contradictoires, "
                "au risque qu’aucune des deux pages ne reste dans l’index.",
                "The canonical names {t}, a noindex page: conflicting signals, neither page "
                "may stay in the index.").format(t=target), evidence=target, related=[target])
            return
        further = resolved.get(target)
        if further and further != target:
            yield self.finding(url, "chain", Msg(
                "Chaîne de canonicals : {t} désigne à son tour {f}. Nommez directement {f}.",
                "Canonical chain: {t} names {f} in turn. Name {f} directly.").format(
                    t=target, f=further),
                evidence=f"{url} → {target} → {further}", related=[target, further])
