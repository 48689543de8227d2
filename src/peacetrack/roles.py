"""Roles a report leaves to its reader, filled from the process it is about.

A careful analyst codes "the leaders also agreed to restore rail links",
told just after talks Michel mediated, as an agreement under Michel's
mediation; "Fighting erupted" as fighting between the two parties; "Russia
offered to host the talks" as an offer to the parties; "talks between the
two leaders, Macron and Michel" as talks Macron and Michel mediated; "Baku
refused" as a refusal addressed to Armenia. These rules
(``fill_implicit_roles``) run only in a report that names both parties of the
profile's process. The others need no two-sided process: people no name
covers act for their place (``fill_populations``), a visitor acts and the host
receives (``turn_hosts``), "I" and "we" in a quote are the speaker and whom
the speaker speaks for (``speak_for_quotes``). Every rule fills only a role
the sentence left empty (or corrects a visit's direction), and the actor it
adds carries the report's own words and span for it, so the record stays
traceable. The rules' types and words are data (``lexicons/implicit_roles.yaml``).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache

from spacy.tokens import Doc, Token

from .actors import DocActors, actor_for, unique_actors
from .clean import paragraph_starts
from .events import imperative
from .lexicons import load_lexicon
from .nlp import text_of
from .profile import NON_STATE_SECTORS, Entity, Profile
from .records import Actor, Event, Quote
from .walks import grammar

# the parser's labels and the grammar words (languages/en/labels.yaml, words.yaml)
L = grammar().labels
W = grammar().words

# acts aimed at whoever held the place they happened in (Process.holder_at)
ATTACK_TYPES = frozenset({"ASSAULT", "COERCE"})


@dataclass(frozen=True)
class RoleRules:
    mediated_types: frozenset[str]
    mediated_within: int
    offer_types: frozenset[str]
    proposed_talks_types: frozenset[str]
    talks_words: frozenset[str]
    mutual_types: frozenset[str]
    mutual_words: frozenset[str]
    agentless_mutual_types: frozenset[str]
    present_mediator_types: frozenset[str]
    counterpart_types: frozenset[str]
    counterpart_actor_types: frozenset[str]
    population_types: frozenset[str]
    venue_nouns: frozenset[str]
    population_nouns: dict[str, str | None]
    population_sectors: dict[str, str]
    population_counts: frozenset[str]
    hosting_verbs: frozenset[str]
    participant_words: frozenset[str] = frozenset()
    cosigned_types: frozenset[str] = frozenset()
    meeting_reference_words: frozenset[str] = frozenset()
    reference_counts: dict[str, int] = field(default_factory=dict)


@cache
def role_rules() -> RoleRules:
    data = load_lexicon("implicit_roles")
    return RoleRules(
        mediated_types=frozenset(data.get("mediated_types", [])),
        mediated_within=int(data.get("mediated_within_paragraphs", 1)),
        offer_types=frozenset(data.get("offer_types", [])),
        proposed_talks_types=frozenset(data.get("proposed_talks_types", [])),
        talks_words=frozenset(w.lower() for w in data.get("talks_words", [])),
        mutual_types=frozenset(data.get("mutual_types", [])),
        mutual_words=frozenset(w.lower() for w in data.get("mutual_words", [])),
        agentless_mutual_types=frozenset(data.get("agentless_mutual_types", [])),
        present_mediator_types=frozenset(data.get("present_mediator_types", [])),
        counterpart_types=frozenset(data.get("counterpart_types", [])),
        counterpart_actor_types=frozenset(data.get("counterpart_actor_types", [])),
        population_types=frozenset(data.get("population_types", [])),
        venue_nouns=frozenset(data.get("venue_nouns", [])),
        population_nouns={word.lower(): sector
                          for word, sector in (data.get("population_nouns") or {}).items()},
        population_sectors={word.lower(): sector
                            for word, sector in (data.get("population_sectors") or {}).items()},
        population_counts=frozenset(data.get("population_counts", [])),
        # positions.yaml's hosting verbs: the speaker of a statement whose verb
        # is one hosted what it tells (its mediator, not its actor)
        hosting_verbs=frozenset(w.lower() for w in load_lexicon("positions").get("hosting", [])),
        participant_words=frozenset(w.lower() for w in data.get("participant_words", [])),
        cosigned_types=frozenset(data.get("cosigned_types", [])),
        meeting_reference_words=frozenset(w.lower() for w in data.get("meeting_reference_words", [])),
        reference_counts={w.lower(): int(n) for w, n in (data.get("reference_counts") or {}).items()})


class Process:
    """Who the profile's process is between, and who mediates it."""

    def __init__(self, profile: Profile) -> None:
        self.entities = profile.entities
        self.profile = profile
        self.mediators = frozenset(m for track in profile.tracks for m in track.mediators)
        # the sides, by key: a state party by its code (its officials and organs
        # act for it), an armed group or other non-state party by its id
        parties = [profile.entities[p] for p in profile.parties if p in profile.entities]
        self.states = {(party.code if party.kind == "country" else party.id): party
                       for party in parties if party.code or party.kind != "country"}
        self.party_codes = tuple(self.states)
        self._groups = {party.id: key for key, party in self.states.items() if key == party.id}
        # places a third side held: an attack there was aimed at it ("retook the region")
        self.held: dict[str, tuple[Entity, str]] = {
            name.lower(): (profile.entities[place["held_by"]], str(place.get("held_until") or "9999"))
            for place in profile.places if place.get("held_by") in profile.entities
            for name in _place_names(place)}
        # places whose people are a group of their own ("people in Karabakh")
        self.peoples: dict[str, Entity] = {
            name: profile.entities[place["people"]] for place in profile.places
            if place.get("people") in profile.entities for name in _place_names(place)}
        # whom a speaker saying "we" speaks for: a state, else an organisation, by code;
        # a rebel, opposition or civilian speaker, the group of that code and sector
        self.speaks_for: dict[str, Entity] = {}
        for kind in ("country", "organisation"):
            for entity in profile.entities.values():
                if entity.kind == kind and entity.code and not entity.part_of:
                    self.speaks_for.setdefault(entity.code, entity)
        self._groups_by: dict[tuple[str, str], list[Entity]] = {}
        for entity in profile.entities.values():
            if entity.kind != "country" and entity.code and entity.sector in NON_STATE_SECTORS \
                    and not entity.part_of and entity.kind != "person":
                self._groups_by.setdefault((entity.code, entity.sector), []).append(entity)

    def voice_of(self, speaker: Actor) -> Entity | None:
        """Whom a speaker's "we" stands for: the speaker's state or organisation,
        or, for a rebel, opposition or civilian speaker, their group (a party of
        the process first); None when that is not clear."""
        if speaker.sector not in NON_STATE_SECTORS:
            return self.speaks_for.get(speaker.code or "")
        groups = self._groups_by.get((speaker.code or "", speaker.sector or ""), [])
        sides = [g for g in groups if g.id in self._groups]
        chosen = sides or groups
        return chosen[0] if len(chosen) == 1 else None

    def holder_at(self, event: Event) -> Actor | None:
        """Who held the place an act happened in, when a profile place says so."""
        place = event.location
        held = self.held.get((place.name or "").lower()) if place is not None else None
        if held is None or (event.date is not None and event.date.value and
                            event.date.value[:len(held[1])] > held[1]):
            return None
        return actor_for(held[0], place.text, None, place.span)

    def is_mediator(self, actor: Actor) -> bool:
        entity = self.entities.get(actor.id or "")
        return actor.id in self.mediators or (
            entity is not None and entity.part_of in self.mediators)

    def party_of(self, actor: Actor) -> str | None:
        """The party an actor acts for (its key in ``states``): a state, for its
        bodies and officials; a non-state party, for itself, its people (its
        code and sector) and its parts. Rebels and civilians inside a party
        state are not that state's side."""
        if self.is_mediator(actor):
            return None
        entity = self.entities.get(actor.id or "")
        for key in (actor.id, entity.part_of if entity is not None else None):
            if key in self._groups:
                return self._groups[key]
        # a state's side: not its rebels, nor a named group of its people or opposition
        # (a politician out of office, or citizens, still are)
        state_side = actor.sector != "REB" and (
            actor.sector not in NON_STATE_SECTORS or entity is None or
            entity.kind in ("country", "person"))
        for key, party in self.states.items():
            if key == party.id and actor.code == party.code and actor.code and (
                    actor.sector == party.sector or  # "TPLF leader Debretsion Gebremichael"
                    (party.sector not in NON_STATE_SECTORS and state_side)):  # a state force's officials
                return key
        if actor.code in self.states and self.states[actor.code].kind == "country" and state_side:
            return actor.code
        return None

    def parties_in(self, actors: DocActors, span: tuple[int, int]) -> list[Actor] | None:
        """The parties as one sentence names them ('a meeting between Aliyev and
        Pashinyan'), when it names both; else None."""
        found: dict[str, Actor] = {}
        for mention in actors.mentions:
            for actor in mention.actors:
                code = self.party_of(actor)
                if code and code not in found and _inside(actor, span):
                    found[code] = actor
        return list(found.values()) if len(found) == len(self.party_codes) else None

    def states_in(self, actors: DocActors, span: tuple[int, int]) -> list[Actor] | None:
        """The parties' states, as one sentence names them or their people ('the
        commissions led by Grigoryan and Mustafayev'), when it names both."""
        named = self.parties_in(actors, span)
        return [actor_for(self.states[self.party_of(a)], a.text, None, a.span) for a in named] \
            if named else None

    def parties_named(self, actors: DocActors) -> dict[str, Actor]:
        """Each party as a country-level actor, with the text and span of the
        report's first mention of it or of its people ('Yerevan', 'the Armenian
        side', 'Azerbaijani President Ilham Aliyev')."""
        named: dict[str, Actor] = {}
        for mention in sorted(actors.mentions, key=lambda m: m.start):
            for actor in mention.actors:
                code = self.party_of(actor)
                if code is None or code in named:
                    continue
                state = self.states.get(code)  # its people, bodies and officials act for it
                if state is not None:
                    named[code] = actor_for(state, actor.text, None, actor.span)
        return named


def fill_implicit_roles(events: list[Event], actors: DocActors, process: Process,
                        text: str, rules: RoleRules | None = None) -> None:
    """Fill the roles the report implies (see the module's docstring), in place."""
    rules = rules or role_rules()
    parties = process.parties_named(actors)
    if len(parties) < 2 or len(process.party_codes) != 2:
        return  # a report on another process, or a process of more than two sides
    paragraphs = paragraph_starts(text)
    for event in events:  # first: the talks whose mediators the sentence names, for the carry below
        if event.status != "negated" and not event.mediator and \
                event.type in rules.present_mediator_types:
            _present_mediators(event, actors, process)
    for position, event in enumerate(events):
        if event.status == "negated":
            continue
        mutual = not event.actor and not event.recipient and event.type in rules.mutual_types
        if mutual and (_words(event.trigger) & rules.mutual_words or
                       event.type in rules.agentless_mutual_types and _agentless(event, actors.doc)):
            event.decided_by.append({"by": "role:mutual-act-of-the-sides"
                                     if _words(event.trigger) & rules.mutual_words
                                     else "role:agreed-by-no-one-named"})
            event.actor = process.parties_in(actors, _phrase_of(event, actors, rules)) or []
            if not event.actor and event.type == "CONSULT":
                met = _meeting_before(event, events[:position], process, paragraphs)
                if met is not None:  # the same meeting: its people, mediators, day and place
                    event.actor, mediators = _third_party_split(met, process)
                    event.mediator = event.mediator or mediators
                    event.date = event.date or met.date
                    event.location = event.location or met.location
            event.actor = event.actor or process.states_in(actors, event.span) or \
                list(parties.values())
            continue
        if event.actor and not event.recipient and event.type in rules.offer_types and \
                all(process.is_mediator(a) for a in event.actor):
            event.recipient = process.parties_in(actors, event.span) or list(parties.values())
            if event.type in rules.proposed_talks_types and not event.mediator and \
                    _words(event.sentence) & rules.talks_words:
                # ANNOTATION.md: a mediator proposing talks between the parties is the
                # AGREE's actor, the parties its recipients, and the talks' mediator
                event.mediator = list(event.actor)
                event.decided_by.append({"by": "role:mediator-offers-talks"})
            continue
        if event.actor and not event.recipient and event.type in rules.counterpart_types:
            event.recipient = _counterpart(event.actor, event, actors, process, parties)
        elif event.recipient and not event.actor and event.type in rules.counterpart_actor_types:
            event.actor = _counterpart(event.recipient, event, actors, process, parties)
        if not event.mediator and event.type in rules.cosigned_types:
            _cosigning_mediators(event, process)
        # (talks with a mediator are not mediated by anyone)
        if not event.mediator and event.type in rules.mediated_types and event.actor and \
                all(process.party_of(a) for a in event.actor) and \
                not (event.type == "CONSULT" and any(process.is_mediator(r) for r in event.recipient)):
            _carry_mediators(event, events, process, paragraphs, rules.mediated_within)


def _agentless(event: Event, doc: Doc) -> bool:
    """Whether the act's verb names no one doing it: no subject of an active
    verb, no by-phrase of a passive one."""
    words = doc.char_span(*event.trigger_span, alignment_mode="expand") \
        if event.trigger_span else None
    if words is None:
        return False
    verb = words.root
    return verb.pos_ in L.verb and grammar().own_subject(verb) is None and _agent_of(verb) is None


def refer_to_participants(events: list[Event], text: str, rules: RoleRules | None = None) -> None:
    """'The sides', 'both delegations', 'they', 'the leaders' acting after a
    meeting are those who sat at it (ANNOTATION.md: the parties of mediated
    talks are its actors): told after Aliyev and Pashinyan met, "the sides
    agreed to ..." is their agreement, not Armenia's and Azerbaijan's. The
    words are the report's own (their text and span are kept); only a plural
    reference whose sides are exactly the meeting's is replaced, by the
    nearest meeting before it, within ``mediated_within`` paragraphs and not
    on another day; the meeting's mediators come with it."""
    rules = rules or role_rules()
    paragraphs = paragraph_starts(text)
    talks = [e for e in events if e.type == "CONSULT" and e.status != "negated"]
    for event in events:
        if not _plural_reference(event.actor, rules):
            continue
        here = bisect.bisect_right(paragraphs, event.span[0])
        sides = {_side(a) for a in event.actor}
        met = [t for t in talks if t is not event and t.span[0] < event.span[0]
               and here - bisect.bisect_right(paragraphs, t.span[0]) <= rules.mediated_within
               and not _other_day(event, t) and not _plural_reference(t.actor, rules)
               and {_side(a) for a in t.actor + t.recipient} >= sides]
        if not met:
            continue
        nearest = max(met, key=lambda t: t.span[0])
        people = [a for a in unique_actors(nearest.actor + nearest.recipient) if _side(a) in sides]
        if {_side(a) for a in people} != sides or len(people) != len(sides) or \
                {a.id for a in people} == {a.id for a in event.actor}:
            continue
        where = event.actor[0]
        event.actor = [replace(a, text=where.text, span=where.span) for a in people]
        if not event.mediator and event.type in rules.mediated_types:
            own = {a.id for a in event.actor + event.recipient if a.id}
            event.mediator = [m for m in nearest.mediator if m.id not in own]
        event.decided_by.append({"by": "role:participants-of-the-meeting"})


def refer_to_meeting(events: list[Event], doc: Doc, process: Process,
                     rules: RoleRules | None = None) -> None:
    """A plural subject no name covers is those who met at the meeting told
    before it: "the leaders also agreed ..." after Aliyev and Pashinyan met
    under Michel, "the trio suggested ..." after talks Russia, Iran and Turkey
    sponsored, "the four countries agreed" after a four-way summit ("they" is
    left to the actor finder's antecedents). A number in the words
    ("the two parties", "the trio") picks the group of that size: the sides,
    the mediators, or all at the table; without one, the sides, with the
    meeting's mediators. Only the nearest meeting of two or more named
    participants, within ``mediated_within`` paragraphs and not on another
    day, is used; the report's own words and span are kept."""
    rules = rules or role_rules()
    if not rules.meeting_reference_words:
        return
    paragraphs = paragraph_starts(text_of(doc))
    talks = [e for e in events if e.type == "CONSULT" and e.status != "negated" and
             len({a.id for a in e.actor + e.recipient if a.id}) >= 2]
    if not talks:
        return
    for event in events:
        subject = _reference_subject(event, doc, rules)
        if subject is None:
            continue
        words = (subject.left_edge.idx, subject.idx + len(subject))
        if any(_inside(a, words) for a in event.actor):
            continue  # the subject named someone: the actor finder read it
        here = bisect.bisect_right(paragraphs, event.span[0])
        met = [t for t in talks if t is not event and t.span[0] < event.span[0]
               and here - bisect.bisect_right(paragraphs, t.span[0]) <= rules.mediated_within
               and not _other_day(event, t)]
        if not met:
            continue
        people, mediators = _third_party_split(max(met, key=lambda t: t.span[0]), process)
        mediators = unique_actors(mediators)
        mediating = {m.id for m in mediators}
        sides = _persons_over_states([a for a in unique_actors(people)
                                      if a.id and a.id not in mediating], process)
        count = _reference_count(subject, rules)
        if count is None:
            group = sides if len(sides) >= 2 else []
        else:
            group = next((g for g in (sides, mediators, sides + mediators) if len(g) == count), [])
        if not group:
            continue
        span = (subject.idx, subject.idx + len(subject))
        event.actor = [replace(a, text=subject.text, span=span) for a in group]
        if group is sides and not event.mediator and event.type in rules.mediated_types:
            event.mediator = list(mediators)
        event.decided_by.append({"by": "role:those-who-met"})


def _persons_over_states(actors: list[Actor], process: Process) -> list[Actor]:
    """A state named beside a person acting for it is the person's side, not
    a second participant ('Aliyev and Azerbaijan' met once)."""
    acting = {a.code for a in actors
              if getattr(process.entities.get(a.id or ""), "kind", None) == "person"}
    return [a for a in actors if a.code not in acting or
            getattr(process.entities.get(a.id or ""), "kind", None) != "country"]


def _reference_subject(event: Event, doc: Doc, rules: RoleRules) -> Token | None:
    """The event's subject when it is a plural noun that names nobody ('the
    leaders', 'both delegations', 'the trio'), else None."""
    span = event.governor_span or event.trigger_span
    words = doc.char_span(*span, alignment_mode="expand") if span else None
    if words is None:
        return None
    subject = _subject_of(words.root) or _agent_of(words.root)
    if subject is None:
        return None
    if subject.tag_ not in L.plural_noun and subject.lemma_.lower() not in rules.reference_counts:
        return None
    if subject.lower_ not in rules.meeting_reference_words and \
            subject.lemma_.lower() not in rules.meeting_reference_words:
        return None
    if any(c.dep_ in L.owner_links or (c.ent_type_ and c.dep_ not in L.number_modifier)
           for c in subject.children):
        return None  # "Russia's leaders", "the leaders of ...": the actor finder's to read
    return subject


def _agent_of(verb: Token) -> Token | None:
    """The doer of a passive verb ('the deal agreed upon by the four countries')."""
    agent = next((c for c in verb.children if c.dep_ in L.agent), None)
    return next((c for c in agent.children if c.dep_ in L.preposition_object), None) \
        if agent is not None else None


def _reference_count(subject: Token, rules: RoleRules) -> int | None:
    for word in [subject.lemma_.lower(), *(c.lower_ for c in subject.children)]:
        if word in rules.reference_counts:
            return rules.reference_counts[word]
    return None


def _plural_reference(actors: list[Actor], rules: RoleRules) -> bool:
    """Whether the actors are one plural word's ('the sides', 'they')."""
    if len(actors) < 2 or len({a.span for a in actors}) != 1:
        return False
    words = actors[0].text.lower().split()
    return bool(words) and words[-1] in rules.participant_words


def _side(actor: Actor) -> str:
    """The side an actor sits for: its state's code, else itself."""
    return actor.code or actor.id or actor.text.lower()


def carry_mediators(events: list[Event], text: str, rules: RoleRules | None = None) -> None:
    """What comes out of mediated talks carries their mediators (ANNOTATION.md),
    in any process, profile or not: an agreement, a signing, a statement by
    the sides of talks someone mediated, told near them and not on another
    day, takes the talks' mediators. So does an agreement the talks failed
    to reach ("failed to agree"), and a mediator who signs with the sides
    is an actor and stays the mediator ("signed a statement with Putin").
    The mediated act may be the talks or what they produced: beside "the
    Egyptian-brokered ceasefire", the sides' other agreements of that day
    were made under the same mediation."""
    rules = rules or role_rules()
    paragraphs = paragraph_starts(text)
    talks = [e for e in events
             if e.type in rules.mediated_types and e.mediator and e.status != "negated"]
    if not talks:
        return
    for event in events:
        if event.mediator or event.type not in rules.mediated_types or \
                event.type == "CONSULT" or not event.actor:
            continue
        here = bisect.bisect_right(paragraphs, event.span[0])
        codes = {_side(a) for a in event.actor}
        near = [t for t in talks
                if abs(bisect.bisect_right(paragraphs, t.span[0]) - here) <= rules.mediated_within
                and codes & {_side(a) for a in t.actor + t.recipient}
                and codes <= {_side(a) for a in t.actor + t.recipient + t.mediator}
                and not _other_day(event, t)]
        if not near:
            continue
        nearest = min(near, key=lambda t: abs(t.span[0] - event.span[0]))
        event.mediator = list(nearest.mediator)
        event.decided_by.append({"by": "role:outcome-of-mediated-talks"})


def _carry_mediators(event: Event, events: list[Event], process: Process,
                     paragraphs: list[int], within: int) -> None:
    """The mediators of the nearest mediated talks of the same parties, within
    ``within`` paragraphs and not on another day."""
    here = bisect.bisect_right(paragraphs, event.span[0])
    codes = {process.party_of(a) for a in event.actor}
    best: tuple[int, Event] | None = None
    for talks in events:
        apart = abs(bisect.bisect_right(paragraphs, talks.span[0]) - here)
        if talks is event or apart > within:
            continue
        mediators, sides = _third_party(talks, process, apart == 0)
        if not mediators or not codes <= {process.party_of(a) for a in sides}:
            continue
        if _other_day(event, talks):
            continue
        distance = abs(talks.span[0] - event.span[0])
        if best is None or distance < best[0]:
            best = (distance, mediators)
    if best is None:
        return
    own = {a.id for a in event.actor + event.recipient if a.id}
    event.mediator = [m for m in best[1] if m.id not in own]
    if event.mediator and event.type == "CONSULT" and event.mode is None:
        event.mode = "third-party"


def _counterpart(side: list[Actor], event: Event, actors: DocActors, process: Process,
                 parties: dict[str, Actor]) -> list[Actor]:
    """The other party, for an act of one party that names no one else: in a
    two-sided process Baku's refusal, shelling or concession is aimed at
    Armenia. As the sentence names that party ('shelled towns inside Armenia')
    or else as the report first names it; nothing when the sentence names a
    third actor, who may be the one addressed ('demanded the dissolution of
    the Minsk Group'), other than the act's mediator or a name it cannot
    resolve ('the COP29 conference')."""
    codes = {process.party_of(a) for a in side}
    if len(codes) != 1 or None in codes:
        return []
    holder = process.holder_at(event) if event.type in ATTACK_TYPES else None
    if holder is not None:
        return [holder]  # "Azerbaijan retook the region": Karabakh's de facto authorities
    other = next(code for code in process.party_codes if code not in codes)
    own = {a.id for a in side + event.mediator if a.id}
    named: Actor | None = None
    for mention in actors.mentions:
        for actor in mention.actors:
            if actor.id in own or not (actor.id or actor.code) or not _inside(actor, event.span):
                continue
            code = process.party_of(actor)
            if code == other:
                named = named or actor
            elif code not in codes:
                return []
    if named is None:
        return [parties[other]]
    return [actor_for(process.states[other], named.text, None, named.span)]


def _third_party(talks: Event, process: Process,
                 near: bool) -> tuple[list[Actor], list[Actor]]:
    """The mediators of an event and the sides they stand between: talks
    someone mediated, or, in the same paragraph (``near``), talks and proposals
    between the process's mediators on one side and its parties on the other
    ('after telephone talks with Michel', 'Michel proposed a meeting between
    Aliyev and Pashinyan')."""
    if talks.type == "CONSULT" and talks.mediator:
        return talks.mediator, talks.actor + talks.recipient
    if talks.type == "AGREE" and talks.mediator and \
            all(process.is_mediator(m) for m in talks.mediator):  # what the talks agreed
        return talks.mediator, talks.actor + talks.recipient
    if near and talks.type in ("CONSULT", "AGREE"):
        pairs = [(talks.actor, talks.recipient)]  # a proposal comes from the mediator
        if talks.type == "CONSULT":
            pairs.append((talks.recipient, talks.actor))
        for mediators, sides in pairs:
            if mediators and sides and all(process.is_mediator(m) for m in mediators) and \
                    all(process.party_of(a) for a in sides):
                return mediators, sides
    return [], []


def _cosigning_mediators(event: Event, process: Process) -> None:
    """Both parties and one of the process's mediators agreeing or signing
    together ('the leaders of the three countries adopted a joint statement'):
    the mediator signs, so it acts, and it still mediates (ANNOTATION.md)."""
    sides = {process.party_of(a) for a in event.actor} - {None}
    mediators = [a for a in event.actor if a.id and process.is_mediator(a)]
    if mediators and len(sides) == len(process.party_codes):
        event.mediator = unique_actors(mediators)
        event.decided_by.append({"by": "role:mediator-cosigns"})


def _present_mediators(event: Event, actors: DocActors, process: Process) -> None:
    """Talks of both parties with a third party: one of the process's mediators
    named by name in their sentence ('talks between the leaders of the two
    countries, Macron and Michel'), else whom both sides held the talks with
    ('the two ministers held talks with Pompeo'; not a call). The third party
    mediates (fills ``event.mediator``; ``decided_by`` says which)."""
    parties = [a for a in event.actor if process.party_of(a)]
    if len({process.party_of(a) for a in parties}) < len(process.party_codes):
        return
    own = {a.id for a in parties + event.recipient if a.id}
    found: dict[str, Actor] = {a.id: a for a in event.actor if a.id and process.is_mediator(a)}
    for mention in actors.mentions:
        if not mention.is_person:
            continue  # "an EU mission", "Russian peacekeepers": not who sat at the table
        for actor in mention.actors:
            if actor.id and actor.id not in own and process.is_mediator(actor) and \
                    _inside(actor, event.span):
                found.setdefault(actor.id, actor)
    step = "role:mediator-at-the-talks"
    if not found:
        # the third party hosts their talks, it is not whom they met
        third = [r for r in event.recipient if not process.party_of(r)]
        if not third or len(third) < len(event.recipient) or event.mode == "phone":
            return  # (a call is between those on the line: whom they called is called)
        found = {a.id or a.text: a for a in third}
        event.recipient = []
        step = "role:both-sides-met-a-third-party"
    event.decided_by.append({"by": step})
    event.actor = [a for a in event.actor if a.id not in found]
    event.mediator = list(found.values())
    if event.mode is None:
        event.mode = "third-party"


def _meeting_before(event: Event, before: list[Event], process: Process,
                    paragraphs: list[int]) -> Event | None:
    """The nearest earlier meeting of a party, in this paragraph or the one
    before, that a meeting told again refers to ('Aliyev and Pashinyan met ...;
    the meeting began ...'; 'representatives of Baku met representatives of
    the Karabakh Armenians ...; the issues were discussed at the meeting')."""
    here = bisect.bisect_right(paragraphs, event.span[0])
    for earlier in reversed(before):
        if here - bisect.bisect_right(paragraphs, earlier.span[0]) > 1:
            break
        if earlier.type == "CONSULT" and not _other_day(event, earlier) and \
                len(earlier.actor + earlier.recipient) >= 2 and \
                any(process.party_of(a) for a in earlier.actor + earlier.recipient):
            return earlier
    return None


def _third_party_split(met: Event, process: Process) -> tuple[list[Actor], list[Actor]]:
    """Who met, and who mediated: as the meeting says, or its mediators on one
    side and the parties on the other ('Macron and Michel met Aliyev and
    Pashinyan')."""
    if met.mediator:
        return list(met.actor + met.recipient), list(met.mediator)
    mediators, sides = _third_party(met, process, True)
    if mediators:
        return list(sides), list(mediators)
    return list(met.actor + met.recipient), []


def _phrase_of(event: Event, actors: DocActors, rules: RoleRules) -> tuple[int, int]:
    """The characters of the phrase of the trigger's mutual word ('a meeting
    between Aliyev and Pashinyan'): who is named there took part; people named
    elsewhere in the sentence may only have led or reported it."""
    words = actors.doc.char_span(*event.trigger_span, alignment_mode="expand") \
        if event.trigger_span else None
    if words is None:
        return event.span
    for token in words:
        if token.lower_ in rules.mutual_words or token.lemma_.lower() in rules.mutual_words:
            return token.left_edge.idx, token.right_edge.idx + len(token.right_edge)
    return words.start_char, words.end_char


def _inside(actor: Actor, span: tuple[int, int]) -> bool:
    """Whether the report names the actor within the span (its sentence)."""
    return actor.span is not None and span[0] <= actor.span[0] and actor.span[1] <= span[1]


def _place_names(place: dict) -> list[str]:
    return [name.lower() for name in [place.get("name", ""), *place.get("aliases", [])] if name]


def _other_day(a: Event, b: Event) -> bool:
    return a.date is not None and b.date is not None and a.date.precision == "day" and \
        b.date.precision == "day" and a.date.value != b.date.value


def _words(trigger: str) -> set[str]:
    return {w.strip(".,;:\"'“”").lower() for w in trigger.split()}


def fill_populations(events: list[Event], doc: Doc, process: Process,
                     rules: RoleRules | None = None) -> None:
    """People no name covers acting where the event happened: "angry crowds
    stormed the parliament in Yerevan" are Armenia's people (sector CVL),
    "opposition politicians accused him" its opposition (OPP), and a protest
    no one is said to hold is theirs ("a protest is being held in Kirants");
    a profile place may name its own population ("6,000 people rallied in
    Karabakh"). The actor's text and span are the subject's (or the protest's),
    as the report words it."""
    rules = rules or role_rules()
    for event in events:
        if event.actor or event.type not in rules.population_types or event.location is None \
                or not event.trigger_span:
            continue
        trigger = doc.char_span(*event.trigger_span, alignment_mode="expand")
        if trigger is None:
            continue
        subject = _subject_of(trigger.root)
        if subject is not None and subject.lemma_.lower() in rules.population_counts:
            subject = next(iter(grammar().of_objects(subject)), subject)  # "a group of protesters"
        if subject is None and event.type == "PROTEST" and trigger.root.pos_ in L.common_noun:
            subject = trigger.root  # "a protest is being held in Kirants": by its people
        if subject is None:
            continue
        head = subject.lemma_.lower()
        if head not in rules.population_nouns:
            continue
        sector = next((rules.population_sectors[t.lemma_.lower()] for t in subject.subtree
                       if t.lemma_.lower() in rules.population_sectors),
                      rules.population_nouns[head])
        people = process.peoples.get((event.location.name or "").lower())
        state = process.profile.country_by_code(event.location.country)
        entity = people or state
        if entity is None:
            continue
        words = doc[subject.left_edge.i:subject.i + 1]
        actor = actor_for(entity, words.text, event.date, (words.start_char, words.end_char))
        if entity.kind == "country":
            actor = Actor(text=actor.text, id=actor.id, name=actor.name, code=actor.code,
                          sector=sector, span=actor.span)
        event.actor = [actor]
        if event.type == "PROTEST" and not event.recipient and state is not None and not people:
            # people protest to their own government, unless the report says otherwise
            # (a place with a population of its own, like Karabakh's, has no such government)
            event.recipient = [actor_for(state, event.location.text, event.date,
                                         event.location.span)]


def _subject_of(token: Token) -> Token | None:
    """The subject a verb has or shares: its own, a conjoined verb's ('crowds
    stormed ... and demanded'), the verb's a participle hangs on ('rallied,
    calling for'), or the noun a relative clause hangs on."""
    for _ in range(4):
        subjects = [c for c in token.children if c.dep_ in L.active_or_passive_subject]
        if subjects and subjects[0].lower_ not in W.subject_relative_pronouns:
            return subjects[0]
        if token.dep_ in L.relative_clause:
            return token.head
        participle = token.dep_ in L.adverbial_clause and token.tag_ in L.gerund
        if subjects or not (token.dep_ in L.conjunct or participle):
            return None
        token = token.head
    return None


def turn_hosts(events: list[Event], actors: DocActors, process: Process,
               rules: RoleRules | None = None) -> None:
    """PLOVER codes a visit with the visitor as actor and the host as recipient:
    "Putin held talks with Aliyev" in Sochi are Aliyev's talks with his host;
    "Aliyev's visit to Moscow", told with Putin named, is a visit to Putin.
    Mediated talks have no host: "Baku's representatives met the Karabakh
    Armenians' at the peacekeepers' base", with the peacekeepers mediating,
    are talks of both sides."""
    rules = rules or role_rules()
    for event in events:
        if event.type != "CONSULT":
            continue
        # "met at the headquarters of Russian peacekeepers": they host, whoever else was near
        event.mediator = _venue_hosts(event, actors, rules) or event.mediator
        if event.mediator:  # mediated talks have sides, not a host and a guest
            event.actor, event.recipient = unique_actors(event.actor + event.recipient), []
            continue
        here = event.location.country if event.location is not None and event.mode != "phone" \
            else None  # a call has no host
        if here and len(event.actor) == 1 and event.recipient and event.actor[0].code == here \
                and all(r.code and r.code != here for r in event.recipient):
            event.actor, event.recipient = event.recipient, event.actor
            continue
        own = {a.id for a in event.actor}
        for position, recipient in enumerate(event.recipient):
            entity = process.entities.get(recipient.id or "")
            if entity is None or entity.kind != "country":
                continue
            hosts = [a for m in actors.mentions if m.is_person for a in m.actors
                     if _inside(a, event.span) and a.code == recipient.code and a.id not in own
                     and a.sector == "GOV"]
            if hosts:
                event.recipient[position] = hosts[0]


def speak_for_quotes(events: list[Event], doc: Doc, quotes: Sequence[Quote],
                     process: Process) -> None:
    """'I' and 'we' acting in a direct quote: 'I' is its speaker; 'we' is the
    state or organisation the speaker speaks for ("'We call on the government
    of Azerbaijan ...,' Price said": the United States). A host of talks
    ("'We look forward to hosting another round of talks'") mediates them."""
    for event in events:
        if not event.trigger_span:
            continue
        quote = next((q for q in quotes if q.direct and q.speaker is not None and
                      q.speaker.id and q.span[0] <= event.trigger_span[0] < q.span[1]), None)
        trigger = doc.char_span(*event.trigger_span, alignment_mode="expand")
        if quote is None or trigger is None or any(  # a subject the quote itself names
                a.span and quote.span[0] <= a.span[0] < quote.span[1] for a in event.actor):
            continue
        verbs = [trigger.root]
        if event.governor_span:
            governor = doc.char_span(*event.governor_span, alignment_mode="expand")
            verbs = [governor.root] if governor is not None else verbs
        subject = _shared_subject(verbs[0])
        speaker = quote.speaker
        if subject is None and event.type == "REQUEST" and imperative(trigger.root) and \
                not event.actor:
            # "'Recognise our territorial integrity, sign a peace agreement,' Aliyev said"
            event.actor = [replace(speaker, text=trigger.root.text,
                                   span=(trigger.root.idx, trigger.root.idx + len(trigger.root)))]
            continue
        if subject is None or subject.lower_ not in W.first_person_singular | W.first_person_plural:
            continue
        state = process.voice_of(speaker)
        span = (subject.idx, subject.idx + len(subject))
        if subject.lower_ in W.first_person_plural and state is not None:
            actor = actor_for(state, subject.text, event.date, span)
        else:
            actor = Actor(text=subject.text, id=speaker.id, name=speaker.name, code=speaker.code,
                          sector=speaker.sector, role=speaker.role, span=span)
        if verbs[0] is not trigger.root and verbs[0].lemma_.lower() in role_rules().hosting_verbs:
            event.mediator = event.mediator or [actor]
        else:
            event.actor = [actor]


def _shared_subject(verb: Token) -> Token | None:
    """A verb's subject, or the one it shares with the verb it completes ('we
    look forward to hosting': we host)."""
    node = verb
    for _ in range(4):
        subject = next((c for c in node.children if c.dep_ in L.active_subject), None)
        if subject is not None or node.dep_ not in L.subject_shared_through or node.head.i == node.i:
            return subject
        node = node.head
    return None


def _venue_hosts(event: Event, actors: DocActors, rules: RoleRules) -> list[Actor]:
    """Whose premises the talks were held at ('at the headquarters of Russian
    peacekeepers'), when they are not among those who talked."""
    own = {a.id for a in event.actor + event.recipient}
    for mention in actors.mentions:
        token = actors.doc[mention.end - 1]
        if not (event.span[0] <= token.idx < event.span[1]) or mention.actor.id in own or \
                not mention.actor.id:
            continue
        prep = token.head
        if token.dep_ in L.preposition_object and prep.lower_ in W.genitive_preps and \
                prep.head.lemma_.lower() in rules.venue_nouns:
            return mention.actors
    return []
