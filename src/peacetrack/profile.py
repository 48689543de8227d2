"""Profiles: the entities, issues, tracks and places of one process (SPEC §3).

A profile is layered over the generic lexicons (countries, organisations):
an entity with the same id extends the generic entry, and an issue with the
id of a generic issue (``lexicons/issues.yaml``) takes its name, statement
and aliases. ``load_profile('none')`` gives the generic lexicons and issues
alone. Several profiles are active at once with ``'a,b'`` or ``'all'`` (every
shipped one): ``load_profiles`` gives each, ``load_profile`` their union
(what the report and the dashboard draw), whose ``members`` are the profiles.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .chronology import Happening
from .errors import ProfileError
from .lexicons import data_path, load_lexicon
from .profile_schema import read_profile

_SLUG_STRIP = re.compile(r"[^a-z0-9]+")
# Sectors of groups inside a state that act apart from its government
# (ANNOTATION.md): rebels and de facto authorities, opposition, civilians.
NON_STATE_SECTORS = frozenset({"REB", "OPP", "CVL"})


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG_STRIP.sub("-", ascii_text.lower()).strip("-")


@dataclass(frozen=True)
class Office:
    code: str | None
    sector: str | None
    role: str | None
    start: str | None = None  # ISO date, inclusive
    end: str | None = None    # ISO date, inclusive; None = still held
    head: bool = False        # head of state or government

    def covers(self, lo: str, hi: str) -> bool:
        """Whether the office was held at some point of the [lo, hi] date range."""
        return (self.start is None or self.start <= hi) and (self.end is None or self.end >= lo)


@dataclass
class Entity:
    id: str
    name: str
    kind: str = "body"           # person | body | country | group | organisation
    code: str | None = None
    sector: str | None = None
    role: str | None = None
    gender: str | None = None
    aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    metonyms: list[str] = field(default_factory=list)  # capital and seats
    offices: list[Office] = field(default_factory=list)
    part_of: str | None = None
    acts_as: str | None = None   # a national body acting as its state: that state's id
    called: list[str] = field(default_factory=list)  # common nouns that point back to it: "the bloc"


@dataclass(frozen=True)
class Issue:
    id: str
    name: str
    aliases: tuple[str, ...]
    statement: str = ""  # the proposition `support` means (an issue is not a topic)
    # single words (lemmas) that name the issue only where a position is taken
    # on them ('agreed to resume the negotiations'), not wherever they occur
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Track:
    id: str
    name: str
    issue: str | None
    mediators: tuple[str, ...]
    places: tuple[str, ...]
    process: str = ""  # the profile it belongs to


@dataclass
class Profile:
    name: str
    title: str = ""
    countries: tuple[str, ...] = ()
    entities: dict[str, Entity] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    tracks: list[Track] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)
    chronology: list[Any] = field(default_factory=list)  # chronology.Happening
    # what the check of the file found odd but not wrong: unknown keys, values
    # or ids, each naming its file and line (profile_schema.py)
    warnings: list[str] = field(default_factory=list)
    # the sides of the process (entity ids: states, or armed groups inside one);
    # by default the states of ``countries``
    parties: tuple[str, ...] = ()
    members: tuple[Profile, ...] = ()  # a union of several profiles: each of them

    def country_by_code(self, code: str | None) -> Entity | None:
        return self._countries_by_code().get(code or "")

    @cache  # noqa: B019 - profiles live as long as the process; one per name
    def _countries_by_code(self) -> dict[str, Entity]:
        return {e.code: e for e in self.entities.values() if e.kind == "country" and e.code}

    def holders(self, code: str | None, roles: frozenset[str] | set[str], *, head: bool = False,
                lo: str = "0000", hi: str = "9999", sector: str | None = None) -> list[Entity]:
        """People who held one of ``roles`` (or any head office) for ``code`` in
        [lo, hi]: for the state (``sector`` None: not its rebels, opposition or
        civilians, whose offices carry its code too), or for the group of that
        ``sector`` ("the TPLF leader")."""
        found: list[Entity] = []
        for entity, office in self._offices_by_code().get(code or "", []):
            if entity in found or not office.covers(lo, hi):
                continue
            if (office.sector != sector) if sector else (office.sector in NON_STATE_SECTORS):
                continue
            if (head and office.head) or office.role in roles:
                found.append(entity)
        return found

    @cache  # noqa: B019 - one index per profile, for its whole life
    def _offices_by_code(self) -> dict[str, list[tuple[Entity, Office]]]:
        index: dict[str, list[tuple[Entity, Office]]] = {}
        for entity in self.entities.values():
            for office in entity.offices:
                index.setdefault(office.code or "", []).append((entity, office))
        return index

    def __hash__(self) -> int:
        return id(self)


def _office(data: dict[str, Any]) -> Office:
    def iso(value: Any) -> str | None:
        return str(value) if value not in (None, "") else None
    return Office(code=data.get("code"), sector=data.get("sector"), role=data.get("role"),
                  start=iso(data.get("from")), end=iso(data.get("to")),
                  head=bool(data.get("head", False)))


def _entity(data: dict[str, Any], kind: str) -> Entity:
    if "id" not in data:
        raise ProfileError(f"an entity has no id: {data!r}")
    metonyms = list(data.get("metonyms", []))
    if data.get("capital") and data.get("capital_metonym", True):
        metonyms += [data["capital"], *data.get("capital_aliases", [])]
    metonyms += list(data.get("seats", []))
    return Entity(
        id=data["id"], name=data.get("name") or data["id"], kind=data.get("kind", kind),
        code=data.get("code"), sector=data.get("sector"), role=data.get("role"),
        gender=data.get("gender"), aliases=list(data.get("aliases", [])),
        demonyms=list(data.get("demonyms", [])), metonyms=metonyms,
        offices=[_office(o) for o in data.get("offices", [])], part_of=data.get("part_of"),
        called=[str(w).lower() for w in data.get("called", [])],
    )


def _extend(base: Entity, extra: Entity) -> None:
    """A profile entry with a generic entity's id adds to it."""
    base.aliases += [a for a in extra.aliases if a not in base.aliases]
    base.metonyms += [m for m in extra.metonyms if m not in base.metonyms]
    base.demonyms += [d for d in extra.demonyms if d not in base.demonyms]
    base.offices += extra.offices
    base.called += [w for w in extra.called if w not in base.called]
    for attr in ("code", "sector", "role", "gender", "part_of"):
        if getattr(extra, attr) is not None:
            setattr(base, attr, getattr(extra, attr))
    if extra.name != extra.id:
        base.name = extra.name


def _bodies(country_id: str, bodies: list[dict[str, Any]],
            entities: dict[str, Entity]) -> None:
    """Organs named on their own ('the State Department', 'Milli Majlis'):
    they act as their state, with their own sector."""
    for n, body in enumerate(bodies):
        key = f"{country_id}#{slugify(body.get('name') or str(n))}"
        entities[key] = Entity(id=key, name=body.get("name") or key, kind="body",
                               sector=body.get("sector"), aliases=list(body.get("aliases", [])),
                               acts_as=country_id)


def generic_entities() -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    for item in load_lexicon("countries").get("countries", []):
        entity = _entity(item, "country")
        entity.sector = entity.sector or "GOV"
        entities[entity.id] = entity
    organisations = load_lexicon("organisations")
    for item in organisations.get("organisations", []):
        entities[item["id"]] = _entity(item, "organisation")
    for body in organisations.get("national_bodies", []):
        _bodies(body["country"], [body], entities)
    if data_path("lexicons", "people.yaml").exists():  # officials worldwide, with offices
        for item in load_lexicon("people").get("people", []):
            entities[item["id"]] = _entity(item, "person")
    return entities


def generic_issues() -> list[Issue]:
    """The issues every process shares (lexicons/issues.yaml): ceasefire, talks…"""
    return [_issue(item, {}) for item in load_lexicon("issues").get("issues", [])]


def _issue(data: dict[str, Any], generic: dict[str, Issue]) -> Issue:
    """A profile's issue; one with a generic issue's id takes what it does not say."""
    if "id" not in data:
        raise ProfileError(f"an issue has no id: {data!r}")
    base = generic.get(data["id"])
    aliases = tuple(dict.fromkeys([*(base.aliases if base else ()), *data.get("aliases", [])]))
    keywords = tuple(dict.fromkeys([*(base.keywords if base else ()), *data.get("keywords", [])]))
    return Issue(data["id"], data.get("name") or (base.name if base else data["id"]), aliases,
                 data.get("statement") or (base.statement if base else ""), keywords)


def shipped_profiles() -> list[str]:
    """The names of the profiles that ship with peacetrack."""
    return sorted(p.stem for p in data_path("profiles").glob("*.yaml"))


def profile_path(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    return data_path("profiles", f"{name_or_path}.yaml")


def profile_names(spec: str | None) -> list[str]:
    """'a,b' -> [a, b]; 'all' -> every shipped profile; 'none' or nothing -> []."""
    names = [n.strip() for n in (spec or "").split(",") if n.strip() and n.strip() != "none"]
    if "all" in names:
        names = [n for n in names if n != "all"] + shipped_profiles()
    return list(dict.fromkeys(names))


def load_profiles(spec: str | None) -> list[Profile]:
    """Each profile ``spec`` names, on its own."""
    return [load_profile(name) for name in profile_names(spec)]


@cache
def load_profile(name_or_path: str | None) -> Profile:
    """The named profile (or a YAML path) over the generic lexicons; 'none' for
    none; several ('a,b', 'all'): their union, with ``members``. Each file is
    checked first (``profile_schema.read_profile``): a wrong key is a
    ``ProfileError`` naming it and its line; odd ones are in ``Profile.warnings``."""
    names = profile_names(name_or_path)
    if len(names) > 1 or (names and name_or_path and name_or_path.strip() == "all"):
        return _union([load_profile(n) for n in names], names)
    entities = generic_entities()
    if not names:
        return Profile(name="none", entities=entities, issues=generic_issues())
    path = profile_path(names[0])
    data, warnings = _read(path)
    _add_entities(data, entities)
    name = data.get("name", path.stem)
    generic = {i.id: i for i in generic_issues()}
    countries = tuple(data.get("countries", []))
    return Profile(
        name=name, title=data.get("title", ""), countries=countries, entities=entities,
        issues=[_issue(i, generic) for i in data.get("issues", [])],
        tracks=[Track(t["id"], t.get("name", t["id"]), t.get("issue"),
                      tuple(t.get("mediators", [])), tuple(t.get("places", [])), name)
                for t in data.get("tracks", [])],
        places=list(data.get("places", [])),
        chronology=[Happening.from_data(h) for h in data.get("chronology", []) or []],
        warnings=warnings + _unknown_ids(path, data, entities),
        parties=tuple(data.get("parties") or _country_ids(countries, entities)),
    )


def _read(path: Path) -> tuple[dict[str, Any], list[str]]:
    """A profile file, checked (``profile_schema.read_profile``), and its warnings."""
    if not path.is_file():
        names = ", ".join(shipped_profiles())
        raise ProfileError(f"no profile {str(path)!r}: give a shipped name ({names}), "
                           "a YAML file, or 'none'")
    return read_profile(path)


def _add_entities(data: dict[str, Any], entities: dict[str, Entity]) -> None:
    for item in data.get("entities", []):
        entity = _entity(item, "body")
        if entity.id in entities:
            _extend(entities[entity.id], entity)
        else:
            entities[entity.id] = entity
        _bodies(entity.id, item.get("bodies", []), entities)


def _country_ids(codes: tuple[str, ...], entities: dict[str, Entity]) -> list[str]:
    by_code = {e.code: e.id for e in entities.values() if e.kind == "country" and e.code}
    return [by_code[c] for c in codes if c in by_code]


def _union(profiles: list[Profile], names: list[str]) -> Profile:
    """Several profiles as one: every entity (each profile's additions applied
    over the generic lexicons), issue, track and place; ``members`` keeps each."""
    entities = generic_entities()
    for name in names:
        _add_entities(_read(profile_path(name))[0], entities)
    issues: dict[str, Issue] = {}
    for profile in profiles:
        for issue in profile.issues:
            issues.setdefault(issue.id, issue)
    return Profile(
        name=",".join(p.name for p in profiles),
        title="; ".join(p.title for p in profiles if p.title),
        countries=tuple(dict.fromkeys(c for p in profiles for c in p.countries)),
        entities=entities, issues=list(issues.values()),
        tracks=[t for p in profiles for t in p.tracks],
        places=[place for p in profiles for place in p.places],
        chronology=[h for p in profiles for h in p.chronology],
        warnings=[w for p in profiles for w in p.warnings],
        parties=tuple(dict.fromkeys(x for p in profiles for x in p.parties)),
        members=tuple(profiles))


def _unknown_ids(path: Path, data: dict[str, Any], entities: dict[str, Entity]) -> list[str]:
    """Ids a profile refers to that name no entity (a typo resolves nothing)."""
    issues = {i["id"] for i in data.get("issues", [])}
    out = []
    for track in data.get("tracks", []):
        out += [f"{path}: track {track['id']!r}: mediator {m!r} is no entity"
                for m in track.get("mediators", []) if m not in entities]
        if track.get("issue") and track["issue"] not in issues:
            out.append(f"{path}: track {track['id']!r}: issue {track['issue']!r} is not "
                       "among the profile's issues")
    for place in data.get("places", []):
        out += [f"{path}: place {place['name']!r}: {key} {place[key]!r} is no entity"
                for key in ("people", "held_by") if place.get(key) and place[key] not in entities]
    return out


def describe_profiles(extra: str | None = None) -> list[dict[str, Any]]:
    """The shipped profiles (and ``extra``, a profile file in use), each with
    the process it describes: its parties and mediation tracks."""
    paths = [profile_path(name) for name in shipped_profiles()]
    for name in profile_names(extra):
        if profile_path(name) not in paths:
            paths.append(profile_path(name))
    rows = []
    for path in paths:
        data, warnings = read_profile(path)
        rows.append({
            "name": data.get("name", path.stem), "title": data.get("title", ""), "file": str(path),
            "parties": list(data.get("countries", [])),
            "tracks": [t.get("name", t["id"]) for t in data.get("tracks", [])],
            "entities": len(data.get("entities", [])), "issues": len(data.get("issues", [])),
            "warnings": len(warnings)})
    return rows
