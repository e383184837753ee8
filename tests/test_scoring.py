"""The published formulas (docs/scoring.md), on numbers a consultant can check by hand."""

from __future__ import annotations

import pytest

from audit.scoring import ScoreBoard, page_score, score_text, sem_score, weighted_mean


def test_page_score_is_the_weighted_mean_of_rule_scores() -> None:
    # title (weight 3) 50, h1 (weight 2) 100, image-alt (weight 1) 0 → (150+200+0)/6
    weights = {"title": 3.0, "h1": 2.0, "image-alt": 1.0}
    assert page_score({"title": 50, "h1": 100, "image-alt": 0}, weights) == pytest.approx(58.33,
                                                                                         abs=0.01)
    assert page_score({}, weights) is None
    assert weighted_mean([(10, 0)]) is None


def test_category_score_does_not_swing_with_crawl_size() -> None:
    def board() -> ScoreBoard:
        return ScoreBoard({"title": 3.0, "h1": 2.0}, {"title": "seo", "h1": "seo"})

    small, big = board(), board()
    for _ in range(2):
        small.add_page({"title": 100, "h1": 50})
    for _ in range(200):
        big.add_page({"title": 100, "h1": 50})
    assert small.category_scores() == big.category_scores() == {
        "seo": pytest.approx(80.0), "sea": None, "smo": None}


def test_site_level_score_replaces_page_mean() -> None:
    b = ScoreBoard({"social-profiles": 1.0, "title": 1.0},
                   {"social-profiles": "smo", "title": "seo"})
    b.add_page({"title": 40})
    b.site_scores["social-profiles"] = 50
    assert b.category_scores() == {"seo": 40.0, "sea": None, "smo": 50.0}


def test_sem_renormalises_over_categories_with_data() -> None:
    weights = {"seo": 0.5, "sea": 0.25, "smo": 0.25}
    sem, used = sem_score({"seo": 80.0, "sea": None, "smo": 40.0}, weights)
    assert used == {"seo": pytest.approx(2 / 3), "sea": 0.0, "smo": pytest.approx(1 / 3)}
    assert sem == pytest.approx(80 * 2 / 3 + 40 / 3)
    sem, used = sem_score({"seo": 70.0, "sea": 50.0, "smo": 30.0}, weights)
    assert sem == pytest.approx(70 * 0.5 + 50 * 0.25 + 30 * 0.25)
    assert sem_score({"seo": None, "sea": None, "smo": None}, weights)[0] is None


def test_docs_worked_example_uses_the_real_rule_weights() -> None:
    """docs/scoring.md, section 2: keep the published example true to the registry."""
    from audit.rules import all_rules

    weights = {rid: cls.weight for rid, cls in all_rules().items()}
    scores = {"title": 50, "status-code": 100, "h1": 100, "broken-link": 100,
              "meta-description": 100, "image-alt": 100, "keyword-cannibalization": 100,
              "spelling": 93.75, "grammar": 100, "readability": 100}
    assert page_score(scores, weights) == pytest.approx(1443.75 / 16)


def test_score_text_rounds_like_the_workbook_shows() -> None:
    # The workbook shows 70.5 with the "0" format as 71: the log and `history` must agree.
    assert [score_text(v) for v in (70.5, 70.4, 89.3, 99.5, 0.0, None)] == [
        "71", "70", "89", "100", "0", "—"]
