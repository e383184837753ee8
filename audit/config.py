"""A client's YAML file → a validated :class:`ClientConfig`.

``load()`` checks the shape of the whole file (types, unknown keys, ranges) and is
cheap: the spider calls it too when run as ``scrapy crawl site -a config=...``.
``rule_settings()`` additionally validates the ``rules:`` section against each
registered rule's ``Options``; the CLI calls both before anything is crawled.
Relative paths in the file are relative to the file itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from audit.typedyaml import (
    ConfigError,
    Document,
    at_least,
    between,
    build_dataclass,
    checked,
    did_you_mean,
    load_document,
    parse_document,
)
from spiders.urls import host_of, idna_host, normalise

if TYPE_CHECKING:
    from audit.rule import Rule

DEFAULT_USER_AGENT = "seo-audit/0.1 (+https://github.com/seo-audit/seo-audit; site audit)"
# Googlebot Smartphone, as Google documents it (mobile-first indexing fetches with this one).
GOOGLEBOT_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.6778.204 Mobile Safari/537.36 "
    "(compatible; Googlebot/2.1; +http://www.google.com/bot.html)")

Category = Literal["seo", "sea", "smo"]
CATEGORIES: tuple[Category, ...] = ("seo", "sea", "smo")


def _absolute_http_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"must be an absolute http(s) URL, got {value!r}"
    return None


def _all_urls(values: list[str]) -> str | None:
    if not values:
        return "needs at least one URL"
    for v in values:
        problem = _absolute_http_url(v)
        if problem:
            return problem
    return None


@dataclass
class SiteConfig:
    start_urls: list[str] = checked(_all_urls)
    allowed_hosts: list[str] = field(default_factory=list)
    # Other names of this site (its production domain, when a staging or local copy is
    # audited): links to them are internal and fetched on the audited origin
    # (https://www.client.fr/a → http://127.0.0.1:8000/a), keyed as such.
    aliases: list[str] = field(default_factory=list)
    max_pages: int = checked(at_least(1), default=10000)
    max_depth: int = checked(at_least(0), default=20)
    obey_robots: bool = True
    use_sitemaps: bool = True
    # Sitemaps at other addresses than robots.txt names (or /sitemap.xml): absolute URLs, or
    # paths on the first start URL's origin. Read when use_sitemaps is on.
    sitemaps: list[str] = field(default_factory=list)
    concurrency: int = checked(between(1, 64), default=8)
    delay: float = checked(at_least(0), default=0.0)
    timeout: float = checked(at_least(1), default=30.0)
    max_page_mb: float = checked(at_least(0.1), default=10.0)
    user_agent: str = DEFAULT_USER_AGENT
    # Pages rendered in headless Chromium (scripts run, computed styles): spiders/render.py.
    render: bool = False
    render_concurrency: int = checked(between(1, 8), default=3)  # browser pages at a time
    chromium: str = ""  # the Chromium executable; default /usr/bin/chromium, else on PATH
    # Linked stylesheets fetched (once per URL) so hidden-text sees the styles a browser
    # applies; at most max_stylesheets distinct URLs per crawl (cache-busting query
    # strings can make every page's URL unique).
    fetch_stylesheets: bool = True
    max_stylesheets: int = checked(at_least(0), default=200)


@dataclass
class ReportConfig:
    language: Literal["fr", "en"] = "fr"


def _file_name(value: str) -> str | None:
    return None if slugify(value) else "must contain at least one letter or digit"


@dataclass
class OutputConfig:
    dir: str = "reports/"
    name: str | None = checked(_file_name, default=None)  # file name stem; default: client
    # Keep the last N runs of the client (run directories and dated reports); None: all.
    keep: int | None = checked(lambda v: None if v is None or v >= 1 else "must be at least 1",
                               default=None)


@dataclass
class SpellingConfig:
    """Offline spell checking (Hunspell dictionaries)."""

    dictionaries: str | None = None  # a folder of <lang>.aff/.dic; default: the system's
    ignore_words: list[str] = field(default_factory=list)  # brand names, jargon
    word_list: str | None = None  # a file, one accepted word per line (the client's list)
    suggestions: bool = False  # Hunspell suggest is slow: off unless asked
    # Terms of the software trade (hbase, docstring, conda: audit/text/terms) are words;
    # off for a client whose own words could hide among them.
    trade_terms: bool = True
    max_suggestions: int = checked(at_least(0), default=3)


def _http_url_or_none(value: str) -> str | None:
    return _absolute_http_url(value)


@dataclass
class LanguageToolConfig:
    """A LanguageTool to use for spelling and grammar, when the consultant has one."""

    server_url: str | None = checked(_http_url_or_none, default=None)  # e.g. http://localhost:8081
    home: str | None = None  # an installed LanguageTool folder (used through LTP_PATH)
    public_api: bool = False  # explicit opt-in: languagetool.org's public API, rate limited
    timeout: float = checked(at_least(1), default=30.0)


def _http_urls(values: list[str]) -> str | None:
    for v in values:
        problem = _absolute_http_url(v)
        if problem:
            return problem
    return None


@dataclass
class DuplicatesConfig:
    """Duplicate content inside the site and against external pages (competitors, partners).

    ``compare_with`` pages and the pages listed by ``compare_sitemaps`` are fetched by the
    crawl (robots.txt obeyed, one request at a time, ``external_delay`` apart), at most
    ``max_external_pages`` of them, into the run's ``external.jsonl``.
    """

    near_threshold: float = checked(between(0.5, 1.0), default=0.90)  # estimated Jaccard
    min_words: int = checked(at_least(1), default=50)  # shorter main texts are not compared
    compare_with: list[str] = checked(_http_urls, default_factory=list)
    compare_sitemaps: list[str] = checked(_http_urls, default_factory=list)
    max_external_pages: int = checked(between(1, 5000), default=200)
    external_delay: float = checked(between(0, 60), default=1.0)  # seconds between requests
    # A block of text found on at least this share of the site's pages (and on at least
    # boilerplate_min_pages pages) is template, not content (docs/architecture.md).
    boilerplate_share: float = checked(between(0.01, 1.0), default=0.05)
    boilerplate_min_pages: int = checked(at_least(2), default=10)

    @property
    def external(self) -> bool:
        """Whether external pages are to be fetched and compared."""
        return bool(self.compare_with or self.compare_sitemaps)


def _expected_backlinks(values: list[str | dict[str, str]]) -> str | None:
    for i, v in enumerate(values):
        entry = {"from": v} if isinstance(v, str) else v
        unknown = set(entry) - {"from", "to", "anchor"}
        if unknown:
            return f"[{i}]: unknown key {sorted(unknown)[0]!r} (expected from, to, anchor)"
        if "from" not in entry:
            return f"[{i}]: missing required key 'from' (the referring page's URL)"
        for key in ("from", "to"):
            problem = _absolute_http_url(entry[key]) if entry.get(key) else None
            if problem:
                return f"[{i}].{key}: {problem}"
    return None


@dataclass
class BacklinksConfig:
    """Links from other sites the client knows of, re-checked at each audit.

    ``expected``: referring page URLs, or ``{from, to, anchor}`` entries; ``imports``: CSV
    exports of Search Console, Bing Webmaster Tools, Ahrefs, Majestic or Semrush (relative
    to this file). Every referring page is fetched by the crawl (robots.txt obeyed, one
    request at a time, ``delay`` apart), at most ``max_pages`` of them, into the run's
    ``backlinks.jsonl``.
    """

    expected: list[str | dict[str, str]] = checked(_expected_backlinks, default_factory=list)
    imports: list[str] = field(default_factory=list)
    max_pages: int = checked(between(1, 5000), default=500)
    delay: float = checked(between(0, 60), default=1.0)  # seconds between requests


# Networks whose pages are never fetched: they block robots and their terms forbid it.
WALLED_HOSTS = ("facebook.com", "fb.com", "instagram.com")


def is_walled(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in WALLED_HOSTS)


def _feed_url(value: str) -> str | None:
    problem = _absolute_http_url(value)
    if problem:
        return problem
    if is_walled(value):
        return ("Facebook and Instagram pages are never fetched: give their analytics "
                "export as posts_csv instead")
    return None


@dataclass
class HiddenTextConfig:
    """What the crawl gathers for hidden-text checks beyond the page itself.

    ``check_cloaking``: every HTML page of the site answering 2xx is fetched a second time
    with ``bot_user_agent`` (Googlebot's) and its visible words are compared with the
    visitor's view (``site.user_agent``); the ``cloaking`` rule judges the difference.
    One more request per page.
    """

    check_cloaking: bool = False
    bot_user_agent: str = GOOGLEBOT_USER_AGENT


@dataclass
class SocialProfile:
    """One network's profile: its URL, and where its activity can be read."""

    url: str = checked(_absolute_http_url)
    feed: str | None = checked(_feed_url, default=None)  # RSS/Atom of the profile
    posts_csv: str | None = None  # the network's analytics export (a date column)


@dataclass
class SocialConfig:
    # network name (facebook, instagram, x, linkedin, youtube, tiktok, pinterest,
    # mastodon, bluesky, threads) -> profile URL, or {url, feed, posts_csv}
    profiles: dict[str, str | SocialProfile] = field(default_factory=dict)
    min_networks: int = checked(at_least(0), default=2)
    max_days_without_post: int = checked(at_least(1), default=30)

    def profile(self, network: str) -> SocialProfile | None:
        value = self.profiles.get(network)
        return SocialProfile(url=value) if isinstance(value, str) else value


@dataclass
class CategoryWeights:
    seo: float = checked(at_least(0), default=0.5)
    sea: float = checked(at_least(0), default=0.25)
    smo: float = checked(at_least(0), default=0.25)


def _some_weight(w: CategoryWeights) -> str | None:
    return None if (w.seo + w.sea + w.smo) > 0 else "at least one weight must be above 0"


def _paths_or_urls(values: list[str]) -> str | None:
    for v in values:
        if not (v.startswith("/") or v.startswith(("http://", "https://"))):
            return f"{v!r}: expected a path starting with / or an http(s) URL"
    return None


@dataclass
class SeaConfig:
    """Paid search: the landing pages and the campaign reports to audit."""

    # Paths or URLs of the pages ads lead to; every final URL of the reports is added.
    landing_pages: list[str] = checked(_paths_or_urls, default_factory=list)
    # Google Ads / Microsoft Ads keyword or search-term reports (CSV/TSV, see README).
    campaigns: list[str] = field(default_factory=list)


@dataclass
class ScoringConfig:
    weights: CategoryWeights = checked(_some_weight, default_factory=CategoryWeights)


@dataclass
class ClientConfig:
    client: str = checked(_file_name)
    site: SiteConfig
    language: Literal["fr", "en", "auto"] = "auto"
    report: ReportConfig = field(default_factory=ReportConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    # Sections filled by later features: known now so a config may already carry them.
    keywords: dict[str, str] = field(default_factory=dict)
    keywords_file: str | None = None
    spelling: SpellingConfig = field(default_factory=SpellingConfig)
    languagetool: LanguageToolConfig = field(default_factory=LanguageToolConfig)
    duplicates: DuplicatesConfig = field(default_factory=DuplicatesConfig)
    backlinks: BacklinksConfig = field(default_factory=BacklinksConfig)
    hidden_text: HiddenTextConfig = field(default_factory=HiddenTextConfig)
    social: SocialConfig = field(default_factory=SocialConfig)
    sea: SeaConfig = field(default_factory=SeaConfig)
    scoring: ScoringConfig = field(default_factory=ScoringConfig)
    rules: dict[str, Any] = field(default_factory=dict)
    # Not from YAML: where the file was, for relative paths and error messages.
    source: Document | None = field(default=None, repr=False, compare=False)

    @property
    def slug(self) -> str:
        return slugify(self.client)

    @property
    def report_name(self) -> str:
        """Stem of the report files (slugified: cannot leave the output folder)."""
        return slugify(self.output.name) if self.output.name else self.slug

    @property
    def base_dir(self) -> Path:
        return self.source.path.parent if self.source else Path.cwd()

    def resolve(self, relative: str | Path) -> Path:
        """A path from the config, relative to the config file's folder."""
        p = Path(relative).expanduser()
        return p if p.is_absolute() else (self.base_dir / p)

    @property
    def output_dir(self) -> Path:
        return self.resolve(self.output.dir)

    def allowed_hosts(self) -> list[str]:
        hosts = [h.lower() for h in self.site.allowed_hosts]
        for url in self.site.start_urls:
            host = (urlsplit(url).hostname or "").lower()
            if host and host not in hosts:
                hosts.append(host)
        return hosts


def slugify(text: str) -> str:
    """File-name-safe, ASCII, lower-case: 'Réseau social ../x' → 'reseau-social-x'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80]


def load(path: str | Path) -> ClientConfig:
    """Read and validate the shape of a client config (not yet the rule options)."""
    return from_document(load_document(path))


def loads(text: str, path: str | Path = "<string>") -> ClientConfig:
    return from_document(parse_document(text, path))


def from_document(doc: Document) -> ClientConfig:
    if not isinstance(doc.data, dict):
        raise doc.error((), "the file must be a mapping of keys (client:, site:, ...)")
    cfg: ClientConfig = build_dataclass(doc, ClientConfig, doc.data, ())
    cfg.source = doc
    _check_paths(cfg, doc)
    _check_site_urls(cfg, doc)
    return cfg


def _check_site_urls(cfg: ClientConfig, doc: Document) -> None:
    """Start URLs spelt as the crawl fetches and records them (spiders/urls.py: an accent
    percent-encoded, an IDN host in punycode, no fragment), hosts likewise; each alias a
    bare host name that is not the audited site itself."""
    site = cfg.site
    try:
        site.start_urls = [normalise(u) for u in site.start_urls]
    except ValueError as exc:
        raise doc.error(("site", "start_urls"), f"not a URL: {exc}") from None
    audited = {host_of(u) for u in site.start_urls}
    aliases: list[str] = []
    for i, value in enumerate(site.aliases):
        text = value.strip()
        parts = urlsplit(f"//{text}")
        if not re.fullmatch(r"[\w.-]+", text) or not parts.hostname:
            raise doc.error(("site", "aliases", i),
                            f"must be a host name such as www.client.fr, got {value!r}")
        host = idna_host(text)
        if host in audited:
            raise doc.error(("site", "aliases", i),
                            f"{value!r} is the audited site itself (a start URL's host)")
        if host not in aliases:
            aliases.append(host)
    site.aliases = aliases
    sitemaps: list[str] = []
    for i, value in enumerate(site.sitemaps):
        text = value.strip() if isinstance(value, str) else ""
        if text.startswith("/") and not text.startswith("//"):
            text = urlsplit(site.start_urls[0])._replace(path=value.strip(), query="",
                                                          fragment="").geturl()
        problem = _absolute_http_url(text)
        if problem:
            raise doc.error(("site", "sitemaps", i),
                            "must be an absolute http(s) URL or a path starting with /, "
                            f"got {value!r}")
        try:
            url = normalise(text)
        except ValueError as exc:
            raise doc.error(("site", "sitemaps", i), f"not a URL: {exc}") from None
        if url not in sitemaps:
            sitemaps.append(url)
    site.sitemaps = sitemaps
    # ".example.fr" (every subdomain) keeps its dot.
    site.allowed_hosts = [("." if h.strip().startswith(".") else "")
                          + idna_host(h.strip().lstrip(".")) for h in site.allowed_hosts
                          if h.strip().lstrip(".")]


def _check_paths(cfg: ClientConfig, doc: Document) -> None:
    """Files and folders the config names must exist: say so now, not mid-run."""
    files: dict[tuple[str | int, ...], str | None] = {("keywords_file",): cfg.keywords_file,
             ("spelling", "word_list"): cfg.spelling.word_list}
    for network in cfg.social.profiles:
        profile = cfg.social.profile(network)
        if profile is not None:
            files[("social", "profiles", network, "posts_csv")] = profile.posts_csv
    for i, report in enumerate(cfg.sea.campaigns):
        files[("sea", "campaigns", i)] = report
    for i, name in enumerate(cfg.backlinks.imports):
        files[("backlinks", "imports", i)] = name
    for keypath, value in files.items():
        if value and not cfg.resolve(value).is_file():
            raise doc.error(keypath, f"no such file: {cfg.resolve(value)}")
    folders = {("spelling", "dictionaries"): cfg.spelling.dictionaries,
               ("languagetool", "home"): cfg.languagetool.home}
    for keypath, value in folders.items():
        if value and not cfg.resolve(value).is_dir():
            raise doc.error(keypath, f"no such folder: {cfg.resolve(value)}")


# ---------------------------------------------------------------------------
# Per-rule settings
# ---------------------------------------------------------------------------

Severity = Literal["error", "warning", "notice"]


@dataclass
class RuleSettings:
    enabled: bool = True
    weight: float | None = None  # None: the rule's own default weight
    severity: Severity | dict[str, Severity] | None = None  # all findings, or per finding code
    options: Any = None  # an instance of the rule's Options dataclass


def rule_settings(cfg: ClientConfig, rules: dict[str, type[Rule]]) -> dict[str, RuleSettings]:
    """Validate ``rules:`` against the registry: every rule gets its settings."""
    doc = cfg.source or parse_document("{}")
    out: dict[str, RuleSettings] = {}
    for rule_id in cfg.rules:
        if rule_id not in rules:
            raise doc.error(("rules", rule_id),
                            f"unknown rule{did_you_mean(rule_id, sorted(rules))}")
    for rule_id, rule_cls in rules.items():
        raw = cfg.rules.get(rule_id) or {}
        keypath = ("rules", rule_id)
        if not isinstance(raw, dict):
            raise doc.error(keypath, "expected a mapping (enabled:, severity:, options...)")
        common = {k: raw[k] for k in ("enabled", "weight", "severity") if k in raw}
        opts = {k: v for k, v in raw.items() if k not in common}
        settings: RuleSettings = build_dataclass(doc, RuleSettings, common, keypath)
        if settings.weight is not None and settings.weight < 0:
            raise doc.error((*keypath, "weight"), "must be at least 0")
        if isinstance(settings.severity, dict):
            for code in settings.severity:
                if code not in rule_cls.codes:
                    hint = did_you_mean(code, list(rule_cls.codes)) or (
                        f" (codes: {', '.join(rule_cls.codes)})")
                    raise doc.error((*keypath, "severity", code),
                                    f"unknown finding code for {rule_id}{hint}")
        settings.options = build_dataclass(doc, rule_cls.Options, opts, keypath)
        out[rule_id] = settings
    return out


__all__ = ["CATEGORIES", "ClientConfig", "ConfigError", "RuleSettings", "load", "loads",
           "rule_settings", "slugify"]
