from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from audit.context import Context
from audit.rule import Code, Msg, Outcome, PageData, PageRule, Score, Severity
from audit.typedyaml import at_least, between, checked
from spiders.items import PageItem


class Cloaking(PageRule):
    """Googlebot and visitors get the same page.

    **Why it matters**: serving search engines a different page from the one visitors
    see (a keyword-stuffed text, other links, another topic) is *cloaking*, named by
    Google's spam policies; when found, the page or the whole site is demoted or removed
    by a manual action. It is also what a hacked site does: spam pages shown only to
    Googlebot so that the owner never sees them.

    **Bad**: the server answers a request whose user agent names Googlebot with « Plombier
    Paris pas cher, plombier Paris urgence… » and visitors with the agency's normal page;
    or it answers Googlebot with a 403 or a redirect elsewhere.

    **Good**: one page for everybody; what differs by visitor (a date, a random
    testimonial, the basket count) is a few words.

    Needs ``hidden_text: {check_cloaking: true}``: the crawl then fetches every HTML page
    a second time with Googlebot's user agent, reads it the same way (rendered when
    ``site.render`` is on) and stores the words only one view shows
    (``PageItem.cloaking``). This rule judges that difference: a finding when at least
    ``min_changed_words`` words and ``min_changed_share`` of all the words of the two
    views are not shared; a warning when Googlebot gets another answer (an error status,
    a redirect, a refused connection) while visitors get the page. Pages not checked are
    not scored. Only the user agent is tested: sites that cloak by IP address (Google's
    published ranges) cannot be seen from outside.
    """

    id = "cloaking"
    category = "seo"
    weight = 3.0  # spam: a manual action can drop the page, or the site
    title = Msg("Même page pour Googlebot et les visiteurs",
                "Same page for Googlebot and visitors")
    description = Msg(
        "Télécharge chaque page une seconde fois en se présentant comme Googlebot et compare "
        "le texte visible avec celui que voient les visiteurs (cloaking).",
        "Fetches each page a second time as Googlebot and compares its visible text with "
        "what visitors see (cloaking).")
    why = Msg(
        "Montrer aux moteurs une autre page qu’aux visiteurs (cloaking) est interdit par les "
        "règles anti-spam de Google : la page ou tout le site peut être déclassé ou retiré par "
        "une action manuelle. C’est aussi la signature d’un site piraté.",
        "Showing engines another page than visitors see (cloaking) is against Google's spam "
        "policies: the page or the whole site can be demoted or removed by a manual action. It "
        "is also the mark of a hacked site.")
    fix = Msg(
        "Servez la même page à tous : retirez du serveur ou du CMS toute règle qui change le "
        "contenu, le code de réponse ou la redirection selon le navigateur ou le robot qui la "
        "demande (user agent) ; si personne ne l’a voulu, cherchez un piratage.",
        "Serve the same page to everybody: remove any server or CMS rule that changes the "
        "content, the status or the redirect by user agent; if nobody meant it, look for a "
        "hack.")
    codes = {
        "cloaking": Code(Severity.ERROR, Msg("Contenu différent pour Googlebot (cloaking)",
                                             "Different content for Googlebot (cloaking)")),
        "bot-answer": Code(Severity.WARNING, Msg("Googlebot reçoit une autre réponse",
                                                 "Googlebot gets another answer")),
    }
    columns = {"cloaking_share": Msg("Écart vu par Googlebot (%)", "Googlebot view differs (%)")}

    @dataclass(frozen=True)
    class Options:
        min_changed_words: int = checked(at_least(1), default=20)
        # Share of the words of both views that only one of them has.
        min_changed_share: float = checked(between(0.01, 1.0), default=0.2)
        max_listed: int = checked(at_least(1), default=12)  # words shown per view

    def applies(self, page: PageItem) -> bool:
        return page.ok and bool(page.cloaking)

    def check(self, page: PageItem, ctx: Context) -> Iterator[Outcome]:
        bot: dict[str, Any] = page.cloaking
        status = bot.get("status")
        if bot.get("error") or not (isinstance(status, int) and 200 <= status < 300):
            if bot.get("error") == "robots.txt":  # not fetched: nothing to compare
                yield Score(page.url, 100.0)
                return
            answer = bot.get("error") or f"HTTP {status}"
            if bot.get("redirect_to"):
                answer += f" → {bot['redirect_to']}"
            yield self.finding(page.url, "bot-answer", Msg(
                "Googlebot reçoit « {a} » là où les visiteurs reçoivent la page ({s}).",
                "Googlebot gets '{a}' where visitors get the page ({s}).").format(
                    a=answer, s=page.status), related=[bot["redirect_to"]]
                    if bot.get("redirect_to") else [])
            yield Score(page.url, 50.0)
            return
        only_bot = int(bot.get("only_bot_total", 0))
        only_visitor = int(bot.get("only_visitor_total", 0))
        total = int(bot.get("words", 0)) + int(bot.get("visitor_words", 0))
        changed = only_bot + only_visitor
        share = changed / total if total else 0.0
        yield PageData(page.url, "cloaking_share", round(100 * share))
        o = self.options
        if changed < o.min_changed_words or share < o.min_changed_share:
            yield Score(page.url, 100.0)
            return
        yield self.finding(page.url, "cloaking", Msg(
            "Googlebot ne reçoit pas la même page que les visiteurs : {n} mots sur {t} ne sont "
            "que dans l’une des deux versions ({p} %) — {b} seulement pour Googlebot, {v} "
            "seulement pour les visiteurs.",
            "Googlebot does not get the page visitors get: {n} of {t} words are in one version "
            "only ({p} %) — {b} for Googlebot only, {v} for visitors only.").format(
                n=changed, t=total, p=round(100 * share), b=only_bot, v=only_visitor),
            evidence=self._evidence(page, bot))
        yield Score(page.url, 0.0)

    def _evidence(self, page: PageItem, bot: dict[str, Any]) -> Msg:
        def listing(words: dict[str, int]) -> str:
            top = sorted(words.items(), key=lambda kv: -kv[1])[: self.options.max_listed]
            return ", ".join(f"{w} ×{c}" if c > 1 else w for w, c in top) or "—"

        fr = [f"Seulement pour Googlebot : {listing(bot.get('only_bot') or {})}",
              f"Seulement pour les visiteurs : {listing(bot.get('only_visitor') or {})}"]
        en = [f"Googlebot only: {listing(bot.get('only_bot') or {})}",
              f"Visitors only: {listing(bot.get('only_visitor') or {})}"]
        title = bot.get("title")
        if title is not None and (title or "").split() != (page.title or "").split():
            fr.append(f"Titre pour Googlebot : « {title} » (visiteurs : « {page.title} »)")
            en.append(f"Title for Googlebot: '{title}' (visitors: '{page.title}')")
        return Msg("\n".join(fr), "\n".join(en))
