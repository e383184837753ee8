from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from audit.context import Context
from audit.rule import Code, Column, Msg, Outcome, Row, Score, Severity, SiteRule, Table
from audit.sea.exports import AdKeyword
from audit.sea.landing import normalise
from audit.sea.service import absolute, sea_inputs
from audit.text.keywords import find_phrase, keyword_service, phrase_terms
from audit.typedyaml import at_least, between, checked
from spiders.items import PageItem

MAX_LISTED = 15  # keywords named in one finding's evidence (the SEA sheet has them all)


@dataclass
class _Line:
    """One keyword of the campaigns, summed over the report rows that name it."""

    keyword: str
    match_type: str
    campaign: str
    ad_group: str
    final_url: str
    impressions: int = 0
    clicks: int = 0
    cost: float = 0.0
    conversions: float = 0.0

    @property
    def ctr(self) -> float | None:
        return 100 * self.clicks / self.impressions if self.impressions else None

    @property
    def cpc(self) -> float | None:
        return self.cost / self.clicks if self.clicks else None

    @property
    def cpm(self) -> float | None:
        return 1000 * self.cost / self.impressions if self.impressions else None

    @property
    def conversion_rate(self) -> float | None:
        return 100 * self.conversions / self.clicks if self.clicks else None

    @property
    def cost_per_conversion(self) -> float | None:
        return self.cost / self.conversions if self.conversions else None


def _lines(rows: list[AdKeyword]) -> list[_Line]:
    out: dict[tuple[str, str, str, str], _Line] = {}
    for r in rows:
        key = (r.campaign, r.ad_group, r.keyword.lower(), r.match_type.lower())
        line = out.get(key)
        if line is None:
            line = out[key] = _Line(r.keyword, r.match_type, r.campaign, r.ad_group,
                                    r.final_url)
        line.impressions += r.impressions
        line.clicks += r.clicks
        line.cost += r.cost
        line.conversions += r.conversions
        line.final_url = line.final_url or r.final_url
    return list(out.values())


def _money(value: float, currency: str) -> str:
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",")
    return f"{text} {'€' if currency in ('', 'EUR') else currency}"


class SeaCampaign(SiteRule):
    """Paid search campaigns spend where it pays, and alongside the organic pages.

    **Why it matters** (SEA): paid search brings traffic the day the ads start and stops
    the day the spending stops; every euro spent on a keyword nobody clicks, or that
    never converts, is lost. Buying a keyword a page already targets organically may pay
    twice for the same visitor; a keyword that converts with no page focused on it is an
    organic opportunity the SEO work should take.

    **Bad**: « formation seo gratuite » with 1 200 impressions, 0,3 % CTR and 180 € spent
    for no conversion; « agence seo lyon » bought while the home page already targets it.

    **Good**: keywords with a CTR of several per cent, a cost per conversion the client
    accepts, each leading to a working landing page, and the best converting ones also
    given an organic page.

    Reads the Google Ads / Microsoft Ads keyword or search-term reports in
    ``sea.campaigns`` (CSV/TSV, UTF-8 or UTF-16, French or English headers and number
    formats; see the README). Per keyword and overall: CTR, CPC, CPM, conversion rate,
    cost per conversion, in the SEA sheet. Site score: 100 − 40 × share of the spend on
    keywords with no conversion (above ``max_cost_without_conversion``) − 20 × share of
    impressions at a CTR under ``min_ctr_percent`` − 10 × share of keywords with no
    impression − 30 × share of the spend sent to broken landing pages.
    """

    id = "sea-campaign"
    category = "sea"
    weight = 3.0
    site_level = True
    title = Msg("Campagnes de référencement payant", "Paid search campaigns")
    description = Msg(
        "Analyse les rapports de mots-clés Google Ads / Microsoft Ads : CTR, CPC, CPM, "
        "conversions, mots-clés sans impression ou sans conversion, payant contre naturel.",
        "Analyses Google Ads / Microsoft Ads keyword reports: CTR, CPC, CPM, conversions, "
        "keywords with no impression or no conversion, paid against organic.")
    why = Msg(
        "Chaque euro dépensé sur un mot-clé sur lequel personne ne clique ou qui ne convertit "
        "jamais est perdu, comme les clics envoyés vers une page en erreur ; acheter un mot-clé "
        "qu’une page vise déjà en référencement naturel peut faire payer deux fois le même "
        "visiteur.",
        "Every euro spent on a keyword nobody clicks or that never converts is lost, as are "
        "clicks sent to a broken page; buying a keyword a page already targets organically may "
        "pay twice for the same visitor.")
    fix = Msg(
        "Dans le compte Google Ads ou Microsoft Ads, mettez en pause ou retravaillez les "
        "mots-clés sans impression, à faible taux de clic (CTR) ou sans conversion, corrigez "
        "les pages de destination en erreur et donnez une page dédiée aux mots-clés qui "
        "convertissent.",
        "In the Google Ads or Microsoft Ads account, pause or rework keywords with no "
        "impression, a low click-through rate (CTR) or no conversion, fix broken landing "
        "pages, and give the converting keywords a page of their own.")
    codes = {
        "no-impressions": Code(Severity.WARNING, Msg("Mots-clés sans impression",
                                                     "Keywords with no impression")),
        "low-ctr": Code(Severity.WARNING, Msg("Taux de clic faible", "Low click-through rate")),
        "spend-no-conversion": Code(Severity.ERROR, Msg("Dépense sans conversion",
                                                        "Spend with no conversion")),
        "broken-landing": Code(Severity.ERROR, Msg("Annonces vers une page en erreur",
                                                   "Ads leading to a broken page")),
        "paid-and-organic": Code(Severity.NOTICE, Msg(
            "Mot-clé acheté et déjà ciblé par une page", "Keyword bought and already targeted "
            "by a page")),
        "organic-gap": Code(Severity.NOTICE, Msg("Mot-clé payant sans page dédiée",
                                                 "Paid keyword with no page of its own")),
        "unreadable-report": Code(Severity.WARNING, Msg("Rapport de campagne illisible",
                                                        "Unreadable campaign report")),
    }
    tables = {"keywords": Table(Msg("SEA", "SEA"), (
        Column("campaign", Msg("Campagne", "Campaign"), width=22),
        Column("ad_group", Msg("Groupe d’annonces", "Ad group"), width=22),
        Column("keyword", Msg("Mot-clé", "Keyword"), width=28),
        Column("match_type", Msg("Correspondance", "Match type"), width=18),
        Column("impressions", Msg("Impressions", "Impressions"), "int", 12),
        Column("clicks", Msg("Clics", "Clicks"), "int", 9),
        Column("ctr", Msg("CTR (%)", "CTR (%)"), "percent", 9),
        Column("cost", Msg("Coût", "Cost"), "money", 11),
        Column("cpc", Msg("CPC", "CPC"), "money", 9),
        Column("cpm", Msg("CPM", "CPM"), "money", 9),
        Column("conversions", Msg("Conversions", "Conversions"), "number", 12),
        Column("conversion_rate", Msg("Taux de conv. (%)", "Conv. rate (%)"), "percent", 12),
        Column("cost_per_conversion", Msg("Coût / conv.", "Cost / conv."), "money", 12),
        Column("final_url", Msg("URL finale", "Final URL"), "url", 40),
        Column("landing_status", Msg("Statut de la page", "Page status"), "int", 10),
        Column("organic_page", Msg("Page naturelle ciblant le mot-clé",
                                   "Organic page targeting it"), "url", 40),
        Column("problem", Msg("Problème", "Problem"), width=30),
    ))}

    @dataclass(frozen=True)
    class Options:
        min_ctr_percent: float = checked(between(0, 100), default=1.0)
        max_cost_without_conversion: float = checked(at_least(0), default=50.0)
        # Below this many impressions a CTR says nothing yet.
        min_impressions_for_ctr: int = checked(at_least(1), default=100)

    def applies(self, page: PageItem) -> bool:
        return True  # a final URL may be a redirect or an error page

    def collect(self, page: PageItem, ctx: Context) -> None:
        sea = sea_inputs(ctx)
        if not sea.campaigns.keywords:
            return
        sea.crawled.setdefault(normalise(page.url), page.url)
        if page.ok:
            keyword_service(ctx).add(page)  # shared with the keyword rules: added once

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        sea = sea_inputs(ctx)
        home = ctx.config.site.start_urls[0]
        for err in sea.campaigns.errors:
            yield self.site_finding(home, "unreadable-report", Msg(
                "Rapport de campagne illisible, l’audit SEA continue sans lui : {e}",
                "Campaign report unreadable, the SEA audit goes on without it: {e}").format(
                    e=str(err)), evidence=str(err))
        lines = _lines(sea.campaigns.keywords)
        if not lines:
            yield Score(None, None)
            return
        currency = sea.campaigns.currency
        organic = self._organic_targets(ctx)
        opt = self.options
        problems: dict[str, list[_Line]] = {c: [] for c in self.codes}
        total_cost = sum(line.cost for line in lines) or 0.0
        total_impr = sum(line.impressions for line in lines)
        wasted = low_ctr_impr = broken_cost = 0.0
        for line in lines:
            marks = []
            status = None
            if line.final_url:
                crawled = sea.crawled.get(absolute(ctx, line.final_url))
                status = ctx.final_status(crawled)[0] if crawled else None
                if crawled and (status is None or status >= 400):
                    problems["broken-landing"].append(line)
                    broken_cost += line.cost
                    marks.append(self.codes["broken-landing"].label)
            if line.impressions == 0:
                problems["no-impressions"].append(line)
                marks.append(self.codes["no-impressions"].label)
            elif line.impressions >= opt.min_impressions_for_ctr and \
                    (line.ctr or 0) < opt.min_ctr_percent:
                problems["low-ctr"].append(line)
                low_ctr_impr += line.impressions
                marks.append(self.codes["low-ctr"].label)
            if line.conversions == 0 and line.cost > opt.max_cost_without_conversion:
                problems["spend-no-conversion"].append(line)
                wasted += line.cost
                marks.append(self.codes["spend-no-conversion"].label)
            page = self._organic_page(line.keyword, organic)
            if line.impressions:
                problems["paid-and-organic" if page else "organic-gap"].append(line)
            yield Row("keywords", {**self._values(line, status, page or "", marks),
                                   "currency": currency})
        total = _Line("", "", "", "", "")
        for line in lines:
            total.impressions += line.impressions
            total.clicks += line.clicks
            total.cost += line.cost
            total.conversions += line.conversions
        yield Row("keywords", {**self._values(total, None, "", []), "campaign": Msg(
            "Total ({n} mots-clés)", "Total ({n} keywords)").format(n=len(lines)),
            "keyword": "", "currency": currency})
        yield from self._findings(home, problems, currency)
        score = 100.0
        if total_cost:
            score -= 40 * wasted / total_cost + 30 * broken_cost / total_cost
        if total_impr:
            score -= 20 * low_ctr_impr / total_impr
        score -= 10 * len(problems["no-impressions"]) / len(lines)
        yield Score(None, max(0.0, score))

    @staticmethod
    def _values(line: _Line, status: int | None, page: str, marks: list[Msg]
                ) -> dict[str, object]:
        return {
            "campaign": line.campaign, "ad_group": line.ad_group, "keyword": line.keyword,
            "match_type": line.match_type, "impressions": line.impressions,
            "clicks": line.clicks, "ctr": line.ctr, "cost": round(line.cost, 2),
            "cpc": line.cpc, "cpm": line.cpm, "conversions": line.conversions,
            "conversion_rate": line.conversion_rate,
            "cost_per_conversion": line.cost_per_conversion,
            "final_url": line.final_url, "landing_status": status, "organic_page": page,
            "problem": Msg(", ".join(m.fr for m in marks), ", ".join(m.en for m in marks)),
        }

    @staticmethod
    def _organic_targets(ctx: Context) -> list[tuple[tuple[str, ...], str]]:
        svc = keyword_service(ctx)
        out = []
        for url in svc.facts:
            target = svc.target(url)
            if target is not None and ctx.urls.get(url) is not None:
                out.append((target[0], url))
        return out

    @staticmethod
    def _organic_page(keyword: str, organic: list[tuple[tuple[str, ...], str]]) -> str | None:
        """The page whose focus is the keyword, or is contained in it (« agence seo » for
        « agence seo lyon »), the longest focus first."""
        paid = phrase_terms(keyword.replace("+", " ").replace('"', " ").strip("[] "))
        best: tuple[int, str] | None = None
        for phrase, url in organic:
            # A one-word focus (« audit ») is too vague to say a page targets a longer
            # paid phrase: it must be the whole keyword.
            fits = phrase == paid or (len(phrase) >= 2 and find_phrase(phrase, paid) >= 0)
            if fits and (best is None or len(phrase) > best[0]):
                best = (len(phrase), url)
        return best[1] if best else None

    def _findings(self, home: str, problems: dict[str, list[_Line]],
                  currency: str) -> Iterator[Outcome]:
        def listing(lines: list[_Line], key: str) -> str:
            lines = sorted(lines, key=lambda x: -getattr(x, key))[:MAX_LISTED]
            return "\n".join(f"« {x.keyword} » — {x.impressions} impr., {x.clicks} clics, "
                             f"{_money(x.cost, currency)}" for x in lines)

        spec = {
            "no-impressions": ("{n} mot(s)-clé(s) sans aucune impression : enchère trop basse, "
                               "volume nul ou mots-clés en double.",
                               "{n} keyword(s) with no impression at all: bid too low, no "
                               "search volume or duplicate keywords.", "cost"),
            "low-ctr": ("{n} mot(s)-clé(s) avec un taux de clic sous le seuil : annonces peu "
                        "pertinentes pour ces recherches.",
                        "{n} keyword(s) with a click-through rate under the threshold: ads "
                        "not relevant to these searches.", "impressions"),
            "spend-no-conversion": ("{n} mot(s)-clé(s) ont dépensé {c} sans une conversion.",
                                    "{n} keyword(s) spent {c} without a single conversion.",
                                    "cost"),
            "broken-landing": ("{n} mot(s)-clé(s) envoient vers une page en erreur ({c}).",
                               "{n} keyword(s) lead to a broken page ({c}).", "cost"),
            "paid-and-organic": ("{n} mot(s)-clé(s) achetés alors qu’une page du site les "
                                 "cible déjà : vérifiez sa position naturelle avant de payer.",
                                 "{n} keyword(s) bought while a page of the site already "
                                 "targets them: check its organic ranking before paying.",
                                 "cost"),
            "organic-gap": ("{n} mot(s)-clé(s) payants sans page du site qui les cible : des "
                            "pages à créer pour capter ce trafic sans payer.",
                            "{n} paid keyword(s) with no page of the site targeting them: "
                            "pages to create to win this traffic without paying.",
                            "conversions"),
        }
        for code, (fr, en, key) in spec.items():
            lines = problems[code]
            if not lines:
                continue
            cost = _money(sum(x.cost for x in lines), currency)
            yield self.site_finding(home, code, Msg(fr, en).format(n=len(lines), c=cost),
                               evidence=listing(lines, key))
