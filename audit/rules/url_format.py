from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from audit.context import Context
from audit.rule import Code, Msg, Outcome, Severity, SiteRule
from audit.typedyaml import at_least, between, checked
from spiders.items import PageItem

# Codes judged on the path, in the order a page's findings are written.
_PATH_CODES = ("uppercase", "underscore", "space", "non-ascii")


def url_problems(url: str, max_length: int, max_parameters: int) -> dict[str, str]:
    """What is wrong with how ``url`` is written: code → the part that shows it."""
    parts = urlsplit(url)
    path = unquote(parts.path or "/", errors="replace")  # %C3%A9 is é, not "C3" capitals
    out: dict[str, str] = {}
    if any(c.isupper() for c in path):
        out["uppercase"] = path
    if "_" in path:
        out["underscore"] = path
    if " " in path:
        out["space"] = path
    if any(ord(c) > 127 for c in path):
        out["non-ascii"] = path
    if len(url) > max_length:
        out["too-long"] = f"{len(url)}"
    params = [k for k, _v in parse_qsl(parts.query, keep_blank_values=True)]
    if len(params) > max_parameters:
        out["parameters"] = "&".join(params)
    return out


def _same_path(url: str) -> str:
    """A path as compared with the canonical's: decoded, without its final slash (the
    canonical of ``/a/`` may be written ``/a`` or on the production host)."""
    return unquote(urlsplit(url).path or "/").rstrip("/")


class UrlFormat(SiteRule):
    """Page URLs are short, lower-case words joined by hyphens, in plain ASCII.

    **Why it matters**: the URL shows in the search result and in every shared link.
    Capitals make two addresses of one page on servers that ignore case (and broken
    links on those that do not); underscores do not separate words for Google
    (``audit_seo`` is one word, ``audit-seo`` two); spaces and accents are percent-encoded
    once copied (``/r%C3%A9f%C3%A9rencement%20local``); URLs over 115 characters are cut
    in results and hard to share; many parameters make endless combinations of one page
    for engines to crawl.

    **Bad**: ``/Services/Audit_SEO.html``, ``/référencement local.html``,
    ``/catalogue?couleur=bleu&taille=m&tri=prix&page=2``.

    **Good**: ``/services/audit-seo.html``, ``/referencement-local.html``,
    ``/catalogue/bleu/``.

    Judged: HTML pages answering 2xx under their own URL (a page canonicalised to another
    path is judged on that one). One notice per page and problem (``space``: a warning,
    it breaks links once copied), except when a problem is the site's convention — at
    least ``site_share`` of the pages judged and ``min_pages`` pages —: then ONE notice
    for the site, on its home page, with examples. Rewriting every URL of a site costs a
    redirect each: a consultant advises it for a redesign, not as a fix. NOT accused: the
    home page, capitals in percent-escapes (``%C3%A9``), fragments, parameters up to
    ``max_parameters``. Notices do not lower the score.
    """

    id = "url-format"
    category = "seo"
    weight = 0.5
    title = Msg("URL lisibles (minuscules, tirets, sans accents)",
                "Readable URLs (lower case, hyphens, no accents)")
    description = Msg(
        "Repère les URL avec majuscules, tirets bas, espaces, accents, plus de 115 "
        "caractères ou de nombreux paramètres.",
        "Finds URLs with capitals, underscores, spaces, accents, over 115 characters or "
        "many parameters.")
    why = Msg(
        "L’URL s’affiche dans les résultats et dans chaque lien partagé. Google ne sépare pas "
        "les mots liés par un tiret bas, accents et espaces deviennent des %C3%A9 illisibles, "
        "les majuscules créent doublons ou liens cassés et les paramètres multiplient les "
        "adresses à explorer.",
        "The URL shows in search results and in every shared link. Google does not split words "
        "joined by underscores, accents and spaces turn into unreadable %C3%A9, capitals "
        "create duplicates or broken links, and parameters multiply the addresses to crawl.")
    fix = Msg(
        "Pour les nouvelles pages, écrivez des URL courtes en minuscules, mots séparés par des "
        "tirets, sans accent ni espace (/services/audit-seo.html) ; changer les URL existantes "
        "impose une redirection 301 chacune : à prévoir lors d’une refonte.",
        "For new pages, write short lower-case URLs, words joined by hyphens, with no accent "
        "or space (/services/audit-seo.html); changing existing URLs needs a 301 redirect "
        "each: plan it for a redesign.")
    codes = {
        "uppercase": Code(Severity.NOTICE, Msg("URL avec majuscules", "URL with capitals")),
        "underscore": Code(Severity.NOTICE, Msg("URL avec tirets bas (_)",
                                                "URL with underscores (_)")),
        "space": Code(Severity.WARNING, Msg("URL avec espaces", "URL with spaces")),
        "non-ascii": Code(Severity.NOTICE, Msg("URL avec accents ou caractères non ASCII",
                                               "URL with accents or non-ASCII characters")),
        "too-long": Code(Severity.NOTICE, Msg("URL trop longue", "URL too long")),
        "parameters": Code(Severity.NOTICE, Msg("URL avec de nombreux paramètres",
                                                "URL with many parameters")),
    }

    @dataclass(frozen=True)
    class Options:
        max_length: int = checked(at_least(20), default=115)
        max_parameters: int = checked(at_least(0), default=2)
        site_share: float = checked(between(0.0, 1.0), default=0.5)  # share of pages
        min_pages: int = checked(at_least(2), default=5)
        max_listed: int = checked(at_least(1), default=10)

    _WHY: dict[str, Msg] = {
        "uppercase": Msg(
            "L’URL contient des majuscules ({e}) : selon le serveur, deux adresses pour une "
            "page ou des liens cassés. Préférez les minuscules.",
            "The URL has capitals ({e}): depending on the server, two addresses for one page "
            "or broken links. Prefer lower case."),
        "underscore": Msg(
            "L’URL sépare ses mots par des tirets bas ({e}) : Google les lit comme un seul "
            "mot. Préférez les tirets (-).",
            "The URL separates words with underscores ({e}): Google reads them as one word. "
            "Prefer hyphens (-)."),
        "space": Msg(
            "L’URL contient des espaces ({e}) : encodées en %20, elles cassent les liens "
            "copiés. Remplacez-les par des tirets.",
            "The URL has spaces ({e}): encoded as %20, they break copied links. Replace "
            "them with hyphens."),
        "non-ascii": Msg(
            "L’URL contient des accents ou caractères non ASCII ({e}) : ils deviennent des "
            "%C3%A9 une fois copiés. Préférez les lettres sans accents.",
            "The URL has accents or non-ASCII characters ({e}): they become %C3%A9 once "
            "copied. Prefer unaccented letters."),
        "too-long": Msg(
            "L’URL fait {e} caractères (au plus {max}) : coupée dans les résultats, difficile "
            "à partager.",
            "The URL is {e} characters long (at most {max}): cut in results, hard to "
            "share."),
        "parameters": Msg(
            "L’URL porte {n} paramètres ({e}) : chaque combinaison est une URL de plus à "
            "explorer pour les moteurs.",
            "The URL carries {n} parameters ({e}): each combination is one more URL for "
            "engines to crawl."),
    }
    _SITE: dict[str, Msg] = {
        "uppercase": Msg("majuscules", "capitals"),
        "underscore": Msg("tirets bas (_)", "underscores (_)"),
        "space": Msg("espaces", "spaces"),
        "non-ascii": Msg("accents ou caractères non ASCII", "accents or non-ASCII characters"),
        "too-long": Msg("plus de {max} caractères", "over {max} characters"),
        "parameters": Msg("plus de {p} paramètres", "over {p} parameters"),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._judged = 0
        # code -> [(url, evidence)] in crawl order
        self._found: dict[str, list[tuple[str, str]]] = {c: [] for c in self.codes}

    def collect(self, page: PageItem, ctx: Context) -> None:
        url = page.url
        path = urlsplit(url).path or "/"
        if page.canonical and _same_path(page.canonical) != _same_path(url):
            return  # indexed under another URL: that one is judged
        if path == "/" and not urlsplit(url).query:
            return
        self._judged += 1
        o = self.options
        for code, evidence in url_problems(url, o.max_length, o.max_parameters).items():
            self._found[code].append((url, evidence))

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        o = self.options
        home = ctx.config.site.start_urls[0] if ctx.config.site.start_urls else ""
        for code in (*_PATH_CODES, "too-long", "parameters"):
            found = self._found[code]
            if not found:
                continue
            site_wide = (len(found) >= o.min_pages and home
                         and len(found) >= o.site_share * self._judged)
            if site_wide:
                what = self._SITE[code].format(max=o.max_length, p=o.max_parameters)
                yield self.finding(home, code, Msg(
                    "{n} URL sur {t} du site s’écrivent avec des {w} : c’est la convention du "
                    "site. La changer coûte une redirection 301 par page : à prévoir lors "
                    "d’une refonte, et à éviter pour les nouvelles pages.",
                    "{n} of the site's {t} URLs are written with {we}: it is the site's "
                    "convention. Changing it costs one 301 redirect per page: plan it for a "
                    "redesign, and avoid it for new pages.").format(
                        n=len(found), t=self._judged, w=what.fr, we=what.en),
                    evidence=found[0][0], related=[u for u, _e in found[: o.max_listed]])
                continue
            for url, evidence in found:
                n = evidence.count("&") + 1
                yield self.finding(url, code, self._WHY[code].format(
                    e=evidence, max=o.max_length, n=n), evidence=evidence)
        self._found = {c: [] for c in self.codes}
