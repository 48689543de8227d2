"""The fuzz and fault suite (issue 17): hostile input of every kind never stops
a run nor loses a report, and ``kill -9`` at random points of an ingest, each
followed by the same ingest, always leaves the store a clean run leaves.

    make test                        # the suite at its everyday size (a few minutes)
    PEACETRACK_SOAK=1 make test      # the soak: 25x the examples, 100 kills,
                                     # a 10 MB single-paragraph report analysed whole

Its figures (inputs tried, faults injected, documents lost, peak memory on the
largest input) go to out/test-artifacts/robustness.json.
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peacetrack.clean import html_to_text
from peacetrack.errors import FilterError, ProfileError
from peacetrack.ingest import RawReport, read_inputs
from peacetrack.nlp import pieces
from peacetrack.pipeline import prepare
from peacetrack.profile import load_profile
from peacetrack.queries import check_date
from peacetrack.records import Problem
from peacetrack.store import Store

from .conftest import DEMO, ROOT, SEEDS

SOAK = os.environ.get("PEACETRACK_SOAK") == "1"
EXAMPLES = 1000 if SOAK else 40
KILLS = 100 if SOAK else 3
FIGURES: Counter = Counter()
PEAK_RSS: dict[str, float] = {}
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
SENTENCES = [s.strip() + "." for t in SEED_TEXTS for s in t.split(". ") if 20 < len(s) < 300]
# Characters that break naive text handling: controls, zero-width and direction
# marks, right-to-left letters, combining marks, emoji, line separators, lone surrogates.
HOSTILE = ("\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\u200b\u200c\u200d\u200e\u200f\u2028\u2029"
           "\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2069\ufeff\ufffd\ufffe"
           "\u0627\u0644\u0633\u0644\u0627\u0645\u05e9\u05dc\u05d5\u05dd\u0301\u0308\u20dd"
           "\U0001f54a\U0001f1e6\U0001f1ff\ud800\udfff \t\n\"'<>&\\{}[]")


@pytest.fixture(scope="module", autouse=True)
def figures():
    """Write the suite's figures when it ends (the issue's closing note quotes them)."""
    yield
    out = ROOT / "out" / "test-artifacts"
    out.mkdir(parents=True, exist_ok=True)
    (out / "robustness.json").write_text(json.dumps(
        {"soak": SOAK, "inputs_tried": sum(v for k, v in FIGURES.items() if k.startswith("input")),
         "inputs": {k: v for k, v in FIGURES.items() if k.startswith("input")},
         "faults_injected": FIGURES["faults"], "documents_lost": FIGURES["lost"],
         "peak_rss_mb": PEAK_RSS}, indent=2) + "\n")


# -- any text, analysed -------------------------------------------------------------

hostile_text = st.lists(st.one_of(st.sampled_from(SENTENCES),
                                  st.text(alphabet=HOSTILE, max_size=40),
                                  st.text(max_size=40),
                                  st.sampled_from(["\n", "\n\n", " ", "\r\n", "\u2029"])),
                        min_size=1, max_size=12).map("".join)


@FUZZ
@given(text=hostile_text)
def test_any_text_is_analysed_with_every_record_pointing_into_it(analyzer, text):
    FIGURES["inputs: texts analysed"] += 1
    document = prepare(RawReport(source="fuzz.txt", text=text, published="2023-07-16"))
    if isinstance(document, Problem):
        assert document.reason == "empty"
        return
    (analysis,) = analyzer.analyse([document])
    cleaned = document.text
    for record in analysis.records()[1:]:
        start, end = record["span"]
        assert 0 <= start < end <= len(cleaned)
        if record["kind"] == "event":
            assert cleaned[start:end] == record["sentence"]
        if record["kind"] == "quote":
            assert cleaned[start:end] == record["text"]
    with Store(":memory:") as store:  # and stored as it is
        store.write([analysis])
        assert list(store.records()) == [json.loads(json.dumps(r)) for r in analysis.records()
                                         if r["kind"] == "document"] + \
            [json.loads(json.dumps(r)) for kind in ("event", "quote", "stance")
             for r in sorted((r for r in analysis.records() if r["kind"] == kind),
                             key=lambda r: (r["span"][0], r["id"]))]


@FUZZ
@given(text=st.text(alphabet=HOSTILE + "abc .\n", max_size=3000),
       limit=st.integers(min_value=2, max_value=400))
def test_pieces_of_any_text_join_back_within_the_limit(text, limit):
    FIGURES["inputs: texts cut"] += 1
    cut = pieces(text, limit)
    assert "".join(cut) == text and all(len(p) <= limit for p in cut)


# -- any bytes, read ----------------------------------------------------------------

good_line = st.builds(lambda n: json.dumps({"id": f"good-{n}", "text": f"Report {n} was filed."}),
                      st.integers(0, 10**6))
bad_line = st.one_of(st.binary(max_size=200).map(lambda b: b.replace(b"\n", b" ")),
                     st.text(alphabet=HOSTILE + '{}[]":,', max_size=80).map(
                         lambda t: t.replace("\n", " ").encode("utf-8", "surrogatepass")))


@FUZZ
@given(lines=st.lists(st.one_of(good_line.map(str.encode), bad_line), max_size=30),
       max_bytes=st.sampled_from([60, 200, 5_000_000]))
def test_any_bytes_in_a_jsonl_stream_cost_only_their_own_line(tmp_path, lines, max_bytes):
    FIGURES["inputs: JSONL streams"] += 1
    data = b"\n".join(lines) + b"\n"
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(data)
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    for items in (list(read_inputs([str(path)], max_bytes=max_bytes)),
                  list(read_inputs(["-"], max_bytes=max_bytes, stdin=io.BytesIO(data)))):
        assert all(isinstance(i, (RawReport, Problem)) for i in items)
        if start == b"[":
            continue  # read as a JSON list: item by item, see below
        if start == b"<" and items and items[0].source == "<stdin>":
            continue  # standard input that opens with a tag is one web page
        read = {i.ref for i in items if isinstance(i, RawReport)}
        for number, line in enumerate(lines, start=1):
            if line.startswith(b'{"id": "good-') and len(line) + 1 <= max_bytes:
                assert json.loads(line)["id"] in read, (number, line)


@FUZZ
@given(items=st.lists(st.one_of(good_line, st.text(alphabet=HOSTILE + '{}[]":,0', max_size=40)),
                      max_size=20),
       indent=st.sampled_from([None, 1]))
def test_a_json_list_with_any_items_keeps_the_good_ones_before_a_break(tmp_path, items, indent):
    FIGURES["inputs: JSON lists"] += 1
    data = "[" + (",\n" if indent else ",").join(items) + "]"
    path = tmp_path / "fuzz.json"
    path.write_bytes(data.encode("utf-8", "surrogatepass"))
    found = list(read_inputs([str(path)], max_bytes=5_000_000))
    assert all(isinstance(i, (RawReport, Problem)) for i in found)
    good = [json.loads(i)["id"] for i in items if i.startswith('{"id": "good-')]
    read = [i.ref for i in found if isinstance(i, RawReport) and i.ref and i.ref.startswith("good-")]
    assert read == good[:len(read)]  # in order, and none made up
    if len(good) == len(items):
        assert read == good  # a list of good items is read whole


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".html", ".json", ""]))
def test_any_file_is_read_or_named_as_skipped(tmp_path, data, suffix):
    FIGURES["inputs: files of random bytes"] += 1
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    for item in read_inputs([str(path)], max_bytes=5_000_000):
        if isinstance(item, Problem):
            assert str(path) in str(item)
        else:
            document = prepare(item)  # and cleaned, never raised
            assert isinstance(document, Problem) or document.text.strip()


# -- any page, any nesting ------------------------------------------------------------

ARTICLE = ("<p>Azerbaijani President Ilham Aliyev and Armenian Prime Minister Nikol Pashinyan "
           "met in Brussels on Saturday. European Council President Charles Michel, who mediated "
           "the discussions, said the exchanges were frank and honest. The leaders agreed to meet "
           "again in October to continue work on a peace treaty.</p>")
TAGS = ["div", "span", "section", "article", "main", "td", "b", "i", "font", "table", "tr", "li",
        "ul", "blockquote", "em", "p", "a", "center"]


@FUZZ
@given(depth=st.one_of(st.integers(0, 40), st.integers(250, 3_000), st.just(50_000)),
       tags=st.lists(st.sampled_from(TAGS), min_size=1, max_size=6),
       junk=st.text(alphabet=HOSTILE + "<>/=\"' abc", max_size=60), closed=st.booleans())
def test_any_page_keeps_its_article_however_deep(depth, tags, junk, closed):
    FIGURES["inputs: web pages"] += 1
    opening = "".join(f"<{tags[i % len(tags)]} class='c{i % 7}'>" for i in range(depth))
    closing = "".join(f"</{tags[i % len(tags)]}>" for i in reversed(range(depth))) if closed else ""
    page = (f"<html><head><title>Talks</title></head><body><nav>Home | World</nav>{opening}"
            f"{ARTICLE}{closing}<footer>{junk}</footer></body></html>")
    cleaned = html_to_text(page)
    assert "met in Brussels on Saturday" in cleaned.text
    assert "Home | World" not in cleaned.text


# -- hostile profiles ---------------------------------------------------------------

PROFILE_KEYS = ["name", "title", "countries", "entities", "issues", "tracks", "places", "id",
                "aliases", "offices", "code", "sector", "role", "from", "to", "kind", "lat",
                "lon", "mediators", "people", "held_by", "actors", "x"]
yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
              st.text(max_size=20), st.dates().map(str)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(PROFILE_KEYS), inner, max_size=5)),
    max_leaves=30)


def _bomb(width: int, depth: int) -> str:
    lines = ["name: bomb", f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, depth)]
    return "\n".join(lines + [f"entities: [{{id: x, aliases: *a{depth - 1}}}]"]) + "\n"


hostile_yaml = st.one_of(
    yaml_values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    st.dictionaries(st.sampled_from(PROFILE_KEYS), yaml_values, max_size=6).map(
        lambda v: yaml.safe_dump(v, allow_unicode=True)),
    st.text(alphabet=HOSTILE + ":-[]{}&*!|>#%@` \nab", max_size=200),
    st.builds(_bomb, st.integers(2, 12), st.integers(2, 9)),
    st.sampled_from(["a: &a [*a]\n", "!!python/object:os.system {}\n", "a: !!binary AAA=\n",
                     "name: x\nentities: " + "[" * 100_000 + "\n", "- " * 5_000 + "x\n",
                     "name: x\n<<: {entities: 12}\n"]))


@FUZZ
@given(text=hostile_yaml)
def test_a_hostile_profile_loads_or_is_refused_with_a_message(tmp_path, text):
    FIGURES["inputs: profiles"] += 1
    path = tmp_path / f"p{FIGURES['inputs: profiles']}.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        profile = load_profile(str(path))
    except ProfileError as exc:
        assert str(path) in str(exc)
        return
    finally:
        load_profile.cache_clear()  # each example is a new file: keep memory flat
    assert profile.entities  # the generic ones at least


@FUZZ
@given(value=st.one_of(st.text(max_size=12), st.dates().map(str), st.from_regex(r"\d{4}-\d{2}-\d{2}")))
def test_any_date_filter_is_a_date_or_a_message(value):
    FIGURES["inputs: date filters"] += 1
    try:
        assert check_date(value, "--since") == value.strip()
    except FilterError as exc:
        assert "--since" in str(exc)


# -- the largest inputs ----------------------------------------------------------------

def _cli(*args: str, cwd: Path, rss: str | None = None) -> subprocess.CompletedProcess:
    """peacetrack in a subprocess; with ``rss``, its peak memory is recorded under that name."""
    # VmHWM: the peak RSS of this program (ru_maxrss would keep pytest's, which a
    # forked child inherits across exec on Linux)
    code = ("import sys\nfrom peacetrack.cli import main\ncode = main(sys.argv[1:])\n"
            "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
            "open('rss.txt', 'w').write(hwm[0] if hwm else '')\nsys.exit(code)\n")
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=3600)
    if rss and (cwd / "rss.txt").exists() and (cwd / "rss.txt").read_text():
        PEAK_RSS[rss] = round(int((cwd / "rss.txt").read_text()) / 1024, 1)
    return done


def _long_report(chars: int, *, one_paragraph: bool = False) -> str:
    base = "\n\n".join(SEED_TEXTS)
    text = "\n\n".join([base] * (chars // len(base) + 1))[:chars]
    return " ".join(text.split()) if one_paragraph else text


def test_a_report_over_the_models_limit_is_stored_with_the_rest_of_its_batch(tmp_path):
    """spaCy's E088 (text longer than nlp.max_length) escaped: exit 1, and every
    report in the same batch was lost."""
    (tmp_path / "in").mkdir()
    long_text = _long_report(1_050_000)
    (tmp_path / "in" / "a-long.txt").write_text(long_text, encoding="utf-8")
    (tmp_path / "in" / "b-seed.txt").write_text(SEED_TEXTS[4], encoding="utf-8")
    done = _cli("ingest", "in", "--quiet", cwd=tmp_path, rss="1.05M-character report (ingest)")
    FIGURES["inputs: long reports"] += 1
    assert done.returncode == 0, done.stderr
    assert "stored: 2" in done.stdout
    with Store(tmp_path / "peacetrack.duckdb", read_only=True) as store:
        texts = {r["source"]: r["text"] for r in store.records(["document"])}
        long_doc = next(r for r in store.records(["document"]) if r["source"].endswith("a-long.txt"))
        events = [r for r in store.records(["event"]) if r["doc"] == long_doc["id"]]
    assert len(texts[long_doc["source"]]) > 1_000_000
    assert len({e["span"][0] // 50_000 for e in events}) > 15  # events all along the report
    for event in events:
        start, end = event["span"]
        assert long_doc["text"][start:end] == event["sentence"]


def test_a_10_mb_single_paragraph_report_is_skipped_by_itself_or_read_whole(tmp_path):
    text = _long_report(10_000_000, one_paragraph=True)
    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    (tmp_path / "small.txt").write_text(SEED_TEXTS[0], encoding="utf-8")
    FIGURES["inputs: 10 MB reports"] += 1
    big, small = read_inputs([str(tmp_path / "big.txt"), str(tmp_path / "small.txt")],
                             max_bytes=5_000_000)
    assert big.reason == "oversized" and "big.txt" in str(big) and isinstance(small, RawReport)
    (raw,) = read_inputs([str(tmp_path / "big.txt")], max_bytes=20_000_000)
    document = prepare(raw)  # clean-up, identity and date in n log n (bench/RESULTS.md)
    assert len(document.text) == len(text) and "\n" not in document.text
    assert all(len(p) <= 50_000 for p in pieces(document.text, 50_000))


@pytest.mark.skipif(not SOAK, reason="the soak only (PEACETRACK_SOAK=1)")
def test_soak_a_10_mb_report_is_analysed_whole(tmp_path):
    (tmp_path / "big.txt").write_text(_long_report(10_000_000), encoding="utf-8")
    (tmp_path / "peacetrack.toml").write_text("[peacetrack]\nmax_bytes = 20000000\n")
    done = _cli("ingest", "big.txt", "--quiet", cwd=tmp_path, rss="10 MB report (ingest)")
    FIGURES["inputs: 10 MB reports"] += 1
    assert done.returncode == 0, done.stderr


# -- kill -9 at random points of an ingest --------------------------------------------

def _fault_corpus(folder: Path) -> list[str]:
    """Seeds, demo reports and pages, a JSONL wire, and bad input (so that the
    run has problems to write as well)."""
    folder.mkdir()
    for path in [*sorted(SEEDS.glob("*.txt")), *sorted(DEMO.glob("0*")), DEMO / "wire.jsonl"]:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "bad.jsonl").write_text('{"text": "Talks were held in Vienna on Monday."}\n{oops\n')
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02")
    return [str(folder)]


def _state(db: Path) -> tuple[list[str], dict[str, int]]:
    """What a user sees of a store: every record, and how many rows each table has."""
    with Store(db, read_only=True) as store:
        records = sorted(json.dumps(r, sort_keys=True) for r in store.records())
        counts = {t: store.count(t) for t in ("documents", "events", "participants", "quotes",
                                              "stances")}
    return records, counts


def test_kill_9_at_random_points_then_the_same_ingest_ends_as_a_clean_run(tmp_path):
    paths = _fault_corpus(tmp_path / "corpus")
    argv = ["-m", "peacetrack.cli", "ingest", *paths, "--quiet", "--batch-size", "1"]
    env = {**os.environ, "PEACETRACK_WRITE_BATCH": "1"}  # a commit per report: many places to die

    def ingest(db: Path) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, *argv, "--db", str(db)], cwd=tmp_path, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    started = time.monotonic()
    clean = ingest(tmp_path / "clean.duckdb")
    assert clean.wait(timeout=900) == 3, clean.stderr.read()  # stored, bad input skipped
    full = time.monotonic() - started
    expected = _state(tmp_path / "clean.duckdb")
    assert expected[1]["documents"] > 15
    rng = random.Random(int(os.environ.get("PEACETRACK_FAULT_SEED", "17")))
    for round_ in range(KILLS):
        db = tmp_path / f"faulty-{round_}.duckdb"
        kills = rng.randint(1, 3)  # one to three kills in a row, then the run that finishes
        for _ in range(kills):
            victim = ingest(db)
            time.sleep(rng.uniform(0, full))
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=60)
            FIGURES["faults"] += 1
        finisher = ingest(db)
        assert finisher.wait(timeout=900) in (0, 3), finisher.stderr.read()
        records, counts = _state(db)
        FIGURES["lost"] += max(0, expected[1]["documents"] - counts["documents"])
        assert counts == expected[1], (round_, counts, expected[1])
        assert records == expected[0], round_
        with Store(db, read_only=True) as store:
            runs = store.runs()
        assert runs[-1]["status"] == "finished"
        assert all(r["status"] in ("interrupted", "finished") for r in runs[:-1])
        db.unlink()  # a soak keeps only one store on disk at a time


def test_a_killed_run_is_marked_interrupted_and_kept_its_problems(tmp_path):
    """A killed run's row stayed unfinished and its problems were written only
    at the end: now they are written as they come, and the next run marks it."""
    (tmp_path / "bad").mkdir()
    for n in range(70):  # more than a flush's worth of problems, before any report
        (tmp_path / "bad" / f"{n:02d}.jsonl").write_text("{oops\n")
    (tmp_path / "bad" / "zz-seeds.txt").write_text("\n\n".join(SEED_TEXTS * 20))
    victim = subprocess.Popen([sys.executable, "-m", "peacetrack.cli", "ingest", "bad", "--quiet"],
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = tmp_path / "peacetrack.duckdb"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:  # until the first problems are in the store
        time.sleep(0.5)
        try:
            with Store(db, read_only=True, wait=5) as store:
                if store.count("problems") >= 64:
                    break
        except Exception:
            continue
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=60)
    FIGURES["faults"] += 1
    with Store(db, read_only=True) as store:
        assert store.count("problems") >= 64  # written as they came, not at the end
        assert store.runs()[-1]["status"] == "running"  # as the killed process left it
    with Store(db) as store:
        store.start_run()
        runs = store.runs()
    assert runs[0]["status"] == "interrupted" and runs[1]["status"] == "running"
