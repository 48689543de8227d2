"""The learned layer: models as data, the decision on candidates, the merging
of mentions, and what `explain` says about a record."""

from __future__ import annotations

import json

import pytest

from peacetrack.cli import main
from peacetrack.learned import LinearModel, load_models
from peacetrack.mentions import merge

from .conftest import seed


def _events(analyzer, text: str, published: str = "2023-07-17"):
    from peacetrack.ingest import RawReport
    from peacetrack.pipeline import prepare

    document = prepare(RawReport(source="t", published=published, text=text))
    return next(analyzer.analyse([document])).events


MEETING = ("Aliyev and Pashinyan met in Brussels on Saturday, in talks hosted by European "
           "Council President Charles Michel.\n\nThe meeting lasted five hours, officials said.\n\n"
           "Michel said the leaders had agreed to meet again in July.")


def test_the_shipped_models_load_and_say_what_they_came_from():
    models = load_models("default")
    assert set(models) == {"events", "mentions"}
    for model in models.values():
        assert len(model.meta["data_hash"]) == 64
        assert model.meta["cross_validation"]["folds"] >= 5
    assert load_models("none") == {}


def test_a_model_scores_every_class_and_survives_its_file(tmp_path):
    model = LinearModel(classes=["a", "b"], weights={"x": [0.0, 2.0]}, bias=[0.5, 0.0],
                        params={"threshold": 0.3}, meta={"name": "t", "data_hash": "0" * 64})
    scores = model.scores(["x", "unknown"])
    assert scores["b"] > scores["a"] and abs(sum(scores.values()) - 1) < 1e-9
    model.save(tmp_path / "t.json")
    again = LinearModel.from_json(json.loads((tmp_path / "t.json").read_text()))
    assert again.scores(["x"]) == pytest.approx(scores)
    assert again.name == "t@000000000000"


def test_training_the_same_rows_gives_the_same_model():
    from peacetrack.train import PAIR_CLASSES, fit

    rows = [(["type=CONSULT", "same_sentence=True"], "same", 1.0),
            (["type=CONSULT", "same_sentence=False"], "different", 1.0),
            (["type=AGREE", "same_sentence=False"], "different", 1.0),
            (["type=AGREE", "same_sentence=True"], "same", 1.0)]
    first, second = fit(rows, PAIR_CLASSES, 1.0), fit(rows, PAIR_CLASSES, 1.0)
    assert first.to_json() == second.to_json()
    assert first.scores(["same_sentence=True"])["same"] > 0.5


def test_the_mentions_of_one_meeting_are_one_record_with_its_facts(coder):
    consults = [e for e in _events(coder, MEETING) if e.type == "CONSULT"]
    assert len(consults) == 1
    meeting = consults[0]
    assert {a.id for a in meeting.actor} == {"ilham-aliyev", "nikol-pashinyan"}
    assert {m.id for m in meeting.mediator} == {"charles-michel"}
    assert meeting.location is not None and meeting.location.name == "Brussels"
    assert meeting.date is not None and meeting.date.value == "2023-07-15"
    told = [m["sentence"] for m in meeting.mentions]
    assert any("lasted five hours" in s for s in told)


def test_without_merging_each_mention_is_a_record(analyzer):
    consults = [e for e in _events(analyzer, MEETING) if e.type == "CONSULT"]
    assert len(consults) >= 2  # "met", "talks hosted", "the meeting"
    assert len([e for e in merge(consults) if e.type == "CONSULT"]) == 1


def test_an_agreement_to_meet_is_not_merged_into_the_meeting(coder):
    types = sorted(e.type for e in _events(coder, MEETING))
    assert types.count("CONSULT") == 1 and "AGREE" in types


def test_every_event_says_which_rule_and_model_decided_it(coder):
    for event in _events(coder, MEETING):
        rules = [step["by"] for step in event.decided_by]
        assert rules[0].startswith("trigger:") and event.trigger
        model = [step for step in event.decided_by if step["by"].startswith("events@")]
        assert model and 0 <= model[0]["score"] <= 1 and len(model[0]["top"]) == 3


def test_explain_prints_the_rules_and_scores_behind_a_stored_event(tmp_path, capsys):
    db = str(tmp_path / "s.duckdb")
    assert main(["ingest", str(seed("004")), "--db", db, "--quiet"]) == 0
    capsys.readouterr()
    assert main(["export", "--db", db]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    event = next(r for r in records if r["kind"] == "event" and r["mentions"])
    assert main(["explain", event["id"][:10], "--db", db]) == 0
    out = capsys.readouterr().out
    assert event["type"] in out and "trigger:" in out and "events@" in out
    assert "merge:same-event" in out and "also told:" in out
    assert main(["explain", "e-nothing", "--db", db]) == 2
    capsys.readouterr()
    # quotes and stances say how they were found too
    quote = next(r for r in records if r["kind"] == "quote" and r["speaker"])
    assert main(["explain", quote["id"], "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"quote {quote['id']}") and "speaker:" in out
    assert "quote:direct" in out or "quote:indirect" in out
    stance = next(r for r in records if r["kind"] == "stance")
    assert main(["explain", stance["id"][:10], "--db", db, "--format", "json"]) == 0
    steps = json.loads(capsys.readouterr().out)["decided_by"]
    assert [s["by"].split(":")[0] for s in steps] == ["issue", "holder"]
