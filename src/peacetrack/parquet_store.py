"""A store kept as a folder of Parquet parts (what a cluster ingest writes).

    store/documents/part-<run>-<uuid>.parquet
    store/events/…  store/participants/…  store/quotes/…  store/stances/…
    store/runs/…    store/problems/…

Each table is a folder of parts with exactly the DuckDB store's columns, one
part per written batch: adding reports adds parts and never rewrites the
old ones, and any Parquet reader (Spark, pandas, DuckDB, Ray Data) can read
a table as one dataset. Read, the folder behaves as a ``Store``: each table
is a view over its parts in an in-memory DuckDB, so ``records``, ``count``
and ``query`` (and with them export, report and serve) are the very same.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import StoreError
from .records import Analysis, Problem
from .store import Store, _rows

TABLES = ("documents", "events", "participants", "quotes", "stances", "runs", "problems")
# What duplicate detection needs of the stored documents (not their texts).
INDEX_COLUMNS = ("id", "fingerprint", "duplicate_of", "ingested_at")


class ParquetStore(Store):
    """A folder of Parquet parts, read (views) or extended (new parts)."""

    row_key = "id"  # a view over Parquet files has no row ids

    def __init__(self, folder: str | Path, *, read_only: bool = False) -> None:
        super().__init__(":memory:")  # the schema's empty tables: the shape of every part
        self.path = str(folder)
        self.folder = Path(folder)
        self.read_only = read_only
        if read_only and not self.folder.is_dir():
            raise StoreError(f"no Parquet store at {self.folder} (a folder of table parts)")
        self.schemas = {t: self._arrow_schema(t) for t in TABLES}
        if read_only:
            self._attach_views()
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._load_index()

    def _arrow_schema(self, table: str) -> pa.Schema:
        return _arrow(self.db.execute(f"SELECT * FROM {table} LIMIT 0")).schema

    def parts(self, table: str) -> list[Path]:
        return sorted((self.folder / table).glob("*.parquet"))

    def _glob(self, table: str) -> str:
        return str(self.folder / table / "*.parquet").replace("'", "''")

    def _attach_views(self) -> None:
        """Each table with parts becomes a view over them; the others stay empty tables."""
        for table in TABLES:
            if self.parts(table):
                self.db.execute(f"DROP TABLE {table}")
                self.db.execute(f"CREATE VIEW {table} AS SELECT * FROM "
                                f"read_parquet('{self._glob(table)}', union_by_name = true)")

    def _load_index(self) -> None:
        """What duplicate detection and run numbering need, read once per run:
        a few columns of the stored documents, not their texts."""
        if self.parts("documents"):
            columns = ", ".join(INDEX_COLUMNS) + ", " + ", ".join(
                name for name in self.schemas["documents"].names if name.startswith("band"))
            self.db.execute(f"INSERT INTO documents ({columns}) SELECT {columns} "
                            f"FROM read_parquet('{self._glob('documents')}')")
        if self.parts("runs"):
            self.db.execute(f"INSERT INTO runs BY NAME SELECT * FROM read_parquet("
                            f"'{self._glob('runs')}', union_by_name = true)")

    @contextmanager
    def released(self, *, wait: float = 60.0) -> Iterator[None]:
        yield  # parts are separate files: readers never wait for a writer

    # -- writing ----------------------------------------------------------
    def write(self, analyses: Sequence[Analysis]) -> None:
        """A batch of analysed reports as one new part per table."""
        if not analyses:
            return
        rows = _rows(analyses)
        for table, table_rows in rows.items():
            if table_rows:
                self._write_part(table, table_rows)
        index = [{k: v for k, v in r.items() if k != "record"} for r in rows["documents"]]
        self._append("documents", index)  # later duplicates of these are found

    def _write_part(self, table: str, rows: list[dict[str, Any]]) -> Path:
        path = self.folder / table / f"part-{time.time_ns()}-{uuid.uuid4().hex[:8]}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")  # readers never see half a part
        pq.write_table(pa.Table.from_pylist(rows, schema=self.schemas[table]), partial)
        partial.replace(path)
        return path

    def record_problems(self, run: int, problems: Sequence[Problem]) -> None:
        """Problems as a new part, written as they are met."""
        if problems:
            self._write_part("problems", [
                {"run": run, "source": p.source, "line": p.line, "reason": p.reason,
                 "message": p.message} for p in problems])

    def update_run(self, run: int, summary: dict[str, Any]) -> None:
        pass  # a run's row is one part, written when it ends (parts are never rewritten)

    def finish_run(self, run: int, summary: dict[str, Any], problems: Sequence[Problem] = (),
                   *, status: str = "finished") -> None:
        super().finish_run(run, summary, problems, status=status)
        rows = _arrow(self.db.execute("SELECT * FROM runs WHERE id = ?", [run])).to_pylist()
        if rows:
            self._write_part("runs", rows)


def _arrow(result: Any) -> pa.Table:
    """A DuckDB result as an Arrow table (DuckDB 2 renamed the method)."""
    fetch = getattr(result, "to_arrow_table", None) or result.fetch_arrow_table
    return fetch()
