"""The Python API: peacetrack.analyse returns SPEC §2 records for a string."""

from __future__ import annotations

import peacetrack


def test_analyse_returns_document_and_sourced_events():
    text = ("Azerbaijani President Ilham Aliyev and Armenian Prime Minister Nikol Pashinyan "
            "met in Brussels on Saturday for talks mediated by Charles Michel.")
    records = peacetrack.analyse(text, published="2023-07-16")
    document, *rest = records
    assert document["kind"] == "document" and document["text"] == text
    assert document["published"] == {"value": "2023-07-16", "precision": "day",
                                     "method": "metadata"}
    event = next(r for r in rest if r["kind"] == "event" and r["type"] == "CONSULT")
    assert {a["id"] for a in event["actor"]} == {"ilham-aliyev", "nikol-pashinyan"}
    assert {a["id"] for a in event["mediator"]} == {"charles-michel"}
    assert text[event["span"][0]:event["span"][1]].startswith("Azerbaijani President")
    assert event["date"]["value"] == "2023-07-15"


def test_analyse_is_the_same_for_the_same_text():
    text = "Russia urged Azerbaijan to reopen the Lachin corridor on Tuesday."
    assert peacetrack.analyse(text, published="2023-07-16") == \
        peacetrack.analyse(text, published="2023-07-16")
