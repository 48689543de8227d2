"""clean.simhash, vectorised, gives the very fingerprints stores already hold."""

from __future__ import annotations

import hashlib
import random
import re

import pytest

from peacetrack.clean import simhash

from .conftest import DEMO, SEEDS

_WORD = re.compile(r"\w+", re.UNICODE)


def reference_simhash(text: str, *, shingle: int = 3) -> int:
    """The first, loop-per-bit implementation: the definition the stores hold."""
    words = _WORD.findall(text.lower())
    grams = [" ".join(words[i:i + shingle]) for i in range(max(1, len(words) - shingle + 1))]
    weights = [0] * 64
    for gram in grams:
        h = int.from_bytes(hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if (h >> bit) & 1 else -1
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


def _random_texts(n: int) -> list[str]:
    rng = random.Random(6)
    vocabulary = ["Aliyev", "Pashinyan", "met", "in", "Brussels", "the", "talks", "Ереван",
                  "Bakı", "ceasefire", "“peace”", "2023", "—", "and"]
    return [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 60))) for _ in range(n)]


@pytest.mark.parametrize("text", ["", "   ", "one", "two words", "exactly three words",
                                  "Ünïcödé — “quoted” text, 2023-07-15!", *_random_texts(40)])
def test_simhash_equals_the_reference_bit_for_bit(text):
    assert simhash(text) == reference_simhash(text)


def test_simhash_of_real_reports_equals_the_reference():
    for path in sorted(SEEDS.glob("*.txt")) + sorted(DEMO.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert simhash(text) == reference_simhash(text), path.name
        assert simhash(text, shingle=2) == reference_simhash(text, shingle=2), path.name
