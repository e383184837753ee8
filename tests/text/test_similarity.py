"""Similarity primitives: normalisation, stable hashes, shingles, MinHash, LSH parameters."""

from __future__ import annotations

import hashlib
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.config import ConfigError, loads
from audit.text.maincontent import CountMinSketch
from audit.text.similarity import (
    NUM_PERM,
    NearIndex,
    Signer,
    exact_hash,
    hash64,
    label_key,
    lsh_params,
    percent,
    shingle_hashes,
    similarity,
    words,
)

VOCAB = [
    "pain", "levain", "farine", "four", "boulanger", "croûte", "mie", "seigle", "blé",
    "sel", "eau", "pâte", "beurre", "matin", "cuisson", "fournil", "brioche", "croissant",
    "galette", "sucre", "œuf", "lait", "crème", "amande", "vanille", "tarte", "chocolat",
    "caramel", "pomme", "fraise", "framboise", "citron", "noisette", "miel"
]


def _text(rng: random.Random, n: int) -> list[str]:
    return [rng.choice(VOCAB) for _ in range(n)]


def _jaccard(a: list[str], b: list[str]) -> float:
    sa, sb = set(shingle_hashes(a).tolist()), set(shingle_hashes(b).tolist())
    return len(sa & sb) / len(sa | sb)


def test_words_normalise_case_apostrophes_and_unicode() -> None:
    assert words("L’Équipe  d'ÉTÉ : ﬁn !") == ["l", "équipe", "d", "été", "fin"]
    assert words("l'équipe") == words("L’ÉQUIPE")
    assert words("") == []


def test_label_key_ignores_case_and_white_space() -> None:
    assert label_key("  Tarifs   SEO\n| Clairvoyance ") == label_key("tarifs seo | CLAIRVOYANCE")
    assert label_key("Tarifs SEO") != label_key("Tarifs SEA")


def test_hashes_are_stable_across_processes() -> None:
    digest = hashlib.blake2b(b"levain", digest_size=8).digest()
    assert hash64("levain") == int.from_bytes(digest, "little")
    assert exact_hash(["le", "pain"]) == hashlib.blake2b(b"le pain", digest_size=16).digest()


def test_shingles() -> None:
    assert shingle_hashes([]).size == 0
    assert shingle_hashes(["pain"]).size == 1  # shorter than a shingle: one shingle
    text = ["le", "pain", "au", "levain", "cuit", "au", "four"]
    assert shingle_hashes(text).size == 5
    assert set(shingle_hashes(text).tolist()) == set(shingle_hashes(list(text)).tolist())
    # Word order matters: the same words reversed share no 3-shingle.
    assert not set(shingle_hashes(text).tolist()) & set(shingle_hashes(text[::-1]).tolist())


def test_signature_estimates_jaccard() -> None:
    rng = random.Random(7)
    signer = Signer()
    for _ in range(30):
        base = _text(rng, rng.randint(60, 400))
        other = list(base)
        for _ in range(rng.randint(0, 40)):
            other[rng.randrange(len(other))] = rng.choice(VOCAB)
        true = _jaccard(base, other)
        estimate = similarity(signer.sign(base), signer.sign(other))
        assert abs(estimate - true) < 0.15, (true, estimate)  # ≈ 4 standard deviations
    same = _text(rng, 100)
    assert similarity(signer.sign(same), signer.sign(list(same))) == 1.0


@pytest.mark.parametrize("threshold", [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0])
def test_lsh_parameters_keep_pairs_at_the_threshold(threshold: float) -> None:
    bands, rows = lsh_params(threshold)
    assert bands * rows <= NUM_PERM and bands >= 2

    def candidate(j: float) -> float:
        return 1 - (1 - j ** rows) ** bands

    assert candidate(threshold) >= 0.99
    if threshold >= 0.85:
        assert candidate(0.3) < 0.01  # distinct pages are (almost) never compared


def test_near_index_confirms_candidates() -> None:
    rng = random.Random(3)
    signer = Signer()
    base = _text(rng, 300)
    near = list(base)
    near[150] = "zzz"  # one word: J ≈ 0.98
    far = _text(rng, 300)
    index = NearIndex(0.9)
    index.insert(0, signer.sign(base))
    index.insert(1, signer.sign(far))
    found = index.query(signer.sign(near))
    assert [k for k, _ in found] == [0] and found[0][1] >= 0.9


def test_percent() -> None:
    assert percent(1.0, exact=True) == 100
    assert percent(0.999) == 99  # a near duplicate never reads 100 %
    assert percent(0.9375) == 93


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=300))
def test_count_min_sketch_never_undercounts(keys: list[int]) -> None:
    import numpy as np

    cms = CountMinSketch(width_bits=6)  # tiny on purpose: collisions happen
    for k in keys:
        cms.add(np.array([k], dtype=np.uint64))
    distinct = sorted(set(keys))
    if distinct:
        estimates = cms.estimate(np.array(distinct, dtype=np.uint64))
        for k, e in zip(distinct, estimates, strict=True):
            assert e >= keys.count(k)


def test_duplicates_config_is_validated() -> None:
    base = 'client: x\nsite: {start_urls: ["https://www.exemple.fr/"]}\n'
    cfg = loads(base + "duplicates: {near_threshold: 0.85, min_words: 80}\n")
    assert cfg.duplicates.near_threshold == 0.85 and cfg.duplicates.min_words == 80
    assert not cfg.duplicates.external
    assert loads(base + "duplicates: {compare_sitemaps: [https://b.fr/sitemap.xml]}\n"
                 ).duplicates.external
    for bad, message in (("{near_threshold: 1.5}", "between 0.5 and 1"),
                         ("{compare_with: [www.concurrent.fr/page]}", "absolute http"),
                         ("{max_external_pages: 0}", "between 1 and 5000"),
                         ("{near_treshold: 0.9}", "did you mean 'near_threshold'")):
        with pytest.raises(ConfigError, match=message):
            loads(base + f"duplicates: {bad}\n")
