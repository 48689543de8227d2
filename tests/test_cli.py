"""The command line as a user runs it (a real subprocess, a real store)."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import SEEDS, seed


def run(*args, cwd, stdin=None):
    return subprocess.run([sys.executable, "-m", "peacetrack.cli", *args], cwd=cwd,
                          input=stdin, capture_output=True, text=True, timeout=600)


def test_ingest_then_export_jsonl(tmp_path):
    done = run("ingest", str(SEEDS), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "reports read: 5" in done.stdout and "events:" in done.stdout
    assert (tmp_path / "peacetrack.duckdb").exists()  # the default store
    exported = run("export", "--format", "jsonl", cwd=tmp_path)
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    kinds = {r["kind"] for r in records}
    assert {"document", "event"} <= kinds
    event = next(r for r in records if r["kind"] == "event")
    assert set(event) >= {"id", "doc", "span", "sentence", "trigger", "type", "mode", "context",
                          "actor", "recipient", "mediator", "status", "date", "location",
                          "confidence"}


def test_stdin_and_csv_parquet_export(tmp_path):
    text = seed("004").read_text(encoding="utf-8")
    done = run("ingest", "-", "--db", "s.duckdb", cwd=tmp_path, stdin=text)
    assert done.returncode == 0, done.stderr
    for fmt in ("csv", "parquet"):
        out = run("export", "--db", "s.duckdb", "--format", fmt, "-o", f"out-{fmt}", cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        assert (tmp_path / f"out-{fmt}" / f"events.{fmt}").stat().st_size > 100


def test_bad_input_is_reported_with_file_and_line(tmp_path):
    (tmp_path / "wire.jsonl").write_text('{"text": "Talks were held in Brussels."}\n{oops\n')
    done = run("ingest", "wire.jsonl", cwd=tmp_path)
    assert done.returncode == 0
    assert "wire.jsonl:2" in done.stderr
    assert "skipped: 1 (1 bad-json)" in done.stdout


def test_a_missing_model_says_how_to_install_it(tmp_path):
    (tmp_path / "r.txt").write_text("Talks were held.")
    done = run("ingest", "r.txt", "--model", "no_such_model_xyz", cwd=tmp_path)
    assert done.returncode == 2
    assert "no_such_model_xyz" in done.stderr and "pip install" in done.stderr
