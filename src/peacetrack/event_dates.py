"""When each event happened (the "event dates" stage): the date words that
hang on its trigger's clause, else the date of the act it goes with, else
its report's days; an act dated more than three months before its report
is background (``historical``). Also the clause walks that tell when an act
was said (a stance told in the present holds when it was said), which the
placing stage shares (event_places.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date as Date
from datetime import timedelta

from spacy.tokens import Doc, Token

from . import dates
from .incidents import report_window
from .nlp import text_of
from .quotes import speech_lexicon
from .records import DateValue, Event, Quote
from .walks import grammar

# the parser's labels (languages/en/labels.yaml)
L = grammar().labels

# An act more than three months before its report is background (ANNOTATION.md, SPEC §2 "historical").
HISTORICAL_DAYS = 92


def date_events(events: list[Event], doc: Doc, published: DateValue,
                quotes: Sequence[Quote] = ()) -> None:
    """Each event's date. First the date words of its sentence that hang on
    its trigger's clause (not on another act: "accused Russia of failing the
    2020 ceasefire" is not dated 2020). A current act with no date words of
    its own takes, in order: the date of a current act in the same sentence
    ("agreed … after talks on Tuesday"); the date of the last current act
    before it (a report tells one news event, and its undated acts belong
    to it); for the acts before any dated one, the first current date of the
    report's lead. Plans, denials and acts told as long past keep only their
    own dates."""
    own_dates: dict[int, DateValue] = {}
    for i, event in enumerate(events):
        found = dates.dates_within(doc, anchor=published, start=event.span[0], end=event.span[1],
                                   future=event.status == "future")
        own = [d for d in found if _dates_this_event(doc, d, event, published)]
        if own:
            trigger = event.trigger_span[0] if event.trigger_span else event.span[0]
            event.date = min(own, key=lambda d: abs((d.span or (0, 0))[0] - trigger))
            own_dates[i] = event.date
        if event.status == "occurred" and long_before(event.date, published):
            event.status = "historical"

    def current(i: int) -> bool:
        """A dated act of the news the report tells: its date may carry to
        undated acts (a day or month, never after the report)."""
        date = own_dates.get(i)
        if date is None or events[i].status != "occurred":
            return False
        if not date.value:  # unresolved without the report's date: "Saturday" stays words
            return bool(date.text and date.text.istitle() and not published.value)
        return date.precision in ("day", "month") and not after_report(date, published)

    text = text_of(doc)
    previous: Event | None = None  # the last act with a date of its own
    previous_current: Event | None = None
    # the report's lead date, for undated acts anywhere; unresolved words
    # ("March 1" with no year) carry only within their paragraph
    first = next((own_dates[i] for i in range(len(events)) if current(i)
                  and own_dates[i].value), None)
    for i, event in enumerate(events):
        if current(i):
            previous = previous_current = event
            continue
        said = _said_in_quote(event, doc, quotes) if event.date is None and \
            event.status == "occurred" else None
        if said is not None:  # "'We call on Baku …,' Price told reporters on Tuesday"
            event.date = said
            continue
        near = previous if previous is not None and same_paragraph(text, previous, event) \
            else None
        before_trigger = text[event.span[0]:(event.trigger_span or event.span)[0]]
        later = dates.later_than(before_trigger, near.date) \
            if near is not None and event.status == "occurred" else None
        if later is None and (event.date is not None or event.status not in ("occurred", "negated")):
            if i in own_dates and event.status == "historical":
                previous = event  # "Fighting erupted on September 27 … mobilisation"
            continue
        mates = [own_dates[j] for j in range(len(events))
                 if j != i and current(j) and events[j].span == event.span]
        same = _same_occasion(before_trigger, [events[j] for j in range(i) if j in own_dates])
        if same is not None:  # "In the same statement, Armenia backed …"
            event.date = same.date
        elif later is not None:
            start = event.span[0] + (later.span or (0, 0))[0]
            event.date = replace(later, span=(start, start + len(later.text or "")))
            previous = previous_current = event
        elif mates:
            event.date = mates[0]
        elif near is not None and near.span != event.span:
            event.date = near.date  # a sentence with no date words goes on with the one before
            if long_before(event.date, published):
                event.status = "historical"
        elif previous_current is not None and same_paragraph(text, previous_current, event):
            event.date = previous_current.date
        elif first is not None:
            event.date = first
        elif event.status == "occurred" and published.value:
            event.date = _report_days(published)  # the report's news: the days before it


def _report_days(published: DateValue) -> DateValue | None:
    """The days in which an act a report tells as done, with no date of its own
    and no dated act to go with, happened: its news, up to the report
    (incidents.report_window). A range with ``method: report``, never a day."""
    window = report_window(published.to_dict())
    if window is None:
        return None
    return DateValue(window["value"], "day", end=window["end"], method="report")


def present_in_quote(event: Event, doc: Doc, quotes: Sequence[Quote]) -> Quote | None:
    """The direct quote that tells the act, when it tells it in the present
    (a stance held when said, not a past act reported)."""
    trigger = event.trigger_span or event.span
    quote = next((q for q in quotes if q.direct and q.span[0] <= trigger[0] < q.span[1]), None)
    clause = doc.char_span(*trigger, alignment_mode="expand") if quote is not None else None
    return quote if clause is not None and _told_in_present(clause.root) else None


def _said_in_quote(event: Event, doc: Doc, quotes: Sequence[Quote]) -> DateValue | None:
    """The date a direct quote was said, for an act it tells in the present."""
    quote = present_in_quote(event, doc, quotes)
    return quote.date if quote is not None and quote.date is not None and quote.date.value \
        else None


def _told_in_present(clause) -> bool:
    return not any(t.tag_ in L.past_or_modal for t in (clause, *clause.children))


def _clause_of(token):
    """The verb of a token's clause: a noun event's own verb ("held … talks")."""
    while token.pos_ not in L.verb and token.head.i != token.i:
        token = token.head
    return token


_SAME_OCCASION = re.compile(r"\b(?:the\s+same|that)\s+(\w+)", re.I)


def _same_occasion(before_trigger: str, dated: list[Event]) -> Event | None:
    """The dated act an anaphor points back to: "in the same statement",
    "at that meeting" -> the last act told with that noun."""
    match = _SAME_OCCASION.search(before_trigger)
    if match is None:
        return None
    noun = match[1].lower().rstrip("s")
    if len(noun) < 4:
        return None
    for event in reversed(dated):
        if noun in event.sentence.lower() and event.date is not None and event.date.value:
            return event
    return None


def _dates_this_event(doc: Doc, date: DateValue, event: Event,
                      published: DateValue | None = None) -> bool:
    """Whether the date words attach to the event's trigger: the first verb
    above them (or an event noun on the way) is the trigger or its verb."""
    if date.span is None or event.trigger_span is None:
        return True
    words = doc.char_span(*date.span, alignment_mode="expand")
    trigger = doc.char_span(*event.trigger_span, alignment_mode="expand")
    if words is None or trigger is None:
        return True
    clause = _clause_of(trigger.root)
    targets = {t.i for t in trigger} | {trigger.root.head.i, clause.i} | _clause_hosts(clause) | \
        {t.i for t in saying_by(trigger.root)}  # "defended the process, telling villagers last month"
    if event.governor_span is not None:
        governor = doc.char_span(*event.governor_span, alignment_mode="expand")
        targets |= {t.i for t in governor} if governor is not None else set()
    node = words.root
    words_i = {t.i for t in words}
    modifies_noun = words.root.dep_ in L.noun_or_number_modifiers and words.root.i < words.root.head.i
    for _ in range(8):
        if node.i in targets:
            return True
        if node.i != words.root.i and node.pos_ in L.verb:
            return event.status == "occurred" and (
                _said_then(node, clause) or _past_complement(node, clause, date, published))
        if modifies_noun and node.pos_ in L.noun and node.i not in words_i:
            return False  # "the 1991 Alma-Ata Declaration": the date names a thing
        modifies_noun = modifies_noun and node.dep_ in L.noun_or_number_modifiers and node.i < node.head.i
        if node.head.i == node.i:
            return True  # reached the root without meeting another act
        node = node.head
    return False


def _clause_hosts(clause) -> set[int]:
    """Verbs whose date is also the clause's: those it hangs on as a
    participle or a conjunct, and a verb describing its subject ("a statement
    issued on December 7 committed both countries")."""
    hosts = set()
    node = clause
    for _ in range(4):
        if node.dep_ not in L.time_shared_through or node.head.i == node.i:
            break
        node = node.head
        hosts.add(node.i)
    for subject in (c for c in clause.children if c.dep_ in L.active_or_passive_subject):
        hosts |= {c.i for c in subject.children if c.dep_ in L.clause_modifier and c.pos_ in L.full_verb}
    return hosts


def _past_complement(verb, clause, date: DateValue, published: DateValue | None) -> bool:
    """A past date in what was asked for dates the asking: "asked the Council
    to take up the crisis in December" (told in February) was asked in
    December; a coming date would be the thing asked for."""
    if not (date.value and published is not None and published.value) or \
            date.value[:7] >= published.value[:7]:
        return False
    node = verb
    for _ in range(3):
        if node.dep_ not in L.clausal_complement or node.head.i == node.i:
            return False
        node = node.head
        if node.i == clause.i:
            return True
    return False


def saying_of(trigger):
    """The speech verb a stance told in the present hangs on, if any."""
    clause = _clause_of(trigger)
    node = clause
    for _ in range(4):
        if node.head.i == node.i:
            return None
        node = node.head
        if node.lemma_ in speech_lexicon().stating and node.pos_ in L.full_verb:
            return node if _said_then(node, clause) else None
    return None


def _said_then(verb, clause) -> bool:
    """A stance told in the present ("we are ready", "the EU supports") holds
    when it was said: the date of the saying ("…, Michel told reporters on
    Wednesday") is its date. A past act reported ("said the leaders had
    agreed") keeps its own."""
    if verb.lemma_ not in speech_lexicon().stating:
        return False
    node = clause
    for _ in range(4):
        if node.head.i == node.i:
            return False
        if node.head.i == verb.i:
            break
        node = node.head
    else:
        return False
    return node.dep_ in L.reported_clause_links and _told_in_present(clause)


def saying_by(verb: Token) -> list[Token]:
    """The saying an act was done by: 'defended the process, telling villagers
    in Tavush last month' was done where and when the telling was."""
    return [c for c in verb.children if c.dep_ in L.adverbial_clause and c.tag_ in L.gerund
            and c.lemma_ in speech_lexicon().stating]


def same_paragraph(text: str, first: Event, second: Event) -> bool:
    end = first.span[0] + len(first.sentence.rstrip())
    return "\n" not in text[end:second.span[0]]


def _bound(value: str, *, last: bool) -> Date:
    """The first (or, roughly, last) day of an ISO date at any precision."""
    parts = [int(p) for p in value.split("-")]
    month = parts[1] if len(parts) > 1 else (12 if last else 1)
    day = parts[2] if len(parts) > 2 else (28 if last else 1)
    return Date(parts[0], month, day)


def after_report(date: DateValue, published: DateValue) -> bool:
    """Whether a date begins after the report's latest possible day."""
    latest = published.latest or (published.value if published.precision == "day" else None)
    return bool(latest and date.value and date.value > latest)


def long_before(date: DateValue | None, published: DateValue) -> bool:
    """Whether a date lies well before the report (both must be known)."""
    if date is None or not date.value or not published.value:
        return False
    event_end = _bound(date.end or date.value, last=True)
    report_start = _bound(published.earliest or published.value, last=False)
    return event_end < report_start - timedelta(days=HISTORICAL_DAYS)
