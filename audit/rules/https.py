from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from audit.context import Context
from audit.rule import Code, Limit, Msg, Outcome, Score, Severity, SiteRule, pages_text
from audit.site_hosts import is_local
from audit.typedyaml import at_least, checked
from spiders.items import PageItem

# What a browser blocks on an https page when it comes over http:// (the "blockable"
# content of the W3C Mixed Content spec), and what it upgrades or shows (images, media).
_ACTIVE_KINDS = {"script": ("script", "script"), "stylesheet": ("feuille de style", "stylesheet"),
                 "iframe": ("iframe ou objet intégré", "iframe or embedded object"),
                 "font": ("police", "font")}
_PASSIVE_KINDS = {"image": ("image", "image"), "media": ("audio ou vidéo", "audio or video")}


def _insecure(url: str) -> bool:
    return url[:7].lower() == "http://"


@dataclass(slots=True)
class _Page:
    """What the rule keeps of a page with something loaded over http:// (URLs capped)."""

    url: str
    active: dict[str, list[str]] = field(default_factory=dict)  # kind -> http:// URLs
    passive: dict[str, list[str]] = field(default_factory=dict)
    forms: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def _n(count: int, one: str, many: str = "") -> str:
    """« 1 ressource », « 3 ressources »."""
    return f"{count} {one}" if count == 1 else f"{count} {many or one + 's'}"


def _kinds(found: dict[str, list[str]], names: dict[str, tuple[str, str]], lang: int) -> str:
    return ", ".join(f"{names[k][lang]} ×{len(v)}" if len(v) > 1 else names[k][lang]
                     for k, v in found.items())


class Https(SiteRule):
    """The site is served over HTTPS, and its HTTPS pages load nothing over plain http.

    **Why it matters**: Chrome marks every http:// page « Non sécurisé » next to its
    address, Google uses HTTPS as a ranking signal and indexes the https:// version of
    a page first when both exist. On an https:// page, a script, stylesheet, iframe or
    font fetched over http:// (*active mixed content*) is blocked by every browser: the
    page shows broken — no style, a dead menu, an empty video frame — and the tracking
    tag may never run. Images, audio and video over http:// (*passive*) are rewritten to
    https:// by current browsers and dropped when the server does not answer there; older
    ones show the page as not fully secure. A form posting to http:// makes Chrome warn
    the visitor before sending. Internal links still written ``http://`` on https pages
    send every click (and Googlebot) through a redirect, or off HTTPS when there is none.

    **Bad**: ``https://www.exemple.fr/contact.html`` with ``<script
    src="http://www.exemple.fr/js/menu.js">``, ``<img src="http://www.exemple.fr/img/
    equipe.jpg">`` and a menu of ``<a href="http://www.exemple.fr/tarifs.html">``.

    **Good**: the same page with ``src="/js/menu.js"``, ``src="https://…"`` and
    relative links; ``http://www.exemple.fr/`` redirecting (301) to ``https://``.

    Codes: ``mixed-active`` (error: scripts, stylesheets, iframes, embedded objects,
    fonts), ``mixed-passive`` (warning: images, audio, video), ``insecure-form`` (warning),
    ``http-link`` (warning: internal links written http:// on an https page), and
    ``no-https`` (error, once, on the start URL: the start URL is http:// and no URL of
    the site the crawl met is https://, neither a page nor a redirect target). Resources
    are read from the HTML (``<script src>``, ``<link rel=stylesheet>``, ``<iframe>``,
    ``<embed>``, ``<object>``, ``<img src>``, ``<audio>``/``<video>`` and their
    sources, ``<link rel=preload as=font>``, ``@font-face`` of the page's CSS); what scripts
    load later and ``srcset`` candidates are not seen. Only https pages are judged for
    mixed content: an http page has no padlock to lose.

    **A copy of the site** (a local copy or a private network — ``127.0.0.1``,
    ``localhost``, ``192.168.x.x``, ``*.local``, as the demo and the test corpus are — or
    any copy audited with ``site.aliases``): a copy is served over http whatever the public
    site does, so HTTPS itself is not judged there and the Summary says so once (a limit
    of the audit, never a finding). When most links to the site's aliases are written
    ``https://`` (the public site is on HTTPS), its http pages are read as their public
    https twins: absolute ``http://`` resources of other hosts are mixed content, the
    copy's own (relative) ones are not, and links written ``http://`` to the public name
    are http links. Otherwise only the copy's https pages, if any, are checked.

    **Not accused**: the http pages of a site that also answers in https (left to the
    redirect checks, no score here); a site whose public name the audit cannot tell.
    Score per https page: 0 with active mixed content, 50 with any other finding, 100
    otherwise; every http page of an http-only site scores 0.
    """

    id = "https"
    category = "seo"
    weight = 2.0
    title = Msg("Site en HTTPS, sans contenu mixte", "HTTPS site, no mixed content")
    description = Msg(
        "Vérifie que le site est servi en HTTPS et que ses pages HTTPS ne chargent rien en "
        "http:// (scripts, styles, iframes, polices, images, médias, formulaires, liens "
        "internes).",
        "Checks the site is served over HTTPS and its HTTPS pages load nothing over "
        "http:// (scripts, styles, iframes, fonts, images, media, forms, internal links).")
    why = Msg(
        "Chrome affiche « Non sécurisé » à côté de toute page en http://, et Google utilise le "
        "HTTPS comme signal de classement. Sur une page HTTPS, un script, un style ou une "
        "police chargé en http:// est bloqué : la page s’affiche cassée et le suivi peut ne "
        "pas fonctionner.",
        "Chrome marks every http:// page 'Not secure', and Google uses HTTPS as a ranking "
        "signal. On an HTTPS page, a script, stylesheet or font loaded over http:// is "
        "blocked: the page shows broken and tracking may not run.")
    fix = Msg(
        "Servez le site en HTTPS et redirigez (301) tout http:// vers https:// ; dans les "
        "pages, écrivez les adresses des scripts, styles, images, formulaires et liens "
        "internes en https:// ou en relatif (/js/menu.js).",
        "Serve the site over HTTPS and redirect (301) all http:// to https://; in the pages, "
        "write the addresses of scripts, styles, images, forms and internal links as https:// "
        "or relative (/js/menu.js).")
    codes = {
        "mixed-active": Code(Severity.ERROR, Msg(
            "Contenu mixte bloqué (script, style, iframe, police en http://)",
            "Blocked mixed content (script, style, iframe, font over http://)")),
        "mixed-passive": Code(Severity.WARNING, Msg(
            "Contenu mixte (images ou médias en http://)",
            "Mixed content (images or media over http://)")),
        "insecure-form": Code(Severity.WARNING, Msg(
            "Formulaire envoyé en http:// depuis une page HTTPS",
            "Form posted over http:// from an HTTPS page")),
        "http-link": Code(Severity.WARNING, Msg(
            "Liens internes en http:// sur une page HTTPS",
            "Internal links over http:// on an HTTPS page")),
        "no-https": Code(Severity.ERROR, Msg(
            "Site servi en http:// seulement", "Site served over http:// only")),
    }

    @dataclass(frozen=True)
    class Options:
        max_listed: int = checked(at_least(1), default=20)  # URLs quoted in related

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._judged: list[_Page] = []  # https pages with a finding
        # The http pages, read as their https twins: judged so when the site's links show
        # its public name on https (a copy audited with site.aliases), else not.
        self._http: list[str] = []  # URLs (a big http site: kept small)
        self._http_seen: list[_Page] = []  # those with something loaded over http://
        self._alias_schemes: dict[str, int] = {"http": 0, "https": 0}
        self._alias_hosts: dict[str, int] = {}

    def collect(self, page: PageItem, ctx: Context) -> None:
        for written in page.alias_links:  # links to an alias of the site, moved onto it
            parts = urlsplit(written)
            if parts.scheme in self._alias_schemes:
                self._alias_schemes[parts.scheme] += 1
                host = parts.hostname or ""
                self._alias_hosts[host] = self._alias_hosts.get(host, 0) + 1
        https = urlsplit(page.url).scheme == "https"
        seen = self._seen(page, copy=not https)
        if seen.active or seen.passive or seen.forms or seen.links:
            (self._judged if https else self._http_seen).append(seen)
        if not https:
            self._http.append(page.url)

    def _seen(self, page: PageItem, copy: bool) -> _Page:
        """What loads over http:// on the page. ``copy``: an http page read as its public
        https twin: only absolute http:// addresses of other hosts count (the copy's own,
        relative ones become https:// in public), and links written http:// to the site's
        public name."""
        own = urlsplit(page.url).hostname
        written = set(page.http_resources)

        def insecure(url: str) -> bool:
            if not copy:
                return _insecure(url)
            return url in written and urlsplit(url).hostname != own

        cap = self.options.max_listed
        seen = _Page(page.url)
        for kind, urls in (("script", page.scripts), ("stylesheet", page.stylesheets),
                           ("iframe", page.iframes), ("font", page.fonts)):
            bad = [u for u in urls if insecure(u)]
            if bad:
                seen.active[kind] = bad[:cap]
        for kind, urls in (("image", [i.src for i in page.images]), ("media", page.media)):
            bad = list(dict.fromkeys(u for u in urls if insecure(u)))
            if bad:
                seen.passive[kind] = bad[:cap]
        seen.forms = list(dict.fromkeys(f.action for f in page.forms
                                        if insecure(f.action)))[:cap]
        # Links written http://: to the site itself, or to its public name (an alias).
        links = [] if copy else [link.url for link in page.links if link.internal]
        seen.links = list(dict.fromkeys(u for u in links + page.alias_links if _insecure(u)))
        return seen

    def _public_https(self) -> str:
        """The site's public name when the links to its aliases show it on https (most of
        them written https://): the audited origin is a copy of it. "" otherwise."""
        schemes = self._alias_schemes
        if not self._alias_hosts or schemes["https"] <= schemes["http"]:
            return ""
        return max(self._alias_hosts, key=lambda h: self._alias_hosts[h])

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        for page in self._judged:
            yield from self._page_findings(page)
        starts = ctx.config.site.start_urls
        local = [u for u in starts if is_local(u)]
        site_https = any(urlsplit(u).scheme == "https" for u in ctx.urls)
        public = self._public_https() if not site_https else ""
        if public and self._http:
            n = self._alias_schemes["https"]
            host = urlsplit(self._http[0]).hostname
            yield Limit("copy-of-https", Msg(
                f"HTTPS du site public non vérifié : l’audit a lu une copie du site ({host}). "
                f"Ses liens ({n} vers https://{public}) montrent un site public en HTTPS : "
                "le contenu mixte de ses pages est jugé comme ce site les servirait.",
                f"The public site's HTTPS not checked: the audit read a copy of the site ({host}). "
                f"Its links ({n} to https://{public}) show a public site on HTTPS: its pages' "
                "mixed content is judged as that site would serve them."))
            for page in self._http_seen:
                yield from self._page_findings(page)
            return
        elif local:
            host = urlsplit(local[0]).hostname
            yield Limit("local-copy", Msg(
                f"HTTPS du site non vérifié : l’audit a lu une copie locale ({host}), servie "
                "en http:// quoi que fasse le site public. Seul le contenu mixte de ses pages "
                "HTTPS a été contrôlé.",
                f"The site's HTTPS not checked: the audit read a local copy ({host}), served "
                "over http:// whatever the public site does. Only the mixed content of its "
                "HTTPS pages was checked."))
        http_only = not local and not site_https and any(
            urlsplit(u).scheme == "http" for u in starts)
        if http_only and self._http:
            n = len(self._http)
            yield self.finding(starts[0], "no-https", Msg(
                f"Le site n’est servi qu’en http:// ({pages_text(n)}, aucune adresse en "
                "https:// rencontrée) : Chrome affiche « Non sécurisé » à côté de l’adresse, "
                "les formulaires sont signalés au visiteur et Google préfère les pages HTTPS. "
                "Installez un certificat (Let’s Encrypt est gratuit) et redirigez chaque "
                "adresse http:// vers https:// (301).",
                f"The site is served over http:// only ({pages_text(n)}, no https:// address "
                "met): Chrome shows \"Not secure\" next to the address, forms are flagged to "
                "the visitor and Google prefers HTTPS pages. Install a certificate (Let's "
                "Encrypt is free) and redirect every http:// address to https:// "
                "(301)."), evidence=starts[0])
        for url in self._http:
            # An http page: 0 on an http-only site; otherwise not judged (a local copy, or
            # a site that also answers in https: left to the redirect checks).
            yield Score(url, 0.0 if http_only else None)

    def _page_findings(self, page: _Page) -> Iterator[Outcome]:
        cap = self.options.max_listed
        if page.active:
            urls = [u for v in page.active.values() for u in v]
            yield self.finding(page.url, "mixed-active", Msg(
                f"Page HTTPS qui charge {_n(len(urls), 'ressource')} en http:// "
                f"({_kinds(page.active, _ACTIVE_KINDS, 0)}) : les navigateurs les bloquent, "
                "la page s’affiche cassée (styles, menus, vidéos, suivi). Servez-les en "
                "https:// ou par un chemin relatif.",
                f"HTTPS page loading {_n(len(urls), 'resource')} over http:// "
                f"({_kinds(page.active, _ACTIVE_KINDS, 1)}): browsers block them, the page "
                "shows broken (styles, menus, videos, tracking). Serve them over https:// or "
                "by a relative path."), evidence=urls[0], related=urls[:cap])
        if page.passive:
            urls = [u for v in page.passive.values() for u in v]
            yield self.finding(page.url, "mixed-passive", Msg(
                f"Page HTTPS qui charge {_n(len(urls), 'ressource')} en http:// "
                f"({_kinds(page.passive, _PASSIVE_KINDS, 0)}) : les navigateurs récents "
                "les demandent en https:// et les abandonnent si le serveur n’y répond pas ; "
                "les anciens affichent la page comme non entièrement sécurisée.",
                f"HTTPS page loading {_n(len(urls), 'resource')} over http:// "
                f"({_kinds(page.passive, _PASSIVE_KINDS, 1)}): current browsers ask for "
                "them over https:// and drop them when the server does not answer there; "
                "older ones show the page as not fully secure."),
                evidence=urls[0], related=urls[:cap])
        if page.forms:
            yield self.finding(page.url, "insecure-form", Msg(
                f"{_n(len(page.forms), 'formulaire')} "
                f"{'envoie ses' if len(page.forms) == 1 else 'envoient leurs'} données en "
                "http:// : le "
                "navigateur prévient le visiteur que l’envoi n’est pas sécurisé, et les "
                "données circulent en clair.",
                f"{_n(len(page.forms), 'form')} "
                f"{'sends its' if len(page.forms) == 1 else 'send their'} data over http://: "
                "the browser "
                "warns the visitor that the submission is not secure, and the data travels "
                "in clear text."), evidence=page.forms[0], related=page.forms)
        if page.links:
            yield self.finding(page.url, "http-link", Msg(
                f"{_n(len(page.links), 'lien interne', 'liens internes')} "
                f"{'écrit' if len(page.links) == 1 else 'écrits'} en http:// sur une page "
                "HTTPS : chaque clic passe par une redirection (ou quitte HTTPS), et les "
                "moteurs reçoivent deux adresses pour une page. Écrivez-les en https:// ou "
                "en chemins relatifs.",
                f"{_n(len(page.links), 'internal link')} written http:// on an HTTPS page: every "
                "click goes through a redirect (or leaves HTTPS), and engines get two "
                "addresses for one page. Write them https:// or as relative paths."),
                evidence=page.links[0], related=page.links[:cap])

