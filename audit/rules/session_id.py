from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from audit.context import Context
from audit.rule import Code, Msg, Outcome, PageRule, Score, Severity
from audit.typedyaml import at_least, checked
from spiders.items import PageItem
from spiders.urls import session_param


class SessionId(PageRule):
    """Internal links carry no session identifier in their URL.

    **Why it matters**: a session id in a link (``?PHPSESSID=…``, ``;jsessionid=…``,
    ``?sid=…``) gives every visit — and every crawler — new URLs for the same pages.
    Engines waste their crawl budget on endless copies, index duplicates under
    throw-away URLs, and the links earned by a page are split between its copies. The
    audit fetched each page once (it ignores session parameters), but search engines
    may not be so careful.

    **Bad**: ``<a href="/contact.html?PHPSESSID=8f3a9c">Contact</a>``, written by a
    CMS with ``session.use_trans_sid`` on, or a Java server that falls back to URL
    rewriting when cookies are off.

    **Good**: ``<a href="/contact.html">Contact</a>``; sessions kept in a cookie
    (``session.use_trans_sid = 0``, ``session.use_only_cookies = 1``; in Java,
    ``<tracking-mode>COOKIE</tracking-mode>``).

    Parameters recognised: PHPSESSID, jsessionid, sid, sessionid, session_id, sessid,
    ASPSESSIONID, CFID/CFTOKEN, osCsid, zenid, ps_session (in the query, or as a
    ``;jsessionid=`` path parameter). The page scores 0 when any internal link of it
    carries one.
    """

    id = "session-id"
    category = "seo"
    weight = 1.0
    title = Msg("Liens sans identifiant de session", "Links without session ids")
    description = Msg(
        "Repère les liens internes dont l’URL porte un identifiant de session "
        "(PHPSESSID, jsessionid…).",
        "Finds internal links whose URL carries a session id (PHPSESSID, jsessionid…).")
    why = Msg(
        "Un identifiant de session dans un lien (?PHPSESSID=…) donne à chaque visite, et à "
        "chaque robot, de nouvelles adresses pour les mêmes pages : les moteurs gaspillent "
        "leur exploration sur des copies, indexent des doublons et dispersent les liens reçus.",
        "A session id in a link (?PHPSESSID=…) gives every visit, and every crawler, new "
        "addresses for the same pages: engines waste their crawl on copies, index duplicates "
        "and split the links a page earns.")
    fix = Msg(
        "Gardez la session dans un cookie et non dans l’URL : en PHP session.use_trans_sid = 0 "
        "et session.use_only_cookies = 1, en Java <tracking-mode>COOKIE</tracking-mode> ; les "
        "liens redeviennent /contact.html, sans paramètre.",
        "Keep the session in a cookie, not in the URL: in PHP session.use_trans_sid = 0 and "
        "session.use_only_cookies = 1, in Java <tracking-mode>COOKIE</tracking-mode>; links "
        "become plain /contact.html again.")
    codes = {
        "session-link": Code(Severity.WARNING, Msg(
            "Liens internes avec identifiant de session",
            "Internal links with a session id")),
    }

    @dataclass(frozen=True)
    class Options:
        max_listed: int = checked(at_least(1), default=10)  # link URLs quoted in related

    def applies(self, page: PageItem) -> bool:
        return page.ok

    def check(self, page: PageItem, ctx: Context) -> Iterator[Outcome]:
        tagged: dict[str, str] = {}  # link URL -> parameter, first seen order
        for link in page.links:
            if link.internal and link.url not in tagged:
                param = session_param(link.url)
                if param:
                    tagged[link.url] = param
        if tagged:
            params = sorted(set(tagged.values()), key=str.lower)
            yield self.finding(page.url, "session-link", Msg(
                "{n} lien(s) interne(s) portent un identifiant de session ({p}) : chaque "
                "visite crée de nouvelles URL pour les mêmes pages. Gardez la session dans un "
                "cookie.",
                "{n} internal link(s) carry a session id ({p}): every visit makes new URLs "
                "for the same pages. Keep the session in a cookie.").format(
                    n=len(tagged), p=", ".join(params)),
                evidence=next(iter(tagged)),
                related=list(tagged)[: self.options.max_listed])
        yield Score(page.url, 0.0 if tagged else 100.0)
