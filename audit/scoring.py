"""Scores: page, rule, category (SEO / SEA / SMO) and SEM. See docs/scoring.md.

- A rule scores each page it applies to, 0–100.
- Page score = mean of its rule scores weighted by rule weight.
- Rule site score = mean of its page scores (or the site score a site-level rule gives):
  a mean per page, so a bigger crawl of the same site does not move it.
- Category score = mean of its rules' site scores weighted by rule weight; a rule
  with no data (applied nowhere) is left out.
- SEM = mean of the category scores weighted by ``scoring.weights``; a category
  with no data is left out and the remaining weights renormalised (shown in reports).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CATEGORIES = ("seo", "sea", "smo")


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Mean of (value, weight) pairs; None when the weights sum to zero."""
    total = weight_sum = 0.0
    for value, weight in pairs:
        total += value * weight
        weight_sum += weight
    return total / weight_sum if weight_sum > 0 else None


def page_score(scores: Mapping[str, float], weights: Mapping[str, float]) -> float | None:
    return weighted_mean((v, weights.get(rule, 1.0)) for rule, v in scores.items()
                         if rule in weights)


@dataclass
class RuleTally:
    """Running mean of one rule's page scores."""

    total: float = 0.0
    count: int = 0

    def add(self, value: float) -> None:
        self.total += value
        self.count += 1

    @property
    def mean(self) -> float | None:
        return self.total / self.count if self.count else None


@dataclass
class ScoreBoard:
    rule_weights: dict[str, float]
    rule_categories: dict[str, str]
    tallies: dict[str, RuleTally] = field(default_factory=dict)
    site_scores: dict[str, float] = field(default_factory=dict)

    def add_page(self, scores: Mapping[str, float]) -> float | None:
        """Record one page's rule scores; return the page score."""
        for rule, value in scores.items():
            if rule in self.rule_weights:
                self.tallies.setdefault(rule, RuleTally()).add(value)
        return page_score(scores, self.rule_weights)

    def rule_score(self, rule: str) -> float | None:
        if rule in self.site_scores:
            return self.site_scores[rule]
        tally = self.tallies.get(rule)
        return tally.mean if tally else None

    def category_scores(self) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for cat in CATEGORIES:
            pairs = []
            for rule, weight in self.rule_weights.items():
                score = self.rule_score(rule)
                if self.rule_categories.get(rule) == cat and score is not None:
                    pairs.append((score, weight))
            out[cat] = weighted_mean(pairs)
        return out


def sem_score(categories: Mapping[str, float | None], weights: Mapping[str, float]
              ) -> tuple[float | None, dict[str, float]]:
    """SEM and the weights actually used (renormalised over categories with data)."""
    present = {c: weights.get(c, 0.0) for c, v in categories.items() if v is not None}
    total = sum(present.values())
    if total <= 0:
        return None, {c: 0.0 for c in CATEGORIES}
    used = {c: (present.get(c, 0.0) / total) for c in CATEGORIES}
    sem = sum(categories[c] * used[c] for c in present)  # type: ignore[operator]
    return sem, used


def round_score(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def score_text(value: float | None) -> str:
    """A score as a whole number, rounded half up as Excel shows it (70.5 → 71, where
    Python's round-half-even would print 70 and disagree with the workbook)."""
    if value is None:
        return "—"
    return str(int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
