"""The dashboard server (uvicorn) over HTTP, no browser: routes, paging, caching,
concurrent clients, and a store being written meanwhile."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from peacetrack.errors import StoreError
from peacetrack.profile import load_profile
from peacetrack.store import Store
from peacetrack.web import Dashboard, make_server
from tests.browser import sample
from tests.conftest import ROOT

# A second process writes to the store and keeps it open (DuckDB: one writer,
# no readers beside it), as an ingest does between two batches, until told to stop.
HOLDER = """
import sys
from peacetrack.store import Store
from tests.browser import sample
store = Store(sys.argv[1])
more = sample.analyses()[1]
more.document.id, more.document.text = "d-more", more.document.text + " Again."
for event in more.events:
    event.id, event.doc = event.id + "-more", "d-more"
more.quotes, more.stances = [], []
store.write([more])
store.db.execute("CHECKPOINT")
print("holding", flush=True)
sys.stdin.readline()
store.close()
"""


@pytest.fixture
def server(tmp_path):
    db = sample.build(tmp_path / "s.duckdb")
    server = make_server(db, load_profile("south-caucasus"), port=0, wait=0.3)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", db
    server.shutdown()
    server.server_close()


def get(url: str) -> tuple[int, dict | str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read().decode()
            status = response.status
            kind = response.headers["Content-Type"]
    except urllib.error.HTTPError as exc:
        body, status, kind = exc.read().decode(), exc.code, exc.headers["Content-Type"]
    return status, json.loads(body) if kind.startswith("application/json") else body


def test_the_page_and_its_scripts_are_served_from_this_machine(server):
    url, _ = server
    status, page = get(url + "/")
    assert status == 200 and 'src="static/plotly.min.js"' in page and "connect-src 'self'" in page
    assert get(url + "/static/plotly.min.js")[0] == 200
    assert get(url + "/static/world_50m.json")[0] == 200
    assert get(url + "/static/../../etc/passwd")[0] == 404
    assert get(url + "/nowhere")[0] == 404


@pytest.mark.parametrize("query, events", [
    ("", 3), ("type=ASSAULT", 0), ("type=verbal-conflict", 2), ("actor=armenia&start=2024-01-01", 1),
    ("issue=lachin-corridor", 1), ("source=Demo+Wire", 2),
])
def test_filters_change_the_counts(server, query, events):
    status, view = get(f"{server[0]}/api/view?{query}")
    assert status == 200 and view["overview"]["counts"]["events"] == events


def test_options_documents_report_view_and_search(server):
    url, _ = server
    options = get(url + "/api/options")[1]
    assert {"armenia", "azerbaijan"} <= {a["id"] for a in options["actors"]}
    assert "Demo Wire" in options["sources"] and options["issues"][0]["id"] == "peace-treaty"
    documents = get(url + "/api/documents")[1]
    assert documents["total"] == 3 and documents["items"][0]["id"] == "d-hostile"  # newest first
    assert [d["id"] for d in get(url + "/api/documents?offset=1&limit=1")[1]["items"]] == ["d-brussels"]
    doc = get(url + "/api/doc/d-hostile")[1]
    assert doc["text"] == sample.HOSTILE_TEXT and doc["spans"][0]["id"] == "e-d-hostile-1"
    assert get(url + "/api/doc/d-missing")[0] == 404
    found = get(url + "/api/search?q=Lachin")[1]
    assert [r["doc"] for r in found["reports"]] == ["d-brussels"]


def test_the_question_views_are_served(server):
    url, _ = server
    history = get(url + "/api/history?actor=russia&issue=peace-treaty&rollup=1")[1]
    assert [s["position"] for s in history["steps"]] == ["oppose", "support"]  # oldest first
    assert history["steps"][1]["changed"] and history["issue"]["statement"]
    assert get(url + "/api/mediation")[1]["lanes"][1]["counts"] == {"2023": 1}  # Brussels: the Michel meeting
    assert get(url + "/api/incidents")[1] == {"items": [], "corroborated": 0, "disputed": 0}
    assert get(url + "/api/search?q=treat")[1]["reports"] == []  # whole words: not "treaty"


def test_an_ingest_writing_is_never_shown_as_an_error(server):
    url, db = server
    assert get(url + "/api/view")[0] == 200  # read once: the server remembers it
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "holding"
        # the store changed and is held: the last answer, said to be stale
        status, view = get(url + "/api/view")
        assert status == 200 and view["stale"] is True and view["overview"]["counts"]["events"] == 3
        status, busy = get(url + "/api/documents")  # never read before: a calm 503, retried by the page
        assert status == 503 and busy["busy"] is True and "lock" not in busy["message"].lower()
    finally:
        holder.communicate("\n", timeout=10)
    # released: a refresh shows the new records
    status, view = get(url + "/api/view")
    assert status == 200 and "stale" not in view and view["overview"]["counts"]["events"] == 5


def test_a_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="peacetrack ingest"):
        make_server(tmp_path / "none.duckdb", None, port=0)


def test_the_store_can_be_released_between_batches(tmp_path):
    db = sample.build(tmp_path / "s.duckdb")
    with Store(db) as writer:
        with writer.released():
            with Store(db, read_only=True) as reader:  # possible only while released
                assert reader.count("events") == 3
        assert writer.count("events") == 3


def test_charts_pages_and_records_have_their_own_routes(server):
    url, _ = server
    assert get(url + "/api/network")[1]["actors_total"] == 5
    assert get(url + "/api/timeline?type=verbal-conflict")[1]["total"] == 2
    assert len(get(url + "/api/places")[1]) == 2
    page = get(url + "/api/events?limit=2")[1]
    assert (page["total"], [e["id"] for e in page["items"]]) == (3, ["e-d-hostile-1", "e-d-brussels-1"])
    older = get(url + "/api/events?limit=2&offset=2&source=Demo+Wire")[1]
    assert (older["total"], len(older["items"])) == (2, 0)
    found = get(url + "/api/records?ids=q-lavrov,e-d-hostile-1")[1]
    assert [r["kind"] for r in found] == ["quote", "event"]
    assert get(url + "/api/events?limit=x")[0] == 400
    assert get(url + "/api/nothing")[0] == 404


def test_answers_are_cached_until_the_store_changes(tmp_path):
    db = sample.build(tmp_path / "s.duckdb")
    dashboard = Dashboard(db, load_profile("south-caucasus"))
    calls = []

    def count(store):
        calls.append(1)
        return store.count("events")

    assert dashboard.read("n", count) == (3, {}) and dashboard.read("n", count) == (3, {})
    assert len(calls) == 1
    more = sample.analyses()[1]
    more.document.id = "d-again"
    for event in more.events:
        event.id = event.id + "-again"
    more.quotes, more.stances = [], []
    with Store(db) as store:
        store.write([more])
    assert dashboard.read("n", count) == (5, {}) and len(calls) == 2


def test_several_clients_at_once_get_the_same_answers(server):
    url, _ = server
    paths = ["/api/view", "/api/options", "/api/events?offset=1", "/api/doc/d-brussels",
             "/api/view?type=verbal-conflict", "/api/search?q=treaty"] * 4
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda p: get(url + p), paths))
    assert all(status == 200 for status, _ in answers)
    assert len({json.dumps(body, sort_keys=True) for body in answers[::6]}) == 1


def test_without_the_serve_extra_the_message_says_what_to_install(tmp_path):
    db = sample.build(tmp_path / "s.duckdb")
    script = ("import sys; sys.modules['uvicorn'] = None; sys.modules['starlette'] = None\n"
              "from peacetrack.cli import main\n"
              f"sys.exit(main(['serve', '--db', {str(db)!r}, '--port', '0']))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "pip install 'peacetrack[serve]'" in done.stderr
