"""The read side at scale: the dashboard, its API, the report and the exports.

    .venv/bin/python bench/dashboard.py --store /tmp/store-100k.duckdb
    .venv/bin/python bench/dashboard.py --store /tmp/store-1m.duckdb --skip report

Over an existing store (``bench/synthetic.py`` makes one of any size), each
in its own process, its process tree's peak RSS sampled:

- ``serve``: ``peacetrack serve`` started; how long until its first view is
  ready (computed once, in the background, at start); then the first view in
  headless Chromium (navigation to the page drawn, ``body[data-ready]``); then
  ``--clients`` concurrent clients asking every API route, first cold (an
  answer not asked before: a new filter, a new page, a report), then cached:
  seconds and bytes per answer;
- ``report``: ``peacetrack report``: seconds, peak RSS, bytes written;
- ``export``: ``peacetrack export --format parquet`` (and ``--partition month``):
  seconds, peak RSS.

Writes bench/results/read-<store>.json; scratch files go to a temporary
folder that is removed at the end.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import RssSampler  # noqa: E402  (bench/ is a folder of scripts)

PEACETRACK = [sys.executable, "-m", "peacetrack.cli"]
CHROMIUM = "/usr/bin/chromium"
# What a user asks for: the first view, then filters, pages, a report, evidence.
FIRST = ["/api/view", "/api/options", "/api/documents"]
COLD = ["/api/view?type=verbal-conflict", "/api/view?actor=russia",
        "/api/view?start=2020-01-01&end=2020-12-31", "/api/events?offset=50",
        "/api/events?type=CONSULT&start=2021-03-01&end=2021-03-31", "/api/documents?offset=50",
        "/api/network?source=Armenpress", "/api/timeline?issue=lachin-corridor"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--skip", default="", help="comma-separated: serve, report, export")
    parser.add_argument("--exports", default="parquet,parquet_by_month,csv",
                        help="which exports to time (comma-separated)")
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    store = Path(args.store)
    out = Path(args.out or HERE / "results" / f"read-{store.stem}.json")
    work = Path(tempfile.mkdtemp(prefix="peacetrack-read-"))
    skip = set(args.skip.split(","))
    result: dict = {"store": str(store), "store_mb": round(store.stat().st_size / 2**20),
                    "when": time.strftime("%Y-%m-%d %H:%M:%S")}
    try:
        if "serve" not in skip:
            result["serve"] = serve(store, args.clients)
            save(result, out)
        if "report" not in skip:
            report = work / "report.html"
            result["report"] = {**timed(PEACETRACK + ["report", "--db", str(store), "-o", str(report)]),
                                "bytes": report.stat().st_size}
            save(result, out)
        if "export" not in skip:
            chosen = [e for e in (("parquet", []), ("parquet_by_month", ["--partition", "month"]),
                                  ("csv", ["--format", "csv"])) if e[0] in args.exports.split(",")]
            for kind, extra in chosen:
                name = f"export_{kind}"
                folder = work / name
                command = PEACETRACK + ["export", "--db", str(store), "--format", "parquet",
                                        "-o", str(folder), *extra]
                result[name] = {**timed(command), "bytes": _size(folder)}
                shutil.rmtree(folder, ignore_errors=True)
                save(result, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, indent=2))
    print(f"written: {out}")
    return 0


def save(result: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def timed(command: list[str]) -> dict:
    """A command in its own process: seconds and the peak RSS of its process tree."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = RssSampler(child.pid, every=0.02)
    sampler.start()
    _, err = child.communicate()
    sampler.stop()
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed: {err}")
    return {"seconds": round(time.perf_counter() - started, 2), "peak_rss_mb": round(sampler.peak / 2**20)}


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(store: Path, clients: int) -> dict:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = subprocess.Popen(PEACETRACK + ["serve", "--db", str(store), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = RssSampler(server.pid, every=0.05)
    sampler.start()
    out: dict = {"clients": clients}
    try:
        _wait_for(url + "/static/app.js", 60)
        out["listening_s"] = round(time.perf_counter() - started, 2)
        ask(url + "/api/view")  # waits for the warm-up that started with the server
        out["first_view_computed_s"] = round(time.perf_counter() - started, 2)
        out["browser"] = first_view_in_browser(url)
        out["first"] = fetch_all(url, FIRST * clients, clients)
        out["cold"] = fetch_all(url, COLD, clients)
        out["cached"] = fetch_all(url, (FIRST + COLD) * clients, clients)
        doc = ask(url + "/api/documents?limit=1")[0]["items"][0]["id"]
        event = ask(url + "/api/events?limit=1")[0]["items"][0]["id"]
        out["open"] = fetch_all(url, [f"/api/doc/{doc}", f"/api/records?ids={event}",
                                      "/api/search?q=ceasefire"], 1)
    finally:
        server.terminate()
        server.wait(timeout=30)
        sampler.stop()
    out["peak_rss_mb"] = round(sampler.peak / 2**20)
    return out


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            ask(url)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def ask(url: str) -> tuple[object, int, float]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:
        body = response.read()
    seconds = time.perf_counter() - started
    kind = response.headers.get("Content-Type", "")
    return (json.loads(body) if kind.startswith("application/json") else None), len(body), seconds


def fetch_all(url: str, paths: list[str], clients: int) -> dict:
    """Every path asked by ``clients`` at once; per path the slowest answer and its size."""
    with ThreadPoolExecutor(clients) as pool:
        answers = list(pool.map(lambda p: (p, *ask(url + p)[1:]), paths))
    by_path: dict = {}
    for path, size, seconds in answers:
        entry = by_path.setdefault(path, {"bytes": size, "seconds": []})
        entry["seconds"].append(seconds)
    for entry in by_path.values():
        entry["max_s"] = round(max(entry.pop("seconds")), 3)
    times = [s for _, _, s in answers]
    return {"answers": len(answers), "max_s": round(max(times), 3),
            "median_s": round(statistics.median(times), 3),
            "max_bytes": max(size for _, size, _ in answers), "paths": by_path}


def first_view_in_browser(url: str) -> dict:
    """Headless Chromium: from navigation to the page drawn (every chart, the first page)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        runs = []
        for _ in range(3):  # a cold page (no browser cache), then two with it
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            started = time.perf_counter()
            page.goto(url + "/")
            page.wait_for_selector("body[data-ready='1']", timeout=120_000)
            runs.append(round(time.perf_counter() - started, 2))
            marks = {c: page.get_attribute(f"#{c}", "data-marks")
                     for c in ("timeline", "tracks", "network", "map", "stances", "quotes")}
            rows = page.locator("#events-table tbody tr").count()
            shot = HERE / "results" / "dashboard-first-view.png"
            page.screenshot(path=str(shot))
            page.close()
        browser.close()
    return {"ready_s": runs, "marks": marks, "event_rows": rows, "errors": errors}


if __name__ == "__main__":
    sys.exit(main())
