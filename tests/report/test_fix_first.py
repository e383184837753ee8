"""The "what to fix first" estimate, on the worked example of docs/scoring.md §8."""

from __future__ import annotations

import pytest

from audit.report.fix_first import FixFirst
from audit.rule import Finding, Msg, Severity
from audit.rules import all_rules
from audit.scoring import ScoreBoard

A, B, C = (f"https://www.exemple.fr/lp/{n}.html" for n in "abc")


def _finding(rule: str, url: str, code: str, severity: Severity) -> Finding:
    return Finding(rule, url, code, severity, Msg("", ""))


def test_worked_example_of_the_scoring_doc() -> None:
    board = ScoreBoard(rule_weights={"sea-landing-page": 3.0, "sea-campaign": 3.0},
                       rule_categories={"sea-landing-page": "sea", "sea-campaign": "sea"})
    scores = {A: {"sea-landing-page": 25.0}, B: {"sea-landing-page": 65.0},
              C: {"sea-landing-page": 100.0}}
    for page in scores.values():
        board.add_page(page)
    board.site_scores["sea-campaign"] = 80.0
    fix = FixFirst()
    fix.add(_finding("sea-landing-page", A, "no-tracking", Severity.ERROR))
    fix.add(_finding("sea-landing-page", A, "no-cta", Severity.WARNING))
    fix.add(_finding("sea-landing-page", B, "no-tracking", Severity.ERROR))
    fix.add(_finding("sea-campaign", A, "low-ctr", Severity.WARNING))
    fix.add(_finding("sea-campaign", A, "spend-no-conversion", Severity.ERROR))
    actions = fix.actions(board, scores, all_rules())["sea"]
    gains = {a.code: a.gain for a in actions}
    assert [a.code for a in actions] == ["no-tracking", "spend-no-conversion", "no-cta"]
    assert gains["no-tracking"] == pytest.approx((75 * 10 / 13 + 35) / 3 * 3 / 6, abs=0.01)
    assert gains["spend-no-conversion"] == pytest.approx(20 * 10 / 13 * 3 / 6, abs=0.01)
    assert gains["no-cta"] == pytest.approx(75 * 3 / 13 / 3 * 3 / 6, abs=0.01)
    assert actions[0].pages == 2 and actions[0].label.en == "No conversion tracking"
