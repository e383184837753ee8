from __future__ import annotations

from collections.abc import Iterator

from audit.context import Context
from audit.rule import Code, Msg, Outcome, PageRule, Severity
from spiders.items import PageItem


class StatusCode(PageRule):
    """Every URL of the site answers successfully (2xx) and in full.

    **Why it matters**: a page answering 404 or 500 drops out of the index and wastes
    the links that point to it; repeated server errors slow down crawling of the whole
    site. A page too large to download is not read entirely by engines either.

    **Bad**: ``GET /offres/ete-2024 → 404 Not Found``; ``GET /paiement → 500``.

    **Good**: ``GET /offres/ → 200 OK``; a removed page redirected (301) to its
    closest replacement, or answering 410 on purpose and no longer linked.

    Redirects are not judged here but on the pages linking to them (``broken-link``);
    URLs excluded by robots.txt are not scored. A page that answered only after a
    timeout or a 5xx (the crawl retries twice) is a notice: an unstable server, which
    engines meet too.
    """

    id = "status-code"
    category = "seo"
    weight = 3.0
    title = Msg("Pages accessibles (code HTTP 2xx)", "Pages reachable (HTTP 2xx)")
    description = Msg(
        "Vérifie que chaque URL du site répond 200 et se télécharge en entier.",
        "Checks that every URL of the site answers 200 and downloads in full.")
    why = Msg(
        "Une page qui répond 404 ou 500 sort de l’index et gaspille les liens qui pointent "
        "vers elle ; des erreurs serveur répétées ralentissent l’exploration de tout le site, "
        "et une page trop lourde n’est pas lue en entier.",
        "A page answering 404 or 500 drops out of the index and wastes the links pointing to "
        "it; repeated server errors slow down crawling of the whole site, and a page too large "
        "is not read in full.")
    fix = Msg(
        "Rétablissez les pages en erreur ou redirigez-les (301) vers leur remplaçante la plus "
        "proche (une page retirée exprès peut répondre 410 et ne plus être liée) ; faites "
        "corriger les erreurs 5xx et l’instabilité par l’hébergeur ou le développeur.",
        "Restore broken pages or redirect them (301) to their closest replacement (a page "
        "removed on purpose may answer 410 and no longer be linked); have the host or "
        "developer fix 5xx errors and instability.")
    codes = {
        "client-error": Code(Severity.ERROR, Msg("Page introuvable (4xx)",
                                                 "Page not found (4xx)")),
        "server-error": Code(Severity.ERROR, Msg("Erreur serveur (5xx)", "Server error (5xx)")),
        "unreachable": Code(Severity.ERROR, Msg("URL injoignable", "URL unreachable")),
        "too-large": Code(Severity.WARNING, Msg("Page trop lourde", "Page too large")),
        "flaky": Code(Severity.NOTICE, Msg("Page servie après un nouvel essai",
                                           "Page served only on a retry")),
    }

    def applies(self, page: PageItem) -> bool:
        if page.error == "robots.txt":
            return False
        return not (page.status is not None and 300 <= page.status < 400)

    def check(self, page: PageItem, ctx: Context) -> Iterator[Outcome]:
        # Where the crawl met the URL first: the page to fix or to redirect from.
        found_on = [page.found_on] if page.found_on.startswith("http") else []
        if page.status is None:
            if page.error.startswith("too-large"):
                # Name the limit: the consultant raises site.max_page_mb or the site slims.
                limit = f"{ctx.config.site.max_page_mb:g} MB"
                yield self.finding(page.url, "too-large", Msg(
                    "Page trop lourde : téléchargement interrompu à la limite de {limit} "
                    "(site.max_page_mb).",
                    "Page too large: download stopped at the limit of {limit} "
                    "(site.max_page_mb).").format(limit=limit),
                    evidence=page.error, related=found_on)
                return
            yield self.finding(page.url, "unreachable", Msg(
                "URL injoignable : {err}.", "URL unreachable: {err}.").format(err=page.error),
                evidence=page.error, related=found_on)
            return
        if 400 <= page.status < 500:
            yield self.finding(page.url, "client-error", Msg(
                "La page répond {status} : introuvable pour les visiteurs et les moteurs.",
                "The page answers {status}: not found for visitors and search engines.").format(
                    status=page.status),
                evidence=f"HTTP {page.status}", related=found_on)
        elif page.status >= 500:
            yield self.finding(page.url, "server-error", Msg(
                "La page répond {status} : erreur du serveur.",
                "The page answers {status}: server error.").format(status=page.status),
                evidence=f"HTTP {page.status}", related=found_on)
        elif page.retries and 200 <= page.status < 300:
            yield self.finding(page.url, "flaky", Msg(
                "La page n’a répondu qu’après {n} échec(s) (délai dépassé, erreur 5xx ou "
                "connexion coupée) : serveur instable, les moteurs le rencontrent aussi.",
                "The page answered only after {n} failure(s) (timeout, 5xx or dropped "
                "connection): an unstable server, which engines meet too.").format(
                    n=page.retries),
                evidence=Msg("HTTP {s} après {n} nouvel(s) essai(s)",
                             "HTTP {s} after {n} retry(ies)").format(s=page.status,
                                                                      n=page.retries))
