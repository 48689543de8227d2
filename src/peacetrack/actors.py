"""Actor mentions -> entities, with the office each person held on a date.

Finding (``ActorFinder.find``) is separate from use: it returns a
``DocActors`` index that the event, quote and stance stages query by token.
Mentions come, strongest first, from the profile's names and aliases, titles
("Russian Foreign Minister", "the Azerbaijani leader"), countries, capitals
and seats acting for their state ("Baku", "the Kremlin"), demonym groups
("the Armenian side"), pronouns, and spaCy's named entities as a fallback.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from .lexicons import load_lexicon
from .nlp import pattern_words, sentence_of, words_of
from .profile import NON_STATE_SECTORS, Entity, Profile, slugify
from .records import Actor, DateValue
from .rules import tree_of
from .walks import grammar

# the parser's labels and the grammar words (languages/en/labels.yaml, words.yaml)
L = grammar().labels
W = grammar().words

PLURAL_PRONOUNS = W.plural_pronouns
# "both sides", "the two countries", "the parties": the process's two parties
PARTY_NOUNS = W.party_nouns
# With a bare "the" only these mean the process's parties ("the sides agreed");
# "the countries" or "the leaders" may be any named before.
BARE_PARTY_NOUNS = W.bare_party_nouns
PERSON_PRONOUNS = {**dict.fromkeys(W.masculine_pronouns, "m"),
                   **dict.fromkeys(W.feminine_pronouns, "f")}
THING_PRONOUNS = W.thing_pronouns
REFERRING = PLURAL_PRONOUNS | set(PERSON_PRONOUNS) | THING_PRONOUNS
COUNTRY_WORDS = W.country_words
# How many mentions back a title looks for whom it means ("the minister": the
# last one named; "the leaders": the parties named so far). No shared report
# has more than ~110 mentions in all; in a report of thousands the look-back
# stays a few pages, so finding actors is linear in the report's length.
LOOKBACK = 1000
PRIORITY = {"name": 5, "title": 4, "body": 4, "group": 3, "country": 3, "metonym": 3,
            "demonym": 2, "ner": 1}


@dataclass(frozen=True)
class Role:
    role: str
    sector: str | None
    head: bool = False
    group: bool = False  # a collective noun ("side", "troops"): no single holder
    implies: frozenset[str] = frozenset()  # roles this one also answers to


@dataclass
class Mention:
    start: int          # token indices [start, end)
    end: int
    kind: str           # name | title | body | group | country | metonym | demonym | pronoun | ner
    actor: Actor
    entity: Entity | None = None
    gender: str | None = None
    others: list[Actor] = field(default_factory=list)  # a plural mention: "both sides"

    @property
    def actors(self) -> list[Actor]:
        return [self.actor, *self.others]

    @property
    def is_person(self) -> bool:
        return (self.entity is not None and self.entity.kind == "person") or \
            (self.entity is None and self.kind in ("name", "ner", "title"))


def unique_actors(actors: list[Actor]) -> list[Actor]:
    """The actors in order, each once (by id, else by its words)."""
    seen: set[str] = set()
    out = []
    for actor in actors:
        key = actor.id or actor.text.lower()
        if key not in seen:
            seen.add(key)
            out.append(actor)
    return out


def date_range(date: DateValue | None) -> tuple[str, str]:
    """The [lo, hi] ISO bounds of a date at its precision (unknown: all time)."""
    if date is None or not date.value:
        return ("0000", "9999")
    value = date.value
    if date.precision == "year" or len(value) == 4:
        return (f"{value[:4]}-01-01", f"{value[:4]}-12-31")
    if date.precision == "month" or len(value) == 7:
        return (f"{value[:7]}-01", f"{value[:7]}-31")
    return (value, date.end or value)


def actor_for(entity: Entity, text: str, date: DateValue | None,
              span: tuple[int, int] | None = None, state: Entity | None = None) -> Actor:
    """The entity as an actor on a date: a person keeps the office then held;
    a national body acts as its state (``state``) with its own sector."""
    if state is not None:
        return Actor(text=text, id=state.id, name=state.name, code=state.code,
                     sector=entity.sector or state.sector, role=None, span=span)
    if entity.kind != "person" or not entity.offices:
        return Actor(text=text, id=entity.id, name=entity.name, code=entity.code,
                     sector=entity.sector, role=entity.role, span=span)
    lo, hi = date_range(date)
    held = [o for o in entity.offices if o.covers(lo, hi)]
    if held:
        office = max(held, key=lambda o: o.start or "")
        return Actor(text=text, id=entity.id, name=entity.name, code=office.code,
                     sector=office.sector, role=office.role, span=span)
    ended = [o for o in entity.offices if o.end and o.end < lo]
    if ended:  # SPEC §2: a former official is not coded as government
        last = max(ended, key=lambda o: o.end or "")
        role = f"former {last.role}" if last.role else None
        return Actor(text=text, id=entity.id, name=entity.name, code=last.code,
                     sector=None, role=role, span=span)
    return Actor(text=text, id=entity.id, name=entity.name, code=None, sector=None,
                 role=None, span=span)


@dataclass
class DocActors:
    """The actor mentions of one document, queryable by token."""

    doc: Doc
    mentions: list[Mention]
    by_token: dict[int, Mention] = field(default_factory=dict)
    # one-token compounds whose first part names an actor ("U.S.-hosted"): read
    # only by the mediation cues, so "U.S.-hosted talks" are not the US's talks
    prefixed: dict[int, Mention] = field(default_factory=dict)
    _start_index: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        for mention in self.mentions:
            for i in range(mention.start, mention.end):
                self.by_token[i] = mention

    def at(self, token: Token) -> Mention | None:
        return self.by_token.get(token.i)

    def in_span(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.start >= start and m.end <= end]

    def before(self, token_index: int) -> list[Mention]:
        """Mentions that end before the token, nearest first (at most LOOKBACK)."""
        # the mentions are in text order and do not overlap: those starting
        # before the token are a prefix, found by bisection
        starts = self._starts()
        stop = bisect.bisect_left(starts, token_index)
        near = [m for m in self.mentions[max(0, stop - LOOKBACK):stop] if m.end <= token_index]
        return sorted(near, key=lambda m: -m.end)

    def _starts(self) -> list[int]:
        if len(self._start_index) != len(self.mentions):
            self._start_index = [m.start for m in self.mentions]
        return self._start_index


class ActorFinder:
    """Builds the matchers for one profile once; ``find`` runs per document."""

    def __init__(self, profile: Profile, vocab) -> None:
        self.profile = profile
        self.roles = _load_roles()
        self.place_names = {n.lower() for p in [*profile.places, *_lexicon_places()]
                            for n in [p.get("name", ""), *(p.get("aliases") or [])] if n}
        # words after a name that make it a place: "the Adre crossing" is no speaker
        places = load_lexicon("places")
        self.place_nouns = frozenset(places.get("place_nouns", [])) | \
            frozenset(places["place_nouns_after_names"])
        # who answers to a description: "the US foreign minister" is the secretary of state
        self.answering: dict[str, set[str]] = {}
        for role in self.roles.values():
            for name in (role.role, *role.implies):
                self.answering.setdefault(name, set()).add(role.role)
        # common nouns that point back to an organisation named before ("the bloc")
        self._called = frozenset(w for e in profile.entities.values() for w in e.called)
        self.names = PhraseMatcher(vocab)             # names and aliases, as written
        self.lower = PhraseMatcher(vocab, attr="LOWER")  # roles, demonyms, metonyms
        self._labels: dict[str, tuple[str, str]] = {}
        self._add_patterns(vocab)

    # -- building ---------------------------------------------------------
    def _add(self, matcher: PhraseMatcher, kind: str, key: str, phrases: list[str], vocab) -> None:
        label = f"{kind}|{key}"
        self._labels[label] = (kind, key)
        docs = []
        for phrase in dict.fromkeys(v for p in phrases if p and p.strip() for v in _spellings(p)):
            docs.append(vocab.make_doc(phrase))
            if phrase[0].islower():
                docs.append(vocab.make_doc(phrase[0].upper() + phrase[1:]))
        if docs:
            matcher.add(label, docs)

    def _add_patterns(self, nlp_vocab) -> None:
        vocab = _Maker(nlp_vocab)  # patterns tokenised as documents are
        self._by_alias: dict[str, Entity] = {}
        self._by_demonym: dict[str, Entity] = {}
        for entity in self.profile.entities.values():
            for alias in [entity.name, *entity.aliases, *entity.metonyms]:
                self._by_alias.setdefault(alias, entity)
            for demonym in entity.demonyms:
                self._by_demonym.setdefault(demonym.lower(), entity)
            kind = "country" if entity.kind == "country" else (
                "name" if entity.kind == "person" else "body")
            self._add(self.names, kind, entity.id, [entity.name, *entity.aliases], vocab)
            if entity.metonyms:
                self._add(self.names, "metonym", entity.id, entity.metonyms, vocab)
                self._add(self.names, "metonym", entity.id,
                          [f"the {m}" for m in entity.metonyms if m.startswith("K")], vocab)
            if entity.demonyms:
                self._add(self.names, "demonym", entity.id, entity.demonyms, vocab)
        for role_name, aliases in _role_aliases(self.roles).items():
            self._add(self.lower, "role", role_name, aliases, vocab)

    # -- finding ----------------------------------------------------------
    def find(self, doc: Doc, date: DateValue | None) -> DocActors:
        spans = self._matches(doc)
        owners = self._owners(spans)
        found = _Found()
        taken: set[int] = set()
        for kind, key, start, end in spans:
            if any(i in taken for i in range(start, end)):
                continue
            before = found.before(start) if kind == "role" else _Earlier.NONE
            mention = self._mention(doc, kind, key, start, end, date, before, owners)
            if mention is None:
                continue
            # a title takes in the country or body it names ("Speaker of the Armenian Parliament")
            found.add(mention)
            taken.update(range(mention.start, mention.end))
        mentions = found.mentions() + self._named_entities(doc, taken, date)
        mentions.sort(key=lambda m: m.start)
        mentions = self._attach_titles(doc, mentions, date)
        mentions = self._resolve_references(doc, mentions, date)
        return DocActors(doc, mentions, prefixed=self._prefixed(doc, mentions, date))

    def _prefixed(self, doc: Doc, mentions: list[Mention],
                  date: DateValue | None) -> dict[int, Mention]:
        """'U.S.-hosted', 'EU-brokered' as one token: the actor its first part names."""
        taken = {i for m in mentions for i in range(m.start, m.end)}
        found: dict[int, Mention] = {}
        for token in doc:
            if "-" not in token.text[1:-1] or token.i in taken:
                continue
            prefix = token.text.rsplit("-", 1)[0]
            entity = self._by_alias.get(prefix)
            if entity is not None:
                actor = actor_for(entity, prefix, date, (token.idx, token.idx + len(prefix)))
                found[token.i] = Mention(token.i, token.i + 1, "name", actor, entity)
        return found

    def _matches(self, doc: Doc) -> list[tuple[str, str, int, int]]:
        found = []
        for matcher in (self.names, self.lower):
            for match_id, start, end in matcher(doc):
                kind, key = self._labels[doc.vocab.strings[match_id]]
                found.append((kind, key, start, end))
        # longest first, then the stronger kind: "Russian peacekeepers" beats "Russian"
        # titles last, so they can look back at the names and countries before them
        found.sort(key=lambda m: (m[0] == "role", -(m[3] - m[2]), -PRIORITY.get(m[0], 0), m[2]))
        return found

    def _owners(self, spans: list[tuple[str, str, int, int]]) -> dict[int, Entity]:
        """Token -> the country or body named there (what a title can belong to)."""
        owners: dict[int, Entity] = {}
        for kind, key, start, end in spans:
            if kind in ("country", "body", "metonym", "demonym"):
                entity = self.profile.entities[key]
                for i in range(start, end):
                    owners.setdefault(i, entity)
        return owners

    def _mention(self, doc: Doc, kind: str, key: str, start: int, end: int, date: DateValue | None,
                 earlier: list[Mention], owners: dict[int, Entity]) -> Mention | None:
        span = doc[start:end]
        if kind == "role":
            return self._role_mention(doc, self.roles[key], start, end, date, earlier, owners)
        entity = self.profile.entities[key]
        if kind == "demonym":
            return self._demonym_mention(doc, entity, start, end, date)
        if kind == "name" and end - start == 1 and not span[0].text[0].isupper():
            return None
        state = self.profile.entities.get(entity.acts_as) if entity.acts_as else None
        actor = actor_for(entity, span.text, date, (span.start_char, span.end_char), state)
        return Mention(start, end, kind, actor, entity, entity.gender)

    def _demonym_mention(self, doc: Doc, country: Entity, start: int, end: int,
                         date: DateValue | None) -> Mention | None:
        """'the Armenian side', 'Azerbaijani officials': the demonym and its group noun;
        'Egyptian-brokered', 'Qatari-mediated': the state that did what the participle says."""
        token = doc[end - 1]
        if end + 1 < len(doc) and doc[end].text == "-" and not doc[end].whitespace_ and \
                not token.whitespace_ and doc[end + 1].tag_ in L.past_participle:
            actor = Actor(text=token.text, id=country.id, name=country.name, code=country.code,
                          sector=None, span=(token.idx, token.idx + len(token)))
            return Mention(start, end, "demonym", actor, country)
        head = token.head if token.dep_ in L.noun_modifiers else None
        if head is None or head.i < end or head.i - end > 2:
            if token.tag_ in L.plural_noun and token.dep_ in L.noun_argument_links:
                actor = Actor(text=token.text, id=country.id, name=country.name,
                              code=country.code, sector=None, span=(token.idx, token.idx + len(token)))
                return Mention(start, end, "demonym", actor, country)
            return None
        role = self.roles.get(head.lemma_.lower()) or self.roles.get(head.text.lower())
        if role is None or not role.group:
            # "the Azerbaijani offensive": the people's state; "Armenian-Azerbaijani
            # talks": both states, one mention
            other = self._by_demonym.get(doc[end + 1].lower_) \
                if end + 1 < len(doc) and doc[end].text == "-" else None
            last = end + 2 if other is not None and other is not country else end
            if last == end and head.pos_ not in L.noun:
                return None
            span = doc[start:last]
            found = [Actor(text=span.text, id=c.id, name=c.name, code=c.code, sector=None,
                           span=(span.start_char, span.end_char))
                     for c in ([country, other] if last > end else [country])]
            return Mention(start, last, "demonym", found[0], country, others=found[1:])
        first = start - 1 if start > 0 and doc[start - 1].lower_ in W.definite_article else start
        span = doc[first:head.i + 1]
        bounds = (span.start_char, span.end_char)
        actor = Actor(text=span.text, id=country.id, name=country.name, code=country.code,
                      sector=role.sector, role=None, span=bounds)
        # "the Armenian and Azerbaijani sides": each demonym's country
        others = [Actor(text=span.text, id=other.id, name=other.name, code=other.code,
                        sector=role.sector, role=None, span=bounds)
                  for c in token.conjuncts if c.i < head.i
                  and (other := self._by_demonym.get(c.lower_)) is not None and other is not country]
        return Mention(first, head.i + 1, "group", actor, country, others=others)

    def _role_mention(self, doc: Doc, role: Role, start: int, end: int, date: DateValue | None,
                      earlier: list[Mention], owners: dict[int, Entity]) -> Mention | None:
        """A title with no name: who held it for that country on the date."""
        begin, end, country = self._title_owner(doc, start, end, owners)
        if country is None:
            begin, country = self._country_word_owner(doc, begin, earlier)
        span = doc[begin:end]
        code = country.code if country else None
        plural = doc[start:end].root.tag_ in L.plural_noun
        if plural and not role.group and not (role.head and country is not None):
            return self._plural_title(doc, role, begin, end, country, date, earlier, owners)
        if role.group:
            if country is None:
                return None
            actor = Actor(text=span.text, id=country.id, name=country.name, code=code,
                          sector=role.sector, span=(span.start_char, span.end_char))
            return Mention(begin, end, "group", actor, country)
        group = country.sector if country is not None and country.sector in NON_STATE_SECTORS else None
        holder = self._holder(role, code, date, earlier, sector=group)
        if holder is not None:
            actor = actor_for(holder, span.text, date, (span.start_char, span.end_char))
            mention = Mention(begin, end, "title", actor, holder, holder.gender)
            if doc[start:end].root.tag_ in L.plural_noun:  # "the leaders of Azerbaijan and Armenia"
                end = self._more_holders(doc, mention, role, owners, date, earlier)
            return mention
        # an organisation's envoy or official acts for it: "the African Union's envoy" is AU IGO
        sector = country.sector if country is not None and country.kind == "organisation" and \
            country.sector and role.sector in (None, "GOV") else role.sector
        actor = Actor(text=span.text, id=None, name=None, code=code, sector=sector,
                      role=role.role, span=(span.start_char, span.end_char))
        return Mention(begin, end, "title", actor, None)

    def _country_word_owner(self, doc: Doc, begin: int,
                            earlier: list[Mention]) -> tuple[int, Entity | None]:
        """'the country's foreign ministry': the country last named."""
        j = begin - 1
        if j >= 1 and doc[j].text in W.possessive_endings and doc[j - 1].lower_ in COUNTRY_WORDS:
            for mention in reversed(earlier):
                code = mention.actor.code
                country = self.profile.country_by_code(code) if code else None
                if country is not None:
                    first = j - 2 if j >= 2 and doc[j - 2].lower_ in W.definite_article else j - 1
                    return first, country
        return begin, None

    def _plural_title(self, doc: Doc, role: Role, begin: int, end: int, country: Entity | None,
                      date: DateValue | None, earlier: list[Mention],
                      owners: dict[int, Entity]) -> Mention | None:
        """'Armenian officials', 'representatives of Baku': the state as a group;
        'the foreign ministers': the two parties' ministers when both are known."""
        span = doc[begin:end]
        bounds = (span.start_char, span.end_char)
        if country is not None:
            holders = self._holders_of_each(doc, role, end, country, owners, date)
            if holders:  # "the foreign ministers of Armenia and Azerbaijan": the two ministers
                last = max(h[1] for h in holders)
                span = doc[begin:last + 1]
                bounds = (span.start_char, span.end_char)
                found = [actor_for(h[0], span.text, date, bounds) for h in holders]
                return Mention(begin, last + 1, "group", found[0], holders[0][0], others=found[1:])
            earlier_owners = self._conjoined_owners(doc, begin, end, country, owners)
            if earlier_owners:  # "the Armenian and Azerbaijani foreign ministers": each one's
                return self._each_holder(doc, role, earlier_owners[0][1], end,
                                         [c for c, _ in earlier_owners] + [country], date)
            actor = Actor(text=span.text, id=country.id, name=country.name, code=country.code,
                          sector=role.sector, span=bounds)
            return Mention(begin, end, "group", actor, country)
        # "of the three countries"
        count = 3 if any(t.lower_ in W.three_party_numerals for t in doc[end:end + 4]) else 2
        parties = self._two_parties(earlier, count)
        lo, hi = date_range(date)
        holders = [self.profile.holders(p.code, self.answering.get(role.role, {role.role}),
                                        head=role.head, lo=lo, hi=hi) for p in parties]
        if len(parties) != count or not all(len(h) == 1 for h in holders):
            return None
        found = [actor_for(h[0], span.text, date, bounds) for h in holders]
        return Mention(begin, end, "group", found[0], holders[0][0], others=found[1:])

    def _conjoined_owners(self, doc: Doc, begin: int, end: int, country: Entity,
                          owners: dict[int, Entity]) -> list[tuple[Entity, int]]:
        """The other countries conjoined before a plural title's owner ('the
        Armenian and Azerbaijani foreign ministers'), with their token."""
        owner = next((t for t in doc[begin:end] if owners.get(t.i) is country), None)
        if owner is None:
            return []
        found = [(owners[c.i], c.i) for c in owner.conjuncts
                 if c.i < owner.i and c.i in owners and owners[c.i] is not country]
        return sorted(found, key=lambda pair: pair[1])

    def _each_holder(self, doc: Doc, role: Role, first: int, end: int, countries: list[Entity],
                     date: DateValue | None) -> Mention:
        """One actor per country: the one holder of the role there on the date,
        else the country itself with the role's sector."""
        first -= 1 if first > 0 and doc[first - 1].lower_ in W.definite_article else 0
        span = doc[first:end]
        bounds = (span.start_char, span.end_char)
        lo, hi = date_range(date)
        found = []
        for country in countries:
            held = self.profile.holders(country.code, self.answering.get(role.role, {role.role}),
                                        head=role.head, lo=lo, hi=hi)
            found.append(actor_for(held[0], span.text, date, bounds) if len(held) == 1 else
                         Actor(text=span.text, id=country.id, name=country.name, code=country.code,
                               sector=role.sector, span=bounds))
        entity = self.profile.entities.get(found[0].id or "") or countries[0]
        return Mention(first, end, "group", found[0], entity, others=found[1:])

    def _holders_of_each(self, doc: Doc, role: Role, end: int, country: Entity,
                         owners: dict[int, Entity], date: DateValue | None) -> list[tuple[Entity, int]]:
        """For a plural title owned by conjoined countries, the one holder of the
        office in each, with the index of the country's word; else nothing."""
        owner_token = doc[end - 1]
        countries = [(country, owner_token.i)] + [(owners[c.i], c.i) for c in owner_token.conjuncts
                                                  if c.i > owner_token.i and c.i in owners]
        if len(countries) < 2:
            return []
        lo, hi = date_range(date)
        found = []
        for owner, at in countries:
            held = self.profile.holders(owner.code, self.answering.get(role.role, {role.role}),
                                        head=role.head, lo=lo, hi=hi)
            if len(held) != 1:
                return []
            found.append((held[0], at))
        return found

    def _more_holders(self, doc: Doc, mention: Mention, role: Role, owners: dict[int, Entity],
                      date: DateValue | None, earlier: list[Mention]) -> int:
        """A plural title's other owners, conjoined after the first."""
        owner_token = doc[mention.end - 1]
        for conj in owner_token.conjuncts:
            country = owners.get(conj.i)
            holder = self._holder(role, country.code, date, earlier) if country else None
            if holder is not None:
                mention.others.append(actor_for(holder, mention.actor.text, date, mention.actor.span))
                mention.end = max(mention.end, conj.i + 1)
        return mention.end

    def _title_owner(self, doc: Doc, start: int, end: int,
                     owners: dict[int, Entity]) -> tuple[int, int, Entity | None]:
        """The country or body a title belongs to: 'Russian Foreign Minister',
        'European Council President', 'Prime Minister of Armenia'."""
        begin, owner = start, None
        j = start - 1
        if j >= 0 and doc[j].text in W.owner_possessive_marks:
            j -= 1
        if j >= 0 and j in owners:
            owner = owners[j]
            begin = j
            while begin > 0 and owners.get(begin - 1) is owner:
                begin -= 1
        if owner is None and end + 1 < len(doc) and doc[end].lower_ in W.genitive_preps:
            k = end + 1 + (doc[end + 1].lower_ in W.definite_article)
            if k < len(doc) and k in owners:
                owner = owners[k]
                end = k + 1
                while end < len(doc) and owners.get(end) is owner:
                    end += 1
                if end < len(doc) and doc[end - 1].head.i == end and \
                        doc[end].pos_ in L.noun and doc[end].ent_type_ not in L.person_entity:
                    end += 1  # "Speaker of the Armenian Parliament": the body the owner names
        if begin > 0 and doc[begin - 1].lower_ in W.definite_article:
            begin -= 1
        return begin, end, owner

    def _holder(self, role: Role, code: str | None, date: DateValue | None,
                earlier: list[Mention], sector: str | None = None) -> Entity | None:
        """Who held the role for a state (or, with ``sector``, for a group inside it)."""
        lo, hi = date_range(date)
        if code:
            holders = self.profile.holders(code, self.answering.get(role.role, {role.role}),
                                           head=role.head, lo=lo, hi=hi, sector=sector)
            if len(holders) == 1:
                return holders[0]
        for mention in reversed(earlier):  # "the minister" = the last one named
            if mention.entity is not None and mention.actor.role == role.role and \
                    (code is None or mention.actor.code == code):
                return mention.entity
        return None

    def _named_entities(self, doc: Doc, taken: set[int], date: DateValue | None) -> list[Mention]:
        """spaCy's people and organisations that no lexicon knows. A person named
        in full gets the slug of that name as a stable id (the same in every
        record and run); a bare name or an organisation stays unresolved."""
        out = []
        for ent in doc.ents:
            if ent.label_ not in L.actor_entity_candidates or \
                    any(i in taken for i in range(ent.start, ent.end)):
                continue
            if ent.label_ in L.place_or_people_entities:
                continue  # unknown places and peoples are not actors by themselves
            label, ent = ent.label_, _trim(_after_bracket(ent))  # a slice has no label
            if ent is None or ent.text.lower() in self.place_names:
                continue  # "Karabakh" tagged ORG is a place, not an actor
            after = doc[ent.end] if ent.end < len(doc) else None
            if label in L.person_entity and after is not None and after.pos_ in L.common_noun and \
                    after.lemma_.lower() in self.place_nouns:
                continue  # "the Adre crossing", "Zamzam camp": a place named like a person
            actor = Actor(text=ent.text, id=_person_id(ent, label), name=ent.text, code=None,
                          sector=None, span=(ent.start_char, ent.end_char))
            out.append(Mention(ent.start, ent.end, "ner", actor, None))
            taken.update(range(ent.start, ent.end))
        return out

    def _attach_titles(self, doc: Doc, mentions: list[Mention],
                       date: DateValue | None) -> list[Mention]:
        """'Russian Foreign Minister Sergey Lavrov': one mention, the person's."""
        out: list[Mention] = []
        for mention in mentions:
            prev = out[-1] if out else None
            if prev is not None and prev.kind in ("title", "country", "body", "metonym") and \
                    mention.kind in ("name", "ner") and prev.end == mention.start and \
                    (prev.kind == "title" or mention.kind == "name"):
                out[-1] = self._titled(doc, prev, mention, date)
                continue
            out.append(mention)
        return out

    def _titled(self, doc: Doc, title: Mention, name: Mention, date: DateValue | None) -> Mention:
        span = doc[title.start:name.end]
        bounds = (span.start_char, span.end_char)
        if name.entity is not None:
            actor = actor_for(name.entity, span.text, date, bounds)
            return Mention(title.start, name.end, "name", actor, name.entity, name.gender)
        actor = replace(name.actor, text=span.text, code=title.actor.code,
                        sector=title.actor.sector, role=title.actor.role, span=bounds)
        return Mention(title.start, name.end, "ner", actor, None)

    def _resolve_references(self, doc: Doc, mentions: list[Mention],
                            date: DateValue | None) -> list[Mention]:
        """Pronouns and short names point back to the last fitting mention."""
        taken = {i for m in mentions for i in range(m.start, m.end)}
        extra: list[Mention] = []
        lower, lemmas = words_of(doc)
        called = self._called
        for i in range(len(doc)):
            if i not in taken and lemmas[i] in called and i > 0 and lower[i - 1] in W.definite_article:
                target = _called_back(doc[i], mentions, lemmas[i])
                if target is not None:  # "accusing the bloc": the CSTO named before
                    extra.append(replace(target, start=i - 1, end=i + 1, kind="body",
                                         actor=replace(target.actor, text=doc[i - 1:i + 1].text,
                                                       span=(doc[i - 1].idx, doc[i].idx + len(doc[i]))),
                                         others=[]))
                continue
            if i in taken or (lower[i] not in REFERRING and lemmas[i] not in PARTY_NOUNS):
                continue  # neither a pronoun nor a party noun: nothing to resolve
            token = doc[i]
            word = token.lower_
            if word in PERSON_PRONOUNS or word in THING_PRONOUNS:
                target = _antecedent(token, mentions, PERSON_PRONOUNS.get(word), word in THING_PRONOUNS)
                if target is not None:
                    actor = replace(target.actor, text=token.text,
                                    span=(token.idx, token.idx + len(token)))
                    extra.append(Mention(token.i, token.i + 1, "pronoun", actor,
                                         target.entity, target.gender))
            elif word in PLURAL_PRONOUNS:
                target = _plural_antecedent(token, mentions + extra)
                if target is not None:
                    extra.append(_pointing(token, target))
            elif token.lemma_.lower() in PARTY_NOUNS and token.tag_ in L.plural_noun:
                parties = self._parties(token, mentions, date)
                if parties is not None:
                    extra.append(parties)
        resolved = sorted(mentions + extra, key=lambda m: m.start)
        resolved = _link_surnames(_surnames_left(doc, resolved))
        return _named_groups(doc, _titles_of_the_named(doc, resolved))

    def _parties(self, token: Token, mentions: list[Mention],
                 date: DateValue | None) -> Mention | None:
        """'both sides', 'the two countries', 'the parties', 'the two leaders':
        the two parties of the process (the profile's, else the two countries
        the report names most); leaders are their heads on the date."""
        words = {c.lower_ for c in token.children if c.dep_ in L.quantifying_modifiers}
        if not words & W.party_count_words or \
                (words == W.definite_article and token.lemma_.lower() not in BARE_PARTY_NOUNS):
            return None
        count = 3 if words & W.three_party_numerals else 2  # "the leaders of the three countries"
        countries = self._two_parties(mentions, count)
        if len(countries) != count:
            return None
        if token.lemma_.lower() in W.leader_nouns and all(c.kind == "country" for c in countries):
            lo, hi = date_range(date)
            heads = [self.profile.holders(c.code, set(), head=True, lo=lo, hi=hi) for c in countries]
            if all(len(h) == 1 for h in heads):
                countries = [h[0] for h in heads]
        span = (token.idx, token.idx + len(token))
        found = [actor_for(c, token.text, date, span) for c in countries]
        return Mention(token.i, token.i + 1, "group", found[0], countries[0], others=found[1:])

    def _two_parties(self, mentions: list[Mention], count: int = 2) -> list[Entity]:
        """The process's parties (the profile's countries first; the profile's
        parties when one is not a state: "both sides" in Sudan are the army
        and the RSF), else the ``count`` countries the report has named most
        so far."""
        sides = [self.profile.entities[p] for p in self.profile.parties if p in self.profile.entities]
        if len(sides) == count and any(side.kind != "country" for side in sides):
            return sides
        counts: dict[str, int] = {}
        for mention in mentions:
            code = mention.actor.code
            if code and self.profile.country_by_code(code) is not None:
                counts[code] = counts.get(code, 0) + 1
        focus = [c for c in self.profile.countries if c in counts]
        others = sorted((c for c in counts if c not in focus), key=lambda c: -counts[c])
        codes = (focus + others)[:count] if len(focus) <= count else \
            sorted(focus, key=lambda c: -counts[c])[:count]
        return [e for e in (self.profile.country_by_code(c) for c in codes) if e is not None]


class _Found:
    """The mentions found so far, kept in text order (ties in the order found),
    so that what lies before a token and what a new mention covers are found
    by bisection rather than by a pass over every mention."""

    def __init__(self) -> None:
        self.keys: list[tuple[int, int]] = []  # (start, order found)
        self.items: list[Mention] = []
        self.count = 0

    def add(self, mention: Mention) -> None:
        """Keep a mention, dropping those it covers."""
        lo = bisect.bisect_left(self.keys, (mention.start,))
        hi = bisect.bisect_left(self.keys, (mention.end,))
        covered = [i for i in range(lo, hi)
                   if self.items[i].start < self.items[i].end <= mention.end]
        for i in reversed(covered):
            del self.keys[i], self.items[i]
        key = (mention.start, self.count)
        self.count += 1
        at = bisect.bisect_right(self.keys, key)
        self.keys.insert(at, key)
        self.items.insert(at, mention)

    def before(self, start: int) -> _Earlier:
        return _Earlier(self.items, bisect.bisect_left(self.keys, (start,)), start)

    def mentions(self) -> list[Mention]:
        return list(self.items)


class _Earlier:
    """The mentions that end before a token, in text order, as a view: read
    back from the nearest, at most LOOKBACK of them."""

    NONE: _Earlier

    def __init__(self, items: list[Mention], stop: int, start: int) -> None:
        self.items, self.stop, self.start = items, stop, start

    def __reversed__(self) -> Iterator[Mention]:
        for i in range(self.stop - 1, max(self.stop - LOOKBACK, 0) - 1, -1):
            if self.items[i].end <= self.start:
                yield self.items[i]

    def __iter__(self) -> Iterator[Mention]:
        return iter(list(reversed(list(reversed(self)))))


_Earlier.NONE = _Earlier([], 0, 0)


class _Maker:
    """Tokenise patterns as documents are (``nlp.pattern_words``) into the model's vocab."""

    def __init__(self, vocab) -> None:
        self.vocab = vocab
        # the pattern documents made in this vocab, by text: every process's
        # finders add the same generic names (a PhraseMatcher keeps the
        # words' ids, not the Doc); the vocab is held so its id stays its own
        self._docs = _PATTERN_DOCS.setdefault(id(vocab), (vocab, {}))[1]

    def make_doc(self, text: str) -> Doc:
        doc = self._docs.get(text)
        if doc is None:
            doc = self._docs[text] = Doc(self.vocab, words=list(pattern_words(text)))
        return doc


_PATTERN_DOCS: dict[int, tuple[object, dict[str, Doc]]] = {}


def _lexicon_places() -> list[dict]:
    """The named places of the generic gazetteer (sites, regions, crossings)."""
    data = load_lexicon("places")
    return [*data.get("landmarks", []), *data.get("regions", []), *data.get("crossings", [])]


def _load_roles() -> dict[str, Role]:
    """Role words, and the organs named through a country ('foreign ministry',
    'armed forces', 'side'), which act as that country (organisations.yaml)."""
    items = list(load_lexicon("roles").get("roles", []))
    items += [{"role": p["body"], "sector": p.get("sector"), "collective": True,
               "aliases": p.get("aliases", [])}
              for p in load_lexicon("organisations").get("patterns", [])]
    roles: dict[str, Role] = {}
    for item in items:
        role = Role(item["role"], item.get("sector"), bool(item.get("head", False)),
                    bool(item.get("group") or item.get("collective")),
                    frozenset(item.get("implies", [])))
        roles.setdefault(item["role"], role)
        for alias in item.get("aliases", []):
            roles.setdefault(alias.lower(), role)
    return roles


def _role_aliases(roles: dict[str, Role]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for alias, role in roles.items():
        out.setdefault(role.role, []).append(alias)
    return out


# Lower-case particles inside a full name: "Bashar al-Jaafari", "Ursula von der Leyen".
_APOSTROPHES = re.compile("['’]")
NAME_PARTICLES = W.name_particles


def _spellings(phrase: str) -> list[str]:
    """A name as reports type it: with a straight or a typographic apostrophe
    ("O'Brien", "O’Brien")."""
    return list(dict.fromkeys([phrase, phrase.replace("'", "’"), phrase.replace("’", "'")]))


def _person_id(ent: Span, label: str) -> str | None:
    """'Tom Perriello' -> 'tom-perriello', 'Bashar al-Jaafari' -> 'bashar-al-jaafari',
    'Kim Jong-un' -> 'kim-jong-un', "Robert O'Brien" -> 'robert-obrien'; None for
    anything less than a full name. ``label``: the entity's label (a trimmed
    span, a slice of the doc, has none of its own)."""
    if label not in L.person_entity:
        return None
    parts = [_APOSTROPHES.sub("", part) for part in ent.text.split()]
    names = [p for p in parts if p.lower() not in NAME_PARTICLES]
    if not 2 <= len(names) <= 4 or len(parts) > 6 or parts[0] not in names or \
            parts[-1] not in names or not all(_name_part(p) for p in parts):
        return None
    return slugify(" ".join(parts))


def _name_part(part: str) -> bool:
    """A word of a person's name: capitalised letters, or pieces joined by
    hyphens after a capitalised or particle piece ('Jong-un', 'al-Sisi')."""
    pieces = part.split("-")
    if not all(piece.isalpha() for piece in pieces):
        return False
    return pieces[0][:1].isupper() or pieces[0].lower() in NAME_PARTICLES


def _trim(ent: Span) -> Span | None:
    """Drop a leading 'the' and a trailing possessive from an entity span."""
    start, end = ent.start, ent.end
    doc = ent.doc
    if doc[start].lower_ in W.definite_article:
        start += 1
    if end - 1 >= start and doc[end - 1].text in W.possessive_endings:
        end -= 1
    return doc[start:end] if end > start else None


def _antecedent(token: Token, mentions: list[Mention], gender: str | None,
                thing: bool) -> Mention | None:
    """The most recent fitting mention before the pronoun, subjects first."""
    before = [m for m in mentions if m.end <= token.i and m.kind != "pronoun"]
    own_subject = _clause_subject(token)
    before = [m for m in before if m.start not in own_subject]
    if thing:
        before = [m for m in before if not m.is_person and m.kind != "group"]
    else:
        before = [m for m in before if m.is_person and (gender is None or m.gender in (None, gender))]
    if not before:
        return None
    sentence_start = sentence_of(token).start
    # within the pronoun's own sentence or the previous one, prefer a subject
    previous_start = _previous_sentence_start(token)
    window = [m for m in before if m.start >= previous_start]
    subjects = [m for m in window if token.doc[m.end - 1].dep_ in L.active_or_passive_subject
                or any(token.doc[i].dep_ in L.active_or_passive_subject for i in range(m.start, m.end))]
    for group in (subjects, window, before):
        if group:
            same = [m for m in group if m.start >= sentence_start]
            return (same or group)[-1]
    return None


def _called_back(token: Token, mentions: list[Mention], noun: str) -> Mention | None:
    """The last mention before the token of an organisation the noun may call
    back ('the Collective Security Treaty Organization ... the bloc')."""
    for mention in reversed(mentions):
        if mention.end <= token.i and mention.entity is not None and noun in mention.entity.called:
            return mention
    return None


def _clause_subject(token: Token) -> set[int]:
    """For an object pronoun, the token indices of its own clause's subject,
    which it cannot stand for ('A and B signed a statement with him': him is
    neither A nor B; that would be 'himself')."""
    if token.dep_ not in L.direct_or_indirect_object or token.tag_ in L.possessive_pronoun:
        return set()
    node = token
    for _ in range(4):
        node = node.head
        if node.pos_ in L.verb:
            return {t.i for s in node.children if s.dep_ in L.active_or_passive_subject
                    for t in s.subtree}
        if node.head.i == node.i:
            break
    return set()


def _plural_antecedent(token: Token, mentions: list[Mention]) -> list[Mention] | None:
    """'they'/'their': the conjoined or plural subject before it (this or the
    previous sentence)."""
    previous_start = _previous_sentence_start(token)
    window = [m for m in mentions if previous_start <= m.start and m.end <= token.i]
    sentence_start = sentence_of(token).start
    # in its own sentence, a plural subject first: "the leaders of the three countries
    # adopted a statement, in which they …" are the leaders, not the countries
    subjects = [m for m in window if m.others and m.start >= sentence_start and
                token.doc[m.end - 1].dep_ in L.active_or_passive_subject]
    if subjects:
        return [subjects[-1]]
    for mention in reversed(window):
        if mention.others:
            return [mention]
        head = token.doc[mention.end - 1]
        if head.dep_ in L.active_or_passive_subject and head.conjuncts:
            group = [m for m in window if any(m.start <= c.i < m.end for c in head.conjuncts)]
            if group:
                return [mention, *group]
    return None


def _pointing(token: Token, targets: list[Mention]) -> Mention:
    span = (token.idx, token.idx + len(token))
    actors = [replace(a, text=token.text, span=span) for t in targets for a in t.actors]
    return Mention(token.i, token.i + 1, "pronoun", actors[0], targets[0].entity,
                   others=actors[1:])


def _previous_sentence_start(token: Token) -> int:
    sent = sentence_of(token)
    if sent.start == 0:
        return 0
    return sentence_of(token.doc[sent.start - 1]).start


def _after_bracket(ent: Span) -> Span:
    """A name spaCy ran over an opening bracket ("The Co-Chairs of the OSCE
    Minsk Group (Igor Popov") is what follows the bracket."""
    opens = [t.i for t in ent if t.text in ("(", "[")]
    return ent.doc[opens[-1] + 1:ent.end] if opens and opens[-1] + 1 < ent.end else ent


def _named_groups(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A plural noun or title the report introduces with the people it means
    ("the co-chairs of the Minsk Group (Igor Popov, Stéphane Visconti and
    Andrew Schofer)", "the mediators, envoy X and official Y") means those
    people when the report says it again ("the co-chairs plan to meet ..."):
    those words and the later ones, unresolved, become them, in the report's
    words."""
    people_at = {m.end - 1: m for m in mentions if m.is_person and m.actor.id}
    if len(people_at) < 2:
        return mentions
    tree = tree_of(doc)  # plain lists: a Token only for the words that may fit
    titles = {m.end - 1: m for m in mentions
              if m.kind == "title" and not m.actor.id and m.actor.role}
    covered = {i for m in mentions for i in range(m.start, m.end)}
    groups: dict[str, list[Mention]] = {}
    out = list(mentions)
    for i, tag in enumerate(tree.tag):
        mention = titles.get(i)
        if mention is None and (tag not in L.plural_noun or i in covered):
            continue  # neither an unresolved title nor a plural noun of its own
        token = doc[i]
        key = f"role:{mention.actor.role}" if mention is not None else tree.lemma[i]
        words = doc[mention.start:mention.end] if mention is not None else [token]
        listed = _listed_people(words, people_at)
        start = mention.start if mention is not None else \
            next((t.i for t in doc[token.left_edge.i:i] if t.lower_ in W.definite_article), None)
        if len(listed) >= 2:
            groups[key] = listed  # the words that introduce them mean them too
            start = i if start is None else start
        elif key not in groups or start is None or tree.lower[start] not in W.definite_article:
            continue
        span = (doc[start].idx, token.idx + len(token))
        actors = [replace(m.actor, text=doc[start:i + 1].text, span=span) for m in groups[key]]
        if mention is not None:
            out = [m for m in out if m is not mention]
        out.append(Mention(start, i + 1, "group", actors[0], groups[key][0].entity,
                           others=actors[1:]))
    return sorted(out, key=lambda m: m.start)


def _listed_people(words, people_at: dict[int, Mention]) -> list[Mention]:
    """The people an apposition lists after a plural noun or title, or after
    its 'of' phrase: 'the mediators, A and B', 'the co-chairs of the group
    (A, B and C)'."""
    heads = [c for w in words for c in w.children if c.dep_ in L.apposition]
    heads += [a for w in words for p in w.children
              if p.dep_ in L.preposition and p.lower_ in W.genitive_preps
              for o in p.children if o.dep_ in L.preposition_object
              for a in o.children if a.dep_ in L.apposition]
    found: dict[str, Mention] = {}
    for head in heads:
        for word in head.subtree:
            mention = people_at.get(word.i)
            if mention is not None:
                found.setdefault(mention.actor.id, mention)
    return list(found.values())


def _surnames_left(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A last name on its own that no mention covers ("Fontelles said", told
    after "Josep Borrell Fontelles") is the person named in full before it."""
    tree = tree_of(doc)  # plain lists: no Token is built for words that cannot fit
    named: dict[str, list[Mention]] = {}
    for mention in mentions:
        last = mention.end - 1
        if mention.is_person and mention.actor.id and mention.end - mention.start >= 2 and \
                tree.pos[last] in L.proper_noun:
            named.setdefault(tree.text[last], []).append(mention)
    if not named:
        return mentions
    covered = {i for m in mentions for i in range(m.start, m.end)}
    extra: list[Mention] = []
    for i, word in enumerate(tree.text):
        people = named.get(word)
        if people is None or i in covered or not tree.is_title[i] or \
                tree.pos[i] not in L.noun:
            continue
        before = [m for m in people if m.end <= i]
        if not before:
            continue
        person = max(before, key=lambda m: m.end)
        span = (doc[i].idx, doc[i].idx + len(word))
        extra.append(Mention(i, i + 1, "name", replace(person.actor, text=word, span=span),
                             person.entity, person.gender))
    return sorted(mentions + extra, key=lambda m: m.start) if extra else mentions


def _titles_of_the_named(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A bare title ("the Foreign Secretary", "the minister") after a person
    no lexicon knows was named with that title ("Indian Foreign Secretary
    Vikram Misri") is that person, not whoever the profile says held such an
    office: the report has told its reader who it means."""
    titled: dict[str, Mention] = {}  # role -> the last unknown person named with it
    # role, and its last word ('minister' of 'foreign minister') -> the last known
    # person named with it: "Foreign Minister Jeyhun Bayramov stated …, the minister said"
    known: dict[str, Mention] = {}
    out = []
    for mention in mentions:
        role = mention.actor.role
        bare = mention.kind == "title" and doc[mention.start].lower_ in W.definite_article and \
            mention.end - mention.start <= 3
        if mention.kind == "ner" and role and mention.actor.id:
            titled[role] = mention
        elif mention.kind == "name" and role and mention.actor.id and mention.entity is not None:
            known[role] = known[role.split()[-1]] = mention
        elif bare and role in titled:
            named = titled[role]
            if mention.actor.code is None or named.actor.code in (None, mention.actor.code):
                mention = replace(mention, actor=replace(named.actor, text=mention.actor.text,
                                                         span=mention.actor.span),
                                  entity=None, others=[])
        elif bare and mention.actor.id is None and role in known:
            named = known[role]
            if mention.actor.code is None or named.actor.code == mention.actor.code:
                mention = replace(mention, actor=replace(named.actor, text=mention.actor.text,
                                                         span=mention.actor.span),
                                  entity=named.entity, gender=named.gender, others=[])
        out.append(mention)
    return out


def _link_surnames(mentions: list[Mention]) -> list[Mention]:
    """An unknown person's later short name points to their full-name mention:
    the surname ("Perriello"), or another part of the name when only one
    person named before has it ("Anwar" for Anwar Ibrahim, where the given
    name is used)."""
    people: dict[str, Mention] = {}
    parts: dict[str, list[Mention]] = {}
    for mention in mentions:
        if mention.kind != "ner":
            continue
        words = (mention.actor.name or "").split()
        if len(words) >= 2 and mention.actor.id:
            people[words[-1]] = mention
            for word in words[:-1]:
                if len(word) >= 3 and word[0].isupper():
                    parts.setdefault(word, []).append(mention)
        elif len(words) == 1:
            full = people.get(words[0])
            if full is None and len({m.actor.id for m in parts.get(words[0], [])}) == 1:
                full = parts[words[0]][0]
            if full is not None:
                mention.actor = replace(full.actor, text=mention.actor.text,
                                        span=mention.actor.span)
    return mentions
