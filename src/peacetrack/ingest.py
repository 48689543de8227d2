"""Readers: files, folders, JSONL and standard input -> raw reports (SPEC §1).

A reader never raises on bad input: it yields a ``Problem`` naming the file
(and line) and goes on with the rest. Size limits apply per document (SPEC
§1): a text or HTML file is one document; a JSONL file or stream is read
line by line and a JSON list item by item, so a crawler's dump of any size
is read, and only a document over ``max_bytes`` is skipped.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from . import metadata
from .clean import as_text
from .mime import MIME_SUFFIXES, read_message
from .records import Problem

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | metadata.TABLE_SUFFIXES | MIME_SUFFIXES
JSON_FIELDS = ("id", "url", "outlet", "title", "published", "language", "text", "html")
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8 (surrogateescape)
CHUNK = 1 << 20  # bytes read at a time from a JSON list
SNIFF = 8192  # bytes of standard input looked at to tell JSON, HTML and text apart


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
            yield from read_stream("<stdin>", stdin or sys.stdin.buffer, max_bytes=max_bytes)
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
    """The reports in one file: a stream of JSON documents, or one text, HTML,
    table or mail document; ``raw``: its decoded text instead (a metadata file)."""
    source = str(path)
    try:
        with open(path, "rb") as handle:
            if path.suffix.lower() in JSON_SUFFIXES and not raw:
                yield from read_json_stream(source, handle, max_bytes=max_bytes)
                return
            size = path.stat().st_size
            if size > max_bytes:
                yield _oversized(source, None, size, max_bytes)
                return
            data = handle.read()
    except OSError as exc:
        yield Problem(source, None, "unreadable", f"cannot read: {exc.strerror or exc}")
        return
    if raw:
        text = decode(source, data)
        yield text
        return
    yield from read_bytes(source, data, max_bytes=max_bytes, suffix=path.suffix.lower())


def read_stream(source: str, stream: BinaryIO, *, max_bytes: int) -> Iterator[RawReport | Problem]:
    """Standard input: JSON documents (read as they come), or one text or HTML report."""
    head = stream.read(SNIFF)
    if _sniff_lines(head.decode("utf-8", "replace")) == ".jsonl":
        yield from read_json_stream(source, stream, max_bytes=max_bytes, head=head)
        return
    data = head + stream.read(max(0, max_bytes + 1 - len(head)))
    if len(data) > max_bytes:
        yield _oversized(source, None, None, max_bytes)
        return
    yield from read_bytes(source, data, max_bytes=max_bytes)


def read_bytes(source: str, data: bytes, *, max_bytes: int,
               suffix: str = "") -> Iterator[RawReport | Problem]:
    """Decode and dispatch one input by its suffix (or, for stdin, its content)."""
    if len(data) > max_bytes:
        yield _oversized(source, None, len(data), max_bytes)
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
        yield from read_json_stream(source, io.BytesIO(data), max_bytes=max_bytes)
    elif kind in metadata.TABLE_SUFFIXES:
        yield from read_table(source, text, suffix=kind)
    elif kind in HTML_SUFFIXES:
        yield RawReport(source=source, html=text)
    else:
        yield RawReport(source=source, text=text)


def _oversized(source: str, line: int | None, size: int | None, max_bytes: int) -> Problem:
    what = f"{size:,} bytes is" if size is not None else "it is"
    return Problem(source, line, "oversized",
                   f"skipped: {what} over the limit of {max_bytes:,} bytes per report "
                   "(the max_bytes setting)")


def decode(source: str, data: bytes, line: int | None = None) -> str | Problem:
    """UTF-8 text (a BOM is dropped), or a Problem for binary/undecodable bytes."""
    head = data[:8192]
    if b"\x00" in head:
        return Problem(source, line, "binary", "skipped: binary content (NUL bytes), not a text report")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        at = line or data[:exc.start].count(b"\n") + 1
        return Problem(source, at, "undecodable",
                       f"skipped: not valid UTF-8 (byte {exc.start}, line {at})")


def _sniff(text: str) -> str:
    start = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if start.startswith("{") or start.startswith("["):
        return ".jsonl"
    if start.startswith("<"):
        return ".html"
    return ".txt"


def _sniff_lines(head: str) -> str:
    """What a stream is from its first bytes: JSON when it opens with a JSON
    value, or when one of its first lines is a JSON object (stray lines before
    it do not make a JSONL stream one text report)."""
    kind = _sniff(head)
    if kind != ".txt":
        return kind
    for line in head.split("\n")[:-1][:50]:  # whole lines only
        if line.lstrip().startswith("{"):
            try:
                if isinstance(json.loads(line), dict):
                    return ".jsonl"
            except (json.JSONDecodeError, RecursionError):
                continue
    return kind


def read_json_stream(source: str, stream: BinaryIO, *, max_bytes: int,
                     head: bytes = b"") -> Iterator[RawReport | Problem]:
    """A JSON list of objects (read item by item), or JSONL: one object per
    line, each line at most ``max_bytes``; a bad or oversized line is skipped
    with its number and the lines after it are read."""
    head, blank_lines = _content_start(stream, head)
    if head.startswith(b"["):
        yield from _json_list(source, head, stream, max_bytes)
        return
    for number, line, size in _lines(stream, head, max_bytes):
        if line is None or line.strip():
            yield from _json_line(source, number + blank_lines, line, size, max_bytes)


def _content_start(stream: BinaryIO, head: bytes) -> tuple[bytes, int]:
    """The stream from its first byte that is not a BOM or white space (what
    was read of it), and how many lines came before that byte."""
    head = head or stream.read(SNIFF)
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    lines = 0
    while True:
        content = head.lstrip(b" \t\r\n")
        lines += head.count(b"\n", 0, len(head) - len(content))
        if content:
            return content, lines
        head = stream.read(SNIFF)
        if not head:
            return b"", lines


def _lines(stream: BinaryIO, head: bytes,
           max_bytes: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(number, line, size) for each line; the line is None when it is over
    ``max_bytes`` (its bytes are skipped, never held)."""
    pending = head
    number = 0
    while True:
        cut = pending.find(b"\n")
        if cut < 0 and len(pending) <= max_bytes:
            more = stream.readline(max_bytes + 1 - len(pending))
            if more:
                pending += more
                continue
        number += 1
        if cut >= 0:
            line, pending = pending[:cut + 1], pending[cut + 1:]
        else:
            line, pending = pending, b""
        if not line:
            return
        if len(line) > max_bytes and not (len(line) == max_bytes + 1 and line.endswith(b"\n")):
            size = len(line)
            while not line.endswith(b"\n"):  # skip to the end of the line
                line = stream.readline(CHUNK)
                if not line:
                    break
                size += len(line)
            yield number, None, size
            continue
        yield number, line, len(line)


def _json_line(source: str, number: int, line: bytes | None, size: int,
               max_bytes: int) -> Iterator[RawReport | Problem]:
    if line is None:
        yield _oversized(source, number, size, max_bytes)
        return
    text = decode(source, line, number)
    if isinstance(text, Problem):
        yield text if text.reason != "binary" else \
            Problem(source, number, "bad-json", "skipped: malformed JSON (NUL bytes)")
        return
    try:
        item = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Problem(source, number, "bad-json", f"skipped: malformed JSON ({exc.msg})")
        return
    except RecursionError:
        yield Problem(source, number, "bad-json", "skipped: JSON nested too deep")
        return
    yield from _json_report(source, number, item)


def _json_list(source: str, first: bytes, stream: BinaryIO,
               max_bytes: int) -> Iterator[RawReport | Problem]:
    """The items of a JSON list, decoded one at a time from a rolling buffer:
    the list may be larger than memory, an item at most ``max_bytes``."""
    decoder = json.JSONDecoder()
    # bytes that are not UTF-8 become lone surrogates, so that only the item
    # holding them is skipped
    text = codecs.getincrementaldecoder("utf-8-sig")(errors="surrogateescape")
    buffer, at, index, done = "", 0, 0, False
    chunks = iter([first])

    def more(size: int) -> bool:
        nonlocal buffer, at
        data = next(chunks, None)
        if data is None:
            data = stream.read(size)
        buffer = buffer[at:] + text.decode(data, final=not data)
        at = 0
        return bool(data)

    more(CHUNK)
    at = buffer.index("[") + 1
    want = CHUNK
    while True:
        while True:  # the separator before the next item
            while at < len(buffer) and buffer[at] in " \t\r\n,":
                at += 1
            if at < len(buffer) or done:
                break
            done = not more(CHUNK)
        if at >= len(buffer):
            yield Problem(source, index + 1, "bad-json", "skipped: the JSON list is not closed")
            return
        if buffer[at] == "]":
            return
        try:
            item, end = decoder.raw_decode(buffer, at)
        except (json.JSONDecodeError, RecursionError) as exc:
            if len(buffer) - at > max_bytes:
                yield _oversized(source, index + 1, None, max_bytes)
                return
            if done:
                message = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deep"
                yield Problem(source, index + 1, "bad-json",
                              f"skipped: malformed JSON ({message}); the rest of the list is unread")
                return
            done = not more(want)
            want *= 2  # a large item: read more at a time, parse it fewer times
            continue
        if end == len(buffer) and not done:  # a number or word may go on in the next bytes
            done = not more(want)
            continue
        want = CHUNK
        index += 1
        start, at = at, end
        if end - start > max_bytes // 4:  # (a character is at most 4 bytes)
            size = len(buffer[start:end].encode("utf-8", "surrogateescape"))
            if size > max_bytes:
                yield _oversized(source, index, size, max_bytes)
                continue
        if _ESCAPED.search(buffer, start, end):
            yield Problem(source, index, "undecodable", "skipped: not valid UTF-8")
            continue
        yield from _json_report(source, index, item, listed=True)


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
    strings = {k: (as_text(v) if v is not None else None) for k, v in values.items()}
    return RawReport(source=where, text=strings["text"], html=strings["html"], ref=strings["id"],
                     url=strings["url"], outlet=strings["outlet"], title=strings["title"],
                     published=strings["published"], language=strings["language"])
