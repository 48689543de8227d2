"""The shared view queries and the self-contained HTML report (no browser)."""

from __future__ import annotations

import base64
import gzip
import json
import re

import pytest

from peacetrack import views
from peacetrack.cli import main
from peacetrack.profile import load_profile
from peacetrack.report import json_for_script, render_report
from peacetrack.store import Store
from tests.browser import sample


@pytest.fixture(scope="module")
def profile():
    return load_profile("south-caucasus")


@pytest.fixture
def store(tmp_path):
    with Store(sample.build(tmp_path / "s.duckdb"), read_only=True) as store:
        yield store


def test_the_views_hold_every_mark_the_charts_draw(store, profile):
    data = views.dashboard(store, profile)
    assert data["timeline"]["granularity"] == "event"  # a small store: one mark per event
    assert len([e for e in data["timeline"]["events"] if e["date"]]) == sample.EXPECTED_MARKS["timeline"]
    assert len(data["tracks"]["items"]) == sample.EXPECTED_MARKS["tracks"]
    assert len(data["network"]["nodes"]) == sample.EXPECTED_MARKS["network"]
    assert len(data["places"]) == sample.EXPECTED_MARKS["map"]
    assert len(data["stances"]["cells"]) == sample.EXPECTED_MARKS["stances"]
    assert len(data["quotes"]) == sample.EXPECTED_MARKS["quotes"]
    assert data["tracks"]["items"][0]["reason"] == "mediator: Charles Michel"


def test_the_header_says_what_the_record_covers(store, profile):
    o = views.dashboard(store, profile)["overview"]
    assert (o["reports"], o["counts"]["events"], o["counts"]["quotes"], o["counts"]["stances"]) == (3, 3, 1, 2)
    assert o["published"] == {"first": "2022-01-10", "last": "2024-01-10"}
    assert o["events_dates_quality"] == {"day": 2, "coarse": 1, "from_report": 0, "undated": 0}
    assert o["reports_dates"]["given"] == 2 and o["reports_dates"]["from_text"] == 1
    assert o["latest"][0] == "e-d-hostile-1"


@pytest.mark.parametrize("filters, expected", [
    ({}, 3),
    ({"type": "ACCUSE"}, 1),
    ({"type": "verbal-conflict"}, 2),               # a quad category
    ({"actor": "armenia"}, 2),
    ({"issue": "peace-treaty"}, 1),
    ({"source": "Demo Wire"}, 2),
    ({"q": "brussels"}, 1),
    ({"start": "2023-07-20", "end": "2023-07-31"}, 1),  # the month-precise event overlaps
    ({"start": "2024-01-01"}, 1),
])
def test_filters_narrow_the_events(store, profile, filters, expected):
    narrowed = views.Filters(**filters)
    assert len(views.events(store, profile, narrowed)) == expected
    assert views.overview(store, profile, narrowed)["counts"]["events"] == expected


def test_the_stance_matrix_keeps_the_latest_position_and_its_history(store, profile):
    cell = views.stances(store, profile)["cells"][0]
    assert (cell["actor"], cell["issue"], cell["position"]) == ("russia", "peace-treaty", "support")
    assert [h["position"] for h in cell["history"]] == ["oppose", "support"]
    assert cell["changed"] is True


def test_the_network_weighs_edges_and_tells_cooperation_from_conflict(store, profile):
    net = views.network(store, profile)
    edges = {(e["source"], e["target"]): e for e in net["edges"]}
    assert edges[("azerbaijan", "armenia")]["polarity"] == "conflict"
    assert edges[("azerbaijan", "armenia")]["directed"] is True
    assert edges[("ilham-aliyev", "nikol-pashinyan")]["directed"] is False  # met together
    assert edges[("charles-michel", "ilham-aliyev")]["types"] == {"CONSULT": 1}
    assert edges[("azerbaijan", "armenia")]["ids"] == ["e-d-brussels-2"]  # each mark leads to its events
    assert all(-1 <= n["x"] <= 1 and -1 <= n["y"] <= 1 for n in net["nodes"])


def test_the_layout_is_deterministic():
    edges = [("a", "b", 2), ("b", "c", 1), ("c", "a", 1), ("d", "e", 1)]
    first = views.spring_layout(list("abcde"), edges)
    assert first == views.spring_layout(list("abcde"), edges)
    assert len({pos for pos in first.values()}) == 5


def test_a_report_view_has_every_span(store):
    doc = views.document(store, "d-brussels")
    assert {s["kind"] for s in doc["spans"]} == {"event", "quote", "stance"}
    quote = next(s for s in doc["spans"] if s["kind"] == "quote")
    assert doc["text"][quote["span"][0]:quote["span"][1]].startswith("We support")
    assert views.document(store, "d-missing") is None


def test_search_finds_quotes_and_passages(store):
    found = views.search(store, "PEACE treaty")
    assert [q["id"] for q in found["quotes"]] == ["q-lavrov"]
    spans = [m["span"] for r in found["reports"] for m in r["matches"]]
    assert len(spans) == 3 and views.search(store, "  ")["reports"] == []


def test_the_report_is_self_contained_and_escapes_report_text(store, profile):
    html = render_report(store, profile)
    assert not re.search(r"<script[^>]+src=", html)  # no external script, no CDN
    markup = re.sub(r"(?s)(<script[^>]*>).*?</script>", r"\1</script>", html)
    assert not re.search(r"""(?:src|href)=["']?https?://""", markup)
    assert "plotly.js (geo - minified) v3" in html and "PlotlyGeoAssets" in html
    data = _unpacked(html, "pt-data")
    assert "<script>window.__pwned" in data["docs"]["d-hostile"]["text"]  # the text is there...
    assert "window.__pwned" not in html  # ...packed, never as markup
    assert "<b>Hostile</b>" not in html
    assert "Content-Security-Policy" in html


def _unpacked(html: str, name: str):
    """A block the report packs (gzip, then base64), as the page unpacks it."""
    found = re.search(rf'<script id="{name}" type="application/gzip\+base64">([A-Za-z0-9+/=]*)</script>', html)
    return json.loads(gzip.decompress(base64.b64decode(found.group(1))))


def test_the_report_packs_its_data_and_base_map(store, profile):
    html = render_report(store, profile)
    assert _unpacked(html, "pt-geo")["world_50m"]["type"] == "Topology"
    view = _unpacked(html, "pt-data")["view"]
    assert {"mediation", "incidents", "history_records"} <= set(view)
    assert "/" not in "".join(e["path"] for e in view["events"]["items"])  # file names, no local paths


def test_json_for_script_cannot_close_the_script_element():
    text = json_for_script({"x": "</script><script>alert(1)</script>&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text


def test_an_empty_store_gives_an_empty_report(tmp_path, profile):
    with Store(tmp_path / "empty.duckdb") as store:
        data = views.dashboard(store, profile)
        html = render_report(store, profile)
    assert data["events"]["items"] == [] and data["events"]["total"] == 0
    assert data["network"]["nodes"] == [] and data["stances"]["cells"] == []
    assert data["overview"]["published"] == {"first": None, "last": None}
    assert "pt-data" in html


def test_the_report_command_writes_the_file(tmp_path, capsys):
    db = sample.build(tmp_path / "s.duckdb")
    out = tmp_path / "out" / "report.html"
    assert main(["report", "--db", str(db), "-o", str(out)]) == 0
    assert out.stat().st_size > 1_000_000  # the plotting library is inside
    assert str(out) in capsys.readouterr().out


def test_a_page_of_events_says_how_many_there_are(store, profile):
    page = views.events_page(store, profile, limit=2)
    assert (page["total"], len(page["items"])) == (3, 2)
    assert [e["id"] for e in page["items"]] == ["e-d-hostile-1", "e-d-brussels-1"]  # newest first
    rest = views.events_page(store, profile, offset=2, limit=2)
    assert [e["id"] for e in rest["items"]] == ["e-d-brussels-2"]


def test_records_by_id_give_the_evidence_behind_a_mark(store, profile):
    found = views.records(store, profile, ["s-russia-old", "q-lavrov", "e-d-brussels-1", "e-none"])
    assert [(r["kind"], r["id"]) for r in found] == [
        ("stance", "s-russia-old"), ("quote", "q-lavrov"), ("event", "e-d-brussels-1")]
    assert found[1]["text"].startswith("We support")


def test_a_large_selection_is_drawn_per_month(store, profile, monkeypatch):
    monkeypatch.setattr(views, "POINTS", 2)  # as if the store held more than a chart can draw
    timeline = views.timeline(store, profile)
    assert timeline["granularity"] == "month" and timeline["total"] == 3
    assert {(b["period"], b["type"], b["count"]) for b in timeline["bins"]} == {
        ("2023-07", "CONSULT", 1), ("2023-07", "ACCUSE", 1), ("2024-01", "REJECT", 1)}
    tracks = views.tracks(store, profile)
    assert tracks["granularity"] == "event"  # one tracked event: still one mark each


def test_the_issue_filter_reads_the_profile_names_in_the_store(store, profile):
    assert views.issues_in("the Lachin corridor was shut", profile) == ["lachin-corridor"]
    narrowed = views.Filters(issue="lachin-corridor")
    assert [e["id"] for e in views.events(store, profile, narrowed)] == ["e-d-brussels-2"]
    assert views.events(store, profile, views.Filters(issue="no-such-issue")) == []


def test_the_report_is_bounded_and_says_what_it_left_out(tmp_path, profile, monkeypatch):
    from peacetrack import report

    monkeypatch.setattr(report, "REPORT_EVENTS", 1)
    with Store(sample.build(tmp_path / "s.duckdb"), read_only=True) as store:
        data = report.report_data(store, profile)
    scope = data["view"]["scope"]
    assert [e["id"] for e in data["view"]["events"]["items"]] == ["e-d-hostile-1"]
    assert (scope["events"], scope["events_total"], scope["since"]) == (1, 3, "2023-07-01")
    assert "peacetrack serve" in scope["left_out"] and "1 newest events since 2023-07-01" in scope["left_out"]
