"""Text similarity primitives: normalised words, stable hashes, shingles, MinHash and LSH.

Near duplicates are found with MinHash signatures of word 3-shingles (datasketch) and a
:class:`datasketch.MinHashLSH` index: candidates come from the index in near-constant
time, and each one is confirmed by its estimated Jaccard similarity before it counts.
Everything here is deterministic (no per-process hash seed), so two runs over the same
pages report the same percentages.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
import zlib
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from datasketch import LeanMinHash

# datasketch is imported where it is used, not here: its LSH module imports
# scipy.integrate (1.5–2 s), which the report stage and the config validation that
# precedes every crawl would pay for nothing (they import the rules, never sign a page).

SHINGLE_WORDS = 3  # word 3-grams: robust to common phrases, sensitive to rewritten sentences
NUM_PERM = 128  # signature length: ± 2.7 points of Jaccard (1 σ) around 0.90
SEED = 1

_WORD = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")


def words(text: str) -> list[str]:
    """Normalised words: Unicode NFKC, case-folded, punctuation and apostrophes dropped.

    « L’Équipe » and "l'équipe" give the same words; accents are kept (they are part of
    the spelling and a copy keeps them).
    """
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _WORD.findall(text.casefold())


def label_key(text: str) -> str:
    """A title or description as compared for duplicates: case and white space ignored."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def hash64(text: str) -> int:
    """A stable 64-bit hash (blake2b), the same in every process."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def exact_hash(tokens: Sequence[str]) -> bytes:
    """128-bit fingerprint of a normalised text: equal for exact duplicates."""
    return hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=16).digest()


# Word -> CRC-32 (with bit 32 set, so never 0): words repeat a lot across a site's pages.
_WORD_HASHES: dict[str, int] = {}
_WORD_CACHE_SIZE = 50_000  # ≈ 5 MB at most; cleared when full
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_FNV = np.uint64(0x100000001B3)


def shingle_hashes(tokens: Sequence[str], k: int = SHINGLE_WORDS) -> np.ndarray:
    """The distinct 32-bit hashes of the word k-shingles of ``tokens`` (vectorised).

    A text shorter than ``k`` words is one shingle.
    """
    n = len(tokens)
    if n == 0:
        return np.empty(0, dtype=np.uint32)
    cache = _WORD_HASHES
    if len(cache) > _WORD_CACHE_SIZE:
        cache.clear()
    word_hashes = np.fromiter(
        (cache.get(t) or cache.setdefault(t, zlib.crc32(t.encode("utf-8")) | 1 << 32)
         for t in tokens), dtype=np.uint64, count=n)
    k = min(k, n)
    count = n - k + 1
    acc = np.zeros(count, dtype=np.uint64)
    for j in range(k):
        acc = (acc * _FNV) ^ word_hashes[j:j + count]
    # splitmix64-style finaliser: every input bit reaches the 32 bits kept.
    acc ^= acc >> np.uint64(33)
    acc *= _MIX1
    acc ^= acc >> np.uint64(33)
    acc *= _MIX2
    acc ^= acc >> np.uint64(33)
    return np.unique((acc >> np.uint64(32)).astype(np.uint32))


def _identity(value: object) -> object:
    return value


class Signer:
    """MinHash signatures of texts (all with the same permutations, so comparable)."""

    def __init__(self, num_perm: int = NUM_PERM, seed: int = SEED):
        from datasketch import LeanMinHash, MinHash

        self.num_perm = num_perm
        self._lean = LeanMinHash
        # Shingles arrive already hashed to 32 bits: the identity is the hash function.
        self._base = MinHash(num_perm=num_perm, seed=seed, hashfunc=_identity)

    def sign(self, tokens: Sequence[str]) -> LeanMinHash:
        m = self._base.copy()
        m.update_batch(shingle_hashes(tokens).tolist())  # Python ints: the fastest to iterate
        return self._lean(m)


def similarity(a: LeanMinHash, b: LeanMinHash) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    return float(a.jaccard(b))


def _candidate_probability(j: float, bands: int, rows: int) -> float:
    return 1.0 - (1.0 - j ** rows) ** bands


@functools.lru_cache(maxsize=32)
def lsh_params(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """Bands and rows of the LSH index for a similarity threshold.

    datasketch's own choice balances false positives and false negatives, which at 0.90
    (b=5, r=25) makes a pair at exactly 90 % a candidate only 31 % of the time. A missed
    candidate is a missed duplicate, while a needless one costs one signature comparison:
    so the pair at ``threshold - 0.03`` must be a candidate 99 % of the time, and among
    the settings that achieve it, the one with the fewest candidates below
    ``threshold - 0.2`` is chosen. At 0.90: b=14, r=9 (99.9 % at 0.90, 2.7 % at 0.50,
    none in practice below 0.3).
    """
    best: tuple[float, int, int] | None = None
    low = max(0.0, threshold - 0.2)
    grid = [low * i / 100 for i in range(101)]
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if bands < 2:
            break
        if _candidate_probability(max(0.0, threshold - 0.03), bands, rows) < 0.99:
            continue
        mass = sum(_candidate_probability(j, bands, rows) for j in grid)
        if best is None or mass < best[0]:
            best = (mass, bands, rows)
    if best is None:  # thresholds so low that nothing reaches 99 %: every band of one row
        return num_perm, 1
    return best[1], best[2]


@functools.lru_cache(maxsize=1)
def _buckets_class() -> type:
    """The lean bucket storage, a datasketch class: defined on first use (lazy import)."""
    from datasketch.storage import DictSetStorage

    class _Buckets(DictSetStorage):
        """One LSH band's buckets, lean: a bucket of one key keeps the key itself.

        datasketch's in-memory storage keeps a ``set`` per bucket (≈ 220 bytes even for one
        key): with 14 bands that is most of the index's memory, and nearly every bucket of a
        site holds one page. Same interface for what MinHashLSH calls on a band table
        (insert, get, itemcounts).
        """

        def __init__(self) -> None:
            self._dict: dict[Hashable, Any] = {}

        def insert(self, key: Hashable, *vals: Hashable, **kwargs: Any) -> None:
            current = self._dict.get(key, _EMPTY)
            if current is _EMPTY and len(vals) == 1:
                self._dict[key] = vals[0]
                return
            bucket = self.get(key)
            self._dict[key] = {*bucket, *vals}

        def get(self, key: Hashable) -> Any:
            value = self._dict.get(key, _EMPTY)
            if value is _EMPTY:
                return ()
            return value if isinstance(value, set) else (value,)

        def itemcounts(self, **kwargs: Any) -> dict[Hashable, int]:
            return {k: len(self.get(k)) for k in self._dict}

    return _Buckets


_EMPTY = object()


def _band_key(band: bytes) -> int:
    """A band's bucket key: a machine-size int instead of the band's bytes (memory only:
    two bands sharing it would just be one more candidate, confirmed or dropped)."""
    return hash(band)


class NearIndex:
    """A MinHash LSH index whose answers are confirmed by estimated Jaccard similarity."""

    def __init__(self, threshold: float, num_perm: int = NUM_PERM):
        from datasketch import MinHashLSH
        from datasketch.storage import DictSetStorage

        self.threshold = threshold
        self.lsh = MinHashLSH(num_perm=num_perm, params=lsh_params(threshold, num_perm),
                              hashfunc=_band_key)
        if all(type(t) is DictSetStorage for t in self.lsh.hashtables):
            buckets = _buckets_class()
            self.lsh.hashtables = [buckets() for _ in self.lsh.hashtables]
        self.signatures: dict[Hashable, LeanMinHash] = {}

    def __len__(self) -> int:
        return len(self.signatures)

    def insert(self, key: Hashable, signature: LeanMinHash) -> None:
        self.lsh.insert(key, signature, check_duplication=False)
        self.signatures[key] = signature

    def query(self, signature: LeanMinHash) -> list[tuple[Hashable, float]]:
        """Indexed keys at or above the threshold, with their similarity, best first."""
        out = []
        for key in self.lsh.query(signature):
            sim = similarity(signature, self.signatures[key])
            if sim >= self.threshold:
                out.append((key, sim))
        out.sort(key=lambda kv: -kv[1])  # stable: insertion order among equals
        return out


def percent(sim: float, exact: bool = False) -> int:
    """A similarity as the report shows it: 100 only for identical texts."""
    return 100 if exact else min(99, int(sim * 100 + 1e-9))
