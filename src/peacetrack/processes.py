"""Which process a report is about, among the active profiles (SPEC §2 ``process``).

A report is about a process when it names the process's sides: its parties
(states by name, demonym, capital or seat, armed groups by name), the
officials who act for them, and what only that process has (its own bodies
and people, places in its parties' territory, its own issues). A profile
qualifies when the report names two of its parties, or one and two other
things of its own, or two things of its own (in a report of a few sentences
that no process qualifies for, one thing of its own will do: "the protest in
Kirants"); of those that qualify, the ones scoring at least
``SECONDARY_SHARE`` of the best are the report's processes, best first. A
report about none is ``other``. The headline counts double: it says what
the report is about.

Mediators are no evidence (the EU mediates in the Caucasus and the Balkans
alike), nor are venues outside the parties' territory.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .actors import _Maker
from .profile import NON_STATE_SECTORS, Entity, Profile, generic_entities, generic_issues

OTHER = "other"
# Of the profiles that qualify, those scoring this share of the best are kept.
SECONDARY_SHARE = 0.6
# A report of at most this many sentences is assigned on one thing of a process.
SHORT_SENTENCES = 3
# An alias of a process's own issue is weaker evidence than a name: "sovereignty"
# or "transit" are said of many processes.
ISSUE_WEIGHT = 0.5


@dataclass
class Evidence:
    """What a report names of one process."""

    process: str
    parties: Counter = field(default_factory=Counter)   # party id -> mentions
    own: int = 0       # the process's own bodies, people and places
    issues: int = 0    # its own issues' aliases
    territory: int = 0  # its states that are not sides (Sudan, for the army and the RSF)
    officials: int = 0  # its sides' officials only its profile knows ("Pashinyan")

    @property
    def qualifies(self) -> bool:
        named = len(self.parties)
        return named >= 2 or (named == 1 and self.own + self.issues + self.territory >= 2) or \
            self.own >= 2

    @property
    def score(self) -> float:
        return sum(math.sqrt(n) for n in self.parties.values()) + math.sqrt(self.own) + \
            ISSUE_WEIGHT * math.sqrt(self.issues + self.territory)


class ProcessFinder:
    """Phrase matchers over the active profiles, built once per worker."""

    def __init__(self, profiles: Sequence[Profile], vocab) -> None:
        self.names = [p.name for p in profiles]
        self._maker = _Maker(vocab)
        self.exact = PhraseMatcher(vocab)
        self.lower = PhraseMatcher(vocab, attr="LOWER")
        self._labels: dict[str, tuple[str, str, str]] = {}  # label -> (process, kind, key)
        generic = generic_entities()
        shared = {i.id: set(i.aliases) | {i.name} for i in generic_issues()}
        for profile in profiles:
            self._add_profile(profile, set(generic), shared)
        for country in (e for e in generic.values() if e.kind == "country"):
            # every country's names, so that "South Sudan" is not read as "Sudan"
            self._add(self.exact, "", "block", country.id, [country.name, *country.aliases])

    # -- building ---------------------------------------------------------
    def _add(self, matcher: PhraseMatcher, process: str, kind: str, key: str,
             phrases: Sequence[str]) -> None:
        label = f"{process}|{kind}|{key}"
        if matcher is self.exact:  # a wire dateline writes names in capitals: "YEREVAN, Dec 14"
            phrases = [*phrases, *(p.upper() for p in phrases if p and len(p) > 3)]
        docs = [self._maker.make_doc(p) for p in dict.fromkeys(phrases) if p and p.strip()]
        if docs:
            self._labels[label] = (process, kind, key)
            matcher.add(label, docs)

    def _add_profile(self, profile: Profile, generic_ids: set[str],
                     generic_issues: dict[str, set[str]]) -> None:
        name = profile.name
        parties = [profile.entities[p] for p in profile.parties if p in profile.entities]
        for party in parties:
            self._add(self.exact, name, "party", party.id, _names(party))
        for entity in profile.entities.values():
            party = _party_of(entity, parties)
            if party is not None and entity.id != party.id and entity.kind == "person":
                # a side's official; one only this profile knows is also its own ("Pashinyan")
                kind = "party" if entity.id in generic_ids else "party+own"
                self._add(self.exact, name, kind, party.id, [entity.name, *entity.aliases])
            elif entity.id not in generic_ids and party is None:
                self._add(self.exact, name, "own", entity.id, [entity.name, *entity.aliases])
        countries = set(profile.countries)
        for place in profile.places:
            if place.get("country") in countries:
                self._add(self.exact, name, "own", f"place:{place['name']}",
                          [place["name"], *(place.get("aliases") or [])])
        for country in profile.countries:  # a process's country that is not one of its sides
            entity = profile.country_by_code(country)
            if entity is not None and entity not in parties:
                self._add(self.exact, name, "territory", entity.id, [entity.name, *entity.aliases])
        for issue in profile.issues:  # its own issues, and its own names of shared ones
            shared = generic_issues.get(issue.id, set())
            own = [a for a in [issue.name, *issue.aliases] if a not in shared]
            self._add(self.lower, name, "issue", issue.id, own)

    # -- finding ----------------------------------------------------------
    def evidence(self, doc: Doc, title: str | None = None) -> dict[str, Evidence]:
        """What the report names of each process; the headline counts twice."""
        found = {n: Evidence(n) for n in self.names}
        title_end = _title_end(doc, title)
        spans: dict[tuple[str, int], tuple[int, str, str]] = {}
        matches = [(self._labels[doc.vocab.strings[m]], start, end)
                   for matcher in (self.exact, self.lower) for m, start, end in matcher(doc)]
        blocks = [(start, end) for (_, kind, _), start, end in matches if kind == "block"]
        for (process, kind, key), start, end in matches:
            if kind == "block" or any(b <= start and end <= e and e - b > end - start
                                      for b, e in blocks):
                continue  # inside a longer country name: "Sudan" in "South Sudan"
            # one phrase counts once per process: the longest, a party first
            spot = (process, start)
            if spot not in spans or (end - start, kind.startswith("party")) > \
                    (spans[spot][0] - start, spans[spot][1].startswith("party")):
                spans[spot] = (end, kind, key)
        for (process, start), (_end, kind, key) in spans.items():
            weight = 2 if start < title_end else 1
            evidence = found[process]
            if kind.startswith("party"):
                evidence.parties[key] += weight
                evidence.officials += weight if kind == "party+own" else 0
            elif kind == "own":
                evidence.own += weight
            elif kind == "territory":
                evidence.territory += weight
            else:
                evidence.issues += weight
        return found

    def assign(self, doc: Doc, title: str | None = None) -> list[str]:
        """The processes the report is about, best first; [] when none."""
        found = self.evidence(doc, title).values()
        qualified = [e for e in found if e.qualifies]
        if not qualified and _short(doc):  # a few sentences may name one thing of a process
            qualified = [e for e in found if e.own + e.officials + e.issues >= 1]
        if not qualified:
            return []
        best = max(e.score for e in qualified)
        kept = sorted((e for e in qualified if e.score >= SECONDARY_SHARE * best),
                      key=lambda e: (-e.score, e.process))
        return [e.process for e in kept]


def _short(doc: Doc) -> bool:
    """A snippet, a headline, a wire line: too short to name a process twice."""
    return sum(1 for _ in doc.sents) <= SHORT_SENTENCES


def _names(entity: Entity) -> list[str]:
    return [entity.name, *entity.aliases, *entity.demonyms, *entity.metonyms]


def _party_of(entity: Entity, parties: list[Entity]) -> Entity | None:
    """The side a person or body acts for: a state party for its officials, an
    armed group for its own (same code, a non-state sector)."""
    if entity in parties:
        return entity
    for office in entity.offices or []:
        for party in parties:
            if party.kind == "country" and office.code == party.code and \
                    office.sector not in NON_STATE_SECTORS:
                return party
            if party.kind != "country" and office.code == party.code and \
                    office.sector == party.sector and office.sector in NON_STATE_SECTORS:
                return party
    if entity.part_of:
        return next((p for p in parties if p.id == entity.part_of), None)
    return None


def _title_end(doc: Doc, title: str | None) -> int:
    """The token index where the headline ends, when the text opens with it."""
    title = (title or "").strip()
    if not title:
        return 0
    at = doc.text.find(title)
    if at < 0 or at > 400:  # the headline is the report's first words, or not there
        return 0
    span = doc.char_span(at, at + len(title), alignment_mode="expand")
    return span.end if span is not None else 0


__all__ = ["OTHER", "Evidence", "ProcessFinder"]
