"""The record dates the record: a process's key happenings, named in reports.

A profile's ``chronology`` lists the happenings reports refer to by name ("the
Sochi summit", "the November 9 statement", "the Prague meeting") with their
date, place, participants and mediators. A mention linked to one takes its
date (and, where the mention says nothing of them, its place and mediators);
a report with no date of its own is dated by the happenings it tells as past
(it was written after them) and as still to come (before them), at the
precision the evidence supports, with the evidence named in the date's
``text``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .dates import NEWS_DAYS, days_covered
from .nlp import pattern_words
from .records import Actor, DateValue, Event, Location

# Words near a reference that tell the happening as still to come.
COMING = {"ahead", "upcoming", "forthcoming", "planned", "next", "scheduled", "expected",
          "prepare", "preparing", "preparation", "preparations", "before", "eve", "will",
          "due", "future", "set"}
# Words that tell it as past.
PAST = {"after", "since", "following", "during", "at", "ended", "held", "signed", "reached",
        "agreed", "adopted", "last", "previous", "earlier", "ago", "was", "were"}


@dataclass(frozen=True)
class Happening:
    """One key happening of a process (a profile's chronology entry)."""

    id: str
    name: str
    type: str
    date: DateValue
    place: str | None = None
    participants: tuple[str, ...] = ()
    mediators: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Happening:
        value = str(data["date"])
        precision = {10: "day", 7: "month", 4: "year"}.get(len(value), "day")
        end = str(data["end"]) if data.get("end") else None
        return cls(id=data["id"], name=data.get("name", data["id"]), type=data["type"],
                   date=DateValue(value, precision, text=data.get("name"), end=end),
                   place=data.get("place"), participants=tuple(data.get("participants", [])),
                   mediators=tuple(data.get("mediators", [])),
                   aliases=tuple(data.get("aliases", [])))

    def days(self) -> tuple[dt.date, dt.date]:
        return days_covered(self.date.value or "", self.date.end)


@dataclass(frozen=True)
class Reference:
    """A happening named in a report: where, and whether told as past or coming."""

    happening: Happening
    span: Span
    told: str  # "past", "coming" or "unknown"


class Chronology:
    """The happenings of the active profiles, matched in documents by name."""

    def __init__(self, happenings: list[Happening], vocab) -> None:
        self.happenings = {h.id: h for h in happenings}
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        for happening in happenings:
            phrases = dict.fromkeys(happening.aliases)
            self.matcher.add(happening.id, [Doc(vocab, words=list(pattern_words(p)))
                                            for p in phrases])

    def find(self, doc: Doc) -> list[Reference]:
        """Each happening named in the document (longest name first where
        names overlap), with how it is told."""
        if not self.happenings:
            return []
        found = sorted(((doc.vocab.strings[m], s, e) for m, s, e in self.matcher(doc)),
                       key=lambda x: (x[1], -(x[2] - x[1])))
        out: list[Reference] = []
        end = -1
        for key, start, stop in found:
            if start < end:
                continue
            end = stop
            span = doc[start:stop]
            out.append(Reference(self.happenings[key], span, _told(span)))
        return out


def _told(span: Span) -> str:
    """'ahead of the Granada summit' is coming; 'after the Sochi summit' past."""
    doc = span.doc
    sent = span.sent
    before = [t.lower_ for t in doc[max(sent.start, span.start - 4):span.start]]
    if any(w in COMING for w in before):
        return "coming"
    if any(w in PAST for w in before):
        return "past"
    verb = span.root
    while verb.head.i != verb.i and verb.pos_ not in ("VERB", "AUX"):
        verb = verb.head
    if verb.tag_ in ("VBD", "VBN") or any(c.tag_ == "VBD" for c in verb.children
                                          if c.dep_ in ("aux", "auxpass")):
        return "past"
    if any(c.lower_ in ("will", "shall") for c in verb.children):
        return "coming"
    return "unknown"


def publication_bounds(references: list[Reference]) -> tuple[str | None, str | None, list[str]]:
    """The earliest and latest days a report can have been written, from the
    happenings it tells as past and as coming, and the words that say so."""
    lower = [(r.happening.days()[0], r) for r in references if r.told == "past"]
    upper = [(r.happening.days()[0], r) for r in references if r.told == "coming"]
    earliest = max(lower, key=lambda x: x[0]) if lower else None
    latest = min(upper, key=lambda x: x[0]) if upper else None
    evidence = [f"after {earliest[1].span.text}"] if earliest else []
    evidence += [f"before {latest[1].span.text}"] if latest else []
    return (earliest[0].isoformat() if earliest else None,
            latest[0].isoformat() if latest else None, evidence)


def news_window(references: list[Reference], lead_dates: list[DateValue],
                lead_end: int) -> tuple[dt.date, dt.date, str] | None:
    """What a report's lead tells as done is its news, and news is published
    within days: a happening named in the lead, else the latest day the lead
    dates, opens a window of ``NEWS_DAYS`` in which the report was written."""
    for reference in references:
        if reference.span.start_char < lead_end and reference.told in ("past", "unknown"):
            first, last = reference.happening.days()
            return first, last + dt.timedelta(days=NEWS_DAYS), reference.span.text
    days = [d for d in lead_dates if d.precision == "day" and d.value]
    if days:
        latest = max(days, key=lambda d: d.end or d.value or "")
        first, last = days_covered(latest.value or "", latest.end)
        return first, last + dt.timedelta(days=NEWS_DAYS), latest.text or latest.value or ""
    return None


def narrow_published(published: DateValue, references: list[Reference],
                     lead_dates: list[DateValue], lead_end: int) -> DateValue:
    """An inferred publication date narrowed by the happenings a report names
    and the news its lead dates: a month when the window the evidence leaves
    lies in one month, a year when in one year; the evidence goes to ``text``."""
    if published.method != "inferred":
        return published
    earliest, latest, evidence = publication_bounds(references)
    lo = max(filter(None, [published.earliest, earliest]), default=None)
    hi = min(filter(None, [published.latest, latest]), default=None)
    window = news_window(references, lead_dates, lead_end)
    if window is not None:
        first, last, words = window
        if (lo is None or lo <= last.isoformat()) and (hi is None or hi >= first.isoformat()):
            lo = max(filter(None, [lo, first.isoformat()]))
            hi = min(filter(None, [hi, last.isoformat()]))
            evidence.append(f"news of {words}")
    if not evidence or lo is None or hi is None or lo > hi:
        return published
    value, precision = published.value, published.precision
    if lo[:7] == hi[:7]:
        value, precision = lo[:7], "month"
    elif lo[:4] == hi[:4]:
        value, precision = lo[:4], "year"
    return replace(published, value=value, precision=precision, earliest=lo, latest=hi,
                   text="; ".join(evidence))


def link_events(events: list[Event], references: list[Reference],
                entities) -> list[tuple[Event, Happening]]:
    """An event told by a sentence naming a happening of its type is that
    happening: undated, it takes the happening's date; unmediated, its
    mediators. The link is recorded in ``decided_by`` and returned (places
    come later, ``place_linked``, once the report's own words have been read)."""
    links = []
    for event in events:
        for reference in references:
            start, end = reference.span.start_char, reference.span.end_char
            if not (event.span[0] <= start < event.span[1]):
                continue
            happening = reference.happening
            trigger = event.trigger_span or event.span
            names_it = trigger[0] < end and start < trigger[1]
            if event.type != happening.type and not names_it:
                continue
            if event.date is None or not event.date.value:
                event.date = replace(happening.date, span=(start, end))
            if not event.mediator and happening.mediators:
                event.mediator = [_actor(entities.get(m), m, happening.date)
                                  for m in happening.mediators]
            event.decided_by.append({"by": f"chronology:{happening.id}"})
            links.append((event, happening))
            break
    return links


def place_linked(links: list[tuple[Event, Happening]], place_of) -> None:
    """A linked event the report does not place is where its happening was
    (``place_of`` locates a name)."""
    for event, happening in links:
        if event.location is None and happening.place:
            located = place_of(happening.place)
            event.location = located or Location(text=happening.place, name=happening.place)


def _actor(entity, key: str, date: DateValue) -> Actor:
    from .actors import actor_for

    return Actor(text=key, id=key) if entity is None else actor_for(entity, entity.name, date)
