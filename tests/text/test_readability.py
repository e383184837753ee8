"""Readability: the published formulas on hand-checked counts, and never a download."""

from __future__ import annotations

import pytest

from audit.text.readability import measure, syllables


def test_french_uses_kandel_moles_on_our_counts() -> None:
    text = "Le community manager anime la marque. Il parle aux clients."
    r = measure(text, "fr")
    assert r is not None and r.lang == "fr"
    assert (r.words, r.sentences) == (10, 2)
    expected = 207 - 1.015 * r.words / r.sentences - 73.6 * r.syllables / r.words
    assert r.ease == pytest.approx(expected)
    assert r.label("fr") in {"facile", "très facile", "assez facile", "standard"}
    assert r.longest == "Le community manager anime la marque."


def test_english_never_downloads_nltk_data(monkeypatch: pytest.MonkeyPatch) -> None:
    import nltk

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("nltk.download called: would reach the internet")

    monkeypatch.setattr(nltk, "download", refuse)
    r = measure("The cat sat on the mat. It was a sunny day.", "en-GB")
    assert r is not None and r.lang == "en" and r.words == 11
    assert r.ease == pytest.approx(206.835 - 1.015 * 11 / 2 - 84.6 * r.syllables / 11)


def test_syllables_follow_hyphenation_and_elisions() -> None:
    assert syllables("communication", "fr") == 5
    assert syllables("l’identité", "fr") == syllables("l", "fr") + syllables("identité", "fr")


def test_unknown_language_has_no_formula() -> None:
    assert measure("Bonjour", "ja") is None
