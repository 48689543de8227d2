"""Where an ingest's time goes, per report: the parse, each stage, the store.

    .venv/bin/python bench/profile_stages.py            # 60 generated reports
    .venv/bin/python bench/profile_stages.py --n 200 --top 30

One process (no workers, so every cost is seen): prepares the reports,
parses them with the Analyzer's model, runs ``Analyzer.analyse_doc`` on each
parse, and builds the store's rows. Wall times are measured without a
profiler; the split of the stages' time between the functions that
``analysis.STAGES`` comes from a second pass that times each stage apart
(the stages declare themselves, so the tool follows the engine as it
changes); a cProfile pass lists the functions by their own time. A few reports are analysed once, untimed, beforehand: what the
stages load on first use is paid once per worker process, not per report.
Writes bench/results/profile-N.json.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
WARM_UP = 5  # reports analysed once, untimed, before the timed pass
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--top", type=int, default=20, help="functions listed by own time")
    parser.add_argument("--corpus", default="real", choices=corpus.KINDS,
                        help="real (the seeds and dev corpus, varied) or generated (the demo corpus)")
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    result = profile(args.n, top=args.top, kind=args.corpus)
    out = Path(args.out or HERE / "results" / f"profile-{args.n}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print_profile(result)
    print(f"written: {out}")
    return 0


def profile(n: int, *, top: int, kind: str = "real") -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="peacetrack-profile-"))
    try:
        return _profile(corpus.write_corpus(scratch / "corpus", n, kind=kind), n, top=top)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)  # leaves nothing behind


def _profile(folder: Path, n: int, *, top: int) -> dict:
    from peacetrack.analysis import Analyzer
    from peacetrack.ingest import read_inputs
    from peacetrack.pipeline import prepare
    from peacetrack.settings import Settings
    from peacetrack.store import _rows

    ms: dict[str, float] = {}
    with _timer(ms, "prepare (clean, date, id, simhash)", n):
        documents = [prepare(raw) for raw in read_inputs([str(folder)], max_bytes=5_000_000)]
    analyzer = Analyzer(Settings(n_process=1))
    # The first reports load what the stages read lazily (gazetteer files, date
    # rules): a cost per worker process, not per report, so it is not timed.
    warm = documents[:WARM_UP]
    for document, doc in zip(warm, analyzer.nlp.pipe(d.text for d in warm), strict=True):
        analyzer.analyse_doc(replace(document), doc)
    with _timer(ms, "parse (nlp.pipe)", n):
        docs = list(analyzer.nlp.pipe((d.text for d in documents), batch_size=16))
    # the stages as analyse_doc runs them, each timed apart (one pass: a second
    # would find the look-ups the first one cached)
    stage_ms, analyses = _stage_times(analyzer, documents, docs)
    ms["stages (analyse_doc)"] = round(sum(stage_ms.values()), 2)
    with _timer(ms, "store rows (records to JSON)", n):
        _rows(analyses)
    # fresh parses: a stage keeps what it found in its doc's user_data
    docs = list(analyzer.nlp.pipe((d.text for d in documents), batch_size=16))
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [analyzer.analyse_doc(d, doc) for d, doc in zip(documents, docs, strict=True)])
    stats = pstats.Stats(profiler)
    return {"reports": n, "words": sum(len(d.text.split()) for d in documents),
            "ms_per_report": ms, "stages_ms_per_report": stage_ms,
            "stages_over_parse": round(ms["stages (analyse_doc)"] / ms["parse (nlp.pipe)"], 3),
            "own_time_top": _own_time(stats, top, n)}


def _stage_times(analyzer, documents, docs) -> tuple[dict[str, float], list]:
    """``analyse_doc`` on each report with each stage of ``analysis.STAGES``
    timed apart (its ``watch``); what is left of the whole is finding the
    process a report is about. Milliseconds per report of each, and the
    analyses."""
    seconds: dict[str, float] = defaultdict(float)

    def timed(stage, work, run) -> None:
        started = time.perf_counter()
        run()
        seconds[stage.name] += time.perf_counter() - started

    started = time.perf_counter()
    analyses = [analyzer.analyse_doc(d, doc, watch=timed)
                for d, doc in zip(documents, docs, strict=True)]
    seconds["which process, and the rest"] = time.perf_counter() - started - sum(seconds.values())
    times = {name: round(1000 * t / len(documents), 2)
             for name, t in sorted(seconds.items(), key=lambda kv: -kv[1])}
    return times, analyses


class _timer:
    def __init__(self, out: dict, name: str, n: int) -> None:
        self.out, self.name, self.n = out, name, n

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.out[self.name] = round(1000 * (time.perf_counter() - self.started) / self.n, 2)


def _label(func: tuple) -> str:
    path, line, name = func
    return f"{Path(path).stem}.{name}" if path.startswith("/") else f"{path}:{name}"


def _own_time(stats: pstats.Stats, top: int, n: int) -> list[dict]:
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]  # type: ignore[attr-defined]
    return [{"function": f"{_label(func)} ({Path(func[0]).name}:{func[1]})",
             "calls_per_report": round(nc / n, 1), "own_ms_per_report": round(1000 * tt / n, 2),
             "cum_ms_per_report": round(1000 * ct / n, 2)}
            for func, (_, nc, tt, ct, _) in rows]


def print_profile(result: dict) -> None:
    print(f"{result['reports']} reports, {result['words']} words; ms per report (no profiler):")
    for name, value in result["ms_per_report"].items():
        print(f"  {name:<40}{value:>9.1f}")
    print(f"stages / parse = {result['stages_over_parse']}; each stage timed apart:")
    for name, value in result["stages_ms_per_report"].items():
        print(f"  {name:<40}{value:>9.1f}")
    print("own time (cProfile, ms per report; profiled, so inflated):")
    for row in result["own_time_top"]:
        print(f"  {row['own_ms_per_report']:>8.1f} own {row['cum_ms_per_report']:>8.1f} cum "
              f"{row['calls_per_report']:>9.1f} calls  {row['function']}")


if __name__ == "__main__":
    sys.exit(main())
