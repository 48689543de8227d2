"""Progress of a long ingest: a tqdm bar on a terminal, plain lines otherwise.

A thin layer over the pipeline: it receives the run's ``Summary`` through the
``on_progress`` callback and never touches the engine. On a terminal, tqdm
(a dependency of spaCy, so always there) draws the bar in place; in a log or
CI output, where carriage returns pile up, a plain line in tqdm's format is
written at most every ``every`` seconds.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm

from .ingest import JSON_SUFFIXES, SUPPORTED
from .metadata import TABLE_SUFFIXES, is_metadata_file

LINE = "{n_fmt} reports, {rate_fmt}{postfix}"
LINE_OF_TOTAL = "{n_fmt}/{total_fmt} reports, {rate_fmt}, ETA {remaining}{postfix}"


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
        self.bar = tqdm(total=total, unit=" reports", file=self.stream, smoothing=0.1,
                        mininterval=0.5, dynamic_ncols=True) if self.tty else None

    def __call__(self, summary: Any) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(f"{summary.events:,} events", refresh=False)
            self.bar.update(reports_done(summary) - self.bar.n)
            return
        now = self.clock()
        if now - self._last_line >= self.every:
            self.stream.write(self.line(summary, now) + "\n")
            self.stream.flush()
            self._last_line = now

    def note(self, message: str) -> None:
        """A line of its own (a skipped file) without breaking the bar."""
        if self.bar is not None:
            self.bar.write(message, file=self.stream)
        else:
            self.stream.write(message + "\n")
            self.stream.flush()

    def close(self) -> None:
        """End the bar's line, so what is printed next starts on its own."""
        if self.bar is not None:
            self.bar.close()

    def line(self, summary: Any, now: float) -> str:
        """One plain line: reports done (of the total), the rate of analysed reports,
        the time left, the events found."""
        elapsed = max(now - self.started, 1e-9)
        rate = summary.stored / elapsed  # analysed reports set the pace, not skips
        return tqdm.format_meter(
            reports_done(summary), self.total, elapsed, unit=" reports", rate=rate,
            postfix=f"{summary.events:,} events", unit_scale=False,
            bar_format=LINE_OF_TOTAL if self.total else LINE)


def reports_done(summary: Any) -> int:
    """Reports finished one way or another: analysed and stored, known, or skipped."""
    return summary.stored + summary.already_stored + sum(summary.skipped.values())
