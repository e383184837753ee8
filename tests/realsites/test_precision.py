"""The fast subset of the real-site precision corpus (``make precision`` runs it whole).

Each real site is audited through the command line on its first pages (breadth-first,
as the crawler meets them), and what the content rules say is held to the hand-labelled
key: no item left unlabelled (a rule that starts saying something new must be judged),
no hidden-text error that the key calls false, precision ≥ 90 % per rule over the
subset, and the key's real defects on those pages still found.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.realsites.precision import CONTENT_RULES, LABELS, Key, audit_site, site_names, tally

SUBSET_PAGES = 8

pytestmark = pytest.mark.crawl


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("realsites")
    return {name: audit_site(name, out, SUBSET_PAGES) for name in site_names()}


def test_the_corpus_has_five_sites_or_more() -> None:
    assert len(site_names()) >= 5


@pytest.mark.parametrize("name", site_names())
def test_content_rules_hold_to_the_key(name: str, runs: dict, tmp_path: Path) -> None:
    run = runs[name]
    assert run.pages >= 3, f"{name}: the subset crawl found too few pages"
    by_rule, recall, unlabelled = tally([run])
    assert not unlabelled, f"{name}: unlabelled items (label them in {LABELS}/{name}.yaml):\n" \
        + "\n".join(f"  {i.key}  [{i.severity}]" for _s, i in unlabelled[:30])
    assert by_rule["hidden-text"].false_errors == 0
    for rule in CONTENT_RULES:
        t = by_rule[rule]
        if t.true + t.false >= 5:
            assert t.precision >= 0.9, f"{name}: {rule} precision {t.precision:.0%}"
    # Defects marked ``subset: true`` in the key sit on the subset's pages.
    subset = {d.match for d in Key.load(LABELS / f"{name}.yaml").defects if d.subset}
    missed = [d.match for d, found in recall[name] if not found and d.match in subset]
    assert not missed, f"{name}: real defects no longer found: {missed}"
