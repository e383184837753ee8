from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from audit.backlinks import ExpectedLink, expected_links
from audit.context import Context
from audit.rule import Code, Limit, Msg, Outcome, PageData, Score, Severity, SiteRule, TableRow
from spiders.items import Link, PageItem
from spiders.urls import normalise

TABLE = "backlinks"
# rel values that tell engines not to pass authority through the link.
NO_FOLLOW = ("sponsored", "ugc", "nofollow")


class Backlinks(SiteRule):
    """The links other sites give the client are still there, visible and followed.

    **Why it matters**: links from other sites remain one of the strongest ranking
    signals; a link bought, negotiated or earned once can disappear in a redesign, gain a
    ``rel="nofollow"``, be hidden, or point to a page that now redirects or is gone. Each
    of these silently lowers the authority the client receives.

    **Bad**: the local directory's page still exists but its link now carries
    ``rel="nofollow"``; a partner's article links to ``/offres.html``, which answers 404
    since the site's redesign; the referring page itself answers 404.

    **Good**: every expected referring page answers 200 and carries a visible, followed
    link to a live page of the site with the agreed anchor text.

    The expected links come from ``backlinks.expected`` (referring page URLs, or
    ``{from, to, anchor}``) and from the consultant's exports (``backlinks.imports``:
    Search Console, Bing, Ahrefs, Majestic, Semrush). The crawl fetches each referring
    page (robots.txt obeyed); the target's status comes from the site's own crawl. A
    hidden link is seen through inline styles and ``<style>`` blocks of the referring page
    (its linked stylesheets are not fetched: one request per referring page). An
    export that cannot be read is a warning, and the audit goes on without it. A
    referring page the crawl could not read (its robots.txt, ``backlinks.max_pages``) is
    a limit of the audit, not a lost link: one line in the Summary's notes, the Backlinks
    sheet says « not checked », no finding. Site score: 100 × live followed links / links
    checked (none checked: no score).
    """

    id = "backlinks"
    category = "seo"
    weight = 2.0
    site_level = True
    title = Msg("Backlinks en place", "Backlinks in place")
    description = Msg(
        "Vérifie sur chaque page référente que le lien vers le site est toujours présent, "
        "visible, suivi (sans nofollow), avec l’ancre prévue et vers une page qui répond.",
        "Checks on each referring page that the link to the site is still there, visible, "
        "followed (no nofollow), with the agreed anchor and to a page that answers.")
    why = Msg(
        "Les liens venus d’autres sites restent l’un des signaux de classement les plus forts. "
        "Un lien supprimé, passé en nofollow, masqué ou pointant vers une page disparue ne "
        "transmet plus rien au site, sans que personne ne s’en aperçoive.",
        "Links from other sites remain one of the strongest ranking signals. A link removed, "
        "set to nofollow, hidden or pointing to a page that is gone passes nothing to the site "
        "any more, and nobody notices.")
    fix = Msg(
        "Demandez au site référent de rétablir le lien, visible, sans attribut nofollow et "
        "avec l’ancre convenue ; si la page visée a changé d’adresse, redirigez l’ancienne "
        "(301) vers la bonne page ou faites corriger le lien.",
        "Ask the referring site to restore the link, visible, without nofollow and with the "
        "agreed anchor; if the target page moved, redirect the old address (301) to the right "
        "page or have the link corrected.")
    codes = {
        "lost": Code(Severity.ERROR, Msg("Backlink disparu", "Backlink lost")),
        "page-gone": Code(Severity.ERROR, Msg("Page référente inaccessible",
                                              "Referring page unreachable")),
        "target-broken": Code(Severity.ERROR, Msg("Backlink vers une page en erreur",
                                                  "Backlink to a broken page")),
        "hidden": Code(Severity.WARNING, Msg("Backlink masqué", "Hidden backlink")),
        "nofollow": Code(Severity.WARNING, Msg("Backlink en nofollow", "Nofollow backlink")),
        "wrong-target": Code(Severity.WARNING, Msg("Backlink vers une autre page que prévu",
                                                   "Backlink to another page than agreed")),
        "target-redirected": Code(Severity.WARNING, Msg("Backlink vers une redirection",
                                                        "Backlink to a redirect")),
        "sponsored": Code(Severity.NOTICE, Msg("Backlink sponsorisé (rel=sponsored)",
                                               "Sponsored backlink (rel=sponsored)")),
        "ugc": Code(Severity.NOTICE, Msg("Backlink de contenu d’utilisateur (rel=ugc)",
                                         "User-generated backlink (rel=ugc)")),
        "anchor-changed": Code(Severity.NOTICE, Msg("Ancre du backlink modifiée",
                                                    "Backlink anchor changed")),
        "unreadable-import": Code(Severity.WARNING, Msg("Export de backlinks illisible",
                                                        "Unreadable backlinks export")),
    }
    columns = {"backlinks": Msg("Backlinks actifs", "Live backlinks")}

    @dataclass(frozen=True)
    class Options:
        pass

    def collect(self, page: PageItem, ctx: Context) -> None:
        return None  # the referring pages come from the crawl's backlinks.jsonl

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        cfg = ctx.config
        home = cfg.site.start_urls[0]
        expected, errors = expected_links(cfg)
        for exc in errors:
            # The run goes on without this input, and says so (Findings and Summary notes).
            ctx.note(Msg(f"Backlinks : export ignoré, illisible ({exc}).",
                         f"Backlinks: export skipped, unreadable ({exc})."))
            yield self.site_finding(home, "unreadable-import", Msg(
                "Export de backlinks illisible, audit poursuivi sans lui : {e}",
                "Backlinks export unreadable, audit continued without it: {e}").format(
                    e=str(exc)), evidence=str(exc))
        if not expected:
            yield Score(None, None)
            return
        fetched: dict[str, PageItem] = {}
        if ctx.backlink_pages is not None:
            fetched = {p.url: p for p in ctx.backlink_pages()}
        hosts = set(cfg.allowed_hosts())
        for info_url in ctx.urls:
            hosts.add((urlsplit(info_url).hostname or "").lower())
        judged = live_follow = 0
        per_target: dict[str, int] = {}
        for link in expected:
            verdict = _Verdict(link)
            page = fetched.get(link.source)
            yield from self._judge(verdict, page, hosts, ctx)
            if verdict.state != "not-checked":
                judged += 1
            if verdict.live and verdict.follow and verdict.target_ok:
                live_follow += 1
            if verdict.live and verdict.final_target:
                per_target[verdict.final_target] = per_target.get(verdict.final_target, 0) + 1
            yield TableRow(TABLE, verdict.row(page))
        for url, n in per_target.items():
            yield PageData(url, "backlinks", n)
        yield Score(None, 100.0 * live_follow / judged if judged else None)

    def _judge(self, v: _Verdict, page: PageItem | None, hosts: set[str],
               ctx: Context) -> Iterator[Outcome]:
        src, want = v.link.source, v.link.target
        pair = [u for u in (want,) if u]
        if page is None or page.error == "robots.txt":
            v.state = "not-checked"
            if page is not None:
                yield Limit("not-checked:robots", Msg(
                    "Backlinks non vérifiés : le robots.txt de la page référente interdit "
                    "de la lire ({pages}) ; voir la feuille Backlinks.",
                    "Backlinks not checked: the referring page's robots.txt disallows "
                    "reading it ({pages}); see the Backlinks sheet."), src, detail=" → ".join(
                        [src, *pair]))
            else:
                yield Limit("not-checked:not-fetched", Msg(
                    "Backlinks non vérifiés : page référente non récupérée ({pages} ; "
                    "limite backlinks.max_pages ou exploration interrompue) ; voir la "
                    "feuille Backlinks.",
                    "Backlinks not checked: referring page not fetched ({pages}; "
                    "backlinks.max_pages limit or crawl interrupted); see the Backlinks "
                    "sheet."), src, detail=" → ".join([src, *pair]))
            return
        if page.error or page.status is None or page.status >= 400:
            v.state = "page-gone"
            what = f"HTTP {page.status}" if page.status else page.error[:120]
            yield self.finding(src, "page-gone", Msg(
                f"La page référente {src} ne répond plus ({what}) : le backlink vers "
                f"{want or 'le site'} est perdu.",
                f"The referring page {src} no longer answers ({what}): the backlink to "
                f"{want or 'the site'} is lost."), evidence=what, related=pair)
            return
        to_site = [lk for lk in page.links if (urlsplit(lk.url).hostname or "").lower() in hosts]
        matches = [lk for lk in to_site if not want or _norm(lk.url) == _norm(want)]
        if not matches:
            if to_site and want:
                v.state = "wrong-target"
                v.found = _best(to_site)
                yield self.finding(src, "wrong-target", Msg(
                    "{s} ne fait plus de lien vers {t} mais vers {f}.",
                    "{s} no longer links to {t} but to {f}.").format(
                        s=src, t=want, f=v.found.url), evidence=v.found.text,
                    related=[want, v.found.url])
                v.live = not v.found.hidden
                v.follow = not any(r in v.found.rel.split() for r in NO_FOLLOW)
                self._target(v, v.found.url, ctx)
                yield from self._target_findings(v, src)
                return
            v.state = "lost"
            yield self.finding(src, "lost", Msg(
                f"Backlink disparu : {src} ne contient plus de lien vers {want or 'le site'}.",
                f"Backlink lost: {src} no longer links to {want or 'the site'}."),
                related=pair)
            return
        found = v.found = _best(matches)
        v.live = True
        problems: list[str] = []
        if found.hidden:
            v.live = False
            problems.append("hidden")
            yield self.finding(src, "hidden", Msg(
                "Le lien de {s} vers {t} est masqué aux visiteurs : les moteurs l’ignorent ou "
                "le pénalisent.",
                "The link from {s} to {t} is hidden from visitors: engines ignore or penalise "
                "it.").format(s=src, t=found.url), evidence=found.hidden[:300],
                related=[found.url])
        rel = set(found.rel.split())
        for value in NO_FOLLOW:
            if value in rel:
                v.follow = False
                problems.append(value)
                yield self.finding(src, value, Msg(
                    "Le lien de {s} vers {t} porte rel=\"{r}\" : il ne transmet pas d’autorité.",
                    "The link from {s} to {t} carries rel=\"{r}\": it passes no authority."
                ).format(s=src, t=found.url, r=found.rel), evidence=f'rel="{found.rel}"',
                    related=[found.url])
                break
        self._target(v, found.url, ctx)
        for f in self._target_findings(v, src):
            problems.append(f.code)
            yield f
        if v.link.anchor and _fold(found.text) != _fold(v.link.anchor):
            problems.append("anchor-changed")
            yield self.finding(src, "anchor-changed", Msg(
                "L’ancre du lien de {s} vers {t} a changé : « {a} » au lieu de « {e} ».",
                "The anchor of the link from {s} to {t} changed: \"{a}\" instead of "
                "\"{e}\".").format(s=src, t=found.url, a=found.text, e=v.link.anchor),
                evidence=found.text, related=[found.url])
        v.state = problems[0] if problems else "live"
        v.problems = problems

    @staticmethod
    def _target(v: _Verdict, url: str, ctx: Context) -> None:
        status, final, hops = ctx.final_status(url)
        v.target_status, v.final_target, v.hops = status, final if status else "", hops
        info = ctx.urls.get(final)
        if status is None and info is None:
            return  # not crawled (outside max_pages): unknown, not broken
        if status is None or status >= 400 or (info is not None and info.error):
            v.target_ok = False
            v.final_target = ""

    def _target_findings(self, v: _Verdict, src: str) -> Iterator[Outcome]:
        assert v.found is not None
        if not v.target_ok:
            yield self.finding(src, "target-broken", Msg(
                "Le lien de {s} pointe vers {t}, qui répond {c} : son autorité est perdue.",
                "The link from {s} points to {t}, which answers {c}: its authority is lost."
            ).format(s=src, t=v.found.url, c=v.target_status or "—"),
                related=[v.found.url])
        elif v.hops:
            yield self.finding(src, "target-redirected", Msg(
                "Le lien de {s} pointe vers {t}, qui redirige vers {f} : demandez la mise à "
                "jour du lien.",
                "The link from {s} points to {t}, which redirects to {f}: ask for the link to "
                "be updated.").format(s=src, t=v.found.url, f=v.final_target),
                related=[v.found.url, v.final_target])


class _Verdict:
    """What was found for one expected link, for its findings and its table row."""

    def __init__(self, link: ExpectedLink):
        self.link = link
        self.state = "lost"
        self.problems: list[str] = []
        self.found: Link | None = None
        self.live = False
        self.follow = True
        self.target_ok = True
        self.target_status: int | None = None
        self.final_target = ""
        self.hops: list[str] = []

    def row(self, page: PageItem | None) -> dict[str, object]:
        found = self.found
        return {"source": self.link.source,
                "domain": (urlsplit(self.link.source).hostname or "").lower(),
                "target": self.link.target or (found.url if found else ""),
                "found_target": found.url if found else "",
                "anchor": found.text if found else "",
                "expected_anchor": self.link.anchor,
                "rel": found.rel if found else "",
                "live": self.live, "follow": self.live and self.follow,
                "state": self.state, "problems": self.problems or [self.state],
                "page_status": page.status if page else None,
                "page_error": page.error if page else "",
                "origin": self.link.origin}


def _best(links: list[Link]) -> Link:
    """The link that counts most when a page links several times: visible, followed."""
    return min(links, key=lambda lk: (bool(lk.hidden),
                                      any(r in lk.rel.split() for r in NO_FOLLOW)))


def _norm(url: str) -> str:
    """URLs compared as engines do: case of scheme and host, default port, empty path,
    percent-encoding as the crawl records links (an accented target written in an export
    matches the link found)."""
    try:
        url = normalise(url)
    except ValueError:
        url = url.strip()
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    for scheme, port in (("http", ":80"), ("https", ":443")):
        if parts.scheme.lower() == scheme and netloc.endswith(port):
            netloc = netloc[: -len(port)]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKC", text).replace("’", "'").casefold()
    return " ".join(plain.split())
