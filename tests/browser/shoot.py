"""Screenshots for the README: ``python -m tests.browser.shoot STORE [FOLDER]``.

Builds the report from STORE, serves the dashboard over it, and writes
report-overview.png, report-charts.png, report-view.png and dashboard.png
(default folder: docs/screenshots). Needs /usr/bin/chromium and playwright.

``python -m tests.browser.shoot --questions STORE [FOLDER]`` writes instead the
views that answer issue 19's questions (question-*.png, docs/views.md), from a
store of the seeds and the dev corpus ingested with every profile.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from peacetrack import views
from peacetrack.profile import load_profile
from peacetrack.report import build_report
from peacetrack.store import Store
from peacetrack.web import make_server
from tests.browser.conftest import CHROMIUM


def _ready(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    page.wait_for_timeout(800)


def _report_and_dashboard(db: Path, profile, folder: Path):
    """The store's report (in a temporary folder), a dashboard served over the
    store and its address; the screenshots' folder made."""
    folder.mkdir(parents=True, exist_ok=True)
    report = Path(tempfile.mkdtemp()) / "report.html"
    with Store(db, read_only=True) as store:
        build_report(store, profile, report)
    server = make_server(db, profile, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return report, server, f"http://127.0.0.1:{server.server_address[1]}/"


def shoot(db: Path, folder: Path) -> list[Path]:
    profile = load_profile("south-caucasus")
    report, server, live = _report_and_dashboard(db, profile, folder)
    with Store(db, read_only=True) as store:
        latest = views.dashboard(store, profile)["overview"]["latest"]
        event = next(e for e in views.events(store, profile) if e["id"] == latest[0])
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 1500})
        _ready(page, report.as_uri())
        written.append(folder / "report-overview.png")
        page.screenshot(path=written[-1])
        page.locator("#network-card").scroll_into_view_if_needed()
        page.evaluate("document.querySelector('#network-card').scrollIntoView()")
        written.append(folder / "report-charts.png")
        page.screenshot(path=written[-1])
        page.goto(f"{report.as_uri()}#doc/{event['doc']}/{event['id']}")
        page.wait_for_selector("#reader-text .target")
        page.set_viewport_size({"width": 1366, "height": 820})
        written.append(folder / "report-view.png")
        page.screenshot(path=written[-1])
        page.set_viewport_size({"width": 1366, "height": 1500})
        _ready(page, live + "?type=verbal-conflict")
        written.append(folder / "dashboard.png")
        page.screenshot(path=written[-1])
        browser.close()
    server.shutdown()
    return written


# The header sticks to the top of the window: in a picture of one card it would cover it.
_UNSTICK = "header#top { position: static !important; }"


def _card(page, url: str, card: str, path: Path, *, then=None) -> Path:
    _ready(page, url)
    page.add_style_tag(content=_UNSTICK)
    if then:
        then(page)
    page.wait_for_timeout(500)
    page.locator(card).screenshot(path=path)
    return path


def questions(db: Path, folder: Path) -> list[Path]:
    """One picture per question of issue 19 (and the undated events no chart drops)."""
    profile = load_profile("all")
    report, server, live = _report_and_dashboard(db, profile, folder)
    caucasus = live + "?process=south-caucasus"

    def matrix_cell(page) -> None:
        page.locator("#stances button[data-actor='azerbaijan'][data-issue='peace-treaty']").click()
        page.wait_for_selector("#history-steps li")

    def undated_open(page) -> None:
        page.locator("#timeline-undated summary").click()

    shots = [(caucasus + "#mediation-card", "#mediation-card", "question-mediation.png", None),
             (caucasus, "#tracks-card", "question-tracks.png", None),
             (report.as_uri() + "#history/azerbaijan/lachin-corridor", "#history-card", "question-lachin.png", None),
             (caucasus, "#history-card", "question-position-history.png", matrix_cell),
             (live + "#history/russia/eu-mission-armenia", "#history-card", "question-russia-eu-mission.png", None),
             (live + "#history/russia/mediation-brussels", "#history-card", "question-russia-eu-mediation.png", None),
             (report.as_uri() + "#incidents-card", "#incidents-card", "question-disputed.png", None),
             (report.as_uri(), "#timeline-card", "question-undated.png", undated_open)]
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 1000})
        for url, card, name, then in shots:
            written.append(_card(page, url, card, folder / name, then=then))
        browser.close()
    server.shutdown()
    return written


if __name__ == "__main__":
    args = sys.argv[1:]
    make = questions if args and args[0] == "--questions" else shoot
    args = args[1:] if make is questions else args
    out = make(Path(args[0]), Path(args[1] if len(args) > 1 else "docs/screenshots"))
    print("\n".join(map(str, out)))
