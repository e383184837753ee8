"""audit/site_hosts.py: which hosts are the site, seen from the check stage."""

from __future__ import annotations

import yaml

from audit.config import loads
from audit.context import Context
from audit.site_hosts import SiteHosts
from spiders.items import Link, PageItem

START = "http://127.0.0.1:8000/"


def _context() -> Context:
    cfg = loads(yaml.safe_dump({"client": "Atelier Exemple", "site": {"start_urls": [START]}}))
    return Context(cfg)


def _page(url: str, links: tuple[str, ...] | list[str] = (), canonical: str = "",
          **fields: object) -> PageItem:
    page = PageItem(url=url, status=200, is_html=True, canonical=canonical,
                    links=[Link(url=u, text="lien", internal=u.startswith(START))
                           for u in links], **fields)
    return page


def test_start_page_reached_through_a_redirect_gives_the_hint() -> None:
    ctx = _context()
    hosts = SiteHosts(ctx.config)
    hosts.observe(PageItem(url=START, status=301, redirect_to=START + "accueil"), ctx)
    prod = "https://www.atelier-exemple.fr/"
    hosts.observe(_page(START + "accueil", [prod, prod + "services", prod + "contact",
                                            prod + "realisations", START + "mentions"],
                        depth=0, found_on=START), ctx)
    assert [n.en for n in ctx.notes] == [
        "80 % of the start page's links go to www.atelier-exemple.fr: if it is this site's "
        "production domain, add it to site.aliases (its links are then crawled on the "
        "audited site)."]
    assert ctx.notes[0].fr.startswith("80 % des liens de la page de départ mènent à "
                                      "www.atelier-exemple.fr")


def test_a_few_external_links_are_no_hint() -> None:
    ctx = _context()
    hosts = SiteHosts(ctx.config)
    hosts.observe(_page(START, ["https://www.linkedin.com/company/atelier-exemple",
                                "https://www.linkedin.com/in/gerant", START + "services"]), ctx)
    assert ctx.notes == []  # two of three links, but only two: a footer, not a domain


def test_production_domain_is_the_host_most_canonicals_name_with_their_own_path() -> None:
    ctx = _context()
    hosts = SiteHosts(ctx.config)
    prod = "https://docs.exemple.fr/"
    for path in ("", "installation/", "configuration/"):
        hosts.observe(_page(START + path, canonical=prod + path), ctx)
    hosts.observe(_page(START + "brouillon/", canonical=prod + "ailleurs/"), ctx)
    assert hosts.production == "docs.exemple.fr"
    assert hosts.same_page(START + "installation/", prod + "installation/")
    assert not hosts.same_page(START + "brouillon/", prod + "ailleurs/")
    assert not hosts.same_page(START, "https://www.autre-site.fr/")


def test_half_the_pages_is_not_most() -> None:
    ctx = _context()
    hosts = SiteHosts(ctx.config)
    prod = "https://docs.exemple.fr/"
    hosts.observe(_page(START, canonical=prod), ctx)
    hosts.observe(_page(START + "a-propos/"), ctx)
    assert hosts.production == ""
    assert not hosts.same_page(START, prod)
