"""One happening across reports: events of different reports fused into incidents.

Ten outlets covering one summit give ten event records; an analyst counts one
summit. An event joins an incident when it has the incident's type, a date
its own is compatible with (the same day, or a month or year that holds it;
undated events join nothing), a place that does not clash, and at least one
side (the state or organisation an actor or recipient acts for) in common.
Where the sources of one incident disagree (the day, who acted on whom,
whether it happened) the incident keeps each version with the reports that
give it and is marked ``disputed``; it never averages. Two meetings of the
same leaders a week apart stay two incidents.

Works on plain event records (the export shape), so the store can fuse each
new batch against the incidents it already holds (``Store.write``), and the
evaluator can fuse a whole split the same way.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import timedelta
from functools import lru_cache
from typing import Any

from .dates import days_covered

# How far apart two day-precise dates of one happening may be (time zones,
# a meeting past midnight, "late on Monday" filed on Tuesday).
DAY_SLACK = 1
# An act a report tells as done with no date of its own happened in the days
# before the report (its news).
NEWS_DAYS = 7
ROLES = ("actor", "recipient", "mediator")
# Verbal acts (PLOVER's verbal quad categories, meetings aside) belong to whoever
# makes them: two reports of one such act name the same actor side.
SAID_TYPES = frozenset({"AGREE", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"})
STATUS_ORDER = ("occurred", "negated", "historical", "future", "hypothetical")


def sides(record: dict[str, Any]) -> set[str]:
    """The states and organisations an event's actors and recipients act for."""
    out = set()
    for role in ("actor", "recipient"):
        for actor in record.get(role) or []:
            key = actor.get("code") or actor.get("id")
            if key:
                out.add(key)
    return out


def _actor_sides(record: dict[str, Any]) -> set[str]:
    return {a.get("code") or a.get("id") for a in record.get("actor") or []} - {None}


def when(event: dict[str, Any]) -> dict[str, Any] | None:
    """An event's own date, else the window its report's date allows (``approx``)."""
    date = event.get("date")
    return date if date and date.get("value") else event.get("when")


def _days(date: dict[str, Any] | None) -> tuple[Date, Date] | None:
    if not date or not date.get("value"):
        return None
    try:
        return _covered(date["value"], date.get("end"))
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def _covered(value: str, end: str | None) -> tuple[Date, Date]:
    """``days_covered``, read once per date: fusing compares each event's date
    with every event of each incident of its type."""
    return days_covered(value, end)


def _precision_rank(date: dict[str, Any] | None) -> int:
    if (date or {}).get("method") == "report":
        return 0  # the days before its report, not a day of its own
    return {"day": 3, "month": 2, "year": 1}.get((date or {}).get("precision") or "", 0)  # approx: 0


def dates_agree(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """Two dates that may tell the same happening: day-precise ones within a
    day of each other; a coarser one that holds the other."""
    da, db = _days(a), _days(b)
    if da is None or db is None:
        return False
    if _precision_rank(a) == 3 and _precision_rank(b) == 3:
        return abs((da[0] - db[0]).days) <= DAY_SLACK
    return da[0] <= db[1] and db[0] <= da[1]


def _places(record: dict[str, Any]) -> set[str]:
    location = record.get("location") or {}
    return {str(location[k]).lower() for k in ("name", "city") if location.get(k)}


def _countries(record: dict[str, Any]) -> set[str]:
    location = record.get("location") or {}
    return {location["country"]} if location.get("country") else set()


@dataclass
class Incident:
    """Events of several reports telling one happening, with each source."""

    id: str
    type: str
    events: list[dict[str, Any]] = field(default_factory=list)
    outlets: dict[str, str | None] = field(default_factory=dict)  # doc id -> outlet
    process: list[str] = field(default_factory=list)

    def accepts(self, event: dict[str, Any]) -> bool:
        if event["type"] != self.type or event["doc"] in self.outlets:
            return False  # one record per happening per report already (mentions.py)
        if not all(dates_agree(when(event), when(e)) for e in self.events):
            return False
        approximate = any((when(e) or {}).get("precision") == "approx"
                          for e in [event, *self.events])
        processes = set(self.process)
        if processes and event.get("process") and not processes & set(_processes(event)):
            return False  # one process's meeting is not another's
        ours, theirs = set().union(*(sides(e) for e in self.events)), sides(event)
        places = set().union(*(_places(e) for e in self.events))
        countries = set().union(*(_countries(e) for e in self.events))
        if _places(event) and places and not _places(event) & places and \
                not (_countries(event) & countries):
            return False
        if self.type in SAID_TYPES:  # a statement is its speaker's: the same side must make it
            speakers = set().union(*(_actor_sides(e) for e in self.events))
            if not speakers & _actor_sides(event):
                return False
        if ours and theirs:
            return bool(ours & theirs)
        if approximate:
            return False  # dated only by its report: the sides must say it is the same
        # a side named by one report only: the same place must say it is the same happening
        return bool(_places(event) & places)

    def likeness(self, event: dict[str, Any]) -> float:
        """How closely an event it accepts fits it, to choose between
        incidents that would all take it (two agreements of one summit): the
        share of sides in common, the same place, the same day, the same
        status."""
        ours = set().union(*(sides(e) for e in self.events))
        theirs = sides(event)
        score = len(ours & theirs) / len(ours | theirs) if ours and theirs else 0.0
        actors = set().union(*(_actor_sides(e) for e in self.events))
        if actors and _actor_sides(event):
            score += len(actors & _actor_sides(event)) / len(actors | _actor_sides(event))
        if _places(event) & set().union(*(_places(e) for e in self.events)):
            score += 1
        day = (when(event) or {}).get("value")
        if day and _precision_rank(when(event)) == 3 and \
                any((when(e) or {}).get("value") == day for e in self.events):
            score += 1
        if any(e.get("status") == event.get("status") for e in self.events):
            score += 0.5
        return score

    def add(self, event: dict[str, Any], outlet: str | None) -> None:
        event["incident"] = self.id
        self.events.append(event)
        self.process += [p for p in _processes(event) if p not in self.process]
        self.outlets[event["doc"]] = outlet

    def day_range(self) -> tuple[str, str] | None:
        """The days its events span, widened by the slack dates may differ by."""
        spans = [d for d in (_days(when(e)) for e in self.events) if d is not None]
        if not spans:
            return None
        lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
        return (str(lo - timedelta(days=DAY_SLACK)), str(hi + timedelta(days=DAY_SLACK)))

    @classmethod
    def stored(cls, record: dict[str, Any], events: list[dict[str, Any]]) -> Incident:
        """An incident as the store keeps it: its record and its events' records."""
        windows = record.get("windows") or {}
        for event in events:
            if event["id"] in windows:
                event["when"] = windows[event["id"]]
        return cls(id=record["id"], type=record["type"], events=events,
                   outlets=dict(record.get("doc_outlets") or {}),
                   process=list(record.get("process") or []))

    # -- the agreed record -------------------------------------------------
    def record(self) -> dict[str, Any]:
        versions: list[dict[str, Any]] = []
        date = self._agreed("date", _date_key, versions)
        status = self._agreed("status", _happened, versions)
        for role in ("actor", "recipient"):
            self._sides_disputed(role, versions)
        location = next((e["location"] for e in self._by_precision() if e.get("location")), None)
        outlets = sorted({o for o in self.outlets.values() if o})
        return {
            "kind": "incident", "id": self.id, "type": self.type, "status": status,
            "actor": _union(self.events, "actor"), "recipient": _union(self.events, "recipient"),
            "mediator": _union(self.events, "mediator"),
            "date": date, "location": location, "process": self.process or None,
            "events": [e["id"] for e in self.events],
            "docs": list(self.outlets), "outlets": outlets, "sources": len(self.outlets),
            "doc_outlets": dict(self.outlets),
            "windows": {e["id"]: e["when"] for e in self.events if e.get("when")},
            "disputed": bool(versions), "versions": versions,
        }

    def _by_precision(self) -> list[dict[str, Any]]:
        return sorted(self.events, key=lambda e: -_precision_rank(e.get("date")))

    def _agreed(self, name: str, key, versions: list[dict[str, Any]]) -> Any:
        """The value the sources agree on; where they differ, every version
        with the reports that give it goes to ``versions`` and the value of the
        most precise (then the first) source is kept."""
        values: dict[str, list[dict[str, Any]]] = {}
        for event in self.events:
            k = key(event)
            if k is not None:
                values.setdefault(k, []).append(event)
        if len(values) > 1 and not (name == "date" and _nested_dates(list(values))):
            for events in values.values():
                versions.append({"field": name, "value": _shown(name, events[0]),
                                 "docs": [e["doc"] for e in events]})
        if name == "date":
            return self._by_precision()[0].get("date")
        # what happened outranks what was planned, and a plan a conditional
        return min((e.get("status") for e in self.events), key=STATUS_ORDER.index)


    def _sides_disputed(self, role: str, versions: list[dict[str, Any]]) -> None:
        """Sources that name different sides in a role ("who attacked whom"):
        a report naming fewer of the same sides does not dispute the others."""
        named = [(e, {a.get("code") or a.get("id") for a in e.get(role) or []} - {None})
                 for e in self.events]
        named = [(e, keys) for e, keys in named if keys]
        if any(not (a & b) for (_, a), (_, b) in zip(named, named[1:], strict=False)):
            for event, _ in named:
                versions.append({"field": role, "value": _shown(role, event),
                                 "docs": [event["doc"]]})


def _happened(event: dict[str, Any]) -> str | None:
    """What a source claims of whether it happened: a plan or a background
    mention claims nothing against a report of the act itself."""
    status = event.get("status")
    if status in ("occurred", "historical"):
        return "happened"
    return "did not happen" if status == "negated" else None


def _date_key(event: dict[str, Any]) -> str | None:
    date = event.get("date") or {}
    return date.get("value")


def _nested_dates(values: list[str]) -> bool:
    """'2023-10' and '2023-10-05' do not disagree: one is coarser."""
    finest = max(values, key=len)
    return all(finest.startswith(v) for v in values)


def _shown(name: str, event: dict[str, Any]) -> Any:
    if name in ("actor", "recipient"):
        return [a.get("id") or a.get("code") or a.get("text") for a in event.get(name) or []]
    return event.get(name)


def _union(events: Iterable[dict[str, Any]], role: str) -> list[dict[str, Any]]:
    out, seen = [], set()
    for event in events:
        for actor in event.get(role) or []:
            key = actor.get("id") or actor.get("code") or actor.get("text")
            if key not in seen:
                seen.add(key)
                out.append(actor)
    return out


def incident_id(event: dict[str, Any]) -> str:
    """Named after its first event: stable across runs and re-ingests."""
    return "i-" + hashlib.sha1(event["id"].encode()).hexdigest()[:16]


def report_window(published: dict[str, Any] | None) -> dict[str, Any] | None:
    """The days before a report's date in which an act it tells as done, with
    no date of its own, happened: its news (``NEWS_DAYS``) up to the report."""
    days = _days(published)
    if days is None:
        return None
    first, last = days
    latest = published.get("latest")
    if latest:
        last = min(last, Date.fromisoformat(latest)) if len(latest) == 10 else last
    return {"value": str(first - timedelta(days=NEWS_DAYS)), "end": str(last),
            "precision": "approx"}


def _processes(record: dict[str, Any]) -> list[str]:
    """The processes a record belongs to: its ``process`` (one name, or a list)."""
    value = record.get("process")
    return [value] if isinstance(value, str) else list(value or [])


def fuse(events: Sequence[dict[str, Any]], incidents: list[Incident],
         outlets: dict[str, str | None] | None = None,
         published: dict[str, dict[str, Any]] | None = None) -> list[Incident]:
    """Each event joins the first incident that accepts it (the one with the
    most sources first), else starts one; ``incidents`` is updated in place
    and the incidents touched are returned. An act told as done with no date
    of its own is placed by its report's date (``published``: doc id -> date);
    one with neither stays alone."""
    outlets = outlets or {}
    published = published or {}
    touched: dict[str, Incident] = {}
    by_type: dict[str, list[Incident]] = {}  # an incident accepts only its own type
    for incident in incidents:
        by_type.setdefault(incident.type, []).append(incident)
    for event in events:
        if not (event.get("date") or {}).get("value") and event.get("status") == "occurred":
            window = report_window(published.get(event["doc"]))
            if window is not None:
                event["when"] = window
        home = None
        if _days(when(event)) is not None:
            candidates = [i for i in by_type.get(event["type"], ()) if i.accepts(event)]
            home = max(candidates, key=lambda i: (i.likeness(event), len(i.outlets)),
                       default=None)
        if home is None:
            home = Incident(id=incident_id(event), type=event["type"])
            incidents.append(home)
            by_type.setdefault(home.type, []).append(home)
        home.add(event, outlets.get(event["doc"]))
        touched[home.id] = home
    return list(touched.values())


def pairwise(gold_pairs: Iterable[tuple[bool, bool]]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of fusion from (gold same, fused) pairs."""
    counts = Counter(gold_pairs)
    tp, fp, fn = counts[(True, True)], counts[(False, True)], counts[(True, False)]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "pairs": tp + fn}
