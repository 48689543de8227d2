"""The command line as a user runs it (a real subprocess, a real store)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

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
    assert done.returncode == 3  # stored, with some input skipped
    assert "wire.jsonl:2" in done.stderr
    assert "skipped: 1 (1 bad-json)" in done.stdout


def test_a_missing_model_says_how_to_install_it(tmp_path):
    (tmp_path / "r.txt").write_text("Talks were held.")
    done = run("ingest", "r.txt", "--model", "no_such_model_xyz", cwd=tmp_path)
    assert done.returncode == 2
    assert "no_such_model_xyz" in done.stderr and "pip install" in done.stderr


# -- exit codes and messages (issue 17) ---------------------------------------------

GOOD = '{"text": "Azerbaijan and Armenia exchanged prisoners on Monday.", "published": "2023-12-13"}'


@pytest.mark.parametrize("files, paths, code", [
    ({"a.jsonl": GOOD + "\n"}, ["a.jsonl"], 0),                       # all stored
    ({"a.jsonl": GOOD + "\n{oops\n"}, ["a.jsonl"], 3),              # some input skipped
    ({"a.jsonl": GOOD + "\n"}, ["a.jsonl", "nowhere.txt"], 3),       # a path that does not exist
    ({}, ["nowhere.txt"], 4),                                        # nothing to read
    ({"bad.jsonl": "{oops\n", "empty.txt": ""}, ["bad.jsonl", "empty.txt"], 4),
    ({"folder/notes.pdf": "%PDF"}, ["folder"], 4),                   # a folder with no reports
])
def test_ingest_exit_codes_tell_what_was_stored(tmp_path, files, paths, code):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    done = run("ingest", *paths, "--quiet", cwd=tmp_path)
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    if code == 0:  # again: already stored, still all in (and no model is loaded for nothing new)
        again = run("ingest", *paths, "--quiet", "--model", "no_such_model_xyz", cwd=tmp_path)
        assert again.returncode == 0 and "already stored: 1" in again.stdout, again.stderr


@pytest.mark.parametrize("profile, expected", [
    ("name: x\nentities: 12\n", "p.yaml:2: entities: expected a list, got '12'"),
    ("", "the profile is empty"),
    ("name: x\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
     "entities: [{id: lol, aliases: *f}]\n", "YAML aliases expand the profile"),
])
def test_a_bad_profile_is_a_message_not_a_traceback(tmp_path, profile, expected):
    (tmp_path / "p.yaml").write_text(profile)
    (tmp_path / "r.txt").write_text("Talks were held in Brussels.")
    for argv in (("ingest", "r.txt", "--profile", "p.yaml"),
                 ("report", "--profile", "p.yaml", "--db", "none.duckdb")):
        done = run(*argv, cwd=tmp_path)
        assert done.returncode == 2 and expected in done.stderr, done.stderr
        assert "Traceback" not in done.stderr


def test_unknown_profile_keys_are_warned_of(tmp_path):
    (tmp_path / "p.yaml").write_text("name: x\nactors: 12\nissues: [{id: peace-treaty}]\n")
    done = run("list", "issues", "--profile", "p.yaml", cwd=tmp_path)
    assert done.returncode == 0
    assert "warning:" in done.stderr and "p.yaml:2" in done.stderr and "'actors'" in done.stderr


@pytest.mark.parametrize("argv, expected", [
    (("export", "--format", "csv"), "give -o FOLDER"),
    (("export", "--db", "missing.duckdb"), "no store at missing.duckdb"),
    (("serve", "--port", "70000"), "70000 is not a port"),
    (("quotes", "--db", "missing.duckdb"), "no store at"),
])
def test_usage_errors_are_messages(tmp_path, argv, expected):
    done = run(*argv, cwd=tmp_path)
    assert done.returncode == 2 and expected in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_serve_on_a_busy_port_says_so(tmp_path):
    import socket

    from peacetrack.store import Store

    Store(tmp_path / "x.duckdb").close()  # an empty store
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run("serve", "--port", str(port), "--db", "x.duckdb", "--profile", "none",
                   cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert f"cannot serve on 127.0.0.1:{port}" in done.stderr and "Traceback" not in done.stderr


def test_settings_with_no_valid_value_are_messages(tmp_path):
    (tmp_path / "peacetrack.toml").write_text("[peacetrack]\nmax_byts = 5\n")
    done = run("list", "profiles", cwd=tmp_path)
    assert done.returncode == 2 and "unknown setting 'max_byts'" in done.stderr
    (tmp_path / "peacetrack.toml").write_text("[peacetrack]\nsection_chars = 5000000\n")
    done = run("list", "profiles", cwd=tmp_path)
    assert done.returncode == 2 and "section_chars must be from 1000 to 1,000,000" in done.stderr


def test_export_into_a_closed_pipe_is_quiet(tmp_path):
    (tmp_path / "a.jsonl").write_text(GOOD + "\n")
    assert run("ingest", "a.jsonl", "--quiet", cwd=tmp_path).returncode == 0
    done = subprocess.run(f"{sys.executable} -m peacetrack.cli export | head -c 10",
                          shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=600,
                          executable="/bin/bash")
    assert done.stderr == "" and len(done.stdout) == 10
