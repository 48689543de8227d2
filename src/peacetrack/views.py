"""What the report and the dashboard show: one set of queries over a Store.

Every chart is an aggregate that DuckDB computes in the store (counts per
period and type, the most connected actors, places, the stance matrix), so
what a view costs and weighs depends on what it draws, not on how many
reports the store holds. Records are read whole only for what is on screen:
a page of events, the examples behind a mark, an opened report.

Each mark carries its count, the ids of (at most ``MARK_IDS`` of) the records
behind it, and up to three example sentences for its hover, so that every
mark still leads back to its sentences (SPEC: every fact points to its
characters). Every function takes a Store and a ``Filters`` and returns plain
dicts and lists, ready for JSON; the HTML report embeds them, the dashboard
serves them (``peacetrack.web``).

Filters are one object turned into SQL in one place (``_event_where``,
``_record_where``): a new filter (a process, an incident) is a field there
and one clause each.
"""

from __future__ import annotations

import json
import re
from collections import Counter
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
NETWORK_SIZE = 40   # the most connected actors drawn; more is unreadable
NETWORK_EDGES = 100  # and the busiest edges between them (each is drawn as a line of its own)
POINTS = 500        # up to this many events a chart draws one mark each; above, one per month
MARK_IDS = 12       # record ids a mark carries (its count says how many there are)
PAGE = 50           # events, reports or quotes per page
PAGE_MAX = 500
PLACES = 300        # places on the map, the most eventful first
STANCE_ACTORS = 40  # rows of the stance matrix, the actors with the most stances first
HISTORY = 8         # positions kept per stance cell (the latest last)
SPEAKERS = 15       # speakers in the quotes chart, each with its latest quotes
SPEAKER_QUOTES = 3
OPTIONS = 300       # values a filter's list offers, the most frequent first


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


# -- the selection: events that pass the filters, as SQL ---------------------------
_OUTLET = ("coalesce(d.outlet, nullif(regexp_extract(coalesce(d.url, ''),"
           " '^[A-Za-z][A-Za-z0-9+.-]*://(?:www\\.)?([^/:?#]+)', 1), ''))")
_SOURCE_LABEL = f"coalesce({_OUTLET}, regexp_replace(d.source, '^.*[/\\\\]|:[0-9]+$', '', 'g'))"
# An undated event is placed at its report's date, except background history.
_WHEN = "coalesce(e.date, CASE WHEN e.status <> 'historical' THEN d.published END)"


def _text_column(store: Store, table: str, alias: str, column: str, path: str) -> str:
    """SQL for a record's text that the word filters read: its column, where the
    store has it (a store or Parquet parts written before it had one read it
    from the record)."""
    from_record = f"json_extract_string({alias}.record, '{path}')"
    return f"coalesce({alias}.{column}, {from_record})" if column in store.columns(table) \
        else from_record


def _sentence(store: Store) -> str:
    return _text_column(store, "events", "e", "sentence", "$.sentence")


def _quote_text(store: Store) -> str:
    return _text_column(store, "quotes", "q", "text", "$.text")


def _event_where(f: Filters, profile: Profile | None, sentence: str) -> tuple[list[str], list[Any]]:
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
        where.append(f"regexp_matches({sentence}, ?)")
        params.append(word_regex(f.q))
    if f.issue:
        where.append(f"regexp_matches({sentence}, ?)")
        params.append(issue_regex(profile, f.issue))
    if f.process:
        where.append("e.process = ?")
        params.append(f.process)
    # A coarse date is a period: it passes when the period meets [start, end].
    if f.start:
        where.append(f"left({_WHEN} || '-99-99', 10) >= ?")
        params.append(f.start)
    if f.end:
        where.append(f"left({_WHEN} || '-01-01', 10) <= ?")
        params.append(f.end)
    return where, params


def _selection(f: Filters, profile: Profile | None, store: Store) -> tuple[str, list[Any]]:
    """A CTE ``sel``: one row per selected event with what the aggregates need;
    ``rid`` finds its record again cheaply (``event_views_at``). The rows are
    made once per store and filters (``Store.selection``), not per query."""
    where, params = _event_where(f, profile, _sentence(store))
    table = store.selection(
        f"SELECT e.{_row_key(store)} AS rid, e.id, e.doc, e.type, e.status, e.place, e.country, e.lat, e.lon, e.process,"
        f" {_WHEN} AS happened, CASE WHEN e.date IS NOT NULL THEN 'event'"
        f" WHEN {_WHEN} IS NOT NULL THEN 'report' END AS basis,"
        f" CASE WHEN e.date IS NOT NULL THEN e.date_precision ELSE d.published_precision END"
        f" AS precision, d.ingested_at, e.span_start"
        f" FROM events e JOIN documents d ON d.id = e.doc WHERE {' AND '.join(where)}", params)
    return f"WITH sel AS (SELECT * FROM temp.{table}) ", []


# Newest first: what a list of events shows at its top.
_NEWEST = "happened DESC NULLS LAST, ingested_at DESC, span_start, id"
# The newest first, as a key for top-n aggregates (``arg_max(x, key, n)`` keeps n
# values in memory per group, where a sorted list would hold the whole group).
_NEWEST_KEY = "{'at': coalesce(happened, ''), 'in': ingested_at, 'span': -span_start, 'id': id}"


def _dated_key(key: str = "id", at: str = "coalesce(happened, '')") -> str:
    """A top-n key by date, ties broken by ``key``: the same rows on every run."""
    return f"{{'at': {at}, 'id': {key}}}"


# The ids a mark carries: its newest events (a top-n aggregate, not a sorted list).
_LATEST_IDS = f"arg_max(id, {_dated_key()}, {MARK_IDS})"


def _quad_case(column: str = "type") -> str:
    """SQL for an event type's quad category (PLOVER)."""
    return "CASE " + " ".join(f"WHEN {column} = '{t}' THEN '{q}'" for t, q in QUAD.items()) + " END"


_QUAD_CASE = _quad_case()


@cache
def _issue_patterns(profile: Profile) -> dict[str, tuple[re.Pattern[str], str]]:
    """Each issue's names as a Python pattern and as the same pattern for DuckDB (RE2)."""
    out = {}
    for issue in profile.issues:
        names = sorted({issue.name, *issue.aliases}, key=len, reverse=True)
        alternatives = "|".join(re.escape(n) for n in names if n)
        out[issue.id] = (re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE),
                         rf"(?i)(?:^|[^\pL\pN_])(?:{alternatives})(?:[^\pL\pN_]|$)")
    return out


def word_regex(q: str) -> str:
    """Whole words, case-insensitive, as a DuckDB (RE2) pattern: 'mission' finds
    'the EU mission', not 'Commission'; words of a phrase may be apart by any spaces."""
    words = [re.escape(w) for w in q.split()]
    phrase = r"\s+".join(words)
    return rf"(?i)(?:^|[^\pL\pN_])(?:{phrase})(?:[^\pL\pN_]|$)" if words else r"[\s\S]"


def _word_pattern(q: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in q.split()) + r"(?!\w)", re.IGNORECASE)


def issue_regex(profile: Profile | None, issue: str) -> str:
    """The SQL pattern of an issue's names; one that matches nothing for an unknown issue."""
    found = _issue_patterns(profile).get(issue) if profile is not None else None
    return found[1] if found else r"[^\s\S]"


def issues_in(text: str, profile: Profile | None) -> list[str]:
    """The profile's issues a sentence names (by the issue's name or aliases)."""
    if profile is None or not text:
        return []
    return [issue for issue, (pattern, _) in _issue_patterns(profile).items() if pattern.search(text)]


# -- events as shown ----------------------------------------------------------------
_DOC_COLUMNS = (f"{_SOURCE_LABEL}, d.title, d.published, d.published_precision,"
                " d.published_method, d.source")


def events(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS, *,
           offset: int = 0, limit: int | None = PAGE) -> list[dict[str, Any]]:
    """A page of the events that pass the filters, newest first, as shown."""
    sel, params = _selection(filters, profile, store)
    page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
    rids = [r for (r,) in store.query(f"{sel} SELECT rid FROM sel ORDER BY {_NEWEST}{page}", params)]
    return event_views_at(store, profile, rids)


def count_events(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> int:
    sel, params = _selection(filters, profile, store)
    return int(store.query(f"{sel} SELECT count(*) FROM sel", params)[0][0])


def events_page(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS, *,
                offset: int = 0, limit: int = PAGE) -> dict[str, Any]:
    """A page of events with the total, for the events table."""
    limit = max(1, min(int(limit), PAGE_MAX))
    offset = max(0, int(offset))
    return {"total": count_events(store, profile, filters), "offset": offset, "limit": limit,
            "items": events(store, profile, filters, offset=offset, limit=limit)}


def event_views(store: Store, profile: Profile | None, ids: list[str]) -> list[dict[str, Any]]:
    """The events with these ids as shown, in the order given."""
    return _views_by(store, profile, "id", ids)


def event_views_at(store: Store, profile: Profile | None, rids: list[Any]) -> list[dict[str, Any]]:
    """The events at these row keys (``sel.rid``) as shown, in the order given: a
    store finds a row by its row id without reading every event's id."""
    return _views_by(store, profile, _row_key(store), rids)


def _views_by(store: Store, profile: Profile | None, column: str, keys: list[Any]) -> list[dict[str, Any]]:
    if not keys:
        return []
    rows = store.query(f"SELECT e.{column}, e.record, {_DOC_COLUMNS} FROM events e"
                       f" JOIN documents d ON d.id = e.doc WHERE e.{column} IN (SELECT unnest(?))",
                       [list(keys)])
    found = {r[0]: _event_view(json.loads(r[1]), r[2:], profile) for r in rows}
    return [found[k] for k in keys if k in found]


def _row_key(store: Store) -> str:
    """The column that finds a stored event fastest: DuckDB's row id, or (a folder
    of Parquet parts, read through views) the event's id."""
    return getattr(store, "row_key", "rowid")


def records(store: Store, profile: Profile | None, ids: list[str]) -> list[dict[str, Any]]:
    """Events, quotes and stances by id (the evidence behind a mark), each with its kind."""
    ids = list(dict.fromkeys(ids))[:PAGE_MAX]
    out = {e["id"]: {"kind": "event", **e} for e in event_views(store, profile, ids)}
    for kind, table, text in (("quote", "quotes", "text"), ("stance", "stances", "evidence")):
        rows = store.query(
            f"SELECT t.record, {_SOURCE_LABEL}, d.published FROM {table} t"
            f" JOIN documents d ON d.id = t.doc WHERE t.id IN (SELECT unnest(?))", [ids])
        for record, source, published in rows:
            r = json.loads(record)
            out[r["id"]] = {"kind": kind, "id": r["id"], "doc": r["doc"], "span": r["span"],
                            text: r.get(text), "position": r.get("position"),
                            "date": (r.get("date") or {}).get("value") or published,
                            "source": source}
    return [out[i] for i in ids if i in out]


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
        "date_end": date.get("end") if basis == "event" else None,
        "date_basis": basis if when else None, "date_text": date.get("text"),
        "actors": [_actor_key(a) for a in record.get("actor") or []],
        "recipients": [_actor_key(a) for a in record.get("recipient") or []],
        "mediators": [_actor_key(a) for a in record.get("mediator") or []],
        "place": location.get("name") or location.get("text"), "country": location.get("country"),
        "lat": location.get("lat"), "lon": location.get("lon"),
        "source": source, "path": file_name(path), "title": title, "published": published,
        "published_method": published_method,
    }
    view["process"] = record.get("process")
    view["tracks"] = _tracks_of(record, view["place"], profile)
    view["issues"] = issues_in(view["sentence"], profile)
    return view


def file_name(path: str | None) -> str | None:
    """A report's file without the folders it was read from: no local path
    reaches a page (the report may be shared)."""
    return re.sub(r"^.*[/\\]", "", path) if path else path


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
            found.append({"id": lane_id(track), "name": track.name, "reason": f"mediator: {by}"})
        elif place and place.lower() in {p.lower() for p in track.places}:
            found.append({"id": lane_id(track), "name": track.name, "reason": f"venue: {place}"})
    return found


def lane_id(track: Any) -> str:
    """A track's lane: its id within its process (several processes have a
    "washington" or a "turkey" track)."""
    return f"{track.process}/{track.id}" if track.process else track.id


def _title_of(profile: Profile | None, process: str) -> str:
    members = (profile.members or (profile,)) if profile else ()
    return next((m.title or m.name for m in members if m.name == process), process)


# -- charts ------------------------------------------------------------------------
def timeline(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> dict[str, Any]:
    """Dated events by type: one mark per event up to POINTS of them, else one
    mark per month and type with its count."""
    sel, params = _selection(filters, profile, store)
    dated = int(store.query(f"{sel} SELECT count(*) FROM sel WHERE happened IS NOT NULL", params)[0][0])
    undated = _undated(store, profile, sel, params)
    if dated <= POINTS:
        rids = [r for (r,) in store.query(
            f"{sel} SELECT rid FROM sel WHERE happened IS NOT NULL ORDER BY {_NEWEST}", params)]
        return {"granularity": "event", "total": dated, "events": event_views_at(store, profile, rids),
                **undated}
    rows = store.query(
        f"{sel} SELECT left(happened, 7) AS period, type, count(*) AS n,"
        f" count_if(basis = 'event' AND precision = 'day') AS exact,"
        f" count_if(status <> 'historical') AS current"
        f" FROM sel WHERE happened IS NOT NULL GROUP BY period, type ORDER BY period, type", params)
    # A bin's events are the events of its type in its period: the page asks for
    # them (or filters the report's own) when the bin is clicked.
    bins = [{"period": p, "type": t, "quad": QUAD.get(t), "count": n, "exact": x, "current": c}
            for p, t, n, x, c in rows]
    return {"granularity": "month", "total": dated, "bins": bins, **undated}


def counts(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> dict[str, Any]:
    """Events per month and per week by quad category (ACLED-style counts over
    time), of the events dated to the day or the month (a week needs a day); a
    year-only date counts in neither, and is counted apart, as undated ones are."""
    sel, params = _selection(filters, profile, store)
    quad = _quad_case()
    month = store.query(
        f"{sel} SELECT left(happened, 7) AS m, {quad} AS q, count(*) FROM sel"
        " WHERE length(happened) >= 7 GROUP BY m, q ORDER BY m, q", params)
    week = store.query(
        f"{sel} SELECT strftime(date_trunc('week', TRY_CAST(left(happened, 10) AS DATE)), '%Y-%m-%d') AS w,"
        f" {quad} AS q, count(*) FROM sel WHERE length(happened) >= 10 AND w IS NOT NULL"
        " GROUP BY w, q ORDER BY w, q", params)
    (year_only, undated), = store.query(
        f"{sel} SELECT count_if(length(happened) = 4), count_if(happened IS NULL) FROM sel", params)
    return {"month": [{"period": m, "quad": q, "count": n} for m, q, n in month],
            "week": [{"period": w, "quad": q, "count": n} for w, q, n in week],
            "year_only": year_only or 0, "undated": undated or 0}


def _undated(store: Store, profile: Profile | None, sel: str, params: list[Any]) -> dict[str, Any]:
    """The selected events with no date, not even their report's: counted and
    listed (the first POINTS) beside a chart, never dropped silently."""
    (n, newest), = store.query(f"{sel} SELECT count(*), arg_max(rid, {_NEWEST_KEY}, {POINTS})"
                               " FROM sel WHERE happened IS NULL", params)
    return {"undated_total": int(n or 0), "undated": event_views_at(store, profile, list(newest or []))}


def _tracked(store: Store, sel: str, params: list[Any], shown: list[Any]) -> str:
    """A CTE after ``sel``: ``tracked``, one row per (event, track) for the
    tracks shown, by mediator or by venue; a track of a process holds only
    that process's events. The tracks are two small tables joined once (one pass
    over the events whatever the number of tracks), not a query per track, and
    the rows are made once per selection (``Store.selection``): the tracks and
    the mediation views both read them, several times each."""
    if not shown:
        return ""
    by_actor = [(lane_id(t), t.process, a) for t in shown for a in t.mediators]
    by_place = [(lane_id(t), t.process, p.lower()) for t in shown for p in t.places]
    columns = lambda rows, i: [r[i] for r in rows]  # noqa: E731
    sql = (f"{sel}, tm AS (SELECT unnest(?::VARCHAR[]) AS track, unnest(?::VARCHAR[]) AS process,"
           " unnest(?::VARCHAR[]) AS actor)"
           ", tp AS (SELECT unnest(?::VARCHAR[]) AS track, unnest(?::VARCHAR[]) AS process,"
           " unnest(?::VARCHAR[]) AS place)"
           ", pairs AS (SELECT p.event AS id, tm.track, tm.process FROM participants p JOIN tm"
           " ON p.actor_id = tm.actor WHERE p.role = 'mediator'"
           " UNION SELECT sel.id, tp.track, tp.process FROM sel JOIN tp ON lower(sel.place) = tp.place)"
           " SELECT pairs.track, sel.* FROM pairs JOIN sel ON sel.id = pairs.id"
           " WHERE pairs.process IS NULL OR sel.process IS NULL OR sel.process = pairs.process")
    table = store.selection(sql, params + [columns(by_actor, 0), columns(by_actor, 1),
                                           columns(by_actor, 2), columns(by_place, 0),
                                           columns(by_place, 1), columns(by_place, 2)])
    return f", tracked AS (SELECT * FROM temp.{table}) "


def tracks(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> dict[str, Any]:
    """Mediation tracks as lanes: the profile's tracks (of the filtered process
    only, when one is) and the events in each (per month above POINTS). With
    several processes a lane is named with its process."""
    shown = [t for t in (profile.tracks if profile else [])
             if not filters.process or not t.process or t.process == filters.process]
    several = len({t.process for t in shown}) > 1
    lanes = [{"id": lane_id(t), "name": f"{_title_of(profile, t.process)}: {t.name}" if several else t.name,
              "process": t.process, "mediators": list(t.mediators), "places": list(t.places)}
             for t in shown]
    if not shown:
        return {"lanes": lanes, "granularity": "event", "total": 0, "items": [], "events": [],
                "undated_total": 0, "undated": [], "undated_events": []}
    sel, params = _selection(filters, profile, store)
    base = f"{sel}{_tracked(store, sel, params, shown)}"
    total = int(store.query(f"{base} SELECT count(*) FROM tracked WHERE happened IS NOT NULL", params)[0][0])
    # One pass: the count and the newest POINTS (a top-n aggregate holds only those).
    (n_undated, newest), = store.query(
        f"{base} SELECT count(*), arg_max({{'rid': rid, 'id': id, 'track': track}},"
        f" {{'in': ingested_at, 'id': id, 'track': track}}, {POINTS})"
        " FROM tracked WHERE happened IS NULL", params)
    newest = sorted(newest or [], key=lambda r: r["track"])
    undated_views = {e["id"]: e for e in event_views_at(
        store, profile, list(dict.fromkeys(r["rid"] for r in newest)))}
    undated = {"undated_total": int(n_undated or 0),
               "undated": [{"event": r["id"], "track": r["track"]} for r in newest],
               "undated_events": list(undated_views.values())}
    if total <= POINTS:
        rows = store.query(f"{base} SELECT rid, id, track FROM tracked WHERE happened IS NOT NULL"
                           f" ORDER BY {_NEWEST}", params)
        shown = event_views_at(store, profile, list(dict.fromkeys(r for r, _, _ in rows)))
        views = {e["id"]: e for e in shown}
        items = []
        for _, event_id, track in rows:
            reason = next((t["reason"] for t in views[event_id]["tracks"] if t["id"] == track), "")
            items.append({"event": event_id, "track": track, "reason": reason})
        return {"lanes": lanes, "granularity": "event", "total": total, "items": items,
                "events": list(views.values()), **undated}
    rows = store.query(
        f"{base} SELECT left(happened, 7) AS period, track, {_QUAD_CASE} AS quad, count(*)"
        f" FROM tracked WHERE happened IS NOT NULL GROUP BY period, track, quad"
        f" ORDER BY period, track, quad", params)
    bins = [{"period": p, "track": t, "quad": q, "count": n} for p, t, q, n in rows]
    return {"lanes": lanes, "granularity": "month", "total": total, "bins": bins, **undated}


def network(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS, *,
            size: int = NETWORK_SIZE) -> dict[str, Any]:
    """Who acts on whom: one edge per (from, to, cooperation|conflict), weighted by count.

    A visitor or speaker is the source and the host or target the recipient
    (PLOVER); compound actors with no recipient ("Aliyev and Pashinyan met")
    are joined to each other; a mediator is joined to the parties it convened.
    Unresolved mentions ("the leaders") are left out: no one could place them."""
    sel, params = _selection(filters, profile, store)
    rows = store.query(sel + _PAIRS_SQL, params)
    labels = {a: (name, code, sector) for a, name, code, sector in store.query(
        sel + "SELECT p.actor_id, any_value(p.name), any_value(p.code), any_value(p.sector)"
        " FROM participants p JOIN sel ON sel.id = p.event WHERE p.actor_id IS NOT NULL"
        " GROUP BY p.actor_id", params)}
    degree: Counter[str] = Counter()
    for source, target, _, _, count, _, _ in rows:
        degree[source] += count
        degree[target] += count
    keep = {n for n, _ in degree.most_common(size)}
    edges = [{"source": s, "target": t, "polarity": p, "directed": d, "count": n,
              "types": dict(zip(types["key"], types["value"], strict=True))
              if isinstance(types, dict) and "key" in types else dict(types), "ids": ids}
             for s, t, p, d, n, types, ids in rows if s in keep and t in keep][:NETWORK_EDGES]
    positions = spring_layout(sorted(keep, key=lambda n: (-degree[n], n)),
                              [(e["source"], e["target"], e["count"]) for e in edges])
    nodes = [{"id": n, "label": labels.get(n, (n,))[0] or n, "code": labels.get(n, (n, None))[1],
              "sector": labels.get(n, (n, None, None))[2], "degree": degree[n], "x": x, "y": y}
             for n, (x, y) in positions.items()]
    return {"nodes": nodes, "edges": edges, "actors_total": len(degree),
            "states": {c: n for c, n in _state_names().items() if c in {x["code"] for x in nodes}}}


@cache
def _state_names() -> dict[str, str]:
    """A state's name by its code: what people are rolled up to on demand."""
    from .lexicons import load_lexicon
    return {c["code"]: c["name"] for c in load_lexicon("countries")["countries"] if c.get("code")}


# The pairs of one event, then counted: actor -> recipient; actors together when
# the event has no (resolved) recipient; mediator -> each party.
_PAIRS_SQL = f"""
, p AS (SELECT p.event, p.role, p.actor_id AS id, sel.type, sel.happened  -- one row each (Store.write)
        FROM participants p JOIN sel ON sel.id = p.event WHERE p.actor_id IS NOT NULL)
, a AS (SELECT * FROM p WHERE role = 'actor')
, r AS (SELECT * FROM p WHERE role = 'recipient')
, m AS (SELECT * FROM p WHERE role = 'mediator')
, pairs AS (
    SELECT a.event, a.type, a.happened, a.id AS source, r.id AS target, true AS directed
      FROM a JOIN r ON r.event = a.event AND a.id <> r.id
    UNION ALL
    SELECT a.event, a.type, a.happened, a.id, b.id, false
      FROM a JOIN a b ON b.event = a.event AND a.id < b.id
      WHERE NOT EXISTS (SELECT 1 FROM r WHERE r.event = a.event)
    UNION ALL
    SELECT m.event, m.type, m.happened, m.id, x.id, true
      FROM m JOIN (SELECT event, id FROM a UNION ALL SELECT event, id FROM r) x
      ON x.event = m.event AND m.id <> x.id)
SELECT source, target,
       CASE WHEN {_QUAD_CASE} LIKE '%conflict' THEN 'conflict' ELSE 'cooperation' END AS polarity,
       bool_or(directed), count(*) AS n, histogram(type),
       arg_max(event, {_dated_key('event')}, {MARK_IDS})
FROM pairs GROUP BY source, target, polarity ORDER BY n DESC, source, target
"""


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


def places(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> list[dict[str, Any]]:
    """Located events grouped by place (the PLACES most eventful), a count per quad category."""
    sel, params = _selection(filters, profile, store)
    quads = ", ".join(f"count_if({_QUAD_CASE} = '{q}') AS \"{q}\"" for q in QUADS)
    rows = store.query(
        f"{sel} SELECT place, any_value(country), lat, lon, count(*) AS n, {quads},"
        f" {_LATEST_IDS} FROM sel"
        f" WHERE lat IS NOT NULL AND lon IS NOT NULL GROUP BY place, lat, lon"
        f" ORDER BY n DESC, place, lat, lon LIMIT {PLACES}", params)
    out = []
    for name, country, lat, lon, n, *counts, ids in rows:
        by_quad = {q: c for q, c in zip(QUADS, counts, strict=True) if c}
        out.append({"name": name, "country": country, "lat": lat, "lon": lon, "count": n,
                    "quads": by_quad, "quad": max(by_quad, key=lambda q: by_quad[q]), "ids": ids})
    return out


# -- quotes and stances --------------------------------------------------------
def _record_where(f: Filters, profile: Profile | None, *, alias: str, actor: str,
                  text: str, store: Store) -> tuple[list[str], list[Any]]:
    """The filters that apply to quotes and stances (their table aliased ``alias``)."""
    where, params = ["d.duplicate_of IS NULL"], []
    words = _quote_text(store) if alias == "q" else f"json_extract_string({alias}.record, '$.{text}')"
    if f.actor:
        column = f"{alias}.{'speaker' if actor == 'speaker' else 'actor_id'}"
        # the record's name only for unresolved actors: reading JSON is the costly part
        where.append(f"({column} = ? OR ({column} IS NULL AND"
                     f" json_extract_string({alias}.record, '$.{actor}.name') = ?))")
        params += [f.actor] * 2
    if f.source:
        where.append(f"{_SOURCE_LABEL} = ?")
        params.append(f.source)
    if f.q:
        where.append(f"regexp_matches({words}, ?)")
        params.append(word_regex(f.q))
    if f.issue and alias == "q":
        where.append(f"regexp_matches({words}, ?)")
        params.append(issue_regex(profile, f.issue))
    if f.issue and alias == "s":
        where.append("s.issue = ?")
        params.append(f.issue)
    if f.process:  # a stance carries its process; a quote is its report's
        where.append(f"{'s' if alias == 's' else 'd'}.process = ?")
        params.append(f.process)
    when = f"coalesce({alias}.date, d.published)"
    if f.start:
        where.append(f"left({when} || '-99-99', 10) >= ?")
        params.append(f.start)
    if f.end:
        where.append(f"left({when} || '-01-01', 10) <= ?")
        params.append(f.end)
    return where, params


_SPEAKER = ("coalesce(q.speaker, json_extract_string(q.record, '$.speaker.name'),"
            " json_extract_string(q.record, '$.speaker.text'), 'unattributed')")


def _quote_rows(store: Store, profile: Profile | None, filters: Filters) -> str:
    """The quotes that pass the filters, with what the quotes chart needs: made
    once per store and filters (``Store.selection``), for the chart and the count."""
    where, params = _record_where(filters, profile, alias="q", actor="speaker", text="text", store=store)
    return store.selection(
        f"SELECT q.id, {_SPEAKER} AS speaker, coalesce(q.date, d.published) AS happened,"
        f" d.ingested_at, q.span_start FROM quotes q JOIN documents d ON d.id = q.doc"
        f" WHERE {' AND '.join(where)}", params)


_STANCE_ACTOR = ("coalesce(s.actor_id, json_extract_string(s.record, '$.actor.name'),"
                 " json_extract_string(s.record, '$.actor.text'), '?')")
_STANCE_LABEL = ("coalesce(json_extract_string(s.record, '$.actor.name'),"
                 " json_extract_string(s.record, '$.actor.text'))")


def _stance_rows(store: Store, profile: Profile | None, filters: Filters) -> str:
    """The stances that pass the filters, as ``_quote_rows`` for quotes."""
    where, params = _record_where(filters, profile, alias="s", actor="actor", text="evidence", store=store)
    return store.selection(
        f"SELECT s.id, {_STANCE_ACTOR} AS actor, s.issue, s.position,"
        f" coalesce(s.date, d.published) AS happened, d.ingested_at, s.span_start"
        f" FROM stances s JOIN documents d ON d.id = s.doc WHERE {' AND '.join(where)}", params)


def quotes(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> list[dict[str, Any]]:
    """The most quoted speakers (SPEAKERS), each with its count and latest quotes."""
    rows = store.query(
        f"WITH sq AS (SELECT * FROM temp.{_quote_rows(store, profile, filters)})"
        f" SELECT speaker, count(*) AS n,"
        f" arg_max(id, {_NEWEST_KEY}, {SPEAKER_QUOTES})"
        f" FROM sq GROUP BY speaker ORDER BY n DESC, speaker LIMIT {SPEAKERS}")
    ids = [i for *_, latest in rows for i in latest]
    found = {}
    for record, source, title, published in store.query(
            f"SELECT q.record, {_SOURCE_LABEL}, d.title, d.published FROM quotes q"
            f" JOIN documents d ON d.id = q.doc WHERE q.id IN (SELECT unnest(?))", [ids]):
        quote = json.loads(record)
        found[quote["id"]] = (quote, {
            "id": quote["id"], "doc": quote["doc"], "span": quote["span"], "text": quote.get("text"),
            "direct": quote.get("direct"), "cue": quote.get("cue"),
            "date": (quote.get("date") or {}).get("value") or published,
            "source": source, "title": title})
    out = []
    for _, n, latest in rows:
        shown = [found[i] for i in latest if i in found]
        speaker = _actor_key((shown[0][0].get("speaker") if shown else None) or {"name": "unattributed"})
        out.append({"speaker": speaker, "count": n, "quotes": [q for _, q in shown]})
    return out


def stances(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> dict[str, Any]:
    """Actors × issues: each cell the latest position, its evidence, and its recent history."""
    rows = store.query(
        f"WITH ss AS (SELECT * FROM temp.{_stance_rows(store, profile, filters)}),"
        f" top AS (SELECT actor FROM ss GROUP BY actor ORDER BY count(*) DESC, actor"
        f" LIMIT {STANCE_ACTORS})"
        f" SELECT actor, min(id), issue, count(*), count(DISTINCT position),"
        f" arg_max({{'id': id, 'position': position, 'date': happened}}, {_NEWEST_KEY}, {HISTORY})"
        f" FROM ss WHERE actor IN (SELECT actor FROM top) GROUP BY actor, issue ORDER BY actor, issue")
    latest = {r["id"]: r for r in records(store, profile, [r[5][0]["id"] for r in rows])}
    # an actor's label from one of its stances: read from the records of a few, not all
    one_each = list({actor: some for actor, some, *_ in rows}.values())
    labels: dict[str, str] = {actor: label for actor, label in store.query(
        f"SELECT {_STANCE_ACTOR}, {_STANCE_LABEL} FROM stances s WHERE s.id IN (SELECT unnest(?))",
        [one_each]) if label}
    cells, weight = [], Counter()
    for actor_id, _, issue, n, positions, history in rows:
        history = history[::-1]  # oldest first, the latest last
        top = latest.get(history[-1]["id"], {})
        weight[actor_id] += n
        cells.append({"actor": actor_id, "issue": issue, "position": history[-1]["position"],
                      "score": POSITION_SCORE.get(history[-1]["position"], 0.0), "count": n,
                      "latest": {**history[-1], "evidence": top.get("evidence"), "doc": top.get("doc"),
                                 "span": top.get("span"), "source": top.get("source")},
                      "history": history, "changed": positions > 1})
    names = {i.id: i.name for i in (profile.issues if profile else [])}
    statements = {i.id: i.statement for i in (profile.issues if profile else [])}
    used = {c["issue"] for c in cells}
    issues = [i for i in names if i in used] + sorted(used - set(names))
    order = sorted(weight, key=lambda a: (-weight[a], a))
    return {"actors": [{"id": a, "label": labels.get(a) or a} for a in order],
            "issues": [{"id": i, "name": names.get(i, i), "statement": statements.get(i, "")} for i in issues],
            "cells": cells, "positions": list(POSITIONS)}


# -- header, options, documents, search ------------------------------------------
def overview(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> dict[str, Any]:
    """What the record covers: reports, sources, dates and how sure they are, counts."""
    return _overview(coverage(store, profile, narrowed(filters, "coverage")),
                     event_summary(store, profile, filters),
                     record_counts(store, profile, narrowed(filters, "record_counts")), filters)


def _overview(docs: dict[str, Any], events_: dict[str, Any], records_: dict[str, int],
              filters: Filters) -> dict[str, Any]:
    counts = {"events": events_["events"], **records_, "actors": events_["actors"]}
    return {**docs, **{k: v for k, v in events_.items() if k not in ("events", "actors")},
            "counts": counts, "filters": filters.active()}


def coverage(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> dict[str, Any]:
    """The reports (of one source and process, the only filters it reads): how many, from where, dated how."""
    doc_where, doc_params = ["1=1"], []
    if filters.source:
        doc_where, doc_params = [f"{_SOURCE_LABEL} = ?"], [filters.source]
    if filters.process:
        doc_where.append("d.process = ?")
        doc_params.append(filters.process)
    docs_sql = f"FROM documents d WHERE {' AND '.join(doc_where)}"
    (reports, duplicates, first, last, given, from_text, inferred, coarse, unknown), = _zeros(store.query(
        "SELECT count_if(duplicate_of IS NULL), count_if(duplicate_of IS NOT NULL),"
        " min(published), max(published),"
        " count_if(published IS NOT NULL AND published_method = 'metadata'),"
        " count_if(published IS NOT NULL AND published_method = 'text'),"
        " count_if(published IS NOT NULL AND published_method = 'inferred'),"
        f" count_if(published IS NOT NULL AND published_precision IN {COARSE}),"
        f" count_if(published IS NULL) {docs_sql}", doc_params), keep=(2, 3))
    # The outlets (a report's own, else its address's host); the reports that
    # name none are counted, not listed by their file names.
    sources = store.query(f"SELECT {_OUTLET} AS s, count(*) AS n {docs_sql}"
                          f" AND s IS NOT NULL GROUP BY s ORDER BY n DESC, s", doc_params)
    (no_outlet,), = store.query(f"SELECT count_if({_OUTLET} IS NULL) {docs_sql}", doc_params)
    return {"reports": reports, "duplicates": duplicates, "sources_total": len(sources),
            "sources": [s for s, _ in sources[:OPTIONS]], "no_outlet": no_outlet or 0,
            "published": {"first": first, "last": last},
            "reports_dates": {"given": given, "from_text": from_text, "inferred": inferred,
                              "coarse": coarse, "unknown": unknown}}


def event_summary(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> dict[str, Any]:
    """The selected events: counts by type (one pass), dates and how sure they are,
    the actors among them, the latest."""
    sel, params = _selection(filters, profile, store)
    rows = store.query(
        f"{sel} SELECT type, count(*), min(happened), max(happened),"
        " count_if(basis = 'event' AND precision = 'day'),"
        f" count_if(basis = 'event' AND precision IN {COARSE}), count_if(basis = 'report'),"
        " count_if(happened IS NULL OR (basis = 'event' AND precision NOT IN ('day', 'month', 'year'))),"
        " count(DISTINCT doc),"
        f" arg_max(rid, CASE WHEN basis IS NOT NULL AND status = 'occurred'"
        f" THEN {_dated_key(at='happened')} END, 5)"
        " FROM sel GROUP BY GROUPING SETS ((type), ()) ORDER BY type NULLS LAST", params)
    total = next((r for r in rows if r[0] is None), None)
    n_events, ev_first, ev_last, day, coarse_events, from_report, undated, with_events = \
        _zeros([total[1:9]], keep=(1, 2))[0] if total else (0, None, None, 0, 0, 0, 0, 0)
    by_type = {r[0]: r[1] for r in rows if r[0] is not None}
    candidates = (total[9] if total else None) or []
    latest_events = sorted(event_views_at(store, profile, candidates), key=lambda e: e["date"] or "",
                           reverse=True)
    actors = store.query(
        f"{sel} SELECT count(DISTINCT coalesce(p.actor_id, p.name)) FROM participants p"
        " JOIN sel ON sel.id = p.event WHERE p.role IN ('actor', 'recipient')", params)[0][0]
    by_quad: Counter[str] = Counter()
    for type_, n in by_type.items():
        by_quad[QUAD.get(type_)] += n
    return {"events": n_events, "actors": actors, "reports_with_events": with_events,
            "events_dates": {"first": ev_first, "last": ev_last},
            "events_dates_quality": {"day": day, "coarse": coarse_events, "from_report": from_report,
                                     "undated": undated},
            "by_quad": dict(by_quad), "by_type": by_type,
            "latest": [e["id"] for e in latest_events], "latest_events": latest_events}


def record_counts(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> dict[str, int]:
    """How many quotes and stances pass the filters."""
    return {"quotes": _count_records(store, profile, filters, "q"),
            "stances": _count_records(store, profile, filters, "s")}


def _zeros(rows: list[tuple[Any, ...]], *, keep: tuple[int, ...]) -> list[tuple[Any, ...]]:
    """Counts over no rows come back as NULL: 0, except the columns in ``keep``."""
    return [tuple(v if v is not None or i in keep else 0 for i, v in enumerate(row)) for row in rows]


def _count_records(store: Store, profile: Profile | None, filters: Filters, alias: str) -> int:
    rows = _quote_rows if alias == "q" else _stance_rows
    return int(store.query(f"SELECT count(*) FROM temp.{rows(store, profile, filters)}")[0][0])


def options(store: Store, profile: Profile | None) -> dict[str, Any]:
    """The values each dashboard filter offers (the OPTIONS most frequent actors and sources)."""
    actors = store.query(
        "SELECT coalesce(actor_id, name) AS key, any_value(name), count(*) AS n, mode(code), mode(sector)"
        f" FROM participants WHERE key IS NOT NULL GROUP BY key ORDER BY n DESC, key LIMIT {OPTIONS}")
    sources = store.query(f"SELECT {_SOURCE_LABEL} AS s, count(*) AS n FROM documents d"
                          f" WHERE s IS NOT NULL GROUP BY s ORDER BY n DESC, s LIMIT {OPTIONS}")
    processes = store.query("SELECT process, count(*) FROM events WHERE process IS NOT NULL"
                            " GROUP BY process ORDER BY process")
    return {
        "processes": [{"id": name, "count": n,
                       "label": _title_of(profile, name) if name != "other" else "other (no profile)"}
                      for name, n in processes],
        "actors": [{"id": a, "label": n or a, "count": c, "code": code, "sector": sector}
                   for a, n, c, code, sector in actors],
        "types": [{"id": q, "label": v["label"]} for q, v in QUADS.items()] +
                 [{"id": t, "label": t.title()} for t in PLOVER_TYPES],
        "issues": [{"id": i.id, "name": i.name, "statement": i.statement}
                   for i in (profile.issues if profile else [])],
        "sources": sorted(s for s, _ in sources),
    }


def documents_index(store: Store, *, offset: int = 0, limit: int = PAGE) -> dict[str, Any]:
    """A page of the stored reports, newest first, with the total."""
    limit = max(1, min(int(limit), PAGE_MAX))
    offset = max(0, int(offset))
    total = store.count("documents")
    rows = store.query(f"SELECT id, title, {_SOURCE_LABEL}, published FROM documents d"
                       f" ORDER BY published DESC NULLS LAST, ingested_at DESC"
                       f" LIMIT {limit} OFFSET {offset}")
    return {"total": total, "offset": offset, "limit": limit,
            "items": [{"id": i, "title": t, "source": s, "published": p} for i, t, s, p in rows]}


def document(store: Store, doc_id: str) -> dict[str, Any] | None:
    """A report's text and every event, quote and stance span in it."""
    found = documents(store, [doc_id])
    return found[0] if found else None


def documents(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """Reports with their texts and spans, in the order given: one query per
    table for all of them (a query finds a report's records by scanning)."""
    if not ids:
        return []
    rows = store.query(f"SELECT id, record, {_SOURCE_LABEL} FROM documents d"
                       " WHERE id IN (SELECT unnest(?))", [ids])
    spans: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    for kind, table in (("event", "events"), ("quote", "quotes"), ("stance", "stances")):
        for doc_id, item in store.query(f"SELECT doc, record FROM {table} WHERE doc IN"
                                        " (SELECT unnest(?)) ORDER BY doc, span_start, id", [ids]):
            spans[doc_id].append(_span(kind, json.loads(item)))
    out = {}
    for doc_id, record, source in rows:
        doc = json.loads(record)
        out[doc_id] = {"id": doc["id"], "title": doc.get("title"), "source": source,
                       "path": file_name(doc.get("source")), "url": doc.get("url"), "outlet": doc.get("outlet"),
                       "published": doc.get("published"), "text": doc.get("text") or "",
                       "spans": spans[doc_id]}
    return [out[i] for i in ids if i in out]


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


def search(store: Store, q: str, *, limit: int = 50) -> dict[str, Any]:
    """Quotes and report passages that contain ``q`` (case-insensitive)."""
    q = (q or "").strip()
    if not q:
        return {"q": q, "quotes": [], "reports": []}
    pattern = word_regex(q)
    found_quotes = [json.loads(r) for (r,) in store.query(
        f"SELECT q.record FROM quotes q WHERE regexp_matches({_quote_text(store)}, ?) LIMIT ?",
        [pattern, limit])]
    reports = []
    for doc_id, title, source, record in store.query(
            f"SELECT id, title, {_SOURCE_LABEL}, record FROM documents d"
            " WHERE regexp_matches(json_extract_string(record, '$.text'), ?) ORDER BY ingested_at LIMIT ?",
            [pattern, limit]):
        text = json.loads(record).get("text") or ""
        reports.append({"doc": doc_id, "title": title, "source": source,
                        "matches": _matches(text, q)})
    return {"q": q, "reports": reports, "quotes": [
        {"id": x["id"], "doc": x["doc"], "span": x["span"], "text": x.get("text"),
         "speaker": _actor_key(x.get("speaker") or {"name": "unattributed"})["label"]}
        for x in found_quotes]}


def _matches(text: str, q: str, *, most: int = 5, around: int = 60) -> list[dict[str, Any]]:
    out = []
    for match in _word_pattern(q).finditer(text):
        s, e = match.span()
        out.append({"span": [s, e], "before": text[max(0, s - around):s], "match": text[s:e],
                    "after": text[e:e + around]})
        if len(out) == most:
            break
    return out


# The parts of the first view, and the filters each reads: quotes and stances
# have no event type; the reports' coverage reads only the source. A part
# computed for some filters serves every view that narrows it the same way.
_ALL = tuple(f.name for f in fields(Filters))
_RECORDS = tuple(n for n in _ALL if n != "type")
PARTS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "coverage": (coverage, ("source", "process")), "event_summary": (event_summary, _ALL),
    "record_counts": (record_counts, _RECORDS), "timeline": (timeline, _ALL),
    "tracks": (tracks, _ALL), "network": (network, _ALL), "places": (places, _ALL),
    "stances": (stances, _RECORDS), "quotes": (quotes, _RECORDS), "events": (events_page, _ALL),
    "counts": (counts, _ALL),
    "mediation": (lambda *a: _questions().mediation(*a), _ALL),
    "incidents": (lambda *a: _questions().incidents(*a), _ALL)}


def _questions():
    """The views that answer an analyst's questions build on these (imported late)."""
    from . import questions
    return questions


def narrowed(filters: Filters, part: str) -> Filters:
    """The filters a part reads (the others left empty)."""
    return Filters(**{name: getattr(filters, name) for name in PARTS[part][1]})


def dashboard(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> dict[str, Any]:
    """The first view, in one answer: the overview, every chart's marks and the
    first page of events. Its size is bounded by what it draws, not by the store."""
    return assemble({name: compute(store, profile, narrowed(filters, name))
                     for name, (compute, _) in PARTS.items()}, profile, filters)


def assemble(parts: dict[str, Any], profile: Profile | None, filters: Filters) -> dict[str, Any]:
    """The first view from its parts (``PARTS``)."""
    return {
        "overview": _overview(parts["coverage"], parts["event_summary"], parts["record_counts"],
                              filters),
        "quads": QUADS, "types": list(PLOVER_TYPES), "quad_of": QUAD,
        **{name: parts[name] for name in ("timeline", "tracks", "network", "places", "stances",
                                          "quotes", "events", "mediation", "incidents", "counts")},
        "profile": _profile_view(profile, filters.process),
        "limits": {"points": POINTS, "mark_ids": MARK_IDS, "page": PAGE},
    }


def _profile_view(profile: Profile | None, process: str | None) -> dict[str, Any] | None:
    """The profile the views are drawn for: the filtered process's own, when
    several are active (its countries are the map's region)."""
    if profile is None:
        return None
    shown = next((m for m in profile.members if m.name == process), profile) if process else profile
    return {"name": shown.name, "title": shown.title, "countries": list(shown.countries),
            "processes": [m.name for m in profile.members] or [profile.name]}


__all__ = ["PARTS", "Filters", "QUADS", "assemble", "count_events", "coverage", "event_summary",
           "narrowed", "record_counts", "dashboard", "document", "documents", "documents_index",
           "event_views", "events", "events_page", "issues_in", "network", "options", "overview",
           "places", "quotes", "records", "search", "spring_layout", "stances", "timeline", "tracks"]
