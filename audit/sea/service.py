"""What both SEA rules share in a run: the campaign reports and the landing pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from audit.context import Context
from audit.sea.exports import AdKeyword
from audit.sea.landing import Campaigns, landing_pages, normalise, read_campaigns
from audit.text.keywords import STOP_TERMS
from audit.text.tokens import terms
from spiders.urls import OnOrigin


def keyword_terms(keyword: str) -> frozenset[str]:
    """The words of an ad keyword that a page must carry to match it (stop words and
    match-type marks dropped: « +plombier "pas cher" » → {plombier, cher})."""
    cleaned = keyword.replace("+", " ").replace('"', " ").strip("[] ")
    return frozenset(t for t in terms(cleaned) if t not in STOP_TERMS) or frozenset(
        terms(cleaned))


@dataclass
class SeaInputs:
    campaigns: Campaigns
    landing: dict[str, list[AdKeyword]]  # normalised landing URL -> ad keywords
    keywords: dict[str, frozenset[str]] = field(default_factory=dict)  # keyword -> terms
    # normalised URL -> the raw URL crawled (filled as pages stream in)
    crawled: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(self.landing or self.campaigns.keywords or self.campaigns.errors)


def sea_inputs(ctx: Context) -> SeaInputs:
    def build() -> SeaInputs:
        campaigns = read_campaigns(ctx.config)
        inputs = SeaInputs(campaigns, landing_pages(ctx.config, campaigns))
        for kw in campaigns.keywords:
            inputs.keywords.setdefault(kw.keyword, keyword_terms(kw.keyword))
        return inputs

    return ctx.service("sea", build)


def absolute(ctx: Context, url: str) -> str:
    """A final URL of the reports as the landing pages are keyed (see landing_pages)."""
    base = ctx.config.site.start_urls[0]
    return OnOrigin(ctx.config.site.aliases, base)(normalise(urljoin(base, url)))
