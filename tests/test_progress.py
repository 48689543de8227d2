"""The ingest's progress: a bar on a terminal, plain lines elsewhere, then a summary."""

from __future__ import annotations

import io
import json
from collections import Counter

import pytest

from peacetrack.cli import main
from peacetrack.pipeline import Summary
from peacetrack.progress import Progress, count_reports, reports_done

from .conftest import seed


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _summary(stored: int, *, known: int = 0, skipped: int = 0, events: int = 0) -> Summary:
    return Summary(read=stored + known, stored=stored, already_stored=known, events=events,
                   skipped=Counter({"empty": skipped}) if skipped else Counter())


@pytest.mark.parametrize("summary, done", [
    (_summary(0), 0),
    (_summary(10), 10),
    (_summary(10, known=5, skipped=2), 17),
])
def test_reports_done_counts_stored_known_and_skipped(summary, done):
    assert reports_done(summary) == done


@pytest.mark.parametrize("total, elapsed, summary, expected", [
    (100, 10.0, _summary(20, events=7), "20/100 reports,  2.00 reports/s, ETA 00:40, 7 events"),
    (None, 10.0, _summary(20), "20 reports,  2.00 reports/s, 0 events"),
    (20_000, 100.0, _summary(1_300, events=9_000),
     "1300/20000 reports, 13.00 reports/s, ETA 23:58, 9,000 events"),
    (100_000, 100.0, _summary(1_300), "1300/100000 reports, 13.00 reports/s, ETA 2:06:32, 0 events"),
])
def test_a_plain_line_says_done_rate_and_eta(total, elapsed, summary, expected):
    clock = Clock()
    progress = Progress(total, stream=io.StringIO(), tty=False, clock=clock)
    assert progress.line(summary, clock.now + elapsed) == expected


def test_on_a_terminal_tqdm_draws_one_bar_in_place():
    out = io.StringIO()
    progress = Progress(40, stream=out, tty=True)
    assert progress.bar is not None  # the library's bar, not one of ours
    for stored in (10, 20, 40):
        progress(_summary(stored, events=stored))
    progress.close()
    text = out.getvalue()
    assert "\r" in text and text.endswith("\n") and text.count("\n") == 1
    assert "40/40" in text and "40 events" in text and "100%" in text


def test_in_a_log_lines_come_at_most_every_few_seconds():
    clock, out = Clock(), io.StringIO()
    progress = Progress(1000, stream=out, tty=False, every=10, clock=clock)
    for _ in range(30):  # a batch every 2 s for a minute
        clock.now += 2
        progress(_summary(10))
    lines = out.getvalue().splitlines()
    assert 5 <= len(lines) <= 7 and "\r" not in out.getvalue()


def test_a_note_clears_the_bar_and_stands_on_its_own_line():
    out = io.StringIO()
    progress = Progress(10, stream=out, tty=True, clock=Clock())
    progress(_summary(1))
    progress.note("skipped a.txt: empty")
    assert "skipped a.txt: empty\n" in out.getvalue()
    before = out.getvalue().split("skipped a.txt")[0]
    assert before.endswith("\r")  # the bar's line was cleared first


def test_count_reports_counts_files_and_jsonl_lines(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b.html").write_text("<p>x</p>")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "wire.jsonl").write_text("\n".join(json.dumps({"text": str(i)}) for i in range(7)))
    assert count_reports([str(tmp_path)]) == 9
    assert count_reports([str(tmp_path / "a.txt"), str(tmp_path / "wire.jsonl")]) == 8
    assert count_reports(["-"]) is None


def test_ingest_command_ends_with_a_summary(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "report.txt").write_text(seed("003").read_text(encoding="utf-8"))
    (tmp_path / "in" / "empty.txt").write_text("")
    # exit 3: stored, with an input skipped (README, "Exit codes")
    assert main(["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "s.duckdb")]) == 3
    out, err = capsys.readouterr()
    assert "skipped" in err and "empty" in err
    assert "2/2 reports" in err  # the last progress line (not a terminal: a plain line)
    for words in ("reports read: 1", "stored: 1", "skipped: 1 (1 empty)", "events:", "quotes:",
                  "stances:", "seconds:"):
        assert words in out
