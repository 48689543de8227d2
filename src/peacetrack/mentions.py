"""Mentions -> events inside a report (ANNOTATION.md: one record per event).

A report tells one meeting in its headline, its lead ("Aliyev and Pashinyan
met in Brussels"), and again later ("the talks", "at Saturday's meeting").
Each sentence gives a candidate; this stage links the candidates that tell
one happening into one event record that keeps every mention (its sentence,
span and trigger) and takes its actors, date, place and mediator from all of
them together, with the mention each came from.

Two candidates tell one event when they have the same type and status and
nothing in them disagrees: their actors and recipients overlap or one side
names none, their dates and places are compatible, and they are not told as
different occasions. Working on plain records (no parse) keeps the stage
cheap and lets training and cross-validation run it as the engine does.
"""

from __future__ import annotations

from collections.abc import Sequence

from .dates import days_covered
from .records import Actor, DateValue, Event, Location

PRECISION_RANK = {"day": 3, "month": 2, "year": 1, "unknown": 0}


def _keys(actors: Sequence[Actor]) -> set[str]:
    """What an actor stands for when mentions are compared: its entity, and
    the state it acts for (Aliyev and 'Baku' are both Azerbaijan's side)."""
    keys = set()
    for actor in actors:
        if actor.id:
            keys.add(actor.id)
        if actor.code:
            keys.add(f"code:{actor.code}")
    return keys


def _compatible_sides(a: Sequence[Actor], b: Sequence[Actor]) -> bool:
    ka, kb = _keys(a), _keys(b)
    return not ka or not kb or bool(ka & kb)


def _compatible_dates(a: DateValue | None, b: DateValue | None) -> bool:
    if a is None or b is None or not a.value or not b.value:
        return True
    a0, a1 = days_covered(a.value, a.end)
    b0, b1 = days_covered(b.value, b.end)
    return a0 <= b1 and b0 <= a1


def _place_names(location: Location | None) -> set[str]:
    if location is None:
        return set()
    return {str(v).lower() for v in (location.name, location.city, location.text) if v}


def _compatible_places(a: Location | None, b: Location | None) -> bool:
    na, nb = _place_names(a), _place_names(b)
    if not na or not nb or na & nb:
        return True
    return bool(a and b and a.country and a.country == b.country and (a.city is None or b.city is None))


def same_event(a: Event, b: Event) -> bool:
    """Whether two candidates of one report tell the same happening."""
    if a.type != b.type or a.status != b.status:
        return False
    if not (_compatible_sides(a.actor, b.actor) and _compatible_sides(a.recipient, b.recipient)):
        return False
    # a named actor on both sides: some must be shared, else two acts by different people
    if a.actor and b.actor and not (_keys(a.actor) & _keys(b.actor)):
        return False
    return _compatible_dates(a.date, b.date) and _compatible_places(a.location, b.location) \
        and _compatible_sides(a.mediator, b.mediator)


def _richness(event: Event) -> tuple[int, int]:
    """How much a mention says: named sides, date precision, place."""
    return (len(event.actor) + len(event.recipient) + len(event.mediator)
            + PRECISION_RANK.get(event.date.precision if event.date else "unknown", 0)
            + (event.location is not None), -event.span[0])


def _union(*lists: Sequence[Actor]) -> list[Actor]:
    out: list[Actor] = []
    seen_ids: set[str] = set()
    seen_codes: set[str] = set()
    for actor in (a for group in lists for a in group):
        if actor.id:
            if actor.id in seen_ids:
                continue
            seen_ids.add(actor.id)
        elif actor.code and actor.code in seen_codes or \
                not actor.id and not actor.code and any(actor.text == o.text for o in out):
            continue
        if actor.code:
            seen_codes.add(actor.code)
        out.append(actor)
    # an actor named only by its state yields to one of that state named in full
    return [a for a in out if a.id or not a.code or
            not any(o.id and o.code == a.code for o in out if o is not a)]


def merge(events: Sequence[Event]) -> list[Event]:
    """One record per happening: each candidate joins the first earlier event
    it tells again, else starts one. Records come out in text order."""
    groups: list[list[Event]] = []
    for event in sorted(events, key=lambda e: e.span[0]):
        home = next((g for g in groups if all(same_event(m, event) for m in g)), None)
        if home is None:
            groups.append([event])
        else:
            home.append(event)
    return [_combine(group) for group in groups]


def _combine(group: list[Event]) -> Event:
    if len(group) == 1:
        return group[0]
    main = max(group, key=_richness)
    others = [e for e in group if e is not main]
    ordered = [main, *others]
    main.actor = _union(*(e.actor for e in ordered))
    main.recipient = [r for r in _union(*(e.recipient for e in ordered))
                      if r.id not in {a.id for a in main.actor if a.id}]
    main.mediator = _union(*(e.mediator for e in ordered))
    dated = [e.date for e in ordered if e.date is not None and e.date.value]
    if dated:
        main.date = max(dated, key=lambda d: PRECISION_RANK.get(d.precision, 0))
    if main.location is None:
        main.location = next((e.location for e in ordered if e.location is not None), None)
    main.confidence = max(e.confidence for e in group)
    main.mentions = [{"sentence": e.sentence, "span": list(e.span), "trigger": e.trigger}
                     for e in sorted(others, key=lambda e: e.span[0])]
    main.decided_by.append({"by": "merge:same-event", "mentions": len(group)})
    return main
