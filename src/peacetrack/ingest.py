"""Readers: files, folders, JSONL and standard input -> raw reports (SPEC §1).

A reader never raises on bad input: it yields a ``Problem`` naming the file
(and line) and goes on with the rest.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from . import metadata
from .mime import MIME_SUFFIXES, read_message
from .records import Problem

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | metadata.TABLE_SUFFIXES | MIME_SUFFIXES
JSON_FIELDS = ("id", "url", "outlet", "title", "published", "language", "text", "html")


@dataclass
class RawReport:
    """One input document before cleaning."""

    source: str
    text: str | None = None
    html: str | None = None
    ref: str | None = None
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    language: str | None = None


def read_inputs(paths: Iterable[str], *, max_bytes: int, stdin: IO[bytes] | None = None,
                with_metadata: bool = True) -> Iterator[RawReport | Problem]:
    """Every report under the given paths, in a stable order; '-' is stdin.
    A folder's metadata files (``metadata.METADATA_NAMES``) are applied to the
    reports they name, also to a report given alone (``with_metadata=False``
    reads each file alone)."""
    for path in paths:
        if path == "-":
            stream = stdin or sys.stdin.buffer
            yield from read_bytes("<stdin>", stream.read(max_bytes + 1), max_bytes=max_bytes)
            continue
        p = Path(path)
        if p.is_dir() or (p.is_file() and with_metadata and metadata.is_metadata_file(p)):
            files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else None
            yield from read_folder(files, max_bytes=max_bytes, with_metadata=with_metadata,
                                   index=None if files is not None else p)
        elif p.is_file():
            beside = _metadata_beside(p, max_bytes) if with_metadata else None
            for item in read_file(p, max_bytes=max_bytes):
                row = beside.row_for(p) if beside is not None else None
                if row is not None and isinstance(item, RawReport):
                    metadata.apply(item, row.values)
                yield item
        else:
            yield Problem(str(path), None, "missing", "no such file or folder")


def read_folder(files: list[Path] | None, *, max_bytes: int, with_metadata: bool = True,
                index: Path | None = None) -> Iterator[RawReport | Problem]:
    """The reports among ``files`` with their folders' metadata applied, then a
    Problem for each metadata row that named no report read. ``index``: one
    metadata file given alone, whose rows name the files to read."""
    found = metadata.FolderMetadata()
    tables = [index] if index is not None else \
        [f for f in files or [] if with_metadata and metadata.is_metadata_file(f)]
    for table in tables:
        yield from _load_metadata(found, table, max_bytes)
    yield from found.problems
    for table, line, values in found.documents:  # rows that carry their own text
        yield _json_report_values(f"{table}:{line}", values)
    if index is not None:
        files = sorted(row.file for row in found.rows.values() if row.file.is_file())
    read: set[Path] = set()
    for file in files or []:
        if file.suffix.lower() not in SUPPORTED or file.name.startswith(".") or file in tables:
            continue
        read.add(file.resolve())
        row = found.row_for(file)
        for item in read_file(file, max_bytes=max_bytes):
            if row is not None and isinstance(item, RawReport):
                metadata.apply(item, row.values)
            yield item
    yield from found.unused(read)


def _load_metadata(found: metadata.FolderMetadata, table: Path,
                   max_bytes: int) -> Iterator[Problem]:
    for item in read_file(table, max_bytes=max_bytes, raw=True):
        if isinstance(item, Problem):
            yield item
        else:
            found.add_file(table, item)


def _metadata_beside(path: Path, max_bytes: int) -> metadata.FolderMetadata | None:
    """The metadata files in a report's own folder (problems in them are the
    folder's business, not this report's)."""
    tables = sorted(f for f in path.parent.iterdir() if f.is_file() and metadata.is_metadata_file(f))
    if not tables:
        return None
    found = metadata.FolderMetadata()
    for table in tables:
        for _ in _load_metadata(found, table, max_bytes):
            pass
    return found


def read_file(path: Path, *, max_bytes: int, raw: bool = False) -> Iterator[RawReport | Problem | str]:
    """The reports in one file; ``raw``: its decoded text instead."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield Problem(source, None, "oversized",
                          f"skipped: {size:,} bytes is over the limit of {max_bytes:,}")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Problem(source, None, "unreadable", f"cannot read: {exc.strerror or exc}")
        return
    if raw:
        text = decode(source, data)
        yield text
        return
    yield from read_bytes(source, data, max_bytes=max_bytes, suffix=path.suffix.lower())


def read_bytes(source: str, data: bytes, *, max_bytes: int,
               suffix: str = "") -> Iterator[RawReport | Problem]:
    """Decode and dispatch one input by its suffix (or, for stdin, its content)."""
    if len(data) > max_bytes:
        yield Problem(source, None, "oversized", f"skipped: over the limit of {max_bytes:,} bytes")
        return
    if suffix in MIME_SUFFIXES:
        yield read_message(source, data, suffix=suffix)
        return
    text_or_problem = decode(source, data)
    if isinstance(text_or_problem, Problem):
        yield text_or_problem
        return
    text = text_or_problem
    if not text.strip():
        yield Problem(source, None, "empty", "skipped: the file is empty")
        return
    kind = suffix or _sniff(text)
    if kind in JSON_SUFFIXES:
        yield from read_json(source, text)
    elif kind in metadata.TABLE_SUFFIXES:
        yield from read_table(source, text, suffix=kind)
    elif kind in HTML_SUFFIXES:
        yield RawReport(source=source, html=text)
    else:
        yield RawReport(source=source, text=text)


def decode(source: str, data: bytes) -> str | Problem:
    """UTF-8 text (a BOM is dropped), or a Problem for binary/undecodable bytes."""
    head = data[:8192]
    if b"\x00" in head:
        return Problem(source, None, "binary", "skipped: binary content (NUL bytes), not a text report")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return Problem(source, line, "undecodable",
                       f"skipped: not valid UTF-8 (byte {exc.start}, line {line})")


def _sniff(text: str) -> str:
    start = text.lstrip()[:200].lower()
    if start.startswith("{") or start.startswith("["):
        return ".jsonl"
    if start.startswith("<"):
        return ".html"
    return ".txt"


def read_json(source: str, text: str) -> Iterator[RawReport | Problem]:
    """A JSON object, a JSON list of objects, or JSONL (one object per line)."""
    stripped = text.strip()
    if stripped.startswith("[") or "\n" not in stripped:
        try:
            whole = json.loads(stripped)
        except json.JSONDecodeError:
            whole = None
        if isinstance(whole, list):
            for index, item in enumerate(whole, start=1):
                yield from _json_report(source, index, item, listed=True)
            return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(source, number, "bad-json", f"skipped: malformed JSON ({exc.msg})")
            continue
        yield from _json_report(source, number, item)


def read_table(source: str, text: str, *, suffix: str) -> Iterator[RawReport | Problem]:
    """A CSV (or TSV) of articles, one a row, the text in a column (``text``,
    ``body``, ``content``…; ``metadata.COLUMNS``); its line is the row's."""
    for number, row in metadata.table_rows(source, text, suffix=suffix):
        if isinstance(row, Problem):
            yield row
            continue
        values = metadata.normalise_row(row)
        if not (values["text"] or values["html"]):
            yield Problem(source, number, "empty", "skipped: the row has no text column "
                                                   "(text, body, content, article) filled")
            continue
        yield _json_report_values(f"{source}:{number}", values)


def _json_report(source: str, number: int, item: object,
                 listed: bool = False) -> Iterator[RawReport | Problem]:
    where = f"{source}[{number}]" if listed else f"{source}:{number}"
    if not isinstance(item, dict):
        yield Problem(source, number, "bad-json", "skipped: a JSON line must be an object")
        return
    values = metadata.normalise_row(item)
    if not (values["text"] or values["html"]):
        yield Problem(source, number, "empty", "skipped: no 'text' or 'html' field")
        return
    yield _json_report_values(where, values)


def _json_report_values(where: str, values: dict[str, str | None]) -> RawReport:
    return RawReport(source=where, text=values["text"], html=values["html"], ref=values["id"],
                     url=values["url"], outlet=values["outlet"], title=values["title"],
                     published=values["published"], language=values["language"])
