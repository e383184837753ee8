"""Finding messages as a client reads them: real singular and plural, no word listed twice."""

from __future__ import annotations

from pathlib import Path

import yaml

from audit.rules.spelling import Spelling, merged
from audit.text.spelling import WordHit
from tests.rules.harness import SITE, make_page, run_rule


def test_a_word_rejected_by_two_dictionaries_is_listed_once(tmp_path: Path) -> None:
    page = make_page({"html": (
        "<html lang='fr'><head><title>Documentation utilitR</title></head><body><main>"
        "<p>Le projet utilitR rassemble des fiches pratiques. Chaque fiche utilitR répond à "
        "une question concrète, et utilitR est relu par des agents.</p>"
        "<p>The utilitR project gathers practical sheets written by statisticians, and "
        "utilitR is reviewed by colleagues before each release.</p></main></body></html>")})
    out = run_rule("spelling", [page], tmp_path)
    [nouns] = [f for f in out.findings if f.code == "proper-noun"]
    assert nouns.message.fr.startswith("1 mot(s) inconnu(s)"), nouns.message.fr
    assert "utilitR (×6)" in nouns.message.fr and nouns.message.fr.count("utilitR") == 1
    assert nouns.evidence.count("utilitR —") == 1


def test_merged_sums_the_counts_of_one_word() -> None:
    hits = [WordHit("utilitR", "fr", 3, "le projet utilitR"),
            WordHit("pilliers", "fr", 2, "les pilliers"),
            WordHit("UtilitR", "en", 4, "The UtilitR project")]
    assert [(h.word, h.lang, h.count) for h in merged(hits)] == [
        ("utilitR", "fr", 7), ("pilliers", "fr", 2)]
    assert Spelling()._listing(hits) == "utilitR (×7), pilliers (×2)"


def _home(links: str) -> str:
    return (f"<html lang='fr'><head><title>Agence Clairvoyance</title></head><body><main>"
            f"<p>Suivez notre agence lyonnaise.</p></main><footer>{links}</footer></body></html>")


def test_one_social_network_is_written_in_the_singular(tmp_path: Path) -> None:
    page = make_page({"html": _home("<a href='https://x.com/clairvoyance'>Suivez-nous</a>")})
    [f] = run_rule("social-profiles", [page], tmp_path).findings
    assert f.message.fr == ("Présence sur un seul réseau social (X/Twitter) : au moins 2 "
                            "conseillés, avec des publications régulières.")
    assert f.message.en.startswith("Present on a single social network (X/Twitter): ")
    assert "(x)" not in f.message.fr + f.message.en


def test_no_social_network_at_all(tmp_path: Path) -> None:
    page = make_page({"html": _home("<p>Agence Clairvoyance, Lyon</p>")})
    [f] = run_rule("social-profiles", [page], tmp_path).findings
    assert f.message.fr.startswith("Aucune présence sur les réseaux sociaux : au moins 2")


def test_cannibalization_names_the_strongest_article_never_the_tag_page(tmp_path: Path) -> None:
    cases = yaml.safe_load((Path(__file__).parent / "cases" / "keyword-cannibalization.yaml")
                           .read_text(encoding="utf-8"))["cases"]
    case = next(c for c in cases if c["name"].startswith("deux articles sur le même mot-clé"))
    out = run_rule("keyword-cannibalization", [make_page(p) for p in case["pages"]], tmp_path,
                   config=case["config"])
    [f] = out.findings
    excel = SITE + "blog/tableau-croise-excel.html"
    assert f.message.fr == (f"2 pages visent « tableau croisé » ; la plus forte est {excel} "
                            "(3 pages y renvoient). Donnez un autre mot-clé aux autres, ou "
                            "fusionnez-les dans celle-ci (redirection 301).")
    assert f.related == [SITE + "blog/tableaux-croises.html"]
    assert "tag" not in f.message.en + " ".join(f.related)


def test_a_clipped_block_names_its_clip_once_in_french() -> None:
    from audit.rules.hidden_text import _fr

    assert _fr("clipped (clip) — .sr-only { clip: rect(0,0,0,0) } (a.css:1)") == \
        "découpé (clip) — .sr-only { clip: rect(0,0,0,0) } (a.css:1)"
    assert _fr("clipped (clip-path) — .x { clip-path: inset(50%) }").startswith(
        "découpé (clip-path) —")
