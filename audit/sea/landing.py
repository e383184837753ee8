"""The client's paid search inputs: campaign reports read, landing pages listed.

Used by the crawl (to fetch every landing page, linked or not) and by the SEA rules.
Landing URLs are compared without their tracking parameters (utm_*, gclid...): the
crawler fetches them that way too, so an audit never shows up as ad traffic in the
client's analytics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from audit.config import ClientConfig
from audit.sea.exports import AdKeyword, read_campaign_report
from audit.tabular import TableError
from spiders.urls import OnOrigin
from spiders.urls import normalise as site_normalise

TRACKING_PARAMS = ("utm_", "gclid", "gbraid", "wbraid", "msclkid", "fbclid", "dclid",
                   "gad_source", "gad_campaignid", "_gl", "mc_cid", "mc_eid")


def normalise(url: str) -> str:
    """Fragment and tracking parameters dropped, scheme and host lower-case, percent-encoded
    as the crawl spells URLs (spiders/urls.py: an accented path matches the page fetched)."""
    try:
        url = site_normalise(url)
    except ValueError:
        url = url.strip()
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(TRACKING_PARAMS)]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       urlencode(query), ""))


@dataclass
class Campaigns:
    keywords: list[AdKeyword] = field(default_factory=list)
    errors: list[TableError] = field(default_factory=list)  # reports that could not be read
    files: int = 0  # reports read

    @property
    def currency(self) -> str:
        codes = {k.currency for k in self.keywords if k.currency}
        return codes.pop() if len(codes) == 1 else ""


def read_campaigns(cfg: ClientConfig) -> Campaigns:
    """Every configured report; one that cannot be read is set aside with its error
    (the audit goes on without it and says so)."""
    out = Campaigns()
    for name in cfg.sea.campaigns:
        try:
            out.keywords.extend(read_campaign_report(cfg.resolve(name)))
            out.files += 1
        except TableError as exc:
            out.errors.append(exc)
    return out


def landing_pages(cfg: ClientConfig, campaigns: Campaigns) -> dict[str, list[AdKeyword]]:
    """Normalised landing URL → the ad keywords that lead to it (configured pages with
    none: an empty list), in a stable order."""
    base = cfg.site.start_urls[0]
    # Ads lead to the production domain: on a staging copy (site.aliases) its landing
    # pages are the audited origin's, as the crawl fetches them.
    on_site = OnOrigin(cfg.site.aliases, base)
    out: dict[str, list[AdKeyword]] = {}
    for value in cfg.sea.landing_pages:
        out.setdefault(on_site(normalise(urljoin(base, value))), [])
    for kw in campaigns.keywords:
        if kw.final_url.startswith(("http://", "https://", "/")):
            out.setdefault(on_site(normalise(urljoin(base, kw.final_url))), []).append(kw)
    return out
