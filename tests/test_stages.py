"""The analysis stages declare what they need and set (stages.py), and keep to it."""

from __future__ import annotations

import copy

import pytest

from peacetrack.analysis import STAGES
from peacetrack.ingest import RawReport, read_inputs
from peacetrack.pipeline import prepare
from peacetrack.stages import OrderError, Work, check_order, writers

from .conftest import SEEDS

EVENT_FIELDS = ("type", "mode", "status", "date", "location", "actor", "recipient", "mediator",
                "mentions")
WHOLE = ("references", "actors", "events", "quotes", "links", "stances")


def test_a_stage_moved_before_what_it_needs_is_refused():
    by_name = {s.name: s for s in STAGES}
    order = [s for s in STAGES if s.name != "dates"]
    order.insert([s.name for s in order].index("events"), by_name["dates"])
    with pytest.raises(OrderError, match="'dates' needs events"):
        check_order(order)


def test_the_rewrites_that_remain_are_listed():
    rewritten = writers(STAGES)
    assert rewritten["events.status"] == ["events", "dates"]  # historical comes from the date
    assert rewritten["events.type"] == ["events", "decision"]  # the rules', then the model's


def _snapshot(work: Work) -> dict:
    shot = {name: id(getattr(work, name)) for name in WHOLE}
    shot["document.published"] = work.document.published
    shot["event fields"] = {id(e): {f: copy.deepcopy(getattr(e, f)) for f in EVENT_FIELDS}
                            for e in work.events}
    return shot


def _changed(before: dict, after: dict) -> set[str]:
    changed = {name for name in (*WHOLE, "document.published") if before[name] != after[name]}
    for key, fields in before["event fields"].items():
        now = after["event fields"].get(key)
        if now is not None:
            changed |= {f"events.{f}" for f in EVENT_FIELDS if fields[f] != now[f]}
    return changed


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_each_stage_changes_only_what_it_declares(coder, path):
    """Run on a real report one stage at a time: what each stage changed of the
    work (a part replaced, a field of an event that was there before) is among
    what it declares it sets."""
    raw = next(i for i in read_inputs([str(path)], max_bytes=10_000_000)
               if isinstance(i, RawReport))
    document = prepare(raw)
    doc = coder.nlp(document.text)
    seen: set[str] = set()

    def check(stage, work, run) -> None:
        before = _snapshot(work)
        run()
        changed = _changed(before, _snapshot(work))
        assert changed <= stage.sets, f"{stage.name} changed {sorted(changed - stage.sets)}"
        seen.update(changed)

    coder.analyse_doc(document, doc, watch=check)
    assert {"events", "events.date", "events.location", "quotes"} <= seen  # the stages did work
