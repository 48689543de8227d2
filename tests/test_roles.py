"""Roles a report leaves to its reader (roles.py), on the demo corpus and on
real reports: what an analyst sees on the event records."""

from __future__ import annotations

from pathlib import Path

import pytest

import peacetrack
from peacetrack.evaluate import analyse_gold
from peacetrack.ingest import RawReport
from peacetrack.pipeline import prepare

from .conftest import DEMO, DEVCORPUS, seed

pytestmark = pytest.mark.usefixtures("analyzer")


def events_of(path: Path, analyzer) -> list[dict]:
    return [r for r in analyse_gold({}, path, analyzer) if r["kind"] == "event"]


def event_at(events: list[dict], phrase: str, trigger: str, type_: str) -> dict:
    found = [e for e in events if phrase in e["sentence"] and trigger in e["trigger"]
             and e["type"] == type_]
    assert found, f"no {type_} {trigger!r} event in a sentence with {phrase!r}"
    return found[0]


def ids(actors: list[dict]) -> set[str]:
    return {a["id"] for a in actors}


def test_an_agreement_after_mediated_talks_is_made_under_that_mediation(analyzer):
    events = events_of(DEMO / "05_brussels_michel_2021.txt", analyzer)
    talks = event_at(events, "talks hosted", "talks hosted", "CONSULT")
    agreed = event_at(events, "railway", "agreed", "AGREE")
    committed = event_at(events, "committed", "committed", "AGREE")
    assert ids(talks["mediator"]) == {"charles-michel"}
    assert ids(agreed["mediator"]) == ids(committed["mediator"]) == {"charles-michel"}
    # an implied role keeps where the report names it
    mediator = agreed["mediator"][0]
    assert mediator["text"] and "Michel" in mediator["text"]


def test_a_mediators_offer_naming_no_one_is_made_to_the_parties(analyzer):
    events = events_of(DEMO / "05_brussels_michel_2021.txt", analyzer)
    ready = event_at(events, "ready to support", "ready", "AGREE")
    assert ids(ready["actor"]) == {"european-union"}
    assert ids(ready["recipient"]) == {"armenia", "azerbaijan"}
    # each party is given with the text the report names it by
    assert all(r["text"] for r in ready["recipient"])


def test_fighting_with_no_one_named_is_between_the_parties(analyzer):
    events = events_of(DEMO / "01_ceasefire_statement_2020.txt", analyzer)
    fighting = event_at(events, "Fighting erupted", "Fighting", "ASSAULT")
    assert ids(fighting["actor"]) == {"armenia", "azerbaijan"}
    assert fighting["recipient"] == []


def test_a_named_actor_is_never_replaced(analyzer):
    events = events_of(DEMO / "06_prague_meeting_2022.html", analyzer)
    shelled = event_at(events, "shelled", "shelled", "ASSAULT")
    assert ids(shelled["actor"]) == {"azerbaijan"}


def test_a_report_naming_one_party_only_implies_nothing():
    text = ("Fighting erupted near Khartoum on Monday, witnesses said.\n"
            "Armenia's foreign ministry called for calm in Sudan.")
    fighting = [r for r in peacetrack.analyse(text)
                if r["kind"] == "event" and r["type"] == "ASSAULT"]
    assert fighting and all(not e["actor"] for e in fighting)


@pytest.mark.parametrize("name", ["16_hurriyet_ukraine_russia_pow_swap.txt",
                                  "21_businesslive_yemen_prisoner_swap.txt"])
def test_a_report_on_another_process_gets_no_armenia_azerbaijan_roles(analyzer, name):
    events = events_of(DEVCORPUS / name, analyzer)
    assert events
    for event in events:
        for role in ("actor", "recipient", "mediator"):
            assert not ids(event[role]) & {"armenia", "azerbaijan"}, event["sentence"]


def test_an_offer_goes_to_the_parties_as_its_sentence_names_them(analyzer):
    events = events_of(seed("001"), analyzer)
    proposed = event_at(events, "proposed to hold a meeting", "proposed", "AGREE")
    assert ids(proposed["actor"]) == {"charles-michel"}
    assert ids(proposed["recipient"]) == {"ilham-aliyev", "nikol-pashinyan"}


def test_a_meeting_told_again_keeps_the_people_who_met(analyzer):
    # dev 02: the leaders' statement, then "the trilateral meeting held in Moscow":
    # the meeting is theirs, not just their states'
    events = events_of(DEVCORPUS / "02_aravot_moscow_trilateral_statement.txt", analyzer)
    meeting = event_at(events, "", "trilateral meeting held", "CONSULT")
    assert ids(meeting["actor"]) == {"ilham-aliyev", "nikol-pashinyan"}


def test_a_mediator_named_among_the_talks_of_both_parties_mediates(analyzer):
    # demo 06: "talks in Prague ... between the leaders of the two countries,
    # French President Emmanuel Macron and European Council President Charles Michel"
    events = events_of(DEMO / "06_prague_meeting_2022.html", analyzer)
    talks = event_at(events, "following late-night talks", "talks", "CONSULT")
    assert ids(talks["mediator"]) == {"emmanuel-macron", "charles-michel"}
    assert ids(talks["actor"]) == {"ilham-aliyev", "nikol-pashinyan"}
    assert talks["mode"] == "third-party"


def test_one_partys_act_aimed_at_no_one_named_is_aimed_at_the_other(analyzer):
    events = events_of(DEMO / "06_prague_meeting_2022.html", analyzer)
    shelled = event_at(events, "shelled towns", "shelled", "ASSAULT")
    assert ids(shelled["actor"]) == {"azerbaijan"}
    assert ids(shelled["recipient"]) == {"armenia"}
    # named in its sentence, the other party keeps that sentence's words
    assert shelled["recipient"][0]["text"] == "Armenia"
    refused = event_at(events_of(DEMO / "03_detainees_minefield_maps_2021.txt", analyzer),
                       "so far refused", "refused", "REJECT")
    assert ids(refused["recipient"]) == {"armenia"}
    # a third actor in the sentence may be the one addressed: nothing is added
    demanded = event_at(events_of(DEMO / "14_peace_text_agreed_2025.txt", analyzer),
                        "Minsk Group", "demanded", "REQUEST")
    assert ids(demanded["recipient"]) in (set(), {"osce-minsk-group"})


def test_an_agreement_after_talks_with_a_mediator_is_made_under_that_mediation(analyzer):
    events = events_of(seed("001"), analyzer)
    agreed = event_at(events, "after telephone talks", "agreed", "AGREE")
    assert ids(agreed["actor"]) == {"ilham-aliyev", "nikol-pashinyan"}
    assert ids(agreed["mediator"]) == {"charles-michel"}
    # the talks themselves are with Michel, not mediated by anyone
    talks = event_at(events, "after telephone talks", "talks", "CONSULT")
    assert ids(talks["recipient"]) == {"charles-michel"} and talks["mediator"] == []


def test_people_no_name_covers_act_for_the_place_where_they_act(analyzer):
    stormed = event_at(events_of(DEMO / "01_ceasefire_statement_2020.txt", analyzer),
                       "angry crowds", "stormed", "PROTEST")
    assert ids(stormed["actor"]) == {"armenia"}
    assert ids(stormed["recipient"]) == {"armenia"}  # their protest is to their government
    crowd = stormed["actor"][0]
    assert crowd["sector"] == "CVL" and crowd["text"] == "angry crowds"
    # a place with a population of its own: the profile says who they are
    rallied = event_at(events_of(seed("004"), analyzer), "6,000 people", "rallied", "PROTEST")
    assert ids(rallied["actor"]) == {"karabakh-armenians"}
    opposition = event_at(events_of(DEMO / "12_border_villages_2024.txt", analyzer),
                          "Opposition politicians", "accused", "ACCUSE")
    assert ids(opposition["actor"]) == {"armenia"} and opposition["actor"][0]["sector"] == "OPP"


def test_a_demand_that_someone_act_is_made_of_them(analyzer):
    # no report of ours says it with a resolvable addressee: a sentence of the seeds' shape
    document = prepare(RawReport(source="t", published="2022-05-01",
                                 text="The opposition demanded that Azerbaijan withdraw its troops."))
    records = next(analyzer.analyse([document])).records()
    demanded = event_at([r for r in records if r["kind"] == "event"], "", "demanded", "REQUEST")
    assert ids(demanded["recipient"]) == {"azerbaijan"}


def test_a_deal_reached_with_no_one_named_is_between_the_states_not_who_led_the_meeting(analyzer):
    events = events_of(DEMO / "12_border_villages_2024.txt", analyzer)
    deal = event_at(events, "deal was reached", "deal", "AGREE")
    # the sentence names the commissions' chairmen, who led the meeting
    assert "Grigoryan" in deal["sentence"]
    assert ids(deal["actor"]) == {"armenia", "azerbaijan"}
    # each state keeps the words the sentence names it by
    assert all(a["text"] in deal["sentence"] for a in deal["actor"])


def test_a_visitor_acts_and_the_host_receives(analyzer):
    events = events_of(seed("001"), analyzer)
    separate = [e for e in events if e["trigger"] == "held separate talks"]
    assert {(frozenset(ids(e["actor"])), frozenset(ids(e["recipient"]))) for e in separate} == {
        (frozenset({"ilham-aliyev"}), frozenset({"vladimir-putin"})),
        (frozenset({"nikol-pashinyan"}), frozenset({"vladimir-putin"}))}
    # a visit to a capital, told with the host named, is a visit to the host
    visit = event_at(events_of(seed("003"), analyzer), "working visit", "visit", "CONSULT")
    assert ids(visit["actor"]) == {"ilham-aliyev"} and ids(visit["recipient"]) == {"vladimir-putin"}


def test_a_meeting_told_again_is_the_earlier_meeting_of_a_party(analyzer):
    events = events_of(seed("000"), analyzer)
    again = event_at(events, "were discussed at the meeting", "meeting", "CONSULT")
    assert ids(again["actor"]) == {"azerbaijan", "karabakh-armenians"}


def test_we_in_a_quote_is_whom_the_speaker_speaks_for(analyzer):
    events = events_of(DEMO / "07_lachin_blockade_2022.txt", analyzer)
    call = event_at(events, "We call on", "call on", "REQUEST")
    assert ids(call["actor"]) == {"united-states"} and call["actor"][0]["text"] == "We"
    # a host of talks, speaking as "we", mediates them
    talks = event_at(events_of(seed("002"), analyzer), "look forward to hosting", "talks", "AGREE")
    assert ids(talks["mediator"]) == {"united-states"}
    assert ids(talks["actor"]) == {"armenia", "azerbaijan"}


def test_agreements_told_after_a_mediated_agreement_share_its_mediators(analyzer):
    events = events_of(DEMO / "06_prague_meeting_2022.html", analyzer)
    agreed = [e for e in events if e["type"] == "AGREE" and "facilitate the EU mission" in e["sentence"]]
    assert len(agreed) == 2
    assert all(ids(e["mediator"]) == {"charles-michel", "emmanuel-macron"} for e in agreed)


def test_we_in_a_quote_wins_over_the_subject_of_the_saying(analyzer):
    offered = event_at(events_of(seed("001"), analyzer), "publicly offered", "offered", "AGREE")
    assert ids(offered["actor"]) == {"azerbaijan"} and offered["actor"][0]["text"] == "We"


def test_a_demand_in_the_imperative_is_the_speakers(analyzer):
    demand = event_at(events_of(seed("003"), analyzer), "Recognize our territorial integrity",
                      "Recognize", "REQUEST")
    assert ids(demand["actor"]) == {"ilham-aliyev"} and ids(demand["recipient"]) == {"armenia"}


def test_a_promise_is_made_to_whom_the_promised_act_is_for(analyzer):
    events = events_of(DEMO / "06_prague_meeting_2022.html", analyzer)
    host = event_at(events, "agreed to host", "agreed", "AGREE")
    assert ids(host["recipient"]) == {"european-union"}
    # and it is still made under the talks' mediation
    assert ids(host["mediator"]) == {"charles-michel", "emmanuel-macron"}
    villages = event_at(events_of(DEMO / "12_border_villages_2024.txt", analyzer),
                        "hand four border villages", "agreed", "AGREE")
    assert ids(villages["recipient"]) == {"azerbaijan"}


def test_talks_on_a_third_partys_premises_are_mediated_by_it(analyzer):
    events = events_of(seed("000"), analyzer)
    met = [e for e in events if e["type"] == "CONSULT" and "headquarters of Russian" in e["sentence"]]
    assert met
    for talks in met:  # both sides talked; the peacekeepers hosted
        assert ids(talks["actor"]) == {"azerbaijan", "karabakh-armenians"}
        assert talks["recipient"] == [] and ids(talks["mediator"]) == {"russian-peacekeepers"}


def test_a_readiness_to_negotiate_with_someone_is_offered_to_them(analyzer):
    ready = event_at(events_of(seed("000"), analyzer), "expressed its readiness", "readiness", "AGREE")
    assert ids(ready["actor"]) == {"azerbaijan"} and ids(ready["recipient"]) == {"karabakh-armenians"}


def test_a_call_has_no_host(analyzer):
    events = events_of(DEMO / "09_karabakh_offensive_exodus_2023.html", analyzer)
    call = event_at(events, "telephone call", "telephone call", "CONSULT")
    assert ids(call["actor"]) == {"ilham-aliyev"} and ids(call["recipient"]) == {"vladimir-putin"}
    assert call["location"] is None  # nor a place taken from the act told before it


def test_a_protest_no_one_is_said_to_hold_is_held_by_the_people_there(analyzer):
    events = events_of(DEVCORPUS / "10_tass_kirants_delimitation_protest.txt", analyzer)
    held = next(e for e in events if e["type"] == "PROTEST" and "being held" in e["trigger"])
    assert ids(held["actor"]) == {"armenia"} and held["actor"][0]["sector"] == "CVL"


def test_an_attack_on_a_place_a_third_side_held_is_aimed_at_that_side(analyzer):
    events = events_of(DEMO / "09_karabakh_offensive_exodus_2023.html", analyzer)
    retook = event_at(events, "retook the region", "retook", "ASSAULT")
    assert ids(retook["actor"]) == {"azerbaijan"}
    assert ids(retook["recipient"]) == {"karabakh-authorities"}


def _events_in(analyzer, text: str, published: str = "2023-05-15") -> list[dict]:
    document = prepare(RawReport(source="t", published=published, text=text))
    return [r for r in next(analyzer.analyse([document])).records() if r["kind"] == "event"]


def test_the_sides_after_a_meeting_are_those_who_met_and_keep_its_mediator(analyzer):
    events = _events_in(analyzer, (
        "Azerbaijani President Ilham Aliyev and Armenian Prime Minister Nikol Pashinyan met "
        "in Brussels on Sunday for talks hosted by European Council President Charles Michel.\n\n"
        "Both sides pledged to keep talking about the border."))
    pledged = event_at(events, "Both sides", "pledged", "AGREE")
    assert ids(pledged["actor"]) == {"ilham-aliyev", "nikol-pashinyan"}
    assert ids(pledged["mediator"]) == {"charles-michel"}
    # the words are the report's own
    assert {a["text"] for a in pledged["actor"]} == {"sides"}


def test_a_mediator_who_signs_with_the_sides_is_actor_and_mediator(analyzer):
    events = _events_in(analyzer, (
        "Azerbaijani President Ilham Aliyev and Armenian Prime Minister Nikol Pashinyan met "
        "in Moscow on Monday for talks hosted by Russian President Vladimir Putin.\n\n"
        "Aliyev and Pashinyan signed a joint statement with Putin after the talks."), "2021-01-12")
    signed = event_at(events, "joint statement", "signed", "SUPPORT")
    assert {"ilham-aliyev", "nikol-pashinyan"} <= ids(signed["actor"])
    assert ids(signed["mediator"]) == {"vladimir-putin"}


def _events(text: str) -> list[dict]:
    return [r for r in peacetrack.analyse(text, published="2023-07-16") if r["kind"] == "event"]


@pytest.mark.parametrize("text, mediator, sides", [
    # a host who convenes others' talks mediates them; the guests are the actors
    ("Putin hosted talks between Aliyev and Pashinyan in Sochi on Friday.",
     {"vladimir-putin"}, {"ilham-aliyev", "nikol-pashinyan"}),
    # the subject of a mediation verb whose object is the talks mediates them
    ("Norway facilitated talks between the Colombian government and the ELN in Oslo.",
     {"norway"}, {"colombia", "eln"}),
    ("Qatar and Egypt mediated talks between Israel and Hamas in Cairo.",
     {"qatar", "egypt"}, {"israel", "hamas"}),
])
def test_whoever_convenes_others_talks_is_their_mediator(text, mediator, sides):
    talks = [e for e in _events(text) if e["type"] == "CONSULT"]
    assert len(talks) == 1
    assert ids(talks[0]["mediator"]) == mediator
    assert ids(talks[0]["actor"]) == sides and talks[0]["recipient"] == []


def test_a_mediator_who_signs_with_both_parties_acts_and_still_mediates():
    text = ("Azerbaijani President Ilham Aliyev, Armenian Prime Minister Nikol Pashinyan and "
            "Russian President Vladimir Putin signed a joint statement in Moscow on Monday.")
    signed = [e for e in _events(text) if e["type"] == "SUPPORT"]
    assert len(signed) == 1
    assert ids(signed[0]["actor"]) == {"ilham-aliyev", "nikol-pashinyan", "vladimir-putin"}
    assert ids(signed[0]["mediator"]) == {"vladimir-putin"}


def test_a_third_party_taking_part_in_an_act_of_others_mediates_it():
    text = ("Azerbaijan handed over 15 detained Armenians to Armenia with the participation "
            "of Georgian representatives on Saturday.")
    handed = [e for e in _events(text) if e["type"] == "RETREAT"]
    assert len(handed) == 1
    assert ids(handed[0]["actor"]) == {"azerbaijan"} and ids(handed[0]["recipient"]) == {"armenia"}
    assert ids(handed[0]["mediator"]) == {"georgia"}


def test_the_leaders_after_a_meeting_are_the_people_who_met_not_the_mediator(analyzer):
    # devcorpus: after the Brussels dinner Michel hosted, "The leaders also agreed to
    # set up a joint committee ..., Michel said": the leaders, under his mediation
    events = events_of(DEVCORPUS / "04_newsaze_brussels_michel_peace_process.txt", analyzer)
    agreed = event_at(events, "The leaders also agreed", "agreed", "AGREE")
    assert ids(agreed["actor"]) == {"ilham-aliyev", "nikol-pashinyan"}
    assert ids(agreed["mediator"]) == {"charles-michel"}
    assert any(b["by"] == "role:those-who-met" for b in agreed["decided_by"])
    assert {a["text"] for a in agreed["actor"]} == {"leaders"}


def test_a_count_in_the_reference_picks_the_group_of_that_size(analyzer):
    # "the trio", after talks three mediated between two sides, are the three
    events = _events_in(analyzer, (
        "Azerbaijani President Ilham Aliyev and Armenian Prime Minister Nikol Pashinyan met "
        "French President Emmanuel Macron, German Chancellor Olaf Scholz and European Council "
        "President Charles Michel in Granada on Thursday.\n\n"
        "The trio later agreed to meet again in Brussels."), published="2023-10-05")
    agreed = event_at(events, "later agreed", "agreed", "AGREE")
    assert ids(agreed["actor"]) == {"emmanuel-macron", "charles-michel", "olaf-scholz"}
    assert any(b["by"] == "role:those-who-met" for b in agreed["decided_by"])


def test_hyphen_joined_peoples_before_an_act_are_both_its_actors(analyzer):
    # devcorpus: "Days after the launch of the Turkish-Azerbaijani attack, on September 30 ..."
    events = events_of(DEVCORPUS / "01_usc_war_update_ceasefire_peacekeepers.txt", analyzer)
    attack = event_at(events, "Turkish-Azerbaijani attack", "attack", "ASSAULT")
    assert {"turkey", "azerbaijan"} <= ids(attack["actor"])


@pytest.mark.parametrize("text, type_, sides", [
    # a people's adjective before an act, alone or joined to another by a hyphen
    ("The Israeli-Palestinian talks collapsed in Washington on Monday.", "CONSULT",
     {"israel", "palestine"}),
    ("The Azerbaijani offensive began on Tuesday.", "ASSAULT", {"azerbaijan"}),
    # those a passive act was "between" did it
    ("Officials said the exchange had been agreed between Moscow and Kyiv.", "AGREE",
     {"russia", "ukraine"}),
])
def test_who_did_an_act_the_sentence_names_without_a_subject(text, type_, sides):
    found = [e for e in _events(text) if e["type"] == type_]
    assert len(found) == 1 and ids(found[0]["actor"]) == sides


def test_a_common_adjective_before_an_act_is_not_its_actor():
    mobilised = [e for e in _events("Armenia declared a general mobilisation on Sunday.")
                 if e["type"] == "MOBILIZE"]
    assert len(mobilised) == 1 and ids(mobilised[0]["actor"]) == {"armenia"}


def test_an_agreement_told_with_no_one_agreeing_is_between_the_sides(analyzer):
    # ANNOTATION.md: "Specific parameters of the ceasefire will be agreed upon" is the
    # sides' agreement; a subject that names who agreed ("we have agreed") keeps its own
    events = _events_in(analyzer, (
        "Armenia and Azerbaijan held talks in Moscow on Friday.\n\n"
        "Lavrov said the details of the ceasefire would be agreed separately.\n\n"
        "\"We have agreed on the next steps,\" Armenian Foreign Minister Ararat Mirzoyan said."))
    passive = next(e for e in events if e["type"] == "AGREE" and "separately" in e["sentence"])
    assert {a["id"] for a in passive["actor"]} == {"armenia", "azerbaijan"}
    assert {"by": "role:agreed-by-no-one-named"} in passive["decided_by"]
    spoken = next(e for e in events if e["type"] == "AGREE" and "next steps" in e["sentence"])
    assert {a["id"] for a in spoken["actor"]} <= {"ararat-mirzoyan", "armenia"}


def test_both_sides_holding_talks_with_a_third_party_are_mediated_by_it(analyzer):
    # ANNOTATION.md: whoever hosts talks between others mediates them; "the two
    # ministers held talks with Pompeo" is not a meeting of the two with Pompeo as its
    # recipient. A meeting of one side with a third party keeps its recipient.
    events = _events_in(analyzer, (
        "Armenian Foreign Minister Zohrab Mnatsakanyan and Azerbaijani Foreign Minister Jeyhun "
        "Bayramov held talks with Pompeo in Washington on Friday.\n\n"
        "On Monday, Mnatsakanyan held talks with Lavrov in Moscow."), published="2020-10-26")
    both = next(e for e in events if e["type"] == "CONSULT" and "Pompeo" in e["sentence"])
    assert {a["id"] for a in both["mediator"]} == {"mike-pompeo"} and not both["recipient"]
    assert {"by": "role:both-sides-met-a-third-party"} in both["decided_by"]
    assert {a["id"] for a in both["actor"]} == {"zohrab-mnatsakanyan", "jeyhun-bayramov"}
    one = next(e for e in events if e["type"] == "CONSULT" and "Lavrov" in e["sentence"])
    assert {a["id"] for a in one["recipient"]} == {"sergey-lavrov"}


def test_a_mediator_offering_talks_mediates_the_talks_it_offers(analyzer):
    # ANNOTATION.md: a mediator proposing a meeting between the parties is the AGREE's
    # actor, the parties its recipients, and the mediator of the meeting proposed
    events = _events_in(analyzer, "Armenia and Azerbaijan held talks in Brussels on Saturday. "
                                  "Russia offered to host the next round of talks in Moscow.")
    offer = next(e for e in events if e["type"] == "AGREE")
    assert {a["id"] for a in offer["actor"]} == {"russia"}
    assert {a["id"] for a in offer["recipient"]} == {"armenia", "azerbaijan"}
    assert {a["id"] for a in offer["mediator"]} == {"russia"}
    assert {"by": "role:mediator-offers-talks"} in offer["decided_by"]


def test_a_brokered_agreement_lends_its_broker_to_the_sides_other_agreements(analyzer):
    # "Egyptian-brokered": the demonym before a hyphenated participle is the state that
    # brokered; the sides' other agreement told beside it was made under its mediation
    events = _events_in(analyzer, "Israel and Hamas agreed to an Egyptian-brokered ceasefire on "
                                  "Thursday. Israel and Hamas also agreed to exchange prisoners "
                                  "next week.", published="2021-05-21")
    brokered, other = [e for e in events if e["type"] == "AGREE"]
    assert {a["id"] for a in brokered["mediator"]} == {"egypt"}
    assert {a["id"] for a in other["mediator"]} == {"egypt"}
    assert {a["id"] for a in other["actor"]} == {"israel", "hamas"}
