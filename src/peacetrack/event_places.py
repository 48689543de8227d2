"""Where each event happened (the "event places" stage): a venue the trigger
is named after ("the Prague meeting"), the places its sentence ties to the
trigger, where a quote telling it was said, the act before it in its
paragraph, the report's dateline, the day's or the occasion's located act.
The words and the gazetteer are places.py's; this stage decides which place
is the event's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from .clean import paragraph_starts
from .event_dates import present_in_quote, same_paragraph, saying_by, saying_of
from .events import Lexicon
from .nlp import sentence_of, sentences_before, text_of
from .places import Gazetteer, anaphor_location, event_location, sentence_initial_alias, towns_named
from .quotes import speech_lexicon
from .records import QUAD, Event, Location, Quote
from .walks import grammar

# the parser's labels and the grammar words (languages/en/labels.yaml, words.yaml)
L = grammar().labels
W = grammar().words


class EventPlacer:
    """Places a report's events with one process's gazetteer."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon) -> None:
        self.gazetteer = gazetteer
        self.lexicon = lexicon

    def place_events(self, events: list[Event], doc: Doc, quotes: Sequence[Quote] = ()) -> None:
        """Where each event happened: from its sentence; else, for a current act,
        from the act before it in the same paragraph, or the report's dateline
        for the paragraph it opens ("SOCHI, Nov 26 – The leaders pledged…")."""
        text = text_of(doc)
        dateline = self.dateline_place(doc)
        filed_lead_end = next((start for start in paragraph_starts(text)
                         if dateline is not None and start > dateline.span[0]), len(text))
        previous: Event | None = None  # the last act placed by its own sentence
        anchored: list[Event] = []  # placed by their own words or the dateline
        for event in events:
            self.place_event(event, doc)
            if event.location is None and event.status == "occurred":
                said_at = self.quote_place(event, doc, quotes)
                if said_at is not None:  # where it was said, not where the day's news was
                    event.location = said_at
                    continue
            if event.location is not None and dateline is not None and \
                    event.location.country == dateline.country and \
                    self.gazetteer.country(event.location.name or "") is not None:
                event.location = dateline  # "talks in Switzerland" filed from GENEVA
            current = event.status in ("occurred", "future")
            if event.location is not None:
                anchored.append(event)
                if current:
                    previous = event
            elif event.mode == "phone":
                pass  # a call happens between two places, not at the last one told
            elif current or event.status == "negated":
                # a plan is not where the act before it was; a talk not where fighting was;
                # what failed at the talks failed where they were held
                if previous is not None and previous.status in (event.status, "occurred") and \
                        (event.status != "future" or previous.status == "future") and \
                        _kin(previous, event) and same_paragraph(text, previous, event):
                    event.location = previous.location
                elif dateline is not None and dateline.span[0] <= event.span[0] < filed_lead_end and \
                        not _background(doc, event) and _filed_near(dateline, event):
                    event.location = dateline
                    anchored.append(event)
        # placed only "near" somewhere, or only by where the report was filed:
        # the same meeting told with its own place elsewhere wins
        vague = {id(e) for e in anchored if e.location is dateline or _near_only(doc, e.location)}
        _place_by_day(events, anchored, text, vague)
        _place_by_occasion(events, anchored, vague, dateline)
        self.narrow_countries(events, doc)

    def narrow_countries(self, events: list[Event], doc: Doc) -> None:
        """A talk or statement placed only in a country ("arrived in Armenia",
        "talks in Libya") was in a town of it: the one the report names nearest
        to the act. Acts in the field keep the country: fighting "in Ukraine"
        is not in the town the report names for something else."""
        towns: list[Location] | None = None
        for event in events:
            if event.location is None or event.type in FIELD_TYPES or \
                    self.gazetteer.country(event.location.name or "") is None:
                continue
            if towns is None:
                towns = towns_named(doc, self.gazetteer)
            inside = [t for t in towns if t.country == event.location.country]
            if inside:
                event.location = min(inside, key=lambda t: abs(t.span[0] - event.span[0]))
                event.decided_by.append({"by": "place:town-of-country"})

    def place_named(self, name: str) -> Location | None:
        place = self.gazetteer.lookup(name)
        return replace(place, text=name) if place is not None else None

    def quote_place(self, event: Event, doc: Doc, quotes: Sequence[Quote]) -> Location | None:
        """An act told in the present inside a direct quote happens where the
        quote was said: "'We call on Baku to …. Such steps …,' Price told
        reporters in Washington" (the quote may run over sentences)."""
        quote = present_in_quote(event, doc, quotes)
        speaker = quote.speaker.span if quote is not None and quote.speaker is not None else None
        words = doc.char_span(*speaker, alignment_mode="expand") if speaker else None
        said = words.root.head if words is not None else None
        if said is None or said.lemma_ not in speech_lexicon().stating:
            return None
        return event_location(sentence_of(said), said, self.gazetteer)

    def dateline_place(self, doc: Doc):
        """The city of a wire dateline ("SOCHI, Russia, Nov 26 (Wire) –", "THE
        HAGUE –") opening one of the report's first lines, if the gazetteer
        knows it."""
        words: list = []
        for token in doc[:80]:
            line_start = token.i == 0 or "\n" in doc[token.i - 1].text + doc[token.i - 1].whitespace_
            if line_start:
                words = []
            opens = line_start or (token.i > 0 and doc[token.i - 1].text == "(")  # "(GENEVA) –"
            if token.is_alpha and token.text.isupper() and (words or opens):
                words.append(token)
                continue
            if words and token.text == "-" and not token.whitespace_ and \
                    token.i + 1 < len(doc) and doc[token.i + 1].text.isupper() and \
                    doc[token.i + 1].is_alpha and not doc[token.i - 1].whitespace_:
                words.append(token)  # "CRANS-MONTANA, Switzerland": one name
                continue
            if words and token.text in (",", "–", "-", "—", "(", "/", ")"):
                name = "".join(w.text + w.whitespace_ for w in words).strip()
                place = self.gazetteer.lookup(name.title()) \
                    if len(name) >= 3 and name not in self.gazetteer.words.wire_credits else None
                if place is not None:
                    start, end = words[0].idx, words[-1].idx + len(words[-1].text)
                    return replace(place, text=name, span=(start, end))
            words = []
        return None

    def place_event(self, event: Event, doc: Doc) -> None:
        span = doc.char_span(*event.trigger_span, alignment_mode="expand") \
            if event.trigger_span else None
        if span is None:
            return
        sent = sentence_of(span.root)
        venue = next(filter(None, map(self.venue_named, span)), None)
        if venue is not None:
            self.place_at_venue(event, venue)
            return
        exclude = [a.span for a in event.actor + event.recipient + event.mediator if a.span]
        # the trigger's head first, then its other words and its reporting verb
        # ("talks held in Sochi")
        governor = doc.char_span(*event.governor_span, alignment_mode="expand") \
            if event.governor_span else None
        tokens = [*sorted(span, key=lambda t: t.i != span.root.i), *(governor or [])]
        tokens += saying_by(span.root)  # "defended the process, telling villagers in Tavush"
        if span.root.dep_ in L.clause_modifier and \
                span.root.head.lemma_.lower() in self.gazetteer.words.event_nouns:
            tokens.append(span.root.head)  # "talks mediated by the AU began in Pretoria"
        if governor is not None and governor.root.lemma_.lower() in self.lexicon.turning_verbs:
            node = governor.root  # "the conflict over Karabakh ... shifted to hostilities"
            while node.dep_ in L.conjunct and node.head.i != node.i:
                node = node.head
            tokens += [c for c in node.children if c.dep_ in L.active_subject]
        for token in tokens:
            event.location = event_location(sent, token, self.gazetteer, exclude=exclude)
            if event.location is not None:
                return
        saying = saying_of(span.root) if event.status == "occurred" else None
        if saying is not None:  # "'We call on Baku …,' Price told reporters in Washington"
            event.location = event_location(sent, saying, self.gazetteer, exclude=exclude)
        if event.location is None and event.type == "PROTEST":
            event.location = self.home_of(event, doc)
        if event.location is None:
            event.location = anaphor_location(sent, span.root, self.gazetteer,
                                              sentences_before(span.root, 3),
                                              taking=event.type == "ASSAULT")

    def venue_named(self, trigger: Token) -> Location | None:
        """The town a meeting noun is named after: "the Prague meeting", "the
        Astana talks", "the Sochi summit" (a town, not a country: "the Russia
        talks" name who talks)."""
        if trigger.pos_ not in L.common_noun:
            return None
        for child in trigger.children:
            if child.dep_ not in L.compound_modifier or child.pos_ not in L.proper_noun or \
                    child.i > trigger.i:
                continue
            words = [t for t in child.subtree if t.i < trigger.i]
            name = trigger.doc[words[0].i:words[-1].i + 1]
            place = self.gazetteer.place(name.text)
            if place is not None and place.kind != "country" and \
                    self.gazetteer.country(name.text) is None and \
                    (child.ent_type_ or not sentence_initial_alias(name, place)):
                return place.at(name.text, (name.start_char, name.end_char))
        return None

    @staticmethod
    def place_at_venue(event: Event, venue: Location) -> None:
        """The venue is where the act happened, not one who acted: a town taken
        for its state ("Prague" for Czechia) leaves the act's roles."""
        lo, hi = venue.span
        for role in ("actor", "recipient"):
            kept = [a for a in getattr(event, role)
                    if not (a.span and lo <= a.span[0] and a.span[1] <= hi)]
            if len(kept) < len(getattr(event, role)):
                setattr(event, role, kept)
                event.decided_by.append({"by": "place:venue-named", "dropped": role})
        event.location = venue

    def home_of(self, event: Event, doc: Doc) -> Location | None:
        """People protest where they live: "residents of Kirants rallied"."""
        trigger = doc.char_span(*event.trigger_span, alignment_mode="expand") \
            if event.trigger_span else None
        groups = [doc.char_span(*a.span, alignment_mode="expand") for a in event.actor if a.span]
        if trigger is not None:  # the subject, when it named no actor ("Some residents of …")
            groups += [list(c.subtree) for c in trigger.root.children if c.dep_ in L.active_subject]
        residents = (t for words in groups for t in words or ()
                     if t.lemma_.lower() in self.gazetteer.words.resident_nouns)
        for token in residents:
            for home in _of_objects(token):
                name = home[1:] if home[0].lower_ in W.definite_article else home
                place = self.gazetteer.place(name.text) if len(name) else None
                if place is not None:
                    return place.at(name.text, (name.start_char, name.end_char))
        return None


def _of_objects(token):
    """The phrases an "of" on the token governs: "residents of [the town of Kirants]"."""
    for prep in token.children:
        if prep.dep_ in L.preposition and prep.lower_ in W.genitive_preps:
            for obj in prep.children:
                if obj.dep_ in L.preposition_object:
                    yield obj.doc[obj.left_edge.i:obj.i + 1]


def _near_only(doc: Doc, location: Location | None) -> bool:
    """Whether a place was given only as "near X" (talks near Washington)."""
    if location is None or location.span is None:
        return False
    words = doc.char_span(*location.span, alignment_mode="expand")
    return words is not None and words.root.dep_ in L.preposition_object and \
        words.root.head.lower_ in W.proximity_preps


def _place_by_day(events: list[Event], anchored: list[Event], text: str,
                  vague: set[int] = frozenset()) -> None:
    """An act with no place of its own that happened on the day of a located
    act is taken to be part of the same occasion: "Putin hosted the leaders
    in Moscow on Monday. … The Armenian leader called on Baku to …"."""
    def day_of(event: Event) -> str | None:
        """The day an act is dated to; without the report's date, the same
        unresolved words ("Saturday") name the same day."""
        date = event.date
        if event.status != "occurred" or date is None:
            return None
        if date.value:
            return date.value if date.precision == "day" else None
        return f"words:{date.text.lower()}" if date.text and date.text.istitle() else None

    def near(first: Event, second: Event) -> bool:
        """Within a paragraph or two: unresolved words name the same day only
        close by (a later "Saturday" may be another week's)."""
        lo, hi = sorted((first.span[0], second.span[0]))
        return sum(1 for line in text[lo:hi].split("\n")[1:] if line.strip()) <= 2

    own = {id(e) for e in anchored}
    located: dict[tuple[str, bool], Event] = {}  # by day, and acts in the field apart
    for event in anchored:
        day = day_of(event)
        if day:
            located.setdefault((day, event.type in FIELD_TYPES), event)
    for event in events:  # the same meeting told twice: "held talks Saturday … met in Brussels"
        if (event.location is None or id(event) in vague) and event.type == "CONSULT" \
                and event.status == "occurred" and event.mode != "phone":
            same = [other for other in anchored if other.type == "CONSULT" and other is not event
                    and id(other) not in vague and other.status == "occurred"
                    and near(other, event) and _parties(other) & _parties(event)
                    and (event.location is None or other.location.country == event.location.country)]
            if same:
                event.location = min(same, key=lambda o: abs(o.span[0] - event.span[0])).location
    last: Event | None = None
    for event in events:
        day = day_of(event)
        if event.mode == "phone":
            continue  # a call happens between two places, not at the day's other act
        same_day = located.get((day, event.type in FIELD_TYPES)) if day else None
        if event.location is None and same_day is not None and \
                (not day.startswith("words:") or near(same_day, event)):
            event.location = same_day.location
        elif event.location is None and event.date is None and event.status == "occurred" \
                and last is not None and near(last, event) and _kin(last, event):
            event.location = last.location  # an undated act goes on where the story is
        if id(event) in own and event.status == "occurred":
            last = event
    lead = next((e for e in events if id(e) in own and e.status == "occurred"), None)
    for event in events:  # a lead told before its place: "agreed on Wednesday … talks in Pretoria"
        if lead is None or event is lead:
            break
        if event.location is None and event.status == "occurred" and near(event, lead) \
                and _kin(lead, event) and (event.date is None or day_of(event) == day_of(lead)
                                           or lead.date is None):
            event.location = lead.location


def _filed_near(dateline: Location, event: Event) -> bool:
    """Whether a report filed from its dateline's city can stand for where an
    act happened. Talks and statements happen where the reporter is; fighting,
    releases and blockades happen in the field, so one takes the dateline
    only when it lies in a country the act involves (a Kharkiv dateline for
    shelling of Ukraine, not a Sochi one for a clash on another border)."""
    if event.type not in FIELD_TYPES:
        return True
    return dateline.country is not None and dateline.country in _parties(event)


def _place_by_occasion(events: list[Event], anchored: list[Event], vague: set[int],
                       dateline: Location | None) -> None:
    """What the parties to a meeting said, agreed or asked for on its day, or
    with no day of its own, was said where the meeting was held, however far
    down the report tells it: the report's occasion is the first meeting it
    places by its own words ("talks in Astana"). A wire dateline says where the
    report was filed, not where the talks were, so the occasion wins over it."""
    occasion = next((e for e in anchored if e.type == "CONSULT" and e.status == "occurred"
                     and id(e) not in vague and e.mode != "phone"), None)
    if occasion is None or occasion.location is None:
        return
    parties = _parties(occasion)
    day = occasion.date.value if occasion.date is not None and occasion.date.precision == "day" \
        else None
    for event in events:
        if event is occasion or event.type in FIELD_TYPES or event.mode == "phone" \
                or event.status not in ("occurred", "negated"):
            continue
        if event.location is not None and not (dateline is not None and event.location is dateline):
            continue
        own_day = event.date.value if event.date is not None else None
        if own_day is not None and own_day != day:
            continue
        if parties and _parties(event) and not _parties(event) & parties:
            continue
        event.location = occasion.location
        event.decided_by.append({"by": "place:occasion"})


# Acts in the field (PLOVER's material acts, cooperative or not, and threats)
# happen somewhere else than the talks about them: a place carries only between
# acts of one kind (peacekeepers clearing mines are not where the summit was).
FIELD_TYPES = frozenset({t for t, quad in QUAD.items() if quad.startswith("material")}
                        | {"THREATEN"})


def _background(doc: Doc, event: Event) -> bool:
    """An act told in an 'after/before/since' clause of the lead ("..., two weeks
    after Azerbaijan retook the region"): not the news the dateline files."""
    span = doc.char_span(*event.trigger_span, alignment_mode="expand") if event.trigger_span else None
    node = span.root if span is not None else None
    for _ in range(4):
        if node is None or node.head.i == node.i:
            return False
        if node.dep_ in L.adverbial_clause and any(
                c.dep_ in L.marker and c.lower_ in W.background_marks for c in node.children):
            return True
        node = node.head
    return False


def _kin(first: Event, second: Event) -> bool:
    return (first.type in FIELD_TYPES) == (second.type in FIELD_TYPES)


def _parties(event: Event) -> set[str]:
    """Who took part, by country or organisation code (Aliyev and Azerbaijan
    are one party)."""
    return {a.code or a.id for a in event.actor + event.recipient + event.mediator
            if a.code or a.id}
