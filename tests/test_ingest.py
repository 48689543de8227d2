"""Readers: every supported input, and bad input that never stops a run."""

from __future__ import annotations

import io
import json

import pytest

from peacetrack.ingest import RawReport, read_inputs
from peacetrack.records import Problem

from .conftest import SEEDS


def _read(paths, **kwargs):
    return list(read_inputs([str(p) for p in paths], max_bytes=kwargs.pop("max_bytes", 1_000_000),
                            **kwargs))


def test_a_folder_is_read_recursively_in_a_stable_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Second report.")
    (tmp_path / "one.html").write_text("<html><body><p>First.</p></body></html>")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")  # not a report format: ignored in folders
    items = _read([tmp_path])
    assert [type(i) for i in items] == [RawReport, RawReport]
    assert items[0].source.endswith("b/two.txt") and items[0].text == "Second report."
    assert items[1].html.startswith("<html>")


def test_the_seeds_are_read_as_text():
    items = _read([SEEDS])
    assert len(items) == 5 and all(isinstance(i, RawReport) and i.text for i in items)


def test_jsonl_fields_and_line_numbers(tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_text(
        json.dumps({"id": "a1", "title": "T", "published": "2023-07-15", "outlet": "X",
                    "text": "Leaders met."}) + "\n"
        + "{not json\n\n"
        + json.dumps({"id": "a3", "title": "no text"}) + "\n"
        + json.dumps(["not", "an", "object"]) + "\n"
        + json.dumps({"id": "a5", "html": "<p>Talks.</p>"}) + "\n")
    items = _read([path])
    report, bad, empty, not_object, html = items
    assert isinstance(report, RawReport) and report.ref == "a1" and report.published == "2023-07-15"
    assert report.source == f"{path}:1"
    assert isinstance(bad, Problem) and bad.line == 2 and bad.reason == "bad-json"
    assert f"{path}:2" in str(bad)
    assert isinstance(empty, Problem) and empty.line == 4 and empty.reason == "empty"
    assert isinstance(not_object, Problem) and not_object.line == 5
    assert isinstance(html, RawReport) and html.html == "<p>Talks.</p>"


@pytest.mark.parametrize("content, reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"caf\xe9 au lait\n", "undecodable"),
])
def test_bad_files_are_problems_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("A report that is fine.")
    items = _read([path, good])
    assert isinstance(items[0], Problem) and items[0].reason == reason
    assert str(path) in str(items[0])
    assert isinstance(items[1], RawReport)  # the run goes on


def test_oversized_files_are_skipped(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    (problem,) = _read([path], max_bytes=100)
    assert problem.reason == "oversized" and "big.txt" in str(problem)


def test_missing_path_is_a_problem(tmp_path):
    (problem,) = _read([tmp_path / "nowhere.txt"])
    assert problem.reason == "missing"


@pytest.mark.parametrize("data, field", [
    (b"Aliyev and Pashinyan met in Brussels.", "text"),
    (b"<html><body><p>Talks were held.</p></body></html>", "html"),
    (b'{"text": "Talks were held.", "id": "x"}\n', "text"),
])
def test_stdin_is_sniffed(data, field):
    (item,) = list(read_inputs(["-"], max_bytes=1000, stdin=io.BytesIO(data)))
    assert isinstance(item, RawReport) and getattr(item, field)
