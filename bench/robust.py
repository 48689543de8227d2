"""How the cost of one report grows with its length, and the memory of the largest (issue 17).

    .venv/bin/python bench/robust.py                    # dense reports of 25,000 to 1,600,000 characters
    .venv/bin/python bench/robust.py --big              # also ingest 4.9 MB and 10 MB one-line reports
    .venv/bin/python bench/robust.py --sizes 10000,20000 --no-ingest   # the smoke run of the tests

One dense report per size, made of distinct generated reports (corpus.py)
joined end to end, so that every size has as many dates, actors, events and
mediators per character as a news report. For each size, in one process:
the preparation (clean-up, identity, fingerprint, publication date), the
parse of its sections, the analysis of the sections (the stages), and the
store's rows, each timed; and, from a cProfile pass, each stage's own share
(dates of events, places and venues, implicit roles and mediators, actors,
events, quotes, stances, the model's decision). For each, the exponent b of
a fit t = a * n^b over the sizes: 1 is linear, 2 quadratic. Then each
``--ingest`` input is ingested by the real command line in a child process,
for its wall time and peak RSS. Writes bench/results/robust.json.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

SIZES = (25_000, 50_000, 100_000, 200_000, 400_000, 800_000, 1_600_000)
# The functions whose cumulative time is each stage's (cProfile names).
STAGES = {
    "prepare: publication date": ("dates", "resolve_published"),
    "actors": ("actors", "find"),
    "events": ("events", "code"),
    "quotes": ("quotes", "find_quotes"),
    "dates of events": ("analysis", "date_events"),
    "places and venues": ("analysis", "place_events"),
    "stances": ("stances", "find_stances"),
    "implicit roles, mediators": ("roles", "fill_implicit_roles"),
    "hosts and venues": ("roles", "turn_hosts"),
    "decision (model)": ("decide", "decide"),
    "mentions merged": ("mentions", "merge"),
}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results = {"sizes": {}, "config": {"section_chars": args.section_chars,
                                       "when": time.strftime("%Y-%m-%d %H:%M:%S")}}
    texts = dense_texts(max(args.sizes))
    for size in args.sizes:
        results["sizes"][str(size)] = measure(texts[:size], args.section_chars)
        print(f"{size:>10,} chars: " + ", ".join(
            f"{k} {v:.2f}s" for k, v in results["sizes"][str(size)]["seconds"].items()), flush=True)
    results["exponents"] = exponents(results["sizes"])
    if args.ingest:
        results["ingest"] = {}
        with tempfile.TemporaryDirectory(prefix="peacetrack-robust-") as tmp:
            for name, chars, one_line in inputs(args):
                results["ingest"][name] = ingest(Path(tmp), texts, chars, one_line)
                print(f"ingest {name}: {results['ingest'][name]}", flush=True)
    out = Path(args.out or HERE / "results" / "robust.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_exponents(results["exponents"])
    print(f"written: {out}")
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=lambda v: [int(s) for s in v.split(",")],
                        default=list(SIZES), help="report lengths in characters")
    parser.add_argument("--section-chars", type=int, default=50_000, dest="section_chars")
    parser.add_argument("--big", action="store_true",
                        help="also ingest a 4.9 MB and a 10 MB one-line report")
    parser.add_argument("--no-ingest", action="store_false", dest="ingest")
    parser.add_argument("--out")
    return parser.parse_args(argv)


def dense_texts(chars: int) -> str:
    """Distinct generated reports end to end, at least ``chars`` long."""
    out, total = [], 0
    for n, item in enumerate(corpus.reports(10**6)):
        out.append(item["plain"])
        total += len(item["plain"]) + 2
        if total > chars and n > 1:
            break
    return "\n\n".join(out)


def measure(text: str, section_chars: int) -> dict:
    from peacetrack.ingest import RawReport
    from peacetrack.pipeline import prepare
    from peacetrack.records import Analysis
    from peacetrack.sections import combine, section_of, sections
    from peacetrack.settings import Settings
    from peacetrack.store import _rows

    analyzer = _analyzer(Settings(section_chars=section_chars))
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    document = prepare(RawReport(source="dense.txt", text=text))
    seconds["prepare"] = time.perf_counter() - started
    parts = sections(document.text, section_chars)
    started = time.perf_counter()
    docs = list(analyzer.nlp.pipe([piece for _, piece in parts], batch_size=1))
    seconds["parse"] = time.perf_counter() - started

    def stages() -> Analysis:
        if len(parts) == 1:
            return analyzer.analyse_doc(document, docs[0])
        return combine(document, [(start, analyzer.analyse_doc(section_of(document, start, piece), doc))
                                  for (start, piece), doc in zip(parts, docs, strict=True)])

    started = time.perf_counter()
    analysis = stages()
    seconds["stages"] = time.perf_counter() - started
    started = time.perf_counter()
    _rows([analysis])
    seconds["store rows"] = time.perf_counter() - started
    docs = list(analyzer.nlp.pipe([piece for _, piece in parts], batch_size=1))  # fresh caches
    profiler = cProfile.Profile()
    profiler.enable()
    prepare(RawReport(source="dense.txt", text=text))
    stages()
    profiler.disable()
    return {"chars": len(document.text), "sections": len(parts), "events": len(analysis.events),
            "quotes": len(analysis.quotes), "stances": len(analysis.stances),
            "seconds": {k: round(v, 3) for k, v in seconds.items()},
            "stage_seconds_profiled": _stage_times(pstats.Stats(profiler))}


_ANALYZERS: dict = {}


def _analyzer(settings):
    from peacetrack.analysis import Analyzer
    from peacetrack.ingest import RawReport
    from peacetrack.pipeline import prepare

    if settings not in _ANALYZERS:
        analyzer = _ANALYZERS[settings] = Analyzer(settings)
        warm = prepare(RawReport(source="w.txt", text=next(corpus.reports(1))["plain"]))
        analyzer.analyse_doc(warm, analyzer.nlp(warm.text))  # what stages load once, untimed
    return _ANALYZERS[settings]


def _stage_times(stats: pstats.Stats) -> dict[str, float]:
    """Cumulative seconds of each stage's function (summed over its calls)."""
    out = {}
    for stage, (module, name) in STAGES.items():
        total = 0.0
        for (path, _, function), row in stats.stats.items():  # type: ignore[attr-defined]
            if function == name and path.endswith(f"peacetrack/{module}.py"):
                total += row[3]
        out[stage] = round(total, 4)
    return out


def exponents(sizes: dict) -> dict[str, float | None]:
    """The exponent b of t = a * n^b, fitted on log-log over the sizes."""
    chars = [v["chars"] for v in sizes.values()]
    series = {name: [v["seconds"][name] for v in sizes.values()]
              for name in next(iter(sizes.values()))["seconds"]}
    for stage in STAGES:
        series[f"stage: {stage}"] = [v["stage_seconds_profiled"][stage] for v in sizes.values()]
    return {name: _slope(chars, times) for name, times in series.items()}


def _slope(xs: list[float], ys: list[float]) -> float | None:
    points = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if y > 1e-4]
    if len(points) < 2:
        return None
    mx = sum(p[0] for p in points) / len(points)
    my = sum(p[1] for p in points) / len(points)
    var = sum((p[0] - mx) ** 2 for p in points)
    return round(sum((p[0] - mx) * (p[1] - my) for p in points) / var, 3) if var else None


def inputs(args: argparse.Namespace) -> list[tuple[str, int, bool]]:
    found = [("1.05M characters, paragraphs", 1_050_000, False)]
    if args.big:
        found += [("4.9 MB, one line", 4_900_000, True), ("10 MB, one line", 10_000_000, True)]
    return found


def ingest(tmp: Path, texts: str, chars: int, one_line: bool) -> dict:
    """`peacetrack ingest` of one report in a child process: seconds, peak RSS."""
    folder = tmp / f"in-{chars}"
    folder.mkdir()
    text = (texts * (chars // len(texts) + 1))[:chars]
    if one_line:
        text = " ".join(text.split())
    (folder / "report.txt").write_text(text, encoding="utf-8")
    # VmHWM: the peak RSS of this program (ru_maxrss would keep the parent's,
    # which a forked child inherits across exec on Linux)
    code = ("import sys\nfrom peacetrack.cli import main\ncode = main(sys.argv[1:])\n"
            "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
            "print('rss', hwm[0], file=sys.stderr)\nsys.exit(code)\n")
    settings = f"[peacetrack]\nmax_bytes = {max(5_000_000, len(text.encode()) + 1)}\n"
    (folder / "peacetrack.toml").write_text(settings)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, "ingest", "report.txt", "--quiet"],
                          cwd=folder, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    rss = next((int(line.split()[1]) for line in done.stderr.splitlines()
                if line.startswith("rss ")), None)
    events = next((line.strip() for line in done.stdout.splitlines() if "events:" in line), "")
    return {"exit": done.returncode, "bytes": len(text.encode()), "seconds": round(seconds, 1),
            "peak_rss_mb": round(rss / 1024) if rss else None, "records": events}


def print_exponents(found: dict) -> None:
    print("exponent b of t = a * n^b (1 linear, 2 quadratic):")
    for name, value in found.items():
        print(f"  {name:<36}{'-' if value is None else f'{value:.2f}':>8}")


if __name__ == "__main__":
    sys.exit(main())
