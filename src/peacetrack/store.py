"""The DuckDB store: schema, batched writes and reads (the only duckdb import).

Each record is kept whole as its export JSON (``record``) beside the columns
that queries filter on. A batch of analysed reports is written in one
transaction, as Arrow appends rather than row-by-row inserts.
"""

from __future__ import annotations

import json
import os
import socket
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from .errors import StoreError
from .incidents import Incident, fuse, report_window
from .records import Analysis, Problem

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id VARCHAR PRIMARY KEY, ref VARCHAR, source VARCHAR, url VARCHAR, outlet VARCHAR,
    title VARCHAR, published VARCHAR, published_precision VARCHAR, published_method VARCHAR,
    language VARCHAR, removed_chars INTEGER, duplicate_of VARCHAR,
    fingerprint UBIGINT, band0 UTINYINT, band1 UTINYINT, band2 UTINYINT, band3 UTINYINT,
    band4 UTINYINT, band5 UTINYINT, band6 UTINYINT, band7 UTINYINT,
    n_words INTEGER, ingested_at DOUBLE, record VARCHAR);
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR, doc VARCHAR, span_start INTEGER, span_end INTEGER, type VARCHAR,
    mode VARCHAR, status VARCHAR, date VARCHAR, date_precision VARCHAR,
    place VARCHAR, country VARCHAR, lat DOUBLE, lon DOUBLE, confidence DOUBLE,
    record VARCHAR);
ALTER TABLE events ADD COLUMN IF NOT EXISTS incident VARCHAR;
CREATE TABLE IF NOT EXISTS incidents (
    id VARCHAR, type VARCHAR, status VARCHAR, date VARCHAR, date_precision VARCHAR,
    date_lo DATE, date_hi DATE, place VARCHAR, country VARCHAR, sources INTEGER,
    disputed BOOLEAN, record VARCHAR);
CREATE TABLE IF NOT EXISTS participants (
    event VARCHAR, doc VARCHAR, role VARCHAR, actor_id VARCHAR, name VARCHAR,
    code VARCHAR, sector VARCHAR);
CREATE TABLE IF NOT EXISTS quotes (
    id VARCHAR, doc VARCHAR, span_start INTEGER, span_end INTEGER, speaker VARCHAR,
    direct BOOLEAN, date VARCHAR, record VARCHAR);
CREATE TABLE IF NOT EXISTS stances (
    id VARCHAR, doc VARCHAR, span_start INTEGER, span_end INTEGER, actor_id VARCHAR,
    issue VARCHAR, position VARCHAR, date VARCHAR, record VARCHAR);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER, started DOUBLE, finished DOUBLE, summary VARCHAR);
ALTER TABLE runs ADD COLUMN IF NOT EXISTS status VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS pid INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS host VARCHAR;
CREATE TABLE IF NOT EXISTS problems (
    run INTEGER, source VARCHAR, line INTEGER, reason VARCHAR, message VARCHAR);
ALTER TABLE documents ADD COLUMN IF NOT EXISTS process VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS process VARCHAR;
ALTER TABLE stances ADD COLUMN IF NOT EXISTS process VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS sentence VARCHAR;
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS text VARCHAR;
"""
# An event's sentence and a quote's words as columns of their own, for the
# views' word and issue filters (a regular expression over a column, not over
# each record's JSON); filled once, when the column is added to a store that
# held records before it.
TEXT_COLUMNS = {("events", "sentence"): "$.sentence", ("quotes", "text"): "$.text"}
# A run's status: running (or killed, until the next run looks), finished,
# interrupted (stopped by Ctrl-C or killed: found so by the next run), failed.
RUN_STATUSES = ("running", "finished", "interrupted", "failed")

# Rows per row group (DuckDB's default is 122,880). A checkpoint rewrites the
# whole row group that new rows were appended to, so with the default the
# memory of every write grew with the store (a documents row group holds the
# texts): ~800 MB more per write at 16,000 reports. At 2,048 it stays flat.
ROW_GROUP_SIZE = 2048

# What a reader's DuckDB may hold in memory (cache and work), beyond which it spills.
READ_MEMORY = "512MB"
# the selections (Store.selection) a connection keeps at once: the few the
# parts of a view ask for (some read fewer filters than others)
SELECTIONS_KEPT = 6
# What an export's DuckDB may hold in memory, and the rows per Parquet row group it writes.
EXPORT_MEMORY = "512MB"
# A streamed scan of one table (the partitioned export) holds little of its own.
STREAM_MEMORY = "256MB"
EXPORT_ROW_GROUP = 10_000  # a row group is buffered whole: 10,000 documents are ~30 MB

# A fingerprint is cut into BANDS bands: texts within BANDS - 1 bits share one exactly.
BANDS = 8
# Arrow would guess int64 for fingerprints, and overflow on the top bit.
ARROW_TYPES = {"fingerprint": pa.uint64(), **{f"band{i}": pa.uint8() for i in range(BANDS)},
               "line": pa.int64(), "lat": pa.float64(), "lon": pa.float64()}
KINDS = ("document", "event", "quote", "stance")
TABLE_OF = {"document": "documents", "event": "events", "quote": "quotes", "stance": "stances",
            "incident": "incidents"}


class Store:
    """A DuckDB file (or ':memory:'). Use as a context manager."""

    row_key = "rowid"  # the column that finds one row fastest (views.event_views_at)

    def __init__(self, path: str | Path, *, read_only: bool = False, wait: float = 0.0,
                 hold: bool = True, memory: str = "") -> None:
        """``wait``: seconds to keep retrying while another process holds the file.
        ``hold=False``: the file is open only inside ``session()`` blocks, so that
        other processes (the dashboard) can read it between them. ``memory``: what
        a reader's DuckDB may hold (default READ_MEMORY)."""
        self.path = str(path)
        self.read_only = read_only
        self.hold = hold
        self.memory = memory or READ_MEMORY
        self._lock = threading.RLock()
        self._columns: dict[str, frozenset[str]] = {}
        # selections made into temporary tables: (connection, {(sql, params): table})
        self._selections: tuple[Any, dict[tuple[str, str], str]] = (None, {})
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"no store at {self.path}: `peacetrack ingest PATH --db {self.path}` "
                             "makes one (or give --db)")
        if not read_only and self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.db = _connect(self.path, read_only=read_only, wait=wait, memory=self.memory)
        if not read_only:
            tables = self.columns_of()
            fill = [(table, column, path) for (table, column), path in TEXT_COLUMNS.items()
                    if table in tables and column not in tables[table]]
            self.db.execute(SCHEMA)
            self._columns.clear()
            for table, column, path in fill:
                self.db.execute(f"UPDATE {table} SET {column} = json_extract_string(record, '{path}')")
        if not hold:
            self.db.close()
            self.db = None

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    @contextmanager
    def session(self, *, wait: float = 60.0) -> Iterator[Store]:
        """The store open for a block of work (one thread at a time); a store that
        does not hold its file closes it again afterwards."""
        with self._lock:
            opened = self.db is None
            if opened:
                self.db = _connect(self.path, read_only=self.read_only, wait=wait, memory=self.memory)
            try:
                yield self
            finally:
                if opened and not self.hold:
                    self.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def released(self, *, wait: float = 60.0) -> Iterator[None]:
        """Close the file for a while (e.g. while a batch is analysed) so that
        readers such as the dashboard can open it; reopen it afterwards.

        DuckDB lets one process write a file and no other open it meanwhile."""
        self.db.close()
        try:
            yield
        finally:
            self.db = _connect(self.path, read_only=self.read_only, wait=wait, memory=self.memory)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- writing ----------------------------------------------------------
    def write(self, analyses: Sequence[Analysis]) -> None:
        """One transaction for a batch of analysed reports: their records, and
        the incidents their events join or start (incidents.py)."""
        if not analyses:
            return
        with self.transaction():
            touched = self._fuse(analyses)
            rows = _rows(analyses)
            if touched:
                self.db.execute("DELETE FROM incidents WHERE id IN (SELECT unnest(?))",
                                [[i.id for i in touched]])
                rows["incidents"] = [_incident_row(i) for i in touched]
            for table, table_rows in rows.items():
                if table_rows:
                    self._append(table, table_rows)

    def _fuse(self, analyses: Sequence[Analysis]) -> list[Incident]:
        """Give each new event its incident: an existing one it tells again
        (looked up by type and date, never by a scan of the store), or a new one."""
        new = [(event, event.to_dict()) for a in analyses if a.document.duplicate_of is None
               for event in a.events]
        if not new:
            return []
        outlets = {a.document.id: a.document.outlet or _domain(a.document.url) for a in analyses}
        records = [r for _, r in new]
        published = {a.document.id: a.document.published.to_dict() for a in analyses}
        for record in records:  # the window an undated act falls in, for the lookup
            if not (record.get("date") or {}).get("value") and record.get("status") == "occurred":
                record["when"] = report_window(published.get(record["doc"]))
        incidents = self._incidents_near(records)
        touched = fuse(records, incidents, outlets, published)
        for event, record in new:
            event.incident = record["incident"]
        return touched

    def _incidents_near(self, records: list[dict[str, Any]]) -> list[Incident]:
        keys = [(r["type"], *span) for r in records
                if (span := Incident(id="", type=r["type"], events=[r]).day_range())]
        if not keys:
            return []
        found = self.db.execute(
            "WITH q AS (SELECT unnest($t) AS t, unnest($lo)::DATE AS lo, unnest($hi)::DATE AS hi)"
            " SELECT DISTINCT i.id, i.record FROM incidents i JOIN q ON i.type = q.t"
            " AND i.date_lo <= q.hi AND q.lo <= i.date_hi ORDER BY i.id",
            {"t": [k[0] for k in keys], "lo": [k[1] for k in keys],
             "hi": [k[2] for k in keys]}).fetchall()
        if not found:
            return []
        events: dict[str, list[dict[str, Any]]] = {}
        for incident, record in self.db.execute(
                "SELECT e.incident, e.record FROM events e JOIN documents d ON d.id = e.doc"
                " WHERE e.incident IN (SELECT unnest(?)) ORDER BY d.ingested_at, e.span_start, e.id",
                [[i for i, _ in found]]).fetchall():
            events.setdefault(incident, []).append(json.loads(record))
        return [Incident.stored(json.loads(record), events.get(i, [])) for i, record in found]

    def _append(self, table: str, rows: list[dict[str, Any]]) -> None:
        self._forget_selections()
        arrow = pa.table({name: pa.array([r[name] for r in rows], type=ARROW_TYPES.get(name))
                          for name in rows[0]})
        self.db.register("_batch", arrow)
        try:
            columns = ", ".join(rows[0])
            self.db.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _batch")
        finally:
            self.db.unregister("_batch")

    def start_run(self) -> int:
        """A new run, numbered after the last; runs left 'running' by a process
        that is gone (killed) are first marked interrupted."""
        self.mark_interrupted()
        row = self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM runs").fetchone()
        run = int(row[0]) if row else 1
        self.db.execute("INSERT INTO runs (id, started, status, pid, host) VALUES (?, ?, ?, ?, ?)",
                        [run, time.time(), "running", os.getpid(), socket.gethostname()])
        return run

    def mark_interrupted(self) -> list[int]:
        """Mark as interrupted the runs still 'running' whose process on this
        machine is gone (and those of older stores, which kept no process)."""
        here = socket.gethostname()
        rows = self.db.execute("SELECT id, pid, host FROM runs WHERE finished IS NULL AND "
                               "(status IS NULL OR status = 'running')").fetchall()
        gone = [run for run, pid, host in rows
                if pid is None or (host == here and not _alive(pid))]
        if gone:
            self.db.execute("UPDATE runs SET status = 'interrupted' WHERE id IN (SELECT unnest(?))",
                            [gone])
        return gone

    def update_run(self, run: int, summary: dict[str, Any]) -> None:
        """What a run has done so far (kept if it is killed)."""
        self.db.execute("UPDATE runs SET summary = ? WHERE id = ?", [json.dumps(summary), run])

    def record_problems(self, run: int, problems: Sequence[Problem]) -> None:
        """Skipped inputs, written as they are met (not only when the run ends)."""
        if problems:
            self._append("problems", [
                {"run": run, "source": p.source, "line": p.line, "reason": p.reason,
                 "message": p.message} for p in problems])

    def finish_run(self, run: int, summary: dict[str, Any], problems: Sequence[Problem] = (),
                   *, status: str = "finished") -> None:
        """The run's end: its summary, status and any problems not yet written."""
        with self.transaction():
            self.db.execute("UPDATE runs SET finished = ?, summary = ?, status = ? WHERE id = ?",
                            [time.time(), json.dumps(summary), status, run])
            self.record_problems(run, problems)

    def runs(self) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT id, started, finished, status, summary FROM runs ORDER BY id")
        return [{"id": r[0], "started": r[1], "finished": r[2], "status": r[3] or
                 ("finished" if r[2] is not None else "running"),
                 "summary": json.loads(r[4]) if r[4] else None} for r in rows.fetchall()]

    # -- reading ----------------------------------------------------------
    def known_ids(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        found = self.db.execute("SELECT id FROM documents WHERE id IN (SELECT unnest(?))",
                                [list(ids)]).fetchall()
        return {r[0] for r in found}

    def near_duplicates(self, fingerprint: int, bits: int) -> str | None:
        """An earlier document whose fingerprint is within ``bits`` bits."""
        return self.near_duplicates_of([fingerprint], bits)[0]

    def near_duplicates_of(self, fingerprints: Sequence[int], bits: int) -> list[str | None]:
        """For many fingerprints in one query: for each, the earliest stored
        original within ``bits`` bits, or None.

        Eight 8-bit bands: texts within 7 bits share at least one band exactly,
        so only the documents sharing a band are compared (one equi-join per band)."""
        if not fingerprints:
            return []
        joins = " UNION ".join(
            f"SELECT q.n, d.id, d.ingested_at FROM q JOIN documents d"
            f" ON d.band{i} = (q.fp >> {8 * i}) & 255"
            f" AND bit_count(xor(d.fingerprint, q.fp)) <= $bits AND d.duplicate_of IS NULL"
            for i in range(BANDS))
        rows = self.db.execute(
            "WITH q AS (SELECT unnest(range(len($fps))) AS n, unnest($fps::UBIGINT[]) AS fp)"
            f" SELECT n, arg_min(id, ingested_at) FROM ({joins}) GROUP BY n",
            {"fps": [int(f) for f in fingerprints], "bits": bits}).fetchall()
        found: list[str | None] = [None] * len(fingerprints)
        for n, doc_id in rows:
            found[n] = doc_id
        return found

    def records(self, kinds: Sequence[str] = KINDS) -> Iterator[dict[str, Any]]:
        """Every stored record of the given kinds, documents first, in a stable order."""
        for kind in kinds:
            table = TABLE_OF[kind]
            order = {"document": "ingested_at, id", "incident": "date_lo NULLS LAST, id"}.get(
                kind, "doc, span_start, id")
            cursor = self.db.execute(f"SELECT record FROM {table} ORDER BY {order}")
            while batch := cursor.fetchmany(1000):
                for (record,) in batch:
                    yield json.loads(record)

    def record_texts(self, kinds: Sequence[str] = KINDS) -> Iterator[str]:
        """Every record of the given kinds as its stored JSON text, documents first,
        in the order they were stored (a batch's documents, then their events, ...,
        in ingest order): streamed, where sorting would hold the whole table."""
        for kind in kinds:
            cursor = self.db.execute(f"SELECT record FROM {TABLE_OF[kind]}")
            while batch := cursor.fetchmany(1000):
                for (record,) in batch:
                    yield record

    def copy_to(self, select: str, path: str | Path, *, fmt: str) -> None:
        """Write a query's rows to a Parquet or CSV file straight from DuckDB, a row
        group at a time, so memory stays bounded whatever the store holds."""
        target = str(path).replace("'", "''")
        options = ["FORMAT parquet", f"ROW_GROUP_SIZE {EXPORT_ROW_GROUP}"] if fmt == "parquet" \
            else ["FORMAT csv", "HEADER true"]
        with self._export_settings():
            self.db.execute(f"COPY ({select}) TO '{target}' ({', '.join(options)})")

    def arrow_batches(self, select: str, *, rows: int = 4096) -> Iterator[pa.RecordBatch]:
        """A query's rows as Arrow batches, streamed, in any order (what a partitioned
        export writes: keeping the stored order would buffer rows a join reorders)."""
        with self._export_settings(memory=STREAM_MEMORY):
            self.db.execute("SET preserve_insertion_order = false")
            try:
                # A relation streams its result (``execute`` would materialise it whole);
                # DuckDB 1.5 renamed the method (ENVIRONMENT.md: 2.0 drops the old names).
                relation = self.db.sql(select)
                reader = getattr(relation, "to_arrow_reader", None) or relation.fetch_arrow_reader
                yield from reader(rows)
            finally:
                self.db.execute("RESET preserve_insertion_order")

    @contextmanager
    def _export_settings(self, *, memory: str = "") -> Iterator[None]:
        # One thread: each would hold its own row groups of flattened records (with two,
        # a 100,000-report store's documents overran the limit).
        settings = {"memory_limit": f"'{memory or EXPORT_MEMORY}'", "threads": "1",
                    "enable_progress_bar": "false"}
        for name, value in settings.items():
            self.db.execute(f"SET {name} = {value}")
        try:
            yield
        finally:
            for name in settings:
                self.db.execute(f"RESET {name}")

    def count(self, table: str) -> int:
        row = self.db.execute(f"SELECT count(*) FROM {TABLE_OF.get(table, table)}").fetchone()
        return int(row[0]) if row else 0

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.db.execute(sql, list(params)).fetchall()

    def selection(self, select: str, params: Sequence[Any] = ()) -> str:
        """A temporary table holding ``select``'s rows, made once while the store
        is unchanged: the parts of one view filter the events the same way, and
        each would otherwise filter (and join) them again for each of its
        queries. Temporary tables live in the connection, not in the file, so a
        read-only store makes them too; a write forgets them."""
        connection, made = self._selections
        if connection is not self.db:
            made = {}
            self._selections = (self.db, made)
        key = (select, repr(list(params)))
        if key in made:
            made[key] = made.pop(key)  # the latest used last: the least used goes first
            return made[key]
        while len(made) >= SELECTIONS_KEPT:
            self.db.execute(f"DROP TABLE IF EXISTS temp.{made.pop(next(iter(made)))}")
        name = f"selection_{uuid.uuid4().hex[:12]}"
        self.db.execute(f"CREATE TEMPORARY TABLE {name} AS {select}", list(params))
        made[key] = name
        return name

    def _forget_selections(self) -> None:
        connection, made = self._selections
        if connection is self.db and self.db is not None:
            for name in made.values():
                self.db.execute(f"DROP TABLE IF EXISTS temp.{name}")
        self._selections = (None, {})

    def columns(self, table: str) -> frozenset[str]:
        """A table's column names (none for a table it lacks), read once per open store."""
        if table not in self._columns:
            self._columns[table] = frozenset(self.columns_of().get(table, ()))
        return self._columns[table]

    def columns_of(self) -> dict[str, list[str]]:
        """Every table and view of the store with its columns."""
        out: dict[str, list[str]] = {}
        for table, column in self.query("SELECT table_name, column_name FROM information_schema.columns"):
            out.setdefault(table, []).append(column)
        return out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def bands(fingerprint: int) -> list[int]:
    return [(fingerprint >> (8 * i)) & 0xFF for i in range(BANDS)]


class StoreBusy(StoreError):
    """Another process holds the store (an ingest writing, or readers while one would write)."""


def _connect(path: str, *, read_only: bool, wait: float,
             memory: str = "") -> duckdb.DuckDBPyConnection:
    """Open the file, retrying for ``wait`` seconds while another process holds its lock."""
    deadline = time.monotonic() + wait
    delay = 0.02
    while True:
        try:
            return _attach(path, read_only=read_only, memory=memory or READ_MEMORY)
        except duckdb.Error as exc:
            locked = "lock" in str(exc).lower()
            if locked and time.monotonic() < deadline:
                time.sleep(delay)
                delay = min(delay * 2, 0.25)
                continue
            if locked:
                raise StoreBusy(f"the store {path} is in use by another process (an ingest "
                                f"writing?); waited {wait:g} s (--wait or PEACETRACK_WAIT for "
                                "longer), try again when it is free") from exc
            raise StoreError(f"cannot open the store {path}: {exc}") from exc


def _attach(path: str, *, read_only: bool, memory: str = "") -> duckdb.DuckDBPyConnection:
    """The file attached with our row-group size, as the connection's default
    database (``duckdb.connect`` cannot set a row-group size)."""
    # A reader (report, dashboard, export) keeps DuckDB's cache of the file and its
    # working memory to READ_MEMORY, spilling to the temporary folder beyond it:
    # by default DuckDB would cache up to 80% of the machine's memory.
    config = {"memory_limit": memory or READ_MEMORY, "temp_directory": _spill_folder()} \
        if read_only else {}
    db = duckdb.connect(":memory:", config=config)
    try:
        options = f"ROW_GROUP_SIZE {ROW_GROUP_SIZE}" + (", READ_ONLY" if read_only else "")
        quoted = str(path).replace("'", "''")
        db.execute(f"ATTACH '{quoted}' AS store ({options})")
        db.execute("USE store")
        db.execute("SET enable_progress_bar = false")  # a library prints nothing
    except BaseException:
        db.close()
        raise
    return db


def _spill_folder() -> str:
    return str(Path(tempfile.gettempdir()) / f"peacetrack-duckdb-{os.getpid()}")


def _rows(analyses: Sequence[Analysis]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in
                                             ("documents", "events", "participants", "quotes", "stances")}
    now = time.time()
    for n, analysis in enumerate(analyses):
        document = analysis.document
        record = document.to_dict()
        fingerprint = document.fingerprint or 0
        rows["documents"].append({
            "id": document.id, "ref": document.ref, "source": document.source,
            "url": document.url, "outlet": document.outlet, "title": document.title,
            "published": document.published.value,
            "published_precision": document.published.precision,
            "published_method": document.published.method, "language": document.language,
            "removed_chars": document.removed_chars, "duplicate_of": document.duplicate_of,
            "fingerprint": fingerprint, **{f"band{i}": b for i, b in enumerate(bands(fingerprint))},
            "n_words": len(document.text.split()), "ingested_at": now + n * 1e-6,  # keeps input order
            "process": document.process, "record": json.dumps(record, ensure_ascii=False)})
        for event in analysis.events:
            rows["events"].append(_event_row(event.to_dict()))
            for role in ("actor", "recipient", "mediator"):
                listed: set[str] = set()
                for actor in getattr(event, role):
                    if actor.id in listed:
                        continue  # one row per event, role and actor: the network counts rows
                    if actor.id is not None:
                        listed.add(actor.id)
                    rows["participants"].append({
                        "event": event.id, "doc": event.doc, "role": role, "actor_id": actor.id,
                        "name": actor.name or actor.text, "code": actor.code, "sector": actor.sector})
        for quote in analysis.quotes:
            q = quote.to_dict()
            rows["quotes"].append({
                "id": quote.id, "doc": quote.doc, "span_start": quote.span[0],
                "span_end": quote.span[1], "speaker": quote.speaker.id if quote.speaker else None,
                "direct": quote.direct, "date": (q["date"] or {}).get("value"),
                "text": quote.text, "record": json.dumps(q, ensure_ascii=False)})
        for stance in analysis.stances:
            s = stance.to_dict()
            rows["stances"].append({
                "id": stance.id, "doc": stance.doc, "span_start": stance.span[0],
                "span_end": stance.span[1], "actor_id": stance.actor.id, "issue": stance.issue,
                "position": stance.position, "date": (s["date"] or {}).get("value"),
                "process": stance.process, "record": json.dumps(s, ensure_ascii=False)})
    return rows


def _domain(url: str | None) -> str | None:
    """The site a report came from ('www.reuters.com' -> 'reuters.com')."""
    if not url:
        return None
    from urllib.parse import urlparse

    host = urlparse(url).netloc.lower()
    return host.removeprefix("www.") or None


def _incident_row(incident: Incident) -> dict[str, Any]:
    record = incident.record()
    date = record.get("date") or {}
    location = record.get("location") or {}
    span = incident.day_range()
    return {
        "id": incident.id, "type": incident.type, "status": record["status"],
        "date": date.get("value"), "date_precision": date.get("precision"),
        "date_lo": span[0] if span else None, "date_hi": span[1] if span else None,
        "place": location.get("name"), "country": location.get("country"),
        "sources": record["sources"], "disputed": record["disputed"],
        "record": json.dumps(record, ensure_ascii=False)}


def _event_row(event: dict[str, Any]) -> dict[str, Any]:
    date = event.get("date") or {}
    location = event.get("location") or {}
    return {
        "id": event["id"], "doc": event["doc"], "span_start": event["span"][0],
        "span_end": event["span"][1], "type": event["type"], "mode": event["mode"],
        "status": event["status"], "date": date.get("value"),
        "date_precision": date.get("precision"), "place": location.get("name"),
        "country": location.get("country"), "lat": location.get("lat"),
        "lon": location.get("lon"), "confidence": event["confidence"],
        "incident": event.get("incident"), "process": event.get("process"),
        "sentence": event.get("sentence"), "record": json.dumps(event, ensure_ascii=False)}


def is_parquet_store(path: str | Path) -> bool:
    """A folder (existing, or named with a trailing '/') is a Parquet store; else a DuckDB file."""
    return Path(path).is_dir() or str(path).endswith(("/", "\\"))


def open_store(path: str | Path, *, read_only: bool = False, wait: float = 0.0,
               hold: bool = True, memory: str = "") -> Store:
    """The store at ``path``: a DuckDB file, or a folder of Parquet parts
    (what ``ingest --engine ray --db FOLDER/`` writes), with the same read API.
    A Parquet folder ignores ``wait`` and ``hold``: its parts are separate files."""
    if is_parquet_store(path):
        from .parquet_store import ParquetStore

        return ParquetStore(path, read_only=read_only)
    return Store(path, read_only=read_only, wait=wait, hold=hold, memory=memory)
