"""Export the store as JSONL, CSV or Parquet (SPEC §2), streamed with bounded memory.

JSONL is the contract: one record per line, its ``kind`` saying what it is,
written as stored, a batch of rows at a time. CSV and Parquet write one
table per kind (documents, events, quotes, stances), a column per field of
the kind's records (nested fields as JSON text, since a table has one
shape); DuckDB writes them straight from the store, a row group at a time,
so a store of any size exports in the same memory. ``partition="month"``
writes each kind as a folder of Parquet files, one per month
(``events/month=2023-07/data.parquet``, Hive-style), which DuckDB, Spark,
pandas and Ray Data read as one dataset:

    SELECT * FROM read_parquet('out/events/*/*.parquet', hive_partitioning = true)
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from .store import KINDS, TABLE_OF, Store

FORMATS = ("jsonl", "csv", "parquet")
PARTITIONS = ("none", "month")
SAMPLE = 10_000  # records of a kind read for its columns and their types
# What each level writes: every record of each report, or one record per
# happening across reports (SPEC §2 incident) with the reports behind it.
LEVELS = {"events": KINDS, "incidents": ("incident",)}

# JSON types as DuckDB names them -> the column type and how the field is read.
_TYPES = {"VARCHAR": "VARCHAR", "BIGINT": "BIGINT", "UBIGINT": "BIGINT", "DOUBLE": "DOUBLE",
          "BOOLEAN": "BOOLEAN"}
# The month a record belongs to: its own date (a document's: its publication),
# read from the record's own table, so the export scans one table at a time.
_MONTH = {kind: f"coalesce(left(t.{'published' if kind == 'document' else 'date'}, 7), 'undated')"
          for kind in (*KINDS, "incident")}


def export(store: Store, *, fmt: str, out: str | None, level: str = "events",
           partition: str = "none") -> list[str]:
    """Write the store's records; returns the files (or folders) written ('-' for stdout)."""
    kinds = LEVELS[level]
    if fmt == "jsonl":
        return [_export_jsonl(store.record_texts(kinds), out)]
    if out in (None, "-"):
        raise ValueError(f"--format {fmt} writes one file per kind: give -o FOLDER or -o PREFIX")
    if partition != "none" and fmt != "parquet":
        raise ValueError("--partition month writes Parquet: use it with --format parquet")
    written = []
    for kind in kinds:
        path = _path_for(out, kind, fmt, partitioned=partition != "none")
        select = _select(store, kind, partitioned=partition != "none")
        if partition == "none":
            store.copy_to(select, path, fmt=fmt)
        else:
            write_partitioned(store.arrow_batches(select), path, column="month")
        written.append(str(path))
    return written


# A partitioned export holds at most this much of unwritten rows, over all partitions.
PARTITION_BUFFER = 32 * 2**20
PARTITION_ROW_GROUP = 20_000


def write_partitioned(batches: Iterable, folder: Path, *, column: str) -> list[Path]:
    """Arrow batches into one Parquet file per value of ``column``
    (``folder/column=value/data.parquet``, the column itself left out, Hive-style).

    Rows come in any order (a store keeps them in ingest order, not by month),
    so each partition's rows wait in a buffer until they fill a row group, or
    until all buffers together reach PARTITION_BUFFER, when the largest is
    written: memory stays bounded and row groups stay large."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    writers: dict[str, pq.ParquetWriter] = {}
    waiting: dict[str, list[pa.Table]] = {}
    size: dict[str, int] = {}

    def flush(value: str) -> None:
        table = pa.concat_tables(waiting.pop(value))
        size.pop(value)
        if value not in writers:
            part = folder / f"{column}={value}" / "data.parquet"
            part.parent.mkdir(parents=True, exist_ok=True)
            writers[value] = pq.ParquetWriter(part, table.schema)
        writers[value].write_table(table, row_group_size=PARTITION_ROW_GROUP)
        pa.default_memory_pool().release_unused()  # what was buffered goes back to the system

    try:
        for batch in batches:
            table = pa.Table.from_batches([batch])
            keys = table.column(column)
            rows = table.drop_columns([column])
            for value in pc.unique(keys).to_pylist():
                part = rows.filter(pc.equal(keys, value))
                key = str(value)
                waiting.setdefault(key, []).append(part)
                size[key] = size.get(key, 0) + part.nbytes
                if sum(t.num_rows for t in waiting[key]) >= PARTITION_ROW_GROUP:
                    flush(key)
            while size and sum(size.values()) > PARTITION_BUFFER:
                flush(max(size, key=size.get))
        for key in list(waiting):
            flush(key)
    finally:
        for writer in writers.values():
            writer.close()
    return sorted(folder / f"{column}={v}" / "data.parquet" for v in writers)


def _export_jsonl(records: Iterable[str], out: str | None) -> str:
    if out in (None, "-"):
        _write_lines(records, sys.stdout)
        return "-"
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as handle:
        _write_lines(records, handle)
    return str(out)


def _write_lines(records: Iterable[str], handle: TextIO) -> None:
    for record in records:
        handle.write(record + "\n")


def _path_for(out: str, kind: str, fmt: str, *, partitioned: bool) -> Path:
    base = Path(out)
    if base.suffix == f".{fmt}" and not partitioned:  # "-o out/records.csv" -> out/records.events.csv
        base.parent.mkdir(parents=True, exist_ok=True)
        return base.with_name(f"{base.stem}.{TABLE_OF[kind]}.{fmt}")
    base.mkdir(parents=True, exist_ok=True)
    return base / (TABLE_OF[kind] if partitioned else f"{TABLE_OF[kind]}.{fmt}")


def columns(store: Store, kind: str) -> list[tuple[str, str]]:
    """The fields of a kind's records with their column types, in record order,
    read from the first SAMPLE of them (JSON objects and lists become JSON text;
    every record of a kind has the same fields, SPEC §2)."""
    table = TABLE_OF[kind]
    rows = store.query(
        f"WITH sample AS (SELECT record FROM {table} LIMIT {SAMPLE})"
        " SELECT j.key, min(j.id) AS first_seen, list(DISTINCT j.type) FROM sample, json_each(sample.record) j"
        " GROUP BY j.key ORDER BY first_seen, j.key")
    out = []
    for key, _, types in rows:
        found = {_TYPES.get(t, "JSON") for t in types if t != "NULL"} or {"VARCHAR"}
        if found == {"BIGINT", "DOUBLE"}:
            found = {"DOUBLE"}
        out.append((key, found.pop() if len(found) == 1 else "JSON"))
    return out


def _select(store: Store, kind: str, *, partitioned: bool) -> str:
    """The SELECT that flattens a kind's records, as DuckDB reads them from the store."""
    fields = []
    for key, kind_of in columns(store, kind):
        path = "'$.\"" + key.replace("'", "''").replace('"', '\\"') + "\"'"
        name = '"' + key.replace('"', '""') + '"'
        if kind_of == "JSON":
            fields.append(f"json_extract(t.record, {path})::VARCHAR AS {name}")
        elif kind_of == "VARCHAR":
            fields.append(f"json_extract_string(t.record, {path}) AS {name}")
        else:
            fields.append(f"TRY_CAST(json_extract(t.record, {path}) AS {kind_of}) AS {name}")
    if not fields:
        fields = ["t.id"]
    month = f", {_MONTH[kind]} AS month" if partitioned else ""
    return f"SELECT {', '.join(fields)}{month} FROM {TABLE_OF[kind]} t"
