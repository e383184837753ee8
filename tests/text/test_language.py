"""Paragraph language detection on real French and English sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from audit.text.language import MIN_WORDS, STOP_WORDS, detect, detect_words, is_stop_word

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

FRENCH = [
    "Le community manager est avant tout le représentant, l’ambassadeur d’une marque sur "
    "internet.",
    "Aujourd’hui, l’e-réputation d’une entreprise se joue sur les réseaux sociaux, "
    "c’est-à-dire partout où ses clients parlent d’elle.",
    "Qu’il s’agisse d’un blog ou d’une newsletter, chaque prise de parole doit servir la "
    "stratégie de la marque.",
    # anglicisms and an English phrase inside French: still French
    "Le community management est le nouveau must have du moment pour toute entreprise "
    "présente sur le web.",
    "Notre équipe SEO et SMO prépare le brief, le storytelling et le planning des posts "
    "pour les social media.",
]

ENGLISH = [
    "There has been a lot of discussion recently on the topic of community management.",
    "While precise definitions of this activity can be hard to find, most people accept "
    "that it involves the oversight of social activity.",
    "As a result, it's starting to become apparent that community management is a "
    "strategic function for organizations.",
]


@pytest.mark.parametrize("sentence", FRENCH)
def test_french_sentences_are_french_whatever_the_page(sentence: str) -> None:
    assert detect(sentence, default="fr") == "fr"
    assert detect(sentence, default="en") == "fr"


@pytest.mark.parametrize("sentence", ENGLISH)
def test_english_sentences_are_english_whatever_the_page(sentence: str) -> None:
    assert detect(sentence, default="en") == "en"
    assert detect(sentence, default="fr") == "en"


def test_short_paragraphs_keep_the_page_language() -> None:
    assert detect("Must have", default="fr") == "fr"
    assert detect("The community manager", default="fr") == "fr"  # fewer than MIN_WORDS
    assert detect("Le métier de community manager", default="en") == "en"
    assert detect("Contact us for a quote", default="fr") == "fr"


def test_an_unclear_vote_keeps_the_page_language() -> None:
    # names and anglicisms with no function word: nothing to switch on
    assert detect("Google Analytics, Hootsuite, Buffer, Canva, Trello, Slack", default="fr") == "fr"


def test_a_url_path_does_not_vote() -> None:
    url = "http://www.noblesamurai.com/blog/seo-news/is-this-the-new-seo-3320/ et voilà"
    assert detect(url, default="fr") == "fr"


def test_only_the_candidates_are_considered() -> None:
    assert detect(ENGLISH[0], candidates=("fr",), default="fr") == "fr"
    assert detect(ENGLISH[0], candidates=("fr", "en", "xx"), default="fr") == "en"


def test_detect_words_takes_tokens_in_any_case() -> None:
    sentence = "THE Community Manager IS THE VOICE OF A brand ON social networks"
    assert detect_words(sentence.split(" "), default="fr") == "en"


def test_stop_words_hold_accented_and_folded_forms() -> None:
    for lang in ("fr", "en"):
        assert 150 <= len(STOP_WORDS[lang]) <= 300
    fr = STOP_WORDS["fr"]
    for word in ("être", "etre", "déjà", "deja", "où", "ou", "à", "a", "été", "ete", "qu", "l"):
        assert word in fr
    assert {"the", "of", "and", "is"} <= STOP_WORDS["en"]
    assert is_stop_word("Après", "fr") and is_stop_word("apres", "fr")
    assert not is_stop_word("référencement", "fr") and not is_stop_word("the", "de")


def test_real_french_web_text_is_french_and_its_english_quote_english() -> None:
    """The corpus: two French articles with anglicisms, one quoting an English article."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    french = english = 0
    found_quote = False
    for path in sorted(CORPUS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for sentence in re.split(r"(?<=[.!?])\s+", line.strip()):
                if len(sentence.split()) < MIN_WORDS:
                    continue
                lang = detect(sentence, default="fr")
                if lang == "en":
                    english += 1
                    found_quote |= "strategic function" in sentence
                else:
                    french += 1
    assert found_quote, "the English quote of the first article was not recognised"
    assert french > 200 and english < 0.03 * french
