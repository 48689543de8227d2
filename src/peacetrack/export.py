"""Export the store as JSONL, CSV or Parquet (SPEC §2).

JSONL is the contract: one record per line, its ``kind`` saying what it is.
CSV and Parquet write one file per kind (documents, events, quotes,
stances) with nested fields as JSON text, since a table has one shape.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from .store import KINDS, TABLE_OF, Store

FORMATS = ("jsonl", "csv", "parquet")
# What each level writes: every record of each report, or one record per
# happening across reports (SPEC §2 incident) with the reports behind it.
LEVELS = {"events": KINDS, "incidents": ("incident",)}


def export(store: Store, *, fmt: str, out: str | None, level: str = "events") -> list[str]:
    """Write the store's records; returns the files written ('-' for stdout)."""
    kinds = LEVELS[level]
    if fmt == "jsonl":
        return [_export_jsonl(store.records(kinds), out)]
    if out in (None, "-"):
        raise ValueError(f"--format {fmt} writes one file per kind: give -o FOLDER or -o PREFIX")
    written = []
    for kind in kinds:
        rows = [_flat(r) for r in store.records([kind])]
        path = _path_for(out, kind, fmt)
        if fmt == "csv":
            _write_csv(rows, path)
        else:
            _write_parquet(rows, path)
        written.append(str(path))
    return written


def _export_jsonl(records: Iterable[dict[str, Any]], out: str | None) -> str:
    if out in (None, "-"):
        _write_jsonl(records, sys.stdout)
        return "-"
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as handle:
        _write_jsonl(records, handle)
    return str(out)


def _write_jsonl(records: Iterable[dict[str, Any]], handle: TextIO) -> None:
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def _path_for(out: str, kind: str, fmt: str) -> Path:
    base = Path(out)
    if base.suffix == f".{fmt}":  # "-o out/records.csv" -> out/records.events.csv
        return base.with_name(f"{base.stem}.{TABLE_OF[kind]}.{fmt}")
    base.mkdir(parents=True, exist_ok=True)
    return base / f"{TABLE_OF[kind]}.{fmt}"


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    return {k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v)
            for k, v in record.items()}


def _write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        if not rows:
            return
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _write_parquet(rows: list[dict[str, Any]], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), path)
