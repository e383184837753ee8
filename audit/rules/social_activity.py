from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from audit.context import Context
from audit.rule import Code, Msg, Outcome, Score, Severity, SiteRule, TableRow
from audit.text.posts_csv import ExportError, read_post_dates
from audit.typedyaml import at_least, checked
from spiders.items import PageItem


class SocialActivity(SiteRule):
    """The brand's social profiles are alive: recent, regular posts.

    **Why it matters** (SMO): "be present and *active*" — a profile whose last post is
    months old tells visitors the company may have closed, and networks show inactive
    accounts to nobody. The usual advice: at least two networks, each with regular
    posts (every week or two).

    **Bad**: an Instagram account whose last post is from last year; a LinkedIn page with
    two posts in three months.

    **Good**: posts every week on the two networks the clients use, the last one a few
    days old.

    Activity comes from each profile's analytics export (``posts_csv:`` in
    ``social.profiles``, a CSV with a date column, as the networks export it), else from
    its RSS/Atom feed (``feed:``: YouTube channel feeds, Mastodon, Bluesky, a blog),
    fetched by the crawl. Facebook and Instagram pages are never scraped (blocked, and
    against their terms): a profile with neither is "activity unknown" (notice) and is
    not scored. Site score: the mean
    over profiles with known activity of 100 (active) or 20 (inactive, last post older
    than ``social.max_days_without_post``).
    """

    id = "social-activity"
    category = "smo"
    weight = 2.0
    site_level = True
    title = Msg("Réseaux sociaux actifs", "Active social networks")
    description = Msg(
        "Mesure l’activité de chaque profil social (date du dernier post, posts par mois sur "
        "90 jours) à partir de son export de statistiques.",
        "Measures each social profile's activity (last post date, posts per month over 90 "
        "days) from its analytics export.")
    why = Msg(
        "Un profil dont le dernier post date de plusieurs mois laisse penser que l’entreprise "
        "a peut-être fermé, et les réseaux ne montrent les comptes inactifs à personne. Le "
        "conseil habituel : au moins deux réseaux, chacun avec des publications régulières.",
        "A profile whose last post is months old suggests the company may have closed, and "
        "networks show inactive accounts to nobody. The usual advice: at least two networks, "
        "each with regular posts.")
    fix = Msg(
        "Publiez régulièrement (toutes les une à deux semaines) sur au moins deux réseaux où "
        "sont vos clients ; transmettez à votre consultant l’export de statistiques ou le flux "
        "RSS de chaque profil pour que son activité soit mesurée.",
        "Post regularly (every week or two) on at least two networks your clients use; give "
        "your consultant each profile's analytics export or feed so that its activity can be "
        "measured.")
    codes = {
        "inactive": Code(Severity.WARNING, Msg("Profil social inactif", "Inactive social profile")),
        "too-few-active": Code(Severity.WARNING, Msg("Trop peu de réseaux actifs",
                                                     "Too few active networks")),
        "unknown-activity": Code(Severity.NOTICE, Msg("Activité inconnue (pas d’export)",
                                                      "Activity unknown (no export)")),
        "unreadable-export": Code(Severity.WARNING, Msg("Export de statistiques illisible",
                                                        "Unreadable analytics export")),
        "unreadable-feed": Code(Severity.WARNING, Msg("Flux RSS/Atom illisible",
                                                      "Unreadable RSS/Atom feed")),
    }

    @dataclass(frozen=True)
    class Options:
        window_days: int = checked(at_least(7), default=90)  # posts per month over this window
        inactive_score: float = 20.0

    def collect(self, page: PageItem, ctx: Context) -> None:
        return None  # activity comes from the profiles' exports, not from the pages

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        social = ctx.config.social
        home = ctx.config.site.start_urls[0]
        today = datetime.now(UTC).date()
        scores: list[float] = []
        active = 0
        for network in social.profiles:
            profile = social.profile(network)
            if profile is None:
                continue
            row: dict[str, object] = {"network": network, "source": "", "last_post": None,
                                      "per_month": None, "active": None}
            if profile.posts_csv:
                row["source"] = "export"
                try:
                    dates = read_post_dates(ctx.config.resolve(profile.posts_csv))
                except ExportError as exc:
                    # The run goes on without this input, and says so.
                    yield TableRow("social", row)
                    yield self.site_finding(home, "unreadable-export", Msg(
                        "Export de {n} illisible, activité non mesurée : {e}",
                        "{n} export unreadable, activity not measured: {e}").format(
                            n=network, e=str(exc)), evidence=str(exc))
                    continue
            elif profile.feed and network in ctx.feeds:
                record = ctx.feeds[network]
                row["source"] = "feed"
                if record.get("error"):
                    yield TableRow("social", row)
                    yield self.site_finding(home, "unreadable-feed", Msg(
                        "Flux de {n} illisible, activité non mesurée : {e}",
                        "{n} feed unreadable, activity not measured: {e}").format(
                            n=network, e=record["error"]), evidence=profile.feed,
                        related=[profile.feed])
                    continue
                dates = sorted((date.fromisoformat(d[:10]) for d in record.get("dates", [])),
                               reverse=True)
            else:
                why = Msg("flux non récupéré par l’exploration", "feed not fetched by the crawl") \
                    if profile.feed else Msg("fournissez l’export des publications "
                                             f"(social.profiles.{network}.posts_csv) ou un "
                                             "flux RSS/Atom (feed)",
                                             "provide the posts export "
                                             f"(social.profiles.{network}.posts_csv) or an "
                                             "RSS/Atom feed (feed)")
                yield TableRow("social", row)
                yield self.site_finding(home, "unknown-activity", Msg(
                    f"Activité de {network} inconnue : {why.fr}.",
                    f"{network} activity unknown: {why.en}."), evidence=profile.url)
                continue
            last = dates[0] if dates else None
            recent = [d for d in dates if d >= today - timedelta(days=self.options.window_days)]
            per_month = len(recent) * 30.0 / self.options.window_days
            evidence = Msg(
                f"dernier post : {_fr(last)} ; {per_month:.1f} posts par mois sur "
                f"{self.options.window_days} jours".replace(".", ","),
                f"last post: {last or '—'}; {per_month:.1f} posts a month over "
                f"{self.options.window_days} days")
            idle = (today - last).days if last else None
            active_now = idle is not None and idle <= social.max_days_without_post
            yield TableRow("social", {**row, "last_post": last.isoformat() if last else None,
                                      "per_month": round(per_month, 1), "active": active_now})
            if not active_now:
                scores.append(self.options.inactive_score)
                yield self.site_finding(home, "inactive", Msg(
                    "Profil {n} inactif : aucun post depuis {d} jours (au plus {m} conseillé).",
                    "{n} profile inactive: no post for {d} days (at most {m} advised).").format(
                        n=network, d=idle if idle is not None else "∞",
                        m=social.max_days_without_post), evidence=evidence,
                    related=[profile.url])
            else:
                scores.append(100.0)
                active += 1
        known = len(scores)
        if known and active < social.min_networks:
            fr_active = "aucun réseau actif" if active == 0 else \
                "un seul réseau actif" if active == 1 else f"{active} réseaux actifs"
            en_active = "no active network" if active == 0 else \
                "a single active network" if active == 1 else f"{active} active networks"
            fr_known = f"sur {known} mesuré" + ("s" if known > 1 else "")
            en_known = f"of {known} measured"
            yield self.site_finding(home, "too-few-active", Msg(
                f"{fr_active[0].upper()}{fr_active[1:]} ({fr_known}) : au moins "
                f"{social.min_networks} réseaux avec des posts réguliers sont conseillés.",
                f"{en_active[0].upper()}{en_active[1:]} ({en_known}): at least "
                f"{social.min_networks} networks with regular posts are advised."))
        yield Score(None, sum(scores) / known if known else None)


def _fr(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "—"
