"""What a report is made of, once scored: the input of every report writer.

The report stage builds one :class:`ReportData` from a run directory; the workbook
and JSON writers only lay it out. Pages and findings are iterables so that a
100,000-page site streams from disk instead of sitting in memory; a writer may
iterate each of them once only (``pages()`` and ``findings()`` give a fresh
iterator per call).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from audit.report.fix_first import FixAction
from audit.rule import Finding, Msg, Severity, Table

if TYPE_CHECKING:
    from audit.history import Changes, TrendPoint


@dataclass
class RuleInfo:
    id: str
    category: str  # seo | sea | smo
    title: Msg
    description: Msg
    weight: float
    enabled: bool = True
    score: float | None = None  # the rule's site score (mean over pages it applies to)
    pages_scored: int = 0
    findings: int = 0


@dataclass
class PageRow:
    url: str
    status: int | None
    score: float | None  # weighted mean of the rule scores; None when no rule applied
    scores: dict[str, float]  # rule id -> 0..100, only the rules that applied
    title: str = ""
    word_count: int = 0
    depth: int | None = None  # clicks from the start URL; None: not reached by links
    content_type: str = ""
    response_time: float | None = None  # seconds
    error: str = ""
    redirect_to: str = ""
    inlinks: int = 0
    pagerank: float | None = None  # internal PageRank, the strongest page = 100
    data: dict[str, str | int | float | None] = field(default_factory=dict)  # rules' PageData


@dataclass
class TopIssue:
    rule: str
    code: str
    label: Msg  # e.g. "Title too long"
    severity: Severity
    pages: int  # distinct URLs affected
    impact: float  # pages × severity weight × rule weight: the ranking key within a severity


@dataclass
class IssueRow:
    """One kind of issue found (a rule and a finding code), for the Issues sheet."""

    rule: str
    code: str
    label: Msg  # the code's name: "Title too long"
    category: str  # seo | sea | smo
    severity: Severity
    pages: int  # distinct URLs affected
    findings: int
    share: float | None  # pages / HTML pages answering 2xx (None: no HTML page)
    why: Msg | None  # the rule's Rule.why / Rule.fix (None: the rule has none)
    fix: Msg | None
    first_row: int  # its first row on the Findings sheet (rows are sorted: contiguous)
    site: bool = False  # said of the whole site


@dataclass
class BacklinkSummary:
    """The figures of the backlinks table (rule ``backlinks``) for the Summary."""

    links: int  # expected links checked or not
    referring_domains: int
    live: int  # the link is on the referring page and visible
    lost: int  # link gone, or referring page unreachable
    follow_share: float | None  # live followed links / live links (0..1)
    not_checked: int = 0
    anchors: list[tuple[str, int]] = field(default_factory=list)  # live links, most used first


@dataclass
class NetworkRow:
    """One social network on the Summary: declared, linked from the site, its activity."""

    network: str
    declared: bool = False
    linked: bool = False
    source: str = ""  # where activity was read: export | feed | "" (unknown)
    last_post: str | None = None  # ISO date
    per_month: float | None = None
    active: bool | None = None  # None: activity unknown


@dataclass
class SmoSummary:
    networks: list[NetworkRow]
    og_pages: int  # pages the open-graph rule scored
    og_complete: int  # of which with complete Open Graph tags (twitter:card aside)

    @property
    def og_share(self) -> float | None:
        return round(self.og_complete / self.og_pages, 3) if self.og_pages else None


@dataclass
class Summary:
    client: str
    generated_at: str  # ISO-8601, UTC
    tool_version: str
    start_urls: list[str]
    pages: int  # URLs crawled (every status)
    html_pages: int  # HTML pages answering 2xx
    scores: dict[str, float | None]  # seo, sea, smo, sem (None: no data)
    weights: dict[str, float]  # configured category weights
    weights_used: dict[str, float]  # renormalised over the categories that have data
    findings: dict[str, int]  # error / warning / notice counts (rule failures excluded)
    top_issues: list[TopIssue] = field(default_factory=list)
    rule_failures: int = 0
    crawl_seconds: float | None = None
    notes: list[Msg] = field(default_factory=list)  # e.g. which engine ran, what was skipped
    # check.json's limits of the audit: rule, key, pages, message {fr, en}, detail, examples
    # (their messages are among the notes too).
    limits: list[dict[str, Any]] = field(default_factory=list)
    backlinks: BacklinkSummary | None = None  # None: no backlink expected
    smo: SmoSummary | None = None  # None: no network declared or found, no page scored
    # "What to fix first": per category (seo, sea, smo), the actions that raise it most.
    fix_first: dict[str, list[FixAction]] = field(default_factory=dict)
    # URLs per answer class: 2xx, 3xx, 4xx, 5xx, none (no answer), robots (robots.txt
    # kept the crawler out); only the classes met, in that order.
    statuses: dict[str, int] = field(default_factory=dict)
    # HTML pages answering 2xx per click depth from the start URL: "0" … "4", "5+", and
    # "none" (reached only through a sitemap or a redirect, no link).
    depths: dict[str, int] = field(default_factory=dict)
    # URLs per indexability reason (audit.indexability.REASONS, the indexability rule's
    # count); empty when the rule did not run.
    indexability: dict[str, int] = field(default_factory=dict)


@dataclass
class RuleTable:
    """A rule's own sheet (audit.rule.Table) and its rows, values already localised."""

    rule: str
    key: str
    table: Table
    rows: list[dict[str, Any]]


@dataclass
class ReportData:
    lang: str  # fr | en
    summary: Summary
    rules: list[RuleInfo]
    pages: Callable[[], Iterator[PageRow]]
    findings: Callable[[], Iterator[Finding]]
    # Extra Pages-sheet columns filled by rules (PageData): (key, header), in rule order.
    data_columns: list[tuple[str, Msg]] = field(default_factory=list)
    # One row per expected backlink (the rule's table rows), None when there are none.
    backlinks: Callable[[], Iterator[dict[str, Any]]] | None = None
    tables: list[RuleTable] = field(default_factory=list)  # sheets of the rules' own
    # (rule, code, url, severity) of each finding, read faster than whole findings
    # (the history needs no message); None: taken from ``findings``.
    finding_keys: Callable[[], Iterator[Any]] | None = None
    # From the run history (audit/history.py), when the output folder has one:
    changes: Changes | None = None  # since the client's previous run
    trend: list[TrendPoint] = field(default_factory=list)  # scores of the last runs, oldest first
    issues: list[IssueRow] = field(default_factory=list)  # every kind of issue, worst first
