"""Long reports (issue 17): read in pieces, analysed section by section, every
record pointing into the whole report; the work grows with the report, not
with its square."""

from __future__ import annotations

import cProfile
import pstats

import pytest

from peacetrack.ingest import RawReport
from peacetrack.nlp import PIECE_CHARS, pieces
from peacetrack.pipeline import prepare
from peacetrack.sections import section_of, sections

from .conftest import SEEDS

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def long_report(copies: int, *, one_line: bool = False) -> str:
    """The seed reports, again and again: many dates, actors and events."""
    text = "\n\n".join(SEED_TEXTS * copies)
    return " ".join(text.split()) if one_line else text


def work(call) -> int:
    """The Python function calls a call makes (deterministic, unlike its time)."""
    profiler = cProfile.Profile()
    profiler.runcall(call)
    return pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]


@pytest.mark.parametrize("text, limit", [
    (long_report(3), 5_000),                  # paragraphs
    (long_report(3, one_line=True), 5_000),   # one paragraph: sentence ends
    ("word " * 30_000, 7_000),                # no sentence end: spaces
    ("x" * 25_001, 10_000),                   # no space at all
    ("e\u0301" * 9_000, 5_000),               # letters with combining accents
    ("short", PIECE_CHARS),
])
def test_pieces_join_back_into_the_text_within_the_limit(text, limit):
    cut = pieces(text, limit)
    assert "".join(cut) == text
    assert all(0 < len(p) <= limit for p in cut)
    assert not any(p[0] == "\u0301" for p in cut)  # never an accent without its letter
    if "\n\n" in text:
        assert all(p.endswith("\n") for p in cut[:-1])  # cut at paragraph breaks


def test_a_long_report_is_analysed_in_sections_that_point_into_it(analyzer, settings):
    from peacetrack.analysis import Analyzer

    document = prepare(RawReport(source="long.txt", text=long_report(2), published="2023-07-16"))
    limit = 6_000
    parts = sections(document.text, limit)
    assert len(parts) > 3
    rules = settings.updated(section_chars=limit, models="none", merge_mentions=False)
    (analysis,) = Analyzer(rules).analyse([document])  # as the fixture analyses each section
    text = document.text
    assert analysis.document.id == document.id and analysis.events and analysis.quotes
    for event in analysis.events:
        assert event.doc == document.id
        assert text[event.span[0]:event.span[1]] == event.sentence
        for actor in event.actor + event.recipient + event.mediator:
            if actor.span:
                assert text[actor.span[0]:actor.span[1]] == actor.text
        for mention in event.mentions:
            assert text[mention["span"][0]:mention["span"][1]] == mention["sentence"]
    for quote in analysis.quotes:
        assert quote.doc == document.id and text[quote.span[0]:quote.span[1]] == quote.text
    for stance in analysis.stances:
        assert stance.doc == document.id and text[stance.span[0]:stance.span[1]]
    ids = [r.id for r in analysis.events + analysis.quotes + analysis.stances]
    assert len(ids) == len(set(ids))
    # each section's events are those it has as a report of its own, moved to where it starts
    alone = set()
    for start, piece in parts:
        doc = analyzer.nlp(piece)
        found = analyzer.analyse_doc(section_of(document, start, piece), doc)
        alone |= {(e.type, e.span[0] + start, e.trigger) for e in found.events}
    assert {(e.type, e.span[0], e.trigger) for e in analysis.events} == alone


def test_a_report_shorter_than_a_section_is_analysed_as_before(analyzer):
    document = prepare(RawReport(source="x.txt", text=SEED_TEXTS[4], published="2023-07-16"))
    (analysis,) = analyzer.analyse([document])
    whole = analyzer.analyse_doc(document, analyzer.nlp(document.text))
    assert [e.to_dict() for e in analysis.events] == [e.to_dict() for e in whole.events]


def test_reading_a_long_one_line_report_grows_with_its_length():
    """The clean-up, the identity and the publication date of a report of one
    long line (4.9 MB took 11 minutes in date scanning, quadratic in its dates):
    four times the text, about four times the work."""
    small, large = long_report(8, one_line=True), long_report(32, one_line=True)
    ratio = work(lambda: prepare(RawReport("l.txt", text=large))) / \
        work(lambda: prepare(RawReport("s.txt", text=small)))
    assert ratio < 4 * 1.3, ratio  # quadratic work would be ~16 times


def test_analysing_a_dense_report_grows_with_its_length(settings):
    """A dense report of 300 KB took 4 minutes and 1.2 GB (passes comparing every
    event or mention with every other): four times the report, about four times
    the work (here with small sections, so that the test stays short)."""
    from peacetrack.analysis import Analyzer

    analyzer = Analyzer(settings.updated(section_chars=8_000))
    small, large = (prepare(RawReport("r.txt", text=long_report(n), published="2023-07-16"))
                    for n in (2, 8))
    list(analyzer.analyse([small]))  # what the stages load on first use is not counted
    ratio = work(lambda: list(analyzer.analyse([large]))) / \
        work(lambda: list(analyzer.analyse([small])))
    assert ratio < 4 * 1.3, ratio
