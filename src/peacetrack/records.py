"""The records peacetrack produces (SPEC §2), as plain dataclasses.

Every stage passes these between each other; ``to_dict`` gives exactly the
exported JSON shape. Offsets are Python string indices into the document's
cleaned text, ``[start, end)``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
    "MOBILIZE", "COERCE", "ASSAULT",
)
STATUSES = ("occurred", "future", "hypothetical", "negated", "historical")
PRECISIONS = ("day", "month", "year", "unknown")
POSITIONS = ("support", "oppose", "conditional", "neutral")

# PLOVER manual, "Numeric conflict/cooperation scores": the quad categories.
QUAD = {
    "AGREE": "verbal-cooperation", "CONSULT": "verbal-cooperation",
    "SUPPORT": "verbal-cooperation", "CONCEDE": "verbal-cooperation",
    "COOPERATE": "material-cooperation", "AID": "material-cooperation",
    "RETREAT": "material-cooperation",
    "REQUEST": "verbal-conflict", "ACCUSE": "verbal-conflict",
    "REJECT": "verbal-conflict", "THREATEN": "verbal-conflict",
    "PROTEST": "material-conflict", "SANCTION": "material-conflict",
    "MOBILIZE": "material-conflict", "COERCE": "material-conflict",
    "ASSAULT": "material-conflict",
}


@dataclass
class DateValue:
    """A resolved date: ``value`` is ISO (YYYY-MM-DD, YYYY-MM or YYYY) or None.

    ``method`` is set for publication dates (metadata/text/inferred), and
    ``report`` for an act dated only by its report: the days before it;
    ``text`` is the words it came from; ``end`` closes a range;
    ``earliest``/``latest`` bound an inferred date.
    """

    value: str | None
    precision: str = "unknown"
    text: str | None = None
    end: str | None = None
    method: str | None = None
    earliest: str | None = None
    latest: str | None = None
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "precision": self.precision}
        for key in ("text", "end", "method", "earliest", "latest"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out

    @classmethod
    def unknown(cls, text: str | None = None) -> DateValue:
        return cls(value=None, precision="unknown", text=text)


@dataclass
class Location:
    text: str
    name: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    span: tuple[int, int] | None = None
    city: str | None = None  # the town of a named site (the White House: Washington)

    def to_dict(self) -> dict[str, Any]:
        out = {"text": self.text, "name": self.name, "country": self.country,
               "lat": self.lat, "lon": self.lon}
        if self.city:
            out["city"] = self.city
        return out


@dataclass
class Actor:
    """An entity as found in one record (SPEC §2 actor)."""

    text: str
    id: str | None = None
    name: str | None = None
    code: str | None = None
    sector: str | None = None
    role: str | None = None
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "id": self.id, "name": self.name,
                "code": self.code, "sector": self.sector, "role": self.role}


@dataclass
class Document:
    id: str
    text: str
    source: str
    ref: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: DateValue = field(default_factory=DateValue.unknown)
    language: str = "en"
    removed_chars: int = 0
    duplicate_of: str | None = None
    fingerprint: int | None = None  # simhash of the text, for near-duplicates
    # the process the report is about (a profile's name, or "other"), and every
    # process it is about, best first (processes.py)
    process: str | None = None
    processes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "document", "id": self.id, "ref": self.ref,
            "source": self.source, "url": self.url, "outlet": self.outlet,
            "title": self.title, "published": self.published.to_dict(),
            "language": self.language, "text": self.text,
            "removed_chars": self.removed_chars,
            "duplicate_of": self.duplicate_of,
            "process": self.process, "processes": list(self.processes),
        }


def _actors(actors: list[Actor]) -> list[dict[str, Any]]:
    return [a.to_dict() for a in actors]


def _date(date: DateValue | None) -> dict[str, Any] | None:
    return date.to_dict() if date is not None else None


@dataclass
class Event:
    id: str
    doc: str
    span: tuple[int, int]
    sentence: str
    trigger: str
    type: str
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    actor: list[Actor] = field(default_factory=list)
    recipient: list[Actor] = field(default_factory=list)
    mediator: list[Actor] = field(default_factory=list)
    status: str = "occurred"
    date: DateValue | None = None
    location: Location | None = None
    confidence: float = 0.5
    trigger_span: tuple[int, int] | None = None
    governor_span: tuple[int, int] | None = None  # the verb reporting a noun event ("held")
    # which rule(s) and model decided the record, with their scores (``peacetrack explain``)
    decided_by: list[dict[str, Any]] = field(default_factory=list)
    # the other sentences telling this event: {"sentence", "span", "trigger"} (mentions.py)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    incident: str | None = None  # the happening across reports it belongs to (incidents.py)
    process: str | None = None  # the profile of the process it belongs to, or "other"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "event", "id": self.id, "doc": self.doc,
            "span": list(self.span), "sentence": self.sentence,
            "trigger": self.trigger, "type": self.type, "mode": self.mode,
            "context": list(self.context), "actor": _actors(self.actor),
            "recipient": _actors(self.recipient),
            "mediator": _actors(self.mediator), "status": self.status,
            "date": _date(self.date),
            "location": self.location.to_dict() if self.location else None,
            "confidence": round(self.confidence, 3),
            "mentions": list(self.mentions),
            "incident": self.incident,
            "decided_by": list(self.decided_by),
            "process": self.process,
        }


@dataclass
class Quote:
    id: str
    doc: str
    span: tuple[int, int]
    text: str
    speaker: Actor | None
    cue: str | None
    direct: bool
    date: DateValue | None = None
    # how it was found and its speaker attributed (SPEC: decided_by), as for events
    decided_by: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "quote", "id": self.id, "doc": self.doc,
            "span": list(self.span), "text": self.text,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "cue": self.cue, "direct": self.direct, "date": _date(self.date),
            "decided_by": list(self.decided_by),
        }


@dataclass
class Stance:
    id: str
    doc: str
    span: tuple[int, int]
    actor: Actor
    issue: str
    position: str
    evidence: str
    date: DateValue | None = None
    # the other sentences stating the same position: {"evidence", "span"}
    mentions: list[dict[str, Any]] = field(default_factory=list)
    process: str | None = None  # the profile of the process it belongs to, or "other"
    # how the issue, the holder and the position were found (SPEC: decided_by)
    decided_by: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "stance", "id": self.id, "doc": self.doc,
            "span": list(self.span), "actor": self.actor.to_dict(),
            "issue": self.issue, "position": self.position,
            "evidence": self.evidence, "date": _date(self.date),
            "mentions": list(self.mentions), "process": self.process,
            "decided_by": list(self.decided_by),
        }


@dataclass
class Problem:
    """Bad input that was skipped (SPEC §1): where and why."""

    source: str
    line: int | None
    reason: str  # short key: binary, empty, undecodable, oversized, bad-json, ...
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


@dataclass
class Analysis:
    """Everything found in one document."""

    document: Document
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        out = [self.document.to_dict()]
        out += [e.to_dict() for e in self.events]
        out += [q.to_dict() for q in self.quotes]
        out += [s.to_dict() for s in self.stances]
        return out


__all__ = [
    "Actor", "Analysis", "DateValue", "Document", "Event", "Location",
    "Problem", "Quote", "Stance", "PLOVER_TYPES", "STATUSES", "PRECISIONS",
    "POSITIONS", "QUAD", "asdict",
]
