"""A profile's chronology: a named happening dates the mention that names it,
and the happenings a report tells as past and as coming date the report."""

from __future__ import annotations

from peacetrack.ingest import RawReport
from peacetrack.pipeline import prepare
from peacetrack.profile import load_profile


def _analyse(analyzer, text, published=None):
    document = prepare(RawReport(source="t", published=published, text=text))
    return next(analyzer.analyse([document]))


def test_the_profile_ships_a_chronology_of_known_happenings():
    chronology = {h.id: h for h in load_profile("south-caucasus").chronology}
    assert len(chronology) >= 30
    assert chronology["prague-meeting-2022"].date.value == "2022-10-06"
    assert "charles-michel" in chronology["prague-meeting-2022"].mediators
    assert all(h.aliases and h.date.value for h in chronology.values())


def test_a_mention_of_a_named_happening_takes_its_date_place_and_mediators(coder):
    analysis = _analyse(coder, "Aliyev said the Prague meeting had opened a new chapter. "
                               "Pashinyan agreed.", published="2023-01-10")
    meeting = next(e for e in analysis.events if e.type == "CONSULT")
    assert meeting.date.value == "2022-10-06" and meeting.date.precision == "day"
    assert meeting.location is not None and meeting.location.name == "Prague"
    assert {m.id for m in meeting.mediator} >= {"charles-michel"}
    assert any(step["by"] == "chronology:prague-meeting-2022" for step in meeting.decided_by)


def test_a_report_without_a_date_is_dated_by_the_happenings_it_tells(coder):
    analysis = _analyse(coder, "Armenia's foreign minister said on Tuesday that Yerevan was "
                               "preparing proposals ahead of the Granada summit.\n\n"
                               "He recalled that the Brussels meeting of July 15 had agreed "
                               "to keep working on the text.")
    published = analysis.document.published
    assert published.method == "inferred"
    assert published.earliest == "2023-07-15" and published.latest == "2023-10-05"
    assert published.value == "2023" and published.precision == "year"
    assert "Granada summit" in published.text


def test_a_report_whose_lead_tells_a_named_happening_is_its_news(coder):
    analysis = _analyse(coder, "Leaders pledge to continue talks after the Sochi summit\n\n"
                               "The leaders of Russia, Azerbaijan and Armenia pledged to "
                               "set up a border commission.")
    published = analysis.document.published
    assert published.value == "2021-11" and published.precision == "month"
    assert "Sochi summit" in published.text


def test_every_shipped_profile_has_a_chronology_whose_names_resolve():
    # the other processes' profiles date and place the happenings their reports name too
    for name in ("serbia-kosovo", "ethiopia-tigray", "russia-ukraine", "sudan", "israel-hamas",
                 "colombia-eln"):
        profile = load_profile(name)
        assert profile.chronology, name
        for happening in profile.chronology:
            assert happening.aliases and happening.date.value, happening.id
            unknown = [p for p in happening.participants + happening.mediators
                       if profile.entities.get(p) is None]
            assert not unknown, (name, happening.id, unknown)


def test_another_process_names_its_happenings(coder):
    analysis = _analyse(coder, "Vucic and Kurti meet again in Brussels\n\n"
                               "Serbian President Aleksandar Vucic and Kosovo Prime Minister "
                               "Albin Kurti met in Brussels, six months after the Ohrid "
                               "agreement.\n\nThe two leaders agreed to the Ohrid "
                               "agreement's annex but did not sign it.")
    published = analysis.document.published
    assert published.method == "inferred" and published.earliest == "2023-03-18"
    assert "Ohrid agreement" in published.text
    ohrid = [e for e in analysis.events if any(
        step["by"] == "chronology:ohrid-annex-2023" for step in e.decided_by)]
    assert ohrid and ohrid[0].date.value == "2023-03-18"
    assert {m.id for m in ohrid[0].mediator} >= {"josep-borrell", "miroslav-lajcak"}
