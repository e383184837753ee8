from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from audit.context import Context
from audit.rule import Code, Column, Msg, Outcome, PageData, Row, Score, Severity, SiteRule, Table
from audit.sea.landing import normalise
from audit.sea.service import SeaInputs, sea_inputs
from audit.serving import HEAVY_HTML_KB, SLOW_TTFB_MS, ttfb_ms
from audit.text.tokens import terms
from audit.typedyaml import at_least, checked
from spiders.items import PageItem

# Action wording of calls to action, as matching terms' beginnings (accents off, French
# and English): « Demander un devis », « Réservez », « S'inscrire », "Book a demo"...
CTA_STEMS = ("devis", "contact", "appel", "achet", "achat", "command", "reserv", "inscri",
             "essai", "essay", "demand", "telecharg", "obten", "rendez", "rdv", "panier",
             "souscri", "abonn", "profit", "commenc", "estim", "simul", "rappel",
             "quote", "call", "buy", "order", "book", "sign", "regist", "subscri", "try",
             "trial", "start", "download", "request", "demo", "cart", "shop", "get")
TRACKING_NAMES = {
    "google-ads": "Google Ads", "ga4": "GA4", "gtm": "Google Tag Manager",
    "universal-analytics": "Universal Analytics", "floodlight": "Floodlight",
    "meta-pixel": "Meta pixel", "linkedin-insight": "LinkedIn Insight",
    "microsoft-uet": "Microsoft UET"}
# Tags that can measure an ad conversion (GTM: whatever its container loads).
CONVERSION_KINDS = frozenset({"google-ads", "gtm", "floodlight", "meta-pixel",
                              "linkedin-insight", "microsoft-uet", "ga4"})


def is_cta(text: str) -> bool:
    return any(t.startswith(CTA_STEMS) for t in terms(text))


@dataclass(slots=True)
class _Page:
    """What the rule keeps of an HTML page until the end (small: no text)."""

    url: str
    tracking: list[str]
    cta_buttons: list[str]
    cta_links: list[tuple[str, str]]  # (url, text) of action-worded links
    forms: int
    contacts: int
    matched: set[str] = field(default_factory=set)  # ad keywords found in the page
    in_heading: set[str] = field(default_factory=set)  # ... in its title or h1
    size: int = 0
    response_time: float | None = None


class SeaLandingPage(SiteRule):
    """Every page paid ads lead to answers, measures conversions and asks for action.

    **Why it matters** (SEA): a paid click costs money the moment it lands. A broken or
    redirected landing page wastes it, a page without conversion tracking leaves the
    campaign optimising blind, a page without a call to action or contact details lets
    the visitor leave, and a page that does not repeat the ad's keyword lowers Google's
    landing-page experience, hence the Quality Score — and a lower Quality Score means a
    higher cost per click.

    **Bad**: ads for « plombier urgence Paris » sent to the home page, which redirects
    twice, speaks of bathrooms, has no phone number and no Google Ads tag.

    **Good**: ads sent to ``/urgence-plombier-paris.html``, answering 200 at once, titled
    « Plombier en urgence à Paris », with the Google Ads tag and consent mode, a
    « Appelez-nous : 01 23 45 67 89 » button and a quote form.

    Landing pages are ``sea.landing_pages`` plus every final URL of the campaign reports
    (``sea.campaigns``), compared without tracking parameters (utm_*, gclid); the crawl
    fetches them even when no page links to them. Links present on most pages of the
    site (the menu's « Devis gratuit ») do not count as the page's call to action.
    Score per landing page: 100, − 100 broken, − 15 per redirect (over the first),
    − 35 no conversion tracking, − 5 tracking without consent management, − 25 no call
    to action, − 10 no contact means, − 25 × share of its ad keywords it does not carry,
    − 10 slow or heavy (first byte over 0.8 s, HTML over 500 KB: the thresholds of
    ``page-experience``, from ``audit/serving.py``).
    """

    id = "sea-landing-page"
    category = "sea"
    weight = 3.0
    site_level = True  # scores only the landing pages, explicitly
    title = Msg("Pages de destination des annonces", "Ad landing pages")
    description = Msg(
        "Chaque page de destination des annonces répond, mesure les conversions, propose "
        "une action et reprend les mots-clés de l’annonce.",
        "Every ad landing page answers, measures conversions, offers an action and "
        "carries the ad's keywords.")
    why = Msg(
        "Chaque clic payant coûte dès qu’il arrive : une page en erreur ou redirigée le "
        "gaspille, sans suivi des conversions la campagne s’optimise à l’aveugle, sans appel à "
        "l’action le visiteur repart, et une page qui ne reprend pas l’annonce baisse le "
        "Quality Score, donc renchérit le clic.",
        "Every paid click costs money on arrival: a broken or redirected page wastes it, "
        "without conversion tracking the campaign optimises blind, without a call to action "
        "the visitor leaves, and a page not echoing the ad lowers the Quality Score, so each "
        "click costs more.")
    fix = Msg(
        "Envoyez les annonces vers une page qui répond 200 sans redirection, reprend leurs "
        "mots-clés dans son titre et porte la balise Google Ads (avec gestion du "
        "consentement), un bouton d’appel ou de devis et un téléphone, un e-mail ou un "
        "formulaire.",
        "Send the ads to a page answering 200 without redirect, with their keywords in its "
        "title, the Google Ads tag (with consent management), a call or quote button, and a "
        "phone number, e-mail address or form.")
    codes = {
        "broken": Code(Severity.ERROR, Msg("Page de destination en erreur",
                                           "Landing page broken")),
        "redirected": Code(Severity.WARNING, Msg("Page de destination redirigée",
                                                 "Landing page redirected")),
        "not-crawled": Code(Severity.WARNING, Msg("Page de destination non auditée",
                                                  "Landing page not audited")),
        "no-tracking": Code(Severity.ERROR, Msg("Aucun suivi des conversions",
                                                "No conversion tracking")),
        "no-consent": Code(Severity.NOTICE, Msg("Suivi sans gestion du consentement visible",
                                                "Tracking without visible consent management")),
        "no-cta": Code(Severity.WARNING, Msg("Pas d’appel à l’action",
                                             "No call to action")),
        "no-contact": Code(Severity.NOTICE, Msg("Ni téléphone, ni e-mail, ni formulaire",
                                                "No phone, e-mail or form")),
        "message-mismatch": Code(Severity.WARNING, Msg(
            "Mots-clés de l’annonce absents de la page",
            "Ad keywords missing from the page")),
        "slow": Code(Severity.NOTICE, Msg("Page de destination lente ou lourde",
                                          "Slow or heavy landing page")),
    }
    columns = {"sea_tracking": Msg("Suivi des conversions (SEA)", "Conversion tracking (SEA)")}
    tables = {"landing_pages": Table(Msg("SEA - pages", "SEA - pages"), (
        Column("url", Msg("Page de destination", "Landing page"), "url", 50),
        Column("status", Msg("Statut final", "Final status"), "int", 10),
        Column("redirects", Msg("Redirections", "Redirects"), "int", 12),
        Column("tracking", Msg("Suivi des conversions", "Conversion tracking"), width=34),
        Column("consent", Msg("Consentement", "Consent"), width=18),
        Column("cta", Msg("Appels à l’action", "Calls to action"), width=34),
        Column("contact", Msg("Contact", "Contact"), width=14),
        Column("keywords", Msg("Mots-clés des annonces", "Ad keywords"), "int", 12),
        Column("missing", Msg("Mots-clés absents de la page", "Keywords missing"), width=34),
        Column("response_ms", Msg("Temps de réponse (TTFB, ms)", "Response time (TTFB, ms)"),
               "int", 12),
        Column("score", Msg("Score", "Score"), "int", 8),
    ))}

    @dataclass(frozen=True)
    class Options:
        max_redirects: int = checked(at_least(0), default=0)  # hops tolerated before a warning
        # The page-experience rule's thresholds (audit/serving.py): one verdict per page.
        max_response_ms: int = checked(at_least(1), default=SLOW_TTFB_MS)  # first byte
        max_html_kb: int = checked(at_least(1), default=HEAVY_HTML_KB)
        template_share: float = 0.5  # a link on this share of pages is navigation, not a CTA

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._pages: dict[str, _Page] = {}  # normalised URL -> page
        self._cta_links: Counter[tuple[str, str]] = Counter()
        self._html_pages = 0

    def applies(self, page: PageItem) -> bool:
        return True  # redirects and errors matter: a landing URL may be one

    def collect(self, page: PageItem, ctx: Context) -> None:
        sea = sea_inputs(ctx)
        if not sea.active:
            return
        key = normalise(page.url)
        sea.crawled.setdefault(key, page.url)
        if not page.ok:
            return
        self._html_pages += 1
        links = list(dict.fromkeys((link.url, link.text) for link in page.links
                                   if link.text and not link.hidden and is_cta(link.text)))
        self._cta_links.update(links)
        buttons = [b for b in page.buttons if is_cta(b)]
        buttons += [f.submit for f in page.forms if f.submit and is_cta(f.submit)]
        record = _Page(page.url, page.tracking, buttons, links,
                       forms=sum(1 for f in page.forms if f.fields),
                       contacts=len(page.contacts), size=page.size,
                       response_time=page.response_time)
        if sea.keywords:
            body = {t for b in page.text_blocks if not b.hidden for t in terms(b.text)}
            heading = set(terms(page.title or "")) | {t for h in page.h(1) for t in terms(h)}
            for keyword, needed in sea.keywords.items():
                if needed <= heading:
                    record.in_heading.add(keyword)
                    record.matched.add(keyword)
                elif needed <= body | heading:
                    record.matched.add(keyword)
        self._pages[key] = record

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        sea = sea_inputs(ctx)
        for url, keywords in sea.landing.items():
            yield from self._judge(url, keywords, sea, ctx)

    def _navigation(self, link: tuple[str, str]) -> bool:
        return self._html_pages >= 4 and \
            self._cta_links[link] >= self.options.template_share * self._html_pages

    def _judge(self, url: str, keywords: list, sea: SeaInputs,
               ctx: Context) -> Iterator[Outcome]:
        crawled = sea.crawled.get(url)
        if crawled is None:
            yield Row("landing_pages", {"url": url, "missing": Msg("non explorée",
                                                                  "not crawled")})
            yield self.finding(url, "not-crawled", Msg(
                "La page de destination {u} n’a pas été explorée (hors du site audité, ou "
                "budget de pages atteint) : elle n’est pas auditée.",
                "The landing page {u} was not crawled (outside the audited site, or the page "
                "budget was reached): it is not audited.").format(u=url))
            return
        status, final, chain = ctx.final_status(crawled)
        info = ctx.urls.get(final)
        if status is None or status >= 400 or (info is not None and info.error) or \
                (status is not None and 300 <= status < 400):
            why = f"HTTP {status}" if status else (info.error if info else "?")
            yield self.finding(crawled, "broken", Msg(
                "La publicité envoie ses visiteurs sur une page en erreur ({w}) : chaque "
                "clic payé est perdu.",
                "Ads send visitors to a broken page ({w}): every paid click is lost.").format(
                    w=why), evidence=" → ".join([*chain, final]))
            yield Score(crawled, 0.0)
            yield Row("landing_pages", {"url": crawled, "status": status,
                                        "redirects": len(chain), "score": 0})
            return
        score = 100.0
        if len(chain) > self.options.max_redirects:
            score -= 15 * max(1, len(chain) - self.options.max_redirects)
            yield self.finding(crawled, "redirected", Msg(
                "{n} redirection(s) avant la page finale : du temps de chargement payé et un "
                "risque de perdre les paramètres de suivi. Mettez l’URL finale dans l’annonce.",
                "{n} redirect(s) before the final page: paid load time and a risk of losing "
                "tracking parameters. Put the final URL in the ad.").format(n=len(chain)),
                evidence=" → ".join([*chain, final]), related=[final])
        page = self._pages.get(normalise(final))
        if page is None:  # not HTML (a PDF...): nothing more to judge
            yield Score(crawled, score)
            yield Row("landing_pages", {"url": crawled, "status": status,
                                        "redirects": len(chain), "score": round(score)})
            return
        kinds = {t.split(":", 1)[0] for t in page.tracking}
        tags = [t for t in page.tracking if not t.startswith(("cmp:", "consent-mode"))]
        yield PageData(crawled, "sea_tracking", ", ".join(
            TRACKING_NAMES.get(t.split(":", 1)[0], t) + (f" {t.split(':', 1)[1]}" if ":" in t
                                                         else "") for t in tags) or "—")
        if not kinds & CONVERSION_KINDS:
            score -= 35
            yield self.finding(crawled, "no-tracking", Msg(
                "Aucune balise de suivi (Google Ads, GA4, Tag Manager, pixel Meta, LinkedIn "
                "Insight, UET) : les conversions des annonces ne sont pas mesurées.",
                "No tracking tag (Google Ads, GA4, Tag Manager, Meta pixel, LinkedIn Insight, "
                "UET): ad conversions are not measured."))
        elif not any(t == "consent-mode" or t.startswith("cmp:") for t in page.tracking):
            score -= 5
            yield self.finding(crawled, "no-consent", Msg(
                "Balises de suivi sans mode consentement ni bandeau de consentement visible "
                "dans la page (exigé par la CNIL avant tout dépôt de cookie publicitaire).",
                "Tracking tags with no consent mode or consent banner visible in the page "
                "(required in the EU before any advertising cookie)."),
                evidence=", ".join(tags))
        ctas = page.cta_buttons + [text for link in page.cta_links
                                   if not self._navigation(link) for text in [link[1]]]
        if not ctas and not page.forms:
            score -= 25
            yield self.finding(crawled, "no-cta", Msg(
                "Aucun appel à l’action dans la page (bouton, formulaire ou lien « Demander un "
                "devis », « Réserver », « Acheter »…), hors menu du site.",
                "No call to action in the page (a button, form or link such as \"Get a "
                "quote\", \"Book\", \"Buy\"), the site's menu aside."))
        if not page.contacts and not page.forms:
            score -= 10
            yield self.finding(crawled, "no-contact", Msg(
                "Ni lien téléphone (tel:), ni e-mail (mailto:), ni formulaire.",
                "No phone link (tel:), e-mail (mailto:) or form."))
        names = sorted({kw.keyword for kw in keywords})
        missing = [k for k in names if k not in page.matched]
        if missing:
            score -= 25 * len(missing) / len(names)
            yield self.finding(crawled, "message-mismatch", Msg(
                "{m} mot(s)-clé(s) sur {n} menant à cette page n’y figurent pas : le message "
                "de l’annonce et celui de la page divergent (niveau de qualité plus bas).",
                "{m} of the {n} keyword(s) leading to this page do not appear in it: the ad's "
                "message and the page's differ (lower Quality Score).").format(
                    m=len(missing), n=len(names)),
                evidence=", ".join(f"« {k} »" for k in missing[:20]))
        ms = ttfb_ms(page)
        slow = ms is not None and ms > self.options.max_response_ms
        heavy = page.size > self.options.max_html_kb * 1024
        if slow or heavy:
            score -= 10
            rt = f"{ms:.0f} ms" if ms is not None else "?"
            yield self.finding(crawled, "slow", Msg(
                "Premier octet en {t}, HTML de {k} Ko : une page lente perd des visiteurs "
                "payés.",
                "First byte in {t}, {k} KB of HTML: a slow page loses paid visitors.").format(
                    t=rt, k=page.size // 1024))
        yield Score(crawled, max(0.0, score))
        consent = [t.split(":", 1)[-1] for t in page.tracking
                   if t == "consent-mode" or t.startswith("cmp:")]
        yield Row("landing_pages", {
            "url": crawled, "status": status, "redirects": len(chain),
            "tracking": ", ".join(TRACKING_NAMES.get(t.split(":", 1)[0], t) for t in tags),
            "consent": ", ".join(consent), "cta": " · ".join(dict.fromkeys(ctas))[:300],
            "contact": Msg("oui", "yes") if page.contacts or page.forms else Msg("non", "no"),
            "keywords": len(names), "missing": ", ".join(missing),
            "response_ms": round(page.response_time * 1000) if page.response_time else None,
            "score": round(max(0.0, score))})
