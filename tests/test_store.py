"""The DuckDB store: batched writes, reads in export shape, duplicates."""

from __future__ import annotations

import pytest

from peacetrack.records import Actor, Analysis, DateValue, Document, Event, Location, Problem
from peacetrack.store import Store


def _analysis(doc_id: str, text: str, fingerprint: int) -> Analysis:
    document = Document(id=doc_id, text=text, source="x.txt", fingerprint=fingerprint,
                        published=DateValue("2023-07-16", "day", method="metadata"))
    event = Event(id=f"e-{doc_id}", doc=doc_id, span=(0, len(text)), sentence=text,
                  trigger="met", type="CONSULT",
                  actor=[Actor("Aliyev", "ilham-aliyev", "Ilham Aliyev", "AZE", "GOV", "president")])
    return Analysis(document, events=[event])


def test_a_batch_is_written_and_read_back_in_export_shape(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.write([_analysis("d-1", "Aliyev met Pashinyan.", 2**63 + 5),
                     _analysis("d-2", "They met again.", 7)])
    with Store(tmp_path / "s.duckdb", read_only=True) as store:
        records = list(store.records())
        assert [r["kind"] for r in records] == ["document", "document", "event", "event"]
        assert records[0]["published"] == {"value": "2023-07-16", "precision": "day",
                                           "method": "metadata"}
        assert records[2]["actor"][0]["id"] == "ilham-aliyev"
        assert store.known_ids(["d-1", "d-3"]) == {"d-1"}
        rows = store.query("SELECT role, actor_id, code FROM participants ORDER BY event")
        assert rows[0] == ("actor", "ilham-aliyev", "AZE")


def test_a_failed_batch_leaves_what_was_stored(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.write([_analysis("d-1", "Aliyev met Pashinyan.", 1)])
        broken = _analysis("d-2", "Broken.", 2)
        broken.events[0].span = None  # not storable: the whole batch rolls back
        with pytest.raises(TypeError):
            store.write([_analysis("d-3", "Fine.", 3), broken])
        assert store.count("documents") == 1
        assert store.count("events") == 1


def test_near_duplicates_are_found_by_fingerprint_bands(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        store.write([_analysis("d-1", "A text.", 0b1011 << 40)])
        assert store.near_duplicates((0b1011 << 40) ^ 0b101, bits=3) == "d-1"
        assert store.near_duplicates(~(0b1011 << 40) & (2**64 - 1), bits=3) is None


def test_runs_and_problems_are_kept(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        run = store.start_run()
        store.finish_run(run, {"read": 2}, [Problem("bad.jsonl", 3, "bad-json", "malformed")])
        assert store.query("SELECT source, line, reason FROM problems") == [("bad.jsonl", 3, "bad-json")]
        assert store.start_run() == run + 1


def test_row_groups_stay_small_however_large_the_store(tmp_path):
    # A write's checkpoint rewrites the row group it appended to: with DuckDB's
    # default of 122,880 rows that group, and the memory of each write, grew
    # with the store (bench/RESULTS.md). Written in batches as the ingest does.
    path = tmp_path / "s.duckdb"
    n = 5000
    for first in range(0, n, 500):
        with Store(path) as store:
            store.write([_analysis(f"d-{i}", f"Report {i}: Aliyev met Pashinyan.", i)
                         for i in range(first, min(n, first + 500))])
    with Store(path, read_only=True) as store:
        groups = store.query("SELECT row_group_id, max(start + count) - min(start)"
                             " FROM pragma_storage_info('documents') WHERE column_name = 'id'"
                             " GROUP BY row_group_id")
        assert store.count("documents") == n
    assert max(rows for _, rows in groups) <= 2048


def test_an_events_sentence_is_a_column_the_word_filters_read(tmp_path):
    # the views' word and issue filters read a column, not each record's JSON; a store
    # written before the column existed gets it filled when it is next opened to write
    import duckdb

    from peacetrack import views

    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.write([_analysis("d-1", "Aliyev met Pashinyan in Brussels.", 5)])
    db = duckdb.connect(str(path))
    db.execute("ALTER TABLE events DROP COLUMN sentence")  # as an older store had it
    db.close()
    with Store(path, read_only=True) as store:  # read as it is: the record's sentence
        assert views.count_events(store, None, views.Filters(q="Brussels")) == 1
    with Store(path) as store:
        assert store.query("SELECT sentence FROM events") == [("Aliyev met Pashinyan in Brussels.",)]
    with Store(path, read_only=True) as store:
        assert views.count_events(store, None, views.Filters(q="Brussels")) == 1
        assert views.count_events(store, None, views.Filters(q="Moscow")) == 0


def _quoted(doc_id: str, text: str, said: str) -> Analysis:
    from peacetrack.records import Quote

    analysis = _analysis(doc_id, text, 9)
    analysis.quotes = [Quote(id=f"q-{doc_id}", doc=doc_id, span=(0, len(said)), text=said,
                             speaker=None, cue="said", direct=True)]
    return analysis


def test_a_quotes_words_are_a_column_the_word_filters_read(tmp_path):
    # as for an event's sentence: a store written before the column existed gets
    # it filled when it is next opened to write, and is read through the record until then
    import duckdb

    from peacetrack import views

    path = tmp_path / "s.duckdb"
    with Store(path) as store:
        store.write([_quoted("d-1", "Aliyev met Pashinyan.", "The Lachin corridor must reopen")])
    db = duckdb.connect(str(path))
    db.execute("ALTER TABLE quotes DROP COLUMN text")
    db.close()
    with Store(path, read_only=True) as store:
        assert views.record_counts(store, None, views.Filters(q="corridor"))["quotes"] == 1
    with Store(path) as store:
        assert store.query("SELECT text FROM quotes") == [("The Lachin corridor must reopen",)]
    with Store(path, read_only=True) as store:
        assert views.record_counts(store, None, views.Filters(q="corridor"))["quotes"] == 1
        assert views.record_counts(store, None, views.Filters(q="border"))["quotes"] == 0
        assert views.search(store, "corridor")["quotes"][0]["id"] == "q-d-1"


def test_a_view_asked_again_after_a_write_counts_the_new_events(tmp_path):
    # the parts of a view share one made selection of the events (Store.selection);
    # a write to the open store must not leave a view reading the old one
    from peacetrack import views

    with Store(tmp_path / "s.duckdb") as store:
        store.write([_analysis("d-1", "Aliyev met Pashinyan in Brussels.", 1)])
        brussels = views.Filters(q="Brussels")
        assert views.timeline(store, None, brussels)["total"] == 1
        assert views.event_summary(store, None, brussels)["events"] == 1
        store.write([_analysis("d-2", "They met again in Brussels.", 2**40)])
        assert views.timeline(store, None, brussels)["total"] == 2
        assert views.event_summary(store, None, brussels)["events"] == 2
        assert views.count_events(store, None, views.Filters(q="Moscow")) == 0


def test_a_long_open_store_answers_views_of_many_filters(tmp_path):
    # a store open for long (the static report, a notebook) asks for more selections
    # than it keeps; the one a view is still reading is never the one let go
    from peacetrack import views
    from peacetrack.profile import load_profile
    from peacetrack.settings import load_settings
    from peacetrack.store import SELECTIONS_KEPT

    profile = load_profile(load_settings().profile)
    assert profile.tracks
    analysis = _analysis("d-1", "Aliyev met Pashinyan in Brussels.", 1)
    analysis.events[0].location = Location("Brussels", "Brussels", "BEL", 50.85, 4.35)
    with Store(tmp_path / "s.duckdb") as store:
        store.write([analysis])
        others = ["Aliyev", "met", "Pashinyan", "Moscow", "Prague", "Sochi", "Aliyev met"]
        assert len(others) >= SELECTIONS_KEPT
        brussels = views.Filters(q="Brussels")
        assert views.timeline(store, profile, brussels)["total"] == 1
        for word in others[:SELECTIONS_KEPT - 1]:  # the store now keeps as many as it may
            views.timeline(store, profile, views.Filters(q=word))
        # the tracks read Brussels' selection, the oldest kept, and make one of their own
        tracked = views.tracks(store, profile, brussels)["items"]
        assert {i["event"] for i in tracked} == {"e-d-1"}  # placed in Brussels: its tracks'
        assert any("brussels" in i["track"] for i in tracked)
        for word in others:
            views.timeline(store, profile, views.Filters(q=word))
            assert views.timeline(store, profile, brussels)["total"] == 1
        assert views.event_summary(store, profile, views.Filters(q="Moscow"))["events"] == 0


def test_an_actor_named_twice_in_one_role_takes_part_once(tmp_path):
    # the network counts participant rows: "Aliyev ... Aliyev" as actor of one
    # event is one actor, not an edge of weight two
    from peacetrack import views

    analysis = _analysis("d-1", "Aliyev met Pashinyan; Aliyev said so.", 1)
    aliyev = analysis.events[0].actor[0]
    analysis.events[0].actor.append(aliyev)
    analysis.events[0].recipient = [Actor("Pashinyan", "nikol-pashinyan", "Nikol Pashinyan", "ARM",
                                          "GOV", "prime minister")]
    with Store(tmp_path / "s.duckdb") as store:
        store.write([analysis])
        assert store.query("SELECT count(*) FROM participants WHERE role = 'actor'") == [(1,)]
        edges = views.network(store, None)["edges"]
        assert [(e["source"], e["target"], e["count"]) for e in edges] == \
            [("ilham-aliyev", "nikol-pashinyan", 1)]
