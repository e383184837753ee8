from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from audit.context import Context
from audit.rule import Code, Finding, Msg, Outcome, Score, Severity, SiteRule
from audit.rules._pending_links import PendingLinks
from audit.typedyaml import at_least, checked
from spiders.items import PageItem
from spiders.urls import host_of

TEMPORARY = (302, 303, 307)
# Where a temporary redirect is the right tool: a login wall, a cart, a session or a
# language chosen for the visitor. Path segments, accents and case ignored.
_TEMPORARY_TARGETS = re.compile(
    r"(?:^|[/_.\-])(?:login|log-in|logout|signin|sign-in|signup|connexion|connection|"
    r"deconnexion|auth|oauth|sso|account|compte|mon-compte|moncompte|panier|cart|basket|"
    r"checkout|commande|session|maintenance|wp-login\.php|identification|inscription)"
    r"(?:$|[/_.\-?])", re.IGNORECASE)
_INDEX = re.compile(r"/index\.(?:html?|php)$")
_LANG_PREFIX = re.compile(r"^/[a-z]{2}(?:[-_][a-z]{2})?/?$", re.IGNORECASE)


def _plain_move(source: str, target: str) -> bool:
    """The same address on another scheme or host (http → https, example.fr →
    www.example.fr): a move of the whole site, permanent by nature."""
    a, b = urlsplit(source), urlsplit(target)
    return (a.scheme, a.hostname) != (b.scheme, b.hostname) and \
        (a.path or "/", a.query) == (b.path or "/", b.query)


def looks_permanent(source: str, target: str, site: set[str]) -> bool:
    """A 302/303/307 that moves a page for good, by what the two URLs say: the whole site
    moving host or scheme, or a page of the site sent to another page of the site — unless
    the target is a login, account, cart or session page, the redirect only adds a query
    to the same path (a parameter handed out), or it is the home page choosing a language
    (``/`` → ``/fr/``: Google advises a temporary redirect there)."""
    if _plain_move(source, target):
        return True
    a, b = urlsplit(source), urlsplit(target)
    if (a.hostname or "") not in site or (b.hostname or "") not in site:
        return False
    if _TEMPORARY_TARGETS.search(b.path + ("?" + b.query if b.query else "")):
        return False
    if (a.path or "/") == (b.path or "/"):
        return False  # the same page with a parameter (a session, a tracking id)
    # The home page choosing a language is temporary by design.
    return not ((a.path or "/") == "/" and _LANG_PREFIX.match(b.path or "/"))


class Redirects(SiteRule):
    """Redirects are single, permanent hops, done by the server, and internal links
    skip them.

    **Why it matters**: every hop costs engines a fetch and visitors a delay; chains
    dilute what links pass and engines stop following after a few hops (Googlebot: 10);
    a loop makes the page unreachable. A 302/307 tells engines the move is temporary: they
    keep the old URL indexed and consolidate signals on the new one late, if at all. A
    meta refresh or a script redirect is slower, invisible to tools that do not read the
    page, and weaker than a 301 (Google treats only an instant meta refresh as permanent).
    An https site whose http:// address answers 200 is served twice, once insecure.

    **Bad**: ``/offres.html`` 301 → ``/offres-2023.html`` 301 → ``/tarifs.html`` linked
    from the menu; ``/ancien-blog/`` 302 → ``/blog/`` for two years; a home page
    ``<meta http-equiv="refresh" content="0; url=/accueil.html">``;
    ``<script>window.location = "/fr/"</script>``; ``http://www.exemple.fr/`` answering 200.

    **Good**: ``/offres.html`` 301 → ``/tarifs.html`` directly, the menu linking
    ``/tarifs.html``; ``http://`` 301 → ``https://``; moves done by the server (301/308).

    Codes: ``chain`` (≥ 2 hops, on the URL where it starts, not on its intermediate hops),
    ``loop`` (once per loop, on the first URL crawled that leads into it), ``temporary``
    (a 302/303/307 that :func:`looks_permanent` — the audit sees one crawl, so it judges
    by the two URLs: the whole site changing host or scheme, or one page of the site sent
    to another; NOT accused: targets that are login, account, cart or session pages, a
    parameter added to the same path, the home page choosing a language), ``meta-refresh``
    and ``js-redirect`` (an unconditional inline script assigning ``location``; scripts
    acting on a click, a condition or a timer are not redirects), ``http-not-redirected``
    (an https site whose http:// URLs answer 200 — one finding for the site), and on the
    linking pages ``link-to-redirect`` (notice) and ``link-to-chain`` (warning; the page
    loses ``chain_penalty`` points per chain; a target linked from ``template_pages``
    pages or more — a menu, a footer — is one finding naming them, the fix being made
    once; links that only miss the final slash the server adds, on that many pages, are
    one finding for the site: the generator's trailing-slash setting). Each redirect's
    findings list the pages
    linking to it (``related``). Links into a loop or to a redirect ending on an error are
    broken links (``broken-link``); a page reloading itself (refresh without a URL) is not
    a redirect.
    """

    id = "redirects"
    category = "seo"
    weight = 1.5
    title = Msg("Redirections directes et permanentes", "Redirects single and permanent")
    description = Msg(
        "Repère les chaînes et boucles de redirections, les redirections temporaires "
        "(302/307) de pages déplacées, les redirections par meta refresh ou JavaScript, "
        "http:// non redirigé vers https:// et les liens internes vers des redirections.",
        "Finds redirect chains and loops, temporary (302/307) redirects of moved pages, "
        "meta refresh and JavaScript redirects, http:// not redirected to https://, and "
        "internal links to redirects.")
    why = Msg(
        "Chaque redirection coûte une requête aux moteurs et un délai aux visiteurs ; les "
        "chaînes diluent ce que transmettent les liens, une boucle rend la page inaccessible, "
        "et une redirection temporaire (302/307), par meta refresh ou JavaScript transmet "
        "moins bien les signaux qu’une 301.",
        "Every redirect costs engines a fetch and visitors a delay; chains dilute what links "
        "pass, a loop makes the page unreachable, and a temporary (302/307), meta refresh or "
        "JavaScript redirect passes signals less well than a 301.")
    fix = Msg(
        "Faites rediriger par le serveur, en 301, directement vers l’adresse finale (http:// "
        "vers https:// compris), sans étape ni boucle, et corrigez les liens internes pour "
        "qu’ils visent cette adresse finale.",
        "Have the server redirect with a 301 straight to the final address (http:// to "
        "https:// included), with no hop or loop, and update internal links to point at that "
        "final address.")
    codes = {
        "loop": Code(Severity.ERROR, Msg("Boucle de redirections", "Redirect loop")),
        "chain": Code(Severity.WARNING, Msg("Chaîne de redirections", "Redirect chain")),
        "temporary": Code(Severity.WARNING, Msg(
            "Redirection temporaire (302/307) d’une page déplacée",
            "Temporary redirect (302/307) of a moved page")),
        "meta-refresh": Code(Severity.WARNING, Msg("Redirection par meta refresh",
                                                   "Meta refresh redirect")),
        "js-redirect": Code(Severity.WARNING, Msg("Redirection en JavaScript",
                                                  "JavaScript redirect")),
        "http-not-redirected": Code(Severity.WARNING, Msg(
            "Version http:// du site non redirigée vers https://",
            "http:// version of the site not redirected to https://")),
        "link-to-chain": Code(Severity.WARNING, Msg("Lien vers une chaîne de redirections",
                                                    "Link to a redirect chain")),
        "link-to-redirect": Code(Severity.NOTICE, Msg("Lien vers une URL redirigée",
                                                      "Link to a redirected URL")),
    }

    @dataclass(frozen=True)
    class Options:
        chain_penalty: float = checked(at_least(0), default=5.0)
        max_listed: int = checked(at_least(1), default=10)  # linking pages in related
        template_pages: int = checked(at_least(2), default=5)  # one finding per target

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._links = PendingLinks()
        # Pages answering 200 that send the visitor elsewhere: url -> (kind, target, delay)
        self._soft: dict[str, tuple[str, str, float | None]] = {}

    def collect(self, page: PageItem, ctx: Context) -> None:
        if page.refresh_delay is not None and page.refresh_url and page.refresh_url != page.url:
            self._soft[page.url] = ("meta-refresh", page.refresh_url, page.refresh_delay)
        elif page.js_redirect and page.js_redirect != page.url:
            self._soft[page.url] = ("js-redirect", page.js_redirect, None)
        else:
            self._links.settle(page.url)
        known, soft = ctx.urls, self._soft

        def may_redirect(url: str) -> bool:
            info = known.get(url)
            return (info is None or info.status is None or not 200 <= info.status < 300
                    or url in soft)

        self._links.add(page, may_redirect)

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        linked_from: dict[str, list[str]] = {}
        judged: list[tuple[str, Finding]] = []  # (target, finding on the linking page)
        for source, links in self._links.drain():
            for target, anchor in links:
                linked_from.setdefault(target, []).append(source)
                found = self._link(source, target, anchor or "—", ctx)
                if found is not None:
                    judged.append((target, found))
        yield from self._links_findings(judged, linked_from)
        yield from self._redirect_urls(ctx, linked_from)
        yield from self._soft_redirects(linked_from)
        yield from self._http_version(ctx, linked_from)
        self._soft.clear()

    def _links_findings(self, judged: list[tuple[str, Finding]],
                        linked_from: dict[str, list[str]]) -> Iterator[Outcome]:
        """One finding per linking page and target; a target linked from
        ``template_pages`` pages or more (a menu, a footer, a template) is one finding
        naming them, on the first: the fix is made once."""
        o = self.options
        slash = [(t, f) for t, f in judged if _slash_only(f)]
        sources = list(dict.fromkeys(f.url for _t, f in slash))
        if len(sources) >= o.template_pages:
            # The site writes its links without the final slash its server wants: a
            # setting of the site's generator, one fix for every link.
            targets = list(dict.fromkeys(t for t, _f in slash))
            yield self.finding(sources[0], "link-to-redirect", Msg(
                "{k} liens internes, sur {n} pages, visent une adresse sans la barre finale "
                "que le serveur ajoute par une redirection ({e}) : faites écrire au "
                "générateur du site l’adresse finale (réglage des barres finales, "
                "« trailing slash »).",
                "{k} internal links, on {n} pages, point at an address without the final "
                "slash the server adds with a redirect ({e}): make the site's generator write "
                "the final address (its trailing-slash setting).").format(
                    k=len(slash), n=len(sources), e=slash[0][1].evidence),
                evidence=str(slash[0][1].evidence), related=targets[: o.max_listed])
            judged = [(t, f) for t, f in judged if not _slash_only(f)]
        pages_per_target: dict[str, int] = {}
        for target, _f in judged:
            pages_per_target[target] = pages_per_target.get(target, 0) + 1
        chains: dict[str, int] = {}  # linking page -> chains it links to
        grouped: set[str] = set()
        for target, f in judged:
            n = pages_per_target[target]
            if n >= o.template_pages:
                if target in grouped:
                    continue
                grouped.add(target)
                final = f.evidence.rsplit(" → ", 1)[-1] if isinstance(f.evidence, str) else ""
                f = self.finding(f.url, f.code, Msg(
                    "{n} pages font un lien vers {u}, qui redirige vers {t} (un menu ou un "
                    "gabarit, sans doute) : visez {t}.",
                    "{n} pages link to {u}, which redirects to {t} (a menu or a template, "
                    "most likely): link to {t}.").format(n=n, u=target, t=final),
                    evidence=f.evidence,
                    related=[target, *linked_from.get(target, [])[: o.max_listed]])
            chains[f.url] = chains.get(f.url, 0) + (f.code == "link-to-chain")
            yield f
        for source, n in chains.items():
            yield Score(source, max(0.0, 100.0 - n * o.chain_penalty))

    # -- links ---------------------------------------------------------------------------

    def _link(self, source: str, target: str, anchor: str, ctx: Context) -> Finding | None:
        soft = self._soft.get(target)
        if soft is not None:
            kind, final, _delay = soft
            message = Msg(
                "Le lien « {a} » pointe vers une page qui redirige (balise meta refresh) : "
                "visez {t}.",
                "The link '{a}' points at a page that redirects (meta refresh): link to {t}.") \
                if kind == "meta-refresh" else Msg(
                "Le lien « {a} » pointe vers une page qui redirige (en JavaScript) : visez {t}.",
                "The link '{a}' points at a page that redirects (JavaScript): link to {t}.")
            return self.finding(source, "link-to-redirect", message.format(a=anchor, t=final),
                                evidence=f"{target} → {final}", related=[target])
        if target not in ctx.urls:
            return None  # never fetched (page budget): unknown
        status, final, hops = ctx.final_status(target)
        if not hops or final in hops:
            return None  # not a redirect, or a loop: a broken link (broken-link)
        info = ctx.urls.get(final)
        if (status is not None and status >= 400) or (
                status is None and info is not None and info.error != "robots.txt"):
            return None  # ends on an error: a broken link (broken-link)
        evidence = " → ".join([*hops, final])
        if len(hops) >= 2:
            return self.finding(source, "link-to-chain", Msg(
                "Le lien « {a} » passe par {n} redirections : visez directement {t}.",
                "The link '{a}' goes through {n} redirects: link straight to {t}.").format(
                    a=anchor, n=len(hops), t=final), evidence=evidence, related=[target])
        if _plain_move(target, final) and target.startswith("http://") \
                and final.startswith("https://"):
            return self.finding(source, "link-to-redirect", Msg(
                "Le lien « {a} » pointe vers l’adresse http:// {u}, redirigée vers https:// : "
                "visez {t}.",
                "The link '{a}' points at the http:// address {u}, redirected to https://: "
                "link to {t}.").format(a=anchor, u=target, t=final),
                evidence=evidence, related=[target])
        return self.finding(source, "link-to-redirect", Msg(
            "Le lien « {a} » pointe vers une URL redirigée : visez {t}.",
            "The link '{a}' points at a redirected URL: link to {t}.").format(
                a=anchor, t=final), evidence=evidence, related=[target])

    # -- the redirects themselves --------------------------------------------------------

    def _sources(self, url: str, linked_from: dict[str, list[str]]) -> list[str]:
        return linked_from.get(url, [])[: self.options.max_listed]

    def _redirect_urls(self, ctx: Context, linked_from: dict[str, list[str]]
                       ) -> Iterator[Outcome]:
        redirects = {url: info for url, info in ctx.urls.items()
                     if info.redirect_to and info.status and 300 <= info.status < 400}
        targets = {info.redirect_to for info in redirects.values()}
        site = _site_hosts(ctx)
        loops_seen: set[frozenset[str]] = set()
        for url, info in redirects.items():  # crawl order
            _status, final, hops = ctx.final_status(url)
            related = self._sources(url, linked_from)
            if hops and final in hops:
                cycle = frozenset(hops[hops.index(final):])
                if cycle in loops_seen:
                    continue
                loops_seen.add(cycle)
                yield self.finding(url, "loop", Msg(
                    "Boucle de redirections : {u} ne mène à aucune page ({n} URL se renvoient "
                    "l’une à l’autre).",
                    "Redirect loop: {u} leads to no page ({n} URLs send to each other).")
                    .format(u=url, n=len(cycle)),
                    evidence=" → ".join([*hops, final]), related=related)
                continue
            if len(hops) >= 2 and url not in targets:
                yield self.finding(url, "chain", Msg(
                    "Chaîne de {n} redirections de {u} à {t} : redirigez {u} directement "
                    "vers {t}.",
                    "Chain of {n} redirects from {u} to {t}: redirect {u} straight to {t}.")
                    .format(n=len(hops), u=url, t=final),
                    evidence=" → ".join([*hops, final]), related=related)
            if info.status in TEMPORARY and looks_permanent(url, info.redirect_to, site):
                yield self.finding(url, "temporary", Msg(
                    "Redirection temporaire ({s}) vers {t} pour ce qui ressemble à un "
                    "déplacement définitif : les moteurs gardent l’ancienne URL. Utilisez une "
                    "301 (ou 308).",
                    "Temporary redirect ({s}) to {t} for what looks like a permanent move: "
                    "engines keep the old URL. Use a 301 (or 308).").format(
                        s=info.status, t=info.redirect_to),
                    evidence=f"{url} {info.status} → {info.redirect_to}", related=related)

    def _soft_redirects(self, linked_from: dict[str, list[str]]) -> Iterator[Outcome]:
        seen: set[str] = set()
        for url, (kind, target, delay) in self._soft.items():
            page = _INDEX.sub("/", url)  # / and /index.html: one page, one finding
            if page in seen:
                continue
            seen.add(page)
            related = [target, *self._sources(url, linked_from)]
            if kind == "meta-refresh":
                yield self.finding(url, "meta-refresh", Msg(
                    "La page redirige vers {t} par une balise meta refresh (après {d} s) : "
                    "faites-le par le serveur, en 301.",
                    "The page redirects to {t} with a meta refresh (after {d} s): do it on "
                    "the server, with a 301.").format(t=target, d=f"{delay:g}"),
                    evidence=f'<meta http-equiv="refresh" content="{delay:g}; url={target}">',
                    related=related)
            else:
                yield self.finding(url, "js-redirect", Msg(
                    "La page redirige vers {t} en JavaScript (window.location) : les moteurs "
                    "doivent l’exécuter pour le voir. Faites-le par le serveur, en 301.",
                    "The page redirects to {t} in JavaScript (window.location): engines must "
                    "run it to see it. Do it on the server, with a 301.").format(t=target),
                    evidence=f"location → {target}", related=related)

    def _http_version(self, ctx: Context, linked_from: dict[str, list[str]]
                      ) -> Iterator[Outcome]:
        """An https site whose http:// URLs answer 200 (the crawl asks the http:// home
        once; links written in http:// reveal others): one finding for the site."""
        secure = {host_of(u) for u in ctx.config.site.start_urls if u.startswith("https://")}
        if not secure:
            return
        served = [url for url, info in ctx.urls.items()
                  if url.startswith("http://") and host_of(url) in secure
                  and info.status is not None and 200 <= info.status < 300]
        if not served:
            return
        first = served[0]
        related = [*served[1: self.options.max_listed],
                   *self._sources(first, linked_from)][: self.options.max_listed]
        yield self.finding(first, "http-not-redirected", Msg(
            "Le site répond aussi en http:// sans rediriger vers https:// ({n} URL) : chaque page "
            "existe deux fois, dont une non sécurisée. Redirigez tout http:// en 301 vers "
            "https://.",
            "The site also answers on http:// without redirecting to https:// ({n} URL{s}): every "
            "page exists twice, once insecure. Redirect all of http:// to https:// with a "
            "301.").format(n=len(served), s="" if len(served) == 1 else "s"),
            evidence=f"{first} → HTTP 200", related=related)


def _slash_only(f: Finding) -> bool:
    """A link to a redirect that only adds the final slash (``/a`` → ``/a/``)."""
    if f.code != "link-to-redirect" or not isinstance(f.evidence, str):
        return False
    hops = f.evidence.split(" → ")
    return len(hops) == 2 and hops[1] == hops[0] + "/"


def _site_hosts(ctx: Context) -> set[str]:
    hosts = {host_of(u) for u in ctx.config.site.start_urls}
    hosts |= {h.lower() for h in ctx.config.site.aliases}
    for host in list(hosts):  # example.fr and www.example.fr are one site
        hosts.add(host[4:] if host.startswith("www.") else "www." + host)
    return hosts
