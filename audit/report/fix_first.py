""""What to fix first": per category, the issues whose fix would raise its score most.

The gain of fixing one kind of finding (a rule and a finding code) is estimated from
the scores themselves (docs/scoring.md):

- page rules: on each page with that code, the page's shortfall for the rule (100 −
  its rule score) is shared among the rule's codes on the page in proportion to their
  severity weights; the rule's site score rises by the sum of this code's shares
  divided by the pages the rule scores;
- site rules (one site score): the shortfall 100 − score is shared among the rule's
  codes in proportion to severity weight × findings;
- the category score rises by the rule's gain × its weight / the category's weights.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from audit.rule import SEVERITY_WEIGHT, Finding, Msg, Rule, Severity
from audit.scoring import ScoreBoard

if TYPE_CHECKING:
    from audit.report.build import FindingKey

ACTIONS_PER_CATEGORY = 3


@dataclass
class FixAction:
    category: str
    rule: str
    code: str
    label: Msg
    severity: Severity
    pages: int
    gain: float  # category score points the fix would add (estimate)


class FixFirst:
    """Fed the findings once (build_report's pass), then asked for the actions."""

    def __init__(self) -> None:
        self.codes: dict[tuple[str, str], set[str]] = defaultdict(set)  # (url, rule) -> codes
        self.pages: dict[tuple[str, str], set[str]] = defaultdict(set)  # (rule, code) -> urls
        self.count: dict[tuple[str, str], int] = defaultdict(int)
        self.severity: dict[tuple[str, str], Severity] = {}

    def add(self, f: Finding | FindingKey) -> None:
        key = (f.rule, f.code)
        self.codes[(f.url, f.rule)].add(f.code)
        self.pages[key].add(f.url)
        self.count[key] += 1
        if SEVERITY_WEIGHT[f.severity] >= SEVERITY_WEIGHT[self.severity.get(key, f.severity)]:
            self.severity[key] = f.severity

    def actions(self, board: ScoreBoard, page_scores: Mapping[str, Mapping[str, float]],
                registry: Mapping[str, type[Rule]]) -> dict[str, list[FixAction]]:
        cat_weight: dict[str, float] = defaultdict(float)
        for rule, weight in board.rule_weights.items():
            if board.rule_score(rule) is not None:
                cat_weight[board.rule_categories.get(rule, "")] += weight
        out: dict[str, list[FixAction]] = defaultdict(list)
        for (rule, code), urls in self.pages.items():
            cls = registry.get(rule)
            score = board.rule_score(rule)
            category = board.rule_categories.get(rule, "")
            if cls is None or score is None or not cat_weight.get(category) or \
                    rule not in board.rule_weights:
                continue
            if rule in board.site_scores:
                shares = {c: SEVERITY_WEIGHT[self.severity[(r, c)]] * self.count[(r, c)]
                          for (r, c) in self.pages if r == rule}
                rule_gain = (100 - score) * shares[code] / (sum(shares.values()) or 1)
            else:
                scored = board.tallies[rule].count if rule in board.tallies else 0
                shortfall = 0.0
                for u in urls:
                    codes = self.codes[(u, rule)]
                    share = SEVERITY_WEIGHT[self.severity[(rule, code)]] / sum(
                        SEVERITY_WEIGHT[self.severity[(rule, c)]] for c in codes)
                    shortfall += share * (100 - page_scores.get(u, {}).get(rule, 100))
                rule_gain = shortfall / scored if scored else 0.0
            gain = rule_gain * board.rule_weights[rule] / cat_weight[category]
            if gain >= 0.1:
                label = cls.codes[code].label if code in cls.codes else Msg(code, code)
                out[category].append(FixAction(category, rule, code, label,
                                               self.severity[(rule, code)], len(urls), gain))
        return {c: sorted(a, key=lambda x: (-x.gain, x.rule, x.code))[:ACTIONS_PER_CATEGORY]
                for c, a in out.items()}
