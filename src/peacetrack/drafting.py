"""Start a profile from a corpus: ``peacetrack profile draft PATH -o FILE.yaml``.

The reports are read and analysed with the generic lexicons alone (profile
``none``); what they name often is proposed as a profile for an analyst to
edit (docs/profiles.md, "Drafting a profile"):

- ``countries`` and ``parties``: the states and armed groups the reports name
  most, that are not only mediators;
- ``entities``: people named with a title that no lexicon knows ("Kosovo's
  chief negotiator Besnik Bislimi"), with the code, sector and role the title
  gave and the dates the reports span as the office's; organisations the
  model found that no lexicon knows, with a code from the state they name;
- ``places``: the places events happened at, with their coordinates when the
  gazetteer knows them (to fill in when not);
- ``tracks``: who mediated the reports' events, and where;
- ``issues``: the generic issues the reports speak of, and candidates of
  their own: the noun phrases most often negotiated ("talks on the
  association of Serb-majority municipalities", "agreed on the annex"),
  each with a statement to write.

Everything drafted is a proposal: the file says so at its top, and each
entry says what it was seen as. Used as is, it assigns the reports it came
from to their process and gives them its parties, places and tracks
(docs/profiles.md has how that codes two Serbia–Kosovo reports).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from .profile import NON_STATE_SECTORS, generic_issues, slugify
from .records import Analysis, Document

# Words whose objects or "on/over/about" phrases are what is negotiated.
NEGOTIATING = frozenset({
    "talk", "negotiation", "agreement", "deal", "dialogue", "discussion", "dispute", "accord",
    "issue", "proposal", "plan", "demand", "commitment", "implementation", "question",
    "discuss", "negotiate", "agree", "reject", "implement", "sign", "accept",
    "establish", "oppose", "support", "insist", "guarantee", "recognize", "recognise",
})
ABOUT_PREPS = frozenset({"on", "over", "about", "regarding", "concerning", "of"})
# Heads of phrases that name no negotiated thing ("the talks", "the two sides").
VAGUE_HEADS = frozenset({
    "talk", "negotiation", "side", "party", "country", "leader", "meeting", "statement",
    "minister", "president", "government", "people", "official", "way", "time", "part",
    "year", "day", "week", "month", "thing", "lot", "number", "point", "end", "step", "need",
    "sort", "kind", "fact", "framework", "process", "matter", "question", "issue", "topic",
    "round", "term", "report", "news", "source", "representative", "delegation", "what",
})
MIN_MENTIONS = 2       # a name or phrase seen fewer times is not proposed
# Roles of people who stand between the parties: their state or organisation mediates.
MEDIATING_ROLES = frozenset({"mediator", "special envoy", "envoy", "special representative",
                             "high representative", "facilitator"})
MOST_ISSUES = 8        # candidate issues of its own, at most
MOST_PARTIES = 2       # the sides proposed (edit to add more)
_ARMED = re.compile(r"\b(?:army|forces?|front|militias?|movement|brigades?|rebels?|guerrillas?|"
                    r"liberation|fighters|insurgents?)\b", re.IGNORECASE)


@dataclass
class Seen:
    """What the reports say of one entity, place or phrase."""

    name: str
    count: int = 0
    attrs: Counter = field(default_factory=Counter)   # (code, sector, role) as seen
    dates: list[str] = field(default_factory=list)    # publication dates of the reports


@dataclass
class Tally:
    """Everything counted over the corpus."""

    reports: int = 0
    dates: list[str] = field(default_factory=list)
    states: Counter = field(default_factory=Counter)       # country id -> mentions
    groups: dict[str, Seen] = field(default_factory=dict)  # known armed groups by id
    people: dict[str, Seen] = field(default_factory=dict)  # unknown titled people by slug
    bodies: dict[str, Seen] = field(default_factory=dict)  # unknown organisations by name
    places: dict[str, dict[str, Any]] = field(default_factory=dict)
    place_counts: Counter = field(default_factory=Counter)
    mediators: Counter = field(default_factory=Counter)
    mediator_places: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    third: Counter = field(default_factory=Counter)        # IGOs and envoys named
    acting: Counter = field(default_factory=Counter)       # actor/recipient ids of events
    phrases: Counter = field(default_factory=Counter)
    phrase_text: dict[str, str] = field(default_factory=dict)
    generic_issue_hits: Counter = field(default_factory=Counter)


def draft_profile(paths: Sequence[str], *, settings, name: str | None = None,
                  title: str | None = None) -> dict[str, Any]:
    """A profile proposed from the reports under ``paths`` (a YAML-ready dict)."""
    from .analysis import Analyzer
    from .ingest import RawReport, read_inputs
    from .pipeline import prepare

    analyzer = Analyzer(settings.updated(profile="none"))
    tally = Tally()
    raws = (r for r in read_inputs(paths, max_bytes=settings.max_bytes) if isinstance(r, RawReport))
    documents = [d for d in (prepare(r) for r in raws) if isinstance(d, Document)]
    for document, doc in zip(documents, analyzer.nlp.pipe(d.text for d in documents), strict=True):
        analysis = analyzer.analyse_doc(document, doc)
        actors = analyzer.actors.find(doc, analysis.document.published)
        _count(tally, analysis, actors, doc, analyzer.profile)
    return _profile(tally, analyzer.profile, name=name, title=title)


# -- counting ---------------------------------------------------------------

def _count(tally: Tally, analysis: Analysis, actors, doc, profile) -> None:
    tally.reports += 1
    when = analysis.document.published.value
    if when:
        tally.dates.append(when)
    for mention in actors.mentions:
        for actor in mention.actors:
            entity = profile.entities.get(actor.id or "")
            if actor.id and (actor.sector == "IGO" or actor.role in MEDIATING_ROLES):
                tally.third[actor.id] += 1  # who may stand between the parties
            if entity is not None and entity.kind == "country":
                tally.states[entity.id] += 1
            elif entity is not None and entity.sector in NON_STATE_SECTORS and entity.kind != "person":
                _see(tally.groups, entity.id, entity.name, actor, when)
            elif entity is None and mention.kind == "ner" and actor.id and actor.code:
                _see(tally.people, actor.id, actor.name or actor.text, actor, when)
            elif entity is None and mention.kind == "ner" and not actor.id and \
                    doc[mention.start].ent_type_ == "ORG" and not _is_place(actor.text):
                _see(tally.bodies, actor.text, actor.text, actor, when)
    for event in analysis.events:
        for actor in event.actor + event.recipient:
            if actor.id:
                tally.acting[actor.id] += 1
        third = [a for a in event.actor + event.recipient if a.id in tally.third]
        for mediator in event.mediator + third:
            if mediator.id:
                tally.mediators[mediator.id] += mediator in event.mediator
                if event.location is not None and event.location.name:
                    tally.mediator_places[mediator.id][event.location.name] += 1
        place = event.location
        if place is not None and place.name:
            tally.place_counts[place.name] += 1
            tally.places.setdefault(place.name, {"name": place.name, "country": place.country,
                                                 "lat": place.lat, "lon": place.lon})
    _count_phrases(tally, doc)
    text = doc.text.lower()
    for issue in generic_issues():
        if any(re.search(rf"(?<!\w){re.escape(a.lower())}(?!\w)", text) for a in issue.aliases):
            tally.generic_issue_hits[issue.id] += 1


def _is_place(name: str) -> bool:
    from .places import Gazetteer

    return _gazetteer(Gazetteer).place(name, tiers=(15000,)) is not None


_GAZETTEER: list = []


def _gazetteer(make):
    if not _GAZETTEER:
        _GAZETTEER.append(make())
    return _GAZETTEER[0]


def _see(table: dict[str, Seen], key: str, name: str, actor, when: str | None) -> None:
    seen = table.setdefault(key, Seen(name))
    seen.count += 1
    if actor.code or actor.sector or actor.role:
        seen.attrs[(actor.code, actor.sector, actor.role)] += 1
    if when:
        seen.dates.append(when)


def _count_phrases(tally: Tally, doc) -> None:
    """Noun phrases that are negotiated: objects of negotiating verbs, and the
    'on/over/about' phrases of negotiating words ("talks on the annex")."""
    for chunk in doc.noun_chunks:
        root = chunk.root
        if root.lemma_.lower() in VAGUE_HEADS or root.pos_ == "PRON" or root.ent_type_ in (
                "PERSON", "GPE", "NORP", "DATE", "CARDINAL", "ORG", "TIME", "MONEY", "PERCENT"):
            continue
        head = root.head
        negotiated = (root.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in NEGOTIATING) or (
            root.dep_ == "pobj" and head.lower_ in ABOUT_PREPS and
            head.head.lemma_.lower() in NEGOTIATING)
        if not negotiated:
            continue
        words = [t for t in chunk if t.pos_ not in ("DET", "PRON", "NUM") and not t.is_punct
                 and t.lower_ not in ("new", "further", "such", "other", "own", "this", "that")]
        if not words or len(words) > 6:
            continue
        phrase = " ".join(t.text for t in words)
        key = " ".join(t.lemma_.lower() for t in words)
        tally.phrases[key] += 1
        tally.phrase_text.setdefault(key, phrase)


# -- proposing ----------------------------------------------------------------

def _profile(tally: Tally, profile, *, name: str | None, title: str | None) -> dict[str, Any]:
    mediators = set(tally.mediators)
    sides = _parties(tally, profile, mediators)
    countries = list(dict.fromkeys(
        c for c in (profile.entities[s].code for s in sides if s in profile.entities) if c))
    slug = name or slugify("-".join(profile.entities[s].name for s in sides)) or "drafted"
    lo, hi = (min(tally.dates), max(tally.dates)) if tally.dates else (None, None)
    return {
        "name": slug,
        "title": title or " – ".join(profile.entities[s].name for s in sides) or slug,
        "countries": countries,
        "parties": sides,
        "entities": _people(tally, lo) + _bodies(tally, profile, countries),
        "issues": _issues(tally),
        "tracks": _tracks(tally, profile, sides),
        "places": _places(tally),
        "_drafted": {"reports": tally.reports, "from": lo, "to": hi},
    }


def _parties(tally: Tally, profile, mediators: set[str]) -> list[str]:
    """The states and armed groups the reports name most, that acted in events
    and did not only mediate them."""
    named: Counter = Counter()
    for state, n in tally.states.items():
        named[state] += n
    for group, seen in tally.groups.items():
        named[group] += seen.count
    ranked = [e for e, _ in named.most_common()
              if tally.acting[e] > tally.mediators[e] or e not in mediators]
    return ranked[:MOST_PARTIES]


def _third_parties(tally: Tally, profile, sides: list[str]) -> Counter:
    """Who mediated: the events' mediators, and organisations and envoys the
    reports name at least twice, by the state or organisation they act for."""
    codes = {profile.entities[s].code for s in sides if s in profile.entities}
    found: Counter = Counter()
    for who, n in (tally.mediators + tally.third).items():
        entity = profile.entities.get(who)
        if entity is None or who in sides or (n < MIN_MENTIONS and not tally.mediators[who]):
            continue
        code = entity.code or next((o.code for o in entity.offices), None)
        if code in codes:
            continue  # a party's own official is no mediator
        found[who] += n
    return found


def _people(tally: Tally, since: str | None) -> list[dict[str, Any]]:
    out = []
    for key, seen in sorted(tally.people.items(), key=lambda kv: -kv[1].count):
        if seen.count < MIN_MENTIONS or not seen.attrs:
            continue
        code, sector, role = seen.attrs.most_common(1)[0][0]
        office = {"code": code, "sector": sector, "role": role}
        if seen.dates:  # seen in office on these dates: a start to check
            office["from"] = min(seen.dates)
        surname = seen.name.split()[-1]
        out.append({"id": key, "name": seen.name, "kind": "person",
                    "aliases": [surname] if surname != seen.name else [], "offices": [office]})
    return out


def _bodies(tally: Tally, profile, countries: list[str]) -> list[dict[str, Any]]:
    out = []
    for seen in sorted(tally.bodies.values(), key=lambda s: -s.count):
        if seen.count < MIN_MENTIONS:
            continue
        code = _code_named_in(seen.name, profile) or (countries[0] if len(countries) == 1 else None)
        sector = "REB" if _ARMED.search(seen.name) else None
        out.append({"id": slugify(seen.name), "name": seen.name, "kind": "body", "code": code,
                    "sector": sector, "aliases": []})
    return out


def _code_named_in(text: str, profile) -> str | None:
    """The state a name names ('Kosovo Police', 'Sudanese Armed Forces')."""
    words = set(re.findall(r"[\w'-]+", text))
    for entity in profile.entities.values():
        if entity.kind == "country" and entity.code and \
                ({entity.name, *entity.demonyms} & words):
            return entity.code
    return None


def _issues(tally: Tally) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"id": issue_id} for issue_id, _ in
                                 tally.generic_issue_hits.most_common()]
    taken = {i["id"] for i in out}
    for key, n in tally.phrases.most_common():
        if n < MIN_MENTIONS or len(out) >= len(taken) + MOST_ISSUES:
            break
        slug = slugify(tally.phrase_text[key])
        if not slug or slug in taken:
            continue
        taken.add(slug)
        out.append({"id": slug, "name": tally.phrase_text[key][:1].upper() + tally.phrase_text[key][1:],
                    "statement": f"TODO: what supporting '{tally.phrase_text[key]}' means",
                    "aliases": [tally.phrase_text[key]]})
    return out


def _tracks(tally: Tally, profile, sides: list[str]) -> list[dict[str, Any]]:
    """One track per mediating state or organisation, with the people who act
    for it and the places its events happened at."""
    third = _third_parties(tally, profile, sides)
    codes = {profile.entities[s].code for s in sides if s in profile.entities}
    by_code: dict[str, list[str]] = defaultdict(list)
    for who, _ in third.most_common():
        entity = profile.entities[who]
        code = entity.code if entity.kind != "person" else \
            max(entity.offices, key=lambda o: o.start or "").code if entity.offices else None
        if code:
            by_code[code].append(who)
    out = []
    for code, members in by_code.items():
        body = next((profile.entities[m] for m in members if profile.entities[m].kind != "person"),
                    None) or _body_of(profile, code)
        mediators = list(dict.fromkeys([*([body.id] if body else []), *members]))
        places: Counter = Counter()
        for member in mediators:
            places.update(tally.mediator_places[member])
        for place in [p for p in places if (tally.places.get(p) or {}).get("country") in codes]:
            del places[place]  # a party's own town is no mediator's venue
        name = body.name if body else code
        out.append({"id": slugify(name), "name": name, "issue": "peace-talks",
                    "mediators": mediators, "places": [p for p, _ in places.most_common()]})
    return out


def _body_of(profile, code: str):
    """The country or organisation a code stands for (EU -> european-union)."""
    return profile.country_by_code(code) or next(
        (e for e in profile.entities.values() if e.kind == "organisation" and e.code == code
         and e.sector == "IGO"), None)


def _places(tally: Tally) -> list[dict[str, Any]]:
    return [tally.places[name] for name, n in tally.place_counts.most_common()]


# -- writing ------------------------------------------------------------------

HEADER = """\
# A profile DRAFTED by `peacetrack profile draft` from {reports} report(s)
# published {span}, on {today}. Every entry is a proposal: check it against
# public facts before relying on it (docs/profiles.md, "Drafting a profile").
# - countries/parties: the states and armed groups the reports name most;
#   add the other sides of the process, remove a mediator.
# - entities: people the generic lexicons do not know, with the office a
#   title gave them and, as `from`, the first report that shows it (the real
#   start is earlier); organisations, with the state their name names.
# - issues: generic ones the reports speak of (their aliases come with
#   them) and candidates of their own, from the phrases most often
#   negotiated: keep the propositions, write each statement, add aliases.
# - tracks: who mediated, and where; places: where events happened (fill
#   in the coordinates left empty).
"""


def write_profile(draft: dict[str, Any], out) -> None:
    """The draft as YAML, with a header saying it is a draft."""
    meta = draft.pop("_drafted", {})
    span = f"{meta.get('from')} to {meta.get('to')}" if meta.get("from") else "on unknown dates"
    out.write(HEADER.format(reports=meta.get("reports", 0), span=span,
                            today=date.today().isoformat()))
    yaml.safe_dump(draft, out, sort_keys=False, allow_unicode=True, width=100)


def yaml_text(draft: dict[str, Any]) -> str:
    import io

    buffer = io.StringIO()
    write_profile(dict(draft), buffer)
    return buffer.getvalue()


__all__ = ["draft_profile", "write_profile", "yaml_text"]
