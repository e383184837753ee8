"""Keyword matching in French, the client's keyword map (YAML and CSV), detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.text.keywords import (
    KeywordMap,
    KeywordStats,
    candidates,
    count_phrase,
    phrase_terms,
    read_keywords_csv,
)
from audit.text.tokens import sentences, terms
from audit.typedyaml import ConfigError


@pytest.mark.parametrize(("keyword", "text"), [
    ("réseau social", "Animer vos RÉSEAUX SOCIAUX au quotidien"),
    ("identité numérique", "Protéger l’identité numérique de la marque"),
    ("identité numérique", "Protéger l'identite numerique de la marque"),
    ("e-réputation", "Surveiller son e-réputation chaque semaine"),
    ("community managers", "Le community manager publie"),
    ("bureau", "Nos bureaux à Lyon"),
])
def test_matching_ignores_case_accents_elisions_plurals(keyword: str, text: str) -> None:
    assert count_phrase(phrase_terms(keyword), terms(text)) == 1


def test_no_false_match_across_words() -> None:
    assert count_phrase(phrase_terms("audit SEO"), terms("un audit complet, puis le SEO")) == 0


def test_sentences_split_french_prose() -> None:
    assert sentences("Vous connaissez le SMO ? Non ? Prenez un mouchoir… Et lisez.") == [
        "Vous connaissez le SMO ?", "Non ?", "Prenez un mouchoir…", "Et lisez."]


def test_keyword_map_precedence(tmp_path: Path) -> None:
    csv_file = tmp_path / "mots-cles.csv"
    csv_file.write_text("url;keyword\n/tarifs.html;tarifs agence SEO\n"
                        "https://www.exemple.fr/contact.html;contact agence\n", encoding="utf-8")
    km = KeywordMap.build({"/blog/*": "blog SEO", "/blog/seo-*": "guide SEO",
                           "/": "agence SEO Lyon"}, csv_file)
    assert km.lookup("https://www.exemple.fr/") == "agence SEO Lyon"
    assert km.lookup("https://www.exemple.fr/blog/seo-local.html") == "guide SEO"
    assert km.lookup("https://www.exemple.fr/blog/autre.html") == "blog SEO"
    assert km.lookup("https://www.exemple.fr/tarifs.html") == "tarifs agence SEO"
    assert km.lookup("https://WWW.exemple.fr/contact.html") == "contact agence"
    assert km.lookup("https://www.exemple.fr/inconnue.html") is None


def test_keywords_csv_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "mots-cles.csv"
    bad.write_text("url,keyword\n/a.html,audit\n/b.html\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_keywords_csv(bad)
    assert info.value.line == 3 and str(bad) in str(info.value)


def test_detection_prefers_the_page_topic_over_site_wide_words() -> None:
    stats = KeywordStats()
    pages = {
        "seo": ("Référencement naturel à Lyon", ["Le référencement naturel de votre site.",
                                                  "Notre agence lyonnaise améliore le "
                                                  "référencement naturel."]),
        "ads": ("Google Ads à Lyon", ["Nos campagnes Google Ads.", "Notre agence lyonnaise "
                                      "règle vos annonces Google Ads."]),
        "smo": ("Réseaux sociaux à Lyon", ["Animer vos réseaux sociaux.", "Notre agence "
                                           "lyonnaise publie sur vos réseaux sociaux."]),
    }
    for url, (title, body) in pages.items():
        counts, surface = candidates(body, title, [title], [])
        stats.add(url, counts, surface)
    assert stats.focus("seo").label == "référencement naturel"
    assert stats.focus("ads").label == "google ads"
    assert stats.focus("smo").label == "réseaux sociaux"
    assert stats.focus("seo").clear


def test_phrases_are_shown_as_most_often_written_never_as_terms() -> None:
    _, surface = candidates(
        ["Notre équipe accompagne vos équipes. L’équipe lyonnaise répond vite : une équipe "
         "soudée, des équipes formées."], "EQUIPE - Agence Clairvoyance", ["Equipe"], [])
    assert surface[("equipe",)] == "équipe"  # not the term, not the menu's EQUIPE
    assert surface[("equipe", "lyonnaise")] == "équipe lyonnaise"


def test_code_hashes_and_colours_are_never_candidates() -> None:
    counts, _ = candidates(
        ["Couleurs du thème : #fffe0ebbec, #ebbec0 et fffe-ebbec-12ab ; fichier index.html, "
         "fonction fill_page() et offre web2mrkt. Le thème reste lisible : face à un thème "
         "sombre, la façade claire aide."], "Thème du site", [], [])
    words_seen = {t for key in counts for t in key}
    assert not words_seen & {"fffe", "ebbec", "fffeebbec", "index", "html", "fill", "page",
                             "web", "mrkt", "ab"}
    assert {"theme", "face", "facade", "couleur"} <= words_seen
    assert ("couleur", "du", "theme") in counts  # words around the code still make phrases


def test_a_phrase_keeps_the_elisions_written_inside_it() -> None:
    _, surface = candidates(["Le blog d’un développeur Java raconte la vie d’un développeur."],
                            "Le blog d’un développeur", [], [])
    key = ("blog", "un", "developpeur")
    assert surface[key] == "blog d’un développeur"
