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

from .records import Problem

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES
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


def read_inputs(paths: Iterable[str], *, max_bytes: int,
                stdin: IO[bytes] | None = None) -> Iterator[RawReport | Problem]:
    """Every report under the given paths, in a stable order; '-' is stdin."""
    for path in paths:
        if path == "-":
            stream = stdin or sys.stdin.buffer
            yield from read_bytes("<stdin>", stream.read(max_bytes + 1), max_bytes=max_bytes)
            continue
        p = Path(path)
        if p.is_dir():
            for file in sorted(f for f in p.rglob("*") if f.is_file()):
                if file.suffix.lower() in SUPPORTED and not file.name.startswith("."):
                    yield from read_file(file, max_bytes=max_bytes)
        elif p.is_file():
            yield from read_file(p, max_bytes=max_bytes)
        else:
            yield Problem(str(path), None, "missing", "no such file or folder")


def read_file(path: Path, *, max_bytes: int) -> Iterator[RawReport | Problem]:
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
    yield from read_bytes(source, data, max_bytes=max_bytes, suffix=path.suffix.lower())


def read_bytes(source: str, data: bytes, *, max_bytes: int,
               suffix: str = "") -> Iterator[RawReport | Problem]:
    """Decode and dispatch one input by its suffix (or, for stdin, its content)."""
    if len(data) > max_bytes:
        yield Problem(source, None, "oversized", f"skipped: over the limit of {max_bytes:,} bytes")
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


def _json_report(source: str, number: int, item: object,
                 listed: bool = False) -> Iterator[RawReport | Problem]:
    where = f"{source}[{number}]" if listed else f"{source}:{number}"
    if not isinstance(item, dict):
        yield Problem(source, number, "bad-json", "skipped: a JSON line must be an object")
        return
    values = {k: item.get(k) for k in JSON_FIELDS}
    if not any(isinstance(values[k], str) and values[k].strip() for k in ("text", "html")):
        yield Problem(source, number, "empty", "skipped: no 'text' or 'html' field")
        return
    strings = {k: (str(v) if v is not None else None) for k, v in values.items()}
    yield RawReport(source=where, text=strings["text"], html=strings["html"],
                    ref=strings["id"], url=strings["url"], outlet=strings["outlet"],
                    title=strings["title"], published=strings["published"],
                    language=strings["language"])
