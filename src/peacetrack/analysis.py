"""Language analysis of documents: one Analyzer per process, model loaded once.

The stages are small and pass plain data: actors -> events -> event dates
and places -> quotes -> stances.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date as Date
from datetime import timedelta
from functools import cached_property, partial

from spacy.tokens import Doc, Token

from . import dates
from .actors import ActorFinder, DocActors, actor_for
from .chronology import Chronology, link_events, narrow_published, place_linked
from .clean import lead_end, paragraph_starts
from .decide import decide
from .events import EventCoder
from .incidents import report_window
from .learned import load_models
from .mentions import merge
from .nlp import load_model, remember_text, sentence_of, sentences_before, text_of
from .places import Gazetteer, anaphor_location, event_location, sentence_initial_alias
from .processes import OTHER, ProcessFinder
from .profile import Profile, load_profile
from .quotes import find_quotes, speech_lexicon
from .records import QUAD, Analysis, DateValue, Document, Event, Location, Quote
from .roles import (
    Process,
    carry_mediators,
    fill_implicit_roles,
    fill_populations,
    refer_to_meeting,
    refer_to_participants,
    speak_for_quotes,
    turn_hosts,
)
from .sections import analyse_in_sections
from .settings import Settings
from .stances import find_stances, issue_cues

PREMODIFIERS = {"nummod", "compound", "amod", "nmod"}
# Tags of a clause told as past, perfect or modal: not a stance held when said.
NOT_PRESENT_TAGS = ("VBD", "VBN", "MD")
# An act more than three months before its report is background (ANNOTATION.md, SPEC §2 "historical").
HISTORICAL_DAYS = 92
# Subordinators of a clause that tells what came before or after the news.
BACKGROUND_MARKS = {"after", "before", "since", "until"}


class _Built(Mapping):
    """The analyzers of the active processes, each built on first use."""

    def __init__(self, makers: dict[str, Callable[[], Analyzer]]) -> None:
        self.makers = makers
        self.built: dict[str, Analyzer] = {}

    def __getitem__(self, name: str) -> Analyzer:
        if name not in self.built:
            self.built[name] = self.makers[name]()
        return self.built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.makers)

    def __len__(self) -> int:
        return len(self.makers)


class Analyzer:
    """Everything a worker needs, built once per process from the settings.

    With profiles active, each report is analysed by the analyzer of the
    process it is about (``by_process``: one per profile and one for reports
    about none, ``other``), which share the model and the learned models;
    ``profile`` is then the union of the active profiles."""

    def __init__(self, settings: Settings, *, profile: Profile | None = None,
                 shared: Analyzer | None = None) -> None:
        self.settings = settings
        self.nlp = shared.nlp if shared else load_model(settings.model, settings.attribute_lookup)
        self.profile = profile or load_profile(settings.profile)
        self.models = shared.models if shared else load_models(settings.models)
        self.events = shared.events if shared else EventCoder()
        self.by_process: Mapping[str, Analyzer] = {}
        members = self.profile.members or (() if self.profile.name == "none" else (self.profile,))
        if profile is None and members:  # the top: one analyzer per process
            self.process_finder = ProcessFinder(members, self.nlp.vocab)
            makers = {p.name: partial(Analyzer, settings, profile=p, shared=self) for p in members}
            makers[OTHER] = partial(Analyzer, settings, profile=load_profile("none"), shared=self)
            self.by_process = _Built(makers)
        self.name = OTHER if self.profile.name == "none" else self.profile.name
        # keep the candidates the rules' sense checks would drop, for a model to
        # weigh (``train --soft-vetoes``); on today's gold the checks do better
        self._soft_vetoes = shared.soft_vetoes if shared else False

    # A process's matchers are built when its first report comes: a worker on
    # one process's reports does not build the six others'.
    @cached_property
    def actors(self) -> ActorFinder:
        return ActorFinder(self.profile, self.nlp.vocab)

    @cached_property
    def gazetteer(self) -> Gazetteer:
        return Gazetteer(profile_places=self.profile.places, focus_countries=self.profile.countries)

    @cached_property
    def stance_cues(self):
        return issue_cues(self.profile, self.nlp.vocab)  # built once per process

    @cached_property
    def process(self) -> Process:
        return Process(self.profile)

    @cached_property
    def chronology(self) -> Chronology:
        return Chronology(self.profile.chronology, self.nlp.vocab)

    @property
    def soft_vetoes(self) -> bool:
        return self._soft_vetoes

    @soft_vetoes.setter
    def soft_vetoes(self, value: bool) -> None:
        self._soft_vetoes = value
        for analyzer in getattr(self.by_process, "built", dict(self.by_process)).values():
            analyzer.soft_vetoes = value

    def for_doc(self, doc: Doc, title: str | None = None) -> tuple[Analyzer, list[str]]:
        """The analyzer of the process a parsed report is about, and every
        process it is about (best first; ``other`` for none)."""
        if not self.by_process:
            return self, [self.name]
        names = self.process_finder.assign(doc, title)
        return self.by_process[names[0] if names else OTHER], names or [OTHER]

    def analyse(self, documents: Sequence[Document]) -> Iterator[Analysis]:
        """Each document's analysis, in order; a near-duplicate is not parsed. A
        report over section_chars is parsed and analysed in sections (sections.py)."""
        originals = analyse_in_sections(self, [d for d in documents if d.duplicate_of is None],
                                        limit=self.settings.section_chars)
        for document in documents:
            if document.duplicate_of is not None:
                yield Analysis(document)  # recorded, not counted twice
            else:
                yield next(originals)

    def analyse_doc(self, document: Document, doc: Doc, *, candidates: bool = False) -> Analysis:
        """Everything found in one parsed document. ``candidates``: every event
        the rules propose, one per trigger, before the model decides and the
        mentions of one event are merged (what training learns from)."""
        remember_text(doc, document.text)  # the parsed text: Doc.text rebuilds it on each call
        analyzer, processes = self.for_doc(doc, document.title)
        document = replace(document, process=processes[0], processes=processes)
        if document.duplicate_of is not None:
            return Analysis(document)  # a near-duplicate is recorded, not counted twice
        analysis = analyzer.analyse_process_doc(document, doc, candidates=candidates)
        for record in (*analysis.events, *analysis.stances):
            record.process = document.process
        return analysis

    def analyse_process_doc(self, document: Document, doc: Doc, *,
                            candidates: bool = False) -> Analysis:
        """``analyse_doc`` for a report known to be about this analyzer's process."""
        references = self.chronology.find(doc)
        if document.published.method == "inferred":
            lead = lead_end(text_of(doc))
            year = document.published if document.published.precision == "year" else None
            lead_dates = [d for d in dates.dates_within(doc, anchor=year, start=0, end=lead)
                          if not _after(d, document.published)]
            document = replace(document, published=narrow_published(
                document.published, references, lead_dates, lead))
        actors = self.actors.find(doc, document.published)
        if document.published.method == "inferred" and document.published.precision != "month":
            published = bound_by_offices(document.published, actors)
            moved = published.value != document.published.value
            document = replace(document, published=published)
            if moved:  # the offices people held are read on the new date
                actors = self.actors.find(doc, published)
        events = self.events.code(doc, actors, doc_id=document.id, published=document.published,
                                  title=document.title,
                                  keep_vetoed=self.soft_vetoes)
        quotes = find_quotes(doc, actors, doc_id=document.id, published=document.published,
                             profile=self.profile)
        speak_for_quotes(events, doc, quotes, self.process)
        links = link_events(events, references, self.profile.entities)
        date_events(events, doc, document.published, quotes)
        self.place_events(events, doc, quotes)
        place_linked(links, self._place_named)
        recode_offices(events, actors, self.profile)
        stances = find_stances(doc, actors, events, quotes, self.profile, doc_id=document.id,
                               published=document.published, cues=self.stance_cues)
        # after the stances: a position is held by whom the report names, not by an implied role
        fill_implicit_roles(events, actors, self.process, document.text)
        refer_to_participants(events, document.text)
        refer_to_meeting(events, doc, self.process)
        carry_mediators(events, document.text)
        fill_populations(events, doc, self.process)
        turn_hosts(events, actors, self.process)
        if not candidates:
            events = decide(events, doc, self.models.get("events"))
            if self.settings.merge_mentions:
                events = merge(events, self.models.get("mentions"))
        return Analysis(document, events=events, quotes=quotes, stances=stances)

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
                        _kin(previous, event) and _same_paragraph(text, previous, event):
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

    def _place_named(self, name: str) -> Location | None:
        place = self.gazetteer.lookup(name)
        return replace(place, text=name) if place is not None else None

    def quote_place(self, event: Event, doc: Doc, quotes: Sequence[Quote]) -> Location | None:
        """An act told in the present inside a direct quote happens where the
        quote was said: "'We call on Baku to …. Such steps …,' Price told
        reporters in Washington" (the quote may run over sentences)."""
        quote = _present_in_quote(event, doc, quotes)
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
        tokens += _saying_by(span.root)  # "defended the process, telling villagers in Tavush"
        if span.root.dep_ == "acl" and span.root.head.lemma_.lower() in self.gazetteer.words.event_nouns:
            tokens.append(span.root.head)  # "talks mediated by the AU began in Pretoria"
        if governor is not None and governor.root.lemma_.lower() in self.events.lexicon.turning_verbs:
            node = governor.root  # "the conflict over Karabakh ... shifted to hostilities"
            while node.dep_ == "conj" and node.head.i != node.i:
                node = node.head
            tokens += [c for c in node.children if c.dep_ == "nsubj"]
        for token in tokens:
            event.location = event_location(sent, token, self.gazetteer, exclude=exclude)
            if event.location is not None:
                return
        saying = _saying_of(span.root) if event.status == "occurred" else None
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
        if trigger.pos_ != "NOUN":
            return None
        for child in trigger.children:
            if child.dep_ != "compound" or child.pos_ != "PROPN" or child.i > trigger.i:
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
            groups += [list(c.subtree) for c in trigger.root.children if c.dep_ == "nsubj"]
        residents = (t for words in groups for t in words or ()
                     if t.lemma_.lower() in self.gazetteer.words.resident_nouns)
        for token in residents:
            for home in _of_objects(token):
                name = home[1:] if home[0].lower_ == "the" else home
                place = self.gazetteer.place(name.text) if len(name) else None
                if place is not None:
                    return place.at(name.text, (name.start_char, name.end_char))
        return None


def _of_objects(token):
    """The phrases an "of" on the token governs: "residents of [the town of Kirants]"."""
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    yield obj.doc[obj.left_edge.i:obj.i + 1]


def bound_by_offices(published: DateValue, actors: DocActors) -> DateValue:
    """A report that calls someone by an office ("German Chancellor Olaf
    Scholz") was written while they held it: each titled mention bounds an
    inferred publication date by the office's dates in the profile. The
    result is still never a day: a year when the bounds fall in one. Its
    ``text`` names the mentions that bounded it."""
    text = text_of(actors.doc)
    earliest, latest = published.earliest or "", published.latest or "9999-12-31"
    bounding: list[str] = []
    for mention in actors.mentions:
        entity = mention.entity
        if mention.kind != "name" or entity is None or entity.kind != "person":
            continue
        words = actors.doc[mention.start:mention.end].text.lower()
        before = text[max(0, actors.doc[mention.start].idx - 12):actors.doc[mention.start].idx]
        if "former" in words or "former" in before.lower() or "ex-" in words:
            continue
        held = [o for o in entity.offices if o.role and o.role in words]
        if not held:
            continue
        earliest = max(earliest, min(o.start or "" for o in held))
        latest = min(latest, max(o.end or "9999-12-31" for o in held))
        bounding.append(actors.doc[mention.start:mention.end].text)
    if earliest > latest:  # the offices contradict each other or the text: keep what was
        return published
    # the text's own evidence again, now inside the offices' window (a weekday
    # named beside a day may then fit one year only)
    refined = dates.infer_published(text, earliest=earliest or None,
                                    latest=None if latest == "9999-12-31" else latest,
                                    matches=dates.doc_matches(actors.doc))
    if refined.value:  # a yearless dateline ("KIRANTS, April 27.") can now be read
        dateline = dates.published_from_text(text, inferred=refined)
        if dateline is not None:
            return dateline
    # each titled name once, after what dated the report before (a happening it names)
    evidence = "; ".join(dict.fromkeys(filter(None, [published.text, *bounding])))
    return replace(refined, text=evidence or None)


def _near_only(doc: Doc, location: Location | None) -> bool:
    """Whether a place was given only as "near X" (talks near Washington)."""
    if location is None or location.span is None:
        return False
    words = doc.char_span(*location.span, alignment_mode="expand")
    return words is not None and words.root.dep_ == "pobj" and words.root.head.lower_ == "near"


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
        if node.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in BACKGROUND_MARKS
                                        for c in node.children):
            return True
        node = node.head
    return False


def _saying_by(verb: Token) -> list[Token]:
    """The saying an act was done by: 'defended the process, telling villagers
    in Tavush last month' was done where and when the telling was."""
    return [c for c in verb.children if c.dep_ == "advcl" and c.tag_ == "VBG"
            and c.lemma_ in speech_lexicon().stating]


def _kin(first: Event, second: Event) -> bool:
    return (first.type in FIELD_TYPES) == (second.type in FIELD_TYPES)


def _parties(event: Event) -> set[str]:
    """Who took part, by country or organisation code (Aliyev and Azerbaijan
    are one party)."""
    return {a.code or a.id for a in event.actor + event.recipient + event.mediator
            if a.code or a.id}


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
        if event.status == "occurred" and _long_before(event.date, published):
            event.status = "historical"

    def current(i: int) -> bool:
        """A dated act of the news the report tells: its date may carry to
        undated acts (a day or month, never after the report)."""
        date = own_dates.get(i)
        if date is None or events[i].status != "occurred":
            return False
        if not date.value:  # unresolved without the report's date: "Saturday" stays words
            return bool(date.text and date.text.istitle() and not published.value)
        return date.precision in ("day", "month") and not _after(date, published)

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
        near = previous if previous is not None and _same_paragraph(text, previous, event) \
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
            if _long_before(event.date, published):
                event.status = "historical"
        elif previous_current is not None and _same_paragraph(text, previous_current, event):
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


def _present_in_quote(event: Event, doc: Doc, quotes: Sequence[Quote]) -> Quote | None:
    """The direct quote that tells the act, when it tells it in the present
    (a stance held when said, not a past act reported)."""
    trigger = event.trigger_span or event.span
    quote = next((q for q in quotes if q.direct and q.span[0] <= trigger[0] < q.span[1]), None)
    clause = doc.char_span(*trigger, alignment_mode="expand") if quote is not None else None
    return quote if clause is not None and _told_in_present(clause.root) else None


def _said_in_quote(event: Event, doc: Doc, quotes: Sequence[Quote]) -> DateValue | None:
    """The date a direct quote was said, for an act it tells in the present."""
    quote = _present_in_quote(event, doc, quotes)
    return quote.date if quote is not None and quote.date is not None and quote.date.value \
        else None


def _told_in_present(clause) -> bool:
    return not any(t.tag_ in NOT_PRESENT_TAGS for t in (clause, *clause.children))


def _clause_of(token):
    """The verb of a token's clause: a noun event's own verb ("held … talks")."""
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
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
        {t.i for t in _saying_by(trigger.root)}  # "defended the process, telling villagers last month"
    if event.governor_span is not None:
        governor = doc.char_span(*event.governor_span, alignment_mode="expand")
        targets |= {t.i for t in governor} if governor is not None else set()
    node = words.root
    words_i = {t.i for t in words}
    modifies_noun = words.root.dep_ in PREMODIFIERS and words.root.i < words.root.head.i
    for _ in range(8):
        if node.i in targets:
            return True
        if node.i != words.root.i and node.pos_ in ("VERB", "AUX"):
            return event.status == "occurred" and (
                _said_then(node, clause) or _past_complement(node, clause, date, published))
        if modifies_noun and node.pos_ in ("NOUN", "PROPN") and node.i not in words_i:
            return False  # "the 1991 Alma-Ata Declaration": the date names a thing
        modifies_noun = modifies_noun and node.dep_ in PREMODIFIERS and node.i < node.head.i
        if node.head.i == node.i:
            return True  # reached the root without meeting another act
        node = node.head
    return False


# A clause told as part of another ("launched …, pounding positions"; "met and
# agreed") shares its date; a complement ("agreed to meet next month") does not.
SHARED_TIME_DEPS = {"advcl", "conj"}


def _clause_hosts(clause) -> set[int]:
    """Verbs whose date is also the clause's: those it hangs on as a
    participle or a conjunct, and a verb describing its subject ("a statement
    issued on December 7 committed both countries")."""
    hosts = set()
    node = clause
    for _ in range(4):
        if node.dep_ not in SHARED_TIME_DEPS or node.head.i == node.i:
            break
        node = node.head
        hosts.add(node.i)
    for subject in (c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")):
        hosts |= {c.i for c in subject.children if c.dep_ == "acl" and c.pos_ == "VERB"}
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
        if node.dep_ not in ("xcomp", "ccomp") or node.head.i == node.i:
            return False
        node = node.head
        if node.i == clause.i:
            return True
    return False


def _saying_of(trigger):
    """The speech verb a stance told in the present hangs on, if any."""
    clause = _clause_of(trigger)
    node = clause
    for _ in range(4):
        if node.head.i == node.i:
            return None
        node = node.head
        if node.lemma_ in speech_lexicon().stating and node.pos_ == "VERB":
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
    return node.dep_ in ("ccomp", "parataxis") and _told_in_present(clause)


def _same_paragraph(text: str, first: Event, second: Event) -> bool:
    end = first.span[0] + len(first.sentence.rstrip())
    return "\n" not in text[end:second.span[0]]


def _bound(value: str, *, last: bool) -> Date:
    """The first (or, roughly, last) day of an ISO date at any precision."""
    parts = [int(p) for p in value.split("-")]
    month = parts[1] if len(parts) > 1 else (12 if last else 1)
    day = parts[2] if len(parts) > 2 else (28 if last else 1)
    return Date(parts[0], month, day)


def _after(date: DateValue, published: DateValue) -> bool:
    """Whether a date begins after the report's latest possible day."""
    latest = published.latest or (published.value if published.precision == "day" else None)
    return bool(latest and date.value and date.value > latest)


def _long_before(date: DateValue | None, published: DateValue) -> bool:
    """Whether a date lies well before the report (both must be known)."""
    if date is None or not date.value or not published.value:
        return False
    event_end = _bound(date.end or date.value, last=True)
    report_start = _bound(published.earliest or published.value, last=False)
    return event_end < report_start - timedelta(days=HISTORICAL_DAYS)


def recode_offices(events: list[Event], actors: DocActors, profile) -> None:
    """A person keeps the office held on the event's date (SPEC §2 actor)."""
    for event in events:
        if event.date is None or not event.date.value:
            continue
        for role in ("actor", "recipient", "mediator"):
            people = getattr(event, role)
            for i, actor in enumerate(people):
                entity = profile.entities.get(actor.id) if actor.id else None
                if entity is not None and entity.kind == "person" and entity.offices:
                    people[i] = actor_for(entity, actor.text, event.date, actor.span)
