from __future__ import annotations

from collections.abc import Iterator

from audit.context import Context
from audit.networks import Profile, network_name, profile_of
from audit.rule import Code, Msg, Outcome, Score, Severity, SiteRule, TableRow
from audit.structured import same_as
from spiders.items import PageItem


class SocialProfiles(SiteRule):
    """The site links to the brand's social profiles, on enough networks.

    **Why it matters** (SMO): being present — and findable — on social networks brings
    visits, trust and links; the usual advice is at least two networks with regular
    activity. Visitors and engines connect a site to its profiles through links and
    schema.org ``sameAs``: a profile nobody can reach from the site does little for it.

    **Bad**: a LinkedIn page and an Instagram account that the site never links to; only
    "share on Facebook" buttons (share links are not a presence).

    **Good**: footer links to each profile (``rel="me"`` for Mastodon) and an
    ``Organization`` JSON-LD block with ``"sameAs": [...]`` listing them, matching the
    profiles declared in the client's ``social.profiles``.

    Site score: 100, scaled down when fewer than ``social.min_networks`` networks are
    found (1 of 2 → 50), minus 20 per declared profile the site does not link to.
    """

    id = "social-profiles"
    category = "smo"
    weight = 2.0
    site_level = True
    title = Msg("Profils sociaux reliés au site", "Social profiles linked from the site")
    description = Msg(
        "Repère les liens vers les profils sociaux (et le sameAs schema.org) et les compare "
        "aux profils déclarés ; au moins deux réseaux attendus.",
        "Finds links to social profiles (and schema.org sameAs) and compares them with the "
        "declared profiles; at least two networks expected.")
    why = Msg(
        "Être présent et trouvable sur les réseaux sociaux apporte visites, confiance et liens "
        "; visiteurs et moteurs relient un site à ses profils par des liens et par les données "
        "structurées (sameAs de schema.org) : un profil qu’on ne peut pas atteindre depuis le "
        "site ne lui sert guère.",
        "Being present and findable on social networks brings visits, trust and links; "
        "visitors and engines connect a site to its profiles through links and schema.org "
        "sameAs: a profile nobody can reach from the site does little for it.")
    fix = Msg(
        "Mettez dans le pied de page un lien vers chacun de vos profils (au moins deux réseaux "
        "; rel=\"me\" pour Mastodon) et listez-les dans la propriété sameAs d’un bloc JSON-LD "
        "Organization ; vérifiez que ce sont bien vos comptes.",
        "Link each of your profiles from the footer (at least two networks; rel=\"me\" for "
        "Mastodon) and list them in the sameAs property of an Organization JSON-LD block; "
        "check they are your own accounts.")
    codes = {
        "too-few-networks": Code(Severity.WARNING, Msg("Trop peu de réseaux sociaux",
                                                       "Too few social networks")),
        "declared-not-linked": Code(Severity.WARNING, Msg("Profil déclaré mais non relié",
                                                          "Declared profile not linked")),
        "other-account": Code(Severity.WARNING, Msg("Lien vers un autre compte",
                                                    "Link to another account")),
        "not-declared": Code(Severity.NOTICE, Msg("Profil relié mais non déclaré",
                                                  "Linked profile not declared")),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # network -> account -> (profile, first page where it was seen)
        self.found: dict[str, dict[str, tuple[Profile, str]]] = {}

    def collect(self, page: PageItem, ctx: Context) -> None:
        for link in page.links:
            if not link.internal:
                self._add(profile_of(link.url, rel_me="me" in link.rel.split()), page.url)
        # The profiles the site's structured data declares (JSON-LD, microdata, RDFa
        # sameAs of its Organization, LocalBusiness or Person): audit/structured.py.
        for url in same_as(page):
            self._add(profile_of(url, rel_me=True), page.url)

    def _add(self, profile: Profile | None, page_url: str) -> None:
        if profile is not None:
            self.found.setdefault(profile.network, {}).setdefault(profile.account,
                                                                  (profile, page_url))

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        social = ctx.config.social
        home = ctx.config.site.start_urls[0]
        penalty = 0.0
        declared_networks = set()
        for network in social.profiles:
            declared = social.profile(network)
            if declared is None:
                continue
            declared_networks.add(network)
            wanted = profile_of(declared.url, rel_me=True)
            seen = self.found.get(network, {})
            if wanted is not None and wanted.account in seen:
                continue
            penalty += 20
            if seen:
                others = [p.url for p, _ in seen.values()]
                yield self.site_finding(home, "other-account", Msg(
                    "Le site renvoie vers un autre compte {n} que celui déclaré ({u}).",
                    "The site links to another {n} account than the declared one ({u})."
                ).format(n=network, u=declared.url), evidence="\n".join(others),
                    related=[page for _, page in seen.values()])
            else:
                yield self.site_finding(home, "declared-not-linked", Msg(
                    "Le profil {n} déclaré ({u}) n’est relié depuis aucune page du site.",
                    "The declared {n} profile ({u}) is linked from no page of the site."
                ).format(n=network, u=declared.url), evidence=declared.url)
        if declared_networks:
            for network, accounts in sorted(self.found.items()):
                if network in declared_networks:
                    continue
                for profile, page in accounts.values():
                    yield self.finding(page, "not-declared", Msg(
                        "Profil {n} relié depuis le site mais absent de la configuration : "
                        "ajoutez-le à social.profiles pour suivre son activité.",
                        "{n} profile linked from the site but not in the configuration: add "
                        "it to social.profiles to follow its activity.").format(n=network),
                        evidence=profile.url)
        networks = set(self.found) | declared_networks
        for network in sorted(networks):  # the Summary's SMO block
            yield TableRow("social", {"network": network,
                                      "declared": network in declared_networks,
                                      "linked": network in self.found})
        score = 100.0
        if len(networks) < social.min_networks:
            score = 100.0 * len(networks) / social.min_networks
            n = len(networks)
            listed = f" ({', '.join(network_name(x) for x in sorted(networks))})" if n else ""
            on = Msg("Aucune présence sur les réseaux sociaux", "Present on no social network") \
                if n == 0 else Msg("Présence sur un seul réseau social",
                                   "Present on a single social network") if n == 1 \
                else Msg(f"Présence sur {n} réseaux sociaux", f"Present on {n} social networks")
            yield self.site_finding(home, "too-few-networks", Msg(
                f"{on.fr}{listed} : au moins {social.min_networks} conseillés, avec des "
                "publications régulières.",
                f"{on.en}{listed}: at least {social.min_networks} advised, with regular "
                "posts."))
        yield Score(None, max(0.0, score - penalty))
        self.found.clear()
