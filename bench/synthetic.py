"""A store of any size, made from real records without running the NLP.

    .venv/bin/python bench/synthetic.py --n 100000 -o /tmp/store-100k.duckdb
    make bench-store N=1000000 STORE=/tmp/store-1m.duckdb

The real records come from one ingest of the seeds and the dev corpus
(``../shared/seeds``, ``../shared/devcorpus``: 29 reports), cached as a small
template store. The big store holds copies of them, made in DuckDB by SQL:
each copy of a report gets new ids (its events, quotes and stances too, in
their columns and inside each record's JSON), its dates shifted back by a
different number of days (so ten years of record fill the timeline), and a
fingerprint of its own. Everything else is the records as the engine wrote
them, so the read side (views, report, export) meets real shapes: real
actors, sentences, mentions and ``decided_by`` lists.

A million reports take a few minutes and ~5 GB of disk here; the copies are
inserted a slice at a time, so memory stays bounded.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
SOURCES = (SHARED / "seeds", SHARED / "devcorpus")
TEMPLATE = HERE / "results" / "synthetic-template.duckdb"
SPREAD_DAYS = 3650  # copies' dates are shifted back by up to ten years
COPIES_PER_INSERT = 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="reports in the store")
    parser.add_argument("-o", "--output", required=True, help="the DuckDB file to write (replaced)")
    parser.add_argument("--template", default=str(TEMPLATE),
                        help="the store of real records to copy (built from the seeds and the "
                             "dev corpus when missing)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    template = ensure_template(Path(args.template))
    counts = build(template, Path(args.output), args.n,
                   on_progress=lambda done: print(f"[synthetic] {done:,} reports", file=sys.stderr))
    size = Path(args.output).stat().st_size
    print(f"[synthetic] {args.output}: {counts} ({size / 2**20:,.0f} MB) in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


def ensure_template(path: Path) -> Path:
    """The real records: one ingest of the seeds and the dev corpus (cached)."""
    if path.exists():
        return path
    from peacetrack.pipeline import ingest
    from peacetrack.settings import Settings

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.duckdb")
    partial.unlink(missing_ok=True)
    ingest([str(s) for s in SOURCES], settings=Settings(db=str(partial), n_process=1))
    partial.replace(path)
    return path


def build(template: Path, out: Path, n: int, *, on_progress=None) -> dict[str, int]:
    """Write a store of ``n`` reports at ``out`` from the template's records."""
    from peacetrack.store import Store, _connect

    out.unlink(missing_ok=True)
    Path(str(out) + ".wal").unlink(missing_ok=True)
    Store(out).close()  # the schema
    db = _connect(str(out), read_only=False, wait=0)
    try:
        quoted = str(template).replace("'", "''")
        db.execute(f"ATTACH '{quoted}' AS tpl (READ_ONLY)")
        db.execute(MACROS)
        per_copy = db.execute("SELECT count(*) FROM tpl.documents WHERE duplicate_of IS NULL"
                              ).fetchone()[0]
        if not per_copy:
            raise SystemExit(f"the template {template} holds no reports")
        copies = -(-n // per_copy)
        for first in range(0, copies, COPIES_PER_INSERT):
            last = min(copies, first + COPIES_PER_INSERT)
            insert_copies(db, first, last, limit=n - first * per_copy)
            if on_progress:
                on_progress(min(n, last * per_copy))
        db.execute("CHECKPOINT")
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("documents", "events", "quotes", "stances")}
    finally:
        db.close()


MACROS = """
CREATE TEMP MACRO new_id(prefix, id, k) AS prefix || substr(md5(id || ':' || k), 1, 16);
-- A date at any precision (YYYY, YYYY-MM, YYYY-MM-DD) moved back by ``days``,
-- keeping its precision; anything else is kept as it is.
CREATE TEMP MACRO shifted(value, days) AS CASE
    WHEN value IS NULL THEN NULL
    WHEN regexp_full_match(value, '\\d{4}') THEN
        strftime(CAST(value || '-07-01' AS DATE) - CAST(days AS INTEGER), '%Y')
    WHEN regexp_full_match(value, '\\d{4}-\\d{2}') THEN
        strftime(CAST(value || '-15' AS DATE) - CAST(days AS INTEGER), '%Y-%m')
    WHEN regexp_full_match(value, '\\d{4}-\\d{2}-\\d{2}') AND TRY_CAST(value AS DATE) IS NOT NULL THEN
        strftime(CAST(value AS DATE) - CAST(days AS INTEGER), '%Y-%m-%d')
    ELSE value END;
-- The record's JSON with a date value replaced where it is written as one.
CREATE TEMP MACRO with_date(record, old, new) AS CASE
    WHEN old IS NULL OR old = new THEN record
    ELSE replace(record, '{"value": "' || old || '"', '{"value": "' || new || '"') END;
"""


def insert_copies(db, first: int, last: int, *, limit: int) -> None:
    """Copies ``first``..``last``-1 of every template report, at most ``limit`` reports."""
    db.execute("BEGIN TRANSACTION")
    db.execute(f"""
        CREATE OR REPLACE TEMP TABLE copy AS
        SELECT k, d.id AS old, new_id('d-', d.id, k) AS new,
               (k * 7919) % {SPREAD_DAYS} AS days
        FROM range({first}, {last}) r(k)
        CROSS JOIN (SELECT id, ingested_at FROM tpl.documents WHERE duplicate_of IS NULL) d
        ORDER BY k, d.ingested_at LIMIT {limit}""")
    db.execute("""
        INSERT INTO documents SELECT c.new, d.ref, d.source, d.url, d.outlet, d.title,
            shifted(d.published, c.days), d.published_precision, d.published_method, d.language,
            d.removed_chars, NULL, h.fp,
            h.fp & 255, (h.fp >> 8) & 255, (h.fp >> 16) & 255, (h.fp >> 24) & 255,
            (h.fp >> 32) & 255, (h.fp >> 40) & 255, (h.fp >> 48) & 255, (h.fp >> 56) & 255,
            d.n_words, d.ingested_at + c.k * 1e-3,
            with_date(replace(d.record, c.old, c.new), d.published, shifted(d.published, c.days)),
            d.process
        FROM copy c JOIN tpl.documents d ON d.id = c.old,
             LATERAL (SELECT hash(c.new)::UBIGINT AS fp) h""")
    db.execute("""
        CREATE OR REPLACE TEMP TABLE event_ids AS
        SELECT c.k, e.id AS old, new_id('e-', e.id, c.k) AS new
        FROM copy c JOIN tpl.events e ON e.doc = c.old""")
    db.execute("""
        INSERT INTO events SELECT i.new, c.new, e.span_start, e.span_end, e.type, e.mode, e.status,
            shifted(e.date, c.days), e.date_precision, e.place, e.country, e.lat, e.lon,
            e.confidence,
            with_date(replace(replace(e.record, i.old, i.new), c.old, c.new), e.date,
                      shifted(e.date, c.days)),
            NULL, e.process,  -- a copy is a happening of its own: no incident
            json_extract_string(e.record, '$.sentence')
        FROM copy c JOIN tpl.events e ON e.doc = c.old
        JOIN event_ids i ON i.old = e.id AND i.k = c.k""")
    db.execute("""
        INSERT INTO participants SELECT i.new, c.new, p.role, p.actor_id, p.name, p.code, p.sector
        FROM copy c JOIN tpl.participants p ON p.doc = c.old
        JOIN event_ids i ON i.old = p.event AND i.k = c.k""")
    for table, prefix, rest, more in (
            ("quotes", "q-", "t.speaker, t.direct", ", json_extract_string(t.record, '$.text')"),
            ("stances", "s-", "t.actor_id, t.issue, t.position", ", t.process")):
        db.execute(f"""
            INSERT INTO {table} SELECT new_id('{prefix}', t.id, c.k), c.new, t.span_start,
                t.span_end, {rest}, shifted(t.date, c.days),
                with_date(replace(replace(t.record, t.id, new_id('{prefix}', t.id, c.k)),
                                  c.old, c.new), t.date, shifted(t.date, c.days)){more}
            FROM copy c JOIN tpl.{table} t ON t.doc = c.old""")
    db.execute("COMMIT")


if __name__ == "__main__":
    sys.exit(main())
