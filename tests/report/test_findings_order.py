"""The Findings sheet's order: worst first, then the rule's weight, then rule, code and
URL — whatever order the rules wrote them in (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

from audit.report.build import iter_findings_sorted
from audit.rule import Finding, Msg, Severity

SITE = "https://www.boulangerie-martin.fr"


def test_findings_come_worst_first_and_in_a_stable_order(tmp_path: Path) -> None:
    written = [
        ("image-alt", "missing-alt", "/b.html", Severity.WARNING),
        ("title", "too-short", "/z.html", Severity.NOTICE),
        ("broken-link", "broken", "/b.html", Severity.ERROR),
        ("title", "missing", "/c.html", Severity.ERROR),
        ("title", "missing", "/a.html", Severity.ERROR),
        ("meta-description", "missing", "/a.html", Severity.WARNING),
    ]
    path = tmp_path / "findings.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for rule, code, url, sev in written:
            f = Finding(rule, SITE + url, code, sev, Msg("Page « à revoir »", "Page to review"))
            fh.write(json.dumps(f.to_dict(), ensure_ascii=False) + "\n")
        fh.write("\n")  # a blank line is skipped
    weights = {"title": 3.0, "broken-link": 2.0, "image-alt": 1.0, "meta-description": 1.0}
    got = [(f.rule, f.code, f.url[len(SITE):]) for f in
           iter_findings_sorted(path, lambda r: weights.get(r, 0.0))]
    assert got == [
        ("title", "missing", "/a.html"), ("title", "missing", "/c.html"),  # errors, weight 3
        ("broken-link", "broken", "/b.html"),  # error, weight 2
        ("image-alt", "missing-alt", "/b.html"), ("meta-description", "missing", "/a.html"),
        ("title", "too-short", "/z.html"),  # the only notice, last
    ]
    first = next(iter_findings_sorted(path, lambda r: weights.get(r, 0.0)))
    assert first.message.fr == "Page « à revoir »"  # read back whole, accents included


def test_pages_come_in_url_order_whatever_the_crawl_order(tmp_path: Path) -> None:
    from audit.report.build import _result_rows_by_url

    path = tmp_path / "page_results.jsonl"
    crawled = ["/tarifs.html", "/", "/blog/pain-au-levain.html", "/blog/", "/contact.html"]
    lines = [json.dumps({"url": SITE + u, "scores": {"title": 100}, "title": f"Page {u}"},
                        ensure_ascii=False) for u in crawled]
    lines.append(json.dumps({"site": {"backlinks": 80.0}}))  # the site scores line: left out
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = [r["url"][len(SITE):] for r in _result_rows_by_url(path)()]
    assert got == ["/", "/blog/", "/blog/pain-au-levain.html", "/contact.html", "/tarifs.html"]


def test_top_issues_errors_first_and_ties_kept(tmp_path: Path) -> None:
    """A notice on many pages never outranks an error on one; issues tied with the 10th
    are shown too, not cut by the alphabet."""
    from audit.config import load
    from audit.report.build import build_report
    from tests.reliability.test_output_faults import _checked_run

    run_dir, _out = _checked_run(tmp_path)
    rows = [("title", "too-short", f"/p{i}.html", Severity.NOTICE) for i in range(40)]
    rows.append(("h1", "missing", "/seul.html", Severity.ERROR))
    # Twelve warnings of equal weight (one page each, rules of weight 1).
    rows += [(rule, code, f"/w{i}.html", Severity.WARNING)
             for i, (rule, code) in enumerate(
                 [("meta-description", c) for c in ("missing", "empty", "too-short",
                                                    "too-long", "multiple")]
                 + [("image-alt", c) for c in ("missing", "empty-in-link", "too-long")]
                 + [("h1", "multiple"), ("h1", "empty"), ("title", "missing"),
                    ("title", "empty")])]
    with open(run_dir / "findings.jsonl", "w", encoding="utf-8") as fh:
        for rule, code, url, sev in rows:
            fh.write(json.dumps(Finding(rule, SITE + url, code, sev, Msg("à revoir", "review"))
                                .to_dict(), ensure_ascii=False) + "\n")
    cfg = load(tmp_path / "c.yaml")
    top = build_report(run_dir, cfg).summary.top_issues
    assert (top[0].rule, top[0].code) == ("h1", "missing")  # one page, but an error
    assert [t.severity for t in top[1:]].count(Severity.WARNING) >= 9
    notice = [t for t in top if t.severity == Severity.NOTICE]
    assert not notice or top.index(notice[0]) > 10  # after every error and warning
    # The warnings of weight 1 on one page are tied: none is cut between equals.
    tied = [t for t in top if t.severity == Severity.WARNING and t.impact == 3.0]
    assert len(tied) == 8 and len(top) <= 15
