"""What the report and the dashboard show: one set of queries over a Store.

Every function takes a Store (and Filters) and returns plain dicts and lists,
ready for JSON. The HTML report embeds them; the dashboard serves them. Each
mark a chart draws carries the ids of the records behind it, so that every
mark leads back to its sentence (SPEC: every fact points to its characters).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, fields
from functools import cache
from typing import Any

import numpy as np

from .profile import Profile
from .records import PLOVER_TYPES, POSITIONS, QUAD
from .store import Store

# PLOVER manual, "Numeric conflict/cooperation scores": the four quad categories,
# ordered from cooperation to conflict; colours blue for cooperation, red for
# conflict, darker for material acts.
QUADS = {
    "material-cooperation": {"label": "Material cooperation", "colour": "#1f5fa8",
                             "help": "cooperate, aid, retreat"},
    "verbal-cooperation": {"label": "Verbal cooperation", "colour": "#6aaed6",
                           "help": "agree, consult, support, concede"},
    "verbal-conflict": {"label": "Verbal conflict", "colour": "#f4a259",
                        "help": "request, accuse, reject, threaten"},
    "material-conflict": {"label": "Material conflict", "colour": "#c0392b",
                          "help": "protest, sanction, mobilize, coerce, assault"},
}
POSITION_SCORE = {"support": 1.0, "conditional": 0.5, "neutral": 0.0, "oppose": -1.0}
COARSE = ("month", "year")
NETWORK_SIZE = 40  # the most connected actors drawn; more is unreadable


@dataclass(frozen=True)
class Filters:
    """What the dashboard narrows to; an empty field means 'all'."""

    start: str | None = None   # ISO date, inclusive
    end: str | None = None     # ISO date, inclusive
    actor: str | None = None   # an actor id (or name, for unresolved actors)
    type: str | None = None    # a PLOVER type or a quad category
    issue: str | None = None   # an issue id from the profile
    source: str | None = None  # an outlet, or a file name when the report had none
    q: str | None = None       # words in the sentence
    process: str | None = None  # a profile's name, or "other" (SPEC §2 `process`)

    @classmethod
    def from_query(cls, query: dict[str, Any]) -> Filters:
        """From a parsed query string ({'actor': ['x']} or {'actor': 'x'})."""
        values = {}
        for f in fields(cls):
            value = query.get(f.name)
            if isinstance(value, list):
                value = value[0] if value else None
            values[f.name] = (value or "").strip() or None
        return cls(**values)

    def active(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}


NO_FILTERS = Filters()


# -- events ----------------------------------------------------------------
_SOURCE_LABEL = "coalesce(d.outlet, regexp_replace(d.source, '^.*[/\\\\]|:[0-9]+$', '', 'g'))"
# An undated event is placed at its report's date, except background history.
_WHEN = "coalesce(e.date, CASE WHEN e.status <> 'historical' THEN d.published END)"


def _process_of(alias: str) -> str:
    """The process a stored record belongs to (its ``process`` field)."""
    return f"json_extract_string({alias}.record, '$.process')"


def events(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> list[dict[str, Any]]:
    """The events that pass the filters, flattened for display, oldest first."""
    where, params = _event_where(filters)
    rows = store.query(
        f"SELECT e.record, {_SOURCE_LABEL}, d.title, d.published, d.published_precision,"
        f" d.published_method, d.source FROM events e JOIN documents d ON d.id = e.doc"
        f" WHERE {' AND '.join(where)} ORDER BY {_WHEN} NULLS LAST, d.ingested_at, e.span_start",
        params)
    out = [_event_view(json.loads(r[0]), r[1:], profile) for r in rows]
    if filters.issue and profile is not None:
        out = [e for e in out if filters.issue in e["issues"]]
    return out


def _event_where(f: Filters) -> tuple[list[str], list[Any]]:
    where: list[str] = ["d.duplicate_of IS NULL"]
    params: list[Any] = []
    if f.type:
        types = [t for t, q in QUAD.items() if q == f.type] or [f.type.upper()]
        where.append("e.type IN (SELECT unnest(?))")
        params.append(types)
    if f.actor:
        where.append("e.id IN (SELECT event FROM participants WHERE actor_id = ? OR name = ?)")
        params += [f.actor, f.actor]
    if f.source:
        where.append(f"{_SOURCE_LABEL} = ?")
        params.append(f.source)
    if f.q:
        where.append("json_extract_string(e.record, '$.sentence') ILIKE ?")
        params.append(f"%{f.q}%")
    if f.process:
        where.append(f"{_process_of('e')} = ?")
        params.append(f.process)
    # A coarse date is a period: it passes when the period meets [start, end].
    if f.start:
        where.append(f"left({_WHEN} || '-99-99', 10) >= ?")
        params.append(f.start)
    if f.end:
        where.append(f"left({_WHEN} || '-01-01', 10) <= ?")
        params.append(f.end)
    return where, params


def _event_view(record: dict[str, Any], doc: tuple[Any, ...], profile: Profile | None) -> dict[str, Any]:
    source, title, published, published_precision, published_method, path = doc
    date = record.get("date") or {}
    location = record.get("location") or {}
    when, precision, basis = date.get("value"), date.get("precision") or "unknown", "event"
    if not when and record.get("status") != "historical" and published:
        when, precision, basis = published, published_precision, "report"
    view = {
        "id": record["id"], "doc": record["doc"], "span": record["span"],
        "sentence": record.get("sentence") or "", "trigger": record.get("trigger"),
        "type": record["type"], "quad": QUAD.get(record["type"]), "mode": record.get("mode"),
        "status": record.get("status"), "confidence": record.get("confidence"),
        "date": when, "date_precision": precision if when else "unknown",
        "date_basis": basis if when else None, "date_text": date.get("text"),
        "actors": [_actor_key(a) for a in record.get("actor") or []],
        "recipients": [_actor_key(a) for a in record.get("recipient") or []],
        "mediators": [_actor_key(a) for a in record.get("mediator") or []],
        "place": location.get("name") or location.get("text"), "country": location.get("country"),
        "lat": location.get("lat"), "lon": location.get("lon"),
        "source": source, "path": path, "title": title, "published": published,
        "published_method": published_method,
    }
    view["process"] = record.get("process")
    view["tracks"] = _tracks_of(record, view["place"], profile)
    view["issues"] = issues_in(view["sentence"], profile)
    return view


def _actor_key(actor: dict[str, Any]) -> dict[str, Any]:
    label = actor.get("name") or actor.get("text") or "?"
    return {"id": actor.get("id") or label, "label": label, "code": actor.get("code"),
            "sector": actor.get("sector"), "resolved": bool(actor.get("id"))}


def _tracks_of(record: dict[str, Any], place: str | None, profile: Profile | None) -> list[dict[str, str]]:
    """The profile's mediation tracks an event belongs to, and why: one of the
    track's mediators convened it, or it took place at one of the track's venues."""
    if profile is None:
        return []
    mediators = {m.get("id") for m in record.get("mediator") or []}
    found = []
    process = record.get("process")
    for track in profile.tracks:
        if process and track.process and track.process != process:
            continue  # another process's lane: the EU mediates in more than one
        by = next((m.get("name") or m.get("text") for m in record.get("mediator") or []
                   if m.get("id") in track.mediators), None) if mediators else None
        if by:
            found.append({"id": track.id, "name": track.name, "reason": f"mediator: {by}"})
        elif place and place.lower() in {p.lower() for p in track.places}:
            found.append({"id": track.id, "name": track.name, "reason": f"venue: {place}"})
    return found


@cache
def _issue_patterns(profile: Profile) -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for issue in profile.issues:
        names = sorted({issue.name, *issue.aliases}, key=len, reverse=True)
        alternatives = "|".join(re.escape(n) for n in names if n)
        out.append((issue.id, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)))
    return out


def issues_in(text: str, profile: Profile | None) -> list[str]:
    """The profile's issues a sentence names (by the issue's name or aliases)."""
    if profile is None or not text:
        return []
    return [issue for issue, pattern in _issue_patterns(profile) if pattern.search(text)]


# -- charts ------------------------------------------------------------------
def tracks(events_: list[dict[str, Any]], profile: Profile | None,
           process: str | None = None) -> dict[str, Any]:
    """Mediation tracks as lanes: the profile's tracks (of ``process`` only,
    when given) and the events in each. With several processes a lane is
    named with its process."""
    shown = [t for t in (profile.tracks if profile else [])
             if not process or not t.process or t.process == process]
    several = len({t.process for t in shown}) > 1
    lanes = [{"id": t.id, "name": f"{_title_of(profile, t.process)}: {t.name}" if several else t.name,
              "process": t.process, "mediators": list(t.mediators), "places": list(t.places)}
             for t in shown]
    kept = {t.id for t in shown}
    items = [{"event": e["id"], "track": t["id"], "reason": t["reason"]}
             for e in events_ for t in e["tracks"] if e["date"] and t["id"] in kept]
    return {"lanes": lanes, "items": items}


def _title_of(profile: Profile | None, process: str) -> str:
    members = (profile.members or (profile,)) if profile else ()
    return next((m.title or m.name for m in members if m.name == process), process)


def network(events_: list[dict[str, Any]], *, size: int = NETWORK_SIZE) -> dict[str, Any]:
    """Who acts on whom: one edge per (from, to, cooperation|conflict), weighted by count.

    A visitor or speaker is the source and the host or target the recipient
    (PLOVER); compound actors with no recipient ("Aliyev and Pashinyan met")
    are joined to each other; a mediator is joined to the parties it convened."""
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    labels: dict[str, dict[str, Any]] = {}
    for event in events_:
        polarity = "conflict" if "conflict" in (event["quad"] or "") else "cooperation"
        for a, b, directed in _pairs(event):
            labels.setdefault(a["id"], a)
            labels.setdefault(b["id"], b)
            edge = edges.setdefault((a["id"], b["id"], polarity), {
                "source": a["id"], "target": b["id"], "polarity": polarity,
                "directed": directed, "count": 0, "types": Counter(), "events": []})
            edge["count"] += 1
            edge["types"][event["type"]] += 1
            edge["events"].append(event["id"])
    degree: Counter[str] = Counter()
    for edge in edges.values():
        degree[edge["source"]] += edge["count"]
        degree[edge["target"]] += edge["count"]
    keep = {n for n, _ in degree.most_common(size)}
    kept = [dict(e, types=dict(e["types"])) for e in edges.values()
            if e["source"] in keep and e["target"] in keep]
    positions = spring_layout(sorted(keep, key=lambda n: (-degree[n], n)),
                              [(e["source"], e["target"], e["count"]) for e in kept])
    nodes = [{"id": n, "label": labels[n]["label"], "code": labels[n]["code"],
              "sector": labels[n]["sector"], "degree": degree[n], "x": x, "y": y}
             for n, (x, y) in positions.items()]
    return {"nodes": nodes, "edges": kept, "actors_total": len(degree)}


def _pairs(event: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any], bool]]:
    # Unresolved mentions ("the leaders") would be nodes no one can place.
    actors, recipients, mediators = ([a for a in event[role] if a["resolved"]]
                                     for role in ("actors", "recipients", "mediators"))
    pairs = [(a, r, True) for a in actors for r in recipients if a["id"] != r["id"]]
    if not recipients:
        pairs += [(a, b, False) for i, a in enumerate(actors) for b in actors[i + 1:]
                  if a["id"] != b["id"]]
    pairs += [(m, p, True) for m in mediators for p in actors + recipients if m["id"] != p["id"]]
    return pairs


def spring_layout(nodes: list[str], edges: list[tuple[str, str, int]]) -> dict[str, tuple[float, float]]:
    """Positions in [-1, 1]², deterministic. The largest connected group is laid
    out by classical MDS of hop distances (close partners sit close, hubs in the
    middle); smaller groups go in a row along the bottom; then nodes are pushed
    apart until their labels have room."""
    groups = _components(nodes, edges)
    if not groups:
        return {}
    main, rest = groups[0], [n for g in groups[1:] for n in g]
    share = 0.8 if rest else 1.0
    pos = _mds(main, [e for e in edges if e[0] in set(main)])
    pos[:, 1] = pos[:, 1] * share + (1 - share)  # leave the bottom strip free
    if rest:
        xs = np.minimum(-0.9 + 0.45 * np.arange(len(rest)), 1.0)
        pos = np.vstack([pos, np.column_stack([xs, np.full(len(rest), -1.0)])])
    return _spread(main + rest, pos)


def _components(nodes: list[str], edges: list[tuple[str, str, int]]) -> list[list[str]]:
    """Connected groups, largest first; each in the given node order."""
    neighbours: dict[str, set[str]] = {n: set() for n in nodes}
    for a, b, _ in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    seen: set[str] = set()
    groups = []
    for node in nodes:
        if node in seen:
            continue
        group, frontier = {node}, [node]
        while frontier:
            frontier = [m for n in frontier for m in neighbours[n] if m not in group]
            group.update(frontier)
        seen |= group
        groups.append([n for n in nodes if n in group])
    return sorted(groups, key=len, reverse=True)


def _mds(nodes: list[str], edges: list[tuple[str, str, int]]) -> np.ndarray:
    n = len(nodes)
    if n < 3:
        return np.array([[-0.5 + i, 0.0] for i in range(n)]) if n > 1 else np.zeros((1, 2))
    distances = _hops(nodes, edges)
    centred = np.eye(n) - np.ones((n, n)) / n
    gram = -0.5 * centred @ (distances ** 2) @ centred
    values, vectors = np.linalg.eigh(gram)
    top = np.argsort(values)[::-1][:2]
    pos = vectors[:, top] * np.sqrt(np.maximum(values[top], 1e-9))
    pos = pos * np.where(pos.sum(axis=0) < 0, -1, 1)  # a stable orientation
    return _to_unit(pos)


def _hops(nodes: list[str], edges: list[tuple[str, str, int]]) -> np.ndarray:
    """Shortest path lengths between the nodes of one connected group."""
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    neighbours: list[set[int]] = [set() for _ in range(n)]
    for a, b, _ in edges:
        neighbours[index[a]].add(index[b])
        neighbours[index[b]].add(index[a])
    hops = np.zeros((n, n))
    for start in range(n):
        seen, frontier, step = {start}, [start], 0
        while frontier:
            step += 1
            frontier = [j for i in frontier for j in neighbours[i] if j not in seen]
            for j in frontier:
                seen.add(j)
                hops[start, j] = step
    return hops


def _to_unit(pos: np.ndarray) -> np.ndarray:
    lo, hi = pos.min(axis=0), pos.max(axis=0)
    return 2 * (pos - lo) / np.where(hi - lo > 0, hi - lo, 1) - 1


def _spread(nodes: list[str], pos: np.ndarray, *, rounds: int = 200) -> dict[str, tuple[float, float]]:
    """Push apart nodes whose labels would overlap (labels are wider than tall)."""
    room = np.array([0.32, 0.11])
    for _ in range(rounds):
        moved = False
        for i in range(len(nodes)):
            gap = (pos[i] - pos) / room
            near = (np.abs(gap) < 1).all(axis=1)
            near[i] = False
            for j in np.nonzero(near)[0]:
                push = gap[j] if np.any(gap[j]) else np.array([0.0, 1.0])
                step = 0.02 * push / (np.linalg.norm(push) or 1) * room
                pos[i] += step
                pos[j] -= step
                moved = True
        if not moved:
            break
    pos = _to_unit(pos)
    return {node: (round(float(x), 4), round(float(y), 4)) for node, (x, y) in zip(nodes, pos, strict=True)}


def places(events_: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Located events grouped by place, with a count per quad category."""
    grouped: dict[tuple[Any, ...], dict[str, Any]] = {}
    for event in events_:
        if event["lat"] is None or event["lon"] is None:
            continue
        key = (event["place"], event["lat"], event["lon"])
        place = grouped.setdefault(key, {
            "name": event["place"], "country": event["country"], "lat": event["lat"],
            "lon": event["lon"], "count": 0, "quads": Counter(), "events": []})
        place["count"] += 1
        place["quads"][event["quad"]] += 1
        place["events"].append(event["id"])
    out = [dict(p, quads=dict(p["quads"]), quad=p["quads"].most_common(1)[0][0])
           for p in grouped.values()]
    return sorted(out, key=lambda p: -p["count"])


# -- quotes and stances --------------------------------------------------------
def quotes(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> list[dict[str, Any]]:
    """Quotes grouped by speaker, the most quoted first."""
    where, params = _record_where(filters, actor_column="q.speaker", text="text")
    rows = store.query(
        f"SELECT q.record, {_SOURCE_LABEL}, d.title, d.published FROM quotes q"
        f" JOIN documents d ON d.id = q.doc WHERE {' AND '.join(where)}"
        " ORDER BY coalesce(q.date, d.published) NULLS LAST, d.ingested_at, q.span_start", params)
    speakers: dict[str, dict[str, Any]] = {}
    for record, source, title, published in rows:
        quote = json.loads(record)
        if filters.issue and filters.issue not in issues_in(quote.get("text", ""), profile):
            continue
        speaker = _actor_key(quote.get("speaker") or {"name": "unattributed"})
        entry = speakers.setdefault(speaker["id"], {"speaker": speaker, "quotes": []})
        entry["quotes"].append({
            "id": quote["id"], "doc": quote["doc"], "span": quote["span"], "text": quote.get("text"),
            "direct": quote.get("direct"), "cue": quote.get("cue"),
            "date": (quote.get("date") or {}).get("value") or published,
            "source": source, "title": title})
    return sorted(speakers.values(), key=lambda s: (-len(s["quotes"]), s["speaker"]["label"]))


def _record_where(f: Filters, *, actor_column: str, text: str) -> tuple[list[str], list[Any]]:
    """The filters that apply to quotes and stances (their table aliased q or s)."""
    alias = actor_column.split(".")[0]
    where, params = ["d.duplicate_of IS NULL"], []
    if f.actor:
        where.append(f"({actor_column} = ? OR json_extract_string({alias}.record, '$.speaker.name') = ?"
                     f" OR json_extract_string({alias}.record, '$.actor.name') = ?)")
        params += [f.actor] * 3
    if f.source:
        where.append(f"{_SOURCE_LABEL} = ?")
        params.append(f.source)
    if f.q:
        where.append(f"json_extract_string({alias}.record, '$.{text}') ILIKE ?")
        params.append(f"%{f.q}%")
    if f.process:  # a stance carries its process; a quote is its report's
        where.append(f"{_process_of(alias if alias == 's' else 'd')} = ?")
        params.append(f.process)
    when = f"coalesce({alias}.date, d.published)"
    if f.start:
        where.append(f"left({when} || '-99-99', 10) >= ?")
        params.append(f.start)
    if f.end:
        where.append(f"left({when} || '-01-01', 10) <= ?")
        params.append(f.end)
    return where, params


def stances(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> dict[str, Any]:
    """Actors × issues: each cell the latest position, its evidence, and its history."""
    where, params = _record_where(filters, actor_column="s.actor_id", text="evidence")
    if filters.issue:
        where.append("s.issue = ?")
        params.append(filters.issue)
    rows = store.query(
        f"SELECT s.record, {_SOURCE_LABEL}, d.published FROM stances s"
        f" JOIN documents d ON d.id = s.doc WHERE {' AND '.join(where)}"
        " ORDER BY coalesce(s.date, d.published) NULLS FIRST, d.ingested_at, s.span_start", params)
    cells: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    actors: dict[str, str] = {}
    for record, source, published in rows:
        stance = json.loads(record)
        actor = _actor_key(stance.get("actor") or {})
        actors[actor["id"]] = actor["label"]
        cells[(actor["id"], stance["issue"])].append({
            "id": stance["id"], "doc": stance["doc"], "span": stance["span"],
            "position": stance.get("position"), "evidence": stance.get("evidence"),
            "date": (stance.get("date") or {}).get("value") or published, "source": source})
    return _matrix(cells, actors, profile)


def _matrix(cells: dict[tuple[str, str], list[dict[str, Any]]], actors: dict[str, str],
            profile: Profile | None) -> dict[str, Any]:
    names = {i.id: i.name for i in (profile.issues if profile else [])}
    used_issues = {issue for _, issue in cells}
    issues = [i for i in names if i in used_issues] + sorted(used_issues - set(names))
    weight: Counter[str] = Counter()
    for (actor, _), history in cells.items():
        weight[actor] += len(history)
    order = sorted(actors, key=lambda a: (-weight[a], actors[a]))
    out = [{"actor": a, "issue": i, "position": history[-1]["position"],
            "score": POSITION_SCORE.get(history[-1]["position"], 0.0),
            "latest": history[-1], "history": history, "changed": _changed(history)}
           for (a, i), history in cells.items()]
    return {"actors": [{"id": a, "label": actors[a]} for a in order],
            "issues": [{"id": i, "name": names.get(i, i)} for i in issues],
            "cells": out, "positions": list(POSITIONS)}


def _changed(history: list[dict[str, Any]]) -> bool:
    return len({h["position"] for h in history}) > 1


# -- header, options, documents, search ------------------------------------------
def overview(store: Store, filters: Filters, events_: list[dict[str, Any]],
             n_quotes: int, n_stances: int) -> dict[str, Any]:
    """What the record covers: reports, sources, dates and how sure they are."""
    where, params = (["1=1"], [])
    if filters.source:
        where, params = [f"{_SOURCE_LABEL} = ?"], [filters.source]
    if filters.process:
        where.append(f"{_process_of('d')} = ?")
        params.append(filters.process)
    docs = store.query(
        f"SELECT {_SOURCE_LABEL}, published, published_precision, published_method, duplicate_of"
        f" FROM documents d WHERE {' AND '.join(where)}", params)
    dated = sorted(d[1] for d in docs if d[1])
    event_dates = sorted(e["date"] for e in events_ if e["date"])
    precision = Counter(e["date_precision"] if e["date_basis"] == "event" else e["date_basis"] or "undated"
                        for e in events_)
    return {
        "reports": sum(1 for d in docs if not d[4]), "duplicates": sum(1 for d in docs if d[4]),
        "sources": sorted({d[0] for d in docs if d[0]}),
        "published": {"first": dated[0] if dated else None, "last": dated[-1] if dated else None},
        "events_dates": {"first": event_dates[0] if event_dates else None,
                         "last": event_dates[-1] if event_dates else None},
        "reports_dates": {
            "given": sum(1 for d in docs if d[1] and d[3] == "metadata"),
            "from_text": sum(1 for d in docs if d[1] and d[3] == "text"),
            "inferred": sum(1 for d in docs if d[1] and d[3] == "inferred"),
            "coarse": sum(1 for d in docs if d[1] and d[2] in COARSE),
            "unknown": sum(1 for d in docs if not d[1])},
        "events_dates_quality": {
            "day": precision["day"], "coarse": sum(precision[p] for p in COARSE),
            "from_report": precision["report"], "undated": precision["undated"] + precision["unknown"]},
        "counts": {"events": len(events_), "quotes": n_quotes, "stances": n_stances,
                   "actors": len({a["id"] for e in events_ for a in e["actors"] + e["recipients"]})},
        "by_quad": dict(Counter(e["quad"] for e in events_)),
        "by_type": dict(Counter(e["type"] for e in events_)),
        "latest": [e["id"] for e in sorted((e for e in events_ if e["date"]
                                            and e["status"] == "occurred"),
                                           key=lambda e: e["date"])[-5:][::-1]],
        "filters": filters.active(),
    }


def options(store: Store, profile: Profile | None) -> dict[str, Any]:
    """The values each dashboard filter offers."""
    actors = store.query(
        "SELECT coalesce(actor_id, name) AS key, any_value(name), count(*) AS n FROM participants"
        " WHERE coalesce(actor_id, name) IS NOT NULL GROUP BY key ORDER BY n DESC, key")
    sources = store.query(f"SELECT DISTINCT {_SOURCE_LABEL} AS s FROM documents d ORDER BY s")
    processes = store.query(f"SELECT {_process_of('e')} AS p, count(*) FROM events e"
                            " GROUP BY p ORDER BY p")
    return {
        "processes": [{"id": name, "count": n,
                       "label": _title_of(profile, name) if name != "other" else "other (no profile)"}
                      for name, n in processes if name],
        "actors": [{"id": a, "label": n or a, "count": c} for a, n, c in actors],
        "types": [{"id": q, "label": v["label"]} for q, v in QUADS.items()] +
                 [{"id": t, "label": t.title()} for t in PLOVER_TYPES],
        "issues": [{"id": i.id, "name": i.name} for i in (profile.issues if profile else [])],
        "sources": [s for (s,) in sources if s],
    }


def document(store: Store, doc_id: str) -> dict[str, Any] | None:
    """A report's text and every event, quote and stance span in it."""
    rows = store.query(f"SELECT record, {_SOURCE_LABEL} FROM documents d WHERE id = ?", [doc_id])
    if not rows:
        return None
    record, source = rows[0]
    doc = json.loads(record)
    spans = []
    for kind, table in (("event", "events"), ("quote", "quotes"), ("stance", "stances")):
        for (item,) in store.query(f"SELECT record FROM {table} WHERE doc = ? ORDER BY span_start",
                                   [doc_id]):
            spans.append(_span(kind, json.loads(item)))
    return {"id": doc["id"], "title": doc.get("title"), "source": source, "path": doc.get("source"),
            "url": doc.get("url"), "outlet": doc.get("outlet"), "published": doc.get("published"),
            "text": doc.get("text") or "", "spans": spans}


def _span(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    if kind == "event":
        who = ", ".join(a["label"] for a in map(_actor_key, record.get("actor") or []))
        whom = ", ".join(a["label"] for a in map(_actor_key, record.get("recipient") or []))
        label = f"{record['type']}: {who or '?'}" + (f" → {whom}" if whom else "")
        extra = {"type": record["type"], "quad": QUAD.get(record["type"]), "status": record.get("status")}
    elif kind == "quote":
        label = f"quote: {_actor_key(record.get('speaker') or {'name': 'unattributed'})['label']}"
        extra = {"direct": record.get("direct")}
    else:
        label = (f"stance: {_actor_key(record.get('actor') or {})['label']} "
                 f"{record.get('position')} {record.get('issue')}")
        extra = {"position": record.get("position"), "issue": record.get("issue")}
    return {"kind": kind, "id": record["id"], "span": record["span"], "label": label, **extra}


def documents_index(store: Store) -> list[dict[str, Any]]:
    rows = store.query(f"SELECT id, title, {_SOURCE_LABEL}, published FROM documents d"
                       " ORDER BY published NULLS LAST, ingested_at")
    return [{"id": i, "title": t, "source": s, "published": p} for i, t, s, p in rows]


def search(store: Store, q: str, *, limit: int = 50) -> dict[str, Any]:
    """Quotes and report passages that contain ``q`` (case-insensitive)."""
    q = (q or "").strip()
    if not q:
        return {"q": q, "quotes": [], "reports": []}
    like = f"%{q}%"
    found_quotes = [json.loads(r) for (r,) in store.query(
        "SELECT record FROM quotes WHERE json_extract_string(record, '$.text') ILIKE ? LIMIT ?",
        [like, limit])]
    reports = []
    for doc_id, title, source, record in store.query(
            f"SELECT id, title, {_SOURCE_LABEL}, record FROM documents d"
            " WHERE json_extract_string(record, '$.text') ILIKE ? ORDER BY ingested_at LIMIT ?",
            [like, limit]):
        text = json.loads(record).get("text") or ""
        reports.append({"doc": doc_id, "title": title, "source": source,
                        "matches": _matches(text, q)})
    return {"q": q, "reports": reports, "quotes": [
        {"id": x["id"], "doc": x["doc"], "span": x["span"], "text": x.get("text"),
         "speaker": _actor_key(x.get("speaker") or {"name": "unattributed"})["label"]}
        for x in found_quotes]}


def _matches(text: str, q: str, *, most: int = 5, around: int = 60) -> list[dict[str, Any]]:
    out = []
    for match in re.finditer(re.escape(q), text, re.IGNORECASE):
        s, e = match.span()
        out.append({"span": [s, e], "before": text[max(0, s - around):s], "match": text[s:e],
                    "after": text[e:e + around]})
        if len(out) == most:
            break
    return out


def dashboard(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> dict[str, Any]:
    """Everything both views draw, for one set of filters."""
    events_ = events(store, profile, filters)
    quotes_ = quotes(store, profile, filters)
    stances_ = stances(store, profile, filters)
    n_quotes = sum(len(s["quotes"]) for s in quotes_)
    return {
        "overview": overview(store, filters, events_, n_quotes, len(stances_["cells"])),
        "quads": QUADS, "types": list(PLOVER_TYPES), "quad_of": QUAD,
        "events": events_, "tracks": tracks(events_, profile, filters.process),
        "network": network(events_),
        "stances": stances_, "places": places(events_), "quotes": quotes_,
        "profile": _profile_view(profile, filters.process),
    }


def _profile_view(profile: Profile | None, process: str | None) -> dict[str, Any] | None:
    """The profile the views are drawn for: the filtered process's own, when
    several are active (its countries are the map's region)."""
    if profile is None:
        return None
    shown = next((m for m in profile.members if m.name == process), profile) if process else profile
    return {"name": shown.name, "title": shown.title, "countries": list(shown.countries),
            "processes": [m.name for m in profile.members] or [profile.name]}


__all__ = ["Filters", "QUADS", "dashboard", "document", "documents_index", "events",
           "issues_in", "network", "options", "overview", "places", "quotes", "search",
           "spring_layout", "stances", "tracks"]
