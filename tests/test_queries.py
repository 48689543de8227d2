"""Asking the record: quotes, stances and position histories, filtered by
actor, issue, source and date range, from Python and from the command line."""

from __future__ import annotations

import json

import pytest

from peacetrack import queries
from peacetrack.cli import main
from peacetrack.store import Store

from .conftest import DEMO, SEEDS


@pytest.fixture(scope="module")
def db(analyzer, tmp_path_factory):
    """The seeds and the dated demo wire, analysed into a real DuckDB file."""
    from peacetrack.ingest import RawReport, read_inputs
    from peacetrack.pipeline import prepare

    path = tmp_path_factory.mktemp("queries") / "store.duckdb"
    items = [i for i in read_inputs([str(SEEDS), str(DEMO / "wire.jsonl"),
                                     str(DEMO / "04_sochi_summit_2021.txt")],
                                    max_bytes=10_000_000) if isinstance(i, RawReport)]
    documents = [prepare(i) for i in items]
    with Store(path) as store:
        store.write(list(analyzer.analyse(documents)))
    return str(path)


@pytest.mark.parametrize("asked, speaker", [
    ({"speaker": "lavrov"}, "sergey-lavrov"),
    ({"actor": "sergey-lavrov"}, "sergey-lavrov"),
    ({"speaker": "Patel"}, "vedant-patel"),
])
def test_quotes_by_speaker(db, asked, speaker):
    with Store(db, read_only=True) as store:
        found = queries.quotes(store, **asked)
    assert found and {q["speaker"]["id"] for q in found} == {speaker}


@pytest.mark.parametrize("asked, check", [
    ({"issue": "lachin-corridor"}, lambda s: s["issue"] == "lachin-corridor"),
    ({"actor": "russia"}, lambda s: s["actor"]["id"] == "russia"),
    ({"position": "oppose"}, lambda s: s["position"] == "oppose"),
    ({"source": "wire.jsonl"}, lambda s: "wire.jsonl" in s["source"]),
    ({"since": "2023-01-01", "until": "2023-12-31"},
     lambda s: "2023-01-01" <= s["date"]["value"][:10] <= "2023-12-31"),
])
def test_stance_filters(db, asked, check):
    with Store(db, read_only=True) as store:
        found = queries.stances(store, **asked)
        every = queries.stances(store)
    assert found and len(found) < len(every)
    assert all(check(s) for s in found)


def test_date_range_keeps_a_month_inside_it(db):
    with Store(db, read_only=True) as store:
        inside = queries.quotes(store, since="2023-01-18", until="2023-01-18")
        outside = queries.quotes(store, since="2030-01-01")
    assert inside and all(q["date"]["value"].startswith("2023-01") for q in inside)
    assert outside == []


def test_position_history_has_one_row_per_date(db):
    with Store(db, read_only=True) as store:
        every = queries.stances(store)
        actor, issue = next((s["actor"]["id"], s["issue"]) for s in every
                            if s["date"] and s["date"]["value"] and s["actor"]["id"])
        rows = queries.position_history(store, actor, issue)
    dates = [r.date for r in rows]
    assert rows and len(dates) == len(set(dates))
    assert dates == sorted(dates, key=lambda d: (d is None, d or ""))
    assert all(r.evidence and set(r.positions) <= {e["position"] for e in r.evidence}
               for r in rows)


@pytest.mark.parametrize("argv, key, value", [
    (["quotes", "--speaker", "lavrov"], ("speaker", "id"), "sergey-lavrov"),
    (["stances", "--issue", "lachin-corridor"], ("issue",), "lachin-corridor"),
])
def test_cli_jsonl(db, capsys, argv, key, value):
    assert main([*argv, "--db", db, "--format", "jsonl"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines
    for record in lines:
        for part in key:
            record = record[part]
        assert record == value


def test_cli_history_table(db, capsys):
    assert main(["stances", "--db", db, "--actor", "russia", "--issue", "lachin-corridor",
                 "--history"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows and all(len(row.split("\t")) == 3 for row in rows)


def test_cli_history_needs_actor_and_issue(db, capsys):
    assert main(["stances", "--db", db, "--history", "--issue", "prisoners"]) == 2
    assert "--actor" in capsys.readouterr().err


# -- filters that say what is wrong, and what there is (issue 17) ------------------

@pytest.mark.parametrize("argv, expected", [
    (["quotes", "--since", "garbage"], "--since 'garbage' is not a date"),
    (["quotes", "--until", "2023-02-30"], "--until '2023-02-30': there is no such day"),
    (["stances", "--since", "2023-13"], "there is no month 13"),
    (["stances", "--since", "2024", "--until", "2023"], "--since 2024 is after --until 2023"),
    (["stances", "--issue", "lachin-coridor"], "no issue 'lachin-coridor' (did you mean 'lachin-corridor'"),
    (["quotes", "--speaker", "lavrv"], "no speaker in the store is 'lavrv'"),
    (["stances", "--actor", "nobody-at-all"], "peacetrack list actors"),
])
def test_a_filter_value_that_cannot_match_is_an_error_saying_what_exists(db, capsys, argv, expected):
    assert main([*argv, "--db", db]) == 2
    err = capsys.readouterr().err
    assert expected in err, err


def test_an_unknown_issue_lists_the_issues(db, capsys):
    assert main(["stances", "--issue", "world-peace", "--db", db]) == 2
    err = capsys.readouterr().err
    assert "peace-treaty" in err and "lachin-corridor" in err


def test_nothing_matching_says_what_the_store_holds(db, capsys):
    assert main(["quotes", "--since", "2031", "--db", db]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ["date\tspeaker\tcue\tkind\ttext"]  # the header alone
    assert "no quotes match" in err and "the store holds" in err and "dated" in err


def test_table_output_has_a_header_row(db, capsys):
    assert main(["stances", "--issue", "lachin-corridor", "--db", db]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert header == "date\tactor\tissue\tposition\tevidence" and rows
    assert all(row.split("\t")[2] == "lachin-corridor" for row in rows)


@pytest.mark.parametrize("what, header, row", [
    ("issues", "issue\tname\tstances\tin profile", "lachin-corridor\tLachin corridor\t"),
    ("actors", "actor\tname\tcode\tsector\tevents\tquotes\tstances", "sergey-lavrov\tSergey Lavrov\tRUS"),
    ("profiles", "name\ttitle\tentities\tissues\tfile", "south-caucasus\t"),
    ("processes", "process\ttitle\tparties\tmediation tracks", "ARM,AZE"),
])
def test_list_what_one_may_filter_by(db, capsys, what, header, row):
    assert main(["list", what, "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == header
    assert any(row in line for line in lines[1:]), lines[:5]


def test_listed_actors_are_what_filters_match(db, capsys):
    assert main(["list", "actors", "--db", db, "--format", "jsonl"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    speaker = next(r["id"] for r in listed if r["quotes"] and r["id"])
    assert main(["quotes", "--speaker", speaker, "--db", db, "--format", "jsonl"]) == 0
    assert capsys.readouterr().out.strip()


HOLDER = """
import sys, time
from peacetrack.store import Store
store = Store(sys.argv[1])   # holds the file for writing, as an ingest's batch does
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
store.close()
"""


def test_a_query_waits_for_a_writer_then_answers(db, tmp_path):
    import shutil
    import subprocess
    import sys

    copy = str(tmp_path / "copy.duckdb")
    shutil.copy(db, copy)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, copy, "3"], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        waited = subprocess.run([sys.executable, "-m", "peacetrack.cli", "quotes", "--db", copy,
                                 "--speaker", "lavrov"], capture_output=True, text=True, timeout=120)
    finally:
        holder.wait(timeout=60)
    assert waited.returncode == 0, waited.stderr
    assert "sergey-lavrov" in waited.stdout


def test_a_query_gives_up_after_its_wait(db, tmp_path):
    import shutil
    import subprocess
    import sys

    copy = str(tmp_path / "copy.duckdb")
    shutil.copy(db, copy)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, copy, "30"], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        busy = subprocess.run([sys.executable, "-m", "peacetrack.cli", "stances", "--db", copy,
                               "--wait", "1"], capture_output=True, text=True, timeout=120)
    finally:
        holder.kill()
        holder.wait(timeout=60)
    assert busy.returncode == 2
    assert "in use by another process" in busy.stderr and "waited 1 s" in busy.stderr
