"""Exports: JSONL as stored, CSV and Parquet a column per field, Parquet by month."""

from __future__ import annotations

import csv
import json

import pyarrow.dataset as ds
import pyarrow.parquet as pq

from peacetrack.export import export
from peacetrack.store import Store
from tests.browser import sample


def test_jsonl_is_every_record_as_stored(tmp_path):
    with Store(sample.build(tmp_path / "s.duckdb"), read_only=True) as store:
        export(store, fmt="jsonl", out=str(tmp_path / "all.jsonl"))
        stored = sorted(json.dumps(r, ensure_ascii=False) for r in store.records())
    lines = (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(lines) == stored and json.loads(lines[0])["kind"] == "document"


def test_parquet_and_csv_have_a_column_per_field(tmp_path):
    with Store(sample.build(tmp_path / "s.duckdb"), read_only=True) as store:
        export(store, fmt="parquet", out=str(tmp_path / "pq"))
        export(store, fmt="csv", out=str(tmp_path / "csv"))
    events = pq.read_table(tmp_path / "pq" / "events.parquet").to_pylist()
    assert {e["id"] for e in events} == {"e-d-brussels-1", "e-d-brussels-2", "e-d-hostile-1"}
    met = next(e for e in events if e["id"] == "e-d-brussels-1")
    assert met["type"] == "CONSULT" and met["confidence"] == 0.5
    assert [a["id"] for a in json.loads(met["actor"])] == ["ilham-aliyev", "nikol-pashinyan"]
    with open(tmp_path / "csv" / "quotes.csv", encoding="utf-8") as handle:
        (quote,) = list(csv.DictReader(handle))
    assert quote["text"].startswith("We support") and json.loads(quote["speaker"])["id"] == "sergey-lavrov"


def test_parquet_by_month_reads_back_as_one_dataset(tmp_path):
    with Store(sample.build(tmp_path / "s.duckdb"), read_only=True) as store:
        written = export(store, fmt="parquet", out=str(tmp_path / "by-month"), partition="month")
        counts = {t: store.count(t) for t in ("documents", "events", "quotes", "stances")}
    assert [p.rsplit("/", 1)[-1] for p in written] == ["documents", "events", "quotes", "stances"]
    months = sorted(p.name for p in (tmp_path / "by-month" / "events").iterdir())
    assert months == ["month=2023-07", "month=2024-01"]
    for table, n in counts.items():
        dataset = ds.dataset(tmp_path / "by-month" / table, partitioning="hive")
        assert dataset.count_rows() == n, table
    events = ds.dataset(tmp_path / "by-month" / "events", partitioning="hive").to_table().to_pylist()
    assert {(e["id"], e["month"]) for e in events} == {
        ("e-d-brussels-1", "2023-07"), ("e-d-brussels-2", "2023-07"), ("e-d-hostile-1", "2024-01")}
