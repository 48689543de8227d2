"""The main job end to end on real reports: store, identity, bad input."""

from __future__ import annotations

import json
import shutil

from peacetrack.executors.local import LocalExecutor
from peacetrack.pipeline import ingest
from peacetrack.settings import Settings, available_cores
from peacetrack.store import Store

from .conftest import SEEDS, seed


def test_seeds_are_stored_once_however_often_ingested(tmp_path, db_settings):
    first = ingest([str(SEEDS)], settings=db_settings)
    assert first.read == 5 and first.stored == 5 and first.events > 20
    again = ingest([str(SEEDS)], settings=db_settings)
    assert again.stored == 0 and again.already_stored == 5
    with Store(db_settings.db, read_only=True) as store:
        assert store.count("documents") == 5
        assert store.count("events") == first.events


def test_a_near_duplicate_is_recorded_but_not_analysed_twice(tmp_path, db_settings):
    original = seed("004").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(original, encoding="utf-8")
    (tmp_path / "b.txt").write_text(original.replace("Saturday", "on Saturday", 1)
                                    + "\nThis story was updated.", encoding="utf-8")
    summary = ingest([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")], settings=db_settings)
    assert summary.stored == 2 and summary.near_duplicates == 1
    with Store(db_settings.db, read_only=True) as store:
        docs = [r for r in store.records(["document"])]
        assert docs[1]["duplicate_of"] == docs[0]["id"]
        events_per_doc = dict(store.query("SELECT doc, count(*) FROM events GROUP BY doc"))
        assert docs[1]["id"] not in events_per_doc


class Noting:
    """The real local executor, noting which documents it is handed to parse."""

    def __init__(self, settings) -> None:
        self.inner, self.seen = LocalExecutor(settings), []

    def map(self, batches):
        def noted():
            for batch in batches:
                self.seen += [d.source for d in batch]
                yield batch
        return self.inner.map(noted())


def test_near_duplicates_are_found_before_parsing_and_never_parsed(tmp_path, db_settings):
    original = seed("004").read_text(encoding="utf-8")
    copy = original.replace("Saturday", "on Saturday", 1) + "\nThis story was updated."
    for name, text in (("a.txt", original), ("b.txt", copy), ("c.txt", seed("003").read_text())):
        (tmp_path / name).write_text(text, encoding="utf-8")
    executor = Noting(db_settings)
    summary = ingest([str(tmp_path / n) for n in ("a.txt", "b.txt", "c.txt")],
                     settings=db_settings, executor=executor)
    assert summary.near_duplicates == 1 and summary.stored == 3
    assert [p.rsplit("/", 1)[-1] for p in executor.seen] == ["a.txt", "c.txt"]
    with Store(db_settings.db, read_only=True) as store:  # stored in input order all the same
        assert [r["source"].rsplit("/", 1)[-1] for r in store.records(["document"])] == \
            ["a.txt", "b.txt", "c.txt"]
    (tmp_path / "d.txt").write_text(copy + "\nMore updates.", encoding="utf-8")
    again = Noting(db_settings)
    summary = ingest([str(tmp_path / "d.txt")], settings=db_settings, executor=again)
    assert summary.near_duplicates == 1 and again.seen == []  # nothing to parse: no worker started


def test_worker_processes_default_to_the_cores_available():
    assert Settings().n_process == available_cores() >= 1


def test_bad_input_is_counted_and_the_rest_is_stored(tmp_path, db_settings):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed("003"), folder / "good.txt")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    (folder / "empty.html").write_text("")
    (folder / "wire.jsonl").write_text(
        json.dumps({"id": "w1", "text": "Armenia and Azerbaijan exchanged prisoners on Monday.",
                    "published": "2023-12-13"}) + "\n{broken\n")
    problems = []
    summary = ingest([str(folder)], settings=db_settings, on_problem=problems.append)
    assert summary.stored == 2
    assert summary.skipped == {"binary": 1, "empty": 1, "bad-json": 1}
    assert {p.reason for p in problems} == {"binary", "empty", "bad-json"}
    assert any(p.line == 2 and p.source.endswith("wire.jsonl") for p in problems)
    with Store(db_settings.db, read_only=True) as store:
        (ref,) = store.query("SELECT ref FROM documents WHERE ref IS NOT NULL")[0]
        assert ref == "w1"
        assert store.query("SELECT count(*) FROM problems")[0][0] == 3


def test_every_stored_fact_points_to_its_characters(tmp_path, db_settings):
    ingest([str(SEEDS)], settings=db_settings)
    with Store(db_settings.db, read_only=True) as store:
        texts = {r["id"]: r["text"] for r in store.records(["document"])}
        for record in store.records(["event", "quote", "stance"]):
            start, end = record["span"]
            assert 0 <= start < end <= len(texts[record["doc"]])
            if record["kind"] == "event":
                assert texts[record["doc"]][start:end] == record["sentence"]
                assert record["trigger"] in record["sentence"]


def test_the_store_can_be_read_between_batches(tmp_path, db_settings):
    """A dashboard opens the store while an ingest runs: between batches the file
    is free, so a read-only open succeeds mid-run."""
    from peacetrack.store import Store as ReadStore

    seen = []

    def peek(summary):
        with ReadStore(db_settings.db, read_only=True) as reader:
            seen.append(reader.count("documents"))

    ingest([str(SEEDS)], settings=db_settings.updated(write_batch=2), on_progress=peek)
    assert seen == sorted(seen) and seen[0] >= 1 and seen[-1] == 5


def test_duplicates_of_reports_already_written_in_the_same_run_are_caught(tmp_path, db_settings):
    # One report per transaction: the run forgets what it has written, so the
    # copies below are found through the store, not through the run's memory.
    from peacetrack.ingest import read_inputs
    from peacetrack.pipeline import Deduplicator, prepare

    original = seed("004").read_text(encoding="utf-8")
    for name, text in (("a.txt", original), ("b.txt", original + "\nThis story was updated."),
                       ("c.txt", original)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    paths = [str(tmp_path / n) for n in ("a.txt", "b.txt", "c.txt")]
    summary = ingest(paths, settings=db_settings.updated(write_batch=1))
    assert (summary.stored, summary.near_duplicates, summary.already_stored) == (2, 1, 1)

    documents = [prepare(raw) for raw in read_inputs(paths[:1], max_bytes=10**7)]
    with Store(tmp_path / "other.duckdb") as store:
        dedupe = Deduplicator(store, 3)
        assert dedupe.check_batch(documents) == ["new"]
        dedupe.forget(documents)
    assert not dedupe.seen_ids and not dedupe.bands


def test_a_pool_of_workers_stores_what_one_process_does(tmp_path, settings, monkeypatch):
    # Two workers, each replaced after two batches of one report (as a long run
    # replaces them every WORKER_BATCHES): the same records as in one process.
    from peacetrack.executors import local

    monkeypatch.setattr(local, "WORKER_BATCHES", 2)
    stored = {}
    for n_process in (1, 2):
        run = settings.updated(db=str(tmp_path / f"{n_process}.duckdb"), n_process=n_process,
                               batch_size=1, write_batch=2)
        assert ingest([str(SEEDS)], settings=run).stored == 5
        with Store(run.db, read_only=True) as store:
            stored[n_process] = list(store.records())
    assert len(stored[2]) > 40
    assert stored[2] == stored[1]
