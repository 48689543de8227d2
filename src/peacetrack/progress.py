"""Progress of a long ingest: a bar on a terminal, plain lines otherwise.

A thin layer over the pipeline: it receives the run's ``Summary`` through the
``on_progress`` callback and never touches the engine. On a terminal one
line is redrawn in place (reports done, reports/s, ETA); in a log or CI
output, where carriage returns pile up, a plain line is written at most
every ``every`` seconds.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from .ingest import JSON_SUFFIXES, SUPPORTED
from .metadata import TABLE_SUFFIXES, is_metadata_file

BAR_WIDTH = 24


def count_reports(paths: Iterable[str]) -> int | None:
    """How many reports the inputs hold, cheaply (files, and lines of JSONL files),
    for the ETA; None when unknown (standard input)."""
    total = 0
    for path in paths:
        if path == "-":
            return None
        p = Path(path)
        files = sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
        for file in files:
            if file.suffix.lower() in SUPPORTED and not file.name.startswith(".") and \
                    not is_metadata_file(file):  # metadata describes reports, it is none
                total += _reports_in(file)
    return total


def _reports_in(file: Path) -> int:
    if file.suffix.lower() not in JSON_SUFFIXES | TABLE_SUFFIXES:
        return 1
    try:
        with open(file, "rb") as handle:
            return sum(1 for line in handle if line.strip()) or 1
    except OSError:
        return 1


class Progress:
    """Renders a run's progress; call it with the Summary (``on_progress``)."""

    def __init__(self, total: int | None = None, *, stream: TextIO | None = None,
                 tty: bool | None = None, every: float = 10.0,
                 clock=time.monotonic) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.every = every
        self.clock = clock
        self.started = clock()
        self._last_line = float("-inf")
        self._drawn = False

    def __call__(self, summary: Any) -> None:
        now = self.clock()
        if self.tty:
            self.stream.write("\r" + self.line(summary, now) + "\x1b[K")
            self._drawn = True
        elif now - self._last_line >= self.every:
            self.stream.write(self.line(summary, now) + "\n")
            self._last_line = now
        self.stream.flush()

    def note(self, message: str) -> None:
        """A line of its own (a skipped file) without breaking the bar."""
        self.stream.write(("\r\x1b[K" if self._drawn else "") + message + "\n")
        self._drawn = False
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line, so what is printed next starts on its own."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False

    def line(self, summary: Any, now: float) -> str:
        done = reports_done(summary)
        elapsed = max(now - self.started, 1e-9)
        rate = summary.stored / elapsed  # analysed reports set the pace, not skips
        parts = [f"{done:,}" + (f"/{self.total:,}" if self.total else "") + " reports",
                 f"{rate:.1f} reports/s"]
        if self.total and rate > 0:
            parts.append(f"ETA {_clock(max(self.total - done, 0) / rate)}")
        parts.append(f"{summary.events:,} events")
        text = ", ".join(parts)
        if self.tty and self.total:
            text = f"{_bar(done / self.total)} {text}"
        return text


def reports_done(summary: Any) -> int:
    """Reports finished one way or another: analysed and stored, known, or skipped."""
    return summary.stored + summary.already_stored + sum(summary.skipped.values())


def _bar(fraction: float) -> str:
    filled = round(BAR_WIDTH * min(max(fraction, 0.0), 1.0))
    return "[" + "#" * filled + "." * (BAR_WIDTH - filled) + "]"


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
