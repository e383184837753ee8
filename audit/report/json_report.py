"""The machine-readable report: ``<client>-<date>.json``.

Streamed (pages and findings are written one by one, never held as one list) and
atomic (written to a temporary file, renamed when complete). Messages are in the
report language; the full bilingual findings stay in the run's findings.jsonl.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from audit.atomic import atomic_text
from audit.report.model import PageRow, ReportData

PAGE_FIELDS = tuple(f.name for f in fields(PageRow))  # flat values, dicts of flat values


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def summary_dict(data: ReportData) -> dict[str, Any]:
    s = data.summary
    lang = data.lang
    return {
        "pages": s.pages,
        "html_pages": s.html_pages,
        "scores": s.scores,
        "weights": s.weights,
        "weights_used": s.weights_used,
        "findings": s.findings,
        "rule_failures": s.rule_failures,
        "top_issues": [{"rule": t.rule, "code": t.code, "label": t.label.get(lang),
                        "severity": str(t.severity), "pages": t.pages, "impact": t.impact}
                       for t in s.top_issues],
        "notes": [n.get(lang) for n in s.notes],
        "limits": [{"rule": lim.get("rule"), "key": lim.get("key"), "pages": lim.get("pages"),
                    "message": (lim.get("message") or {}).get(lang, ""),
                    "detail": lim.get("detail", ""), "examples": lim.get("examples", [])}
                   for lim in s.limits],
        "statuses": s.statuses,
        "depths": s.depths,
        "indexability": s.indexability,
        "backlinks": asdict(s.backlinks) if s.backlinks else None,
        "smo": {**asdict(s.smo), "og_share": s.smo.og_share} if s.smo else None,
        "fix_first": {cat: [{"rule": a.rule, "code": a.code, "label": a.label.get(lang),
                             "severity": str(a.severity), "pages": a.pages,
                             "gain": round(a.gain, 1)} for a in actions]
                      for cat, actions in s.fix_first.items()},
    }


def changes_dict(data: ReportData) -> dict[str, Any] | None:
    c = data.changes
    if c is None:
        return None

    def rows(listing: Any, keys: tuple[str, ...]) -> dict[str, Any]:
        return {"count": listing.count,
                "rows": [dict(zip(keys, r, strict=True)) for r in listing.rows]}

    return {
        "previous_at": c.previous_at,
        "scores": {k: {"before": b, "now": n} for k, (b, n) in c.scores.items()},
        "new_findings": rows(c.new_findings, ("rule", "code", "url", "severity")),
        "fixed_findings": rows(c.fixed_findings, ("rule", "code", "url", "severity")),
        "gone_findings": rows(c.gone_findings, ("rule", "code", "url", "severity")),
        "pages_added": rows(c.pages_added, ("url", "status", "score")),
        "pages_removed": rows(c.pages_removed, ("url", "status", "score")),
        "page_scores": rows(c.page_scores, ("url", "before", "now")),
    }


def write_json(data: ReportData, path: Path) -> Path:
    s = data.summary
    lang = data.lang
    head = {"client": s.client, "generated_at": s.generated_at, "tool_version": s.tool_version,
            "language": lang, "start_urls": s.start_urls, "summary": summary_dict(data),
            "changes": changes_dict(data),
            "trend": [{"at": p.generated_at, **p.scores} for p in data.trend]}
    with atomic_text(path) as fh:
        fh.write(_dump(head)[:-1])  # reopen the object to stream the big arrays into it
        fh.write(', "pages": [')
        for i, page in enumerate(data.pages()):
            # Not dataclasses.asdict: its deep copy was half the time of the JSON report.
            row = {name: getattr(page, name) for name in PAGE_FIELDS}
            fh.write(("," if i else "") + "\n" + _dump(row))
        fh.write('\n], "findings": [')
        for i, f in enumerate(data.findings()):
            row = {"rule": f.rule, "url": f.url, "code": f.code, "severity": str(f.severity),
                   "message": f.message.get(lang), "evidence": f.evidence,
                   "related": f.related}
            if f.site:  # said of the whole site, filed under the home page
                row["site"] = True
            fh.write(("," if i else "") + "\n" + _dump(row))
        fh.write('\n], "backlinks": [')
        for i, row in enumerate(data.backlinks() if data.backlinks else ()):
            row = {k: v for k, v in row.items() if k not in ("table", "rule")}
            fh.write(("," if i else "") + "\n" + _dump(row))
        fh.write('\n], "tables": ')
        fh.write(_dump({f"{t.rule}/{t.key}": t.rows for t in data.tables}))
        fh.write(', "rules": ')
        fh.write(_dump([{"id": r.id, "category": r.category, "title": r.title.get(lang),
                         "description": r.description.get(lang), "weight": r.weight,
                         "enabled": r.enabled, "score": r.score,
                         "pages_scored": r.pages_scored, "findings": r.findings}
                        for r in data.rules]))
        fh.write("}\n")
    return path
