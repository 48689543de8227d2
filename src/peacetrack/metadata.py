"""Metadata beside the reports, and tables of articles (SPEC §1).

Crawlers and analysts hand over a folder of reports with one file of
metadata beside them: ``index.jsonl`` / ``index.csv`` (or ``metadata.*``),
one row per report file (``file`` or ``path``, ``url``, ``outlet``,
``title``, ``published``, ``language``). Such a file is not itself a report:
its rows are applied to the files they name, and a row that names no file
is reported. A row that carries the text itself (``text`` or ``html``) is a
report of its own, which is also how a CSV export of articles is read.

Column names are matched loosely, as export tools spell them ("Headline",
"publish_date", "Source"): see ``COLUMNS``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .records import Problem

# File names that hold metadata rather than reports.
METADATA_NAMES = frozenset(f"{stem}.{suffix}" for stem in ("index", "metadata")
                           for suffix in ("jsonl", "json", "ndjson", "csv", "tsv"))
TABLE_SUFFIXES = frozenset({".csv", ".tsv"})

# Our field -> the column names that mean it, first match wins (lower case;
# spaces and dashes read as underscores).
COLUMNS: dict[str, tuple[str, ...]] = {
    "file": ("file", "path", "filename", "file_name", "filepath", "file_path"),
    "id": ("id", "doc_id", "article_id", "guid"),
    "url": ("url", "link", "address", "article_url", "source_url"),
    "outlet": ("outlet", "source", "publisher", "site", "site_name", "sitename", "media",
               "newspaper", "source_name", "domain"),
    "title": ("title", "headline", "heading", "subject"),
    "published": ("published", "date", "published_at", "publish_date", "published_date",
                  "publication_date", "pubdate", "pub_date", "datetime", "timestamp"),
    "language": ("language", "lang", "language_code"),
    "text": ("text", "body", "content", "article", "article_text", "full_text", "maintext",
             "story"),
    "html": ("html", "raw_html", "page_html"),
}
DOCUMENT_FIELDS = ("id", "url", "outlet", "title", "published", "language", "text", "html")
APPLIED_FIELDS = ("url", "outlet", "title", "published", "language")


def is_metadata_file(path: Path) -> bool:
    return path.name.lower() in METADATA_NAMES


def normalise_row(row: dict[str, Any]) -> dict[str, str | None]:
    """Our field names for one row, however its columns were spelled; empty
    cells and JSON nulls are None."""
    keys = {str(k).strip().lower().replace(" ", "_").replace("-", "_"): v
            for k, v in row.items() if k is not None}
    out: dict[str, str | None] = {}
    for name, spellings in COLUMNS.items():
        value = next((keys[s] for s in spellings if keys.get(s) not in (None, "")), None)
        out[name] = str(value).strip() if isinstance(value, (str, int, float)) and \
            str(value).strip() else None
    # "source" names the outlet in most exports, but a file path in some
    if out["outlet"] and out["file"] is None and "/" in out["outlet"] and \
            not out["outlet"].startswith("http"):
        out["file"], out["outlet"] = out["outlet"], None
    return out


def table_rows(source: str, text: str, *, suffix: str) -> Iterator[tuple[int, dict | Problem]]:
    """(line, row) for each row of a CSV/TSV, JSON list or JSONL text; a row
    that cannot be read is a Problem naming its line."""
    if suffix in TABLE_SUFFIXES:
        yield from _csv_rows(source, text, delimiter="\t" if suffix == ".tsv" else ",")
        return
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            whole = json.loads(stripped)
        except json.JSONDecodeError as exc:
            yield 1, Problem(source, exc.lineno, "bad-json", f"skipped: malformed JSON ({exc.msg})")
            return
        for number, item in enumerate(whole if isinstance(whole, list) else [whole], start=1):
            yield number, item if isinstance(item, dict) else \
                Problem(source, number, "bad-json", "skipped: a JSON item must be an object")
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, Problem(source, number, "bad-json", f"skipped: malformed JSON ({exc.msg})")
            continue
        yield number, item if isinstance(item, dict) else \
            Problem(source, number, "bad-json", "skipped: a JSON line must be an object")


def _csv_rows(source: str, text: str, *, delimiter: str) -> Iterator[tuple[int, dict | Problem]]:
    # a cell may be a whole article: lift the csv module's 128 KiB default
    csv.field_size_limit(2**31 - 1)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if None in row:  # more cells than the header names
                yield reader.line_num, Problem(source, reader.line_num, "bad-csv",
                                               "skipped: more cells than the header has columns")
                continue
            if any((v or "").strip() for v in row.values()):
                yield reader.line_num, row
    except csv.Error as exc:
        yield reader.line_num, Problem(source, reader.line_num, "bad-csv",
                                       f"skipped: malformed CSV ({exc})")


@dataclass
class Row:
    """One metadata row: the file it names and what it says about it."""

    index: Path
    line: int
    file: Path
    values: dict[str, str | None]
    used: bool = False


@dataclass
class FolderMetadata:
    """The metadata files of a folder tree, by the report file each row names."""

    rows: dict[Path, Row] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    documents: list[tuple[Path, int, dict[str, str | None]]] = field(default_factory=list)

    def add_file(self, path: Path, text: str) -> None:
        """Read one metadata file's rows (relative names are relative to its folder)."""
        for line, row in table_rows(str(path), text, suffix=path.suffix.lower()):
            if isinstance(row, Problem):
                self.problems.append(row)
                continue
            values = normalise_row(row)
            if values["text"] or values["html"]:
                self.documents.append((path, line, values))
            elif values["file"]:
                target = _resolve(path.parent, values["file"])
                self.rows.setdefault(target, Row(path, line, target, values))
            else:
                self.problems.append(Problem(str(path), line, "bad-metadata",
                                             "skipped: the row names no file (file or path) "
                                             "and carries no text"))

    def row_for(self, path: Path) -> Row | None:
        row = self.rows.get(_resolve(path.parent, path.name))
        if row is not None:
            row.used = True
        return row

    def unused(self, read: set[Path]) -> list[Problem]:
        """Rows whose file was not read: it is missing, or not a report format."""
        out = []
        for row in self.rows.values():
            if row.used or row.file in read:
                continue
            why = "no such file" if not row.file.exists() else "not a report file peacetrack reads"
            out.append(Problem(str(row.index), row.line, "unmatched-metadata",
                               f"the row for {row.values['file']!r} names no report ({why})"))
        return out


def _resolve(folder: Path, name: str) -> Path:
    path = Path(name)
    return (path if path.is_absolute() else folder / path).resolve()


def apply(report: Any, values: dict[str, str | None]) -> None:
    """Fill a report's fields from its metadata row where the report itself
    gives none (a JSONL document's own fields win)."""
    for name in APPLIED_FIELDS:
        if values.get(name) and not getattr(report, name):
            setattr(report, name, values[name])


__all__ = ["COLUMNS", "FolderMetadata", "METADATA_NAMES", "apply", "is_metadata_file",
           "normalise_row", "table_rows"]
