"""Mentions -> events inside a report (ANNOTATION.md: one record per event).

A report tells one meeting in its headline, its lead ("Aliyev and Pashinyan
met in Brussels"), and again later ("the talks", "at Saturday's meeting").
Each sentence gives a candidate; this stage links the candidates that tell
one happening into one event record that keeps every mention (its sentence,
span and trigger) and takes its actors, date, place and mediator from all of
them together, with the mention each came from.

Whether two candidates of one type tell one event is learned from the gold
(``data/models/mentions.json``, trained by ``make train``) from what the
pair shares: the sentence or its distance, the trigger word, a pointing-back
noun ("the talks"), their actors, recipients, dates, places and status.
Without a model, a rule stands in: same type and status, and nothing in them
disagrees. Working on plain records (no parse) keeps the stage cheap and
lets training and cross-validation run it exactly as the engine does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .dates import days_covered
from .learned import LinearModel
from .records import Actor, DateValue, Event, Location

SAME = "same"
POINTING = {"the", "this", "that", "these", "those", "its", "their", "his", "her"}
_WORD = re.compile(r"[\w’'-]+")

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
    """The rule used without a model: whether two candidates of one report
    tell the same happening."""
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


def _relation(ka: set[str], kb: set[str]) -> str:
    if not ka and not kb:
        return "none"
    if not ka or not kb:
        return "one"
    if ka == kb:
        return "equal"
    return "overlap" if ka & kb else "disjoint"


def _date_relation(a: DateValue | None, b: DateValue | None) -> str:
    if a is None or b is None or not a.value or not b.value:
        return "one" if (a and a.value) or (b and b.value) else "none"
    if a.value == b.value:
        return "equal"
    return "compatible" if _compatible_dates(a, b) else "clash"


def _place_relation(a: Location | None, b: Location | None) -> str:
    if a is None or b is None:
        return "one" if a or b else "none"
    if _place_names(a) & _place_names(b):
        return "equal"
    return "compatible" if _compatible_places(a, b) else "clash"


def _word_before(event: Event) -> str:
    """The word just before the trigger in its sentence ('the' of 'the talks')."""
    if event.trigger_span is None:
        return ""
    before = event.sentence[:max(0, event.trigger_span[0] - event.span[0])]
    words = _WORD.findall(before.lower())
    return words[-1] if words else ""


def pair_features(a: Event, b: Event) -> list[str]:
    """What the merge model sees of two candidates of one type (a before b)."""
    same_sentence = a.span == b.span
    distance = abs(b.span[0] - a.span[1]) if not same_sentence else 0
    feats = [f"type={a.type}", f"same_sentence={same_sentence}",
             f"gap={'0' if same_sentence else min(distance // 150, 6)}",
             f"status={a.status}|{b.status}", f"same_status={a.status == b.status}",
             f"same_trigger={a.trigger.lower() == b.trigger.lower()}",
             f"actors={_relation(_keys(a.actor), _keys(b.actor))}",
             f"recipients={_relation(_keys(a.recipient), _keys(b.recipient))}",
             f"mediators={_relation(_keys(a.mediator), _keys(b.mediator))}",
             f"cross={bool(_keys(a.actor) & _keys(b.recipient)) or bool(_keys(b.actor) & _keys(a.recipient))}",
             f"dates={_date_relation(a.date, b.date)}",
             f"places={_place_relation(a.location, b.location)}",
             f"first_at_start={a.span[0] == 0}"]
    for name, event in (("a", a), ("b", b)):
        word = _word_before(event)
        feats.append(f"{name}_pointing={word in POINTING}")
        feats.append(f"{name}_words={min(len(event.trigger.split()), 3)}")
    feats.append(f"type_actors={a.type}|{feats[6].split('=')[1]}")
    feats.append(f"type_same_sentence={a.type}|{same_sentence}")
    return feats


def same_score(model: LinearModel | None, a: Event, b: Event) -> float:
    """How likely two candidates tell one happening (the rule gives 0 or 1)."""
    if a.type != b.type:
        return 0.0
    if model is None:
        return float(same_event(a, b))
    return model.scores(pair_features(a, b))[SAME]


def merge(events: Sequence[Event], model: LinearModel | None = None) -> list[Event]:
    """One record per happening: each candidate joins the earlier event whose
    mentions it most likely tells again (every one of them above the model's
    threshold), else starts one. Records come out in text order."""
    threshold = model.params.get("threshold", 0.5) if model is not None else 0.5
    groups: list[list[Event]] = []
    for event in sorted(events, key=lambda e: e.span[0]):
        best, best_score = None, threshold
        for group in groups:
            scores = [same_score(model, member, event) for member in group]
            score = min(scores)
            if score >= best_score:
                best, best_score = group, score
        if best is None:
            groups.append([event])
        else:
            best.append(event)
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
