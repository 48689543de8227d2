"""One happening across reports: incidents fused from the events of several
reports, kept apart when they are different happenings, disputed when the
sources disagree, updated as reports arrive."""

from __future__ import annotations

import json

from peacetrack.cli import main
from peacetrack.incidents import Incident, dates_agree, fuse
from peacetrack.pipeline import ingest
from peacetrack.store import Store

MEETING_A = ("Azerbaijani President Ilham Aliyev and Armenian Prime Minister Nikol Pashinyan met "
             "in Brussels on Saturday for talks hosted by European Council President Charles "
             "Michel. The talks lasted five hours.")
MEETING_B = ("Aliyev and Pashinyan held talks in Brussels on July 15, the European Council "
             "said. European Council President Charles Michel chaired the meeting.")
MEETING_LATER = ("Azerbaijani President Ilham Aliyev and Armenian Prime Minister Nikol Pashinyan "
                 "met in Brussels on Saturday for talks hosted by European Council President "
                 "Charles Michel, a week after their previous meeting.")


def _jsonl(path, *reports):
    path.write_text("".join(json.dumps(r) + "\n" for r in reports), encoding="utf-8")
    return str(path)


def _incidents(db):
    with Store(db, read_only=True) as store:
        return list(store.records(["incident"]))


def test_two_outlets_telling_one_meeting_give_one_incident_with_both_sources(tmp_path, settings):
    inputs = _jsonl(tmp_path / "in.jsonl",
                    {"id": "a", "outlet": "Wire One", "published": "2023-07-16", "text": MEETING_A},
                    {"id": "b", "outlet": "Wire Two", "published": "2023-07-15", "text": MEETING_B})
    db = str(tmp_path / "s.duckdb")
    ingest([inputs], settings=settings.updated(db=db))
    meetings = [i for i in _incidents(db) if i["type"] == "CONSULT"]
    assert len(meetings) == 1
    meeting = meetings[0]
    assert meeting["outlets"] == ["Wire One", "Wire Two"] and meeting["sources"] == 2
    assert meeting["date"]["value"] == "2023-07-15" and not meeting["disputed"]
    with Store(db, read_only=True) as store:
        events = [e for e in store.records(["event"]) if e["type"] == "CONSULT"]
    assert {e["incident"] for e in events} == {meeting["id"]} and len(events) == 2


def test_the_same_leaders_meeting_a_week_apart_are_two_incidents(tmp_path, settings):
    inputs = _jsonl(tmp_path / "in.jsonl",
                    {"id": "a", "outlet": "Wire One", "published": "2023-07-16", "text": MEETING_A},
                    {"id": "c", "outlet": "Wire Two", "published": "2023-07-23",
                     "text": MEETING_LATER})
    db = str(tmp_path / "s.duckdb")
    ingest([inputs], settings=settings.updated(db=db))
    meetings = [i for i in _incidents(db) if i["type"] == "CONSULT"]
    assert sorted(m["date"]["value"] for m in meetings) == ["2023-07-15", "2023-07-22"]


def test_a_report_added_later_joins_the_incident_and_a_repeat_adds_nothing(tmp_path, settings):
    db = str(tmp_path / "s.duckdb")
    first = _jsonl(tmp_path / "a.jsonl",
                   {"id": "a", "outlet": "Wire One", "published": "2023-07-16", "text": MEETING_A})
    second = _jsonl(tmp_path / "b.jsonl",
                    {"id": "b", "outlet": "Wire Two", "published": "2023-07-15", "text": MEETING_B})
    ingest([first], settings=settings.updated(db=db))
    before = [i for i in _incidents(db) if i["type"] == "CONSULT"]
    ingest([second], settings=settings.updated(db=db))
    after = [i for i in _incidents(db) if i["type"] == "CONSULT"]
    assert len(before) == len(after) == 1 and before[0]["id"] == after[0]["id"]
    assert before[0]["sources"] == 1 and after[0]["sources"] == 2
    ingest([second], settings=settings.updated(db=db))
    assert _incidents(db) == [i for i in _incidents(db)]
    assert [i for i in _incidents(db) if i["type"] == "CONSULT"] == after


def _event(doc, type_, date, actor, recipient, status="occurred", place=None):
    return {"id": f"e-{doc}", "doc": doc, "type": type_, "status": status,
            "date": {"value": date, "precision": "day"} if date else None,
            "actor": [{"id": a.lower(), "code": a} for a in actor],
            "recipient": [{"id": r.lower(), "code": r} for r in recipient],
            "mediator": [], "location": {"name": place} if place else None}


def test_sources_that_disagree_on_who_attacked_whom_make_a_disputed_incident():
    events = [_event("d1", "ASSAULT", "2023-09-19", ["AZE"], ["ARM"], place="Karabakh"),
              _event("d2", "ASSAULT", "2023-09-19", ["ARM"], ["AZE"], place="Karabakh")]
    incidents: list[Incident] = []
    fuse(events, incidents, {"d1": "One", "d2": "Two"})
    assert len(incidents) == 1
    record = incidents[0].record()
    assert record["disputed"] and record["sources"] == 2
    fields = {v["field"] for v in record["versions"]}
    assert fields == {"actor", "recipient"}
    assert {tuple(v["docs"]) for v in record["versions"] if v["field"] == "actor"} == \
        {("d1",), ("d2",)}


def test_whether_it_happened_is_a_dispute_but_a_plan_then_the_act_is_not():
    said = [_event("d1", "CONSULT", "2023-10-05", ["ARM"], ["AZE"]),
            _event("d2", "CONSULT", "2023-10-05", ["ARM"], ["AZE"], status="negated")]
    planned = [_event("d3", "CONSULT", "2023-10-05", ["ARM"], ["AZE"], status="future"),
               _event("d4", "CONSULT", "2023-10-05", ["ARM"], ["AZE"])]
    disputed, agreed = [], []
    fuse(said, disputed)
    fuse(planned, agreed)
    assert disputed[0].record()["disputed"]
    assert not agreed[0].record()["disputed"] and agreed[0].record()["status"] == "occurred"


def test_statements_by_different_speakers_the_same_day_stay_apart():
    events = [_event("d1", "SUPPORT", "2021-06-12", ["GEO"], ["AZE"], place="Baku"),
              _event("d2", "SUPPORT", "2021-06-12", ["AZE"], ["GEO"], place="Baku")]
    incidents: list[Incident] = []
    fuse(events, incidents)
    assert len(incidents) == 2


def test_dates_agree_at_their_precision():
    day = {"value": "2023-10-05", "precision": "day"}
    assert dates_agree(day, {"value": "2023-10-06", "precision": "day"})
    assert not dates_agree(day, {"value": "2023-10-12", "precision": "day"})
    assert dates_agree(day, {"value": "2023-10", "precision": "month"})
    assert not dates_agree(day, {"value": "2023-11", "precision": "month"})
    assert not dates_agree(day, None)


def test_export_writes_incidents_at_their_own_level(tmp_path, settings, capsys):
    inputs = _jsonl(tmp_path / "in.jsonl",
                    {"id": "a", "outlet": "Wire One", "published": "2023-07-16", "text": MEETING_A},
                    {"id": "b", "outlet": "Wire Two", "published": "2023-07-15", "text": MEETING_B})
    db = str(tmp_path / "s.duckdb")
    ingest([inputs], settings=settings.updated(db=db))
    capsys.readouterr()
    assert main(["export", "--db", db, "--level", "incidents"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records and {r["kind"] for r in records} == {"incident"}
    assert any(r["sources"] == 2 for r in records)
    assert main(["export", "--db", db, "--level", "incidents", "--format", "csv",
                 "-o", str(tmp_path / "csv")]) == 0
    assert (tmp_path / "csv" / "incidents.csv").read_text().startswith("kind,id,type")



def _meeting(doc, event_id, actors, recipients=()):
    return {"id": event_id, "doc": doc, "type": "CONSULT", "status": "occurred",
            "date": {"value": "2021-11-26", "precision": "day"},
            "location": {"name": "Sochi", "country": "RUS"},
            "actor": [{"code": c} for c in actors], "recipient": [{"code": c} for c in recipients]}


def test_an_event_joins_the_incident_it_fits_best_not_the_most_reported():
    """One summit day, two meetings: the three leaders together (told by two
    outlets) and Putin's talks with Pashinyan alone. A third report's talks
    of Putin with Pashinyan are the second meeting, though the first has
    more sources."""
    incidents: list[Incident] = []
    fuse([_meeting("a", "a1", ["ARM", "AZE"], ["RUS"]), _meeting("a", "a2", ["RUS"], ["ARM"]),
          _meeting("b", "b1", ["ARM", "AZE"], ["RUS"])], incidents)
    summit = next(i for i in incidents if "a1" in {e["id"] for e in i.events})
    bilateral = next(i for i in incidents if "a2" in {e["id"] for e in i.events})
    assert len(summit.outlets) == 2 and len(bilateral.outlets) == 1
    third = _meeting("c", "c1", ["RUS"], ["ARM"])
    fuse([third], incidents)
    assert third["incident"] == bilateral.id
