"""Scale-out, measured: an ingest on an existing Ray cluster, the partitioned
Parquet read back, and the cost of the cluster against the local engine.

    .venv/bin/python bench/ray_scaleout.py --n 200

What a user does (docs/scale.md), on this one machine:
  1. a cluster is running: ``ray start --head`` (here a one-node cluster of
     --n-process CPUs; on real machines each node runs ``ray start
     --address HEAD:6379``);
  2. ``peacetrack ingest CORPUS --engine ray --ray-address HEAD:6379``;
  3. ``peacetrack export --format parquet --partition month -o OUT``;
  4. the records read back by DuckDB and by Ray Data from OUT.
The same corpus is ingested by the local engine too, so the records can be
compared and the cluster's overhead measured: its fixed cost (joining the
cluster, starting workers that load the model) and its cost per report.
Everything runs in a temporary folder, removed at the end, and the cluster
is stopped whatever happens. Writes bench/results/ray-N.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

PEACETRACK = [sys.executable, "-m", "peacetrack.cli"]
RAY = str(Path(sys.executable).with_name("ray"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--n-process", type=int, default=2, dest="n_process")
    parser.add_argument("--port", type=int, default=6391)
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="peacetrack-ray-"))
    env = {**os.environ, "RAY_AUTH_MODE": "disabled"}
    result: dict = {"n": args.n, "n_process": args.n_process}
    try:
        small = corpus.write_corpus(work / "small", max(10, args.n // 20), kind="real", seed=11)
        big = corpus.write_corpus(work / "big", args.n, kind="real")
        started = time.perf_counter()
        run([RAY, "start", "--head", f"--port={args.port}", f"--num-cpus={args.n_process}",
             "--include-dashboard=false", "--disable-usage-stats"], env)
        result["cluster_start_s"] = round(time.perf_counter() - started, 2)
        address = f"127.0.0.1:{args.port}"
        for name, folder in (("small", small), ("big", big)):
            for engine in ("local", "ray"):
                db = work / f"{name}-{engine}.duckdb"
                extra = ["--engine", "ray", "--ray-address", address] if engine == "ray" else []
                result[f"{name}_{engine}_s"] = run(
                    PEACETRACK + ["ingest", str(folder), "--db", str(db), "--quiet",
                                  "--n-process", str(args.n_process), *extra], env)
        result["same_records"] = same_records(work / "big-local.duckdb", work / "big-ray.duckdb")
        out = work / "parquet"
        result["export_s"] = run(PEACETRACK + ["export", "--db", str(work / "big-ray.duckdb"),
                                               "--format", "parquet", "--partition", "month",
                                               "-o", str(out)], env)
        result["read_back"] = read_back(out, address, env)
        result.update(overhead(result, args.n, max(10, args.n // 20)))
    finally:
        subprocess.run([RAY, "stop", "--force"], env=env, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    target = Path(args.out or HERE / "results" / f"ray-{args.n}.json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


def run(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return round(time.perf_counter() - started, 2)


def same_records(a: Path, b: Path) -> bool:
    from peacetrack.store import Store

    with Store(a, read_only=True) as first, Store(b, read_only=True) as second:
        return sorted(first.record_texts()) == sorted(second.record_texts())


READ_BACK = """
import json, sys, duckdb, ray
out, address = sys.argv[1], sys.argv[2]
by_month = duckdb.sql(f"SELECT month, count(*) FROM read_parquet('{out}/events/*/*.parquet', "
                      "hive_partitioning = true) GROUP BY month ORDER BY month").fetchall()
ray.init(address=address, log_to_driver=False)
events = ray.data.read_parquet(f"{out}/events")  # Hive partitions are read by default
print(json.dumps({"months": len(by_month), "events_duckdb": sum(n for _, n in by_month),
                  "events_ray": events.count(), "columns": events.schema().names[:8]}))
"""


def read_back(out: Path, address: str, env: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", READ_BACK, str(out), address], env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"reading back failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def overhead(result: dict, n_big: int, n_small: int) -> dict:
    """Fixed cost and cost per report of the cluster over the local engine, from
    two corpus sizes (a line through two points)."""
    extra_small = result["small_ray_s"] - result["small_local_s"]
    extra_big = result["big_ray_s"] - result["big_local_s"]
    per_report = (extra_big - extra_small) / (n_big - n_small)
    return {"ray_extra_s_small": round(extra_small, 2), "ray_extra_s_big": round(extra_big, 2),
            "ray_extra_ms_per_report": round(1000 * per_report, 1),
            "ray_fixed_extra_s": round(extra_small - per_report * n_small, 2)}


if __name__ == "__main__":
    sys.exit(main())
