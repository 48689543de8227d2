"""Language analysis of documents: one Analyzer per process, model loaded once.

The stages are small and pass plain data: actors -> events -> quotes ->
event dates (event_dates.py) and places (event_places.py) -> stances ->
implied roles (roles.py) -> the learned decision (decide.py) and mentions
merged into events (mentions.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from functools import cached_property, partial

from spacy.tokens import Doc

from . import dates
from .actors import ActorFinder, DocActors, actor_for
from .chronology import Chronology, link_events, narrow_published, place_linked
from .clean import lead_end
from .decide import decide
from .event_dates import after_report, date_events
from .event_places import EventPlacer
from .events import EventCoder
from .learned import load_models
from .mentions import merge
from .nlp import load_model, remember_text, text_of
from .places import Gazetteer
from .processes import OTHER, ProcessFinder
from .profile import Profile, load_profile
from .quotes import find_quotes
from .records import Analysis, DateValue, Document, Event
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
    def placer(self) -> EventPlacer:
        return EventPlacer(self.gazetteer, self.events.lexicon)

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
                          if not after_report(d, document.published)]
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
        self.placer.place_events(events, doc, quotes)
        place_linked(links, self.placer.place_named)
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
