"""The views on a real corpus, measured as a new user meets them (issue 19).

    .venv/bin/python bench/views_questions.py [--store FILE] [--label after] [--repeat 5]

Without ``--store`` it ingests the seeds and the dev corpus (every shipped
profile) into a temporary store. It builds the report with whatever
``peacetrack`` is importable, so the code before a change is measured with
``PYTHONPATH=../main/src`` over the same store. It serves the dashboard over
the store too, opens both in headless Chromium (Debian's, driven by
Playwright) and measures what the page shows, never what the code says it
should:

- the report's size, and what it is made of (plotting library, base map, data);
- how long the report takes to be ready (``body[data-ready]``), median of ``--repeat``;
- events: how many, how many undated, and how many of those the page lists;
  the tracks' events drawn or listed against those of the tracks; dated
  events outside the timeline's axis; plans drawn as plans;
- labels that overlap in the network and map; colours with a legend;
- sources shown as file names; local paths in the HTML; an h1, charts with a
  text alternative, marks a keyboard reaches; console errors;
- the dashboard: a filter shown by name or by id; the reports count under a
  filter; a search for "mission" that finds "Commission";
- the four questions: is there a view that answers each?

Prints a table and writes ``bench/results/views-questions-LABEL.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CHROMIUM = "/usr/bin/chromium"
RESULTS = ROOT / "bench" / "results"


def build_store(folder: Path) -> Path:
    from peacetrack.pipeline import ingest
    from peacetrack.settings import Settings

    db = folder / "seeds-dev.duckdb"
    ingest([str(SHARED / "seeds"), str(SHARED / "devcorpus")],
           settings=Settings(db=str(db), n_process=1))
    return db


def report_parts(html: str) -> dict[str, int]:
    """The report's bytes, and those of its scripts and data blocks."""
    parts = {"html_bytes": len(html.encode())}
    for m in re.finditer(r"<script([^>]*)>(.*?)</script>", html, re.S):
        attrs, body = m.group(1), m.group(2)
        size = len(body.encode())
        if "plotly.js" in body[:400]:
            parts["plotly_bytes"] = parts.get("plotly_bytes", 0) + size
        elif "PlotlyGeoAssets" in body[:100] or 'id="pt-geo"' in attrs:
            parts["map_bytes"] = size
        elif 'id="pt-data"' in attrs:
            parts["data_bytes"] = size
    return parts


def load_times(browser, url: str, repeat: int) -> tuple[list[float], list[dict[str, int]]]:
    """Seconds from navigation to ``body[data-ready]``, and what the page says each
    view took to draw (``data-draw-ms``, where the page records it)."""
    times, draws = [], []
    for _ in range(repeat):
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        started = time.monotonic()
        page.goto(url)
        page.wait_for_selector("body[data-ready='1']", timeout=60_000)
        times.append(round(time.monotonic() - started, 3))
        drawn = page.get_attribute("body", "data-draw-ms")
        if drawn:
            draws.append(json.loads(drawn))
        page.close()
    return times, draws


def overlaps(page, selector: str) -> dict[str, int]:
    """Text labels drawn in a chart, and the pairs of them whose boxes overlap."""
    boxes = page.evaluate(
        "(sel) => [...document.querySelectorAll(sel)].filter(t => t.textContent.trim()"
        " && !t.closest('.legend, .annotation, .xtick, .ytick, .infolayer'))"
        ".map(t => t.getBoundingClientRect()).filter(b => b.width > 0)"
        ".map(b => ({x: b.x, y: b.y, width: b.width, height: b.height}))", selector)
    pairs = sum(1 for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
                and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])
    return {"labels": len(boxes), "overlapping_pairs": pairs}


def measure_report(browser, url: str, store_counts: dict[str, int]) -> dict[str, object]:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=60_000)
    page.wait_for_timeout(1000)
    q = lambda sel: page.locator(sel).count()  # noqa: E731
    out: dict[str, object] = {"console_errors": len(errors)}
    out["timeline_marks"] = int(page.get_attribute("#timeline", "data-marks") or 0)
    out["undated_listed"] = q("#timeline-undated li")
    out["undated_events"] = store_counts["undated"]
    out["undated_not_shown"] = store_counts["undated"] - out["undated_listed"]
    out["track_marks"] = int(page.get_attribute("#tracks", "data-marks") or 0)
    out["track_undated_listed"] = q("#tracks-undated li")
    out["track_events"] = store_counts["track_events"]
    out["track_events_not_shown"] = store_counts["track_events"] - out["track_marks"] - out["track_undated_listed"]
    axis = page.evaluate("(() => { const n = document.querySelector('#timeline');"
                         " return n && n._fullLayout ? n._fullLayout.xaxis.range : null; })()")
    out["timeline_axis"] = axis
    out["dated_outside_axis"] = sum(1 for d in store_counts["dates"] if axis and not (
        axis[0][:10] <= d <= axis[1][:10]))
    out["plans"] = store_counts["plans"]
    out["plans_drawn_as_plans"] = page.evaluate(
        "(() => (document.querySelector('#timeline').data || []).filter(t => /plan/i.test(t.name || ''))"
        ".reduce((n, t) => n + (t.x || []).length, 0))()")
    out["network"] = overlaps(page, "#network text")
    out["map"] = overlaps(page, "#map text")
    out["network_legend"] = bool(q("#network-legend .key"))
    out["h1"] = q("h1")
    charts = page.locator(".chart, #stances, #quotes").all()
    out["charts"] = len(charts)
    # A chart's text alternative: a description (aria-label), or the chart is itself HTML (a table, a list).
    out["charts_with_text_alternative"] = sum(
        1 for c in charts if c.get_attribute("aria-label") or c.locator("table, ul.bars").count())
    out["keyboard_reachable_marks"] = q("#stances button, #quotes button, #map-table button, "
                                        "#network-table button, #events-table a")
    listed = page.inner_text("#summary").split("Sources: ")[-1].split("\n")[0].split(", ")
    out["sources_listed"] = len(listed)
    out["sources_as_file_names"] = sum(1 for s in listed if re.search(r"\.(txt|html?|jsonl?)(:\d+)?$", s))
    out["questions"] = {"mediation_by_year": bool(q("#mediation-table")),
                        "position_history": bool(q("#history-form")),
                        "disputed_incidents": bool(q("#incidents-summary"))}
    page.close()
    return out


def measure_dashboard(browser, live: str) -> dict[str, object]:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(live + "/?actor=azerbaijan&type=material-conflict")
    page.wait_for_selector("body[data-ready='1']", timeout=60_000)
    page.wait_for_timeout(500)
    summary = page.inner_text("#summary")
    out: dict[str, object] = {"filter_shown_by_name": "Azerbaijan" in summary.split("Filtered by")[-1][:200]}
    stats = page.locator("#summary .stat").all_inner_texts()
    out["reports_stat_under_filters"] = stats[0].replace("\n", " ") if stats else None
    page.fill("#search input[name=q]", "mission")
    page.press("#search input[name=q]", "Enter")
    page.wait_for_selector("#search-results:not([hidden])", timeout=30_000)
    page.wait_for_timeout(300)
    # A hit inside a longer word ("Commission"): a letter right before or after the mark.
    inside = page.evaluate("[...document.querySelectorAll('#search-results mark')].map(m =>"
                           " /\\p{L}$/u.test(m.previousSibling ? m.previousSibling.textContent : '') ||"
                           " /^\\p{L}/u.test(m.nextSibling ? m.nextSibling.textContent : ''))")
    out["search_mission_hits"] = len(inside)
    out["search_mission_inside_other_words"] = sum(inside)
    top = page.evaluate("document.querySelector('#search-results').getBoundingClientRect().top")
    out["search_results_on_screen"] = 0 <= top < 900
    page.close()
    return out


def store_counts(db: Path) -> dict[str, object]:
    from peacetrack.profile import load_profile
    from peacetrack.store import Store

    profile = load_profile("all")
    with Store(db, read_only=True) as store:
        rows = store.query(
            "SELECT e.id, coalesce(e.date, CASE WHEN e.status <> 'historical' THEN d.published END), e.status"
            " FROM events e JOIN documents d ON d.id = e.doc WHERE d.duplicate_of IS NULL")
        track_events = 0
        for track in profile.tracks:
            track_events += store.query(
                "SELECT count(*) FROM events e JOIN documents d ON d.id = e.doc WHERE d.duplicate_of IS NULL"
                " AND (e.id IN (SELECT event FROM participants WHERE role = 'mediator' AND actor_id IN"
                " (SELECT unnest(?))) OR lower(e.place) IN (SELECT unnest(?)))"
                " AND (?::VARCHAR IS NULL OR e.process IS NULL OR e.process = ?)",
                [list(track.mediators), [p.lower() for p in track.places], track.process, track.process])[0][0]
    dates = [(w if len(w) > 7 else (w + "-01-01")[:10]) for _, w, _ in rows if w]
    return {"events": len(rows), "undated": sum(1 for _, w, _ in rows if not w), "dates": dates,
            "plans": sum(1 for _, w, s in rows if w and s in ("future", "hypothetical")),
            "track_events": track_events}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--label", default="after")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    import peacetrack
    from peacetrack.profile import load_profile
    from peacetrack.report import build_report
    from peacetrack.web import make_server

    work = Path(tempfile.mkdtemp(prefix="views-bench-"))
    db = args.store or build_store(work)
    counts = store_counts(db)
    report = work / "report.html"
    from peacetrack.store import Store
    with Store(db, read_only=True) as store:
        build_report(store, load_profile("all"), report)
    html = report.read_text(encoding="utf-8")
    result: dict[str, object] = {"label": args.label, "code": str(Path(peacetrack.__file__).parent),
                                 "events": counts["events"], **report_parts(html)}
    result["local_paths_in_html"] = html.count(str(SHARED)) + html.count(str(ROOT))
    server = make_server(db, load_profile("all"), port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    live = f"http://127.0.0.1:{server.server_address[1]}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        times, draws = load_times(browser, report.as_uri(), args.repeat)
        result["report_ready_s"] = {"median": statistics.median(times), "all": times,
                                    "load_average": round(os.getloadavg()[0], 2)}
        if draws:
            result["draw_ms_median"] = {k: statistics.median(d[k] for d in draws) for k in draws[0]}
        result["report"] = measure_report(browser, report.as_uri(), counts)
        result["dashboard"] = measure_dashboard(browser, live)
        browser.close()
    server.shutdown()
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"views-questions-{args.label}.json"
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    print(f"-> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
