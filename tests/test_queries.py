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
