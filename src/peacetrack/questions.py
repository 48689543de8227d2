"""Views that answer an analyst's questions (issue 19), over the same store and
filters as ``views``:

- *who mediated what, when, and which track was active in a year*:
  ``mediation`` (events per track and year, undated ones counted, and the
  mediated events themselves, with their mediators and parties);
- *how did a party's position on an issue change*: ``position_history``
  (the dated steps of its stances, each with its evidence sentence, people
  rolled up to the state they speak for, and what the party said or did
  naming the issue);
- *what did a party say about an issue*: the same view's quotes and stances
  (and, when it said nothing on that issue, what it said on others);
- *which events are disputed between sources*: ``incidents`` (happenings
  told by several reports: how many outlets, and each source's version where
  they disagree).

Every item carries its document and span, so that each answer leads back to
its sentence (SPEC §2).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from .profile import Profile
from .store import Store
from .views import (
    _SOURCE_LABEL,
    NO_FILTERS,
    PAGE_MAX,
    Filters,
    _actor_key,
    _dated_key,
    _quote_text,
    _selection,
    _tracked,
    event_views,
    event_views_at,
    issue_regex,
    issues_in,
    lane_id,
)

INCIDENTS = 100      # corroborated incidents listed, the most reported first
HISTORY_ITEMS = 200  # quotes and events listed beside a position history
# Who speaks for a state when people are rolled up to it: its government,
# parliament and armed forces (SPEC §2 sectors), not its rebels or civilians
# (the Karabakh authorities are coded AZE REB, and are not Azerbaijan).
STATE_SECTORS = "('GOV', 'LEG', 'MIL')"


# -- who mediated what, when -----------------------------------------------------
def mediation(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> dict[str, Any]:
    """Events per mediation track and year (undated ones in a column of their
    own), the tracks active in each year, and the mediated events: those of a
    track, and those with a mediator whatever the track, newest first."""
    shown = [t for t in (profile.tracks if profile else [])
             if not filters.process or not t.process or t.process == filters.process]
    several = len({t.process for t in shown}) > 1
    names = {lane_id(t): (f"{_process_title(profile, t.process)}: {t.name}" if several else t.name)
             for t in shown}
    sel, params = _selection(filters, profile, store)
    union = _tracked(store, sel, params, shown)
    counts: dict[str, Counter[str]] = {lane_id(t): Counter() for t in shown}
    # Counted in the store (a million reports hold many track events); the events
    # listed are the newest PAGE_MAX, mediated or of a track.
    tracked = union or ", tracked AS (SELECT NULL AS track, * FROM sel WHERE false) "
    if union:
        for track, year, n in store.query(
                f"{sel}{tracked} SELECT track, coalesce(left(happened, 4), 'undated') AS y, count(*)"
                " FROM tracked GROUP BY track, y ORDER BY track, y", params):
            counts[track][year] += n
    chosen = (f"{sel}{tracked}, chosen AS (SELECT rid, happened FROM sel WHERE id IN (SELECT event FROM"
              " participants WHERE role = 'mediator') UNION SELECT rid, happened FROM tracked)")
    (total, undated, rids), = store.query(  # one pass: counts and the newest (a top-n aggregate)
        f"{chosen} SELECT count(*), count_if(happened IS NULL),"
        f" arg_max(rid, {_dated_key('rid')}, {PAGE_MAX}) FROM chosen", params)
    items = event_views_at(store, profile, list(rids or []))
    items.sort(key=lambda e: e["date"] or "", reverse=True)
    years = sorted({y for c in counts.values() for y in c if y != "undated"})
    lanes = [{"id": k, "name": names[k], "process": t.process, "counts": dict(counts[k]),
              "total": sum(counts[k].values()), "undated": counts[k]["undated"]}
             for t in shown for k in [lane_id(t)]]
    active = {y: [lane["name"] for lane in lanes if lane["counts"].get(y)] for y in years}
    return {"lanes": lanes, "years": years, "active": active, "events": items,
            "total": int(total or 0), "undated": int(undated or 0)}


def _process_title(profile: Profile | None, process: str | None) -> str:
    members = (profile.members or (profile,)) if profile else ()
    return next((m.title or m.name for m in members if m.name == process), process or "")


# -- how a party's position changed ---------------------------------------------
def side_of(store: Store, actor: str) -> dict[str, Any]:
    """An actor id (or name) with its label and the code of the state or
    organisation it acts for (SPEC §2 actor `code`)."""
    rows = store.query("SELECT any_value(name), mode(code) FROM participants"
                       " WHERE actor_id = ? OR name = ?", [actor, actor])
    name, code = rows[0] if rows else (None, None)
    if code is None:
        found = store.query(
            "SELECT json_extract_string(record, '$.actor.name'), json_extract_string(record, '$.actor.code')"
            " FROM stances WHERE actor_id = ? UNION ALL"
            " SELECT json_extract_string(record, '$.speaker.name'), json_extract_string(record, '$.speaker.code')"
            " FROM quotes WHERE speaker = ? LIMIT 1", [actor, actor])
        if found:
            name, code = name or found[0][0], found[0][1]
    return {"id": actor, "label": name or actor, "code": code}


def _side_clause(column_id: str, record_path: str, alias: str, side: dict[str, Any],
                 rollup: bool) -> tuple[str, list[Any]]:
    """An actor, or (rolled up) everyone who acts for its state or organisation."""
    if rollup and side["code"]:
        return (f"({alias}.{column_id} = ? OR (json_extract_string({alias}.record, '{record_path}.code') = ?"
                f" AND json_extract_string({alias}.record, '{record_path}.sector') IN {STATE_SECTORS}))",
                [side["id"], side["code"]])
    return f"{alias}.{column_id} = ?", [side["id"]]


def position_history(store: Store, profile: Profile | None, actor: str, issue: str, *,
                     rollup: bool = True, filters: Filters = NO_FILTERS) -> dict[str, Any]:
    """How ``actor``'s position on ``issue`` changed: its stances oldest first,
    each a step with its evidence sentence (a dated step that differs from the
    dated one before is marked ``changed``); rolled up, the stances of everyone who acts
    for its state count (Aliyev's are Azerbaijan's). Beside them, its quotes
    and events that name the issue, and, when it took no position on the issue,
    the issues it did take positions on."""
    side = side_of(store, actor)
    who, who_params = _side_clause("actor_id", "$.actor", "s", side, rollup)
    extra, extra_params = _process_clause(filters, "s")
    rows = store.query(
        f"SELECT s.record, {_SOURCE_LABEL}, d.title, d.published FROM stances s"
        f" JOIN documents d ON d.id = s.doc WHERE d.duplicate_of IS NULL AND s.issue = ? AND {who}{extra}"
        " ORDER BY coalesce(s.date, d.published) NULLS LAST, d.ingested_at, s.span_start",
        [issue, *who_params, *extra_params])
    steps, previous = [], None  # the position before, when it is dated
    for record, source, title, published in rows:
        r = json.loads(record)
        date, basis = (r.get("date") or {}).get("value"), "stance"
        if not date and published:
            date, basis = published, "report"
        steps.append({"id": r["id"], "doc": r["doc"], "span": r["span"], "position": r["position"],
                      "evidence": r.get("evidence") or "", "date": date, "date_basis": basis if date else None,
                      "by": _actor_key(r.get("actor") or {})["label"], "source": source, "title": title,
                      # an undated step has no place in the order: it changes nothing
                      "changed": bool(date) and previous is not None and r["position"] != previous})
        previous = r["position"] if date else None
    return {"actor": side, "issue": _issue_view(profile, issue), "rollup": rollup,
            "steps": steps, "quotes": _side_quotes(store, profile, side, issue, rollup, filters),
            "events": _side_events(store, profile, side, issue, rollup, filters),
            "other_issues": [] if steps else _other_issues(store, profile, side, rollup, filters)}


def _process_clause(filters: Filters, alias: str) -> tuple[str, list[Any]]:
    if not filters.process:
        return "", []
    column = "s.process" if alias == "s" else "d.process"
    return f" AND {column} = ?", [filters.process]


def _issue_view(profile: Profile | None, issue: str) -> dict[str, Any]:
    found = next((i for i in (profile.issues if profile else []) if i.id == issue), None)
    return {"id": issue, "name": found.name if found else issue,
            "statement": found.statement if found else ""}


def _side_quotes(store: Store, profile: Profile | None, side: dict[str, Any], issue: str,
                 rollup: bool, filters: Filters) -> list[dict[str, Any]]:
    who, params = _side_clause("speaker", "$.speaker", "q", side, rollup)
    extra, extra_params = _process_clause(filters, "q")
    rows = store.query(
        f"SELECT q.record, {_SOURCE_LABEL}, d.published FROM quotes q JOIN documents d ON d.id = q.doc"
        f" WHERE d.duplicate_of IS NULL AND {who}{extra}"
        f" AND regexp_matches({_quote_text(store)}, ?)"
        f" ORDER BY coalesce(q.date, d.published) NULLS LAST LIMIT {HISTORY_ITEMS}",
        [*params, *extra_params, issue_regex(profile, issue)])
    out = []
    for record, source, published in rows:
        r = json.loads(record)
        out.append({"id": r["id"], "doc": r["doc"], "span": r["span"], "text": r.get("text"),
                    "direct": r.get("direct"), "speaker": _actor_key(r.get("speaker") or {})["label"],
                    "date": (r.get("date") or {}).get("value") or published, "source": source})
    return out


def _side_events(store: Store, profile: Profile | None, side: dict[str, Any], issue: str,
                 rollup: bool, filters: Filters) -> list[dict[str, Any]]:
    """Events the side acts in or is the target of, whose sentence names the issue."""
    sel, params = _selection(Filters(process=filters.process, issue=issue), profile, store)
    who = "p.actor_id = ?" + (f" OR (p.code = ? AND p.sector IN {STATE_SECTORS})"
                              if rollup and side["code"] else "")
    who_params = [side["id"]] + ([side["code"]] if rollup and side["code"] else [])
    rids = [r for (r,) in store.query(
        f"{sel} SELECT rid FROM sel WHERE id IN (SELECT event FROM participants p"
        f" WHERE p.role IN ('actor', 'recipient') AND ({who}))"
        f" ORDER BY happened NULLS LAST LIMIT {HISTORY_ITEMS}", params + who_params)]
    return event_views_at(store, profile, rids)


def _other_issues(store: Store, profile: Profile | None, side: dict[str, Any], rollup: bool,
                  filters: Filters) -> list[dict[str, Any]]:
    who, params = _side_clause("actor_id", "$.actor", "s", side, rollup)
    extra, extra_params = _process_clause(filters, "s")
    rows = store.query(f"SELECT s.issue, count(*) AS n, list(DISTINCT s.position) FROM stances s"
                       f" JOIN documents d ON d.id = s.doc WHERE d.duplicate_of IS NULL AND {who}{extra}"
                       " GROUP BY s.issue ORDER BY n DESC, s.issue", params + extra_params)
    return [{**_issue_view(profile, i), "count": n, "positions": sorted(p)} for i, n, p in rows]


# -- corroborated and disputed ------------------------------------------------------
def incidents(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS) -> dict[str, Any]:
    """Happenings told by more than one report (``reported by N outlets``), the
    most reported first, and among them those whose sources disagree, each
    with every source's version (SPEC §2 incident ``versions``)."""
    sel, params = _selection(filters, profile, store)
    rows = store.query(
        f"{sel} SELECT i.record FROM incidents i WHERE i.id IN (SELECT e.incident FROM events e WHERE e.id IN (SELECT id FROM sel))"
        " AND (i.sources > 1 OR i.disputed)"
        f" ORDER BY i.disputed DESC, i.sources DESC, i.date DESC NULLS LAST LIMIT {INCIDENTS}", params)
    found = [json.loads(r) for (r,) in rows]
    events = {e["id"]: e for e in event_views(store, profile, [i for r in found for i in r["events"]])}
    outlets = _doc_labels(store, [d for r in found for d in r["docs"]])
    items = []
    for r in found:
        told = [events[i] for i in r["events"] if i in events]
        items.append({
            "id": r["id"], "type": r["type"], "status": r.get("status"),
            "date": (r.get("date") or {}).get("value"), "place": (r.get("location") or {}).get("name"),
            "actors": [_actor_key(a)["label"] for a in r.get("actor") or []],
            "recipients": [_actor_key(a)["label"] for a in r.get("recipient") or []],
            "reports": len(r["docs"]), "outlets": sorted({outlets.get(d, d) for d in r["docs"]}),
            "disputed": bool(r.get("disputed")),
            "versions": [{"field": v["field"], "value": _version_value(v["field"], v["value"]),
                          "sources": [outlets.get(d, d) for d in v.get("docs") or []]}
                         for v in r.get("versions") or []],
            "events": told})
    return {"items": items, "corroborated": len(items),
            "disputed": sum(1 for i in items if i["disputed"])}


def _doc_labels(store: Store, ids: list[str]) -> dict[str, str]:
    rows = store.query(f"SELECT d.id, {_SOURCE_LABEL} FROM documents d WHERE d.id IN (SELECT unnest(?))",
                       [list(set(ids))])
    return {i: label or i for i, label in rows}


def _version_value(field: str, value: Any) -> str:
    """A version as words: a date with its precision, a status, the sides."""
    if isinstance(value, dict) and "value" in value:
        shown = value["value"] + (f" to {value['end']}" if value.get("end") else "")
        if value.get("method") == "report":
            return f"{shown} (the week before its report)"
        return shown if value.get("precision") == "day" else f"{shown} ({value.get('precision')})"
    if isinstance(value, list):
        return ", ".join(_actor_key(a)["label"] if isinstance(a, dict) else str(a) for a in value) or "none"
    return str(value)


def history_records(store: Store, profile: Profile | None, filters: Filters = NO_FILTERS, *,
                    limit: int = 2_000) -> dict[str, Any]:
    """What the static report needs to draw any position history in the page
    (it has no server to ask): the newest ``limit`` stances, and quotes that
    name an issue, each with its speaker's code and sector (for the roll-up)."""
    out: dict[str, list[dict[str, Any]]] = {"stances": [], "quotes": []}
    extra, params = _process_clause(filters, "s")
    for record, source, title, published in store.query(
            f"SELECT s.record, {_SOURCE_LABEL}, d.title, d.published FROM stances s JOIN documents d"
            f" ON d.id = s.doc WHERE d.duplicate_of IS NULL{extra}"
            f" ORDER BY coalesce(s.date, d.published) DESC NULLS LAST, s.id LIMIT {int(limit)}", params):
        r = json.loads(record)
        date = (r.get("date") or {}).get("value")
        out["stances"].append({
            "id": r["id"], "doc": r["doc"], "span": r["span"], "issue": r["issue"],
            "position": r["position"], "evidence": r.get("evidence") or "",
            "date": date or published, "date_basis": ("stance" if date else "report") if date or published else None,
            "actor": _who(r.get("actor")), "source": source, "title": title})
    extra, params = _process_clause(filters, "q")
    for record, source, published in store.query(
            f"SELECT q.record, {_SOURCE_LABEL}, d.published FROM quotes q JOIN documents d ON d.id = q.doc"
            f" WHERE d.duplicate_of IS NULL{extra}"
            f" ORDER BY coalesce(q.date, d.published) DESC NULLS LAST, q.id LIMIT {int(limit)}", params):
        r = json.loads(record)
        named = issues_in(r.get("text") or "", profile)
        if named:
            out["quotes"].append({
                "id": r["id"], "doc": r["doc"], "span": r["span"], "text": r.get("text"),
                "direct": r.get("direct"), "issues": named, "speaker": _who(r.get("speaker")),
                "date": (r.get("date") or {}).get("value") or published, "source": source})
    return out


def _who(actor: dict[str, Any] | None) -> dict[str, Any]:
    key = _actor_key(actor or {"name": "unattributed"})
    return {"id": key["id"], "label": key["label"], "code": key["code"], "sector": key["sector"]}


__all__ = ["history_records", "incidents", "mediation", "position_history", "side_of"]
