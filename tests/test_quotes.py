"""Quotes (SPEC §2 quote): quotation marks of any style, attribution through
titles, surnames and pronouns, indirect speech, scare quotes left out."""

from __future__ import annotations

import pytest

from peacetrack.quotes import find_quotes, quote_spans
from peacetrack.records import DateValue

from .conftest import seed


@pytest.mark.parametrize("text, quoted", [
    ('He said "we are ready to talk" today.', ["we are ready to talk"]),
    ("He said “we are ready to talk” today.", ["we are ready to talk"]),
    ("Il a dit « nous sommes prêts » hier.", ["nous sommes prêts"]),
    ("He said ‘we are ready’ and left.", ["we are ready"]),
    ("Russia’s envoy called it “Russia’s own business,” he said.", ["Russia’s own business"]),
    ('"First paragraph of the quote\n"Second paragraph," he said.',
     ["First paragraph of the quote\n\"Second paragraph"]),
    ('"An unclosed quote on a scraped page\nNext paragraph.', ["An unclosed quote on a scraped page"]),
    ("“They said ‘never’ twice,” she said.", ["They said ‘never’ twice"]),
])
def test_quote_spans(text, quoted):
    assert [text[s:e] for s, e in quote_spans(text)] == quoted


def _quotes(analyzer, text: str, published: str | None = None):
    doc = analyzer.nlp(text)
    date = DateValue(published, "day") if published else DateValue.unknown()
    actors = analyzer.for_doc(doc)[0].actors.find(doc, date)
    return find_quotes(doc, actors, doc_id="d-test", published=date)


@pytest.mark.parametrize("text, fragment, speaker, direct", [
    ("“We are not against mediation,” said Sergey Lavrov.", "not against", "sergey-lavrov", True),
    ("Lavrov said: “We are not against mediation by others.”", "not against", "sergey-lavrov", True),
    ("Sergey Lavrov spoke in Baku. “We want peace in the region,” he added.", "want peace",
     "sergey-lavrov", True),
    ("Aliyev said that Azerbaijan is ready to begin the delimitation.", "ready to begin",
     "ilham-aliyev", False),
    ("The talks will resume in May, according to the Kremlin.", "talks will resume", "russia",
     False),
    ("Nikol Pashinyan described the talks as “generally positive”.", "generally positive",
     "nikol-pashinyan", True),
    # speech.yaml's clear_verbs ("made it clear") and as_comment_verbs ("as Lavrov said")
    ("Sergey Lavrov made it clear that Russia is ready to host the next round of talks.",
     "ready to host", "sergey-lavrov", False),
    ("As Lavrov said, the talks will resume in Moscow next month.", "talks will resume",
     "sergey-lavrov", False),
    # an attitude ("is convinced": the verb convince)
    ("As the Armenian government is convinced, the blockade of the corridor must end soon.",
     "blockade of the corridor", "armenia", False),
])
def test_attribution(analyzer, text, fragment, speaker, direct):
    found = [q for q in _quotes(analyzer, text) if fragment in q.text]
    assert found, f"no quote with {fragment!r}"
    assert found[0].speaker is not None and found[0].speaker.id == speaker
    assert found[0].direct is direct
    assert text[found[0].span[0]:found[0].span[1]] == found[0].text


@pytest.mark.parametrize("text", [
    "Lavrov said Russia was ready to “allow” the West a role.",
    "Nobody has ever explained what the “legitimate interests” of Russia are.",
    "The country wants to keep a “no peace, no war” regime in place.",
])
def test_not_quotes(analyzer, text):
    assert not [q for q in _quotes(analyzer, text) if q.direct]


def _seed_quotes(analyzer, number: str):
    from peacetrack.ingest import read_inputs
    from peacetrack.pipeline import prepare

    document = prepare(next(iter(read_inputs([str(seed(number))], max_bytes=10_000_000))))
    return document, next(analyzer.analyse([document])).quotes


@pytest.mark.parametrize("number, fragment, speaker, direct", [
    ("001", "We also publicly offered", "ilham-aliyev", True),           # "he added"
    ("003", "Armenia is again insincere", "ilham-aliyev", True),         # the Azerbaijani president noted
    ("003", "A settlement in the region remains", "vladimir-putin", True),  # the Russian leader said
    ("002", "If Russia thinks that they", "vedant-patel", True),
    ("002", "we continue to feel that", "vedant-patel", True),
    ("002", "They want to get into the region", "sergey-lavrov", True),  # the Russian Foreign Minister believes
    ("002", "The main thing is that", "sergey-lavrov", True),            # the next sentence of his quote
    ("004", "to organise a trilateral meeting", "russia", True),         # the country's foreign ministry
    ("004", "absolute lie", "karabakh-authorities", True),
    ("004", "such guarantees must be provided", "azerbaijan", False),    # Baku insists
    ("000", "the peace treaty should not contain", "alen-simonyan", False),  # according to him
    ("001", "Azerbaijan is ready to begin", "ilham-aliyev", False),
])
def test_seed_quotes(analyzer, number, fragment, speaker, direct):
    _, quotes = _seed_quotes(analyzer, number)
    found = [q for q in quotes if fragment in q.text and q.direct is direct]
    assert found, f"no {'direct' if direct else 'indirect'} quote with {fragment!r}"
    assert found[0].speaker is not None and found[0].speaker.id == speaker


def test_quote_inside_quote_does_not_break_it(analyzer):
    """Seed 002: the aside about 'Alex' stays inside Patel's quote."""
    _, quotes = _seed_quotes(analyzer, "002")
    patel = [q for q in quotes if "we continue to feel" in q.text]
    assert patel and "Alex" in patel[0].text and "can’t be replaced" in patel[0].text


@pytest.mark.parametrize("number, scare", [("000", "bombs"), ("002", "allow"), ("002", "leave")])
def test_scare_quotes_are_not_quotes(analyzer, number, scare):
    _, quotes = _seed_quotes(analyzer, number)
    assert not [q for q in quotes if q.direct and q.text.strip() == scare]


def test_ids_are_deterministic_and_dates_set(analyzer):
    _, first = _seed_quotes(analyzer, "004")
    _, second = _seed_quotes(analyzer, "004")
    assert [q.id for q in first] == [q.id for q in second]
    assert len({q.id for q in first}) == len(first)
    assert all(q.id.startswith("q-") and q.date is not None for q in first)


@pytest.mark.parametrize("text, name", [
    ('The two leaders signed the "Joint Declaration of Peace and Friendship" on Monday, '
     'officials said.', "Joint Declaration of Peace and Friendship"),
    ('Baku calls the route the "Zangezur Corridor", a name Yerevan rejects, Aliyev said.',
     "Zangezur Corridor"),
])
def test_a_name_in_quotation_marks_is_no_quote(analyzer, text, name):
    assert not [q for q in _quotes(analyzer, text, "2023-05-02") if q.direct and name in q.text]


def test_a_partial_quote_inside_reported_speech_is_one_quote(analyzer):
    quotes = _quotes(analyzer, 'Blinken said the two sides had made "significant progress" '
                               'toward a durable peace agreement.', "2023-05-02")
    assert len(quotes) == 1 and "significant progress" in quotes[0].text
    assert quotes[0].speaker is not None and quotes[0].speaker.id == "antony-blinken"


@pytest.mark.parametrize("text, attribution, reported", [
    ("The foreign minister of Azerbaijan, Jeyhun Bayramov, said on Monday that the border "
     "commission would meet again in May.", "Jeyhun Bayramov, said", "would meet again in May"),
    ("The border commission will meet again in May, Nikol Pashinyan told reporters.",
     "Nikol Pashinyan told", "will meet again in May"),
    ("According to the Kremlin, the leaders will hold a call next week about the road.",
     "According to the Kremlin", "hold a call next week"),
])
def test_an_indirect_quote_holds_its_attribution(analyzer, text, attribution, reported):
    """ANNOTATION.md: an indirect quote is the report of speech with its
    speaker ('Aliyev said that Azerbaijan is ready …'), not the clause alone."""
    found = [q for q in _quotes(analyzer, text, "2023-05-02") if not q.direct]
    assert len(found) == 1
    assert attribution in found[0].text and reported in found[0].text


@pytest.mark.parametrize("text, parts", [
    ("“We are close to a deal,” Sergey Lavrov said on Monday. “The text needs one more "
     "round of work.”", 1),
    ("“We are close to a deal,” Lavrov said, adding, “the text needs one more round.”", 1),
    # the next paragraph opens a quote of its own
    ("“We are close to a deal,” Sergey Lavrov said.\n\n“The text needs one more "
     "round of work,” he added.", 2),
])
def test_a_quote_broken_by_its_attribution_is_one_quote(analyzer, text, parts):
    found = [q for q in _quotes(analyzer, text, "2023-05-02") if q.direct]
    assert len(found) == parts
    assert all(q.speaker is not None and q.speaker.id == "sergey-lavrov" for q in found)


def _speaker_id(analyzer, text: str, fragment: str) -> str | None:
    """The speaker id of the first quote holding ``fragment`` (asserts there is one)."""
    found = [q for q in _quotes(analyzer, text, "2023-05-02") if fragment in q.text]
    assert found and found[0].speaker is not None
    return found[0].speaker.id


@pytest.mark.parametrize("text, fragment, speaker", [
    # the document's own phrase names its issuer
    ("“The sides will meet again in May,” read the statement of the Russian foreign ministry.",
     "meet again in May", "russia"),
    # a statement named before speaks for its issuer when quoted later
    ("Sergey Lavrov read out a statement after the talks in Moscow. “The parties will "
     "exchange prisoners next week,” the statement said.", "exchange prisoners", "sergey-lavrov"),
    ("Charles Michel said in a statement that the leaders had talked for five hours. "
     "The border commissions will meet in Brussels in May, the statement added.",
     "border commissions will meet", "charles-michel"),
])
def test_a_statement_speaks_for_its_issuer(analyzer, text, fragment, speaker):
    assert _speaker_id(analyzer, text, fragment) == speaker


def test_one_record_per_quote(analyzer):
    """A joint statement is one quote (ANNOTATION.md), its first signatory the speaker."""
    text = ("In a joint statement, Ilham Aliyev and Nikol Pashinyan said: “We are committed "
            "to a lasting peace in the region.”")
    found = [q for q in _quotes(analyzer, text, "2023-05-02") if "lasting peace" in q.text]
    assert len(found) == 1 and found[0].speaker is not None
    assert found[0].speaker.id == "ilham-aliyev"


@pytest.mark.parametrize("text, fragment, speaker", [
    # a name after a title and its complement is the person, not the office
    ("Georgian Minister of Economy Levan Davitashvili said that the new railway would open "
     "in the autumn.", "railway would open", "levan-davitashvili"),
    ("The Kazakh ambassador to Armenia Bolat Imanbayev told reporters that grain deliveries "
     "would double this year.", "deliveries would double", "bolat-imanbayev"),
    # the surname alone, later, is the same person
    ("Georgian Minister of Economy Levan Davitashvili spoke in Tbilisi on Monday. “The "
     "railway will carry grain to Armenia by winter,” said Davitashvili.",
     "carry grain", "levan-davitashvili"),
    # a title with the name in apposition
    ("The OSCE chair, Finnish Foreign Minister Elina Valtonen, praised the two sides for "
     "their “spirit of compromise in the talks”.", "spirit of compromise", "elina-valtonen"),
])
def test_a_titled_speaker_is_the_person_named(analyzer, text, fragment, speaker):
    assert _speaker_id(analyzer, text, fragment) == speaker


def test_an_official_without_a_name_speaks_for_the_state(analyzer):
    """ANNOTATION.md / docs/annotation.md: officials without a name are their state."""
    text = "The talks will resume in Cairo next week, an Israeli official told reporters."
    doc = analyzer.nlp(text)
    date = DateValue("2024-10-20", "day")
    actors = analyzer.for_doc(doc)[0].actors.find(doc, date)
    found = find_quotes(doc, actors, doc_id="d-test", published=date, profile=analyzer.profile)
    assert found and found[0].speaker is not None
    assert (found[0].speaker.id, found[0].speaker.code) == ("israel", "ISR")


@pytest.mark.parametrize("text, fragment, speaker", [
    # a name inside the quote is what was said, not who said it
    ("Antony Blinken hosted the two ministers on Monday. “Talks with Ararat Mirzoyan and "
     "Jeyhun Bayramov were productive,” he wrote on social media.", "were productive",
     "antony-blinken"),
    # the subject of the sentence before, not its object
    ("Sergey Lavrov met Jeyhun Bayramov in Moscow. “We discussed the border and the "
     "railway,” he said.", "discussed the border", "sergey-lavrov"),
])
def test_he_is_the_last_person_named_outside_the_quote(analyzer, text, fragment, speaker):
    assert _speaker_id(analyzer, text, fragment) == speaker


@pytest.mark.parametrize("text", [
    "“The deal is a turning point,” Marco Rubio said, adding that the work on its "
    "implementation would start next month.",
    "Marco Rubio said the deal was a turning point and noted that the work on its "
    "implementation would start next month.",
])
def test_a_clause_that_continues_a_saying_is_part_of_its_quote(analyzer, text):
    found = _quotes(analyzer, text, "2025-06-28")
    assert len(found) == 1 and "turning point" in found[0].text
    assert "implementation would start" in found[0].text
    assert found[0].speaker is not None and found[0].speaker.id == "marco-rubio"


@pytest.mark.parametrize("text, fragment, speaker", [
    ("Vladimir Putin repeated Russia’s position that sending more troops to the border was "
     "not possible.", "sending more troops", "vladimir-putin"),
    ("Josep Borrell expressed hope that the two delegations will agree on the annex "
     "tomorrow.", "will agree on the annex", "josep-borrell"),
    ("Baku maintains that its troops never crossed the border last year.",
     "never crossed the border", "azerbaijan"),
])
def test_more_ways_to_report_speech(analyzer, text, fragment, speaker):
    found = [q for q in _quotes(analyzer, text, "2023-05-02") if fragment in q.text]
    assert found and not found[0].direct and found[0].speaker is not None
    assert found[0].speaker.id == speaker


def test_maintain_without_a_clause_attributes_nothing(analyzer):
    text = 'Yerevan wants to maintain a "no peace, no war" regime on the border.'
    assert not [q for q in _quotes(analyzer, text, "2023-05-02") if q.speaker is not None]


def test_a_quote_introduced_by_a_colon_is_its_clause_subjects(analyzer):
    text = ("Nikol Pashinyan agreed with him: “We will defend this position together with "
            "our partners.”")
    found = [q for q in _quotes(analyzer, text, "2025-08-09") if q.direct]
    assert found and found[0].speaker is not None
    assert found[0].speaker.id == "nikol-pashinyan"


@pytest.mark.parametrize("text", [
    "Azerbaijani media reported that the decision had been agreed between Moscow and Baku.",
    "Russian press reported that the meeting between the two leaders lasted twenty minutes.",
])
def test_news_media_no_name_covers_speak_no_indirect_quote(analyzer, text):
    assert not [q for q in _quotes(analyzer, text, "2024-04-17") if not q.direct]


def test_a_named_speaker_who_reports_still_speaks(analyzer):
    text = "Lavrov reported that the meeting between the two leaders lasted twenty minutes."
    found = [q for q in _quotes(analyzer, text, "2024-04-17") if not q.direct]
    assert found and found[0].speaker is not None and found[0].speaker.id == "sergey-lavrov"


def test_each_quote_says_how_its_speaker_was_found(analyzer):
    # provenance (README, Standards): a quote names the rule that attributed it
    found = _quotes(analyzer, "“We are not against mediation by others,” said Sergey Lavrov.\n"
                              "“We want the Lachin corridor reopened without conditions now.”\n"
                              "According to Aliyev, Armenia must amend its constitution first.")
    said = [s["by"] for s in next(q for q in found if q.text.startswith("We are")).decided_by]
    assert said[:2] == ["quote:direct", "speaker:attribution:after"]
    assert "speaker-mention:name" in said
    carried = next(q for q in found if q.text.startswith("We want"))
    assert carried.speaker.id == "sergey-lavrov"
    assert [s["by"] for s in carried.decided_by][1] == "speaker:continues-speech"
    according = next(q for q in found if not q.direct)
    assert {"by": "speaker:attribution:according-to", "cue": "according to"} in according.decided_by
    assert all(q.to_dict()["decided_by"] == q.decided_by for q in found)


def test_a_bare_title_after_a_named_office_holder_is_that_person(analyzer):
    # "Foreign Minister Jeyhun Bayramov stated …. '…,' the minister said": the report
    # has told its reader which minister; a bare title no one was named with stays open
    found = _quotes(analyzer, "On Thursday, Azerbaijani Foreign Minister Jeyhun Bayramov stated "
                              "that Armenia had accepted the proposals.\n"
                              "\"At the next stage, Baku expects Armenia to amend its "
                              "constitution,\" the minister said.\n"
                              "\"Talks will go on in the coming weeks,\" the spokesman added.",
                    published="2025-03-13")
    said = next(q for q in found if q.text.startswith("At the next stage"))
    assert said.speaker.id == "jeyhun-bayramov"
    added = next(q for q in found if q.text.startswith("Talks will go on"))
    assert (added.speaker.id if added.speaker else None) != "jeyhun-bayramov"
