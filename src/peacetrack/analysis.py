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
from .stages import Stage, Watch, Work, check_order
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

    def analyse_doc(self, document: Document, doc: Doc, *, candidates: bool = False,
                    watch: Watch | None = None) -> Analysis:
        """Everything found in one parsed document. ``candidates``: every event
        the rules propose, one per trigger, before the model decides and the
        mentions of one event are merged (what training learns from).
        ``watch(stage, work, run)`` runs each stage instead of the loop (the
        bench times them, a test checks what each changes)."""
        remember_text(doc, document.text)  # the parsed text: Doc.text rebuilds it on each call
        analyzer, processes = self.for_doc(doc, document.title)
        document = replace(document, process=processes[0], processes=processes)
        if document.duplicate_of is not None:
            return Analysis(document)  # a near-duplicate is recorded, not counted twice
        analysis = analyzer.analyse_process_doc(document, doc, candidates=candidates,
                                                watch=watch)
        for record in (*analysis.events, *analysis.stances):
            record.process = document.process
        return analysis

    def analyse_process_doc(self, document: Document, doc: Doc, *, candidates: bool = False,
                            watch: Watch | None = None) -> Analysis:
        """``analyse_doc`` for a report known to be about this analyzer's
        process: the stages of ``STAGES`` in their order."""
        work = Work(document=document, doc=doc)
        for stage in STAGES:
            if stage.final and candidates:
                continue
            if watch is None:
                stage.run(self, work)
            else:
                watch(stage, work, partial(stage.run, self, work))
        return Analysis(work.document, events=work.events, quotes=work.quotes,
                        stances=work.stances)


# -- the stages (stages.py): each reads what it needs of the work and sets its part

def _references(analyzer: Analyzer, work: Work) -> None:
    work.references = analyzer.chronology.find(work.doc)


def _published_by_lead(analyzer: Analyzer, work: Work) -> None:
    published = work.document.published
    if published.method != "inferred":
        return
    lead = lead_end(text_of(work.doc))
    year = published if published.precision == "year" else None
    lead_dates = [d for d in dates.dates_within(work.doc, anchor=year, start=0, end=lead)
                  if not after_report(d, published)]
    work.document = replace(work.document, published=narrow_published(
        published, work.references, lead_dates, lead))


def _actors(analyzer: Analyzer, work: Work) -> None:
    work.actors = analyzer.actors.find(work.doc, work.document.published)


def _published_by_offices(analyzer: Analyzer, work: Work) -> None:
    document = work.document
    if document.published.method != "inferred" or document.published.precision == "month":
        return
    published = bound_by_offices(document.published, work.actors)
    work.document = replace(document, published=published)
    if published.value != document.published.value:  # the offices held are read on the new date
        work.actors = analyzer.actors.find(work.doc, published)


def _events(analyzer: Analyzer, work: Work) -> None:
    document = work.document
    work.events = analyzer.events.code(work.doc, work.actors, doc_id=document.id,
                                       published=document.published, title=document.title,
                                       keep_vetoed=analyzer.soft_vetoes)


def _quotes(analyzer: Analyzer, work: Work) -> None:
    document = work.document
    work.quotes = find_quotes(work.doc, work.actors, doc_id=document.id,
                              published=document.published, profile=analyzer.profile)
    speak_for_quotes(work.events, work.doc, work.quotes, analyzer.process)


def _chronology(analyzer: Analyzer, work: Work) -> None:
    work.links = link_events(work.events, work.references, analyzer.profile.entities)


def _dates(analyzer: Analyzer, work: Work) -> None:
    date_events(work.events, work.doc, work.document.published, work.quotes)


def _places(analyzer: Analyzer, work: Work) -> None:
    analyzer.placer.place_events(work.events, work.doc, work.quotes)
    place_linked(work.links, analyzer.placer.place_named)


def _offices(analyzer: Analyzer, work: Work) -> None:
    recode_offices(work.events, work.actors, analyzer.profile)


def _stances(analyzer: Analyzer, work: Work) -> None:
    document = work.document
    work.stances = find_stances(work.doc, work.actors, work.events, work.quotes,
                                analyzer.profile, doc_id=document.id,
                                published=document.published, cues=analyzer.stance_cues)


def _implied_roles(analyzer: Analyzer, work: Work) -> None:
    events, text = work.events, work.document.text
    fill_implicit_roles(events, work.actors, analyzer.process, text)
    refer_to_participants(events, text)
    refer_to_meeting(events, work.doc, analyzer.process)
    carry_mediators(events, text)
    fill_populations(events, work.doc, analyzer.process)
    turn_hosts(events, work.actors, analyzer.process)


def _decision(analyzer: Analyzer, work: Work) -> None:
    work.events = decide(work.events, work.doc, analyzer.models.get("events"))


def _mentions(analyzer: Analyzer, work: Work) -> None:
    if analyzer.settings.merge_mentions:
        work.events = merge(work.events, analyzer.models.get("mentions"))


ROLES = ("events.actor", "events.recipient", "events.mediator")
STAGES = (
    Stage.of("references", _references, needs={"doc"}, sets={"references"},
             why="the happenings of the profile's chronology the report names"),
    Stage.of("published-by-lead", _published_by_lead,
             needs={"doc", "document.published", "references"}, sets={"document.published"},
             why="an inferred publication date narrowed by the lead's dates and happenings"),
    Stage.of("actors", _actors, needs={"doc", "document.published"}, sets={"actors"},
             why="the people, states and groups named, with the offices held then"),
    Stage.of("published-by-offices", _published_by_offices,
             needs={"actors", "document.published"}, sets={"document.published", "actors"},
             why="an inferred publication date bounded by the offices its people held"),
    Stage.of("events", _events, needs={"doc", "actors", "document.published"},
             sets={"events", "events.type", "events.mode", "events.status", *ROLES},
             why="one candidate per trigger, with its roles and status (events.py)"),
    Stage.of("quotes", _quotes, needs={"doc", "actors", "events"},
             sets={"quotes", *ROLES},
             why="quotes and their speakers; 'we' in a quote acts for its speaker"),
    Stage.of("chronology", _chronology, needs={"events", "references"},
             sets={"links", "events.date", "events.mediator"},
             why="an act naming a known happening takes its date and mediators"),
    Stage.of("dates", _dates, needs={"events", "quotes", "document.published"},
             sets={"events.date", "events.status"},
             why="each event's date; long before the report is historical (event_dates.py)"),
    Stage.of("places", _places, needs={"events", "events.date", "events.status", "quotes", "links"},
             sets={"events.location", "events.actor", "events.recipient"},
             why="where each event happened; a venue is no actor (event_places.py)"),
    Stage.of("offices", _offices, needs={"events.date", "actors"}, sets=set(ROLES),
             why="a person keeps the office held on the event's date"),
    Stage.of("stances", _stances, needs={"events", "quotes", "actors"}, sets={"stances"},
             why="positions on the profile's issues, held by whom the report names"),
    # after the stances: a position is held by whom the report names, not by an implied role
    Stage.of("implied-roles", _implied_roles, needs={"events", "events.date", "events.location", "stances"},
             sets={*ROLES, "events.mode", "events.date", "events.location"},
             why="roles the report leaves implicit; a meeting told again with no one named "
                 "takes the earlier one's people, day and place (roles.py)"),
    Stage.of("decision", _decision, needs={"events", *ROLES, "events.status"},
             sets={"events", "events.type", "events.mode"}, final=True,
             why="the learned model keeps and types each candidate (decide.py)"),
    Stage.of("mentions", _mentions, needs={"events", "events.date", "events.location"},
             sets={"events", "events.mentions", "events.date", "events.location", *ROLES},
             final=True, why="the mentions of one happening merged into one event, with the "
                             "facts of all of them (mentions.py)"),
)
check_order(STAGES)


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
