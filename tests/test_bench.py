"""bench/ runs (a smoke test: no timing is asserted here; bench/RESULTS.md has the figures)."""

from __future__ import annotations

import itertools
import json
import os
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


def test_real_reports_are_varied_so_none_is_a_near_duplicate(corpus):
    items = list(corpus.reports(40, kind="real"))
    fingerprints = [simhash(i["plain"]) for i in items]
    assert min(hamming(a, b) for a, b in itertools.combinations(fingerprints, 2)) > 6
    again = [simhash(corpus.near_duplicate(item, n)["plain"]) for n, item in enumerate(items)]
    assert max(hamming(a, b) for a, b in zip(fingerprints, again, strict=True)) <= 6


def test_bench_repeats_and_leaves_nothing_behind(tmp_path):
    out = tmp_path / "bench.json"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    subprocess.run([sys.executable, str(BENCH / "bench.py"), "--n", "5", "--n-process", "1",
                    "--corpus", "real", "--phases", "spacy,ingest,near_duplicates,incremental",
                    "--store-size", "200", "--repeat", "2", "--out", str(out)],
                   check=True, cwd=tmp_path, env={**os.environ, "TMPDIR": str(scratch)},
                   capture_output=True, text=True, timeout=900)
    result = json.loads(out.read_text())
    run = result["runs"]["real/n_process=1"]
    assert result["corpora"]["real"]["reports"] == 5 and len(run["rounds"]) == 2
    for phase in ("spacy", "ingest", "near_duplicates"):
        assert len(run["phases"][phase]["runs"]) == 2
        assert run["phases"][phase]["peak_rss_mb"] > 50
    assert run["phases"]["ingest"]["summary"]["near_duplicates"] == 0
    assert run["phases"]["near_duplicates"]["summary"]["near_duplicates"] == 5
    assert all({"b_over_a", "near_duplicates_over_fresh"} <= set(r) for r in run["rounds"])
    assert "ratio_ok" in result["verdict"]["real/n_process=1"]
    assert list(scratch.iterdir()) == []  # every round's stores and corpora removed


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


def test_a_synthetic_store_copies_every_column_the_views_read(tmp_path):
    # bench/synthetic.py writes the tables column by column: a column the store
    # gains (an event's sentence, a quote's words) must be filled in the copies too
    from peacetrack import views
    from peacetrack.records import Actor, Analysis, DateValue, Document, Event, Quote
    from peacetrack.store import Store

    sys.path.insert(0, str(BENCH))
    try:
        import synthetic
    finally:
        sys.path.remove(str(BENCH))
    text = "Aliyev met Pashinyan in Brussels. \u201cThe corridor must reopen,\u201d Aliyev said."
    document = Document(id="d-1", text=text, source="x.txt", fingerprint=3,
                        published=DateValue("2023-07-16", "day", method="metadata"))
    event = Event(id="e-1", doc="d-1", span=(0, 33), sentence=text[:33], trigger="met",
                  type="CONSULT", actor=[Actor("Aliyev", "ilham-aliyev", "Ilham Aliyev", "AZE", "GOV")])
    quote = Quote(id="q-1", doc="d-1", span=(35, 62), text="The corridor must reopen",
                  speaker=Actor("Aliyev", "ilham-aliyev", "Ilham Aliyev", "AZE", "GOV"),
                  cue="said", direct=True)
    template = tmp_path / "template.duckdb"
    with Store(template) as store:
        store.write([Analysis(document, events=[event], quotes=[quote])])
    counts = synthetic.build(template, tmp_path / "big.duckdb", 5)
    assert counts == {"documents": 5, "events": 5, "quotes": 5, "stances": 0}
    with Store(tmp_path / "big.duckdb", read_only=True) as store:
        assert store.query("SELECT count(*) FROM quotes WHERE text IS NULL") == [(0,)]
        assert store.query("SELECT count(*) FROM events WHERE sentence IS NULL") == [(0,)]
        assert views.record_counts(store, None, views.Filters(q="corridor"))["quotes"] == 5
        assert views.count_events(store, None, views.Filters(q="Brussels")) == 5
