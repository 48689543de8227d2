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


# -- size limits per document; JSONL and standard input stream (issue 17) ------

def _dump(n: int, words: int = 600) -> bytes:
    """A crawler's dump: n reports of about ``words`` words, one JSON object a line."""
    return b"".join(json.dumps({"id": f"r{i}", "published": "2023-07-16",
                                "text": f"Report {i}. " + "Talks were held in Brussels. " * (words // 5)
                                }).encode() + b"\n" for i in range(n))


def test_a_jsonl_dump_over_the_limit_is_read_report_by_report(tmp_path):
    data = _dump(1500)
    assert len(data) > 5_000_000  # over the default limit, which was applied to the whole file
    path = tmp_path / "dump.jsonl"
    path.write_bytes(data)
    for items in (list(read_inputs([str(path)], max_bytes=5_000_000)),
                  list(read_inputs(["-"], max_bytes=5_000_000, stdin=io.BytesIO(data)))):
        assert len(items) == 1500 and all(isinstance(i, RawReport) for i in items)
        assert items[-1].ref == "r1499" and items[-1].source.endswith(":1500")


class _Tape(io.BytesIO):
    """A stream that remembers how far it has been read."""

    furthest = 0

    def read(self, size=-1):
        out = super().read(size)
        self.furthest = max(self.furthest, self.tell())
        return out

    def readline(self, size=-1):
        out = super().readline(size)
        self.furthest = max(self.furthest, self.tell())
        return out


@pytest.mark.parametrize("data", [_dump(300), b"[" + b",".join(_dump(300).splitlines()) + b"]"])
def test_standard_input_is_read_as_it_comes(data):
    stream = _Tape(data)
    reports = read_inputs(["-"], max_bytes=5_000_000, stdin=stream)
    first = next(reports)
    assert isinstance(first, RawReport) and first.ref == "r0"
    assert stream.furthest < len(data) // 2  # the first report comes before the stream is read
    assert len(list(reports)) == 299


def test_an_oversized_line_is_skipped_with_its_number_and_the_rest_read(tmp_path):
    path = tmp_path / "wire.jsonl"
    big = json.dumps({"text": "word " * 5000}).encode()
    path.write_bytes(b"\n".join([json.dumps({"text": "First."}).encode(), big,
                                 json.dumps({"text": "Third."}).encode()]) + b"\n")
    first, problem, third = _read([path], max_bytes=10_000)
    assert first.text == "First." and third.text == "Third." and third.source.endswith(":3")
    assert problem.reason == "oversized" and problem.line == 2
    assert f"{path}:2" in str(problem) and "25,0" in problem.message  # its size, in bytes


def test_a_json_list_is_read_item_by_item(tmp_path):
    items = [{"text": "First."}, {"text": "word " * 5000}, {"text": "Third."}]
    path = tmp_path / "list.json"
    path.write_text(json.dumps(items, indent=1))
    first, problem, third = _read([path], max_bytes=10_000)
    assert first.text == "First." and third.source == f"{path}[3]"
    assert problem.reason == "oversized" and problem.line == 2


@pytest.mark.parametrize("data, reason", [
    (b'[{"text": "First."}, {"text": "unclosed', "bad-json"),
    (b'[{"text": "First."}, {"text": "caf\xe9"}]', "undecodable"),
    (b'[{"text": "First."}, ' + b"[" * 100_000, "bad-json"),  # nested too deep
])
def test_a_broken_json_list_keeps_what_came_before(tmp_path, data, reason):
    path = tmp_path / "list.json"
    path.write_bytes(data)
    first, problem = _read([path], max_bytes=1_000_000)
    assert first.text == "First."
    assert problem.reason == reason and problem.line == 2 and str(path) in str(problem)


def test_a_bad_line_in_jsonl_is_named_and_the_next_read(tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_bytes(b'{"text": "One."}\n{"text": "caf\xe9"}\n\x00\x00\n[1, 2]\n{"text": "Five."}\n')
    one, undecodable, nul, not_object, five = _read([path])
    assert one.text == "One." and five.source.endswith(":5")
    assert (undecodable.reason, undecodable.line) == ("undecodable", 2)
    assert (nul.reason, nul.line) == ("bad-json", 3)
    assert (not_object.reason, not_object.line) == ("bad-json", 4)
