"""Ask the record: who said what, where each party stands, and how a
position changed over time (filters by actor, issue, source, date range).

Reads through ``store.Store`` (its tables quotes, stances, documents).
Dates are ISO strings at their own precision ('2023', '2023-02',
'2023-02-27'); a range keeps a record whose date falls in it at that
precision ('2023-02' is within --until 2023-02-10).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .store import Store

TABLES = {"q": "quotes", "s": "stances"}


@dataclass(frozen=True)
class Filters:
    """What an analyst asks for; every field is optional."""

    actor: str | None = None    # entity id ('sergey-lavrov') or part of a name ('lavrov')
    issue: str | None = None    # issue slug ('lachin-corridor')
    source: str | None = None   # part of the source file, URL or outlet
    since: str | None = None    # ISO date, inclusive
    until: str | None = None    # ISO date, inclusive
    position: str | None = None  # stances only


@dataclass
class HistoryRow:
    """One date of an actor's position on an issue, with its evidence."""

    date: str | None
    positions: list[str]
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "positions": self.positions, "evidence": self.evidence}


def _where(filters: Filters, table: str, actor_column: str, actor_json: str) -> tuple[str, list]:
    """SQL conditions and parameters for the filters on a record table."""
    sql, params = ["TRUE"], []
    if filters.actor:
        # an exact entity id wins ('russia' is not 'russian-peacekeepers'); else part of a name
        name = (f"lower(coalesce(json_extract_string({table}.record, '{actor_json}.name'), "
                f"json_extract_string({table}.record, '{actor_json}.text')))")
        sql.append(f"({table}.{actor_column} = ? OR (NOT EXISTS (SELECT 1 FROM {TABLES[table]} x "
                   f"WHERE x.{actor_column} = ?) AND {name} LIKE ?))")
        params += [filters.actor, filters.actor, f"%{filters.actor.lower()}%"]
    if filters.source:
        sql.append("(lower(coalesce(d.source, '') || ' ' || coalesce(d.url, '') || ' ' || "
                   "coalesce(d.outlet, '')) LIKE ?)")
        params.append(f"%{filters.source.lower()}%")
    if filters.since:
        sql.append(f"substr({table}.date, 1, length(?)) >= substr(?, 1, length({table}.date))")
        params += [filters.since, filters.since]
    if filters.until:  # compare at the shorter precision: '2023-02' is within '2023-02-10'
        sql.append(f"substr({table}.date, 1, length(?)) <= substr(?, 1, length({table}.date))")
        params += [filters.until, filters.until]
    return " AND ".join(sql), params


def quotes(store: Store, filters: Filters | None = None, **given: Any) -> list[dict[str, Any]]:
    """Quote records, oldest first; ``issue`` keeps quotes that carry a stance on it.
    ``speaker`` is another name for ``actor``."""
    if "speaker" in given:
        given["actor"] = given.pop("speaker")
    filters = filters or Filters(**given)
    where, params = _where(filters, "q", "speaker", "$.speaker")
    if filters.issue:
        where += (" AND EXISTS (SELECT 1 FROM stances s WHERE s.doc = q.doc AND s.issue = ?"
                  " AND s.span_start < q.span_end AND q.span_start < s.span_end)")
        params.append(filters.issue)
    rows = store.query(
        f"SELECT q.record, d.source FROM quotes q LEFT JOIN documents d ON d.id = q.doc "
        f"WHERE {where} ORDER BY q.date NULLS LAST, q.doc, q.span_start", params)
    return [_with_source(record, source) for record, source in rows]


def stances(store: Store, filters: Filters | None = None, **given: Any) -> list[dict[str, Any]]:
    """Stance records, oldest first."""
    filters = filters or Filters(**given)
    where, params = _where(filters, "s", "actor_id", "$.actor")
    for column, value in (("issue", filters.issue), ("position", filters.position)):
        if value:
            where += f" AND s.{column} = ?"
            params.append(value)
    rows = store.query(
        f"SELECT s.record, d.source FROM stances s LEFT JOIN documents d ON d.id = s.doc "
        f"WHERE {where} ORDER BY s.date NULLS LAST, s.doc, s.span_start", params)
    return [_with_source(record, source) for record, source in rows]


def position_history(store: Store, actor: str, issue: str,
                     filters: Filters | None = None) -> list[HistoryRow]:
    """How an actor's position on an issue changed: one row per date, with the
    positions taken that day and the evidence for each."""
    base = filters or Filters()
    asked = Filters(actor=actor, issue=issue, source=base.source, since=base.since,
                    until=base.until, position=base.position)
    rows: list[HistoryRow] = []
    for record in stances(store, asked):
        date = (record.get("date") or {}).get("value")
        if not rows or rows[-1].date != date:
            rows.append(HistoryRow(date, []))
        if record["position"] not in rows[-1].positions:
            rows[-1].positions.append(record["position"])
        rows[-1].evidence.append({"position": record["position"], "text": record["evidence"],
                                  "doc": record["doc"], "source": record.get("source")})
    return rows


def _with_source(record: str, source: str | None) -> dict[str, Any]:
    out = json.loads(record)
    out["source"] = source
    return out


def event(store: Store, event_id: str) -> dict[str, Any] | None:
    """One stored event record by its id (or a unique prefix of it)."""
    rows = store.query("SELECT record FROM events WHERE id = ? OR id LIKE ? ORDER BY id LIMIT 2",
                       [event_id, f"{event_id}%"])
    exact = [r for r in rows if json.loads(r[0])["id"] == event_id]
    if exact or len(rows) == 1:
        return json.loads((exact or rows)[0][0])
    return None


def explain_lines(record: dict[str, Any]) -> list[str]:
    """What decided an event, for a reader: its sentence and trigger, every
    rule and model that acted on it with its score, and its other mentions."""
    lines = [f"event {record['id']}  {record['type']} ({record.get('status')})",
             f"  sentence: {' '.join(record['sentence'].split())}",
             f"  trigger:  {record['trigger']!r} at {record['span']}"]
    for name in ("actor", "recipient", "mediator"):
        people = ", ".join(a.get("id") or a.get("text") or "?" for a in record.get(name) or [])
        if people:
            lines.append(f"  {name}: {people}")
    lines.append("  decided by:")
    for step in record.get("decided_by") or []:
        extra = {k: v for k, v in step.items() if k != "by"}
        detail = " ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in extra.items())
        lines.append(f"    - {step['by']}" + (f"  {detail}" if detail else ""))
    for mention in record.get("mentions") or []:
        lines.append(f"  also told: {' '.join(mention['sentence'].split())[:160]}")
    return lines
