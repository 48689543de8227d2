"""bench/ runs (a smoke test: no timing is asserted here; bench/RESULTS.md has the figures)."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pytest

from peacetrack.clean import content_id, hamming, simhash

from .conftest import ROOT

BENCH = ROOT / "bench"


@pytest.fixture(scope="module")
def corpus():
    sys.path.insert(0, str(BENCH))
    try:
        import corpus as module
    finally:
        sys.path.remove(str(BENCH))
    return module


def test_generated_reports_are_all_different_and_report_sized(corpus):
    items = list(corpus.reports(60))
    texts = [i["plain"] for i in items]
    assert len({content_id(t) for t in texts}) == 60
    fingerprints = [simhash(t) for t in texts]
    assert min(hamming(a, b) for a, b in itertools.combinations(fingerprints, 2)) > 3
    words = [len(t.split()) for t in texts]
    assert 600 <= sum(words) / len(words) <= 1000
    assert sum("html" in i for i in items) == 15 and all(i["published"] for i in items)


def test_the_same_seed_gives_the_same_corpus(corpus):
    assert list(corpus.reports(5)) == list(corpus.reports(5))
    assert list(corpus.reports(5)) != list(corpus.reports(5, seed=7))


def test_bench_runs_and_writes_its_json(tmp_path):
    out = tmp_path / "bench.json"
    subprocess.run([sys.executable, str(BENCH / "bench.py"), "--n", "5", "--n-process", "1",
                    "--phases", "spacy,spacy_lookup,ingest", "--repeat", "2", "--out", str(out)],
                   check=True, cwd=tmp_path,
                   capture_output=True, text=True, timeout=600)
    result = json.loads(out.read_text())
    assert result["corpus"]["reports"] == 5
    for phase in ("spacy", "spacy_lookup", "ingest"):
        assert result["phases"][phase]["reports"] == 5
        assert len(result["phases"][phase]["runs"]) == 2
        assert result["phases"][phase]["seconds"] == min(result["phases"][phase]["runs"])
        assert result["phases"][phase]["peak_rss_mb"] > 50
        assert result["phases"][phase]["reports_per_s"] > 0
    assert result["phases"]["ingest"]["summary"]["near_duplicates"] == 0
    assert "ratio_b_over_a" in result["verdict"]
    assert "ratio_b_over_lookup_parse" in result["verdict"]


def test_the_length_bench_runs_and_fits_its_exponents(tmp_path):
    out = tmp_path / "robust.json"
    subprocess.run([sys.executable, str(BENCH / "robust.py"), "--sizes", "6000,12000",
                    "--no-ingest", "--out", str(out)], check=True, cwd=tmp_path,
                   capture_output=True, text=True, timeout=600)
    result = json.loads(out.read_text())
    assert set(result["sizes"]) == {"6000", "12000"}
    assert result["sizes"]["12000"]["chars"] > result["sizes"]["6000"]["chars"]
    assert {"prepare", "parse", "stages", "store rows"} <= set(result["exponents"])
    assert "stage: dates of events" in result["exponents"]
