"""Run directory (pages, findings, rule scores) + config → ReportData.

Scoring happens here, not in the check stage, so new weights only need
``seo-audit report`` again: no crawl, no re-check.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from audit import __version__
from audit.config import ClientConfig, RuleSettings, rule_settings
from audit.report.fix_first import FixFirst
from audit.report.model import (
    BacklinkSummary,
    IssueRow,
    NetworkRow,
    PageRow,
    ReportData,
    RuleInfo,
    RuleTable,
    SmoSummary,
    Summary,
    TopIssue,
)
from audit.rule import RULE_FAILED, SEVERITY_WEIGHT, Finding, Msg, Rule, Severity
from audit.rules import all_rules
from audit.runner import RunDirError
from audit.scoring import ScoreBoard, page_score, round_score, sem_score

TOP_ISSUES = 10
MAX_DEPTH_SHOWN = 5  # click depths from 5 up are one row of the Summary ("5+")
DEPTH_ORDER = ("0", "1", "2", "3", "4", "5+", "none")
MAX_TIED = 5  # issues tied with the 10th shown beyond it


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunDirError(f"{path}: missing (run the previous stage first)") from None
    except ValueError as exc:
        raise RunDirError(f"{path}: unreadable ({exc})") from None


_SEVERITY_RANK = {Severity.ERROR.value: 0, Severity.WARNING.value: 1, Severity.NOTICE.value: 2}


def finding_order(severity: str, rule: str, code: str,
                  weight: Callable[[str], float]) -> tuple[int, float, str, str]:
    """Where a finding stands on the Findings sheet: worst severity first, then the rule's
    weight (its impact on the score), then rule and code (the URL breaks ties)."""
    return _SEVERITY_RANK.get(severity, 3), -weight(rule), rule, code


class SortedLines:
    """The JSON lines of ``path`` in the order of ``key`` (record → sort key, None: left
    out), without holding them: the order (each line's offset) is computed on the first
    iteration and kept, and lines are read again by offset — the workbook and the JSON
    report share one sort."""

    def __init__(self, path: Path, key: Callable[[dict[str, Any]], Any]) -> None:
        self.path, self.key = path, key
        self._offsets: list[int] | None = None

    def _order(self) -> list[int]:
        keys: list[tuple[Any, int]] = []
        with open(self.path, "rb") as fh:
            offset = 0
            for line in fh:
                if line.strip():
                    k = self.key(json.loads(line))
                    if k is not None:
                        keys.append((k, offset))
                offset += len(line)
        keys.sort()
        return [at for _, at in keys]

    def __call__(self) -> Iterator[dict[str, Any]]:
        if self._offsets is None:
            self._offsets = self._order()
        with open(self.path, "rb") as fh:
            for at in self._offsets:
                fh.seek(at)
                yield json.loads(fh.readline())


def findings_key(weight: Callable[[str], float]) -> Callable[[dict[str, Any]], tuple]:
    """The Findings sheet's order of a findings.jsonl record (:func:`finding_order`, then
    URL): a stable order from run to run, whatever order the rules wrote them in."""
    def key(d: dict[str, Any]) -> tuple[Any, ...]:
        return (*finding_order(d.get("severity", ""), d.get("rule", ""), d.get("code", ""),
                               weight), d.get("url", ""))
    return key


def iter_findings_sorted(path: Path, weight: Callable[[str], float]) -> Iterator[Finding]:
    """The findings worst first (:func:`findings_key`)."""
    return (Finding.from_dict(d) for d in SortedLines(path, findings_key(weight))())


class FindingKey(NamedTuple):
    """What the Summary's counts need of a finding (no message, no evidence)."""

    rule: str
    code: str
    url: str
    severity: Severity
    # The URLs a broken-link finding names (its targets); empty for other findings.
    related: tuple[str, ...] = ()
    site: bool = False  # said of the whole site


_SEVERITIES = {s.value: s for s in Severity}


def iter_finding_keys(path: Path) -> Iterator[FindingKey]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                rule = d["rule"]
                yield FindingKey(rule, d.get("code", ""), d.get("url", ""),
                                 _SEVERITIES[d["severity"]],
                                 tuple(d.get("related") or ()) if rule == BROKEN_LINK else (),
                                 bool(d.get("site")))


# A URL that answers 404 (or 5xx, or not at all) and the internal links to it are one
# problem for the client: the Top issues show it once, as the broken links (they name the
# pages to fix), not a second time as the status-code finding on the target.
BROKEN_LINK = "broken-link"
TARGET_CODES = {("status-code", "client-error"), ("status-code", "server-error"),
                ("status-code", "unreachable")}

MAX_ANCHORS = 5  # anchor texts shown on the Summary
LOST_STATES = ("lost", "page-gone")


def _result_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The check stage's per-page results (and its site scores line), one by one."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _result_rows_by_url(path: Path) -> SortedLines:
    """The per-page results in URL order (the Pages sheet: the same order run after run,
    a site's sections together, not the crawl's arrival order); the site scores line is
    left out. Call it to iterate."""
    return SortedLines(path, lambda d: None if "site" in d else d.get("url", ""))


def _page_records(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError:
                    continue  # reported by the check stage already


def iter_table(path: Path, table: str) -> Iterator[dict[str, Any]]:
    """The rows a rule wrote to the run's tables.jsonl for ``table``."""
    if not path.exists():
        return
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                if row.get("table") == table and "values" not in row:  # not a Row
                    yield row


def backlink_summary(rows: Iterator[dict[str, Any]]) -> BacklinkSummary | None:
    links = live = lost = follow = not_checked = 0
    domains: set[str] = set()
    anchors: dict[str, int] = {}
    for row in rows:
        links += 1
        domains.add(row.get("domain", ""))
        if row.get("live"):
            live += 1
            follow += bool(row.get("follow"))
            text = " ".join(str(row.get("anchor", "")).split()) or "—"
            anchors[text] = anchors.get(text, 0) + 1
        elif row.get("state") in LOST_STATES:
            lost += 1
        elif row.get("state") == "not-checked":
            not_checked += 1
    if not links:
        return None
    top = sorted(anchors.items(), key=lambda kv: (-kv[1], kv[0].casefold()))[:MAX_ANCHORS]
    return BacklinkSummary(links=links, referring_domains=len(domains), live=live, lost=lost,
                           follow_share=round(follow / live, 3) if live else None,
                           not_checked=not_checked, anchors=top)


# open-graph findings that leave a page's Open Graph tags incomplete (twitter:card aside).
OG_INCOMPLETE = ("no-open-graph", "missing-tag", "relative-image", "broken-image",
                 "url-mismatch")


def smo_summary(rows: Iterator[dict[str, Any]], og: list[str],
                og_incomplete: set[str]) -> SmoSummary | None:
    """Social networks (rows of social-profiles and social-activity merged per network)
    and the pages whose Open Graph tags are complete (title, description, an image that
    loads, og:url = canonical)."""
    networks: dict[str, NetworkRow] = {}
    for row in rows:
        net = networks.setdefault(row["network"], NetworkRow(row["network"]))
        for key in ("declared", "linked", "source", "last_post", "per_month", "active"):
            if key in row and row[key] not in (None, ""):
                setattr(net, key, row[key])
    if not networks and not og:
        return None
    order = sorted(networks.values(), key=lambda n: (not n.declared, n.network))
    return SmoSummary(order, len(og), sum(1 for url in og if url not in og_incomplete))


STATUS_CLASSES = ("2xx", "3xx", "4xx", "5xx", "none", "robots")


def status_class(status: int | None, error: str) -> str:
    """The Summary's answer class of a URL (STATUS_CLASSES)."""
    if status is None:
        return "robots" if error == "robots.txt" else "none"
    if 200 <= status < 300:
        return "2xx"
    if 300 <= status < 400:
        return "3xx"
    if 400 <= status < 500:
        return "4xx"
    return "5xx" if status >= 500 else "none"  # 1xx: no final answer


def indexability_counts(rows: Iterator[dict[str, Any]]) -> dict[str, int]:
    """URLs per indexability reason, as the indexability rule counted them."""
    counts: dict[str, int] = {}
    for row in rows:
        for reason, n in (row.get("reasons") or {}).items():
            counts[reason] = counts.get(reason, 0) + int(n)
    return counts


def _localised(value: Any, lang: str) -> Any:
    """PageData values written as {"fr": ..., "en": ...} are shown in the report language."""
    if isinstance(value, dict) and "fr" in value and "en" in value:
        return value["fr"] if lang == "fr" else value["en"]
    return value


def build_report(run_dir: Path, cfg: ClientConfig,
                 settings: dict[str, RuleSettings] | None = None) -> ReportData:
    check = _read_json(run_dir / "check.json")
    crawl = _read_json(run_dir / "crawl.json")
    registry = all_rules()
    settings = settings if settings is not None else rule_settings(cfg, registry)
    checked_ids = [r["id"] for r in check.get("rules", []) if r.get("id") in registry]

    def weight(rule_id: str) -> float:
        w = settings[rule_id].weight if rule_id in settings else None
        return registry[rule_id].weight if w is None else w

    def impact(rule_id: str) -> float:  # a rule removed since the check: last
        return weight(rule_id) if rule_id in registry else 0.0

    board = ScoreBoard(rule_weights={r: weight(r) for r in checked_ids},
                       rule_categories={r: registry[r].category for r in registry})

    # One pass over the findings: counts and the top issues.
    counts = {s.value: 0 for s in Severity}
    per_rule: dict[str, int] = {}
    groups: dict[tuple[str, str], set[str]] = {}
    severities: dict[tuple[str, str], Severity] = {}
    failures = 0
    og_incomplete: set[str] = set()
    findings_path = run_dir / "findings.jsonl"
    fix = FixFirst()
    broken_targets: set[str] = set()  # URLs that broken-link findings lead to
    rows_of: dict[tuple[int, float, str, str], int] = {}  # Findings-sheet sort key -> rows
    site_wide: set[tuple[str, str]] = set()
    for f in iter_finding_keys(findings_path):
        sort_key = finding_order(f.severity.value, f.rule, f.code, impact)
        rows_of[sort_key] = rows_of.get(sort_key, 0) + 1
        if f.site:
            site_wide.add((f.rule, f.code))
        if f.code == RULE_FAILED:
            failures += 1
            continue
        fix.add(f)
        counts[f.severity.value] += 1
        per_rule[f.rule] = per_rule.get(f.rule, 0) + 1
        if f.rule == "open-graph" and f.code in OG_INCOMPLETE:
            og_incomplete.add(f.url)
        key = (f.rule, f.code)
        groups.setdefault(key, set()).add(f.url)
        if f.rule == BROKEN_LINK and f.code == "broken":
            broken_targets.update(f.related)
        if SEVERITY_WEIGHT[f.severity] > SEVERITY_WEIGHT[severities.get(key, Severity.NOTICE)]:
            severities[key] = f.severity
        severities.setdefault(key, f.severity)

    # Then one pass over the per-page results: rule tallies and counts. Pages are not
    # kept (100,000 rows would be half a gigabyte): the Pages sheet and the JSON read
    # them again; only the scores the "fix first" estimate needs stay.
    results_path = run_dir / "page_results.jsonl"
    pages_count = html_pages = 0
    og_pages: list[str] = []
    fix_scores: dict[str, dict[str, float]] = {}
    with_titles = True  # page_results.jsonl carries what the Pages sheet shows
    statuses = {key: 0 for key in STATUS_CLASSES}
    depths: dict[str, int] = {}
    for row in _result_rows(results_path):
        if "site" in row:
            board.site_scores.update(row["site"])
            continue
        board.add_page(row["scores"])
        url = row["url"]
        pages_count += 1
        statuses[status_class(row.get("status"), row.get("error") or "")] += 1
        html_pages += bool(row.get("ok"))
        if row.get("ok"):
            depth = row.get("depth")
            key = "none" if depth is None else "5+" if depth >= MAX_DEPTH_SHOWN else str(depth)
            depths[key] = depths.get(key, 0) + 1
        with_titles = with_titles and "title" in row
        if "open-graph" in row["scores"]:
            og_pages.append(url)
        for rule, value in row["scores"].items():
            if (url, rule) in fix.codes:
                fix_scores.setdefault(url, {})[rule] = value

    top: list[TopIssue] = []
    for (rule_id, code), urls in groups.items():
        if (rule_id, code) in TARGET_CODES:
            urls = urls - broken_targets  # shown once, as the links to it
            if not urls:
                continue
        sev = severities[(rule_id, code)]
        cls: type[Rule] | None = registry.get(rule_id)
        label = cls.codes[code].label if cls and code in cls.codes else Msg(code, code)
        top.append(TopIssue(rule_id, code, label, sev, len(urls),
                            float(len(urls) * SEVERITY_WEIGHT[sev] * impact(rule_id))))
    # Errors first, then warnings, then notices (a notice on many pages never outranks
    # an error); within a severity, pages × the rule's weight.
    top.sort(key=lambda t: (_SEVERITY_RANK[t.severity.value], -t.impact, t.rule, t.code))
    # Issues tied with the last one shown are shown too (a cut between equals would be
    # arbitrary), up to a few more.
    shown = top[:TOP_ISSUES]
    for t in top[TOP_ISSUES:TOP_ISSUES + MAX_TIED]:
        last = shown[-1]
        if (t.severity, t.impact) != (last.severity, last.impact):
            break
        shown.append(t)

    issues = _issues(rows_of, groups, site_wide, html_pages, registry)

    categories = board.category_scores()
    weights = {"seo": cfg.scoring.weights.seo, "sea": cfg.scoring.weights.sea,
               "smo": cfg.scoring.weights.smo}
    sem, used = sem_score(categories, weights)
    scores = {c: round_score(v) for c, v in categories.items()}
    scores["sem"] = round_score(sem)

    notes: list[Msg] = [Msg(n.get("fr", ""), n.get("en", "")) for n in check.get("notes", [])]
    # The audit's limits (a checker missing, a language without dictionary...): one line
    # each, with the number of pages, never a finding against the site.
    limits = [lim for lim in check.get("limits", []) if isinstance(lim, dict)]
    notes += [Msg(lim["message"].get("fr", ""), lim["message"].get("en", ""))
              for lim in limits if isinstance(lim.get("message"), dict)]
    missing = [c.upper() for c, v in categories.items() if v is None]
    if missing:
        notes.append(Msg(
            "Pas de données pour {c} : catégorie exclue du score SEM, poids renormalisés.",
            "No data for {c}: category left out of the SEM score, weights renormalised."
        ).format(c=", ".join(missing)))
    if crawl.get("budget_reached"):
        notes.append(Msg(
            "Limite de pages atteinte ({n}) : le site n’a pas été parcouru en entier.",
            "Page limit reached ({n}): the site was not crawled entirely.").format(
                n=cfg.site.max_pages))
    problems = crawl.get("sitemap_problems") or []
    if problems:  # an unreadable sitemap hides pages: the consultant should know which
        first = problems[0]
        notes.append(Msg(
            "Plan de site illisible : {u} ({e}){more}.",
            "Sitemap not read: {u} ({e}){more_en}.").format(
                u=first.get("url", "?"), e=first.get("error", "?"),
                more=f" et {len(problems) - 1} autre(s), voir crawl.json"
                if len(problems) > 1 else "",
                more_en=f" and {len(problems) - 1} more, see crawl.json"
                if len(problems) > 1 else ""))
    bad = int(check.get("bad_lines") or 0)
    if bad:  # a torn record (a killed crawl, a disk that filled up): pages not audited
        notes.append(Msg(
            "{n} enregistrement(s) de page illisible(s) dans pages.jsonl (écriture "
            "interrompue) : page(s) non auditée(s).",
            "{n} unreadable page record(s) in pages.jsonl (an interrupted write): "
            "page(s) not audited.").format(n=bad))
    if crawl.get("status") != "complete":
        notes.append(Msg("Exploration interrompue ({r}) : résultats partiels.",
                         "Crawl interrupted ({r}): partial results.").format(
                             r=crawl.get("finish_reason", "?")))

    rules_info = [
        RuleInfo(id=r, category=cls.category, title=cls.title, description=cls.description,
                 weight=weight(r), enabled=r in checked_ids,
                 score=round_score(board.rule_score(r)) if r in checked_ids else None,
                 pages_scored=board.tallies[r].count if r in board.tallies else 0,
                 findings=per_rule.get(r, 0))
        for r, cls in registry.items()
    ]

    pages_path = run_dir / "pages.jsonl"

    rows_by_url = _result_rows_by_url(results_path)  # sorted once for both writers

    def pages() -> Iterator[PageRow]:
        if with_titles:
            pairs: Iterator[tuple[dict[str, Any], dict[str, Any]]] = (
                (r, r) for r in rows_by_url())
        else:  # runs checked by older versions: the page fields are in pages.jsonl
            by_url = {r["url"]: r for r in _result_rows(results_path) if "site" not in r}
            pairs = ((p, by_url.get(p.get("url", ""), {})) for p in _page_records(pages_path))
        for page, res in pairs:
            scores = res.get("scores", {})
            yield PageRow(url=page.get("url", ""), status=page.get("status"),
                          score=round_score(page_score(scores, board.rule_weights)) if res
                          else None,
                          scores=scores, title=page.get("title") or "",
                          word_count=page.get("word_count", 0), depth=res.get("depth"),
                          content_type=page.get("content_type", ""),
                          response_time=page.get("response_time"),
                          error=page.get("error", ""), redirect_to=page.get("redirect_to", ""),
                          inlinks=res.get("inlinks", 0), pagerank=res.get("pagerank"),
                          data={k: _localised(v, cfg.report.language)
                                for k, v in res.get("data", {}).items()})

    summary = Summary(
        client=cfg.client,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        tool_version=__version__,
        start_urls=list(cfg.site.start_urls),
        pages=pages_count,
        html_pages=html_pages,
        scores=scores,
        weights=weights,
        weights_used={c: round(w, 3) for c, w in used.items()},
        findings=counts,
        top_issues=shown,
        rule_failures=failures,
        crawl_seconds=crawl.get("seconds"),
        notes=notes,
        limits=limits,
        fix_first=fix.actions(board, fix_scores, registry),
        backlinks=backlink_summary(iter_table(run_dir / "tables.jsonl", "backlinks")),
        smo=smo_summary(iter_table(run_dir / "tables.jsonl", "social"), og_pages,
                        og_incomplete),
        statuses={k: n for k, n in statuses.items() if n},
        depths=dict(sorted(depths.items(), key=lambda kv: DEPTH_ORDER.index(kv[0]))),
        indexability=indexability_counts(iter_table(run_dir / "tables.jsonl", "indexability")),
    )
    sorted_findings = SortedLines(findings_path, findings_key(impact))  # one sort, two writers
    data_columns = [(key, header) for r in checked_ids
                    for key, header in registry[r].columns.items()]
    return ReportData(lang=cfg.report.language, summary=summary, rules=rules_info,
                      pages=pages,
                      findings=lambda: (Finding.from_dict(d).localised(cfg.report.language)
                                        for d in sorted_findings()),
                      finding_keys=lambda: iter_finding_keys(findings_path),
                      data_columns=data_columns,
                      tables=read_tables(run_dir / "tables.jsonl", registry, checked_ids,
                                         cfg.report.language),
                      backlinks=(lambda: iter_table(run_dir / "tables.jsonl", "backlinks"))
                      if summary.backlinks else None,
                      issues=issues)


def _issues(rows_of: dict[tuple[int, float, str, str], int],
            groups: dict[tuple[str, str], set[str]], site_wide: set[tuple[str, str]],
            html_pages: int, registry: dict[str, type[Rule]]) -> list[IssueRow]:
    """Every kind of issue, in the Findings sheet's order (worst first), each with the row
    its findings start at there: the sheet is sorted by the same key, so they are
    contiguous (a code met at two severities starts at its worst)."""
    issues: list[IssueRow] = []
    seen: set[tuple[str, str]] = set()
    row = 2  # under the header
    for (rank, _weight, rule, code), n in sorted(rows_of.items()):
        first, row = row, row + n
        if code == RULE_FAILED or (rule, code) in seen:
            continue
        seen.add((rule, code))
        cls = registry.get(rule)
        urls = groups.get((rule, code), set())
        issues.append(IssueRow(
            rule=rule, code=code,
            label=cls.codes[code].label if cls and code in cls.codes else Msg(code, code),
            category=cls.category if cls else "",
            severity=(Severity.ERROR, Severity.WARNING, Severity.NOTICE)[min(rank, 2)],
            pages=len(urls), findings=n,
            share=len(urls) / html_pages if html_pages and (rule, code) not in site_wide
            else None,
            why=getattr(cls, "why", None), fix=getattr(cls, "fix", None),
            first_row=first, site=(rule, code) in site_wide))
    return issues


def read_tables(path: Path, registry: dict[str, type[Rule]], checked_ids: list[str],
                lang: str) -> list[RuleTable]:
    """The rules' generic sheets (Row outcomes in tables.jsonl; absent in runs from older
    versions), in rule order then declaration order. Rows are few (campaign keywords,
    landing pages): kept in memory, unlike pages and findings. Flat TableRow lines
    (backlinks, social) have their own layouts and are skipped here."""
    rows: dict[tuple[str, str], list[dict[str, Any]]] = {}
    if path.exists():
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    d = json.loads(line)
                    if isinstance(d.get("values"), dict):
                        rows.setdefault((d["rule"], d["table"]), []).append(
                            {k: _localised(v, lang) for k, v in d["values"].items()})
    return [RuleTable(rule_id, key, table, rows[(rule_id, key)])
            for rule_id in checked_ids for key, table in registry[rule_id].tables.items()
            if (rule_id, key) in rows]
