"""The views that answer an analyst's questions (issue 19), on the real seeds
and dev corpus: what each answer holds, before any browser draws it."""

from __future__ import annotations

import re

import pytest

from peacetrack import questions, views
from peacetrack.profile import load_profile
from peacetrack.report import render_report
from peacetrack.store import Store

CAUCASUS = views.Filters(process="south-caucasus")


@pytest.fixture(scope="module")
def profile():
    return load_profile("all")


@pytest.fixture(scope="module")
def store(real_store):
    with Store(real_store, read_only=True) as store:
        yield store


def test_every_track_event_is_counted_dated_or_not_and_only_its_process(store, profile):
    m = questions.mediation(store, profile, CAUCASUS)
    assert [lane["name"] for lane in m["lanes"]] == ["Moscow (Russia)", "Brussels (EU)", "Washington (US)"]
    tracked = views.tracks(store, profile, CAUCASUS)
    assert sum(lane["total"] for lane in m["lanes"]) == len(tracked["items"]) + tracked["undated_total"]
    assert sum(lane["undated"] for lane in m["lanes"]) == tracked["undated_total"] > 0
    assert {e["process"] for e in m["events"]} == {"south-caucasus"}
    for year, active in m["active"].items():
        assert active == [lane["name"] for lane in m["lanes"] if lane["counts"].get(year)]


def test_mediated_events_name_their_mediators(store, profile):
    m = questions.mediation(store, profile)
    assert m["events"] and all(e["mediators"] or e["tracks"] for e in m["events"])
    lane_ids = [lane["id"] for lane in m["lanes"]]
    assert len(lane_ids) == len(set(lane_ids))  # "washington" is a track of two processes


def test_no_event_is_dropped_from_the_timeline(store, profile):
    tl = views.timeline(store, profile)
    assert tl["total"] + tl["undated_total"] == views.count_events(store, profile)
    assert len(tl["undated"]) == tl["undated_total"] > 0
    assert all(e["date"] is None for e in tl["undated"])


def test_a_position_history_rolls_people_up_to_their_state_not_to_rebels(store, profile):
    h = questions.position_history(store, profile, "azerbaijan", "lachin-corridor")
    assert h["issue"]["statement"] == "unimpeded passage of people and goods on the Lachin corridor"
    assert all(step["by"] != "Karabakh authorities" for step in h["steps"])  # AZE REB is not Azerbaijan
    told = " ".join(e["sentence"] for e in h["events"])
    assert "urged Azerbaijan to reopen the Lachin Corridor" in told
    aliyev = questions.position_history(store, profile, "azerbaijan", "peace-treaty")
    assert "Ilham Aliyev" in {s["by"] for s in aliyev["steps"]}
    alone = questions.position_history(store, profile, "azerbaijan", "peace-treaty", rollup=False)
    assert len(alone["steps"]) < len(aliyev["steps"])
    assert [s["date"] or "9999" for s in aliyev["steps"]] == sorted(s["date"] or "9999" for s in aliyev["steps"])
    steps = aliyev["steps"]
    assert [s["changed"] for s in steps] == [  # a dated step unlike the dated one before it
        bool(i and s["date"] and steps[i - 1]["date"] and s["position"] != steps[i - 1]["position"])
        for i, s in enumerate(steps)]


def test_what_russia_said_on_the_eu_and_its_mission(store, profile):
    h = questions.position_history(store, profile, "russia", "eu-mission-armenia")
    assert h["issue"]["name"] == "EU monitoring mission in Armenia (EUMA)"
    if not h["steps"]:  # then the issues Russia did take positions on, EU mediation among them
        assert "mediation-brussels" in [o["id"] for o in h["other_issues"]]
    brussels = questions.position_history(store, profile, "russia", "mediation-brussels")
    assert any("Brussels" in s["evidence"] for s in brussels["steps"])
    assert {s["by"] for s in brussels["steps"]} <= {"Russia", "Sergey Lavrov", "Vladimir Putin", "Maria Zakharova"}


def test_disputed_incidents_carry_each_sources_version(store, profile):
    found = questions.incidents(store, profile)
    assert found["disputed"] >= 1
    for incident in found["items"]:
        assert incident["reports"] >= 2 and len(incident["events"]) >= 2
        if incident["disputed"]:
            assert len(incident["versions"]) >= 2
            assert all(v["sources"] and v["value"] for v in incident["versions"])


@pytest.mark.parametrize("words, inside, outside", [
    ("mission", "civilian EU mission", "Commission"),
    ("EU mission", "a civilian EU mission alongside", "EU civilian mission"),
])
def test_search_is_by_whole_words(store, profile, words, inside, outside):
    found = views.search(store, words)
    hits = [m["match"] for r in found["reports"] for m in r["matches"]]
    assert hits and all(re.fullmatch(r"\s+".join(words.split()), h, re.IGNORECASE) for h in hits)
    sentences = [e["sentence"] for e in views.events(store, profile, views.Filters(q=words), limit=None)]
    assert all(re.search(rf"(?<!\w){words}(?!\w)", s, re.IGNORECASE) for s in sentences)
    pattern = views.word_regex(words)
    assert store.query("SELECT regexp_matches(?, ?), regexp_matches(?, ?)",
                       [inside, pattern, outside, pattern])[0] == (True, False)


def test_the_report_names_no_local_path_and_stays_light(store, profile):
    html = render_report(store, profile)
    assert "/work/" not in html and "/shared/" not in html and "/tmp/" not in html
    assert len(html.encode()) <= 2_500_000


def test_counts_over_time_hold_every_event_or_say_why_not(store, profile):
    c = views.counts(store, profile)
    by_month = sum(r["count"] for r in c["month"])
    assert by_month + c["year_only"] + c["undated"] == views.count_events(store, profile)
    assert sum(r["count"] for r in c["week"]) <= by_month
    assert {r["quad"] for r in c["month"]} <= set(views.QUADS)
    assert all(len(r["period"]) == 7 for r in c["month"]) and all(len(r["period"]) == 10 for r in c["week"])
