"""A folder of Parquet parts is a store: written by ingest, read like the DuckDB one."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from peacetrack.cli import main
from peacetrack.errors import StoreError
from peacetrack.parquet_store import ParquetStore
from peacetrack.pipeline import ingest
from peacetrack.store import Store, is_parquet_store, open_store

from .conftest import SEEDS, seed


@pytest.mark.parametrize("path, folder", [
    ("store.duckdb", False), ("out/records/", True), ("peacetrack.duckdb", False)])
def test_a_folder_is_a_parquet_store_and_a_file_is_duckdb(path, folder):
    assert is_parquet_store(path) is folder


def test_parquet_ingest_stores_what_the_duckdb_ingest_stores(tmp_path, settings):
    duck = settings.updated(db=str(tmp_path / "store.duckdb"))
    folder = settings.updated(db=str(tmp_path / "parts") + "/")
    first = ingest([str(SEEDS)], settings=duck)
    second = ingest([str(SEEDS)], settings=folder)
    assert first.as_dict() | {"seconds": 0} == second.as_dict() | {"seconds": 0}
    with Store(duck.db, read_only=True) as a, open_store(folder.db, read_only=True) as b:
        assert isinstance(b, ParquetStore)
        # incidents (one happening across reports) are fused in DuckDB stores only
        assert [{**r, "incident": None} if r["kind"] == "event" else r for r in a.records()] \
            == list(b.records())
        for table in ("documents", "events", "participants", "quotes", "stances"):
            assert a.count(table) == b.count(table), table
        sql = "SELECT type, count(*) FROM events GROUP BY type ORDER BY type"
        assert a.query(sql) == b.query(sql)


def test_parts_keep_the_stores_column_types(tmp_path, settings):
    folder = tmp_path / "parts"
    ingest([str(seed("004"))], settings=settings.updated(db=str(folder) + "/"))
    (part,) = (folder / "documents").glob("*.parquet")
    schema = pq.read_schema(part)
    assert str(schema.field("fingerprint").type) == "uint64"
    assert {p.parent.name for p in folder.glob("*/*.parquet")} >= {
        "documents", "events", "participants", "runs"}


def test_adding_reports_adds_parts_and_finds_known_ones(tmp_path, settings):
    folder = settings.updated(db=str(tmp_path / "parts") + "/")
    ingest([str(seed("003"))], settings=folder)
    again = ingest([str(seed("003")), str(seed("004"))], settings=folder)
    assert again.already_stored == 1 and again.stored == 1
    with open_store(folder.db, read_only=True) as store:
        assert store.count("documents") == 2
        assert [r[0] for r in store.query("SELECT id FROM runs ORDER BY id")] == [1, 2]
    assert len(list((tmp_path / "parts" / "documents").glob("*.parquet"))) == 2


def test_the_export_command_reads_a_parquet_folder(tmp_path):
    folder = str(tmp_path / "parts")
    assert main(["ingest", str(seed("004")), "-o", folder, "--quiet"]) == 0
    assert main(["export", "--db", folder, "-o", str(tmp_path / "out.jsonl")]) == 0
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert records[0]["kind"] == "document" and any(r["kind"] == "event" for r in records)


def test_a_missing_parquet_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no Parquet store"):
        ParquetStore(tmp_path / "nothing", read_only=True)
