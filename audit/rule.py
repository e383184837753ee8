"""What a rule is: metadata, options, findings and scores, and the registry.

A rule is one class in one file of ``audit/rules/`` (file name = rule id with
``_``). Subclassing :class:`PageRule` or :class:`SiteRule` with an ``id`` registers
it; nothing else is needed for the config, the runner and the workbook to know it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from spiders.items import PageItem

if TYPE_CHECKING:
    from audit.context import Context


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


# How much a finding weighs when ranking issues (pages affected x weight).
SEVERITY_WEIGHT = {Severity.ERROR: 10, Severity.WARNING: 3, Severity.NOTICE: 1}
# The score a page keeps for a rule when the rule reports a finding but sets no score itself.
SEVERITY_SCORE = {Severity.ERROR: 0.0, Severity.WARNING: 50.0, Severity.NOTICE: 100.0}

RULE_FAILED = "rule-failed"  # finding code of a rule that raised: a tool fault, never scored


_DECIMAL = re.compile(r"^(-?\d+)\.(\d+)$")


def _plain_number(value: Any) -> Any:
    """Floats as people write them: 25.0 → 25, 4.35 → 4.35."""
    return f"{value:g}" if isinstance(value, float) else value


def _numeric(values: dict[str, Any]) -> set[str]:
    """The keys whose value is a decimal number (a float, or a string like '4.35')."""
    return {k for k, v in values.items()
            if isinstance(v, float) or (isinstance(v, str) and _DECIMAL.match(v))}


@dataclass(frozen=True)
class Msg:
    """A message in both report languages."""

    fr: str
    en: str

    def get(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en

    def format(self, **values: Any) -> Msg:
        """Fill both texts; decimal numbers get a decimal comma in French (4,3 %)."""
        en = {k: _plain_number(v) for k, v in values.items()}
        fr = {k: _DECIMAL.sub(r"\1,\2", v) if isinstance(v, str) and k in _numeric(values)
              else v for k, v in en.items()}
        return Msg(self.fr.format(**fr), self.en.format(**en))

    def to_dict(self) -> dict[str, str]:
        return {"fr": self.fr, "en": self.en}


@dataclass
class Finding:
    rule: str
    url: str
    code: str  # stable sub-type inside the rule ("missing", "too-long"): groups and history
    severity: Severity
    message: Msg
    evidence: str | Msg = ""  # what was seen; a Msg when it needs words of a language
    related: list[str] = field(default_factory=list)
    # Said of the whole site (social presence, campaigns, site vocabulary), filed under
    # ``url`` (the home page) for a link: the report says "whole site", not this page.
    site: bool = False

    def to_dict(self) -> dict[str, Any]:
        evidence = self.evidence.to_dict() if isinstance(self.evidence, Msg) else self.evidence
        d = {"rule": self.rule, "url": self.url, "code": self.code,
             "severity": str(self.severity), "message": self.message.to_dict(),
             "evidence": evidence, "related": list(self.related)}
        if self.site:
            d["site"] = True
        return d

    def localised(self, lang: str) -> Finding:
        """This finding with its evidence in one language (for the report writers)."""
        if not isinstance(self.evidence, Msg):
            return self
        return Finding(self.rule, self.url, self.code, self.severity, self.message,
                       self.evidence.get(lang), self.related, self.site)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Finding:
        msg = d.get("message") or {}
        if isinstance(msg, str):
            msg = {"fr": msg, "en": msg}
        evidence = d.get("evidence") or ""
        if isinstance(evidence, dict):
            evidence = Msg(evidence.get("fr", ""), evidence.get("en", ""))
        return cls(rule=d["rule"], url=d.get("url", ""), code=d.get("code", ""),
                   severity=Severity(d["severity"]),
                   message=Msg(msg.get("fr", ""), msg.get("en", "")),
                   evidence=evidence, related=list(d.get("related") or []),
                   site=bool(d.get("site")))


@dataclass(frozen=True)
class Score:
    """An explicit 0-100 score for one page (url) or for the site as a whole (url=None).

    ``value=None`` withdraws the page from the rule's scoring (e.g. too short to judge).
    """

    url: str | None
    value: float | None


@dataclass(frozen=True)
class Code:
    """A kind of finding a rule can report: default severity and a label for grouping."""

    severity: Severity
    label: Msg


@dataclass(frozen=True)
class PageData:
    """A value a rule computes for a page and the Pages sheet shows in a column
    (the rule declares the column in ``columns``): a detected focus keyword, a
    readability label, the grammar engine that ran..."""

    url: str
    key: str
    value: str | int | float | Msg | None  # a Msg is shown in the report's language


@dataclass(frozen=True)
class Column:
    """A column of a rule's own sheet. ``kind`` decides the cell format: text, url, int,
    number, money (in the table's currency), percent (0-100), date (ISO text)."""

    key: str
    header: Msg
    kind: str = "text"
    width: float = 14.0


@dataclass(frozen=True)
class Table:
    """A sheet of the workbook a rule fills with rows (the SEA keywords, the backlinks):
    the rule declares it in ``tables`` and yields :class:`Row` outcomes."""

    title: Msg  # the sheet's name (at most 31 characters)
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Row:
    """One row of a rule's table; values by column key (a Msg is localised)."""

    table: str
    values: dict[str, Any]


@dataclass(frozen=True)
class TableRow:
    """One row of a report table with a layout of its own (the Backlinks sheet, the SMO
    block of the Summary): the runner writes it to the run's ``tables.jsonl`` flat, the
    report stage lays it out. Generic sheets use :class:`Row` instead."""

    table: str
    row: dict[str, Any]


@dataclass(frozen=True)
class Limit:
    """A limit of the audit, not a fault of the site: a checker missing, a language without
    dictionary or formula, a page the audit could not read. Never a finding: the runner
    counts the pages of each ``key`` and writes one entry to ``check.json`` → ``limits``,
    which the report puts, once, in the Summary's notes (« Grammaire non vérifiée sur
    37 pages : … »). The rule still withdraws the page from its score when it judged
    nothing (``Score(url, None)``): a page not checked is never a silent 100.

    ``message`` holds ``{pages}`` where the count goes (« 37 pages », « 1 page »); it is
    filled with ``str.replace``, so the rest of the text may hold any brace. ``detail``:
    why, when there is more to say (an engine's error), the first one met is kept."""

    key: str  # stable within the rule ("no-engine:en"): pages with one key are counted together
    message: Msg
    url: str | None = None  # the page concerned; None: the run as a whole
    detail: str = ""


def pages_text(n: int) -> str:
    """« 1 page », « 37 pages » (the same word in French and English)."""
    return f"{n} page" if n == 1 else f"{n} pages"


Outcome = Finding | Score | PageData | Row | TableRow | Limit

REGISTRY: dict[str, type[Rule]] = {}


class Rule:
    """Base of every rule. Subclasses set the class attributes below."""

    id: ClassVar[str] = ""
    category: ClassVar[Literal["seo", "sea", "smo"]] = "seo"
    title: ClassVar[Msg]  # what passing looks like: "Page has a title"
    description: ClassVar[Msg]  # one sentence: what it checks
    # For the workbook's Issues sheet, in the client's words: why a finding of this rule
    # costs rankings or visitors, and what to do about it (one or two sentences each).
    why: ClassVar[Msg | None] = None
    fix: ClassVar[Msg | None] = None
    weight: ClassVar[float] = 1.0  # share in the page and category scores
    codes: ClassVar[dict[str, Code]] = {}
    # PageData keys this rule fills -> column header in the Pages sheet.
    columns: ClassVar[dict[str, Msg]] = {}
    # Sheets of its own this rule fills with Row outcomes: table key -> Table.
    tables: ClassVar[dict[str, Table]] = {}

    @dataclass(frozen=True)
    class Options:
        pass

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__dict__.get("id"):
            return  # an abstract base (PageRule, SiteRule), or a subclass reusing an id
        module_leaf = cls.__module__.rsplit(".", 1)[-1]
        if module_leaf != cls.id.replace("-", "_"):
            expected = cls.id.replace("-", "_")
            raise TypeError(f"rule {cls.id!r} must live in audit/rules/{expected}.py")
        if cls.id in REGISTRY and REGISTRY[cls.id] is not cls:
            raise TypeError(f"two rules with the id {cls.id!r}")
        REGISTRY[cls.id] = cls

    def __init__(self, options: Any = None, severity: Any = None, weight: float | None = None):
        self.options = options if options is not None else self.Options()
        self._severity_override = severity  # str for every code, or {code: str}
        self.effective_weight = self.weight if weight is None else weight

    def severity_of(self, code: str) -> Severity:
        override = self._severity_override
        if isinstance(override, dict):
            override = override.get(code)
        if override:
            return Severity(override)
        return self.codes[code].severity

    def finding(self, url: str, code: str, message: Msg, evidence: str | Msg = "",
                related: Iterable[str] = ()) -> Finding:
        if code not in self.codes:
            raise KeyError(f"rule {self.id} has no finding code {code!r}")
        return Finding(self.id, url, code, self.severity_of(code), message, evidence,
                       list(related))

    def site_finding(self, home: str, code: str, message: Msg, evidence: str | Msg = "",
                     related: Iterable[str] = ()) -> Finding:
        """A finding about the whole site, filed under the home page ``home``."""
        f = self.finding(home, code, message, evidence, related)
        f.site = True
        return f

    def applies(self, page: PageItem) -> bool:
        """Whether the page is scored by this rule (default: HTML pages answering 2xx)."""
        return page.ok

    def prepare(self, ctx: Context) -> None:
        """Called once before the first page: open what every run needs anyway (a slow
        import, an index). With the check overlapping the crawl this runs while the crawl
        process starts, instead of delaying the first page checked."""


class PageRule(Rule):
    """Checks one page at a time; sees nothing of the others."""

    def check(self, page: PageItem, ctx: Context) -> Iterator[Outcome]:
        raise NotImplementedError


class SiteRule(Rule):
    """Sees every page (``collect``, keeping only a compact summary) then judges (``finish``)."""

    # True: the rule judges the site as a whole (one site Score); pages get no score from it.
    site_level: ClassVar[bool] = False

    def collect(self, page: PageItem, ctx: Context) -> None:
        raise NotImplementedError

    def finish(self, ctx: Context) -> Iterator[Outcome]:
        raise NotImplementedError


def default_score(findings: Iterable[Finding]) -> float:
    """A page's score for a rule that reported findings without an explicit score."""
    return min((SEVERITY_SCORE[f.severity] for f in findings), default=100.0)
