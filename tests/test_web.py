"""The dashboard server over HTTP (no browser), and a store being written meanwhile."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest

from peacetrack.errors import StoreError
from peacetrack.profile import load_profile
from peacetrack.store import Store
from peacetrack.web import make_server
from tests.browser import sample

# A second process holds the store open for writing (DuckDB: one writer, no
# readers beside it), as an ingest does, until told to stop.
HOLDER = """
import sys
from peacetrack.store import Store
store = Store(sys.argv[1])
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
    assert len(get(url + "/api/documents")[1]) == 3
    doc = get(url + "/api/doc/d-hostile")[1]
    assert doc["text"] == sample.HOSTILE_TEXT and doc["spans"][0]["id"] == "e-d-hostile-1"
    assert get(url + "/api/doc/d-missing")[0] == 404
    found = get(url + "/api/search?q=Lachin")[1]
    assert [r["doc"] for r in found["reports"]] == ["d-brussels"]


def test_an_ingest_writing_is_never_shown_as_an_error(server):
    url, db = server
    assert get(url + "/api/view")[0] == 200  # read once: the server remembers it
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        status, view = get(url + "/api/view")
        assert status == 200 and view["stale"] is True and view["overview"]["counts"]["events"] == 3
        status, busy = get(url + "/api/options")  # never read before: a calm 503, retried by the page
        assert status == 503 and busy["busy"] is True and "lock" not in busy["message"].lower()
    finally:
        holder.communicate("\n", timeout=10)
    with Store(db) as store:  # new records, then a refresh shows them
        more = sample.analyses()[1]
        more.document.id, more.document.text = "d-more", more.document.text + " Again."
        for event in more.events:
            event.id, event.doc = event.id + "-more", "d-more"
        more.quotes, more.stances = [], []
        store.write([more])
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
