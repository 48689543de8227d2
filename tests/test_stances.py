"""Stances (SPEC §2 stance): who holds which position on which profile issue."""

from __future__ import annotations

import pytest

from peacetrack.records import POSITIONS
from peacetrack.stances import find_stances, issue_cues, position, stance_words

from .conftest import seed


def _analyse(analyzer, text: str):
    from peacetrack.records import DateValue

    doc = analyzer.nlp(text)
    analyzer = analyzer.for_doc(doc)[0]  # the analyzer of the process the text is about
    date = DateValue.unknown()
    actors = analyzer.actors.find(doc, date)
    events = analyzer.events.code(doc, actors, doc_id="d-test", published=date)
    from peacetrack.quotes import find_quotes

    quotes = find_quotes(doc, actors, doc_id="d-test", published=date)
    return find_stances(doc, actors, events, quotes, analyzer.profile, doc_id="d-test",
                        published=date, cues=analyzer.stance_cues)


@pytest.mark.parametrize("text, expected", [
    ("Moscow is ready to host talks provided that both sides agree.", "conditional"),
    ("Baku will sign only after Armenia changes its constitution.", "conditional"),
    ("Yerevan rejected the proposal outright.", "oppose"),
    ("Moscow is not against the Brussels process.", "support"),
    ("The withdrawal was a matter for Russia and Azerbaijan.", "neutral"),
    ("Armenia is ready to sign the treaty.", "support"),
])
def test_position(nlp, text, expected):
    assert position(nlp(text)[:], stance_words()) == expected


@pytest.mark.parametrize("text, actor, issue, expected", [
    ("The Russian foreign ministry urged Azerbaijan to reopen the Lachin corridor.",
     "russia", "lachin-corridor", "support"),
    ("Pashinyan rejected any plan for a Zangezur corridor.", "nikol-pashinyan",
     "zangezur-corridor", "oppose"),
    ("Aliyev said that Azerbaijan is ready to begin the delimitation of the border.",
     "azerbaijan", "border-delimitation", "support"),
    # a judgement ('made progress') is the speaker's view, not the subject's
    ("Blinken said Armenia and Azerbaijan had made real progress towards a peace deal.",
     "antony-blinken", "peace-treaty", "support"),
    # a mediator offering to host talks: its own track
    ("Lavrov said Russia was ready to host talks on a peace treaty.",
     "russia", "mediation-moscow", "support"),
    # terms set on an issue make a conditional position
    ("Bayramov said the treaty must rest on mutual recognition of territorial integrity.",
     "jeyhun-bayramov", "peace-treaty", "conditional"),
    # accusing someone of an act against a thing is standing up for it
    ("Yerevan accused Baku of aggression against its sovereign territory.",
     "armenia", "territorial-integrity", "support"),
    # a mediator blamed or thanked by name: its track
    ("Lavrov accused the EU and the United States of meddling in the settlement between "
     "Armenia and Azerbaijan.",
     "sergey-lavrov", "mediation-washington", "oppose"),
    ("Aliyev thanked Trump for his personal involvement in the talks with Armenia.",
     "ilham-aliyev", "mediation-washington", "support"),
    # 'for X to do': the caller's position, not X's
    # an aim owned by a party
    ("The main task for Yerevan is to return home all Armenian prisoners of war.",
     "armenia", "prisoners", "support"),
    # signing with nothing signed named signs the treaty named before
    ("Armenia and Azerbaijan have agreed the text of the peace treaty. "
     "Baku says it will sign only after Armenia changes its constitution.",
     "azerbaijan", "peace-treaty", "conditional"),
    # 'the road' points back to the corridor named just before
    ("Protesters blocked the Lachin corridor. Pashinyan accused Baku of staging the protest, "
     "and called on Russian peacekeepers to reopen the road as required.",
     "nikol-pashinyan", "lachin-corridor", "support"),
    ("Russian peacekeepers began leaving Karabakh. Mirzoyan said the withdrawal was a matter "
     "for Russia and Azerbaijan.", "ararat-mirzoyan", "russian-peacekeepers", "neutral"),
])
def test_hand_built(analyzer, text, actor, issue, expected):
    found = {(s.actor.id, s.issue): s.position for s in _analyse(analyzer, text)}
    assert found.get((actor, issue)) == expected


@pytest.mark.parametrize("text, actor, issue, expected", [
    # a cue noun's owner: a modifier or a 'by' phrase, not only a possessive
    ("A Russian proposal for a peace treaty was on the table in Moscow.",
     "russia", "peace-treaty", "support"),
    ("A proposal by Qatar for a ceasefire in Gaza was on the table.",
     "qatar", "ceasefire", "support"),
])
def test_cue_noun_owners(analyzer, text, actor, issue, expected):
    found = {(s.actor.id, s.issue): s.position for s in _analyse(analyzer, text)}
    assert found.get((actor, issue)) == expected


@pytest.mark.parametrize("text", [
    "Russia has brought peacekeepers into the region.",            # an act, not a position
    "Baku and Yerevan made progress towards a peace agreement.",   # the reporter's judgement
    "The ceasefire has been supported by Russian peacekeepers.",   # the issue is the doer
    "Azerbaijan closed the Lachin corridor on Tuesday.",           # an act, not a position
    # 'Treaty' inside an organisation's name is no treaty
    "Moscow regretted that Yerevan had left the Collective Security Treaty Organization.",
    # a question, not a request
    "Peskov confirmed the news when asked about the withdrawal of Russian peacekeepers.",
    # a claim about the road's state, inside a rejection
    "Baku dismissed the accusation, saying the Lachin corridor was open to convoys.",
    # blaming a mediator for failing to act calls on it to act; no stance on its track
    "Armenia accused Moscow of failing to fulfil its obligations.",
    # a failure told is a fact, no position on what was not done
    "Pashinyan said the two sides had failed to settle the issue of prisoners of war.",
])

def test_no_stance_in_narrative(analyzer, text):
    assert _analyse(analyzer, text) == []


@pytest.mark.parametrize("text, actor, issue", [
    # a keyword of an issue names it where a position is taken on it
    ("Aliyev said Azerbaijan was ready to resume the negotiations with Armenia.",
     "azerbaijan", "peace-treaty"),
    ("Pashinyan said Armenia was ready to sign the agreement with Azerbaijan.",
     "armenia", "peace-treaty"),
])
def test_issue_keywords(analyzer, text, actor, issue):
    found = {(s.actor.id, s.issue) for s in _analyse(analyzer, text)}
    assert (actor, issue) in found


@pytest.mark.parametrize("text", [
    # a keyword telling when, or with a content of its own, names no issue
    "During the negotiations, Aliyev said Azerbaijan was ready to open its border crossings.",
    "Pashinyan said Armenia was ready to sign an agreement on fishing quotas.",
    # an issue named as the occasion is not what anyone wants
    "After the peace treaty, Aliyev said Azerbaijan was ready to open its border crossings.",
    # 'according to' is no accord
    "According to Aliyev, Azerbaijan is ready to open its border crossings with Armenia.",
    "Azerbaijan, according to Aliyev, is ready to open its border crossings with Armenia.",
])
def test_keywords_in_circumstance_name_no_issue(analyzer, text):
    assert not any(s.issue == "peace-treaty" for s in _analyse(analyzer, text))


def test_outside_mediators_are_the_other_tracks(analyzer):
    """'Western mediators' in a report on US-brokered talks: the Washington track."""
    text = ("Armenia and Azerbaijan signed a declaration at the White House. "
            "Zakharova criticised the role of Western mediators.")
    found = {(s.actor.id, s.issue, s.position) for s in _analyse(analyzer, text)}
    assert ("maria-zakharova", "mediation-washington", "oppose") in found
    assert not any(issue == "mediation-brussels" for _, issue, _ in found)
    # a report on another conflict: this process's tracks are not at work there
    other = _analyse(analyzer, "Walcott thanked Russia and the Netherlands for their help.")
    assert not any(s.issue.startswith("mediation-") for s in other)


def test_wanter_holds_the_position(analyzer):
    found = {(s.actor.id, s.issue, s.position)
             for s in _analyse(analyzer, "Azerbaijan wants Armenia to sign a peace treaty.")}
    assert ("azerbaijan", "peace-treaty", "support") in found
    assert not any(actor == "armenia" for actor, _, _ in found)


def _seed_stances(analyzer, number: str):
    from peacetrack.ingest import read_inputs
    from peacetrack.pipeline import prepare

    document = prepare(next(iter(read_inputs([str(seed(number))], max_bytes=10_000_000))))
    return document, next(analyzer.analyse([document])).stances


@pytest.mark.parametrize("number, fragment, actor, issue, expected", [
    ("004", "urged Azerbaijan to reopen", "russia", "lachin-corridor", "support"),
    ("004", "demanded international mechanisms", "armenia", "karabakh-armenians-rights", "support"),
    ("001", "Azerbaijan is ready to begin", "azerbaijan", "border-delimitation", "support"),
    ("001", "confirmed their determination", "russia", "border-delimitation", "support"),
    ("003", "the Zangezur corridor should be opened", "ilham-aliyev", "zangezur-corridor", "support"),
    # plain statements (issue 4): terms set on the treaty; national-level guarantees only
    ("000", "the peace treaty should not contain", "alen-simonyan", "peace-treaty", "conditional"),
    ("004", "Baku insists such guarantees", "azerbaijan", "karabakh-armenians-rights",
     "conditional"),
    ("004", "Yerevan agreed to recognise Karabakh", "armenia", "territorial-integrity", "support"),
    ("000", "Moscow is not against the Brussels process", "russia", "mediation-brussels", "support"),
    # 'for X to do': the caller's position, not X's
    ("004", "separatists’ calls for Moscow", "karabakh-authorities", "lachin-corridor", "support"),
])
def test_seed_stances(analyzer, number, fragment, actor, issue, expected):
    document, stances = _seed_stances(analyzer, number)
    at = document.text.index(fragment)
    # one record per actor, issue and position: the sentence is its own or a mention
    found = [s for s in stances if s.issue == issue and s.actor.id == actor and any(
        a <= at < b for a, b in [s.span, *(m["span"] for m in s.mentions)])]
    assert found and found[0].position == expected
    assert found[0].evidence == document.text[found[0].span[0]:found[0].span[1]]
    for mention in found[0].mentions:
        assert mention["evidence"] == document.text[slice(*mention["span"])]


def test_the_title_and_its_restatement_are_one_stance(analyzer):
    """The report's title states Russia's offer; the body says it again: one
    record, the title's, with the body's sentence as its mention."""
    document, stances = _seed_stances(analyzer, "004")
    body = document.text.index("Russia offered a summit in Moscow")
    offers = [s for s in stances if (s.actor.id, s.issue, s.position) ==
              ("russia", "mediation-moscow", "support")]
    assert len(offers) == 1
    assert offers[0].span[0] == 0  # the title, the report's first line
    assert any(a <= body < b for a, b in (m["span"] for m in offers[0].mentions))


def test_records_are_well_formed(analyzer):
    _, stances = _seed_stances(analyzer, "004")
    issues = {i.id for i in analyzer.profile.issues}
    assert stances
    assert all(s.issue in issues and s.position in POSITIONS and s.id.startswith("s-")
               for s in stances)
    assert len({s.id for s in stances}) == len(stances)


def test_issue_cues_built_once(analyzer):
    assert issue_cues(analyzer.profile, analyzer.nlp.vocab) is analyzer.stance_cues


def test_each_stance_says_how_its_issue_and_holder_were_found(analyzer):
    # provenance (README, Standards): the words that named the issue, and the rule
    # that found who holds the position
    found = {s.actor.id: s for s in _analyse(
        analyzer, "Aliyev urged Armenia to reopen the Lachin corridor. "
                  "Pashinyan said Armenia is ready to sign the peace treaty.")}
    urged = found["ilham-aliyev"].decided_by
    assert urged[0] == {"by": "issue:alias", "words": "Lachin corridor"}
    assert urged[1] == {"by": "holder:governing-event", "verb": "urge"}
    ready = found["armenia"].decided_by
    assert ready[0]["words"] == "peace treaty" and ready[1]["by"] == "holder:governing-verb"
    assert found["armenia"].to_dict()["decided_by"] == ready
