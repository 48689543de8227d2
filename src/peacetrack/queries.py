"""Ask the record: who said what, where each party stands, and how a
position changed over time (filters by actor, issue, source, date range).

Reads through ``store.Store`` (its tables quotes, stances, documents).
Dates are ISO strings at their own precision ('2023', '2023-02',
'2023-02-27'); a range keeps a record whose date falls in it at that
precision ('2023-02' is within --until 2023-02-10).
"""

from __future__ import annotations

import calendar
import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import FilterError
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


# what each kind of record's id starts with, and its table
ID_TABLES = {"e-": "events", "q-": "quotes", "s-": "stances"}


def record(store: Store, record_id: str) -> dict[str, Any] | None:
    """One stored event, quote or stance by its id (or a unique prefix):
    ``e-``, ``q-`` and ``s-`` ids name their table; another id is looked
    for among the events."""
    table = next((t for prefix, t in ID_TABLES.items() if record_id.startswith(prefix)), "events")
    return _by_id(store, table, record_id)


def _by_id(store: Store, table: str, record_id: str) -> dict[str, Any] | None:
    rows = store.query(f"SELECT record FROM {table} WHERE id = ? OR id LIKE ? ORDER BY id LIMIT 2",
                       [record_id, f"{record_id}%"])
    exact = [r for r in rows if json.loads(r[0])["id"] == record_id]
    if exact or len(rows) == 1:
        return json.loads((exact or rows)[0][0])
    return None


def explain_lines(record: dict[str, Any]) -> list[str]:
    """What decided a record, for a reader. An event: its sentence and
    trigger, every rule and model that acted on it with its score, and its
    other mentions; a quote: its words, speaker and how the speaker was
    found; a stance: its sentence, holder, issue and position, and how each
    was found."""
    kind = record.get("kind", "event")
    if kind == "quote":
        speaker = record.get("speaker") or {}
        lines = [f"quote {record['id']}  ({'direct' if record.get('direct') else 'indirect'})",
                 f"  words:   {' '.join(record['text'].split())[:200]}",
                 f"  speaker: {speaker.get('id') or speaker.get('text') or '?'}"
                 + (f" (cue {record['cue']!r})" if record.get("cue") else "")]
    elif kind == "stance":
        actor = record.get("actor") or {}
        lines = [f"stance {record['id']}  {actor.get('id') or actor.get('code') or '?'} "
                 f"{record['position']} {record['issue']}",
                 f"  sentence: {' '.join(record['evidence'].split())}"]
    else:
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
        told = mention.get("sentence") or mention.get("evidence") or ""
        lines.append(f"  also told: {' '.join(told.split())[:160]}")
    return lines


# -- checking filters, and what there is to filter by (issue 17) ------------------

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
KIND_TABLES = {"quotes": "quotes", "stances": "stances"}


def check_date(value: str, flag: str) -> str:
    """An ISO date at any precision ('2023', '2023-02', '2023-02-27') that exists."""
    match = _ISO.match(value.strip())
    if match is None:
        raise FilterError(f"{flag} {value!r} is not a date: give an ISO date at any precision, "
                          "e.g. 2023, 2023-02 or 2023-02-27")
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is not None and not 1 <= month <= 12:
        raise FilterError(f"{flag} {value!r}: there is no month {month}")
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise FilterError(f"{flag} {value!r}: there is no such day")
    return value.strip()


def check_filters(store: Store, filters: Filters, *, kind: str,
                  issues: tuple[str, ...] = ()) -> Filters:
    """The filters, checked: dates that are dates, an issue the store or the
    profile (``issues``) knows, an actor some record names. A ``FilterError``
    says what exists instead."""
    since = check_date(filters.since, "--since") if filters.since else None
    until = check_date(filters.until, "--until") if filters.until else None
    if since and until and since[:len(until)] > until[:len(since)]:
        raise FilterError(f"--since {since} is after --until {until}: nothing can match")
    if filters.issue:
        known = sorted(set(issues) | set(stored_issues(store)))
        if filters.issue not in known:
            raise FilterError(f"no issue {filters.issue!r}{_did_you_mean(filters.issue, known)}; "
                              f"issues: {', '.join(known) or 'none'} (peacetrack list issues)")
    if filters.actor:
        who = "speaker" if kind == "quotes" else "actor"
        if not _names_someone(store, filters.actor, kind):
            ids = [row["id"] for row in actors(store) if row["id"]]
            raise FilterError(f"no {who} in the store is {filters.actor!r} or has it in their name"
                              f"{_did_you_mean(filters.actor, ids)} (peacetrack list actors)")
    return Filters(actor=filters.actor, issue=filters.issue, source=filters.source, since=since,
                   until=until, position=filters.position)


def _did_you_mean(value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value.lower(), known, n=2, cutoff=0.75)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


def _names_someone(store: Store, actor: str, kind: str) -> bool:
    table, alias, column, path = ("quotes", "q", "speaker", "$.speaker") if kind == "quotes" \
        else ("stances", "s", "actor_id", "$.actor")
    name = (f"lower(coalesce(json_extract_string({alias}.record, '{path}.name'), "
            f"json_extract_string({alias}.record, '{path}.text')))")
    rows = store.query(f"SELECT 1 FROM {table} {alias} WHERE {alias}.{column} = ? OR {name} LIKE ? "
                       "LIMIT 1", [actor, f"%{actor.lower()}%"])
    return bool(rows)


def stored_issues(store: Store) -> list[str]:
    return [row[0] for row in store.query(
        "SELECT DISTINCT issue FROM stances WHERE issue IS NOT NULL ORDER BY issue")]


def what_there_is(store: Store, kind: str) -> str:
    """One line on what a record table holds, for a query that found nothing."""
    table = KIND_TABLES[kind]
    count, first, last = store.query(f"SELECT count(*), min(date), max(date) FROM {table}")[0]
    if not count:
        return f"the store holds no {kind}"
    span = f", dated {first} to {last}" if first else ""
    return f"the store holds {count:,} {kind}{span}"


def issues(store: Store | None, profile_issues: list[Any]) -> list[dict[str, Any]]:
    """The issues one may filter by: the profile's, then any other the store's
    stances are on, with how many stances each has."""
    counts = dict(store.query("SELECT issue, count(*) FROM stances GROUP BY issue")) \
        if store is not None else {}
    rows = [{"id": i.id, "name": i.name, "stances": counts.pop(i.id, 0), "in_profile": True}
            for i in profile_issues]
    rows += [{"id": issue, "name": None, "stances": n, "in_profile": False}
             for issue, n in sorted(counts.items()) if issue]
    return rows


def actors(store: Store) -> list[dict[str, Any]]:
    """Everyone the records name, with how many events, quotes and stances
    each is in (an id when known, else the words): what --actor and
    --speaker match."""
    rows = store.query("""
        WITH named AS (
            SELECT actor_id AS id, name, code, sector, 'events' AS kind FROM participants
            UNION ALL
            SELECT speaker, coalesce(json_extract_string(record, '$.speaker.name'),
                                     json_extract_string(record, '$.speaker.text')),
                   json_extract_string(record, '$.speaker.code'),
                   json_extract_string(record, '$.speaker.sector'), 'quotes'
            FROM quotes WHERE json_extract_string(record, '$.speaker') IS NOT NULL
            UNION ALL
            SELECT actor_id, coalesce(json_extract_string(record, '$.actor.name'),
                                      json_extract_string(record, '$.actor.text')),
                   json_extract_string(record, '$.actor.code'),
                   json_extract_string(record, '$.actor.sector'), 'stances' FROM stances)
        SELECT id, any_value(name), any_value(code), any_value(sector),
               count(*) FILTER (WHERE kind = 'events'), count(*) FILTER (WHERE kind = 'quotes'),
               count(*) FILTER (WHERE kind = 'stances')
        FROM named WHERE coalesce(id, name) IS NOT NULL
        GROUP BY id, CASE WHEN id IS NULL THEN name END
        ORDER BY count(*) DESC, id NULLS LAST, any_value(name)""")
    return [{"id": r[0], "name": r[1], "code": r[2], "sector": r[3], "events": r[4],
             "quotes": r[5], "stances": r[6]} for r in rows]
