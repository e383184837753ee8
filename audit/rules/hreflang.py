from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from audit.context import Context
from audit.indexability import canonical_target, is_noindex
from audit.langtags import hreflang_problem, primary
from audit.rule import Code, Limit, Msg, Outcome, PageData, Score, Severity, SiteRule
from audit.site_hosts import SiteHosts, site_hosts
from spiders.items import PageItem
from spiders.urls import host_of, on_origin

# Where a declaration was read, as the evidence names it.
_SOURCES = {"link": "<link>", "header": "HTTP Link", "sitemap": "sitemap"}
_WHY_INVALID = {
    "empty": Msg("valeur vide", "empty value"),
    "underscore": Msg("tiret bas au lieu d’un tiret", "underscore instead of a hyphen"),
    "language-name": Msg("nom de langue au lieu d’un code", "language name instead of a code"),
    "three-letters": Msg("code de langue à trois lettres (ISO 639-1 : deux lettres)",
                         "three-letter language code (ISO 639-1: two letters)"),
    "region-only": Msg("région seule, sans langue", "region alone, without a language"),
    "unknown-language": Msg("langue inconnue d’ISO 639-1", "language not in ISO 639-1"),
    "unknown-region": Msg("région inconnue d’ISO 3166-1", "region not in ISO 3166-1"),
    "too-many-parts": Msg("trop de sous-étiquettes", "too many subtags"),
}
MAX_LISTED = 10
# A site is in several languages when each has this many pages, and this share of them.
MIN_LANG_PAGES = 2
MIN_LANG_SHARE = 0.1


@dataclass
class _Page:
    url: str
    entries: list[tuple[str, str, str]] = field(default_factory=list)  # lang, href, source
    canonical: str = ""
    noindex: bool = False
    lang: str = ""  # the language <html lang> declares (primary subtag)


class Hreflang(SiteRule):
    """The alternate language versions a page declares (hreflang) are valid and reciprocal.

    **Why it matters**: hreflang tells Google which version of a page to show to a French,
    Belgian or English searcher. Google ignores an annotation whose code is invalid, and a
    pair whose pages do not point to each other (« if two pages don't both point to each
    other, the tags will be ignored »); a version that answers 404, redirects, is
    ``noindex`` or names another canonical cannot be shown either. ``x-default`` names the
    page for every other visitor (a language chooser, the international home page).

    **Bad**: ``<link rel="alternate" hreflang="en-UK" href="/en/">`` (the United Kingdom
    is ``GB``), ``hreflang="fr_FR"``; ``/fr/`` pointing to ``/en/`` while ``/en/`` names
    no French version; a page listing its translations but not itself.

    **Good**: on ``/fr/`` and on ``/en/`` the same three lines: ``hreflang="fr"
    href=".../fr/"``, ``hreflang="en" href=".../en/"``, ``hreflang="x-default"
    href=".../"``.

    Read from the ``<head>`` (``<link rel="alternate" hreflang>``), the HTTP ``Link:``
    header and the XML sitemap's ``<xhtml:link>``, together. Codes: an ISO 639-1 language,
    optionally a script and an ISO 3166-1 alpha-2 region, any case (``fr-fr`` is valid), or
    ``x-default`` (Google Search Central, « Tell Google about localized versions of your
    page »). Targets are judged only when the crawl fetched them: versions on another
    site are a limit said in the notes, never a finding. A missing ``x-default`` is a
    notice, once for the whole site when no group has one. A site whose pages declare
    several languages in ``<html lang>`` (each on 2 pages and 10 % of them at least) but
    no hreflang at all gets one notice. Pages declaring nothing are not scored (a site in
    one language needs no hreflang); others score from their worst finding.
    """

    id = "hreflang"
    category = "seo"
    weight = 1.0
    title = Msg("Versions linguistiques (hreflang) valides et réciproques",
                "Language versions (hreflang) valid and reciprocal")
    description = Msg(
        "Vérifie les annotations hreflang (balises, en-tête HTTP, sitemap) : codes de langue "
        "et de région, liens de retour, auto-référence, x-default, versions en 200, "
        "indexables et canoniques.",
        "Checks hreflang annotations (tags, HTTP header, sitemap): language and region "
        "codes, return links, self-reference, x-default, versions answering 200, indexable "
        "and canonical.")
    why = Msg(
        "Les annotations hreflang indiquent à Google quelle version linguistique montrer à "
        "chaque internaute. Google ignore un code invalide ou une paire de pages qui ne se "
        "citent pas l’une l’autre, et ne peut pas montrer une version en erreur, redirigée ou "
        "non indexable.",
        "hreflang annotations tell Google which language version to show each searcher. Google "
        "ignores an invalid code or a pair of pages that do not point to each other, and "
        "cannot show a version that is broken, redirected or not indexable.")
    fix = Msg(
        "Sur chaque version, listez toutes les versions, elle-même comprise, avec des codes "
        "valides (fr, en-GB, pas fr_FR) et un x-default ; chaque URL citée doit répondre 200, "
        "être indexable et être sa propre canonical.",
        "On every version, list all versions, itself included, with valid codes (fr, en-GB, "
        "not fr_FR) and an x-default; every URL named must answer 200, be indexable and be its "
        "own canonical.")
    codes = {
        "invalid-code": Code(Severity.WARNING, Msg("Code hreflang invalide",
                                                   "Invalid hreflang code")),
        "conflicting": Code(Severity.WARNING, Msg("Même langue pour deux URL",
                                                  "One language for two URLs")),
        "no-self": Code(Severity.WARNING, Msg("hreflang sans auto-référence",
                                              "hreflang without self-reference")),
        "no-return": Code(Severity.WARNING, Msg("Lien de retour hreflang manquant",
                                                "Missing hreflang return link")),
        "target-not-ok": Code(Severity.WARNING, Msg("Version hreflang en erreur ou redirigée",
                                                    "hreflang version broken or redirected")),
        "target-noindex": Code(Severity.WARNING, Msg("Version hreflang non indexable",
                                                     "hreflang version not indexable")),
        "target-not-canonical": Code(Severity.WARNING, Msg(
            "Version hreflang canonicalisée ailleurs", "hreflang version canonicalised away")),
        "no-x-default": Code(Severity.NOTICE, Msg("Pas de x-default", "No x-default")),
        "none-declared": Code(Severity.NOTICE, Msg(
            "Site en plusieurs langues sans hreflang", "Site in several languages without "
            "hreflang")),
    }
    columns = {"hreflang": Msg("Langues hreflang", "hreflang languages")}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.pages: dict[str, _Page] = {}

    def collect(self, page: PageItem, ctx: Context) -> None:
        # Indexability as the whole audit reads it (audit/indexability.py); the canonical
        # is compared at finish, once the site's other names are known.
        self.pages[page.url] = _Page(
            page.url, [(h.get("lang", ""), h.get("href", ""), h.get("source", "link"))
                       for h in page.hreflang if h.get("href")],
            canonical_target(page), is_noindex(page), primary(page.lang))

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        hosts = site_hosts(ctx)
        for url, alternates in ctx.sitemap_hreflang.items():
            page = self.pages.get(url)
            if page is not None:
                page.entries += [(a.get("lang", ""), a.get("href", ""), "sitemap")
                                 for a in alternates if a.get("href")]
        own = self._own_hosts(ctx, hosts)
        for page in self.pages.values():  # the production domain's URLs are the site's
            page.entries = [(lang, _local(href, page.url, own), source)
                            for lang, href, source in page.entries]
        # Each page's valid targets: lang (lower) -> href.
        declared = {url: _valid_targets(p) for url, p in self.pages.items() if p.entries}
        if not declared:
            yield from self._none_declared(ctx)
        yield from self._per_page(ctx, hosts, declared)
        yield from self._x_default(ctx, declared)
        self.pages.clear()

    def _own_hosts(self, ctx: Context, hosts: SiteHosts) -> set[str]:
        """The site's other names: site.aliases, the production domain the canonicals
        name, and a host on which most pages declaring hreflang name their own path and
        never name themselves here (a local copy of a site whose annotations are absolute
        to its production domain); the last is said once in the Summary's notes."""
        own = set(hosts.aliases) | ({hosts.production} if hosts.production else set())
        declaring = [p for p in self.pages.values() if p.entries]
        counts: Counter[str] = Counter()
        for page in declaring:  # a vote: no line names the page here, one names it there
            here = host_of(page.url)
            if any(href == page.url for _lang, href, _source in page.entries):
                continue
            counts.update({host_of(href) for _lang, href, _source in page.entries
                           if host_of(href) != here and _same_path(href, page.url)})
        for host, n in counts.most_common(1):
            if host not in own and n * 2 > len(declaring):
                own.add(host)
                ctx.note(Msg(
                    "Les annotations hreflang de {n} page(s) sur {t} désignent la même adresse "
                    "sur {h} : ce domaine est traité comme celui du site (à déclarer dans "
                    "site.aliases).",
                    "The hreflang annotations of {n} page(s) out of {t} name the same address "
                    "on {h}: this domain is treated as the site's own (declare it in "
                    "site.aliases).").format(n=n, t=len(declaring), h=host))
        return own

    def _none_declared(self, ctx: Context) -> Iterator[Outcome]:
        """No page declares any hreflang, yet the pages are written for several languages
        (by their <html lang>, each language on at least MIN_LANG_PAGES pages and
        MIN_LANG_SHARE of them): Google may show visitors the wrong version."""
        counts = Counter(p.lang for p in self.pages.values() if p.lang)
        total = sum(counts.values())
        langs = [(lang, n) for lang, n in counts.most_common()
                 if n >= MIN_LANG_PAGES and n >= MIN_LANG_SHARE * total]
        if len(langs) < 2:
            return
        starts = set(ctx.config.site.start_urls)
        home = next((u for u in self.pages if u in starts), next(iter(self.pages)))
        listed = ", ".join(f"{lang} ({n} pages)" for lang, n in langs)
        yield self.finding(home, "none-declared", Msg(
            f"Le site est écrit en plusieurs langues ({listed}, d’après <html lang>) mais "
            "aucune page ne déclare ses versions linguistiques (hreflang) : Google peut "
            "montrer aux visiteurs la version d’une autre langue. Reliez chaque page à ses "
            "traductions.",
            f"The site is written in several languages ({listed}, by <html lang>) but no "
            "page declares its language versions (hreflang): Google may show visitors the "
            "version in another language. Link each page to its translations."),
            evidence=listed)

    def _per_page(self, ctx: Context, hosts: SiteHosts,
                  declared: dict[str, dict[str, set[str]]]) -> Iterator[Outcome]:
        for url, page in self.pages.items():
            if not page.entries:
                yield Score(url, None)
                continue
            langs: list[str] = []
            for lang, _href, _source in page.entries:
                if lang.strip().lower() not in (x.lower() for x in langs):
                    langs.append(lang.strip())
            yield PageData(url, "hreflang", ", ".join(langs))
            yield from self._invalid(page)
            targets = declared[url]
            conflicts = {lang: sorted(hrefs) for lang, hrefs in targets.items() if len(hrefs) > 1}
            if conflicts:
                lines = [f"{lang} → {', '.join(h)}" for lang, h in sorted(conflicts.items())]
                yield self.finding(url, "conflicting", Msg(
                    "La même langue est attribuée à plusieurs URL ({langs}) : Google ne sait "
                    "pas laquelle montrer et peut ignorer les annotations.",
                    "One language is given to several URLs ({langs}): Google cannot tell "
                    "which to show and may ignore the annotations.").format(
                        langs=", ".join(sorted(conflicts))),
                    evidence="\n".join(lines),
                    related=sorted({h for hs in conflicts.values() for h in hs}))
            all_targets = {h for hs in targets.values() for h in hs}
            if all_targets and not any(hosts.same_page(url, h) for h in all_targets):
                yield self.finding(url, "no-self", Msg(
                    "La page liste ses versions linguistiques sans se citer elle-même : "
                    "ajoutez une ligne hreflang vers sa propre URL.",
                    "The page lists its language versions but not itself: add an hreflang "
                    "line to its own URL."), evidence=_lines(page))
            yield from self._targets(ctx, hosts, url, all_targets, declared)

    def _invalid(self, page: _Page) -> Iterator[Outcome]:
        bad: list[tuple[str, str, str, str]] = []  # value, source, why, fix
        for lang, _href, source in page.entries:
            why, fix = hreflang_problem(lang)
            if why and lang not in (b[0] for b in bad):
                bad.append((lang, source, why, fix))
        if not bad:
            return
        fr = "; ".join(f"« {v} » ({_WHY_INVALID[w].fr}" + (f", écrire « {f} »" if f else "")
                       + ")" for v, _s, w, f in bad)
        en = "; ".join(f"'{v}' ({_WHY_INVALID[w].en}" + (f", write '{f}'" if f else "") + ")"
                       for v, _s, w, f in bad)
        yield self.finding(page.url, "invalid-code", Msg(
            f"Code hreflang invalide, ignoré par Google : {fr}.",
            f"Invalid hreflang code, ignored by Google: {en}."),
            evidence="\n".join(f"{v} ({_SOURCES.get(s, s)})" for v, s, _w, _f in bad))

    def _targets(self, ctx: Context, hosts: SiteHosts, url: str, targets: set[str],
                 declared: dict[str, dict[str, set[str]]]) -> Iterator[Outcome]:
        broken: list[str] = []
        noindex: list[str] = []
        canonicalised: list[str] = []
        no_return: list[str] = []
        for target in sorted(targets):
            if hosts.same_page(url, target):
                continue
            info = ctx.urls.get(target)
            if info is None:  # another site's version, or past the crawl's budget
                yield Limit("not-crawled", Msg(
                    "Liens de retour hreflang non vérifiés sur {pages} : leurs versions "
                    "linguistiques n’ont pas été explorées (autre site, ou limite de pages).",
                    "hreflang return links not checked on {pages}: their language versions "
                    "were not crawled (another site, or the page limit)."), url=url,
                    detail=target)
                continue
            if info.status is None or not 200 <= info.status < 300:
                why = f"HTTP {info.status}" if info.status else (info.error or "no answer")
                if info.redirect_to:
                    why += f" → {info.redirect_to}"
                broken.append(f"{target} ({why})")
                continue
            other = self.pages.get(target)
            if other is None:  # a 2xx file that is not HTML (a PDF): nothing more to read
                continue
            if other.noindex:
                noindex.append(target)
            elif other.canonical and not hosts.same_page(target, other.canonical):
                canonicalised.append(f"{target} → {other.canonical}")
            elif not any(hosts.same_page(url, h) for hs in declared.get(target, {}).values()
                         for h in hs):
                no_return.append(target)
        if broken:
            yield self.finding(url, "target-not-ok", _plural(
                len(broken),
                Msg("La version linguistique déclarée ne répond pas 200 (erreur ou "
                    "redirection) : Google ignore l’annotation. Pointez vers l’URL finale.",
                    "The declared language version does not answer 200 (error or redirect): "
                    "Google ignores the annotation. Point to the final URL."),
                Msg("{n} versions linguistiques déclarées ne répondent pas 200 (erreur ou "
                    "redirection) : Google ignore ces annotations. Pointez vers les URL "
                    "finales.",
                    "{n} declared language versions do not answer 200 (error or redirect): "
                    "Google ignores these annotations. Point to the final URLs.")),
                evidence="\n".join(broken[:MAX_LISTED]),
                related=[b.split(" (")[0] for b in broken[:MAX_LISTED]])
        if noindex:
            yield self.finding(url, "target-noindex", _plural(
                len(noindex),
                Msg("La version linguistique déclarée est en noindex : elle ne peut pas être "
                    "montrée à la place de cette page.",
                    "The declared language version is noindex: it cannot be shown in place of "
                    "this page."),
                Msg("{n} versions linguistiques déclarées sont en noindex : elles ne peuvent "
                    "pas être montrées à la place de cette page.",
                    "{n} declared language versions are noindex: they cannot be shown in "
                    "place of this page.")),
                evidence="\n".join(noindex[:MAX_LISTED]), related=noindex[:MAX_LISTED])
        if canonicalised:
            yield self.finding(url, "target-not-canonical", _plural(
                len(canonicalised),
                Msg("La version linguistique déclarée désigne une autre URL comme canonique : "
                    "une annotation hreflang doit viser l’URL canonique.",
                    "The declared language version names another URL as canonical: an "
                    "hreflang annotation must point to the canonical URL."),
                Msg("{n} versions linguistiques déclarées désignent une autre URL comme "
                    "canonique : les annotations hreflang doivent viser les URL canoniques.",
                    "{n} declared language versions name another URL as canonical: hreflang "
                    "annotations must point to canonical URLs.")),
                evidence="\n".join(canonicalised[:MAX_LISTED]),
                related=[c.split(" → ")[0] for c in canonicalised[:MAX_LISTED]])
        if no_return:
            yield self.finding(url, "no-return", _plural(
                len(no_return),
                Msg("La version linguistique déclarée ne renvoie pas vers cette page : sans "
                    "lien de retour, Google ignore la paire. Ajoutez-y un hreflang vers cette "
                    "page.",
                    "The declared language version does not point back to this page: "
                    "without a return link Google ignores the pair. Add to it an hreflang to "
                    "this page."),
                Msg("{n} versions linguistiques ne renvoient pas vers cette page : sans lien "
                    "de retour, Google ignore ces paires. Ajoutez sur chacune un hreflang vers "
                    "cette page.",
                    "{n} language versions do not point back to this page: without a return "
                    "link Google ignores these pairs. Add to each an hreflang to this page.")),
                evidence="\n".join(no_return[:MAX_LISTED]), related=no_return[:MAX_LISTED])

    def _x_default(self, ctx: Context, declared: dict[str, dict[str, set[str]]]
                   ) -> Iterator[Outcome]:
        """Groups of pages tied by hreflang, and whether one of them names an x-default."""
        parent = {url: url for url in declared}

        def root(u: str) -> str:
            while parent[u] != u:
                parent[u] = parent[parent[u]]
                u = parent[u]
            return u

        for url, targets in declared.items():
            for hrefs in targets.values():
                for href in hrefs:
                    if href in parent:
                        parent[root(href)] = root(url)
        groups: dict[str, list[str]] = {}
        for url in declared:  # crawl order: a group's first page is the one met first
            groups.setdefault(root(url), []).append(url)
        lacking = [members for members in groups.values()
                   if not any("x-default" in declared[m] for m in members)]
        if not lacking:
            return
        if len(lacking) == len(groups) and len(groups) > 1:
            first = lacking[0][0]
            yield self.finding(first, "no-x-default", Msg(
                "Aucun des {n} groupes de versions linguistiques du site ne déclare de "
                "x-default : la page à montrer aux autres visiteurs (choix de la langue, "
                "accueil international) n’est pas désignée.",
                "None of the site's {n} groups of language versions declares an x-default: "
                "the page for every other visitor (language chooser, international home) is "
                "not named.").format(n=len(groups)),
                related=[g[0] for g in lacking[:MAX_LISTED]])
            return
        for members in lacking:
            yield self.finding(members[0], "no-x-default", Msg(
                "Ces versions linguistiques ne déclarent pas de x-default : la page à "
                "montrer aux autres visiteurs (choix de la langue, accueil international) "
                "n’est pas désignée.",
                "These language versions declare no x-default: the page for every other "
                "visitor (language chooser, international home) is not named."),
                related=members[1:MAX_LISTED + 1])


def _plural(n: int, one: Msg, many: Msg) -> Msg:
    return one if n == 1 else many.format(n=n)


def _same_path(href: str, page_url: str) -> bool:
    """``href`` names ``page_url``'s path and query, a final slash aside (a static host
    serves /blog and /blog/ as one page)."""
    a, b = urlsplit(href), urlsplit(page_url)
    return (a.path.rstrip("/") or "/") == (b.path.rstrip("/") or "/") and a.query == b.query


def _local(href: str, page_url: str, own: set[str]) -> str:
    """``href`` on the audited origin when it is on one of the site's other names (site.
    aliases, its production domain); the page itself when it names the page's path."""
    host = host_of(href)
    if not host or host == host_of(page_url) or host not in own:
        return href
    if _same_path(href, page_url):
        return page_url
    return on_origin(href, page_url)


def _valid_targets(page: _Page) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for lang, href, _source in page.entries:
        if not hreflang_problem(lang)[0]:
            out.setdefault(lang.strip().lower(), set()).add(href)
    return out


def _lines(page: _Page) -> str:
    return "\n".join(f"{lang} → {href} ({_SOURCES.get(source, source)})"
                     for lang, href, source in page.entries[:MAX_LISTED])
